import { Link } from "@remix-run/react";
import type { OrderStep } from "~db/schema";
import { Alert } from "~/components/ui/alert";
import { STEP_LABELS, STEPS, stepIndex, stepUrl } from "~/modules/checkout/steps";

/**
 * The four checkout steps as an ordered list: steps already reached are links back (the order
 * keeps what was entered), the current one is marked for screen readers, later ones are plain.
 */
export function CheckoutProgress({ orderId, reached, current }: { orderId: string; reached: OrderStep; current: OrderStep }) {
  return (
    <nav aria-label="Checkout steps" className="checkout-progress">
      <ol>
        {STEPS.map((step, i) => {
          const isCurrent = step === current;
          const reachable = stepIndex(step) <= stepIndex(reached);
          const state = isCurrent ? "current" : stepIndex(step) < stepIndex(reached) ? "done" : reachable ? "reached" : "upcoming";
          const body = (
            <>
              <span className="checkout-step-number" aria-hidden="true">
                {state === "done" ? "✓" : i + 1}
              </span>
              <span className="checkout-step-label">{STEP_LABELS[step]}</span>
              <span className="visually-hidden">
                {isCurrent ? " (this step)" : state === "done" ? " (done)" : state === "upcoming" ? " (not yet)" : ""}
              </span>
            </>
          );
          return (
            <li key={step} className={`checkout-step is-${state}`} aria-current={isCurrent ? "step" : undefined}>
              {reachable && !isCurrent ? <Link to={stepUrl(orderId, step)}>{body}</Link> : <span>{body}</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** The page head every step shares: title, order reference, progress, and any notices. */
export function CheckoutHead({
  title,
  orderId,
  reference,
  reached,
  current,
  notices = [],
}: {
  title: string;
  orderId: string;
  reference: string;
  reached: OrderStep;
  current: OrderStep;
  notices?: string[];
}) {
  return (
    <header className="checkout-head">
      <p className="eyebrow">Checkout · Order {reference}</p>
      <h1 id="checkout-title">{title}</h1>
      <CheckoutProgress orderId={orderId} reached={reached} current={current} />
      {notices.map((notice) => (
        <Alert key={notice} tone="warning">
          {notice}
        </Alert>
      ))}
    </header>
  );
}

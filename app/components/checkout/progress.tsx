import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { OrderStep } from "~db/schema";
import { Alert } from "~/components/ui/alert";
import { useErrorText } from "~/components/ui/field";
import { STEPS, stepIndex, stepUrl } from "~/modules/checkout/steps";

/**
 * The four checkout steps as an ordered list: steps already reached are links back (the order
 * keeps what was entered), the current one is marked for screen readers, later ones are plain.
 */
export function CheckoutProgress({ orderId, reached, current }: { orderId: string; reached: OrderStep; current: OrderStep }) {
  const { t } = useTranslation("checkout");
  return (
    <nav aria-label={t("steps.label")} className="checkout-progress">
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
              <span className="checkout-step-label">{t(`steps.${step}`)}</span>
              <span className="visually-hidden">
                {isCurrent ? t("steps.this") : state === "done" ? t("steps.done") : state === "upcoming" ? t("steps.notYet") : ""}
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

/** The page head every step shares: the step's title, order reference, progress, and any notices. */
export function CheckoutHead({
  orderId,
  reference,
  reached,
  current,
  notices = [],
}: {
  orderId: string;
  reference: string;
  reached: OrderStep;
  current: OrderStep;
  notices?: string[];
}) {
  const { t } = useTranslation("checkout");
  const errorText = useErrorText();
  return (
    <header className="checkout-head">
      <p className="eyebrow">{t("head.eyebrow", { reference })}</p>
      <h1 id="checkout-title">{t(`head.${current}`)}</h1>
      <CheckoutProgress orderId={orderId} reached={reached} current={current} />
      {notices.map((notice) => (
        <Alert key={notice} tone="warning">
          {errorText([notice])}
        </Alert>
      ))}
    </header>
  );
}

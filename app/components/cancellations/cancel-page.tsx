// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { PolicyBadge } from "~/components/account/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import type { PolicyStatus } from "~db/schema";

/**
 * The cancellation page both the customer and staff see: before, what would come back, how and why,
 * with the reason and a confirmation; after, the refund's progress and the letter. Plain forms, so it
 * works without JavaScript.
 */
interface Figures {
  why: string;
  paid: string;
  kept: string;
  claimsPaid: string | null;
  refund: string;
  refundMinor: number;
}

export interface CancelPageProps {
  by: "customer" | "staff";
  policy: { id: string; number: string | null; product: string; status: PolicyStatus; cover: string | null };
  today: string;
  quote: (Figures & { refunds: { label: string; amount: string; byAgency: boolean }[] }) | null;
  refusal: string | null;
  cancellation:
    | (Figures & {
        cancelledOn: string;
        reason: string | null;
        refunds: { id: string; label: string; amount: string; status: string; statusWords: string }[];
        agencyOwed: string | null;
        letterUrl: string | null;
      })
    | null;
  reasons: { value: string; label: string }[];
  errors?: Partial<Record<"reason" | "details" | "confirm" | "form", string>>;
  values?: { reason: string; details: string };
  notice?: "cancelled" | "returned" | null;
  breadcrumbs: ReactNode;
}

function FiguresList({ figures }: { figures: Figures }) {
  return (
    <>
      <p>{figures.why}</p>
      <dl className="details-list">
        <dt>Premium paid</dt>
        <dd>{figures.paid}</dd>
        <dt>Kept for the cover given</dt>
        <dd>{figures.kept}</dd>
        {figures.claimsPaid ? (
          <>
            <dt>Claims paid on the policy</dt>
            <dd>− {figures.claimsPaid}</dd>
          </>
        ) : null}
        <dt>
          <strong>Refund</strong>
        </dt>
        <dd>
          <strong data-testid="refund-amount">{figures.refund}</strong>
        </dd>
      </dl>
    </>
  );
}

export function CancelPage(props: CancelPageProps) {
  const { policy, quote, cancellation, errors, values } = props;
  const busy = useNavigation().state === "submitting";
  const customer = props.by === "customer";
  return (
    <div className="account stack">
      {props.breadcrumbs}
      <div className="page-head">
        <div>
          <h1>
            {cancellation ? "Cancellation" : "Cancel policy"} · {policy.number ?? policy.product}
          </h1>
          <p className="muted">
            {policy.product}
            {policy.cover ? ` · cover ${policy.cover}` : ""}
          </p>
        </div>
        <PolicyBadge status={policy.status} />
      </div>

      {props.notice === "cancelled" ? (
        <Alert tone="success" title="The policy is cancelled">
          {cancellation && cancellation.refundMinor > 0
            ? `${cancellation.refund} is on its way back. The cancellation letter follows in a minute.`
            : "The cancellation letter follows in a minute."}
        </Alert>
      ) : null}
      {props.notice === "returned" ? <Alert tone="success" title="Recorded: the agency returned the money" /> : null}
      {errors?.form ? <Alert tone="error">{errors.form}</Alert> : null}

      {cancellation ? (
        <>
          <section className="card" aria-labelledby="cancelled-title">
            <h2 id="cancelled-title">Cancelled from {cancellation.cancelledOn}</h2>
            {cancellation.reason ? (
              <p>
                <strong>Reason:</strong> {cancellation.reason}
              </p>
            ) : null}
            <FiguresList figures={cancellation} />
          </section>
          <section className="card" aria-labelledby="refund-title">
            <h2 id="refund-title">The refund</h2>
            {cancellation.refunds.length === 0 && !cancellation.agencyOwed ? <p className="muted">Nothing comes back.</p> : null}
            {cancellation.refunds.length > 0 ? (
              <ul className="document-list">
                {cancellation.refunds.map((r) => (
                  <li key={r.id} data-refund-status={r.status}>
                    <strong>{r.amount}</strong> — {r.label}: <span>{r.statusWords}</span>
                  </li>
                ))}
              </ul>
            ) : null}
            {cancellation.agencyOwed ? (
              <>
                <p>
                  <strong>{cancellation.agencyOwed}</strong> paid in cash or by bank-in is to be returned by the agency
                  {customer ? ": they will contact you." : "."}
                </p>
                {!customer ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="record_agency_return" />
                    <Button type="submit" disabled={busy}>
                      Record that the agency returned {cancellation.agencyOwed}
                    </Button>
                  </Form>
                ) : null}
              </>
            ) : null}
          </section>
          <section className="card" aria-labelledby="letter-title">
            <h2 id="letter-title">Cancellation letter</h2>
            {cancellation.letterUrl ? (
              <a href={cancellation.letterUrl} download>
                Download the cancellation letter (PDF)
              </a>
            ) : (
              <p className="muted">Being prepared — refresh this page in a minute.</p>
            )}
          </section>
        </>
      ) : props.refusal ? (
        <Alert tone="warning" title="This policy cannot be cancelled">
          {props.refusal}
        </Alert>
      ) : quote ? (
        <>
          <section className="card" aria-labelledby="quote-title">
            <h2 id="quote-title">
              If {customer ? "you cancel" : "the policy is cancelled"} today ({props.today})
            </h2>
            <FiguresList figures={quote} />
            {quote.refunds.length > 0 ? (
              <>
                <h3>How it comes back</h3>
                <ul>
                  {quote.refunds.map((r, i) => (
                    <li key={i}>
                      {r.amount} — {r.label}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <p className="muted small">
              Cover ends at the start of today. Claims for anything that happened while the policy covered{" "}
              {customer ? "you" : "the customer"} are not affected.
            </p>
          </section>
          <section className="card" aria-labelledby="confirm-title">
            <h2 id="confirm-title">Cancel the policy</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="cancel" />
              <div className={`field${errors?.reason ? " field-invalid" : ""}`}>
                <label htmlFor="reason">Reason</label>
                <select
                  id="reason"
                  name="reason"
                  defaultValue={values?.reason ?? ""}
                  aria-invalid={errors?.reason ? true : undefined}
                  aria-describedby={errors?.reason ? "reason-error" : undefined}
                >
                  <option value="">Choose a reason…</option>
                  {props.reasons.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
                {errors?.reason ? (
                  <p className="field-error" id="reason-error" role="alert">
                    {errors.reason}
                  </p>
                ) : null}
              </div>
              <div className={`field${errors?.details ? " field-invalid" : ""}`}>
                <label htmlFor="details">In your own words (optional; needed for “Something else”)</label>
                <textarea
                  id="details"
                  name="details"
                  rows={3}
                  maxLength={500}
                  defaultValue={values?.details ?? ""}
                  aria-invalid={errors?.details ? true : undefined}
                  aria-describedby={errors?.details ? "details-error" : undefined}
                />
                {errors?.details ? (
                  <p className="field-error" id="details-error" role="alert">
                    {errors.details}
                  </p>
                ) : null}
              </div>
              <div className={`field${errors?.confirm ? " field-invalid" : ""}`}>
                <div className="checkbox">
                  <input
                    type="checkbox"
                    id="confirm"
                    name="confirm"
                    value="yes"
                    aria-invalid={errors?.confirm ? true : undefined}
                    aria-describedby={errors?.confirm ? "confirm-error" : undefined}
                  />
                  <label htmlFor="confirm">
                    I understand the cover ends today and {quote.refund} comes back{customer ? " to me" : ""}.
                  </label>
                </div>
                {errors?.confirm ? (
                  <p className="field-error" id="confirm-error" role="alert">
                    {errors.confirm}
                  </p>
                ) : null}
              </div>
              <div>
                <Button type="submit" variant="danger" disabled={busy}>
                  Cancel the policy
                </Button>
              </div>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}

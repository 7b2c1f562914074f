import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { PolicyBadge } from "~/components/account/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import type { PolicyStatus } from "~db/schema";
import { useTranslation } from "react-i18next";
import { useErrorText } from "~/components/ui/field";

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
  /** The page's title in the reader's words (the routes' `meta` reads it). */
  title?: string;
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
  const { t } = useTranslation("policy");
  return (
    <>
      <p>{figures.why}</p>
      <dl className="details-list">
        <dt>{t("cancel.premiumPaid")}</dt>
        <dd>{figures.paid}</dd>
        <dt>{t("cancel.kept")}</dt>
        <dd>{figures.kept}</dd>
        {figures.claimsPaid ? (
          <>
            <dt>{t("cancel.claimsPaid")}</dt>
            <dd>− {figures.claimsPaid}</dd>
          </>
        ) : null}
        <dt>
          <strong>{t("cancel.refund")}</strong>
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
  const { t } = useTranslation("policy");
  const errorText = useErrorText();
  const busy = useNavigation().state === "submitting";
  const customer = props.by === "customer";
  const who = customer ? "customer" : "staff";
  return (
    <div className="account stack">
      {props.breadcrumbs}
      <div className="page-head">
        <div>
          <h1>
            {cancellation ? t("cancel.cancellation") : t("cancel.title")} · {policy.number ?? policy.product}
          </h1>
          <p className="muted">
            {policy.product}
            {policy.cover ? ` · ${t("cancel.cover", { cover: policy.cover })}` : ""}
          </p>
        </div>
        <PolicyBadge status={policy.status} />
      </div>

      {props.notice === "cancelled" ? (
        <Alert tone="success" title={t("cancel.done")}>
          {cancellation && cancellation.refundMinor > 0 ? t("cancel.doneRefund", { amount: cancellation.refund }) : t("cancel.doneLetter")}
        </Alert>
      ) : null}
      {props.notice === "returned" ? <Alert tone="success" title={t("cancel.returned")} /> : null}
      {errors?.form ? <Alert tone="error">{errorText([errors.form])}</Alert> : null}

      {cancellation ? (
        <>
          <section className="card" aria-labelledby="cancelled-title">
            <h2 id="cancelled-title">{t("cancel.cancelledFrom", { date: cancellation.cancelledOn })}</h2>
            {cancellation.reason ? (
              <p>
                <strong>{t("cancel.reasonLabel")}</strong> {cancellation.reason}
              </p>
            ) : null}
            <FiguresList figures={cancellation} />
          </section>
          <section className="card" aria-labelledby="refund-title">
            <h2 id="refund-title">{t("cancel.refundTitle")}</h2>
            {cancellation.refunds.length === 0 && !cancellation.agencyOwed ? <p className="muted">{t("cancel.nothingBack")}</p> : null}
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
                  <strong>{cancellation.agencyOwed}</strong> {t(`cancel.agencyOwed.${who}`)}
                </p>
                {!customer ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="record_agency_return" />
                    <Button type="submit" disabled={busy}>
                      {t("cancel.recordReturn", { amount: cancellation.agencyOwed })}
                    </Button>
                  </Form>
                ) : null}
              </>
            ) : null}
          </section>
          <section className="card" aria-labelledby="letter-title">
            <h2 id="letter-title">{t("cancel.letterTitle")}</h2>
            {cancellation.letterUrl ? (
              <a href={cancellation.letterUrl} download>
                {t("cancel.downloadLetter")}
              </a>
            ) : (
              <p className="muted">{t("documents.preparing")}</p>
            )}
          </section>
        </>
      ) : props.refusal ? (
        <Alert tone="warning" title={t("cancel.refused")}>
          {props.refusal}
        </Alert>
      ) : quote ? (
        <>
          <section className="card" aria-labelledby="quote-title">
            <h2 id="quote-title">{t(`cancel.ifToday.${who}`, { date: props.today })}</h2>
            <FiguresList figures={quote} />
            {quote.refunds.length > 0 ? (
              <>
                <h3>{t("cancel.howBack")}</h3>
                <ul>
                  {quote.refunds.map((r, i) => (
                    <li key={i}>
                      {r.amount} — {r.label}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <p className="muted small">{t(`cancel.coverEnds.${who}`)}</p>
          </section>
          <section className="card" aria-labelledby="confirm-title">
            <h2 id="confirm-title">{t("cancel.confirmTitle")}</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="cancel" />
              <div className={`field${errors?.reason ? " field-invalid" : ""}`}>
                <label htmlFor="reason">{t("cancel.reason")}</label>
                <select
                  id="reason"
                  name="reason"
                  defaultValue={values?.reason ?? ""}
                  aria-invalid={errors?.reason ? true : undefined}
                  aria-describedby={errors?.reason ? "reason-error" : undefined}
                >
                  <option value="">{t("cancel.chooseReason")}</option>
                  {props.reasons.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
                {errors?.reason ? (
                  <p className="field-error" id="reason-error" role="alert">
                    {errorText([errors.reason])}
                  </p>
                ) : null}
              </div>
              <div className={`field${errors?.details ? " field-invalid" : ""}`}>
                <label htmlFor="details">{t("cancel.details")}</label>
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
                    {errorText([errors.details])}
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
                  <label htmlFor="confirm">{t(`cancel.understand.${who}`, { amount: quote.refund })}</label>
                </div>
                {errors?.confirm ? (
                  <p className="field-error" id="confirm-error" role="alert">
                    {errorText([errors.confirm])}
                  </p>
                ) : null}
              </div>
              <div>
                <Button type="submit" variant="danger" disabled={busy}>
                  {t("cancel.submit")}
                </Button>
              </div>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}

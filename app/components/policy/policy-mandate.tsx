import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BankSelect, type BankChoice } from "~/components/payments/bank-select";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";

export interface MandateSummary {
  status: "pending" | "active" | "paused" | "cancelled" | "expired" | "rejected";
  bankName: string | null;
  maxAmount: string;
  expires: string | null;
  live: boolean;
}

export interface MandateOfferView {
  banks: BankChoice[];
  /** What the authorisation pays now: the next open instalment (decision 046). */
  first: string;
  firstDue: string;
  /** That instalment is not due yet: it is paid early. */
  early: boolean;
  maxAmount: string;
  expires: string;
  agency: string;
}

/** The policy's direct debit mandate, as everyone sees it (decision 046). */
export function MandateDetails({ mandate }: { mandate: MandateSummary | null }) {
  const { t } = useTranslation("common");
  if (!mandate) return <p className="muted">{t("mandate.none")}</p>;
  return (
    <dl className="details-list">
      <div>
        <dt>{t("mandate.title")}</dt>
        <dd>
          <span className={`badge badge-${mandate.status === "active" ? "active" : mandate.live ? "pending" : "failed"}`}>
            {t(`mandate.status.${mandate.status}`)}
          </span>
        </dd>
      </div>
      {mandate.bankName ? (
        <div>
          <dt>{t("mandate.bank")}</dt>
          <dd>{mandate.bankName}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t("mandate.maxAmount")}</dt>
        <dd>{mandate.maxAmount}</dd>
      </div>
      {mandate.expires ? (
        <div>
          <dt>{t("mandate.expires")}</dt>
          <dd>{mandate.expires}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The member's own: see it, cancel it, or set one up with their consent. */
export function PolicyMandate({
  mandate,
  offer,
  errors,
  cancelled,
}: {
  mandate: MandateSummary | null;
  offer: MandateOfferView | null;
  errors?: Partial<Record<"form" | "bankCode" | "consent", string[]>>;
  cancelled?: boolean;
}) {
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  if (!mandate && !offer) return null;
  return (
    <section className="card" id="autodebit" aria-labelledby="mandate-title">
      <h2 id="mandate-title">{t("mandate.title")}</h2>
      <p className="muted">{t("mandate.intro")}</p>
      {cancelled ? <Alert tone="info">{t("mandate.cancelled")}</Alert> : null}
      {mandate ? <MandateDetails mandate={mandate} /> : null}
      {mandate?.status === "pending" ? <p className="muted small">{t("mandate.pendingNote")}</p> : null}
      {mandate?.live ? (
        <Form method="post" className="section-actions">
          <input type="hidden" name="intent" value="cancelMandate" />
          <Button type="submit" variant="secondary">
            {t("mandate.cancel")}
          </Button>
        </Form>
      ) : null}
      {offer ? (
        <Form method="post" className="section-actions" aria-labelledby="mandate-setup-title">
          <h3 id="mandate-setup-title">{t("mandate.setUpTitle")}</h3>
          <FormErrors errors={errors?.form} />
          <input type="hidden" name="intent" value="mandate" />
          {offer.banks.length ? (
            <BankSelect
              id="mandate-bank"
              name="bankCode"
              label={t("mandate.bankLabel")}
              placeholder={t("mandate.chooseBank")}
              offline={(bank) => t("mandate.bankOffline", { bank })}
              banks={offer.banks}
              errors={errors?.bankCode}
            />
          ) : (
            <p className="muted small">{t("mandate.noBanks")}</p>
          )}
          <div className={`checkbox${errors?.consent?.length ? " field-invalid" : ""}`}>
            <input
              type="checkbox"
              id="mandate-consent"
              name="consent"
              aria-invalid={errors?.consent?.length ? true : undefined}
              aria-describedby={errors?.consent?.length ? "mandate-consent-error" : undefined}
            />
            <label htmlFor="mandate-consent">
              {t(offer.early ? "mandate.consentEarly" : "mandate.consent", {
                agency: offer.agency,
                first: offer.first,
                firstDue: offer.firstDue,
                amount: offer.maxAmount,
                date: offer.expires,
              })}
            </label>
          </div>
          {errors?.consent?.length ? (
            <p className="field-error" id="mandate-consent-error" role="alert">
              {errorText(errors.consent)}
            </p>
          ) : null}
          <Button type="submit">{t("mandate.submit")}</Button>
        </Form>
      ) : null}
    </section>
  );
}

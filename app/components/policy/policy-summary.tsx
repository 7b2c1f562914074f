import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export interface PolicySummaryView {
  policyNumber: string | null;
  productName: string;
  productSlug: string;
  insurerName: string;
  startDate: string | null;
  endDate: string | null;
  annualPremium: string;
  discount: string | null;
  frequency: string;
  orderId: string;
  orderReference: string;
  issuedAt: string | null;
}

/** The policy's particulars: number, product, cover dates, premium, the order it was bought on. */
export function PolicySummary({ policy }: { policy: PolicySummaryView }) {
  const { t } = useTranslation("policy");
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">{t("summary.title")}</h2>
      <dl className="details-list">
        <dt>{t("summary.policyNumber")}</dt>
        <dd>{policy.policyNumber ?? <span className="muted">{t("summary.notIssued")}</span>}</dd>
        <dt>{t("summary.product")}</dt>
        <dd>
          <Link to={`/products/${policy.productSlug}`}>{policy.productName}</Link>
        </dd>
        <dt>{t("summary.insurer")}</dt>
        <dd>{policy.insurerName}</dd>
        <dt>{t("summary.cover")}</dt>
        <dd>
          {policy.startDate ? (
            t("summary.coverDates", { start: policy.startDate, end: policy.endDate ?? "—" })
          ) : (
            <span className="muted">{t("summary.startsWhenIssued")}</span>
          )}
        </dd>
        <dt>{t("summary.premium")}</dt>
        <dd>
          {policy.discount
            ? t("summary.premiumWithDiscount", {
                annual: policy.annualPremium,
                discount: policy.discount,
                frequency: policy.frequency.toLowerCase(),
              })
            : t("summary.premiumAmount", { annual: policy.annualPremium, frequency: policy.frequency.toLowerCase() })}
        </dd>
        <dt>{t("summary.order")}</dt>
        <dd>
          <Link to={`/orders/${policy.orderId}`}>{policy.orderReference}</Link>
        </dd>
        {policy.issuedAt ? (
          <>
            <dt>{t("summary.issued")}</dt>
            <dd>{policy.issuedAt}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

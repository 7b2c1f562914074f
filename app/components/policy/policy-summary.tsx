// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Link } from "@remix-run/react";

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
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">Policy</h2>
      <dl className="details-list">
        <dt>Policy number</dt>
        <dd>{policy.policyNumber ?? <span className="muted">Not issued yet</span>}</dd>
        <dt>Product</dt>
        <dd>
          <Link to={`/products/${policy.productSlug}`}>{policy.productName}</Link>
        </dd>
        <dt>Insurer</dt>
        <dd>{policy.insurerName}</dd>
        <dt>Cover</dt>
        <dd>
          {policy.startDate ? (
            `${policy.startDate} to ${policy.endDate ?? "—"}`
          ) : (
            <span className="muted">Starts when the policy is issued</span>
          )}
        </dd>
        <dt>Premium</dt>
        <dd>
          {policy.annualPremium} a year before levies{policy.discount ? `, less a ${policy.discount} discount` : ""}, paid{" "}
          {policy.frequency.toLowerCase()}
        </dd>
        <dt>Order</dt>
        <dd>
          <Link to={`/orders/${policy.orderId}`}>{policy.orderReference}</Link>
        </dd>
        {policy.issuedAt ? (
          <>
            <dt>Issued</dt>
            <dd>{policy.issuedAt}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

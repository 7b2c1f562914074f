// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Link } from "@remix-run/react";

/**
 * What the customer can do with the policy. Each action is one entry, shown when the loader says it
 * is allowed (the module that owns the action decides; this only links to it). Issue 13's helpers
 * add their action here as one line each (renew, cancel, change).
 */
export interface PolicyActionsView {
  id: string;
  productName: string;
  /** Issued cover (not declined or waiting): claims and a review. */
  reviewable: boolean;
  /** A change of cover mid-term is open to the customer (app/modules/endorsements). */
  changeable: boolean;
  policyNumber: string | null;
  status: string;
}

export function PolicyActions({ policy }: { policy: PolicyActionsView }) {
  return (
    <>
      {policy.reviewable ? (
        <p className="section-actions">
          <Link to={`/account/claims/new?policy=${policy.id}`} className="btn btn-primary">
            File a claim
          </Link>{" "}
          <Link to={`/account/claims?policy=${policy.id}`}>Claims on this policy</Link>
        </p>
      ) : null}
      {policy.changeable ? (
        <p>
          <Link to={`/account/policies/${policy.id}/change`}>Change your cover</Link>
          <span className="muted"> — a new value, sum insured, person covered or beneficiary, priced before you confirm.</span>
        </p>
      ) : null}
      {policy.policyNumber && ["active", "grace", "cancelled"].includes(policy.status) ? (
        <p>
          <Link to={`/account/policies/${policy.id}/cancel`}>
            {policy.status === "cancelled" ? "The cancellation, its refund and letter" : "Cancel this policy"}
          </Link>
        </p>
      ) : null}
      {policy.reviewable ? (
        <p>
          <Link to={`/account/policies/${policy.id}/review`}>Review {policy.productName}</Link>
          <span className="muted"> — tell other customers what the cover is like.</span>
        </p>
      ) : null}
    </>
  );
}

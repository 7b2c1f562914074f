import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

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
  const { t } = useTranslation("policy");
  return (
    <>
      {policy.reviewable ? (
        <p className="section-actions">
          <Link to={`/account/claims/new?policy=${policy.id}`} className="btn btn-primary">
            {t("actions.fileClaim")}
          </Link>{" "}
          <Link to={`/account/claims?policy=${policy.id}`}>{t("actions.claims")}</Link>
        </p>
      ) : null}
      {policy.changeable ? (
        <p>
          <Link to={`/account/policies/${policy.id}/change`}>{t("actions.change")}</Link>
          <span className="muted"> — {t("actions.changeHint")}</span>
        </p>
      ) : null}
      {policy.policyNumber && ["active", "grace", "cancelled"].includes(policy.status) ? (
        <p>
          <Link to={`/account/policies/${policy.id}/cancel`}>
            {policy.status === "cancelled" ? t("actions.cancellation") : t("actions.cancel")}
          </Link>
        </p>
      ) : null}
      {policy.reviewable ? (
        <p>
          <Link to={`/account/policies/${policy.id}/review`}>{t("actions.review", { product: policy.productName })}</Link>
          <span className="muted"> — {t("actions.reviewHint")}</span>
        </p>
      ) : null}
    </>
  );
}

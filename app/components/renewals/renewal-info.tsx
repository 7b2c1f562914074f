import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export interface RenewalInfoData {
  renewalOf: { id: string; policyNumber: string | null } | null;
  renewedBy: { id: string; policyNumber: string | null } | null;
  /** The customer's renew page, while the policy may be renewed (in force, not renewed). */
  renewHref?: string | null;
}

/**
 * A policy's place in its renewal chain (decision 028), for the customer's and the staff's policy
 * pages: what it renews, what renewed it, and the way to renew. `base` is where policy pages live
 * ("/account/policies" or "/admin/policies").
 */
export function RenewalInfo({ data, base }: { data: RenewalInfoData; base: string }) {
  const { t } = useTranslation("policy");
  if (!data.renewalOf && !data.renewedBy && !data.renewHref) return null;
  return (
    <section className="card" aria-labelledby="renewal-title">
      <h2 id="renewal-title">{t("renewal.title")}</h2>
      <ul className="plain-list">
        {data.renewalOf ? (
          <li>
            {t("renewal.renews")}{" "}
            <Link to={`${base}/${data.renewalOf.id}`}>{data.renewalOf.policyNumber ?? t("renewal.previousPolicy")}</Link>
          </li>
        ) : null}
        {data.renewedBy ? (
          <li>
            {t("renewal.renewedBy")}{" "}
            <Link to={`${base}/${data.renewedBy.id}`}>{data.renewedBy.policyNumber ?? t("renewal.newPolicy")}</Link>
          </li>
        ) : null}
        {data.renewHref ? (
          <li>
            <Link to={data.renewHref}>{t("renewal.renew")}</Link>
          </li>
        ) : null}
      </ul>
    </section>
  );
}

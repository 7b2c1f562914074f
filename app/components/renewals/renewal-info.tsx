// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Link } from "@remix-run/react";

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
  if (!data.renewalOf && !data.renewedBy && !data.renewHref) return null;
  return (
    <section className="card" aria-labelledby="renewal-title">
      <h2 id="renewal-title">Renewal</h2>
      <ul className="plain-list">
        {data.renewalOf ? (
          <li>
            Renews <Link to={`${base}/${data.renewalOf.id}`}>{data.renewalOf.policyNumber ?? "the previous policy"}</Link>
          </li>
        ) : null}
        {data.renewedBy ? (
          <li>
            Renewed by <Link to={`${base}/${data.renewedBy.id}`}>{data.renewedBy.policyNumber ?? "a new policy"}</Link>
          </li>
        ) : null}
        {data.renewHref ? (
          <li>
            <Link to={data.renewHref}>Renew this policy</Link>
          </li>
        ) : null}
      </ul>
    </section>
  );
}

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { can } from "~/modules/auth/permissions";
import { describeTier, rulesOverview } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { networkSettings } from "~/modules/network/settings.server";
import { FREQUENCY_LABELS } from "~/modules/rating/rules";

/** /admin/commission-rules — every product with the commission rules in force now, per payment frequency. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const [products, settings] = await withTenant(tenant.id, (db) => Promise.all([rulesOverview(db), networkSettings(db)]));
  return json({
    canEdit: can(user.roles, "manage:commission-rules:any"),
    tiers: settings.tiers,
    unqualifiedShare: settings.unqualifiedShare,
    products: products.map((p) => ({
      id: p.id,
      name: p.name,
      active: p.active,
      offered: p.offered.map((f) => FREQUENCY_LABELS[f]).join(", "),
      rules: p.rules.map((r) => ({
        frequency: r.frequency,
        label: FREQUENCY_LABELS[r.frequency],
        summary: r.tiers.map((t) => describeTier(t, tenant.currency, tenant.locale).short).join(" · "),
        conditions: r.tiers.flatMap((t) => {
          const { short, conditions } = describeTier(t, tenant.currency, tenant.locale);
          return conditions.length ? [`${short.split(" ")[0]}: ${conditions.join(", ")}`] : [];
        }),
      })),
    })),
  });
}

export default function CommissionRulesIndex() {
  const { products, canEdit, tiers, unqualifiedShare } = useLoaderData<typeof loader>();
  const withRules = products.filter((p) => p.rules.length > 0).length;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Commission rules</h1>
          <p className="muted">
            What each payment pays the selling agent (tier 1) and their uplines, up to {tiers} tiers, by product and payment frequency.
            Rules in force now; {withRules} of {products.length} {products.length === 1 ? "product pays" : "products pay"} commission. An
            upline who does not qualify{" "}
            {unqualifiedShare === "pass_up"
              ? "passes their share to the next qualified upline"
              : "does not earn their share (it is skipped)"}
            .
          </p>
        </div>
      </div>
      {products.length === 0 ? (
        <div className="card empty">
          <p>No products yet. Add products to the catalogue, then set their commission here.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">In force now</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id}>
                  <td data-label="Product">
                    <span className="break">
                      <Link to={`/admin/commission-rules/${p.id}`}>{p.name}</Link>
                      {p.active ? null : (
                        <>
                          {" "}
                          <span className="badge">Not on sale</span>
                        </>
                      )}
                      <br />
                      <span className="muted small">Sold {p.offered.toLowerCase()}</span>
                    </span>
                  </td>
                  <td data-label="In force now">
                    {p.rules.length === 0 ? (
                      <span className="muted">No commission</span>
                    ) : (
                      <ul className="plain-list">
                        {p.rules.map((r) => (
                          <li key={r.frequency}>
                            <Link to={`/admin/commission-rules/${p.id}?frequency=${r.frequency}`}>{r.label}</Link>: {r.summary}
                            {r.conditions.length ? <span className="muted small"> ({r.conditions.join("; ")})</span> : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td data-label="">
                    <Link to={`/admin/commission-rules/${p.id}`} aria-label={`${canEdit ? "Edit" : "View"} the rules of ${p.name}`}>
                      {canEdit ? "Edit" : "View"}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Commission rules");

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { can } from "~/modules/auth/permissions";
import { describeTier, rulesOverview } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { networkSettings } from "~/modules/network/settings.server";
import { serverT } from "~/modules/i18n/i18n.server";

/** /admin/commission-rules — every product with the commission rules in force now, per payment frequency. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const [products, settings] = await withTenant(tenant.id, (db) => Promise.all([rulesOverview(db), networkSettings(db)]));
  const t = await serverT(tenant.language, "admin-network");
  return json({
    title: t("rules.title"),
    canEdit: can(user.roles, "manage:commission-rules:any"),
    tiers: settings.tiers,
    unqualifiedShare: settings.unqualifiedShare,
    products: products.map((p) => ({
      id: p.id,
      name: p.name,
      active: p.active,
      offered: p.offered.map((f) => t(`frequency.${f}`)).join(", "),
      rules: p.rules.map((r) => ({
        frequency: r.frequency,
        label: t(`frequency.${r.frequency}`),
        summary: r.tiers.map((tier) => describeTier(tier, tenant.currency, tenant.locale, t).short).join(" · "),
        conditions: r.tiers.flatMap((tier) => {
          const { short, conditions } = describeTier(tier, tenant.currency, tenant.locale, t);
          return conditions.length ? [`${short.split(" ")[0]}: ${conditions.join(", ")}`] : [];
        }),
      })),
    })),
  });
}

export default function CommissionRulesIndex() {
  const { products, canEdit, tiers, unqualifiedShare } = useLoaderData<typeof loader>();
  const withRules = products.filter((p) => p.rules.length > 0).length;
  const { t } = useTranslation("admin-network");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("rules.title")}</h1>
          <p className="muted">
            {t("rules.intro", { tiers })} {t("rules.paying", { count: products.length, paying: withRules })}{" "}
            {t(`rules.${({ skip: "skip", pass_up: "passUp", compress: "compress" } as const)[unqualifiedShare]}`)}
          </p>
        </div>
      </div>
      {products.length === 0 ? (
        <div className="card empty">
          <p>{t("rules.noProducts")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("rules.product")}</th>
                <th scope="col">{t("rules.inForce")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id}>
                  <td data-label={t("rules.product")}>
                    <span className="break">
                      <Link to={`/admin/commission-rules/${p.id}`}>{p.name}</Link>
                      {p.active ? null : (
                        <>
                          {" "}
                          <span className="badge">{t("rules.notOnSale")}</span>
                        </>
                      )}
                      <br />
                      <span className="muted small">{t("rules.sold", { frequencies: p.offered.toLowerCase() })}</span>
                    </span>
                  </td>
                  <td data-label={t("rules.inForce")}>
                    {p.rules.length === 0 ? (
                      <span className="muted">{t("rules.noCommission")}</span>
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
                    <Link
                      to={`/admin/commission-rules/${p.id}`}
                      aria-label={t(canEdit ? "rules.editLabel" : "rules.viewLabel", { name: p.name })}
                    >
                      {canEdit ? t("rules.edit") : t("rules.view")}
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission rules");

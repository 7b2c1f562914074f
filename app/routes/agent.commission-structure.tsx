import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { tierLabel } from "~/components/agent/sell/commission";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { formatRate } from "~/modules/commissions/calculate";
import { commissionStructure, personalSalesThisMonth, type StructureVersion } from "~/modules/commissions/earnings.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { requireAgent } from "~/modules/network/current-agent.server";

/**
 * /agent/commission-structure — the agency's commission rules as its agents may read them (issue
 * 16 §5): every product on sale, per payment frequency, what each tier earns (a fixed amount or a
 * rate), its monthly cap and who qualifies, with an example on the product's usual premium, and the
 * versions scheduled to start later. The same rules and arithmetic as the admin preview.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const { structure, sales } = await withTenant(tenant.id, async (db) => ({
    structure: await commissionStructure(db),
    sales: await personalSalesThisMonth(db, agent.id, tenant.timeZone),
  }));
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const version = (v: StructureVersion) => ({
    from: formatDateTime(v.effectiveAt, tenant.locale, tenant.timeZone),
    tiers: v.tiers.map((r) => ({
      tier: r.tier,
      pays: r.kind === "fixed" ? money(r.amountMinor ?? 0) : formatRate(r.rateBp ?? 0),
      cap: r.capMinor === null ? null : money(r.capMinor),
      requiresActive: r.requiresActive,
      minPersonalSales: r.minPersonalSales,
      example: money(r.exampleMinor),
    })),
  });
  const t = await serverT(tenant.language, "agent");
  return json({
    title: t("structure.title"),
    sales,
    hasRules: structure.hasRules,
    products: structure.products.map((p) => ({
      id: p.id,
      name: p.name,
      frequencies: p.frequencies.map((f) => ({
        frequency: f.frequency,
        example: money(f.exampleBaseMinor),
        current: f.current && f.current.tiers.length > 0 ? version(f.current) : null,
        scheduled: f.scheduled.map(version),
      })),
    })),
  });
}

type Version = ReturnType<typeof useLoaderData<typeof loader>>["products"][number]["frequencies"][number]["scheduled"][number];

export default function AgentCommissionStructure() {
  const { title, sales, hasRules, products } = useLoaderData<typeof loader>();
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="muted">{t("structure.intro")}</p>
          <p className="small">{t("structure.yourSales", { count: sales })}</p>
        </div>
      </div>
      {!hasRules ? (
        <div className="card empty">
          <p>{t("structure.none")}</p>
        </div>
      ) : (
        products.map((product) => (
          <section key={product.id} className="card stack" aria-labelledby={`product-${product.id}`}>
            <h2 id={`product-${product.id}`}>{product.name}</h2>
            {product.frequencies.map((f) => {
              const frequency = t(`frequency.${f.frequency}`);
              return (
                <div key={f.frequency} className="stack">
                  <h3>{frequency}</h3>
                  {f.current ? (
                    <Tiers version={f.current} example={f.example} caption={`${product.name} — ${frequency}`} t={t} />
                  ) : (
                    <p className="muted">{t("structure.noCommission")}</p>
                  )}
                  {f.scheduled.map((v) => (
                    <div key={v.from} className="stack">
                      <h4>{t("structure.from", { date: v.from })}</h4>
                      {v.tiers.length ? (
                        <Tiers version={v} example={f.example} caption={`${product.name} — ${frequency} — ${v.from}`} t={t} />
                      ) : (
                        <p className="muted">{t("structure.stops")}</p>
                      )}
                    </div>
                  ))}
                </div>
              );
            })}
          </section>
        ))
      )}
    </div>
  );
}

function Tiers({ version, example, caption, t }: { version: Version; example: string; caption: string; t: TFunction }) {
  const exampleHead = t("structure.example", { amount: example });
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("earnings.tier")}</th>
            <th scope="col">{t("structure.pays")}</th>
            <th scope="col">{t("structure.cap")}</th>
            <th scope="col">{t("structure.qualifies")}</th>
            <th scope="col">{exampleHead}</th>
          </tr>
        </thead>
        <tbody>
          {version.tiers.map((r) => (
            <tr key={r.tier}>
              <th scope="row">{tierLabel(r.tier, t)}</th>
              <td data-label={t("structure.pays")}>{r.pays}</td>
              <td data-label={t("structure.cap")}>{r.cap ? t("structure.capPerMonth", { amount: r.cap }) : t("structure.noCap")}</td>
              <td data-label={t("structure.qualifies")}>
                {[
                  r.requiresActive ? t("structure.activeOnly") : t("structure.anyStatus"),
                  ...(r.minPersonalSales > 0 ? [t("structure.minSales", { count: r.minPersonalSales })] : []),
                ].join("; ")}
              </td>
              <td data-label={exampleHead}>{r.example}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission structure");

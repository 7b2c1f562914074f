import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { PortalBadge } from "~/components/agent/status";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { formatRate } from "~/modules/commissions/calculate";
import { ENTRY_KINDS, ENTRY_STATUSES } from "~/modules/commissions/labels";
import { serverT } from "~/modules/i18n/i18n.server";
import { monthLabel } from "~/modules/commissions/months";
import { entryFiltersFrom, entryFiltersQuery, listMyEntries, myEntryOptions } from "~/modules/commissions/portal.server";
import { requireAgent } from "~/modules/network/current-agent.server";
import { NETWORK_LEVELS } from "~/modules/network/upline.server";

/**
 * /agent/commissions — the agent's own ledger: every entry (earnings, clawbacks, caps and
 * adjustments), filtered by month, kind, status, tier and product in the URL, 25 a page, with the
 * filter's totals, a CSV of the same filter, and a way to dispute an entry not yet paid out.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const { filters, ignored } = entryFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const { result, options } = await withTenant(tenant.id, async (db) => ({
    result: await listMyEntries(db, agent.id, filters, page),
    options: await myEntryOptions(db, agent.id),
  }));
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const query = entryFiltersQuery(filters);
  const t = await serverT(tenant.language, "agent");
  return json({
    title: t("commissions.title"),
    ignored,
    filters: {
      month: filters.month ?? "",
      kind: filters.kind ?? "",
      status: filters.status ?? "",
      tier: filters.tier ? String(filters.tier) : "",
      product: filters.product ?? "",
    },
    filtered: query !== "",
    csvHref: `/agent/commissions.csv${query ? `?${query}` : ""}`,
    timeZone: tenant.timeZone,
    options: {
      months: options.months.map((m) => ({ value: m, label: monthLabel(m, tenant.locale) })),
      kinds: ENTRY_KINDS.map((value) => ({ value, label: t(`entryKind.${value}`) })),
      statuses: ENTRY_STATUSES.map((value) => ({ value, label: t(`entryStatus.${value}`) })),
      tiers: Array.from({ length: NETWORK_LEVELS }, (_, i) => ({ value: String(i + 1), label: t("commissions.tierN", { tier: i + 1 }) })),
      products: options.products.map((p) => ({ value: p.id, label: p.name })),
    },
    page,
    hasMore: result.hasMore,
    totals: { count: result.totals.count, amount: money(result.totals.amountMinor, tenant.currency) },
    rows: result.rows.map((e) => ({
      id: e.id,
      date: formatDate(e.earnedAt, tenant.locale, tenant.timeZone),
      dateIso: e.earnedAt.toISOString(),
      month: monthLabel(e.month, tenant.locale),
      kind: e.kind,
      kindLabel:
        e.kind === "clawback" && e.clawbackSource
          ? `${t("entryKind.clawback")} · ${t(`clawbackSource.${e.clawbackSource}`)}`
          : t(`entryKind.${e.kind}`),
      product: e.productName,
      frequency: e.frequency ? t(`commissionFrequency.${e.frequency}`) : null,
      tier: e.tier,
      seller: e.seller ? `${e.seller.name} (${e.seller.agentNumber})` : null,
      base: e.baseMinor === null ? null : money(e.baseMinor, e.currency),
      rate: e.rateBp !== null ? formatRate(e.rateBp) : e.kind === "earning" ? t("commissions.fixed") : null,
      amount: money(e.amountMinor, e.currency),
      negative: e.amountMinor < 0,
      status: e.status,
      statusLabel: t(`entryStatus.${e.status}`),
      passedFrom: e.passedFrom
        ? e.movedReason
          ? t("commissions.passedFromBecause", {
              agent: `${e.passedFrom.name} (${e.passedFrom.agentNumber})`,
              reason: t(`commissions.movedReason.${e.movedReason}`),
            })
          : t("commissions.passedFrom", { agent: `${e.passedFrom.name} (${e.passedFrom.agentNumber})` })
        : null,
      withheld: e.withheldMinor ? t("commissions.withheld", { amount: money(e.withheldMinor, e.currency) }) : null,
      note: e.note,
      dispute: e.dispute ? { id: e.dispute.id, label: t(`disputeStatus.${e.dispute.status}`) } : null,
      disputable: e.disputable,
    })),
  });
}

export default function AgentCommissions() {
  const { ignored, filters, filtered, csvHref, timeZone, options, page, hasMore, totals, rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("commissions.title")}</h1>
          <p className="muted">{t("commissions.intro", { zone: timeZone.replace("_", " ") })}</p>
        </div>
        <a href={csvHref} className="btn btn-secondary" download>
          {t("commissions.download")}
        </a>
      </div>

      <Form method="get" className="filters" role="search" aria-label={t("commissions.filter")}>
        <FilterSelect
          id="c-month"
          name="month"
          label={t("commissions.month")}
          any={t("commissions.anyMonth")}
          value={filters.month}
          options={options.months}
        />
        <FilterSelect
          id="c-kind"
          name="kind"
          label={t("commissions.kind")}
          any={t("commissions.anyKind")}
          value={filters.kind}
          options={options.kinds}
        />
        <FilterSelect
          id="c-status"
          name="status"
          label={t("commissions.status")}
          any={t("commissions.anyStatus")}
          value={filters.status}
          options={options.statuses}
        />
        <FilterSelect
          id="c-tier"
          name="tier"
          label={t("commissions.tier")}
          any={t("commissions.anyTier")}
          value={filters.tier}
          options={options.tiers}
        />
        <FilterSelect
          id="c-product"
          name="product"
          label={t("commissions.product")}
          any={t("commissions.anyProduct")}
          value={filters.product}
          options={options.products}
        />
        <FilterActions path="/agent/commissions" filtered={filtered} />
      </Form>

      <IgnoredFilters ignored={ignored} />
      <ul className="stat-grid money-stats" aria-label={filtered ? t("commissions.totalsFiltered") : t("commissions.totalsAll")}>
        <li className="stat">
          <span className="stat-value">{totals.count}</span>
          <span className="stat-label">{t("commissions.entries", { count: totals.count })}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{totals.amount}</span>
          <span className="stat-label">{t("commissions.total")}</span>
        </li>
      </ul>

      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("commissions.noMatch")} <Link to="/agent/commissions">{t("commissions.showAll")}</Link>
            </p>
          ) : (
            <p>{t("commissions.none")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("commissions.date")}</th>
                <th scope="col">{t("commissions.product")}</th>
                <th scope="col">{t("commissions.tier")}</th>
                <th scope="col">{t("commissions.base")}</th>
                <th scope="col">{t("commissions.rate")}</th>
                <th scope="col">{t("commissions.amount")}</th>
                <th scope="col">{t("commissions.status")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("commissions.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td data-label={t("commissions.date")}>
                    <span>
                      <time dateTime={e.dateIso}>{e.date}</time>
                      <br />
                      <span className="muted small">
                        {e.kindLabel} · {e.month}
                      </span>
                    </span>
                  </td>
                  <td data-label={t("commissions.product")}>
                    <span className="break">
                      {e.product ?? <span className="muted">—</span>}
                      {e.frequency ? <span className="muted small"> · {e.frequency}</span> : null}
                      {e.note ? (
                        <>
                          <br />
                          <span className="muted small">{e.note}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("commissions.tier")}>
                    <span>
                      {e.tier ?? <span className="muted">—</span>}
                      {e.seller ? (
                        <>
                          <br />
                          <span className="muted small">{t("commissions.soldBy", { seller: e.seller })}</span>
                        </>
                      ) : null}
                      {e.passedFrom ? (
                        <>
                          <br />
                          <span className="muted small">{e.passedFrom}</span>
                        </>
                      ) : null}
                      {e.withheld ? (
                        <>
                          <br />
                          <span className="muted small">{e.withheld}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("commissions.base")}>{e.base ?? <span className="muted">—</span>}</td>
                  <td data-label={t("commissions.rate")}>{e.rate ?? <span className="muted">—</span>}</td>
                  <td data-label={t("commissions.amount")}>
                    <strong className={e.negative ? "negative" : undefined}>{e.amount}</strong>
                  </td>
                  <td data-label={t("commissions.status")}>
                    <PortalBadge status={e.status} label={e.statusLabel} />
                  </td>
                  <td data-label={t("commissions.actions")}>
                    {e.dispute ? (
                      <Link to={`/agent/disputes/${e.dispute.id}`}>
                        <Trans
                          t={t}
                          i18nKey="commissions.disputeOf"
                          values={{ status: e.dispute.label.toLowerCase(), date: e.date }}
                          components={{ hidden: <span className="visually-hidden" /> }}
                        />
                      </Link>
                    ) : null}
                    {e.disputable ? (
                      <>
                        {e.dispute ? <br /> : null}
                        <Link to={`/agent/disputes?entry=${e.id}`}>
                          <Trans
                            t={t}
                            i18nKey="commissions.dispute"
                            values={{ date: e.date, amount: e.amount }}
                            components={{ hidden: <span className="visually-hidden" /> }}
                          />
                        </Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commissions");

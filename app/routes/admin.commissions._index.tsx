import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { EntryStatusBadge } from "~/components/commissions/badges";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { can } from "~/modules/auth/permissions";
import { ledgerFilterOptions, ledgerFiltersFrom, ledgerFiltersQuery, listLedger } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { formatRate } from "~/modules/commissions/calculate";
import { ENTRY_KINDS, ENTRY_STATUSES } from "~/modules/commissions/labels";
import { monthLabel } from "~/modules/commissions/months";
import { serverT } from "~/modules/i18n/i18n.server";

/** /admin/commissions — the commission ledger: every entry, filtered by the URL, with totals and a CSV of the filter. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const { filters, ignored } = ledgerFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const [result, options] = await withTenant(tenant.id, (db) => Promise.all([listLedger(db, filters, { page }), ledgerFilterOptions(db)]));
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const query = ledgerFiltersQuery(filters);
  const months = filters.month && !options.months.includes(filters.month) ? [filters.month, ...options.months] : options.months;
  const t = await serverT(tenant.language, "admin-network");
  return json({
    title: t("ledger.title"),
    ignored,
    filters: {
      month: filters.month ?? "",
      agent: filters.agent ?? "",
      kind: filters.kind ?? "",
      status: filters.status ?? "",
      tier: filters.tier ? String(filters.tier) : "",
      product: filters.product ?? "",
    },
    filtered: query !== "",
    csvHref: `/admin/commissions.csv${query ? `?${query}` : ""}`,
    canSeeTransactions: can(user.roles, "read:transaction:any"),
    options: {
      months: months.map((m) => ({ value: m, label: monthLabel(m, tenant.locale) })),
      kinds: ENTRY_KINDS.map((k) => ({ value: k, label: t(`entryKind.${k}`) })),
      statuses: ENTRY_STATUSES.map((s) => ({ value: s, label: t(`entryStatus.${s}`) })),
      tiers: Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), label: t("ledger.tierN", { tier: i + 1 }) })),
      products: options.products.map((p) => ({ value: p.id, label: p.name })),
    },
    page,
    hasMore: result.hasMore,
    totals: {
      count: result.totals.count,
      byCurrency: result.totals.byCurrency.map((c) => ({
        currency: c.currency,
        count: c.count,
        total: money(c.totalMinor, c.currency),
        byKind: c.byKind.map((k) => ({
          kind: k.kind,
          label: t(`entryKindPlural.${k.kind}`),
          count: k.count,
          total: money(k.totalMinor, c.currency),
        })),
      })),
    },
    rows: result.rows.map((e) => ({
      id: e.id,
      created: formatDate(e.createdAt, tenant.locale, tenant.timeZone),
      createdIso: e.createdAt.toISOString(),
      month: monthLabel(e.month, tenant.locale),
      monthValue: e.month,
      kind:
        e.clawbackSource && e.kind === "clawback"
          ? `${t("entryKind.clawback")} · ${t(`clawbackSource.${e.clawbackSource}`)}`
          : t(`entryKind.${e.kind}`),
      tier: e.tier,
      status: e.status,
      statusLabel: t(`entryStatus.${e.status}`),
      amount: money(e.amountMinor, e.currency),
      negative: e.amountMinor < 0,
      basis:
        e.baseMinor !== null
          ? e.rateBp !== null
            ? t("ledger.basisRate", { rate: formatRate(e.rateBp), base: money(e.baseMinor, e.currency) })
            : t("ledger.basisFixed", { base: money(e.baseMinor, e.currency) })
          : null,
      agentNumber: e.agentNumber,
      agentName: e.agentName,
      product: e.productName,
      frequency: e.frequency ? t(`frequency.${e.frequency}`) : null,
      seller: e.sellerNumber && e.sellerNumber !== e.agentNumber ? e.sellerNumber : null,
      passedFrom: e.passedFromNumber
        ? e.movedReason
          ? t("ledger.passedUpFromBecause", { number: e.passedFromNumber, reason: t(`ledger.movedReason.${e.movedReason}`) })
          : t("ledger.passedUpFrom", { number: e.passedFromNumber })
        : null,
      withheld: e.withheldMinor ? t("ledger.withheld", { amount: money(e.withheldMinor, e.currency) }) : null,
      note: e.note,
      transactionId: e.transactionId,
      disputeId: e.disputeId,
    })),
  });
}

export default function CommissionLedger() {
  const { ignored, filters, filtered, csvHref, canSeeTransactions, options, page, hasMore, totals, rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-network");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("ledger.title")}</h1>
          <p className="muted">{t("ledger.intro")}</p>
        </div>
        <a href={csvHref} className="btn btn-secondary" download>
          {t("downloadCsv")}
        </a>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("ledger.filter")}>
        <div className="field grow">
          <label htmlFor="ledger-agent">{t("ledger.agentQuery")}</label>
          <input id="ledger-agent" type="search" name="agent" defaultValue={filters.agent} placeholder={t("ledger.agentExample")} />
        </div>
        <FilterSelect
          id="ledger-month"
          name="month"
          label={t("ledger.month")}
          any={t("ledger.anyMonth")}
          value={filters.month}
          options={options.months}
        />
        <FilterSelect
          id="ledger-kind"
          name="kind"
          label={t("ledger.kind")}
          any={t("ledger.anyKind")}
          value={filters.kind}
          options={options.kinds}
        />
        <FilterSelect
          id="ledger-status"
          name="status"
          label={t("agents.status")}
          any={t("ledger.anyStatus")}
          value={filters.status}
          options={options.statuses}
        />
        <FilterSelect
          id="ledger-tier"
          name="tier"
          label={t("ledger.tier")}
          any={t("ledger.anyTier")}
          value={filters.tier}
          options={options.tiers}
        />
        <FilterSelect
          id="ledger-product"
          name="product"
          label={t("rules.product")}
          any={t("ledger.anyProduct")}
          value={filters.product}
          options={options.products}
        />
        <FilterActions path="/admin/commissions" filtered={filtered} label={t("filter")} />
      </Form>

      <IgnoredFilters ignored={ignored} />
      <section aria-labelledby="ledger-totals-title">
        <h2 id="ledger-totals-title" className="visually-hidden">
          {t("ledger.totals")}
        </h2>
        <ul className="stat-grid money-stats" aria-label={filtered ? t("ledger.totalsFiltered") : t("ledger.totalsAll")}>
          <li className="stat">
            <span className="stat-value">{totals.count}</span>
            <span className="stat-label">{t("ledger.entries", { count: totals.count })}</span>
          </li>
          {totals.byCurrency.map((c) => {
            const suffix = totals.byCurrency.length > 1 ? ` (${c.currency})` : "";
            return (
              <Fragment key={c.currency}>
                <li className="stat">
                  <span className="stat-value">{c.total}</span>
                  <span className="stat-label">
                    {t("ledger.netTotal")}
                    {suffix}
                  </span>
                </li>
                {c.byKind.map((k) => (
                  <li className="stat" key={k.kind}>
                    <span className="stat-value">{k.total}</span>
                    <span className="stat-label">
                      {k.label} ({k.count}){suffix}
                    </span>
                  </li>
                ))}
              </Fragment>
            );
          })}
        </ul>
      </section>

      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("ledger.noMatch")} <Link to="/admin/commissions">{t("ledger.showAll")}</Link>
            </p>
          ) : (
            <p>{t("ledger.none")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("ledger.date")}</th>
                <th scope="col">{t("agents.agent")}</th>
                <th scope="col">{t("ledger.entry")}</th>
                <th scope="col">{t("rules.product")}</th>
                <th scope="col">{t("ledger.amount")}</th>
                <th scope="col">{t("agents.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td data-label={t("ledger.date")}>
                    <span>
                      <time dateTime={e.createdIso}>{e.created}</time>
                      <br />
                      <Link className="muted small" to={`/admin/commissions?month=${e.monthValue}`}>
                        {e.month}
                      </Link>
                    </span>
                  </td>
                  <td data-label={t("agents.agent")}>
                    <span className="break">
                      <Link to={`/admin/commissions?agent=${e.agentNumber}`}>{e.agentNumber}</Link> {e.agentName}
                    </span>
                  </td>
                  <td data-label={t("ledger.entry")}>
                    <span>
                      {e.kind}
                      {e.tier ? ` · T${e.tier}` : ""}
                      {e.seller ? <span className="muted small"> · {t("ledger.soldBy", { number: e.seller })}</span> : null}
                      {e.passedFrom ? <span className="muted small"> · {e.passedFrom}</span> : null}
                      {e.withheld ? <span className="muted small"> · {e.withheld}</span> : null}
                      {e.note ? (
                        <>
                          <br />
                          <span className="muted small break">{e.note}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("rules.product")}>
                    <span className="break">
                      {e.product ?? <span className="muted">—</span>}
                      {e.frequency ? <span className="muted small"> · {e.frequency}</span> : null}
                      {e.transactionId && canSeeTransactions ? (
                        <>
                          <br />
                          <Link className="small" to={`/admin/transactions/${e.transactionId}`}>
                            {t("ledger.payment")}
                          </Link>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("ledger.amount")}>
                    <span>
                      <strong className={e.negative ? "negative" : undefined}>{e.amount}</strong>
                      {e.basis ? (
                        <>
                          <br />
                          <span className="muted small">{e.basis}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("agents.status")}>
                    <span>
                      <EntryStatusBadge status={e.status} label={e.statusLabel} />
                      {e.disputeId ? (
                        <>
                          <br />
                          <Link className="small" to={`/admin/commissions/disputes/${e.disputeId}`}>
                            {t("ledger.dispute")}
                          </Link>
                        </>
                      ) : null}
                    </span>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission ledger");

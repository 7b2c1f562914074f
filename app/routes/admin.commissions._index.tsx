// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
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
import { ENTRY_KINDS, ENTRY_KIND_LABELS, ENTRY_STATUSES, ENTRY_STATUS_LABELS, entryKindLabel } from "~/modules/commissions/labels";
import { monthLabel } from "~/modules/commissions/months";
import { FREQUENCY_LABELS } from "~/modules/rating/rules";

/** /admin/commissions — the commission ledger: every entry, filtered by the URL, with totals and a CSV of the filter. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const { filters, ignored } = ledgerFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const [result, options] = await withTenant(tenant.id, (db) => Promise.all([listLedger(db, filters, { page }), ledgerFilterOptions(db)]));
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const query = ledgerFiltersQuery(filters);
  const months = filters.month && !options.months.includes(filters.month) ? [filters.month, ...options.months] : options.months;
  return json({
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
      months: months.map((m) => ({ value: m, label: monthLabel(m) })),
      kinds: ENTRY_KINDS.map((k) => ({ value: k, label: ENTRY_KIND_LABELS[k] })),
      statuses: ENTRY_STATUSES.map((s) => ({ value: s, label: ENTRY_STATUS_LABELS[s] })),
      tiers: Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), label: `Tier ${i + 1}` })),
      products: options.products.map((p) => ({ value: p.id, label: p.name })),
    },
    page,
    hasMore: result.hasMore,
    totals: {
      count: result.totals.count,
      byCurrency: result.totals.byCurrency.map((t) => ({
        currency: t.currency,
        count: t.count,
        total: money(t.totalMinor, t.currency),
        byKind: t.byKind.map((k) => ({
          kind: k.kind,
          label: ENTRY_KIND_LABELS[k.kind],
          count: k.count,
          total: money(k.totalMinor, t.currency),
        })),
      })),
    },
    rows: result.rows.map((e) => ({
      id: e.id,
      created: formatDate(e.createdAt, tenant.locale, tenant.timeZone),
      createdIso: e.createdAt.toISOString(),
      month: monthLabel(e.month),
      monthValue: e.month,
      kind: entryKindLabel(e.kind, e.clawbackSource),
      tier: e.tier,
      status: e.status,
      statusLabel: ENTRY_STATUS_LABELS[e.status],
      amount: money(e.amountMinor, e.currency),
      negative: e.amountMinor < 0,
      basis:
        e.baseMinor !== null
          ? e.rateBp !== null
            ? `${formatRate(e.rateBp)} of ${money(e.baseMinor, e.currency)}`
            : `Fixed · payment ${money(e.baseMinor, e.currency)}`
          : null,
      agentNumber: e.agentNumber,
      agentName: e.agentName,
      product: e.productName,
      frequency: e.frequency ? FREQUENCY_LABELS[e.frequency] : null,
      seller: e.sellerNumber && e.sellerNumber !== e.agentNumber ? e.sellerNumber : null,
      passedFrom: e.passedFromNumber,
      note: e.note,
      transactionId: e.transactionId,
      disputeId: e.disputeId,
    })),
  });
}

export default function CommissionLedger() {
  const { ignored, filters, filtered, csvHref, canSeeTransactions, options, page, hasMore, totals, rows } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Commission ledger</h1>
          <p className="muted">
            Every commission entry, newest first. Entries are never edited: a refund writes a clawback, a cap or a dispute an adjusting
            entry.
          </p>
        </div>
        <a href={csvHref} className="btn btn-secondary" download>
          Download CSV
        </a>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter commission entries">
        <div className="field grow">
          <label htmlFor="ledger-agent">Agent number or name</label>
          <input id="ledger-agent" type="search" name="agent" defaultValue={filters.agent} placeholder="e.g. 10023 or Aisyah" />
        </div>
        <FilterSelect id="ledger-month" name="month" label="Month" any="Any month" value={filters.month} options={options.months} />
        <FilterSelect id="ledger-kind" name="kind" label="Kind" any="Any kind" value={filters.kind} options={options.kinds} />
        <FilterSelect id="ledger-status" name="status" label="Status" any="Any status" value={filters.status} options={options.statuses} />
        <FilterSelect id="ledger-tier" name="tier" label="Tier" any="Any tier" value={filters.tier} options={options.tiers} />
        <FilterSelect
          id="ledger-product"
          name="product"
          label="Product"
          any="Any product"
          value={filters.product}
          options={options.products}
        />
        <FilterActions path="/admin/commissions" filtered={filtered} />
      </Form>

      <IgnoredFilters ignored={ignored} />
      <section aria-labelledby="ledger-totals-title">
        <h2 id="ledger-totals-title" className="visually-hidden">
          Totals
        </h2>
        <ul className="stat-grid money-stats" aria-label={filtered ? "Totals of the filtered entries" : "Totals of all entries"}>
          <li className="stat">
            <span className="stat-value">{totals.count}</span>
            <span className="stat-label">{totals.count === 1 ? "Entry" : "Entries"}</span>
          </li>
          {totals.byCurrency.map((t) => {
            const suffix = totals.byCurrency.length > 1 ? ` (${t.currency})` : "";
            return (
              <Fragment key={t.currency}>
                <li className="stat">
                  <span className="stat-value">{t.total}</span>
                  <span className="stat-label">Net total{suffix}</span>
                </li>
                {t.byKind.map((k) => (
                  <li className="stat" key={k.kind}>
                    <span className="stat-value">{k.total}</span>
                    <span className="stat-label">
                      {k.label}s ({k.count}){suffix}
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
              No entry matches these filters. <Link to="/admin/commissions">Show every entry</Link>
            </p>
          ) : (
            <p>No commission yet. Each completed payment of a sale made by an agent writes one entry per tier that earns.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Agent</th>
                <th scope="col">Entry</th>
                <th scope="col">Product</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td data-label="Date">
                    <span>
                      <time dateTime={e.createdIso}>{e.created}</time>
                      <br />
                      <Link className="muted small" to={`/admin/commissions?month=${e.monthValue}`}>
                        {e.month}
                      </Link>
                    </span>
                  </td>
                  <td data-label="Agent">
                    <span className="break">
                      <Link to={`/admin/commissions?agent=${e.agentNumber}`}>{e.agentNumber}</Link> {e.agentName}
                    </span>
                  </td>
                  <td data-label="Entry">
                    <span>
                      {e.kind}
                      {e.tier ? ` · T${e.tier}` : ""}
                      {e.seller ? <span className="muted small"> · sold by {e.seller}</span> : null}
                      {e.passedFrom ? <span className="muted small"> · passed up from {e.passedFrom}</span> : null}
                      {e.note ? (
                        <>
                          <br />
                          <span className="muted small break">{e.note}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Product">
                    <span className="break">
                      {e.product ?? <span className="muted">—</span>}
                      {e.frequency ? <span className="muted small"> · {e.frequency}</span> : null}
                      {e.transactionId && canSeeTransactions ? (
                        <>
                          <br />
                          <Link className="small" to={`/admin/transactions/${e.transactionId}`}>
                            Payment
                          </Link>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Amount">
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
                  <td data-label="Status">
                    <span>
                      <EntryStatusBadge status={e.status} label={e.statusLabel} />
                      {e.disputeId ? (
                        <>
                          <br />
                          <Link className="small" to={`/admin/commissions/disputes/${e.disputeId}`}>
                            Dispute
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Commission ledger");

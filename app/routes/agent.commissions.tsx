// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PortalBadge } from "~/components/agent/status";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { formatRate } from "~/modules/commissions/calculate";
import {
  DISPUTE_STATUS_LABELS,
  ENTRY_KIND_LABELS,
  ENTRY_STATUS_LABELS,
  entryKindLabel,
  FREQUENCY_LABELS,
} from "~/modules/commissions/labels";
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
  return json({
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
      kinds: Object.entries(ENTRY_KIND_LABELS).map(([value, label]) => ({ value, label })),
      statuses: Object.entries(ENTRY_STATUS_LABELS).map(([value, label]) => ({ value, label })),
      tiers: Array.from({ length: NETWORK_LEVELS }, (_, i) => ({ value: String(i + 1), label: `Tier ${i + 1}` })),
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
      kindLabel: entryKindLabel(e.kind, e.clawbackSource),
      product: e.productName,
      frequency: e.frequency ? FREQUENCY_LABELS[e.frequency] : null,
      tier: e.tier,
      seller: e.seller ? `${e.seller.name} (${e.seller.agentNumber})` : null,
      base: e.baseMinor === null ? null : money(e.baseMinor, e.currency),
      rate: e.rateBp !== null ? formatRate(e.rateBp) : e.kind === "earning" ? "Fixed" : null,
      amount: money(e.amountMinor, e.currency),
      negative: e.amountMinor < 0,
      status: e.status,
      statusLabel: ENTRY_STATUS_LABELS[e.status],
      passedFrom: e.passedFrom ? `${e.passedFrom.name} (${e.passedFrom.agentNumber})` : null,
      note: e.note,
      dispute: e.dispute ? { id: e.dispute.id, label: DISPUTE_STATUS_LABELS[e.dispute.status] } : null,
      disputable: e.disputable,
    })),
  });
}

export default function AgentCommissions() {
  const { ignored, filters, filtered, csvHref, timeZone, options, page, hasMore, totals, rows } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Commissions</h1>
          <p className="muted">Your ledger, newest first. Dates are days in {timeZone.replace("_", " ")}.</p>
        </div>
        <a href={csvHref} className="btn btn-secondary" download>
          Download CSV
        </a>
      </div>

      <Form method="get" className="filters" role="search" aria-label="Filter commissions">
        <FilterSelect id="c-month" name="month" label="Month" any="Any month" value={filters.month} options={options.months} />
        <FilterSelect id="c-kind" name="kind" label="Kind" any="Any kind" value={filters.kind} options={options.kinds} />
        <FilterSelect id="c-status" name="status" label="Status" any="Any status" value={filters.status} options={options.statuses} />
        <FilterSelect id="c-tier" name="tier" label="Tier" any="Any tier" value={filters.tier} options={options.tiers} />
        <FilterSelect id="c-product" name="product" label="Product" any="Any product" value={filters.product} options={options.products} />
        <FilterActions path="/agent/commissions" filtered={filtered} />
      </Form>

      <IgnoredFilters ignored={ignored} />
      <ul className="stat-grid money-stats" aria-label={filtered ? "Totals of the filtered entries" : "Totals of all your entries"}>
        <li className="stat">
          <span className="stat-value">{totals.count}</span>
          <span className="stat-label">{totals.count === 1 ? "Entry" : "Entries"}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{totals.amount}</span>
          <span className="stat-label">Total</span>
        </li>
      </ul>

      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No entry matches these filters. <Link to="/agent/commissions">Show all your entries</Link>
            </p>
          ) : (
            <p>No commission yet. Each payment on a sale by you or your downline adds its entries here.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Product</th>
                <th scope="col">Tier</th>
                <th scope="col">Base</th>
                <th scope="col">Rate</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td data-label="Date">
                    <span>
                      <time dateTime={e.dateIso}>{e.date}</time>
                      <br />
                      <span className="muted small">
                        {e.kindLabel} · {e.month}
                      </span>
                    </span>
                  </td>
                  <td data-label="Product">
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
                  <td data-label="Tier">
                    <span>
                      {e.tier ?? <span className="muted">—</span>}
                      {e.seller ? (
                        <>
                          <br />
                          <span className="muted small">Sold by {e.seller}</span>
                        </>
                      ) : null}
                      {e.passedFrom ? (
                        <>
                          <br />
                          <span className="muted small">Passed up from {e.passedFrom}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Base">{e.base ?? <span className="muted">—</span>}</td>
                  <td data-label="Rate">{e.rate ?? <span className="muted">—</span>}</td>
                  <td data-label="Amount">
                    <strong className={e.negative ? "negative" : undefined}>{e.amount}</strong>
                  </td>
                  <td data-label="Status">
                    <PortalBadge status={e.status} label={e.statusLabel} />
                  </td>
                  <td data-label="Actions">
                    {e.dispute ? (
                      <Link to={`/agent/disputes/${e.dispute.id}`}>
                        Dispute ({e.dispute.label.toLowerCase()})<span className="visually-hidden"> of the entry of {e.date}</span>
                      </Link>
                    ) : null}
                    {e.disputable ? (
                      <>
                        {e.dispute ? <br /> : null}
                        <Link to={`/agent/disputes?entry=${e.id}`}>
                          Dispute
                          <span className="visually-hidden">
                            {" "}
                            the entry of {e.date}, {e.amount}
                          </span>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Commissions");

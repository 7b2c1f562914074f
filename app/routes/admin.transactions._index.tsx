// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { StatusBadge } from "~/components/admin/status-badge";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import {
  listTransactions,
  METHOD_LABELS,
  PROVIDER_LABELS,
  TRANSACTION_STATUS_LABELS,
  transactionFiltersFrom,
  transactionFiltersQuery,
} from "~/modules/payments/transactions-admin.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:transaction:any");
  const { filters, ignored } = transactionFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listTransactions(db, filters, { page, timeZone: tenant.timeZone }));
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const query = transactionFiltersQuery(filters);
  return json({
    filters: {
      q: filters.q ?? "",
      status: filters.status ?? "",
      method: filters.method ?? "",
      provider: filters.provider ?? "",
      from: filters.from ?? "",
      to: filters.to ?? "",
    },
    filtered: query !== "",
    ignored,
    csvHref: `/admin/transactions.csv${query ? `?${query}` : ""}`,
    timeZone: tenant.timeZone,
    options: {
      statuses: Object.entries(TRANSACTION_STATUS_LABELS).map(([value, label]) => ({ value, label })),
      methods: Object.entries(METHOD_LABELS).map(([value, label]) => ({ value, label })),
      providers: Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label })),
    },
    page,
    hasMore: result.hasMore,
    totals: {
      count: result.totals.count,
      byCurrency: result.totals.byCurrency.map((t) => ({
        currency: t.currency,
        count: t.count,
        amount: money(t.amountMinor, t.currency),
        refunded: t.refundedMinor > 0 ? money(t.refundedMinor, t.currency) : null,
        net: money(t.netMinor, t.currency),
      })),
    },
    rows: result.rows.map((t) => ({
      id: t.id,
      at: formatDateTime(t.createdAt, tenant.locale, tenant.timeZone),
      atIso: t.createdAt.toISOString(),
      status: t.status,
      statusLabel: TRANSACTION_STATUS_LABELS[t.status],
      provider: PROVIDER_LABELS[t.provider],
      method: METHOD_LABELS[t.method],
      live: t.mode === "live",
      amount: money(t.amountMinor, t.currency),
      refunded: t.refundedMinor > 0 ? money(t.refundedMinor, t.currency) : null,
      orderReference: t.orderReference,
      customerName: t.customerName,
      customerEmail: t.customerEmail,
      providerReceipt: t.providerReceipt,
      failureMessage: t.failureMessage,
    })),
  });
}

export default function AdminTransactions() {
  const { filters, filtered, ignored, csvHref, timeZone, options, page, hasMore, totals, rows } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Transactions</h1>
          <p className="muted">Every payment attempt, newest first. Dates are days in {timeZone.replace("_", " ")}.</p>
        </div>
        <a href={csvHref} className="btn btn-secondary" download>
          Download CSV
        </a>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter transactions">
        <div className="field grow">
          <label htmlFor="tx-q">Order, receipt or provider ref</label>
          <input id="tx-q" type="search" name="q" defaultValue={filters.q} placeholder="e.g. BWM-ORD-2026-000012 or NLJ7RT61SV" />
        </div>
        <FilterSelect id="tx-status" name="status" label="Status" any="Any status" value={filters.status} options={options.statuses} />
        <FilterSelect id="tx-method" name="method" label="Method" any="Any method" value={filters.method} options={options.methods} />
        <FilterSelect
          id="tx-provider"
          name="provider"
          label="Provider"
          any="Any provider"
          value={filters.provider}
          options={options.providers}
        />
        <div className="field">
          <label htmlFor="tx-from">From</label>
          <input id="tx-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="tx-to">To</label>
          <input id="tx-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <FilterActions path="/admin/transactions" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />

      <section aria-labelledby="totals-title">
        <h2 id="totals-title" className="visually-hidden">
          Totals
        </h2>
        <ul className="stat-grid money-stats" aria-label={filtered ? "Totals of the filtered transactions" : "Totals of all transactions"}>
          <li className="stat">
            <span className="stat-value">{totals.count}</span>
            <span className="stat-label">{totals.count === 1 ? "Transaction" : "Transactions"}</span>
          </li>
          {totals.byCurrency.map((t) => {
            const suffix = totals.byCurrency.length > 1 ? ` (${t.count} in ${t.currency})` : "";
            return (
              <Fragment key={t.currency}>
                <li className="stat">
                  <span className="stat-value">{t.amount}</span>
                  <span className="stat-label">Amount{suffix}</span>
                </li>
                {t.refunded ? (
                  <li className="stat">
                    <span className="stat-value">{t.refunded}</span>
                    <span className="stat-label">Refunded{suffix}</span>
                  </li>
                ) : null}
                <li className="stat">
                  <span className="stat-value">{t.net}</span>
                  <span className="stat-label">Collected, less refunds{suffix}</span>
                </li>
              </Fragment>
            );
          })}
        </ul>
      </section>

      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No transaction matches these filters. <Link to="/admin/transactions">Show all transactions</Link>
            </p>
          ) : (
            <p>No payments yet. Each checkout payment appears here as soon as the customer starts paying.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Method</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Receipt</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td data-label="Date">
                    <Link to={`/admin/transactions/${t.id}`}>
                      <time dateTime={t.atIso}>{t.at}</time>
                    </Link>
                  </td>
                  <td data-label="Order">
                    <span className="break">{t.orderReference ?? <span className="muted">—</span>}</span>
                  </td>
                  <td data-label="Customer">
                    <span className="break">
                      {t.customerName}
                      <br />
                      <span className="muted small">{t.customerEmail}</span>
                    </span>
                  </td>
                  <td data-label="Method">
                    <span>
                      {t.method} <span className="muted small">via {t.provider}</span>
                      {t.live ? null : (
                        <>
                          {" "}
                          <span className="badge">Test</span>
                        </>
                      )}
                    </span>
                  </td>
                  <td data-label="Amount">
                    <span>
                      {t.amount}
                      {t.refunded ? (
                        <>
                          <br />
                          <span className="muted small">{t.refunded} refunded</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Status">
                    <span>
                      <StatusBadge status={t.status} label={t.statusLabel} />
                      {t.failureMessage ? (
                        <>
                          <br />
                          <span className="muted small">{t.failureMessage}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Receipt">
                    <span className="break">{t.providerReceipt ?? <span className="muted">—</span>}</span>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Transactions");

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/admin/status-badge";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { listPolicies, POLICY_STATUS_LABELS, policyFiltersFrom } from "~/modules/policies/admin.server";
import { FREQUENCY_LABELS, quoteDateIn } from "~/modules/rating";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:policy:any");
  const { filters, ignored } = policyFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listPolicies(db, { ...filters, page, today: quoteDateIn(tenant.timeZone) }));
  const date = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  return json({
    filters: { q: filters.q ?? "", status: filters.status ?? "", ending: filters.ending ?? "" },
    ignored,
    statuses: Object.entries(POLICY_STATUS_LABELS).map(([value, label]) => ({ value, label })),
    page,
    hasMore: result.hasMore,
    total: result.total,
    canSeeTransactions: can(user.roles, "read:transaction:any"),
    canUnderwrite: can(user.roles, "underwrite:policy:any"),
    rows: result.rows.map((p) => ({
      id: p.id,
      number: p.policyNumber,
      status: p.status,
      statusLabel: POLICY_STATUS_LABELS[p.status],
      product: p.productName,
      insurer: p.insurerName,
      customerName: p.customerName,
      customerEmail: p.customerEmail,
      orderReference: p.orderReference,
      paidTransactionId: p.paidTransactionId,
      premium: `${formatMoney(p.instalmentMinor, p.currency, tenant.locale)} ${FREQUENCY_LABELS[p.frequency]?.toLowerCase() ?? p.frequency}`,
      cover: p.startDate ? `${date(p.startDate)} – ${date(p.endDate) ?? "…"}` : null,
      created: formatDate(p.createdAt, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function AdminPolicies() {
  const { ignored, filters, statuses, page, hasMore, total, rows, canSeeTransactions, canUnderwrite } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.status || filters.ending);
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Policies</h1>
          <p className="muted">
            {total === 1 ? "1 policy" : `${total} policies`}
            {filtered ? " match these filters" : ""}, newest first.
          </p>
        </div>
        {canUnderwrite ? <Link to="/admin/underwriting">Underwriting queue →</Link> : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter policies">
        <div className="field grow">
          <label htmlFor="policies-q">Policy number, customer email or order</label>
          <input id="policies-q" type="search" name="q" defaultValue={filters.q} placeholder="e.g. BWM-POL-2026-000123 or amina@" />
        </div>
        <div className="field">
          <label htmlFor="policies-status">Status</label>
          <select id="policies-status" name="status" defaultValue={filters.status}>
            <option value="">Any status</option>
            {statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="policies-ending">Renewal</label>
          <select id="policies-ending" name="ending" defaultValue={filters.ending}>
            <option value="">Any end date</option>
            <option value="soon">Ending within 30 days, not renewed</option>
          </select>
        </div>
        <FilterActions path="/admin/policies" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No policy matches these filters. <Link to="/admin/policies">Show all policies</Link>
            </p>
          ) : (
            <p>No policies yet. A policy appears here as soon as its order is paid.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Product</th>
                <th scope="col">Customer</th>
                <th scope="col">Premium</th>
                <th scope="col">Status</th>
                <th scope="col">Payment</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id}>
                  <td data-label="Policy">
                    <span className="break">
                      {p.status === "pending_underwriting" && canUnderwrite ? (
                        <Link to={`/admin/underwriting/${p.id}`}>{p.number ?? "Review"}</Link>
                      ) : (
                        <Link to={`/admin/policies/${p.id}`}>{p.number ?? "Not numbered"}</Link>
                      )}
                      <br />
                      <span className="muted small">{p.cover ?? `created ${p.created}`}</span>
                    </span>
                  </td>
                  <td data-label="Product">
                    <span>
                      {p.product}
                      <br />
                      <span className="muted small">{p.insurer}</span>
                    </span>
                  </td>
                  <td data-label="Customer">
                    <span className="break">
                      {p.customerName}
                      <br />
                      <span className="muted small">{p.customerEmail}</span>
                    </span>
                  </td>
                  <td data-label="Premium">{p.premium}</td>
                  <td data-label="Status">
                    <StatusBadge status={p.status} label={p.statusLabel} />
                  </td>
                  <td data-label="Payment">
                    {canSeeTransactions ? (
                      p.paidTransactionId ? (
                        <Link to={`/admin/transactions/${p.paidTransactionId}`}>{p.orderReference}</Link>
                      ) : (
                        <Link to={`/admin/transactions?q=${encodeURIComponent(p.orderReference)}`}>{p.orderReference}</Link>
                      )
                    ) : (
                      <span className="break">{p.orderReference}</span>
                    )}
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Policies");

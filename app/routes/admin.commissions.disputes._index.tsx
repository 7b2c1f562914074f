// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { DisputeStatusBadge } from "~/components/commissions/badges";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { agentIdByNumber } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { listDisputes } from "~/modules/commissions/disputes.server";
import { DISPUTE_STATUS_LABELS } from "~/modules/commissions/labels";
import { monthLabel } from "~/modules/commissions/months";
import { lineText } from "~/lib/text";

const filtersSchema = z.object({
  status: z.enum(["open", "rejected", "adjusted"]).optional().catch(undefined),
  agent: lineText()
    .regex(/^\d{5,6}$/)
    .optional()
    .catch(undefined),
});

/** /admin/commissions/disputes — agents' disputes of their commission entries, open ones first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:commission:any");
  const params = new URL(request.url).searchParams;
  const filters = filtersSchema.parse({ status: params.get("status") || undefined, agent: params.get("agent") || undefined });
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, async (db) => {
    const agentId = filters.agent ? await agentIdByNumber(db, filters.agent) : undefined;
    if (filters.agent && !agentId) return { rows: [], total: 0, pageSize: 25 };
    return listDisputes(db, { agentId, status: filters.status, page });
  });
  return json({
    filters: { status: filters.status ?? "", agent: filters.agent ?? "" },
    filtered: Boolean(filters.status || filters.agent),
    invalidAgent: Boolean(params.get("agent") && !filters.agent),
    page,
    hasMore: page * result.pageSize < result.total,
    total: result.total,
    rows: result.rows.map((d) => ({
      id: d.id,
      status: d.status,
      statusLabel: DISPUTE_STATUS_LABELS[d.status],
      reason: d.reason,
      opened: formatDateTime(d.createdAt, tenant.locale, tenant.timeZone),
      resolved: d.resolvedAt ? formatDateTime(d.resolvedAt, tenant.locale, tenant.timeZone) : null,
      agentId: d.agentId,
      agentNumber: d.agentNumber,
      agentName: d.agentName,
      amount: formatMoney(d.entryAmountMinor, d.currency, tenant.locale),
      month: monthLabel(d.month),
      product: d.productName,
      tier: d.tier,
    })),
  });
}

export default function CommissionDisputes() {
  const { filters, filtered, invalidAgent, page, hasMore, total, rows } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Disputes</h1>
          <p className="muted">
            Agents question a commission entry; resolve each by rejecting it (the entry stands) or adjusting it (a corrected entry replaces
            it). Open disputes first.
          </p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter disputes">
        <div className="field">
          <label htmlFor="disputes-agent">Agent number</label>
          <input id="disputes-agent" type="search" name="agent" inputMode="numeric" defaultValue={filters.agent} placeholder="e.g. 10023" />
        </div>
        <div className="field">
          <label htmlFor="disputes-status">Status</label>
          <select id="disputes-status" name="status" defaultValue={filters.status}>
            <option value="">Any status</option>
            {Object.entries(DISPUTE_STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered || invalidAgent ? <Link to="/admin/commissions/disputes">Clear</Link> : null}
      </Form>
      {invalidAgent ? <p className="field-error">An agent number has 5 or 6 digits: that filter was ignored.</p> : null}
      <p className="muted small">
        {total} {total === 1 ? "dispute" : "disputes"}
        {filtered ? " match" : ""}.
      </p>
      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No dispute matches these filters. <Link to="/admin/commissions/disputes">Show every dispute</Link>
            </p>
          ) : (
            <p>No disputes. Agents can dispute an entry from their commission history.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Opened</th>
                <th scope="col">Agent</th>
                <th scope="col">Entry</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td data-label="Opened">
                    <Link to={`/admin/commissions/disputes/${d.id}`}>{d.opened}</Link>
                  </td>
                  <td data-label="Agent">
                    <span className="break">
                      {d.agentNumber} {d.agentName}
                    </span>
                  </td>
                  <td data-label="Entry">
                    <span className="break">
                      {d.amount}
                      {d.tier ? ` · T${d.tier}` : ""}
                      <br />
                      <span className="muted small">
                        {d.product ? `${d.product} · ` : ""}
                        {d.month}
                      </span>
                    </span>
                  </td>
                  <td data-label="Reason">
                    <span className="break">{d.reason.length > 140 ? `${d.reason.slice(0, 140)}…` : d.reason}</span>
                  </td>
                  <td data-label="Status">
                    <span>
                      <DisputeStatusBadge status={d.status} label={d.statusLabel} />
                      {d.resolved ? <span className="muted small"> {d.resolved}</span> : null}
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Commission disputes");

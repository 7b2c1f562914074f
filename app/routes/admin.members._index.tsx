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
import { readFilters } from "~/lib/search-params";
import { listMembers } from "~/modules/members/members.server";
import { adminMemberFiltersSchema, MEMBER_STATUS_LABELS } from "~/modules/members/schemas";
import { MEMBER_STATUS_FILTERS } from "~/modules/members/status";
import { requireNetworkPermission } from "~/modules/network/guards.server";

/**
 * /admin/members — every member of the agency's network: by status, by agent (number), and searched
 * by name, email, phone or a full MyKad number (matched by its blind index, never stored plain).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:member:any");
  const { filters, ignored } = readFilters(adminMemberFiltersSchema, new URL(request.url).searchParams);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) =>
    listMembers(db, tenant.id, null, { q: filters.q, status: filters.status, agentNumber: filters.agent, page }),
  );
  return json({
    ignored,
    filters: { q: filters.q ?? "", status: filters.status ?? "", agent: filters.agent ?? "" },
    page,
    hasMore: result.hasMore,
    total: result.total,
    members: result.rows.map((m) => ({
      id: m.id,
      name: m.name,
      email: m.email,
      nric: m.nricMasked,
      status: m.status,
      statusLabel: MEMBER_STATUS_LABELS[m.status],
      agent: { id: m.agentId, name: m.agentName, number: m.agentNumber },
      policies: m.policies,
      since: formatDate(m.createdAt, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function AdminMembers() {
  const { ignored, filters, page, hasMore, total, members } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.status || filters.agent);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Members</h1>
          <p className="muted">
            The policyholders the agents registered: {total} {filtered ? "matching" : "in all"}.
          </p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter members">
        <div className="field grow">
          <label htmlFor="members-q">Name, email, phone or full MyKad number</label>
          <input id="members-q" type="search" name="q" defaultValue={filters.q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="members-status">Status</label>
          <select id="members-status" name="status" defaultValue={filters.status}>
            <option value="">All statuses</option>
            {MEMBER_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {MEMBER_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="members-agent">Agent number</label>
          <input id="members-agent" name="agent" inputMode="numeric" defaultValue={filters.agent} maxLength={6} />
        </div>
        <FilterActions path="/admin/members" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {members.length === 0 ? (
        <div className="card empty">
          <p>
            {filtered ? (
              <>
                No member matches these filters. <Link to="/admin/members">Show every member</Link>
              </>
            ) : (
              "No members yet: agents register them in the agent portal."
            )}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">MyKad</th>
                <th scope="col">Status</th>
                <th scope="col">Agent</th>
                <th scope="col">Policies</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td data-label="Member">
                    <span className="break">
                      <Link to={`/admin/members/${m.id}`}>{m.name}</Link>
                      <br />
                      <span className="muted small">{m.email}</span>
                    </span>
                  </td>
                  <td data-label="MyKad">
                    <span className="identifier">{m.nric}</span>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={m.status} label={m.statusLabel} />
                  </td>
                  <td data-label="Agent">
                    <Link to={`/admin/agents/${m.agent.id}`}>
                      {m.agent.name} ({m.agent.number})
                    </Link>
                  </td>
                  <td data-label="Policies">{m.policies}</td>
                  <td data-label="Since">{m.since}</td>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Members");

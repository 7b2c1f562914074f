import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { readFilters } from "~/lib/search-params";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { listMembers } from "~/modules/members/members.server";
import { memberFiltersSchema, MEMBER_STATUS_LABELS } from "~/modules/members/schemas";
import { inactiveAgentMessage, requireAgent } from "~/modules/network/current-agent.server";
import { IgnoredFilters } from "~/components/ui/filters";
import { StatusBadge } from "~/components/admin/status-badge";
import { MEMBER_STATUS_FILTERS } from "~/modules/members/status";

/** /agent/members — the agent's own members, searchable, 25 a page. Nobody else's members appear here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "register:member:own");
  const { filters, ignored } = readFilters(memberFiltersSchema, new URL(request.url).searchParams);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMembers(db, tenant.id, agent.id, { q: filters.q, status: filters.status, page }));
  return json({
    q: filters.q ?? "",
    status: filters.status ?? "",
    ignored,
    page,
    hasMore: result.hasMore,
    total: result.total,
    canRegister: inactiveAgentMessage(agent.status) === null,
    rows: result.rows.map((m) => ({
      id: m.id,
      name: m.name,
      email: m.email,
      phone: m.phone,
      nric: m.nricMasked,
      status: m.status,
      statusLabel: MEMBER_STATUS_LABELS[m.status],
      policies: m.policies,
      since: formatDate(m.createdAt, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function Members() {
  const { ignored, q, status, page, hasMore, total, canRegister, rows } = useLoaderData<typeof loader>();
  const filtered = Boolean(q || status);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Members</h1>
          <p className="muted">
            The policyholders you registered: {total} {filtered ? "matching" : "in all"}.
          </p>
        </div>
        {canRegister ? (
          <Link to="/agent/members/new" className="btn btn-primary">
            Register a member
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label="Search members">
        <div className="field grow">
          <label htmlFor="members-q">Name, email, phone or full MyKad number</label>
          <input id="members-q" type="search" name="q" defaultValue={q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="members-status">Status</label>
          <select id="members-status" name="status" defaultValue={status}>
            <option value="">All statuses</option>
            {MEMBER_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {MEMBER_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {filtered ? <Link to="/agent/members">Clear</Link> : null}
      </Form>
      <IgnoredFilters ignored={ignored} />
      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No member matches {q ? `“${q}”` : "this status"}. <Link to="/agent/members">Show all members</Link>
            </p>
          ) : (
            <p>
              You have not registered any members yet.{" "}
              {canRegister ? <Link to="/agent/members/new">Register your first member</Link> : null}
            </p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">MyKad</th>
                <th scope="col">Phone</th>
                <th scope="col">Policies</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td data-label="Member">
                    <span className="break">
                      <Link to={`/agent/members/${m.id}`}>{m.name}</Link>
                      <br />
                      <span className="muted small">{m.email}</span>
                      {m.status !== "active" ? (
                        <>
                          {" "}
                          <StatusBadge status={m.status} label={m.statusLabel} />
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="MyKad">
                    <span className="identifier">{m.nric}</span>
                  </td>
                  <td data-label="Phone">{m.phone ?? <span className="muted">—</span>}</td>
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

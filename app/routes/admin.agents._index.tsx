// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { StatusBadge } from "~/components/admin/status-badge";
import { Alert } from "~/components/ui/alert";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { can } from "~/modules/auth/permissions";
import { AGENT_STATUS_LABELS, AGENT_STATUSES, agentFiltersFrom, agentFiltersQuery } from "~/modules/network/agent-schemas";
import { agentCountsByStatus, listAgents } from "~/modules/network/directory.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";

/** /admin/agents — the agency's agents, pending applications first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:agent:any");
  const { filters, ignored } = agentFiltersFrom(new URL(request.url).searchParams);
  const query = agentFiltersQuery(filters);
  const page = pageFrom(request);
  const { result, counts } = await withTenant(tenant.id, async (db) => ({
    result: await listAgents(db, { ...filters, page }),
    counts: await agentCountsByStatus(db),
  }));
  return json({
    canManage: can(user.roles, "manage:agent:any"),
    ignored,
    filters: { q: filters.q ?? "", status: filters.status ?? "" },
    csvHref: `/admin/agents.csv${query ? `?${query}` : ""}`,
    page,
    hasMore: result.hasMore,
    total: result.total,
    counts: AGENT_STATUSES.map((status) => ({ status, label: AGENT_STATUS_LABELS[status], count: counts[status] })),
    agents: result.rows.map((a) => ({
      id: a.id,
      number: a.agent_number,
      code: a.referral_code,
      name: a.name,
      email: a.email,
      status: a.status,
      statusLabel: AGENT_STATUS_LABELS[a.status],
      sponsor: a.sponsor_id ? { id: a.sponsor_id, number: a.sponsor_number, name: a.sponsor_name } : null,
      joined: formatDate(a.created_at, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function AdminAgents() {
  const { ignored, canManage, filters, csvHref, page, hasMore, total, counts, agents } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = Boolean(filters.q || filters.status);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Agents</h1>
          <p className="muted">
            {total === 1 ? "1 agent" : `${total} agents`}
            {filtered ? (total === 1 ? " matches these filters" : " match these filters") : ""}. Pending applications are listed first.
          </p>
        </div>
        <div className="actions">
          <Link to="/admin/agents/network">Network view</Link>
          <a href={csvHref} className="btn btn-secondary" download>
            Download CSV
          </a>
          {canManage ? <Link to="/admin/agents/settings">Network settings</Link> : null}
          {canManage ? (
            <Link className="btn btn-primary" to="/admin/agents/new">
              Add an agent
            </Link>
          ) : null}
        </div>
      </div>
      {params.get("notice") === "created" ? <Alert tone="success" title="Agent added" /> : null}

      <ul className="stat-grid" aria-label="Agents by status">
        {counts.map((c) => (
          <li className="stat" key={c.status}>
            <span className="stat-value">{c.count}</span>
            <span className="stat-label">
              <Link to={`/admin/agents?status=${c.status}`}>{c.label}</Link>
            </span>
          </li>
        ))}
      </ul>

      <Form method="get" className="filters" role="search" aria-label="Filter agents">
        <div className="field grow">
          <label htmlFor="agents-q">Name, email, agent number or referral code</label>
          <input id="agents-q" type="search" name="q" defaultValue={filters.q} placeholder="e.g. Aminah or 10002" />
        </div>
        <div className="field">
          <label htmlFor="agents-status">Status</label>
          <select id="agents-status" name="status" defaultValue={filters.status}>
            <option value="">All statuses</option>
            {AGENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {AGENT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <FilterActions path="/admin/agents" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />

      {agents.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              No agent matches these filters. <Link to="/admin/agents">Show every agent</Link>
            </p>
          ) : (
            <p>No agents yet. Agents join through a referral link from another agent{canManage ? ", or you add them here" : ""}.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Number</th>
                <th scope="col">Status</th>
                <th scope="col">Sponsor</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <td data-label="Agent">
                    <span>
                      <Link to={`/admin/agents/${a.id}`}>{a.name}</Link>
                      <br />
                      <span className="muted small break">{a.email}</span>
                    </span>
                  </td>
                  <td data-label="Number">
                    <span>
                      {a.number} <span className="muted small">· {a.code}</span>
                    </span>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={a.status} label={a.statusLabel} />
                  </td>
                  <td data-label="Sponsor">
                    {a.sponsor ? (
                      <Link to={`/admin/agents/${a.sponsor.id}`}>
                        {a.sponsor.name} ({a.sponsor.number})
                      </Link>
                    ) : (
                      <span className="muted">None (top of the network)</span>
                    )}
                  </td>
                  <td data-label="Joined">{a.joined}</td>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Agents");

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PortalBadge } from "~/components/agent/status";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { downlineQueryFrom, listDownline } from "~/modules/commissions/portal.server";
import { AGENT_STATUS_LABELS } from "~/modules/network/agent-schemas";
import { requireAgent } from "~/modules/network/current-agent.server";
import { downlineCounts } from "~/modules/network/upline.server";

/**
 * /agent/downline — the agent's own downline, level by level (?level=N, 1 = recruited directly),
 * 25 a page, or searched by name or agent number across every level. Only agents below this one:
 * each query starts from agent_uplines where upline_id = the signed-in agent.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const page = pageFrom(request);
  const { query, ignored } = downlineQueryFrom(new URL(request.url).searchParams, page);
  const { counts, result } = await withTenant(tenant.id, async (db) => ({
    counts: await downlineCounts(db, agent.id),
    result: await listDownline(db, agent.id, query),
  }));
  return json({
    level: query.level,
    q: query.q ?? "",
    ignored,
    counts,
    total: counts.reduce((sum, c) => sum + c.agents, 0),
    page,
    hasMore: result.hasMore,
    found: result.total,
    rows: result.rows.map((r) => ({
      id: r.id,
      level: r.level,
      name: r.name,
      agentNumber: r.agentNumber,
      status: r.status,
      statusLabel: AGENT_STATUS_LABELS[r.status],
      joined: formatDate(r.joinedAt, tenant.locale, tenant.timeZone),
      joinedIso: r.joinedAt.toISOString(),
      sponsor: r.sponsorName ? `${r.sponsorName} (${r.sponsorNumber})` : null,
      sponsorIsMe: r.level === 1,
      downlineSize: r.downlineSize,
    })),
  });
}

export default function AgentDownline() {
  const { ignored, level, q, counts, total, page, hasMore, found, rows } = useLoaderData<typeof loader>();
  const searching = q !== "";
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Downline</h1>
          <p className="muted">
            {total === 0
              ? "Nobody has joined under you yet."
              : `${total} ${total === 1 ? "agent" : "agents"} below you, up to ${counts.length} levels down.`}
          </p>
        </div>
      </div>

      <Form method="get" className="filters" role="search" aria-label="Search your downline">
        <div className="field grow">
          <label htmlFor="downline-q">Name or agent number</label>
          <input id="downline-q" type="search" name="q" defaultValue={q} placeholder="e.g. Aminah or 100123" />
        </div>
        <FilterActions path="/agent/downline" filtered={searching} label="Search" clearTo={`/agent/downline?level=${level}`} />
      </Form>

      <IgnoredFilters ignored={ignored} />
      <nav className="subnav level-tabs" aria-label="Downline levels">
        {counts.map((c) => {
          const current = !searching && c.level === level;
          return (
            <Link
              key={c.level}
              to={`/agent/downline?level=${c.level}`}
              className={current ? "active" : undefined}
              aria-current={current ? "page" : undefined}
            >
              Level {c.level} <span className="muted small">({c.agents})</span>
            </Link>
          );
        })}
      </nav>

      <h2 className="visually-hidden">{searching ? "Search results" : `Level ${level}`}</h2>
      {searching ? (
        <p className="muted" role="status">
          {found === 0
            ? `Nobody in your downline matches “${q}”.`
            : `${found} ${found === 1 ? "agent matches" : "agents match"} “${q}” in your downline.`}
        </p>
      ) : null}

      {rows.length === 0 ? (
        searching ? null : (
          <div className="card empty">
            <p>
              {level === 1
                ? "No one has joined through your referral link yet. Share it from your dashboard."
                : `No agents at level ${level} yet.`}{" "}
              {level === 1 ? <Link to="/agent">Go to the dashboard</Link> : null}
            </p>
          </div>
        )
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Agent number</th>
                {searching ? <th scope="col">Level</th> : null}
                <th scope="col">Status</th>
                <th scope="col">Joined</th>
                <th scope="col">Sponsor</th>
                <th scope="col">Their downline</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td data-label="Name">{r.name}</td>
                  <td data-label="Agent number">{r.agentNumber}</td>
                  {searching ? <td data-label="Level">{r.level}</td> : null}
                  <td data-label="Status">
                    <PortalBadge status={r.status} label={r.statusLabel} />
                  </td>
                  <td data-label="Joined">
                    <time dateTime={r.joinedIso}>{r.joined}</time>
                  </td>
                  <td data-label="Sponsor">{r.sponsorIsMe ? "You" : (r.sponsor ?? <span className="muted">—</span>)}</td>
                  <td data-label="Their downline">{r.downlineSize}</td>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Downline");

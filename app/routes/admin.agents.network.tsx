// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/admin/status-badge";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { AGENT_STATUS_LABELS } from "~/modules/network/agent-schemas";
import { networkLevel, networkParent, networkTotals } from "~/modules/network/directory.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { lineText } from "~/lib/text";

/** /admin/agents/network — the tree from the top, one level at a time: open an agent to see their recruits. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:agent:any");
  const under = new URL(request.url).searchParams.get("under");
  const parentId = under ? lineText().uuid().safeParse(under) : null;
  if (parentId && !parentId.success) throw new Response("Not found", { status: 404 });
  const page = pageFrom(request);
  const data = await withTenant(tenant.id, async (db) => {
    const parent = parentId ? await networkParent(db, parentId.data) : null;
    if (parentId && !parent) return null;
    return { parent, level: await networkLevel(db, { parentId: parent?.id ?? null, page }), totals: await networkTotals(db) };
  });
  if (!data) throw new Response("Not found", { status: 404 });
  const { parent, level, totals } = data;
  return json({
    totals,
    page,
    hasMore: level.hasMore,
    count: level.total,
    parent: parent
      ? {
          id: parent.id,
          name: parent.name,
          number: parent.agent_number,
          path: parent.path.map((p) => ({ id: p.id, name: p.name, number: p.agentNumber })),
          downline: parent.downline.filter((l) => l.agents > 0),
        }
      : null,
    agents: level.rows.map((a) => ({
      id: a.id,
      name: a.name,
      number: a.agent_number,
      status: a.status,
      statusLabel: AGENT_STATUS_LABELS[a.status],
      recruits: a.recruits,
      downline: a.downline,
    })),
  });
}

export default function NetworkView() {
  const { totals, page, hasMore, count, parent, agents } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/agents">Agents</Link> / <Link to="/admin/agents/network">Network</Link>
        {parent ? (
          <>
            {parent.path.map((p) => (
              <span key={p.id}>
                {" / "}
                <Link to={`/admin/agents/network?under=${p.id}`}>{p.number}</Link>
              </span>
            ))}
            {` / ${parent.number}`}
          </>
        ) : null}
      </p>
      <div className="page-head">
        <div>
          <h1>{parent ? `Recruited by ${parent.name}` : "The network"}</h1>
          <p className="muted">
            {parent
              ? `${count} ${count === 1 ? "agent" : "agents"} recruited directly by agent ${parent.number}.`
              : `${totals.agents} agents, ${totals.active} active; ${totals.roots} at the top of the network (no sponsor), listed here.`}
          </p>
        </div>
        {parent ? <Link to={`/admin/agents/${parent.id}`}>Open {parent.name}&apos;s page</Link> : null}
      </div>

      {parent && parent.downline.length ? (
        <ul className="stat-grid" aria-label="Downline by level">
          {parent.downline.map((l) => (
            <li className="stat" key={l.level}>
              <span className="stat-value">{l.agents}</span>
              <span className="stat-label">Level {l.level}</span>
            </li>
          ))}
        </ul>
      ) : null}

      {agents.length === 0 ? (
        <div className="card empty">
          <p>{parent ? `${parent.name} has not recruited anyone yet.` : "No agents yet."}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Direct recruits</th>
                <th scope="col">Whole downline</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <td data-label="Agent">
                    <span>
                      <Link to={`/admin/agents/${a.id}`}>{a.name}</Link> <span className="muted">({a.number})</span>
                    </span>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={a.status} label={a.statusLabel} />
                  </td>
                  <td data-label="Direct recruits">
                    {a.recruits > 0 ? (
                      <Link to={`/admin/agents/network?under=${a.id}`} aria-label={`${a.recruits} recruited by ${a.name}: show them`}>
                        {a.recruits} →
                      </Link>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                  <td data-label="Whole downline">{a.downline}</td>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data?.parent ? `Network under ${data.parent.number}` : "Network");

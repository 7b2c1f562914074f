import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/admin/status-badge";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { serverT } from "~/modules/i18n/i18n.server";
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
  const t = await serverT(tenant.language, "admin-network");
  return json({
    title: parent ? t("network.titleUnder", { number: parent.agent_number }) : t("network.title"),
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
      recruits: a.recruits,
      downline: a.downline,
    })),
  });
}

export default function NetworkView() {
  const { totals, page, hasMore, count, parent, agents } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-network");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/agents">{t("agents.title")}</Link> / <Link to="/admin/agents/network">{t("network.title")}</Link>
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
          <h1>{parent ? t("network.recruitedBy", { name: parent.name }) : t("network.heading")}</h1>
          <p className="muted">
            {parent
              ? t("network.recruitedCount", { count, number: parent.number })
              : t("network.totals", { agents: totals.agents, active: totals.active, roots: totals.roots })}
          </p>
        </div>
        {parent ? <Link to={`/admin/agents/${parent.id}`}>{t("network.openPage", { name: parent.name })}</Link> : null}
      </div>

      {parent && parent.downline.length ? (
        <ul className="stat-grid" aria-label={t("network.byLevel")}>
          {parent.downline.map((l) => (
            <li className="stat" key={l.level}>
              <span className="stat-value">{l.agents}</span>
              <span className="stat-label">{t("agent.level", { level: l.level })}</span>
            </li>
          ))}
        </ul>
      ) : null}

      {agents.length === 0 ? (
        <div className="card empty">
          <p>{parent ? t("network.noRecruits", { name: parent.name }) : t("network.none")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("agents.agent")}</th>
                <th scope="col">{t("agents.status")}</th>
                <th scope="col">{t("network.recruits")}</th>
                <th scope="col">{t("network.wholeDownline")}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <td data-label={t("agents.agent")}>
                    <span>
                      <Link to={`/admin/agents/${a.id}`}>{a.name}</Link> <span className="muted">({a.number})</span>
                    </span>
                  </td>
                  <td data-label={t("agents.status")}>
                    <StatusBadge status={a.status} label={t(`agentStatus.${a.status}`)} />
                  </td>
                  <td data-label={t("network.recruits")}>
                    {a.recruits > 0 ? (
                      <Link
                        to={`/admin/agents/network?under=${a.id}`}
                        aria-label={t("network.showRecruits", { count: a.recruits, name: a.name })}
                      >
                        {a.recruits} →
                      </Link>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                  <td data-label={t("network.wholeDownline")}>{a.downline}</td>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Network");

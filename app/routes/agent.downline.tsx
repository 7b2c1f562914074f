import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PortalBadge } from "~/components/agent/status";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { downlineQueryFrom, listDownline } from "~/modules/commissions/portal.server";
import { serverT } from "~/modules/i18n/i18n.server";
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
  const t = await serverT(tenant.language, "agent");
  return json({
    title: t("downline.title"),
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
      statusLabel: t(`agentStatus.${r.status}`),
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
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("downline.title")}</h1>
          <p className="muted">{total === 0 ? t("downline.nobody") : t("downline.count", { count: total, levels: counts.length })}</p>
        </div>
      </div>

      <Form method="get" className="filters" role="search" aria-label={t("downline.search")}>
        <div className="field grow">
          <label htmlFor="downline-q">{t("downline.query")}</label>
          <input id="downline-q" type="search" name="q" defaultValue={q} placeholder={t("downline.placeholder")} />
        </div>
        <FilterActions
          path="/agent/downline"
          filtered={searching}
          label={t("downline.searchButton")}
          clearTo={`/agent/downline?level=${level}`}
        />
      </Form>

      <IgnoredFilters ignored={ignored} />
      <nav className="subnav level-tabs" aria-label={t("downline.levels")}>
        {counts.map((c) => {
          const current = !searching && c.level === level;
          return (
            <Link
              key={c.level}
              to={`/agent/downline?level=${c.level}`}
              className={current ? "active" : undefined}
              aria-current={current ? "page" : undefined}
            >
              {t("dashboard.levelN", { level: c.level })} <span className="muted small">({c.agents})</span>
            </Link>
          );
        })}
      </nav>

      <h2 className="visually-hidden">{searching ? t("downline.results") : t("dashboard.levelN", { level })}</h2>
      {searching ? (
        <p className="muted" role="status">
          {found === 0 ? t("downline.noMatch", { q }) : t("downline.found", { count: found, q })}
        </p>
      ) : null}

      {rows.length === 0 ? (
        searching ? null : (
          <div className="card empty">
            <p>
              {level === 1 ? t("downline.noRecruits") : t("downline.noneAtLevel", { level })}{" "}
              {level === 1 ? <Link to="/agent">{t("downline.toDashboard")}</Link> : null}
            </p>
          </div>
        )
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("downline.name")}</th>
                <th scope="col">{t("downline.number")}</th>
                {searching ? <th scope="col">{t("dashboard.level")}</th> : null}
                <th scope="col">{t("downline.status")}</th>
                <th scope="col">{t("downline.joined")}</th>
                <th scope="col">{t("downline.sponsor")}</th>
                <th scope="col">{t("downline.theirs")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td data-label={t("downline.name")}>{r.name}</td>
                  <td data-label={t("downline.number")}>{r.agentNumber}</td>
                  {searching ? <td data-label={t("dashboard.level")}>{r.level}</td> : null}
                  <td data-label={t("downline.status")}>
                    <PortalBadge status={r.status} label={r.statusLabel} />
                  </td>
                  <td data-label={t("downline.joined")}>
                    <time dateTime={r.joinedIso}>{r.joined}</time>
                  </td>
                  <td data-label={t("downline.sponsor")}>
                    {r.sponsorIsMe ? t("downline.you") : (r.sponsor ?? <span className="muted">—</span>)}
                  </td>
                  <td data-label={t("downline.theirs")}>{r.downlineSize}</td>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Downline");

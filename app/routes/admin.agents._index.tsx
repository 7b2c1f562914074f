import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/admin/status-badge";
import { Alert } from "~/components/ui/alert";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { can } from "~/modules/auth/permissions";
import { AGENT_STATUSES, agentFiltersFrom, agentFiltersQuery } from "~/modules/network/agent-schemas";
import { agentCountsByStatus, listAgents } from "~/modules/network/directory.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";

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
  const t = await serverT(tenant.language, "admin-network");
  return json({
    title: t("agents.title"),
    canManage: can(user.roles, "manage:agent:any"),
    ignored,
    filters: { q: filters.q ?? "", status: filters.status ?? "" },
    csvHref: `/admin/agents.csv${query ? `?${query}` : ""}`,
    page,
    hasMore: result.hasMore,
    total: result.total,
    counts: AGENT_STATUSES.map((status) => ({ status, count: counts[status] })),
    agents: result.rows.map((a) => ({
      id: a.id,
      number: a.agent_number,
      code: a.referral_code,
      name: a.name,
      email: a.email,
      status: a.status,
      sponsor: a.sponsor_id ? { id: a.sponsor_id, number: a.sponsor_number, name: a.sponsor_name } : null,
      joined: formatDate(a.created_at, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function AdminAgents() {
  const { ignored, canManage, filters, csvHref, page, hasMore, total, counts, agents } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = Boolean(filters.q || filters.status);
  const { t } = useTranslation("admin-network");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("agents.title")}</h1>
          <p className="muted">{t(filtered ? "agents.introFiltered" : "agents.intro", { count: total })}</p>
        </div>
        <div className="actions">
          <Link to="/admin/agents/network">{t("agents.networkView")}</Link>
          <a href={csvHref} className="btn btn-secondary" download>
            {t("downloadCsv")}
          </a>
          {canManage ? <Link to="/admin/agents/settings">{t("settings.title")}</Link> : null}
          {canManage ? (
            <Link className="btn btn-primary" to="/admin/agents/new">
              {t("newAgent.title")}
            </Link>
          ) : null}
        </div>
      </div>
      {params.get("notice") === "created" ? <Alert tone="success" title={t("agents.added")} /> : null}

      <ul className="stat-grid" aria-label={t("agents.byStatus")}>
        {counts.map((c) => (
          <li className="stat" key={c.status}>
            <span className="stat-value">{c.count}</span>
            <span className="stat-label">
              <Link to={`/admin/agents?status=${c.status}`}>{t(`agentStatus.${c.status}`)}</Link>
            </span>
          </li>
        ))}
      </ul>

      <Form method="get" className="filters" role="search" aria-label={t("agents.filter")}>
        <div className="field grow">
          <label htmlFor="agents-q">{t("agents.query")}</label>
          <input id="agents-q" type="search" name="q" defaultValue={filters.q} placeholder={t("agents.queryExample")} />
        </div>
        <div className="field">
          <label htmlFor="agents-status">{t("agents.status")}</label>
          <select id="agents-status" name="status" defaultValue={filters.status}>
            <option value="">{t("agents.allStatuses")}</option>
            {AGENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`agentStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <FilterActions path="/admin/agents" filtered={filtered} label={t("filter")} />
      </Form>
      <IgnoredFilters ignored={ignored} />

      {agents.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("agents.noMatch")} <Link to="/admin/agents">{t("agents.showAll")}</Link>
            </p>
          ) : (
            <p>{t(canManage ? "agents.noneManage" : "agents.none")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("agents.agent")}</th>
                <th scope="col">{t("agents.number")}</th>
                <th scope="col">{t("agents.status")}</th>
                <th scope="col">{t("agents.sponsor")}</th>
                <th scope="col">{t("agents.joined")}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <td data-label={t("agents.agent")}>
                    <span>
                      <Link to={`/admin/agents/${a.id}`}>{a.name}</Link>
                      <br />
                      <span className="muted small break">{a.email}</span>
                    </span>
                  </td>
                  <td data-label={t("agents.number")}>
                    <span>
                      {a.number} <span className="muted small">· {a.code}</span>
                    </span>
                  </td>
                  <td data-label={t("agents.status")}>
                    <StatusBadge status={a.status} label={t(`agentStatus.${a.status}`)} />
                  </td>
                  <td data-label={t("agents.sponsor")}>
                    {a.sponsor ? (
                      <Link to={`/admin/agents/${a.sponsor.id}`}>
                        {a.sponsor.name} ({a.sponsor.number})
                      </Link>
                    ) : (
                      <span className="muted">{t("agents.noSponsor")}</span>
                    )}
                  </td>
                  <td data-label={t("agents.joined")}>{a.joined}</td>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Agents");

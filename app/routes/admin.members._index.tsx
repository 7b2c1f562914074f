import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/admin/status-badge";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { readFilters } from "~/lib/search-params";
import { listMembers } from "~/modules/members/members.server";
import { adminMemberFiltersSchema } from "~/modules/members/schemas";
import { MEMBER_STATUS_FILTERS } from "~/modules/members/status";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";

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
    title: (await serverT(tenant.language, "admin-network"))("members.title"),
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
      agent: { id: m.agentId, name: m.agentName, number: m.agentNumber },
      policies: m.policies,
      since: formatDate(m.createdAt, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function AdminMembers() {
  const { ignored, filters, page, hasMore, total, members } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.status || filters.agent);
  const { t } = useTranslation("admin-network");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("members.title")}</h1>
          <p className="muted">{t(filtered ? "members.countMatching" : "members.count", { count: total })}</p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("members.filter")}>
        <div className="field grow">
          <label htmlFor="members-q">{t("members.query")}</label>
          <input id="members-q" type="search" name="q" defaultValue={filters.q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="members-status">{t("agents.status")}</label>
          <select id="members-status" name="status" defaultValue={filters.status}>
            <option value="">{t("agents.allStatuses")}</option>
            {MEMBER_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`memberStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="members-agent">{t("disputes.agentNumber")}</label>
          <input id="members-agent" name="agent" inputMode="numeric" defaultValue={filters.agent} maxLength={6} />
        </div>
        <FilterActions path="/admin/members" filtered={filtered} label={t("filter")} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {members.length === 0 ? (
        <div className="card empty">
          <p>
            {filtered ? (
              <>
                {t("members.noMatch")} <Link to="/admin/members">{t("members.showAll")}</Link>
              </>
            ) : (
              t("members.none")
            )}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("members.member")}</th>
                <th scope="col">{t("members.mykad")}</th>
                <th scope="col">{t("agents.status")}</th>
                <th scope="col">{t("agents.agent")}</th>
                <th scope="col">{t("members.policies")}</th>
                <th scope="col">{t("members.since")}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td data-label={t("members.member")}>
                    <span className="break">
                      <Link to={`/admin/members/${m.id}`}>{m.name}</Link>
                      <br />
                      <span className="muted small">{m.email}</span>
                    </span>
                  </td>
                  <td data-label={t("members.mykad")}>
                    <span className="identifier">{m.nric}</span>
                  </td>
                  <td data-label={t("agents.status")}>
                    <StatusBadge status={m.status} label={t(`memberStatus.${m.status}`)} />
                  </td>
                  <td data-label={t("agents.agent")}>
                    <Link to={`/admin/agents/${m.agent.id}`}>
                      {m.agent.name} ({m.agent.number})
                    </Link>
                  </td>
                  <td data-label={t("members.policies")}>{m.policies}</td>
                  <td data-label={t("members.since")}>{m.since}</td>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Members");

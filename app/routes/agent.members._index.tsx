import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { readFilters } from "~/lib/search-params";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { listMembers } from "~/modules/members/members.server";
import { memberFiltersSchema } from "~/modules/members/schemas";
import { inactiveAgentMessage, requireAgent } from "~/modules/network/current-agent.server";
import { IgnoredFilters } from "~/components/ui/filters";
import { StatusBadge } from "~/components/admin/status-badge";
import { MEMBER_STATUS_FILTERS } from "~/modules/members/status";

/** /agent/members — the agent's own members, searchable, 25 a page. Nobody else's members appear here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "register:member:own");
  const { filters, ignored } = readFilters(memberFiltersSchema, new URL(request.url).searchParams);
  const page = pageFrom(request);
  const t = await serverT(tenant.language, "agent");
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
      statusLabel: String(t(`memberStatus.${m.status}`)),
      policies: m.policies,
      since: formatDate(m.createdAt, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function Members() {
  const { ignored, q, status, page, hasMore, total, canRegister, rows } = useLoaderData<typeof loader>();
  const filtered = Boolean(q || status);
  const { t } = useTranslation("agent");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("members.title")}</h1>
          <p className="muted">{t(filtered ? "members.countMatching" : "members.countAll", { count: total })}</p>
        </div>
        {canRegister ? (
          <Link to="/agent/members/new" className="btn btn-primary">
            {t("members.register")}
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("members.search")}>
        <div className="field grow">
          <label htmlFor="members-q">{t("members.query")}</label>
          <input id="members-q" type="search" name="q" defaultValue={q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="members-status">{t("members.status")}</label>
          <select id="members-status" name="status" defaultValue={status}>
            <option value="">{t("members.allStatuses")}</option>
            {MEMBER_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`memberStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          {t("members.searchButton")}
        </Button>
        {filtered ? <Link to="/agent/members">{t("members.clear")}</Link> : null}
      </Form>
      <IgnoredFilters ignored={ignored} />
      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {q ? t("members.noMatchQuery", { q }) : t("members.noMatchStatus")} <Link to="/agent/members">{t("members.showAll")}</Link>
            </p>
          ) : (
            <p>
              {t("members.none")} {canRegister ? <Link to="/agent/members/new">{t("members.registerFirst")}</Link> : null}
            </p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("members.member")}</th>
                <th scope="col">{t("members.mykad")}</th>
                <th scope="col">{t("members.phone")}</th>
                <th scope="col">{t("members.policies")}</th>
                <th scope="col">{t("members.since")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td data-label={t("members.member")}>
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
                  <td data-label={t("members.mykad")}>
                    <span className="identifier">{m.nric}</span>
                  </td>
                  <td data-label={t("members.phone")}>{m.phone ?? <span className="muted">—</span>}</td>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Members");

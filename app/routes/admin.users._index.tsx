import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { listUsers } from "~/modules/auth/users.server";
import { ROLES } from "~/modules/tenancy/manifest";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";

// A bad filter value is ignored (and said) rather than refused: these come from shareable URLs.
const filtersSchema = z.object({
  q: lineText().max(100).optional(),
  role: z.enum(ROLES).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:user:any");
  const { filters, ignored } = readFilters(filtersSchema, new URL(request.url).searchParams);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listUsers(db, { ...filters, page }));
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("users.title"),
    filters: { q: filters.q ?? "", role: filters.role ?? "" },
    ignored,
    page,
    hasMore: result.hasMore,
    total: result.total,
    users: result.rows.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      suspended: u.status === "suspended",
      verified: u.email_verified_at !== null,
      roles: u.roles,
      joined: formatDate(u.created_at, tenant.locale, tenant.timeZone),
    })),
  });
}

export default function AdminUsers() {
  const { ignored, filters, page, hasMore, total, users } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.role);
  const { t } = useTranslation("admin");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("users.title")}</h1>
          <p className="muted">
            {t(filtered ? "users.summaryFiltered" : "users.summary", { accounts: t("users.count", { count: total }) })}
          </p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("users.filter")}>
        <div className="field grow">
          <label htmlFor="users-q">{t("users.search")}</label>
          <input id="users-q" type="search" name="q" defaultValue={filters.q} placeholder={t("users.searchExample")} />
        </div>
        <div className="field">
          <label htmlFor="users-role">{t("users.role")}</label>
          <select id="users-role" name="role" defaultValue={filters.role}>
            <option value="">{t("users.allRoles")}</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        </div>
        <FilterActions path="/admin/users" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {users.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("users.noMatch")} <Link to="/admin/users">{t("users.showAll")}</Link>
            </p>
          ) : (
            <p>{t("users.empty")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("users.name")}</th>
                <th scope="col">{t("users.email")}</th>
                <th scope="col">{t("users.roles")}</th>
                <th scope="col">{t("users.joined")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <td data-label={t("users.name")}>
                    <span>
                      <Link to={`/admin/users/${user.id}`}>{user.name}</Link>{" "}
                      {user.suspended ? <span className="badge badge-suspended">{t("users.suspended")}</span> : null}
                    </span>
                  </td>
                  <td data-label={t("users.email")}>
                    <span className="break">
                      {user.email} {user.verified ? null : <span className="badge badge-pending">{t("users.notConfirmed")}</span>}
                    </span>
                  </td>
                  <td data-label={t("users.roles")}>
                    <span className="badges">
                      {user.roles.map((role) => (
                        <span key={role} className={`badge badge-role-${role}`}>
                          {t(`roles.${role}`)}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td data-label={t("users.joined")}>{user.joined}</td>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Users");

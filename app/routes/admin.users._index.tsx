// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { ROLE_LABELS } from "~/modules/auth/permissions";
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
  return json({
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
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted">
            {total === 1 ? "1 account" : `${total} accounts`}
            {filtered ? " match these filters" : ""}.
          </p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter users">
        <div className="field grow">
          <label htmlFor="users-q">Name or email</label>
          <input id="users-q" type="search" name="q" defaultValue={filters.q} placeholder="e.g. Amina or @gmail.com" />
        </div>
        <div className="field">
          <label htmlFor="users-role">Role</label>
          <select id="users-role" name="role" defaultValue={filters.role}>
            <option value="">All roles</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
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
              No user matches these filters. <Link to="/admin/users">Show everyone</Link>
            </p>
          ) : (
            <p>No one has an account yet. Customers appear here when they sign up.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <td data-label="Name">
                    <span>
                      <Link to={`/admin/users/${user.id}`}>{user.name}</Link>{" "}
                      {user.suspended ? <span className="badge badge-suspended">Suspended</span> : null}
                    </span>
                  </td>
                  <td data-label="Email">
                    <span className="break">
                      {user.email} {user.verified ? null : <span className="badge badge-pending">Not confirmed</span>}
                    </span>
                  </td>
                  <td data-label="Roles">
                    <span className="badges">
                      {user.roles.map((role) => (
                        <span key={role} className={`badge badge-role-${role}`}>
                          {ROLE_LABELS[role]}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td data-label="Joined">{user.joined}</td>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Users");

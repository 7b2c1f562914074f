// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { listAudit } from "~/modules/audit/audit.server";
import { auditActionLabel } from "~/modules/audit/labels";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { catalogueCounts } from "~/modules/catalogue/admin.server";

const RECENT = 8;

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const canAudit = can(user.roles, "read:audit:any");
  const { counts, recent } = await withTenant(tenant.id, async (db) => ({
    counts: await catalogueCounts(db),
    recent: canAudit ? (await listAudit(db, { page: 1, pageSize: RECENT, action: "catalogue." })).rows : null,
  }));
  return json({
    counts,
    canManage: can(user.roles, "manage:catalogue:any"),
    recent: recent?.map((entry) => ({
      id: entry.id,
      label: auditActionLabel(entry.action) ?? entry.action,
      slug: typeof entry.details.slug === "string" ? entry.details.slug : null,
      actor: entry.actor_email ?? "Someone",
      at: formatDateTime(entry.created_at, tenant.locale, tenant.timeZone),
      atIso: entry.created_at.toISOString(),
    })),
  });
}

export default function CatalogueOverview() {
  const { counts, canManage, recent } = useLoaderData<typeof loader>();
  const empty = counts.products.total === 0;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Catalogue</h1>
          <p className="muted">The insurers, categories and products your storefront offers.</p>
        </div>
        {canManage ? (
          <div className="actions">
            <Link to="/admin/catalogue/products/new" className="btn btn-primary">
              Add a product
            </Link>
            <Link to="/admin/catalogue/import" className="btn btn-secondary">
              Upload a CSV
            </Link>
          </div>
        ) : null}
      </div>

      <ul className="stat-grid" aria-label="Catalogue in numbers">
        <li className="stat">
          <span className="stat-value">{counts.products.visible}</span>
          <span className="stat-label">
            <Link to="/admin/catalogue/products?status=visible">Products on the storefront</Link>
          </span>
        </li>
        <li className="stat">
          <span className="stat-value">{counts.products.total}</span>
          <span className="stat-label">
            <Link to="/admin/catalogue/products">Products in all</Link>
          </span>
        </li>
        <li className="stat">
          <span className="stat-value">
            {counts.insurers.active}/{counts.insurers.total}
          </span>
          <span className="stat-label">
            <Link to="/admin/catalogue/insurers">Insurers active</Link>
          </span>
        </li>
        <li className="stat">
          <span className="stat-value">
            {counts.categories.active}/{counts.categories.total}
          </span>
          <span className="stat-label">
            <Link to="/admin/catalogue/categories">Categories active</Link>
          </span>
        </li>
      </ul>
      {counts.products.active > counts.products.visible ? (
        <p className="muted">
          {counts.products.active - counts.products.visible} active product
          {counts.products.active - counts.products.visible === 1 ? " is" : "s are"} hidden because their insurer or category is inactive.
        </p>
      ) : null}

      {empty ? (
        <div className="card empty">
          <p>
            No products yet.{" "}
            {canManage ? (
              <>
                Add your <Link to="/admin/catalogue/insurers">insurers</Link> and <Link to="/admin/catalogue/categories">categories</Link>{" "}
                first, then <Link to="/admin/catalogue/products/new">add a product</Link> or{" "}
                <Link to="/admin/catalogue/import">upload many from a CSV file</Link>.
              </>
            ) : (
              "An administrator adds them here."
            )}
          </p>
        </div>
      ) : null}

      {recent ? (
        <section className="card" aria-labelledby="catalogue-recent">
          <div className="page-head">
            <h2 id="catalogue-recent">Recent changes</h2>
            <Link to="/admin/audit?action=catalogue.">Audit log →</Link>
          </div>
          {recent.length === 0 ? (
            <p className="empty">No changes yet. Every change to the catalogue is listed here and in the audit log.</p>
          ) : (
            <ul className="activity">
              {recent.map((entry) => (
                <li key={entry.id}>
                  <time dateTime={entry.atIso}>{entry.at}</time>
                  <span>
                    <strong>{entry.actor}</strong> — {entry.label}
                    {entry.slug ? <code className="muted"> {entry.slug}</code> : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Catalogue");

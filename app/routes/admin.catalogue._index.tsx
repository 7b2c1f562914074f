import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { listAudit } from "~/modules/audit/audit.server";
import { auditActionLabel } from "~/modules/audit/labels";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { catalogueCounts } from "~/modules/catalogue/admin.server";
import { serverT } from "~/modules/i18n/i18n.server";

const RECENT = 8;

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:catalogue:any");
  const canAudit = can(user.roles, "read:audit:any");
  const { counts, recent } = await withTenant(tenant.id, async (db) => ({
    counts: await catalogueCounts(db),
    recent: canAudit ? (await listAudit(db, { page: 1, pageSize: RECENT, action: "catalogue." })).rows : null,
  }));
  const t = await serverT(tenant.language, "admin-catalogue");
  return json({
    title: t("overview.title"),
    counts,
    canManage: can(user.roles, "manage:catalogue:any"),
    recent: recent?.map((entry) => ({
      id: entry.id,
      label: t(`audit.${entry.action}`, { defaultValue: auditActionLabel(entry.action) ?? entry.action }),
      slug: typeof entry.details.slug === "string" ? entry.details.slug : null,
      actor: entry.actor_email ?? t("overview.someone"),
      at: formatDateTime(entry.created_at, tenant.locale, tenant.timeZone),
      atIso: entry.created_at.toISOString(),
    })),
  });
}

export default function CatalogueOverview() {
  const { counts, canManage, recent } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-catalogue");
  const empty = counts.products.total === 0;
  const hidden = counts.products.active - counts.products.visible;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("overview.title")}</h1>
          <p className="muted">{t("overview.intro")}</p>
        </div>
        {canManage ? (
          <div className="actions">
            <Link to="/admin/catalogue/products/new" className="btn btn-primary">
              {t("overview.addProduct")}
            </Link>
            <Link to="/admin/catalogue/import" className="btn btn-secondary">
              {t("overview.uploadCsv")}
            </Link>
          </div>
        ) : null}
      </div>

      <ul className="stat-grid" aria-label={t("overview.numbers")}>
        <li className="stat">
          <span className="stat-value">{counts.products.visible}</span>
          <span className="stat-label">
            <Link to="/admin/catalogue/products?status=visible">{t("overview.visible")}</Link>
          </span>
        </li>
        <li className="stat">
          <span className="stat-value">{counts.products.total}</span>
          <span className="stat-label">
            <Link to="/admin/catalogue/products">{t("overview.total")}</Link>
          </span>
        </li>
        <li className="stat">
          <span className="stat-value">
            {counts.insurers.active}/{counts.insurers.total}
          </span>
          <span className="stat-label">
            <Link to="/admin/catalogue/insurers">{t("overview.insurersActive")}</Link>
          </span>
        </li>
        <li className="stat">
          <span className="stat-value">
            {counts.categories.active}/{counts.categories.total}
          </span>
          <span className="stat-label">
            <Link to="/admin/catalogue/categories">{t("overview.categoriesActive")}</Link>
          </span>
        </li>
      </ul>
      {hidden > 0 ? <p className="muted">{t("overview.hidden", { count: hidden })}</p> : null}

      {empty ? (
        <div className="card empty">
          <p>
            {t("overview.empty")}{" "}
            {canManage ? (
              <Trans
                t={t}
                i18nKey="overview.emptyManage"
                components={{
                  insurers: <Link to="/admin/catalogue/insurers" />,
                  categories: <Link to="/admin/catalogue/categories" />,
                  add: <Link to="/admin/catalogue/products/new" />,
                  upload: <Link to="/admin/catalogue/import" />,
                }}
              />
            ) : (
              t("overview.emptyRead")
            )}
          </p>
        </div>
      ) : null}

      {recent ? (
        <section className="card" aria-labelledby="catalogue-recent">
          <div className="page-head">
            <h2 id="catalogue-recent">{t("overview.recent")}</h2>
            <Link to="/admin/audit?action=catalogue.">{t("overview.auditLog")}</Link>
          </div>
          {recent.length === 0 ? (
            <p className="empty">{t("overview.noChanges")}</p>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Catalogue");

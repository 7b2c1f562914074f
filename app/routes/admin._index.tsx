import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { listAudit } from "~/modules/audit/audit.server";
import { auditActionText } from "~/modules/audit/labels";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { serverT } from "~/modules/i18n/i18n.server";
import { userStats } from "~/modules/auth/users.server";
import { openChargebacksSummary } from "~/modules/payments/chargebacks.server";
import { ROLES } from "~/modules/tenancy/manifest";

const RECENT_AUDIT = 10;

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:backoffice:any");
  const canAudit = can(user.roles, "read:audit:any");
  const { stats, recent, chargebacks } = await withTenant(tenant.id, async (db) => ({
    stats: await userStats(db),
    recent: canAudit ? (await listAudit(db, { page: 1, pageSize: RECENT_AUDIT })).rows : null,
    chargebacks: can(user.roles, "read:transaction:any") ? await openChargebacksSummary(db) : null,
  }));
  const firstDue = chargebacks?.firstRespondBy ?? null;
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("backOffice"),
    name: user.name,
    canUsers: can(user.roles, "read:user:any"),
    canOutbox: can(user.roles, "read:outbox:any"),
    // Open chargebacks wait for an answer at the provider by a deadline: nothing when there are none.
    openChargebacks:
      chargebacks && chargebacks.count > 0
        ? {
            count: chargebacks.count,
            firstDue: firstDue ? formatDateTime(firstDue, tenant.locale, tenant.timeZone) : null,
            firstDueIso: firstDue ? firstDue.toISOString() : null,
            overdue: firstDue ? firstDue.getTime() <= Date.now() : false,
          }
        : null,
    stats: {
      total: stats.total,
      unverified: stats.unverified,
      locked: stats.locked,
      invited: stats.invited,
      byRole: ROLES.map((role) => ({ role, label: t(`roles.${role}`), count: stats.byRole[role] ?? 0 })),
    },
    recent: recent?.map((entry) => ({
      id: entry.id,
      action: entry.action,
      label: auditActionText(t, entry.action) ?? entry.action,
      actor: entry.actor_email ?? (entry.actor_operator_id ? t("actor.support") : t("actor.anonymous")),
      at: formatDateTime(entry.created_at, tenant.locale, tenant.timeZone),
      atIso: entry.created_at.toISOString(),
    })),
  });
}

export default function AdminOverview() {
  const { name, canUsers, canOutbox, openChargebacks, stats, recent } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("dashboard.title")}</h1>
          <p className="muted">{t("dashboard.welcome", { name })}</p>
        </div>
      </div>

      {openChargebacks ? (
        <Alert tone="warning" title={t("dashboard.attention")}>
          <Link to="/admin/chargebacks">{t("dashboard.openChargebacks", { count: openChargebacks.count })}</Link>
          {openChargebacks.firstDue && openChargebacks.firstDueIso ? (
            <>
              {openChargebacks.overdue ? t("dashboard.firstWasDue") : t("dashboard.firstDue")}
              <time dateTime={openChargebacks.firstDueIso}>{openChargebacks.firstDue}</time>
              {openChargebacks.overdue ? t("dashboard.overdue") : ""}
            </>
          ) : null}
        </Alert>
      ) : null}

      <section aria-labelledby="people-title">
        <h2 id="people-title">{t("dashboard.people")}</h2>
        <ul className="stat-grid" aria-label={t("dashboard.byRole")}>
          <li className="stat">
            <span className="stat-value">{stats.total}</span>
            <span className="stat-label">{t("dashboard.accounts")}</span>
          </li>
          {stats.byRole.map((r) => (
            <li className="stat" key={r.role}>
              <span className="stat-value">{r.count}</span>
              <span className="stat-label">{canUsers ? <Link to={`/admin/users?role=${r.role}`}>{r.label}</Link> : r.label}</span>
            </li>
          ))}
        </ul>
        <p className="muted">
          {t("dashboard.accountStates", { unverified: stats.unverified, invited: stats.invited, locked: stats.locked })}
        </p>
      </section>

      {recent ? (
        <section className="card" aria-labelledby="recent-title">
          <div className="page-head">
            <h2 id="recent-title">{t("dashboard.recent")}</h2>
            <Link to="/admin/audit">{t("dashboard.fullAudit")}</Link>
          </div>
          {recent.length === 0 ? (
            <p className="empty">{t("dashboard.nothingYet")}</p>
          ) : (
            <ul className="activity">
              {recent.map((entry) => (
                <li key={entry.id}>
                  <time dateTime={entry.atIso}>{entry.at}</time>
                  <span>
                    <strong>{entry.actor}</strong> — {entry.label}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <section aria-labelledby="links-title">
        <h2 id="links-title">{t("dashboard.goTo")}</h2>
        <div className="grid three">
          {canUsers ? (
            <Link to="/admin/users" className="card link-card">
              <strong>{t("dashboard.users")}</strong>
              <span className="muted">{t("dashboard.usersHint")}</span>
            </Link>
          ) : null}
          {recent ? (
            <Link to="/admin/audit" className="card link-card">
              <strong>{t("dashboard.audit")}</strong>
              <span className="muted">{t("dashboard.auditHint")}</span>
            </Link>
          ) : null}
          {canOutbox ? (
            <Link to="/admin/outbox" className="card link-card">
              <strong>{t("dashboard.outbox")}</strong>
              <span className="muted">{t("dashboard.outboxHint")}</span>
            </Link>
          ) : null}
        </div>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Back office");

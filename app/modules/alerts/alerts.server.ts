import { sql } from "kysely";
import { addJob } from "~db/jobs";
import type { PlatformDb, TenantDb } from "~db/client";
import { logger } from "~/lib/log.server";
import { recordAudit, recordPlatformAudit, type Actor } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notify.server";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";

/**
 * Alerts (issue 14, docs/decisions/043-broadcasts-and-alerts.md): trouble someone must look at,
 * one open row per incident (`kind` + `incidentKey`). The first occurrence notifies the tenant's
 * admins (in-app and email, event `alert_raised`); repeats only count. Resolving closes the
 * incident; the next occurrence opens a new one and notifies again.
 */
export interface AlertInput {
  /** What sort of trouble: job_failed, commission_close, provider_errors, webhook_backlog… */
  kind: string;
  /** What makes two occurrences one incident: a task, a month, a provider. */
  incidentKey: string;
  title: string;
  detail?: string | null;
}

export interface Raised {
  id: string;
  /** True when this occurrence opened the incident (and notified). */
  opened: boolean;
}

export async function raiseAlert(db: TenantDb, tenantId: string, input: AlertInput, now = new Date()): Promise<Raised> {
  const row = await db
    .insertInto("alerts")
    .values({
      kind: input.kind,
      incident_key: input.incidentKey,
      title: input.title.slice(0, 300),
      detail: input.detail?.slice(0, 2000) ?? null,
      first_seen_at: now,
      last_seen_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(["tenant_id", "kind", "incident_key"])
        .where("resolved_at", "is", null)
        .doUpdateSet((eb) => ({
          occurrences: sql<number>`alerts.occurrences + 1`,
          last_seen_at: eb.ref("excluded.last_seen_at"),
          detail: eb.ref("excluded.detail"),
        })),
    )
    .returning(["id", sql<boolean>`xmax = 0`.as("inserted")])
    .executeTakeFirstOrThrow();
  if (row.inserted) await notifyAdmins(db, tenantId, row.id, input);
  return { id: row.id, opened: row.inserted };
}

async function notifyAdmins(db: TenantDb, tenantId: string, alertId: string, input: AlertInput): Promise<void> {
  const tenant = await db.selectFrom("tenants").select(["id", "slug"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  const link = `${await tenantOrigin(tenant)}/admin/alerts`;
  const admins = await db
    .selectFrom("users as u")
    .select("u.id")
    .where("u.closed_at", "is", null)
    .where("u.status", "=", "active")
    .where((eb) =>
      eb.exists(eb.selectFrom("user_roles as r").select("r.user_id").whereRef("r.user_id", "=", "u.id").where("r.role", "=", "admin")),
    )
    .execute();
  for (const admin of admins) {
    await notify(db, tenantId, {
      event: "alert_raised",
      vars: { title: input.title, detail: input.detail ?? "", link },
      to: { userId: admin.id },
      link: "/admin/alerts",
      dedupeKey: `alert:${alertId}:${admin.id}`,
    });
  }
}

export async function resolveAlert(db: TenantDb, id: string, actor: Actor & { userId: string }, now = new Date()): Promise<boolean> {
  const resolved = await db
    .updateTable("alerts")
    .set({ resolved_at: now, resolved_by: actor.userId })
    .where("id", "=", id)
    .where("resolved_at", "is", null)
    .returning(["kind", "incident_key"])
    .executeTakeFirst();
  if (!resolved) return false;
  await recordAudit(db, actor, { action: "alert.resolve", targetType: "alert", targetId: id, details: { kind: resolved.kind } });
  return true;
}

export const ALERTS_PAGE_SIZE = 25;

/** Open incidents first (newest trouble first), then resolved ones. */
export async function listAlerts(db: TenantDb, options: { page: number }) {
  const rows = await db
    .selectFrom("alerts")
    .selectAll()
    .orderBy(sql`resolved_at is not null`)
    .orderBy("last_seen_at", "desc")
    .orderBy("id")
    .limit(ALERTS_PAGE_SIZE + 1)
    .offset((options.page - 1) * ALERTS_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, ALERTS_PAGE_SIZE), hasMore: rows.length > ALERTS_PAGE_SIZE };
}

// ---------------------------------------------------------------------------------------------
// Platform alerts, for operators

/**
 * Trouble that is not one agency's to fix (a job without a tenant, a provider failing for all).
 * Operators have no mailbox in `messages` (every message belongs to a tenant), so an incident is
 * listed on /console/alerts, logged at error level once (error reporting and log alerting pick it
 * up, docs/decisions/013-observability.md) and emailed to every operator once through the
 * platform's own Resend account (job `platform_alert_email`, operator-email.server.ts).
 */
export async function raisePlatformAlert(
  db: PlatformDb,
  input: AlertInput & { aboutTenant?: string | null },
  now = new Date(),
): Promise<Raised> {
  const row = await db
    .insertInto("platform_alerts")
    .values({
      kind: input.kind,
      incident_key: input.incidentKey,
      about_tenant: input.aboutTenant ?? null,
      title: input.title.slice(0, 300),
      detail: input.detail?.slice(0, 2000) ?? null,
      first_seen_at: now,
      last_seen_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(["kind", "incident_key"])
        .where("resolved_at", "is", null)
        .doUpdateSet((eb) => ({
          occurrences: sql<number>`platform_alerts.occurrences + 1`,
          last_seen_at: eb.ref("excluded.last_seen_at"),
          detail: eb.ref("excluded.detail"),
        })),
    )
    .returning(["id", sql<boolean>`xmax = 0`.as("inserted")])
    .executeTakeFirstOrThrow();
  // A new incident: operators are emailed once (the job's key), after this write commits.
  if (row.inserted)
    await addJob(db, "platform_alert_email", { platform: true, alertId: row.id }, { jobKey: `platform_alert_email:${row.id}` });
  if (row.inserted)
    logger.error(
      { alert: { id: row.id, kind: input.kind, incidentKey: input.incidentKey, aboutTenant: input.aboutTenant } },
      `platform alert: ${input.title}`,
    );
  return { id: row.id, opened: row.inserted };
}

export async function resolvePlatformAlert(
  db: PlatformDb,
  id: string,
  actor: Actor & { operatorId: string },
  now = new Date(),
): Promise<boolean> {
  const resolved = await db
    .updateTable("platform_alerts")
    .set({ resolved_at: now, resolved_by: actor.operatorId })
    .where("id", "=", id)
    .where("resolved_at", "is", null)
    .returning(["kind", "about_tenant"])
    .executeTakeFirst();
  if (!resolved) return false;
  await recordPlatformAudit(db, actor, {
    action: "platform_alert.resolve",
    targetType: "platform_alert",
    targetId: id,
    tenantId: resolved.about_tenant,
    details: { kind: resolved.kind },
  });
  return true;
}

export async function listPlatformAlerts(db: PlatformDb, options: { page: number }) {
  const rows = await db
    .selectFrom("platform_alerts")
    .leftJoin("tenants", "tenants.id", "platform_alerts.about_tenant")
    .selectAll("platform_alerts")
    .select("tenants.name as tenantName")
    .orderBy(sql`platform_alerts.resolved_at is not null`)
    .orderBy("platform_alerts.last_seen_at", "desc")
    .orderBy("platform_alerts.id")
    .limit(ALERTS_PAGE_SIZE + 1)
    .offset((options.page - 1) * ALERTS_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, ALERTS_PAGE_SIZE), hasMore: rows.length > ALERTS_PAGE_SIZE };
}

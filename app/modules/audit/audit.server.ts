import type { PlatformDb, TenantDb } from "~db/client";

/** Who did something, from where. `ip` comes from the request (see `requestContext`). */
export interface Actor {
  userId?: string | null;
  operatorId?: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Appends to the tenant's audit log (append-only: the table refuses updates and deletes). */
export async function recordAudit(db: TenantDb, actor: Actor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_user_id: actor.userId ?? null,
      actor_operator_id: actor.operatorId ?? null,
      ip: actor.ip ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** Appends to the platform's own audit log: what operators did, to which tenant. */
export async function recordPlatformAudit(db: PlatformDb, actor: Actor, entry: AuditEntry & { tenantId?: string | null }): Promise<void> {
  await db
    .insertInto("platform_audit_log")
    .values({
      operator_id: actor.operatorId ?? null,
      subject_tenant: entry.tenantId ?? null,
      ip: actor.ip ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAudit(db: TenantDb, options: { page: number; action?: string }) {
  let query = db
    .selectFrom("audit_log")
    .leftJoin("users", (join) =>
      join.onRef("users.id", "=", "audit_log.actor_user_id").onRef("users.tenant_id", "=", "audit_log.tenant_id"),
    )
    .select([
      "audit_log.id",
      "audit_log.action",
      "audit_log.target_type",
      "audit_log.target_id",
      "audit_log.ip",
      "audit_log.details",
      "audit_log.created_at",
      "audit_log.actor_operator_id",
      "users.email as actor_email",
    ]);
  if (options.action) query = query.where("audit_log.action", "like", `${options.action}%`);
  const rows = await query
    .orderBy("audit_log.created_at", "desc")
    .orderBy("audit_log.id", "desc")
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((options.page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

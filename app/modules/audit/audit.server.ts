import { sql } from "kysely";
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

export interface AuditFilters {
  page: number;
  /** An action prefix: "auth." lists every sign-in event. Matched literally (no LIKE wildcards). */
  action?: string;
  /** Only entries about one thing, e.g. { type: "user", id } on a user's page. */
  target?: { type: string; id: string };
  pageSize?: number;
}

export async function listAudit(db: TenantDb, options: AuditFilters) {
  const pageSize = options.pageSize ?? AUDIT_PAGE_SIZE;
  let query = db
    .selectFrom("audit_log")
    .leftJoin("users", (join) =>
      join.onRef("users.id", "=", "audit_log.actor_user_id").onRef("users.tenant_id", "=", "audit_log.tenant_id"),
    )
    // The account an entry is about, when it is about one (target_id is text: it may also hold an
    // email someone typed at sign-in).
    .leftJoin("users as target_user", (join) =>
      join.on(
        sql<boolean>`audit_log.target_type = 'user' and target_user.tenant_id = audit_log.tenant_id
          and target_user.id::text = audit_log.target_id`,
      ),
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
      "audit_log.actor_user_id",
      "users.email as actor_email",
      "target_user.id as target_user_id",
      "target_user.email as target_email",
    ]);
  // "_" and "%" are LIKE wildcards: "auth.sign_in" must not also match "auth.signXin".
  if (options.action) query = query.where("audit_log.action", "like", `${options.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (options.target) {
    query = query.where("audit_log.target_type", "=", options.target.type).where("audit_log.target_id", "=", options.target.id);
  }
  const rows = await query
    .orderBy("audit_log.created_at", "desc")
    .orderBy("audit_log.id", "desc")
    .limit(pageSize + 1)
    .offset((options.page - 1) * pageSize)
    .execute();
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}

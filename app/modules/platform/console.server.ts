import type { PlatformDb } from "~db/client";

/**
 * The operator console's cross-tenant lists: the development outbox and the platform audit log.
 * Each runs on the platform path (withPlatform), never on a tenant handle, because operators see
 * every agency on purpose.
 */

export const CONSOLE_OUTBOX_PAGE_SIZE = 25;
export const PLATFORM_AUDIT_PAGE_SIZE = 50;

/** Agencies for the console's filters: id and name, by name. */
export async function tenantChoices(db: PlatformDb) {
  return db.selectFrom("tenants").select(["id", "name", "slug"]).orderBy("name").execute();
}

/** Every tenant's messages, newest first (show bodies through reviewableBody). */
export async function listAllMessages(db: PlatformDb, options: { page: number; tenantId?: string }) {
  let query = db
    .selectFrom("messages")
    .innerJoin("tenants", "tenants.id", "messages.tenant_id")
    .select([
      "messages.id",
      "messages.tenant_id",
      "tenants.name as tenant_name",
      "tenants.slug as tenant_slug",
      "messages.channel",
      "messages.template",
      "messages.recipient",
      "messages.subject",
      "messages.status",
      "messages.provider",
      "messages.error",
      "messages.attempts",
      "messages.created_at",
      "messages.sent_at",
      "messages.body_text",
      "messages.segments",
      "messages.encoding",
    ]);
  if (options.tenantId) query = query.where("messages.tenant_id", "=", options.tenantId);
  const rows = await query
    .orderBy("messages.created_at", "desc")
    .orderBy("messages.id", "desc")
    .limit(CONSOLE_OUTBOX_PAGE_SIZE + 1)
    .offset((options.page - 1) * CONSOLE_OUTBOX_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, CONSOLE_OUTBOX_PAGE_SIZE), hasMore: rows.length > CONSOLE_OUTBOX_PAGE_SIZE };
}

/** The platform audit log, newest first; optionally one action, or one agency's entries. */
export async function listPlatformAudit(db: PlatformDb, options: { page: number; action?: string; tenantId?: string; pageSize?: number }) {
  const pageSize = options.pageSize ?? PLATFORM_AUDIT_PAGE_SIZE;
  let query = db
    .selectFrom("platform_audit_log")
    .leftJoin("platform_operators", "platform_operators.id", "platform_audit_log.operator_id")
    .leftJoin("tenants", "tenants.id", "platform_audit_log.subject_tenant")
    .select([
      "platform_audit_log.id",
      "platform_audit_log.action",
      "platform_audit_log.target_type",
      "platform_audit_log.target_id",
      "platform_audit_log.ip",
      "platform_audit_log.details",
      "platform_audit_log.created_at",
      "platform_audit_log.subject_tenant",
      "platform_operators.email as operator_email",
      "tenants.name as tenant_name",
    ]);
  if (options.action) query = query.where("platform_audit_log.action", "=", options.action);
  if (options.tenantId) query = query.where("platform_audit_log.subject_tenant", "=", options.tenantId);
  const rows = await query
    // The identity column is insertion order, and its primary-key index serves this sort.
    .orderBy("platform_audit_log.id", "desc")
    .limit(pageSize + 1)
    .offset((options.page - 1) * pageSize)
    .execute();
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}

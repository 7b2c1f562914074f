import type { TenantDb } from "~db/client";
import type { DataExportStatus } from "~db/schema";
import { addJob } from "~db/jobs";
import { recordAudit } from "~/modules/audit/audit.server";
import { kindKey } from "~/modules/files/kinds";

/**
 * "Download my data" (Kenya's Data Protection Act and Malaysia's PDPA, right of access; decision
 * 034): a request is a `data_exports` row and one `build_data_export` job; the job builds the ZIP
 * (build.server.ts), stores it and emails a link that opens for the signed-in person only.
 *
 * requested → building → ready (until expires_at) → expired, or → failed. Plain status moves,
 * each a conditional update, as orders' are (docs/architecture.md §3): no machine of its own.
 */

/** Where an export's ZIP is stored: derived from the export, so a retried build overwrites the same object. */
export const exportKey = (tenantId: string, exportId: string) => kindKey(tenantId, "data-exports", `${exportId}.zip`);

/** How long a ready export is kept before the daily expiry deletes its file. */
export const EXPORT_KEPT_DAYS = 7;
/** At most this many requests per person in a rolling day, on top of one in flight at a time. */
export const EXPORTS_PER_DAY = 3;

export type ExportRequestOutcome = { ok: true; exportId: string } | { ok: false; code: "in_flight" | "too_many"; message: string };

export async function requestDataExport(
  db: TenantDb,
  tenantId: string,
  userId: string,
  ctx: { ip: string | null; now?: Date },
): Promise<ExportRequestOutcome> {
  const now = ctx.now ?? new Date();
  // The person's row lock makes two quick clicks wait for each other, so the count is exact.
  await db.selectFrom("users").select("id").where("id", "=", userId).forUpdate().executeTakeFirstOrThrow();
  const recent = await db
    .selectFrom("data_exports")
    .select(["status", "requested_at"])
    .where("user_id", "=", userId)
    .where("requested_at", ">", new Date(now.getTime() - 86_400_000))
    .execute();
  if (recent.some((r) => r.status === "requested" || r.status === "building")) {
    return { ok: false, code: "in_flight", message: "We are already preparing a copy of your data. It will be ready in a few minutes." };
  }
  if (recent.length >= EXPORTS_PER_DAY) {
    return {
      ok: false,
      code: "too_many",
      message: `You can ask for a copy of your data ${EXPORTS_PER_DAY} times a day. Please use the one you have, or try again tomorrow.`,
    };
  }
  const row = await db.insertInto("data_exports").values({ user_id: userId, requested_at: now }).returning("id").executeTakeFirstOrThrow();
  await addJob(
    db,
    "build_data_export",
    { tenantId, exportId: row.id },
    { jobKey: `build_data_export:${tenantId}:${row.id}`, maxAttempts: 3 },
  );
  await recordAudit(
    db,
    { userId, ip: ctx.ip },
    { action: "privacy.export_requested", targetType: "user", targetId: userId, details: { exportId: row.id } },
  );
  return { ok: true, exportId: row.id };
}

export interface ExportView {
  id: string;
  status: DataExportStatus;
  requestedAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
  sizeBytes: number | null;
  error: string | null;
}

/** The person's recent requests, newest first. */
export async function myDataExports(db: TenantDb, userId: string, limit = 5): Promise<ExportView[]> {
  const rows = await db
    .selectFrom("data_exports")
    .select(["id", "status", "requested_at", "ready_at", "expires_at", "size_bytes", "error"])
    .where("user_id", "=", userId)
    .orderBy("requested_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    requestedAt: r.requested_at,
    readyAt: r.ready_at,
    expiresAt: r.expires_at,
    sizeBytes: r.size_bytes,
    error: r.error,
  }));
}

/** The file of a ready, unexpired export of this person, or null (someone else's, gone, or not ready). */
export async function exportFileFor(db: TenantDb, userId: string, exportId: string, now = new Date()) {
  const row = await db
    .selectFrom("data_exports")
    .select(["id", "file_key", "requested_at", "expires_at"])
    .where("id", "=", exportId)
    .where("user_id", "=", userId)
    .where("status", "=", "ready")
    .executeTakeFirst();
  if (!row?.file_key || !row.expires_at || row.expires_at <= now) return null;
  return { fileKey: row.file_key, filename: `My-data-${row.requested_at.toISOString().slice(0, 10)}.zip` };
}

/** requested → building (again, on a retry). Null when there is nothing to build any more. */
export async function startBuilding(db: TenantDb, exportId: string, now = new Date()) {
  return db
    .updateTable("data_exports")
    .set({ status: "building", started_at: now, updated_at: now })
    .where("id", "=", exportId)
    .where("status", "in", ["requested", "building"])
    .returning(["id", "user_id", "requested_at"])
    .executeTakeFirst();
}

/** building → ready, pointing at the stored ZIP. False when it was not building (a repeat). */
export async function markReady(db: TenantDb, exportId: string, file: { key: string; sizeBytes: number }, now = new Date()) {
  const result = await db
    .updateTable("data_exports")
    .set({
      status: "ready",
      file_key: file.key,
      size_bytes: file.sizeBytes,
      ready_at: now,
      expires_at: new Date(now.getTime() + EXPORT_KEPT_DAYS * 86_400_000),
      updated_at: now,
    })
    .where("id", "=", exportId)
    .where("status", "=", "building")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** requested | building → failed, so the person may ask again. */
export async function markFailed(db: TenantDb, exportId: string, now = new Date()) {
  const result = await db
    .updateTable("data_exports")
    .set({ status: "failed", error: "We could not prepare this copy. Please ask for a new one.", updated_at: now })
    .where("id", "=", exportId)
    .where("status", "in", ["requested", "building"])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Ready exports past their expiry: the row lets go of the file (expired) in this transaction; the
 * caller deletes the files once it commits. Should that delete fail, the file is an orphan that the
 * daily orphan sweep removes (docs/architecture.md §6).
 */
export async function expireDataExports(db: TenantDb, now = new Date()): Promise<string[]> {
  const due = await db
    .selectFrom("data_exports")
    .select(["id", "file_key"])
    .where("status", "=", "ready")
    .where("expires_at", "<=", now)
    .forUpdate()
    .execute();
  if (!due.length) return [];
  await db
    .updateTable("data_exports")
    .set({ status: "expired", file_key: null, updated_at: now })
    .where(
      "id",
      "in",
      due.map((d) => d.id),
    )
    .execute();
  return due.map((d) => d.file_key!).filter(Boolean);
}

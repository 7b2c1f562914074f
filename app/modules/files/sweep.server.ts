import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import { isStoredFileKind, STORED_FILE_KINDS, type StoredFileKind } from "./kinds";
import { fileStore, type FileStore } from "./storage.server";

/**
 * Stored files that no row points to (an upload whose transaction failed after its file was
 * written and whose clean-up did not run, a crash between a certificate's file and its row) are
 * removed by a daily job (app/jobs/files.ts), one tenant at a time.
 *
 * A file younger than the grace period is never touched: an upload or a document job in flight
 * writes its file just before (or in the same transaction as) its row. Only kinds listed in
 * STORED_FILE_KINDS are swept; a key of any other kind is counted and left alone.
 */

/** Longer than any upload or document job takes, short enough that orphans do not pile up. */
export const ORPHAN_GRACE_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

export interface SweepResult {
  deleted: string[];
  /** Files pointed to, or younger than the grace period. */
  kept: number;
  /** Files of a kind the sweep does not know (never deleted). */
  unknown: number;
}

export async function sweepOrphanFiles(
  tenantId: string,
  options: { now?: Date; graceMs?: number; files?: FileStore } = {},
): Promise<SweepResult> {
  const files = options.files ?? fileStore();
  const cutoff = (options.now ?? new Date()).getTime() - (options.graceMs ?? ORPHAN_GRACE_MS);
  const result: SweepResult = { deleted: [], kept: 0, unknown: 0 };
  let batch: { key: string; kind: StoredFileKind }[] = [];
  const settle = async () => {
    const referenced = await withTenant(tenantId, (db) => referencedKeys(db, batch));
    for (const { key } of batch) {
      if (referenced.has(key)) result.kept += 1;
      else {
        await files.delete(key);
        result.deleted.push(key);
      }
    }
    batch = [];
  };
  for await (const file of files.list(`${tenantId}/`)) {
    const kind = file.key.split("/")[1];
    if (!isStoredFileKind(kind)) result.unknown += 1;
    else if (file.lastModified.getTime() > cutoff) result.kept += 1;
    else {
      batch.push({ key: file.key, kind });
      if (batch.length >= BATCH) await settle();
    }
  }
  if (batch.length) await settle();
  return result;
}

/** Which of these keys a row of their kind, or an email not yet delivered, points to. */
async function referencedKeys(db: TenantDb, files: { key: string; kind: StoredFileKind }[]): Promise<Set<string>> {
  const referenced = new Set<string>();
  for (const [kind, { table, column }] of Object.entries(STORED_FILE_KINDS)) {
    const keys = files.filter((f) => f.kind === kind).map((f) => f.key);
    if (!keys.length) continue;
    const rows = await sql<{ key: string }>`
      select ${sql.ref(column)} as key from ${sql.table(table)} where ${sql.ref(column)} = any(${keys})
    `.execute(db);
    for (const row of rows.rows) referenced.add(row.key);
  }
  const all = files.map((f) => f.key);
  const attached = await sql<{ key: string }>`
    select a->>'fileKey' as key
    from messages m, jsonb_array_elements(m.attachments) a
    where m.status not in ('sent', 'outbox') and a->>'fileKey' = any(${all})
  `.execute(db);
  for (const row of attached.rows) referenced.add(row.key);
  return referenced;
}

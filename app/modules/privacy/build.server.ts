import { withTenant } from "~db/client";
import { formatDate } from "~/lib/dates";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import { documentEntries, zipBuffer, type ZipEntry } from "~/modules/my-documents/zip.server";
import { notify } from "~/modules/notifications/notify.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { tenantById, tenantOrigin, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { collectPersonalData } from "./collect.server";
import { EXPORT_KEPT_DAYS, exportKey, markFailed, markReady, startBuilding } from "./exports.server";

/**
 * The `build_data_export` job's work (decision 034): collect the person's data, write
 * `my-data.json` and their documents into one ZIP, store it under a key derived from the export
 * (a retry overwrites the same object), then mark the export ready and email the link in one
 * transaction. A crash before that leaves a file the row does not point to, which the retry
 * overwrites or the orphan sweep removes.
 */
export type BuildOutcome = "ready" | "not_pending";

export async function buildDataExport(
  tenantId: string,
  exportId: string,
  options: { now?: Date; files?: FileStore } = {},
): Promise<BuildOutcome> {
  const now = options.now ?? new Date();
  const files = options.files ?? fileStore();
  const tenant = await requireTenant(tenantId);
  const started = await withTenant(tenantId, (db) => startBuilding(db, exportId, now));
  if (!started) return "not_pending";
  const userId = started.user_id;

  const data = await withTenant(tenantId, (db) => collectPersonalData(db, tenantId, userId, now));
  const body = await zipBuffer(entries(tenantId, userId, data, files));
  const key = exportKey(tenantId, exportId);
  await files.put(key, body, { contentType: "application/zip" });
  const origin = await tenantOrigin(tenant);

  const ready = await withTenant(tenantId, async (db) => {
    if (!(await markReady(db, exportId, { key, sizeBytes: body.length }, now))) return false;
    const expiresOn = (locale: string) => formatDate(new Date(now.getTime() + EXPORT_KEPT_DAYS * 86_400_000), locale, tenant.timeZone);
    await notify(db, tenantId, {
      event: "data_export_ready",
      to: { userId },
      vars: { link: `${origin}/account/privacy/exports/${exportId}`, expiresOn },
      dedupeKey: `data_export_ready:${exportId}`,
    });
    await recordAudit(
      db,
      { userId: null },
      { action: "privacy.export_ready", targetType: "user", targetId: userId, details: { exportId, sizeBytes: body.length } },
    );
    return true;
  });
  if (!ready) {
    // Stopped while it was being built (the account was closed): the copy must not outlive the request.
    await files.delete(key);
    return "not_pending";
  }
  return "ready";
}

/** The job's last attempt failed: the person is told and may ask again. */
export async function failDataExport(tenantId: string, exportId: string, now = new Date()): Promise<void> {
  const tenant = await requireTenant(tenantId);
  const origin = await tenantOrigin(tenant);
  await withTenant(tenantId, async (db) => {
    const row = await db.selectFrom("data_exports").select("user_id").where("id", "=", exportId).executeTakeFirst();
    if (!row || !(await markFailed(db, exportId, now))) return;
    await notify(db, tenantId, {
      event: "data_export_failed",
      to: { userId: row.user_id },
      vars: { link: `${origin}/account/privacy` },
      dedupeKey: `data_export_failed:${exportId}`,
    });
    await recordAudit(
      db,
      { userId: null },
      { action: "privacy.export_failed", targetType: "user", targetId: row.user_id, details: { exportId } },
    );
  });
}

async function* entries(tenantId: string, userId: string, data: unknown, files: FileStore): AsyncGenerator<ZipEntry> {
  yield { name: "README.txt", body: Buffer.from(README, "utf8"), compress: true };
  yield { name: "my-data.json", body: Buffer.from(JSON.stringify(data, null, 2), "utf8"), compress: true };
  yield* documentEntries(tenantId, userId, {}, { files, prefix: "documents/" });
}

const README = `This is a copy of the personal data we hold about you.

my-data.json   your account, identifiers, policies and their versions, instalments, payments,
               refunds, receipts, claims, beneficiaries, membership, messages we sent you,
               consents, sessions and the activity of your account
documents/     your certificates, receipts, letters and the files you sent us

Amounts are in minor units (cents) of the currency beside them. Times are in UTC.
`;

async function requireTenant(tenantId: string): Promise<TenantInfo> {
  const tenant = await tenantById(tenantId);
  if (!tenant) throw new Error(`No tenant ${tenantId}`);
  return tenant;
}

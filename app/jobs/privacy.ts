import type { Task } from "graphile-worker";
import { withTenant } from "~db/client";
import { fileStore } from "~/modules/files/storage.server";
import { buildDataExport, failDataExport } from "~/modules/privacy/build.server";
import { expireDataExports } from "~/modules/privacy/exports.server";
import { fanOut, tenantPayload, withId } from "./tenants";

/**
 * A customer's "download my data" (decision 034): one job per request. A failure is retried (three
 * attempts in all, `requestDataExport`); the last one marks the export failed and tells the person,
 * then fails the job so it shows in the worker's metrics.
 */
export const buildDataExportTask: Task = async (raw, helpers) => {
  const { tenantId, exportId } = withId("exportId").parse(raw);
  try {
    await buildDataExport(tenantId, exportId);
  } catch (error) {
    if (helpers.job.attempts >= helpers.job.max_attempts) await failDataExport(tenantId, exportId);
    throw error;
  }
};

/** Daily: ready exports past their expiry let go of their files, which are deleted. */
export const expireDataExportsTask = fanOut("expire_data_exports_tenant");

export const expireDataExportsTenantTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const keys = await withTenant(tenantId, (db) => expireDataExports(db));
  // After the commit: a file whose delete fails here is an orphan the daily sweep removes.
  for (const key of keys) await fileStore().delete(key);
  if (keys.length) helpers.logger.info(`Deleted ${keys.length} expired data export(s) of tenant ${tenantId}`);
};

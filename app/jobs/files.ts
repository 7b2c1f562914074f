import type { Task } from "graphile-worker";
import { sweepOrphanFiles } from "~/modules/files/sweep.server";
import { fanOut, tenantPayload } from "./tenants";

/** Daily: one sweep per tenant of stored files nothing points to (app/modules/files/sweep.server.ts). */
export const sweepOrphanFilesTask = fanOut("sweep_orphan_files_tenant");

export const sweepOrphanFilesTenantTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const { deleted, unknown } = await sweepOrphanFiles(tenantId);
  if (deleted.length) helpers.logger.info(`Removed ${deleted.length} stored file(s) of tenant ${tenantId} that nothing points to`);
  if (unknown) helpers.logger.warn(`Left ${unknown} stored file(s) of tenant ${tenantId} of a kind the sweep does not know`);
};

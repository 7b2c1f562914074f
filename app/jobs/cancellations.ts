import type { Task } from "graphile-worker";
import { sendCancellationDocuments } from "~/modules/cancellations/documents.server";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { requireTenantById, withId } from "./tenants";

/** A cancelled policy's letter and the customer's notice (decision 030); safe to run again. */
export const cancellationDocumentsTask: Task = async (raw, helpers) => {
  const { tenantId, versionId } = withId("versionId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  helpers.logger.debug(
    `cancellation_documents ${versionId}: ${await sendCancellationDocuments(tenant, versionId, await tenantOrigin(tenant))}`,
  );
};

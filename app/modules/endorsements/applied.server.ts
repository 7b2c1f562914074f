import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";

/**
 * A version of a policy came into force (applied now, or its additional premium was paid): its
 * certificate and the customer's notice follow by the job `policy_version_applied`, once per
 * version (its job key). Kept apart, with no imports of the payments module, so the payments'
 * apply path can call it.
 */
export async function versionApplied(db: TenantDb, tenantId: string, versionId: string): Promise<void> {
  await addJob(
    db,
    "policy_version_applied",
    { tenantId, policyVersionId: versionId },
    { jobKey: `policy_version_applied:${tenantId}:${versionId}` },
  );
}

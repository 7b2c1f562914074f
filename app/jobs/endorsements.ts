import type { Task } from "graphile-worker";
import { afterVersionApplied } from "~/modules/endorsements/notices.server";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { requireTenantById, withId } from "./tenants";

/** A policy's version came into force (issue 13): its certificate and the customer's notice. */
export const policyVersionAppliedTask: Task = async (raw, helpers) => {
  const { tenantId, policyVersionId } = withId("policyVersionId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  helpers.logger.debug(
    `policy version ${policyVersionId}: ${await afterVersionApplied(tenant, policyVersionId, await tenantOrigin(tenant))}`,
  );
};

import type { Task } from "graphile-worker";
import { runPolicyLifecycle } from "~/modules/renewals/daily.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { fanOut, requireTenantById, tenantPayload } from "./tenants";

/**
 * The daily policy lifecycle (decision 028): expiry, renewal offers, auto-renew and expiring
 * notices, per tenant on its own date. Asked hourly; every step is once-only, so running it again
 * the same day does nothing new.
 */
export const policyLifecycleTask = fanOut("policy_lifecycle_tenant");

export const policyLifecycleTenantTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const tenant = await requireTenantById(tenantId);
  const run = await runPolicyLifecycle(tenant, quoteDateIn(tenant.timeZone), await tenantOrigin(tenant));
  if (run.expired || run.offers || run.autoRenewals || run.expiring)
    helpers.logger.info(`policy lifecycle ${tenantId}: ${JSON.stringify(run)}`);
};

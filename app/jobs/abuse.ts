import type { Task } from "graphile-worker";
import { withPlatform, withTenant } from "~db/client";
import { sweepRateLimitBuckets } from "~/modules/abuse/rate-limit.server";
import { sweepApiIdempotency } from "~/modules/api/idempotency.server";
import { sweepSignInFailures } from "~/modules/auth/lockouts.server";
import { sweepOperatorSignInFailures } from "~/modules/platform/lockouts.server";
import { fanOut, tenantPayload } from "./tenants";

/**
 * Hourly housekeeping of abuse protection (decision 012): rate-limit buckets whose window has
 * ended (no tenant's data, so no tenant path), operators' day-old sign-in failures, then one job
 * per tenant for its accounts' failures and its day-old API idempotency answers (decision 045).
 */
export const sweepAbuseRecordsTask: Task = async (payload, helpers) => {
  await sweepRateLimitBuckets();
  await withPlatform((db) => sweepOperatorSignInFailures(db));
  await fanOut("sweep_sign_in_failures")(payload, helpers);
};

export const sweepSignInFailuresTask: Task = async (payload) => {
  const { tenantId } = tenantPayload.parse(payload);
  await withTenant(tenantId, async (db) => {
    await sweepSignInFailures(db);
    await sweepApiIdempotency(db);
  });
};

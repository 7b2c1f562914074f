import type { Task } from "graphile-worker";
import { lineText } from "~/lib/text";
import { RetryPayoutLater } from "~/modules/claims/payout-links.server";
import { recordCommissionPayout, sendCommissionPayout } from "~/modules/commissions/agent-payouts.server";
import { faultPoint } from "./faults";
import { requireTenantById, withId } from "./tenants";

/**
 * One agent's commission payout attempt (decision 047, with decision 025's rules): marked sent
 * before the call, so a worker that dies after the provider acted does not send it again.
 */
export const submitCommissionPayoutTask: Task = async (raw, helpers) => {
  const { tenantId, payoutId, origin } = withId("payoutId").extend({ origin: lineText().url() }).parse(raw);
  const tenant = await requireTenantById(tenantId);
  const sent = await sendCommissionPayout(tenant, payoutId, origin);
  if ("skipped" in sent) {
    helpers.logger.debug(`submit_commission_payout ${payoutId}: ${sent.skipped}`);
    return;
  }
  // The provider has acted and nothing here says so yet: the worst moment to die.
  faultPoint("submit_commission_payout:after_send");
  try {
    helpers.logger.debug(`submit_commission_payout ${payoutId}: ${await recordCommissionPayout(tenant, sent)}`);
  } catch (error) {
    if (error instanceof RetryPayoutLater) helpers.logger.info(error.message);
    throw error;
  }
};

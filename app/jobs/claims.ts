import type { Task } from "graphile-worker";
import { z } from "zod";
import { lineText } from "~/lib/text";
import { CLAIM_NOTICES, sendClaimNotice } from "~/modules/claims/notifications.server";
import { processPayoutEvent } from "~/modules/claims/payout-results.server";
import { recordPayout, reconcileSettlements, RetryPayoutLater, sendPayout } from "~/modules/claims/payouts.server";
import { reconcileAgentPayouts } from "~/modules/commissions/agent-payouts.server";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { faultPoint } from "./faults";
import { fanOut, requireTenantById, tenantPayload, withId } from "./tenants";

/**
 * Settling claims and telling claimants (decision 025). Each job does one thing and is safe to run
 * again: a payout attempt is marked sent before it goes and carries its idempotency key, results are
 * applied under the settlement's lock by its state machine, letters are stored under keys derived
 * from their record and emails are deduplicated per event.
 */

const origin = lineText().url();

export const submitPayoutTask: Task = async (raw, helpers) => {
  const { tenantId, settlementId, origin: site } = withId("settlementId").extend({ origin }).parse(raw);
  const tenant = await requireTenantById(tenantId);
  const sent = await sendPayout(tenant, settlementId, site);
  if ("skipped" in sent) {
    helpers.logger.debug(`submit_payout ${settlementId}: ${sent.skipped}`);
    return;
  }
  // The provider has acted and nothing here says so yet: the worst moment to die.
  faultPoint("submit_payout:after_send");
  try {
    helpers.logger.debug(`submit_payout ${settlementId}: ${await recordPayout(tenant, sent, site)}`);
  } catch (error) {
    if (error instanceof RetryPayoutLater) helpers.logger.info(error.message);
    throw error;
  }
};

export const processPayoutEventTask: Task = async (raw, helpers) => {
  const { tenantId, eventId } = withId("eventId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  const outcome = await processPayoutEvent(tenant, eventId, await tenantOrigin(tenant));
  helpers.logger.debug(`payout event ${eventId}: ${outcome}`);
};

export const reconcileSettlementsTask = fanOut("reconcile_tenant_settlements");

export const reconcileTenantSettlementsTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const tenant = await requireTenantById(tenantId);
  const site = await tenantOrigin(tenant);
  const run = await reconcileSettlements(tenant, site);
  if (run.requeued || run.asked || run.flagged) helpers.logger.info(`reconcile settlements ${tenantId}: ${JSON.stringify(run)}`);
  // Agents' commission payouts share the provider and the cadence (decision 047).
  const agents = await reconcileAgentPayouts(tenant, site);
  if (agents.requeued || agents.asked || agents.flagged)
    helpers.logger.info(`reconcile commission payouts ${tenantId}: ${JSON.stringify(agents)}`);
};

const noticePayload = withId("claimId").extend({
  notice: z.enum(CLAIM_NOTICES),
  revision: z.number().int().min(0),
  origin,
});

export const claimNotificationTask: Task = async (raw, helpers) => {
  const { tenantId, claimId, notice, revision, origin: site } = noticePayload.parse(raw);
  const tenant = await requireTenantById(tenantId);
  const outcome = await sendClaimNotice(tenant, { claimId, notice, revision, origin: site });
  helpers.logger.debug(`claim_notification ${claimId} ${notice}: ${outcome}`);
};

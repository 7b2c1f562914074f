import type { Task } from "graphile-worker";
import { autoDebitInstalment } from "~/modules/payments/autodebit.server";
import { describeSavedCard } from "~/modules/payments/saved-methods.server";
import { requireTenantById, withId } from "./tenants";

/**
 * Saved cards and auto-debit (decision 029). `autodebit_instalment` charges one instalment to its
 * policy's saved card (queued by the premium schedule when it falls due, keyed per instalment);
 * a provider it cannot reach makes the attempt throw so graphile-worker tries again later, and the
 * last attempt gives up: the charge is recorded as failed and the customer told.
 * `describe_saved_method` fetches a Stripe card's brand and last 4 (Stripe's webhooks name it by id).
 */
export const autodebitInstalmentTask: Task = async (raw, helpers) => {
  const { tenantId, instalmentId } = withId("instalmentId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  const giveUp = helpers.job.attempts >= helpers.job.max_attempts;
  const outcome = await autoDebitInstalment(tenant, instalmentId, { giveUp });
  if (outcome === "retry") throw new Error(`autodebit ${instalmentId}: the provider could not be reached; trying again later`);
  helpers.logger.debug(`autodebit_instalment ${instalmentId}: ${outcome}`);
};

export const describeSavedMethodTask: Task = async (raw) => {
  const { tenantId, methodId } = withId("methodId").parse(raw);
  const outcome = await describeSavedCard(tenantId, methodId);
  if (outcome !== "described" && outcome !== "gone") throw new Error(`describe_saved_method ${methodId}: ${outcome}`);
};

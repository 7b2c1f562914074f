import type { Task } from "graphile-worker";
import { withTenant } from "~db/client";
import { processProviderEvent, RetryLater } from "~/modules/payments/events.server";
import { reconcileMandates } from "~/modules/payments/mandate-reconcile.server";
import { reconcileTenant } from "~/modules/payments/reconcile.server";
import { requestRefund, submitRefund } from "~/modules/payments/refunds.server";
import { instalmentReceipt, renderOrderDocuments, renderPolicyCertificate } from "~/modules/policies/documents.server";
import { issueOrder } from "~/modules/policies/issuance.server";
import { runPremiumSchedule, settleInstalment } from "~/modules/policies/premiums.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { faultPoint } from "./faults";
import { fanOut, requireTenantById, tenantPayload, withId } from "./tenants";

/**
 * The payment and issuance jobs. Each parses its payload, does one thing (docs/architecture.md §5), and is
 * safe to run again: the modules it calls are once-only by constraint and state.
 */

export const processProviderEventTask: Task = async (raw, helpers) => {
  const { tenantId, eventId } = withId("eventId").parse(raw);
  try {
    const outcome = await processProviderEvent(tenantId, eventId);
    helpers.logger.debug(`provider event ${eventId}: ${outcome}`);
  } catch (error) {
    if (error instanceof RetryLater) helpers.logger.info(error.message);
    throw error;
  }
};

export const issueOrderTask: Task = async (raw, helpers) => {
  const { tenantId, orderId } = withId("orderId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  faultPoint("issue_order:before");
  const outcome = await withTenant(tenantId, (db) => issueOrder(db, tenant, orderId));
  // Policies are committed, documents and email not yet: the worst moment to die.
  faultPoint("issue_order:after_commit");
  helpers.logger.debug(`issue_order ${orderId}: ${outcome}`);
};

export const orderDocumentsTask: Task = async (raw, helpers) => {
  const { tenantId, orderId } = withId("orderId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  const outcome = await renderOrderDocuments(tenant, orderId, await tenantOrigin(tenant));
  helpers.logger.debug(`order_documents ${orderId}: ${outcome}`);
};

export const policyCertificateTask: Task = async (raw) => {
  const { tenantId, policyId } = withId("policyId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  await renderPolicyCertificate(tenant, policyId, await tenantOrigin(tenant));
};

export const settleInstalmentTask: Task = async (raw) => {
  const { tenantId, transactionId } = withId("transactionId").parse(raw);
  await withTenant(tenantId, (db) => settleInstalment(db, tenantId, transactionId));
};

export const instalmentReceiptTask: Task = async (raw) => {
  const { tenantId, transactionId } = withId("transactionId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  await instalmentReceipt(tenant, transactionId, await tenantOrigin(tenant));
};

export const submitRefundTask: Task = async (raw, helpers) => {
  const { tenantId, refundId } = withId("refundId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  const outcome = await submitRefund(tenantId, refundId, await tenantOrigin(tenant));
  helpers.logger.debug(`submit_refund ${refundId}: ${outcome}`);
};

/** A second payment for an order already paid goes back in full. */
export const refundDuplicatePaymentTask: Task = async (raw) => {
  const { tenantId, transactionId } = withId("transactionId").parse(raw);
  await withTenant(tenantId, async (db) => {
    const tx = await db
      .selectFrom("transactions")
      .select(["amount_minor", "refunded_minor", "status"])
      .where("id", "=", transactionId)
      .executeTakeFirstOrThrow();
    const pending = await db.selectFrom("refunds").select("id").where("transaction_id", "=", transactionId).executeTakeFirst();
    if (pending || tx.status !== "completed") return;
    const result = await requestRefund(db, tenantId, {
      transactionId,
      amountMinor: tx.amount_minor - tx.refunded_minor,
      reason: "Duplicate payment: the order was already paid",
      userId: null,
    });
    if (!result.ok) throw new Error(`Duplicate payment ${transactionId}: ${result.message}`);
  });
};

export const reconcilePaymentsTask = fanOut("reconcile_tenant_payments");
export const premiumScheduleTask = fanOut("premium_schedule_tenant");
/** E-mandates whose answer never came (decision 046). */
export const reconcileMandatesTask = fanOut("reconcile_tenant_mandates");

export const reconcileTenantPaymentsTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const run = await reconcileTenant(tenantId);
  if (run.asked || run.expired || run.reissued) helpers.logger.info(`reconcile ${tenantId}: ${JSON.stringify(run)}`);
};

export const reconcileTenantMandatesTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const run = await reconcileMandates(tenantId);
  if (run.asked || run.expired || run.errors) helpers.logger.info(`reconcile mandates ${tenantId}: ${JSON.stringify(run)}`);
};

export const premiumScheduleTenantTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const tenant = await requireTenantById(tenantId);
  const run = await runPremiumSchedule(tenant, quoteDateIn(tenant.timeZone), await tenantOrigin(tenant));
  if (run.fellDue || run.overdue || run.lapsed) helpers.logger.info(`premium schedule ${tenantId}: ${JSON.stringify(run)}`);
};

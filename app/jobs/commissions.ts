import type { Task } from "graphile-worker";
import { z } from "zod";
import { withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import { clawbackChargeback, clawbackRefund } from "~/modules/commissions/clawback.server";
import { closeMonth, monthsWaitingToClose } from "~/modules/commissions/close.server";
import { ledgerSettingsFor, recordCommissions } from "~/modules/commissions/ledger.server";
import { tellPayoutsPaid } from "~/modules/commissions/payout-notices.server";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { networkSettings } from "~/modules/network/settings.server";
import { queueChargebackClawbacks } from "~/modules/payments/chargebacks.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { faultPoint } from "./faults";
import { fanOut, requireTenantById, tenantPayload, withId } from "./tenants";

/**
 * Commission jobs: a payment's tiers once it is recorded, a refund's or a lost chargeback's
 * clawback, and the monthly close, which the hourly cron asks every tenant about (each decides in
 * its own time zone).
 */
export const recordCommissionsTask: Task = async (raw, helpers) => {
  const { tenantId, transactionId } = withId("transactionId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  await withTenant(tenantId, async (db) => {
    const written = await recordCommissions(db, await ledgerSettingsFor(db, tenant), { transactionIds: [transactionId] });
    // A refund that completed before this ran found nothing to claw back: do it now.
    const refunds = await db
      .selectFrom("refunds")
      .select("id")
      .where("transaction_id", "=", transactionId)
      .where("status", "=", "completed")
      .execute();
    for (const r of refunds)
      await addJob(db, "commission_clawback", { tenantId, refundId: r.id }, { jobKey: `commission_clawback:${tenantId}:${r.id}` });
    // Likewise a chargeback lost before.
    await queueChargebackClawbacks(db, tenantId, transactionId);
    if (written) helpers.logger.info(`commissions ${transactionId}: ${written} entries`);
  });
};

/** The money went back by a refund, or by a chargeback the agency lost. */
const clawbackPayload = z.union([withId("refundId"), withId("chargebackId")]);

export const commissionClawbackTask: Task = async (raw) => {
  const payload = clawbackPayload.parse(raw);
  const tenant = await requireTenantById(payload.tenantId);
  await withTenant(payload.tenantId, (db) =>
    "refundId" in payload
      ? clawbackRefund(db, payload.refundId, tenant.timeZone)
      : clawbackChargeback(db, payload.chargebackId, tenant.timeZone),
  );
};

export const commissionBatchPaidTask: Task = async (raw, helpers) => {
  const { tenantId, batchId } = withId("batchId").parse(raw);
  const told = await tellPayoutsPaid(tenantId, batchId, await tenantOrigin(await requireTenantById(tenantId)));
  helpers.logger.info(`commission batch ${batchId} paid: ${told} agents told`);
};

export const closeCommissionMonthsTask = fanOut("close_commission_month_tenant");

/**
 * Closes, oldest first, every ended month that still has entries waiting, once the tenant's
 * close day has come in its own time zone (and the tenant closes automatically).
 */
export const closeCommissionMonthTenantTask: Task = async (raw, helpers) => {
  const { tenantId } = tenantPayload.parse(raw);
  const tenant = await requireTenantById(tenantId);
  if (!tenant.features.agentNetwork) return;
  const now = new Date();
  const dayOfMonth = Number(quoteDateIn(tenant.timeZone, now).slice(8, 10));
  const lastEnded = addMonthsTo(monthOf(now, tenant.timeZone), -1);
  const months = await withTenant(tenantId, async (db) => {
    const settings = await networkSettings(db);
    if (!settings.autoClose || dayOfMonth < settings.closeDay) return [];
    return monthsWaitingToClose(db, lastEnded);
  });
  for (const month of months) {
    const result = await withTenant(tenantId, async (db) => {
      const closed = await closeMonth(db, { month, timeZone: tenant.timeZone, currency: tenant.currency, actorUserId: null }, now);
      faultPoint("close_commission_month:before_commit");
      return closed;
    });
    helpers.logger.info(`commission close ${tenantId} ${month}: ${JSON.stringify(result)}`);
    if (!result.ok) break;
  }
};

export const commissionTasks = {
  record_commissions: recordCommissionsTask,
  commission_clawback: commissionClawbackTask,
  commission_batch_paid: commissionBatchPaidTask,
  close_commission_months: closeCommissionMonthsTask,
  close_commission_month_tenant: closeCommissionMonthTenantTask,
};

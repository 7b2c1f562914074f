import { sql, type Selectable } from "kysely";
import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import type { TransactionsTable, TransactionStatus } from "~db/schema";
import { versionApplied } from "~/modules/endorsements/applied.server";
import { applyPolicyVersion } from "~/modules/policies/versions.server";
import { transition, transactionMachine, type TransactionEvent } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import type { PaymentStatus } from "./providers/index.server";
import { tellPaymentFailed } from "./failure-notice.server";
import { isSavedMethodProvider, keepSavedMethod } from "./saved-methods.server";

type TransactionRow = Selectable<TransactionsTable>;

/**
 * Applies what a provider says about a payment (a callback, or its status API) to our record,
 * which the caller has locked (SELECT … FOR UPDATE). The state machine decides; anything it
 * refuses changes nothing. Returns what happened, for the event inbox and the logs.
 *
 * - A success for a pending payment completes it; one for a payment we gave up on (failed,
 *   expired, cancelled) is taken only when the provider's status API confirmed it.
 * - A success for a different amount or currency than we asked for is never taken.
 * - Anything for a payment already completed or refunded is a duplicate or arrives out of order.
 */
export async function applyPaymentStatus(
  db: TenantDb,
  tenantId: string,
  tx: TransactionRow,
  status: PaymentStatus,
  /** actorUserId: the staff member who decided (an offline payment confirmed or rejected), for the timeline. */
  options: { confirmedByProvider: boolean; actorUserId?: string | null },
): Promise<string> {
  if (status.outcome === "pending") return "still_pending";
  if (status.outcome === "completed") {
    if (
      (status.amountMinor !== undefined && status.amountMinor !== tx.amount_minor) ||
      (status.currency !== undefined && status.currency !== tx.currency)
    ) {
      await db
        .updateTable("transactions")
        .set({
          failure_code: "amount_mismatch",
          failure_message: `The provider reported ${status.amountMinor} ${status.currency ?? ""} for a payment of ${tx.amount_minor} ${tx.currency}: not taken, check with the provider.`,
          updated_at: new Date(),
        })
        .where("id", "=", tx.id)
        .execute();
      return "rejected_amount_mismatch";
    }
    // A payment held for a wrong amount is not completed by an answer that names no amount (an
    // M-Pesa STK query): staff settle it with the provider.
    if (tx.failure_code === "amount_mismatch" && status.amountMinor === undefined) return "held_amount_mismatch";
    const event: TransactionEvent = tx.status === "pending" ? "complete" : "late_success";
    const moved = transition(transactionMachine, tx.status, event, { confirmedByProvider: options.confirmedByProvider });
    if (!moved.ok) return tx.status === "pending" ? `refused_${moved.code}` : `ignored_already_${tx.status}`;
    await db
      .updateTable("transactions")
      .set({
        status: "completed",
        provider_receipt: status.receipt ?? tx.provider_receipt,
        // What the provider converted (PayPal's rate and received amount), kept as it reported it.
        ...(status.details ? { provider_details: JSON.stringify(status.details) } : {}),
        // The database's transaction time, the same instant the order is marked paid below: an
        // agent's sales in a month are counted by it (commission qualification).
        completed_at: sql<Date>`now()`,
        failure_code: null,
        failure_message: null,
        updated_at: new Date(),
      })
      .where("id", "=", tx.id)
      .execute();
    await recordStateChange(db, {
      entity: "transaction",
      entityId: tx.id,
      from: tx.status,
      to: "completed",
      event,
      reason: status.receipt ?? null,
      actorUserId: options.actorUserId ?? null,
    });
    // The customer ticked "save this card" and the provider says it can be charged again (decision 029).
    if (tx.save_method && status.reusable && isSavedMethodProvider(tx.provider)) {
      await keepSavedMethod(db, tenantId, { userId: tx.user_id, provider: tx.provider, reusable: status.reusable });
    }
    await onPaymentCompleted(db, tenantId, tx);
    return event === "complete" ? "completed" : "late_success";
  }

  const event: TransactionEvent = status.outcome === "failed" ? "fail" : status.outcome === "cancelled" ? "cancel" : "expire";
  const moved = transition(transactionMachine, tx.status, event);
  if (!moved.ok) return `ignored_already_${tx.status}`;
  await db
    .updateTable("transactions")
    .set({
      status: moved.to as TransactionStatus,
      failure_code: status.reasonCode ?? status.providerCode ?? status.outcome,
      failure_message: status.customerMessage ?? "The payment did not go through.",
      updated_at: new Date(),
    })
    .where("id", "=", tx.id)
    .execute();
  await recordStateChange(db, {
    entity: "transaction",
    entityId: tx.id,
    from: tx.status,
    to: moved.to,
    event,
    reason: status.reasonCode ?? status.providerMessage ?? null,
    actorUserId: options.actorUserId ?? null,
  });
  if (moved.to === "failed") await tellPaymentFailed(db, tenantId, tx);
  return moved.to;
}

/**
 * Money arrived: mark what it paid for and queue the work that follows, in this transaction, so
 * the jobs exist exactly when the payment is recorded. Job keys make a repeat harmless.
 */
async function onPaymentCompleted(db: TenantDb, tenantId: string, tx: TransactionRow): Promise<void> {
  if (tx.order_id) {
    const order = await db
      .selectFrom("orders")
      .select(["id", "status", "cart_id", "agent_id"])
      .where("id", "=", tx.order_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const otherPayment = await db
      .selectFrom("transactions")
      .select("id")
      .where("order_id", "=", tx.order_id)
      .where("id", "!=", tx.id)
      .where("status", "in", ["completed", "partially_refunded", "refunded"])
      .executeTakeFirst();
    if (otherPayment) {
      // Paid twice (a late success for an attempt the customer had replaced): the order is
      // issued once, and this second payment goes back in full.
      await addJob(
        db,
        "refund_duplicate_payment",
        { tenantId, transactionId: tx.id },
        { jobKey: `refund_duplicate_payment:${tenantId}:${tx.id}` },
      );
      return;
    }
    if (order.status === "draft") {
      await db
        .updateTable("orders")
        .set({ status: "paid", paid_at: sql<Date>`now()`, updated_at: new Date() })
        .where("id", "=", order.id)
        .execute();
      await recordStateChange(db, { entity: "order", entityId: order.id, from: "draft", to: "paid", event: "pay" });
      if (order.cart_id)
        await db.updateTable("carts").set({ status: "checked_out", updated_at: new Date() }).where("id", "=", order.cart_id).execute();
    }
    await addJob(db, "issue_order", { tenantId, orderId: order.id }, { jobKey: `issue_order:${tenantId}:${order.id}` });
    if (order.agent_id) await queueCommissions(db, tenantId, tx.id);
    return;
  }
  if (tx.instalment_id) {
    await addJob(db, "settle_instalment", { tenantId, transactionId: tx.id }, { jobKey: `settle_instalment:${tenantId}:${tx.id}` });
    const sold = await db
      .selectFrom("instalments")
      .innerJoin("policies", "policies.id", "instalments.policy_id")
      .innerJoin("orders", "orders.id", "policies.order_id")
      .select("orders.agent_id")
      .where("instalments.id", "=", tx.instalment_id)
      .executeTakeFirst();
    if (sold?.agent_id) await queueCommissions(db, tenantId, tx.id);
  }
  // A change of cover's additional premium (issue 13, decision 031): the change is in force now.
  if (tx.policy_version_id && (await applyPolicyVersion(db, tx.policy_version_id)))
    await versionApplied(db, tenantId, tx.policy_version_id);
}

/** A sale credited to an agent pays its tiers once the payment is recorded (the ledger's unique key makes a repeat harmless). */
async function queueCommissions(db: TenantDb, tenantId: string, transactionId: string): Promise<void> {
  await addJob(db, "record_commissions", { tenantId, transactionId }, { jobKey: `record_commissions:${tenantId}:${transactionId}` });
}

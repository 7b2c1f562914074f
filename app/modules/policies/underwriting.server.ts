import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { formatMoney } from "~/lib/money";
import { recordAudit } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notify.server";
import { requestRefund } from "~/modules/payments/refunds.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { policyMachine, transition } from "~/modules/workflows";
import { advanceWorkflow } from "~/modules/workflows/engine.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { startCover } from "./issuance.server";
import { policyWorkflow, underwritingGate } from "./workflow.server";

/**
 * The underwriting queue's decisions. Approving starts the cover as issuance would have; declining
 * refunds what the customer paid for this policy (one refund per policy, a unique index) and tells
 * them why; referring hands the case to the workflow's next stage. Each decision is checked against
 * the policy's underwriting workflow (its stage must take the event, from someone with the
 * stage's role) and then moves it on, in the same transaction (./workflow.server.ts).
 */
type Decision = { ok: true } | { ok: false; message: string };

async function lockPending(db: TenantDb, policyId: string) {
  return db
    .selectFrom("policies")
    .innerJoin("order_items", "order_items.id", "policies.order_item_id")
    .innerJoin("products", "products.id", "policies.product_id")
    .innerJoin("users", "users.id", "policies.user_id")
    .innerJoin("orders", "orders.id", "policies.order_id")
    .select([
      "policies.id",
      "policies.status",
      "policies.order_id",
      "policies.user_id",
      "order_items.first_payment_minor",
      "products.name as product",
      "users.email",
      "users.name",
      "orders.holder",
      "orders.origin",
    ])
    .where("policies.id", "=", policyId)
    .forUpdate(["policies"])
    .executeTakeFirst();
}

async function orderPayment(db: TenantDb, orderId: string) {
  return db
    .selectFrom("transactions")
    .select(["id"])
    .where("order_id", "=", orderId)
    .where("status", "in", ["completed", "partially_refunded"])
    .executeTakeFirst();
}

export async function approvePolicy(db: TenantDb, tenant: TenantInfo, policyId: string, userId: string): Promise<Decision> {
  const policy = await lockPending(db, policyId);
  if (!policy) return { ok: false, message: "We could not find that policy." };
  const moved = transition(policyMachine, policy.status, "approve");
  if (!moved.ok) return { ok: false, message: `This policy is ${policy.status.replace(/_/g, " ")}: it cannot be approved.` };
  const gate = await underwritingGate(db, policyId, userId, "approve");
  if (!gate.ok) return gate;
  const payment = await orderPayment(db, policy.order_id);
  if (!payment) return { ok: false, message: "The order's payment is not complete (or was refunded), so cover cannot start." };
  await db.updateTable("policies").set({ status: "active", updated_at: new Date() }).where("id", "=", policyId).execute();
  await startCover(db, tenant, policyId, payment.id);
  await recordStateChange(db, {
    entity: "policy",
    entityId: policyId,
    from: policy.status,
    to: "active",
    event: "approve",
    actorUserId: userId,
  });
  await advanceWorkflow(db, policyWorkflow(tenant), { subjectId: policyId, event: "approve", actorUserId: userId });
  await recordAudit(db, { userId }, { action: "policy.approved", targetType: "policy", targetId: policyId, details: {} });
  await addJob(db, "policy_certificate", { tenantId: tenant.id, policyId }, { jobKey: `policy_certificate:${tenant.id}:${policyId}` });
  return { ok: true };
}

export async function declinePolicy(db: TenantDb, tenant: TenantInfo, policyId: string, userId: string, reason: string): Promise<Decision> {
  const policy = await lockPending(db, policyId);
  if (!policy) return { ok: false, message: "We could not find that policy." };
  const moved = transition(policyMachine, policy.status, "decline", { reason });
  if (!moved.ok) {
    return {
      ok: false,
      message: moved.code === "guard" ? moved.reason : `This policy is ${policy.status.replace(/_/g, " ")}: it cannot be declined.`,
    };
  }
  const gate = await underwritingGate(db, policyId, userId, "decline");
  if (!gate.ok) return gate;
  await db
    .updateTable("policies")
    .set({ status: "declined", decline_reason: reason.trim(), updated_at: new Date() })
    .where("id", "=", policyId)
    .execute();
  await recordStateChange(db, {
    entity: "policy",
    entityId: policyId,
    from: policy.status,
    to: "declined",
    event: "decline",
    reason: reason.trim(),
    actorUserId: userId,
  });
  await advanceWorkflow(db, policyWorkflow(tenant), { subjectId: policyId, event: "decline", actorUserId: userId, notes: reason.trim() });
  await recordAudit(
    db,
    { userId },
    { action: "policy.declined", targetType: "policy", targetId: policyId, details: { reason: reason.trim() } },
  );

  const payment = await orderPayment(db, policy.order_id);
  const amount = policy.first_payment_minor ?? 0;
  if (payment && amount > 0) {
    const refund = await requestRefund(db, tenant.id, {
      transactionId: payment.id,
      amountMinor: amount,
      reason: `Declined in underwriting: ${reason.trim()}`,
      userId,
      policyId,
    });
    if (!refund.ok) throw new Error(`Refund for declined policy ${policyId}: ${refund.message}`);
  }
  const site = policy.origin ?? "";
  await notify(db, tenant.id, {
    event: "policy_declined",
    to: { userId: policy.user_id, email: policy.holder.email ?? policy.email, name: policy.holder.name || policy.name },
    vars: {
      productName: policy.product,
      reason: reason.trim(),
      refund: (locale: string) => formatMoney(amount, tenant.currency, locale),
      link: `${site}/account/policies`,
    },
    dedupeKey: `policy_declined:${policyId}`,
  });
  return { ok: true };
}

/**
 * Hands a policy in underwriting to its workflow's next stage (a senior's review, say) with a note
 * for whoever works it. The policy's status does not change; the workflow's task history keeps
 * the note, and the audit log the act.
 */
export async function referPolicy(db: TenantDb, tenant: TenantInfo, policyId: string, userId: string, note: string): Promise<Decision> {
  const policy = await lockPending(db, policyId);
  if (!policy) return { ok: false, message: "We could not find that policy." };
  if (policy.status !== "pending_underwriting")
    return { ok: false, message: `This policy is ${policy.status.replace(/_/g, " ")}: it cannot be referred.` };
  if (!note.trim()) return { ok: false, message: "Say why you refer it: the next person reads it." };
  const gate = await underwritingGate(db, policyId, userId, "refer");
  if (!gate.ok) return gate;
  const moved = await advanceWorkflow(db, policyWorkflow(tenant), {
    subjectId: policyId,
    event: "refer",
    actorUserId: userId,
    notes: note.trim(),
  });
  if (!moved.moved) return { ok: false, message: "This policy's underwriting has no stage to refer it to." };
  await recordAudit(
    db,
    { userId },
    { action: "policy.referred", targetType: "policy", targetId: policyId, details: { note: note.trim(), from: moved.from, to: moved.to } },
  );
  return { ok: true };
}

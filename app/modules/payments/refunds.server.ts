import { createHmac } from "node:crypto";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import { formatMoney } from "~/lib/money";
import { env } from "~/lib/env.server";
import { transition, transactionMachine } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { logExchange, tokenHash } from "./gateway-log.server";
import type { RefundEvent } from "./providers/index.server";
import { transactionProvider } from "./settings.server";

/**
 * Refunds, full or partial, through the provider's API. A request is recorded first (so the money
 * already promised back counts against what is left), then one job makes the one provider call,
 * keyed by the refund's id (Stripe's idempotency key; Paystack and M-Pesa get one call per job).
 * The transaction moves only when the provider says the money went back.
 *
 * A payment an agent collected offline (cash, bank-in) has no provider to send money back: staff
 * return it themselves (bank transfer, cash), so a refund a staff member records is completed at
 * once, with no provider call, and the transaction moves as for any refund (commissions are clawed
 * back from it). Only a person records one: an automatic refund of an offline payment is refused.
 */
export type RefundRequestResult = { ok: true; refundId: string } | { ok: false; message: string; field?: "amount" | "reason" };

export async function requestRefund(
  db: TenantDb,
  tenantId: string,
  input: {
    transactionId: string;
    amountMinor: number;
    reason: string;
    userId: string | null;
    policyId?: string;
    /** A policy version's returned premium (issue 13): refunded once from each payment it comes back from. */
    policyVersionId?: string;
  },
): Promise<RefundRequestResult> {
  const tx = await db.selectFrom("transactions").selectAll().where("id", "=", input.transactionId).forNoKeyUpdate().executeTakeFirst();
  if (!tx) return { ok: false, message: "We could not find that payment." };
  if (!input.reason.trim()) return { ok: false, field: "reason", message: "Give a reason for the refund." };
  if (!["completed", "partially_refunded"].includes(tx.status))
    return { ok: false, message: `A ${tx.status.replace("_", " ")} payment cannot be refunded.` };
  const inFlight = await db
    .selectFrom("refunds")
    .select(sql<number>`coalesce(sum(amount_minor), 0)::bigint`.as("sum"))
    .where("transaction_id", "=", tx.id)
    .where("status", "in", ["requested", "pending"])
    .executeTakeFirstOrThrow();
  const refundedSoFar = tx.refunded_minor + Number(inFlight.sum);
  const remaining = tx.amount_minor - refundedSoFar;
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
    return { ok: false, field: "amount", message: "Enter an amount more than zero." };
  if (input.amountMinor > remaining)
    return {
      ok: false,
      field: "amount",
      message: `At most ${formatMoney(remaining, tx.currency, "en")} is left to refund on this payment.`,
    };

  if (tx.provider === "offline" && !input.userId)
    return { ok: false, message: "A payment collected offline is refunded by staff, who return the money themselves." };

  if (input.policyVersionId) {
    const existing = await db
      .selectFrom("refunds")
      .select("id")
      .where("policy_version_id", "=", input.policyVersionId)
      .where("transaction_id", "=", tx.id)
      .executeTakeFirst();
    if (existing) return { ok: true, refundId: existing.id };
  } else if (input.policyId) {
    const existing = await db
      .selectFrom("refunds")
      .select("id")
      .where("policy_id", "=", input.policyId)
      .where("policy_version_id", "is", null)
      .executeTakeFirst();
    if (existing) return { ok: true, refundId: existing.id };
  }
  const refund = await db
    .insertInto("refunds")
    .values({
      transaction_id: tx.id,
      amount_minor: input.amountMinor,
      reason: input.reason.trim(),
      requested_by: input.userId,
      policy_id: input.policyId ?? null,
      policy_version_id: input.policyVersionId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (tx.provider === "offline") {
    // Recorded by staff, who return the money themselves: nothing to send, no job.
    const outcome = await completeRefund(db, refund.id);
    if (outcome.startsWith("refused"))
      return { ok: false, field: "amount", message: "This refund does not fit what is left on the payment." };
    return { ok: true, refundId: refund.id };
  }
  await addJob(db, "submit_refund", { tenantId, refundId: refund.id }, { jobKey: `submit_refund:${tenantId}:${refund.id}` });
  return { ok: true, refundId: refund.id };
}

/**
 * The token in an M-Pesa reversal's ResultURL: the same on every try of the same refund (a keyed
 * hash of its id), so a result posted for an earlier try that timed out on our side still finds
 * its refund. Only its hash is stored; without the server's key it cannot be made.
 */
function refundCallbackToken(tenantId: string, refundId: string): string {
  return createHmac("sha256", Buffer.from(env().ENCRYPTION_KEY, "utf8"))
    .update(`mpesa-reversal:${tenantId}:${refundId}`)
    .digest("base64url");
}

/** The one provider call of a refund (job `submit_refund`). */
export async function submitRefund(tenantId: string, refundId: string, origin: string | null): Promise<string> {
  const loaded = await withTenant(tenantId, async (db) => {
    const refund = await db.selectFrom("refunds").selectAll().where("id", "=", refundId).forUpdate().executeTakeFirst();
    if (!refund || refund.status !== "requested") return undefined;
    // Marked as sent before the call: a worker that dies after the provider acted must not send the
    // refund again on retry (Paystack has no idempotency key). Its outcome then arrives by webhook,
    // or staff see it pending without a provider reference.
    await db.updateTable("refunds").set({ status: "pending" }).where("id", "=", refundId).execute();
    const tx = await db.selectFrom("transactions").selectAll().where("id", "=", refund.transaction_id).executeTakeFirstOrThrow();
    const order = tx.order_id ? await db.selectFrom("orders").select("origin").where("id", "=", tx.order_id).executeTakeFirst() : undefined;
    let callbackUrl: string | undefined;
    if (tx.provider === "mpesa") {
      const token = refundCallbackToken(tenantId, refundId);
      await db
        .updateTable("refunds")
        .set({ callback_token_hash: tokenHash(token) })
        .where("id", "=", refundId)
        .execute();
      callbackUrl = `${order?.origin ?? origin ?? ""}/webhooks/mpesa/${token}`;
    }
    // An offline payment's refund is completed when staff record it (requestRefund): never sent.
    return { refund, tx, provider: await transactionProvider(db, tenantId, tx), callbackUrl };
  });
  if (!loaded) return "not_requested";
  const { refund, tx, provider, callbackUrl } = loaded;
  const result = await provider.refund({
    providerRef: tx.provider_ref ?? "",
    receipt: tx.provider_receipt ?? undefined,
    amountMinor: refund.amount_minor,
    currency: tx.currency,
    reason: refund.reason,
    idempotencyKey: refund.id,
    callbackUrl,
  });
  // Logged on its own: a failed attempt that is retried belongs in the raw log too.
  await withTenant(tenantId, (db) =>
    logExchange(db, { transactionId: tx.id, provider: tx.provider, kind: "refund", exchange: result.exchange }),
  );
  if (result.status === "refused" && result.retryable) {
    // The provider did not act: back to requested, and the job's retry sends it again.
    await withTenant(tenantId, (db) => db.updateTable("refunds").set({ status: "requested" }).where("id", "=", refund.id).execute());
    throw new Error(`Refund ${refund.id}: ${result.providerMessage ?? result.reasonCode}`);
  }
  return withTenant(tenantId, async (db) => {
    if (result.status === "refused") {
      await db
        .updateTable("refunds")
        .set({ status: "refused", failure_message: result.customerMessage })
        .where("id", "=", refund.id)
        .execute();
      return "refused";
    }
    await db.updateTable("refunds").set({ status: "pending", provider_refund_ref: result.refundRef }).where("id", "=", refund.id).execute();
    if (result.status === "completed") return completeRefund(db, refund.id);
    return "pending";
  });
}

/** The provider says the money went back: the refund completes and the transaction moves, once. */
export async function completeRefund(db: TenantDb, refundId: string): Promise<string> {
  const refund = await db.selectFrom("refunds").selectAll().where("id", "=", refundId).forUpdate().executeTakeFirstOrThrow();
  if (refund.status === "completed") return "already_completed";
  const tx = await db
    .selectFrom("transactions")
    .selectAll()
    .where("id", "=", refund.transaction_id)
    .forNoKeyUpdate()
    .executeTakeFirstOrThrow();
  const moved = transition(transactionMachine, tx.status, "refund", {
    amount: refund.amount_minor,
    refundedSoFar: tx.refunded_minor,
    total: tx.amount_minor,
  });
  if (!moved.ok) {
    await db.updateTable("refunds").set({ status: "refused", failure_message: moved.reason }).where("id", "=", refund.id).execute();
    return `refused_${moved.code}`;
  }
  await db
    .updateTable("transactions")
    .set({ status: moved.to, refunded_minor: tx.refunded_minor + refund.amount_minor, updated_at: new Date() })
    .where("id", "=", tx.id)
    .execute();
  await db.updateTable("refunds").set({ status: "completed", completed_at: new Date() }).where("id", "=", refund.id).execute();
  await recordStateChange(db, {
    entity: "transaction",
    entityId: tx.id,
    from: tx.status,
    to: moved.to,
    event: "refund",
    reason: refund.reason,
    actorUserId: refund.requested_by,
  });
  // Commissions earned on this payment are clawed back by reversing entries (never edits).
  const earned = await db
    .selectFrom("commission_entries")
    .select("id")
    .where("transaction_id", "=", tx.id)
    .where("kind", "=", "earning")
    .executeTakeFirst();
  if (earned)
    await addJob(
      db,
      "commission_clawback",
      { tenantId: refund.tenant_id, refundId: refund.id },
      { jobKey: `commission_clawback:${refund.tenant_id}:${refund.id}` },
    );
  return moved.to;
}

/** A provider's refund callback (Paystack refund.*, Stripe charge.refunded, M-Pesa reversal result). */
export async function settleRefundEvent(db: TenantDb, _tenantId: string, transactionId: string, event: RefundEvent): Promise<string> {
  let query = db.selectFrom("refunds").select(["id", "status"]).where("transaction_id", "=", transactionId).where("status", "=", "pending");
  if (event.refundRef) query = query.where("provider_refund_ref", "=", event.refundRef);
  const refund = await query.orderBy("created_at").executeTakeFirst();
  if (!refund) return "no_pending_refund";
  if (event.outcome === "pending") return "still_pending";
  if (event.outcome === "failed") {
    await db
      .updateTable("refunds")
      .set({ status: "refused", failure_message: event.message ?? "The provider could not refund this payment." })
      .where("id", "=", refund.id)
      .execute();
    return "refund_failed";
  }
  return completeRefund(db, refund.id);
}

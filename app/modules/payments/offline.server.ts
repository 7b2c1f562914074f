import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { OfflineMethod, TransactionStatus } from "~db/schema";
import { formatMoney } from "~/lib/money";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { orderForPayment } from "~/modules/checkout/orders.server";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { applyPaymentStatus } from "./apply.server";
import { expireTransaction, freezeOrderAmounts, lockTransaction } from "./payments.server";

/**
 * Payments an agent collected offline (cash, a bank-in slip): recorded by the agent as a pending
 * transaction with provider "offline" and the agent's reference, for the amount the server works
 * out (never an amount from the form). No provider is ever asked about them and reconciliation never
 * expires them: staff confirm one under /admin/offline-payments, and it completes through the same
 * `applyPaymentStatus` as a provider's success (order paid, issuance queued, commissions), or reject
 * it with a reason (failed; the agent is told and the order stays open).
 */

export const OFFLINE_PAGE_SIZE = 25;

/** A provider payment started this recently may still be in the member's hands (a card form, an STK prompt). */
const ONLINE_ATTEMPT_ALIVE_MS = 10 * 60_000;

export type OfflineOutcome<T = object> = ({ ok: true } & T) | { ok: false; errors: Record<string, string[]> };

/**
 * The agent records money they collected for an order credited to them. The order must be ready
 * for payment (details, plan and terms done); its amounts are frozen as a provider payment would
 * freeze them. One payment in flight per order: a pending offline payment refuses a second one, an
 * online attempt the member is still making refuses this one, and an abandoned one is retired.
 */
export async function recordOfflinePayment(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "locale">,
  input: { orderId: string; agentId: string; agentUserId: string; method: OfflineMethod; reference: string },
  actor: Actor,
): Promise<OfflineOutcome<{ transactionId: string; amountMinor: number; currency: string }>> {
  const order = await db
    .selectFrom("orders")
    .select(["id", "user_id", "agent_id", "reference"])
    .where("id", "=", input.orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!order || order.agent_id !== input.agentId) return { ok: false, errors: { form: ["We could not find that order."] } };
  const payable = await orderForPayment(db, tenant, order.id, order.user_id, { offline: true });
  if (!payable.ok) return { ok: false, errors: { form: [payable.message] } };
  if (payable.order.dueNowMinor <= 0) return { ok: false, errors: { form: ["There is nothing to pay on this order."] } };

  const pending = await db
    .selectFrom("transactions")
    .select(["id", "provider", "created_at"])
    .where("order_id", "=", order.id)
    .where("status", "=", "pending")
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (pending?.provider === "offline")
    return { ok: false, errors: { form: ["A payment for this order is already recorded and waiting for staff to confirm it."] } };
  if (pending) {
    if (Date.now() - pending.created_at.getTime() < ONLINE_ATTEMPT_ALIVE_MS)
      return {
        ok: false,
        errors: { form: ["The member is paying this order online right now. Wait for that payment's outcome before recording one."] },
      };
    // An online attempt the member abandoned. Were its money to arrive after all, it is confirmed
    // with the provider and refunded as a duplicate (or staff reject this one).
    await expireTransaction(db, pending.id, "replaced", "A payment collected by the agent replaced this attempt.");
  }

  const reference = input.reference.trim();
  const reused = await db
    .selectFrom("transactions")
    .select("id")
    .where("provider", "=", "offline")
    .where(sql<string>`lower(provider_receipt)`, "=", reference.toLowerCase())
    .where("status", "in", ["pending", "completed", "partially_refunded", "refunded"])
    .executeTakeFirst();
  if (reused)
    return {
      ok: false,
      errors: { reference: ["This reference was already recorded for another payment. Check the receipt or slip number."] },
    };

  await freezeOrderAmounts(db, payable.order);
  const row = await db
    .insertInto("transactions")
    .values({
      order_id: order.id,
      user_id: order.user_id,
      provider: "offline",
      method: input.method,
      // Real money, collected in person: never a test payment.
      mode: "live",
      amount_minor: payable.order.dueNowMinor,
      currency: payable.order.currency,
      provider_receipt: reference,
      recorded_by: input.agentUserId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "transaction",
    entityId: row.id,
    from: null,
    to: "pending",
    event: "record_offline",
    reason: reference,
    actorUserId: input.agentUserId,
  });
  await recordAudit(db, actor, {
    action: "payment.offline_recorded",
    targetType: "transaction",
    targetId: row.id,
    details: {
      orderId: order.id,
      orderReference: order.reference,
      method: input.method,
      reference,
      amountMinor: payable.order.dueNowMinor,
      currency: payable.order.currency,
      agentId: input.agentId,
    },
  });
  return { ok: true, transactionId: row.id, amountMinor: payable.order.dueNowMinor, currency: payable.order.currency };
}

export type OfflineListStatus = "pending" | "completed" | "failed";

export interface OfflinePaymentRow {
  id: string;
  status: TransactionStatus;
  method: OfflineMethod;
  amountMinor: number;
  currency: string;
  reference: string | null;
  orderId: string | null;
  orderReference: string | null;
  memberName: string;
  memberEmail: string;
  agentName: string | null;
  agentNumber: string | null;
  failureMessage: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** Offline payments for staff: those waiting (oldest first, the longest wait on top), or those decided (newest first). */
export async function listOfflinePayments(
  db: TenantDb,
  options: { status: OfflineListStatus; page: number; pageSize?: number },
): Promise<{ rows: OfflinePaymentRow[]; hasMore: boolean; total: number }> {
  const pageSize = options.pageSize ?? OFFLINE_PAGE_SIZE;
  const statuses: TransactionStatus[] = options.status === "completed" ? ["completed", "partially_refunded", "refunded"] : [options.status];
  const base = db
    .selectFrom("transactions as t")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "t.tenant_id").onRef("u.id", "=", "t.user_id"))
    .leftJoin("members as m", (j) => j.onRef("m.tenant_id", "=", "t.tenant_id").onRef("m.user_id", "=", "t.user_id"))
    .leftJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "t.tenant_id").onRef("o.id", "=", "t.order_id"))
    .leftJoin("users as ru", (j) => j.onRef("ru.tenant_id", "=", "t.tenant_id").onRef("ru.id", "=", "t.recorded_by"))
    .leftJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "t.tenant_id").onRef("a.user_id", "=", "t.recorded_by"))
    .where("t.provider", "=", "offline")
    .where("t.status", "in", statuses);
  const oldestFirst = options.status === "pending";
  const [rows, total] = await Promise.all([
    base
      .select([
        "t.id",
        "t.status",
        "t.method",
        "t.amount_minor",
        "t.currency",
        "t.provider_receipt",
        "t.order_id",
        "t.failure_message",
        "t.created_at",
        "t.completed_at",
        "o.reference as order_reference",
        "u.name as user_name",
        "u.email as user_email",
        "m.name as member_name",
        "ru.name as agent_name",
        "a.agent_number",
      ])
      .orderBy("t.created_at", oldestFirst ? "asc" : "desc")
      .orderBy("t.id")
      .limit(pageSize + 1)
      .offset((options.page - 1) * pageSize)
      .execute(),
    base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.slice(0, pageSize).map((r) => ({
      id: r.id,
      status: r.status,
      method: r.method as OfflineMethod,
      amountMinor: r.amount_minor,
      currency: r.currency,
      reference: r.provider_receipt,
      orderId: r.order_id,
      orderReference: r.order_reference,
      memberName: r.member_name ?? r.user_name,
      memberEmail: r.user_email,
      agentName: r.agent_name,
      agentNumber: r.agent_number,
      failureMessage: r.failure_message,
      createdAt: r.created_at,
      completedAt: r.completed_at,
    })),
    hasMore: rows.length > pageSize,
    total: total.n,
  };
}

export type DecisionResult = { ok: true; outcome: string } | { ok: false; message: string; notFound?: true };

/** The offline payment, locked for a decision in the one lock order (its order, then it), or why not. */
async function lockOffline(db: TenantDb, transactionId: string) {
  const tx = await lockTransaction(db, transactionId);
  if (!tx || tx.provider !== "offline") return { ok: false as const, message: "Not found", notFound: true as const };
  if (tx.status !== "pending")
    return {
      ok: false as const,
      message:
        tx.status === "failed"
          ? "This payment was already rejected."
          : tx.status === "completed" || tx.status === "partially_refunded" || tx.status === "refunded"
            ? "This payment was already confirmed."
            : `This payment is ${tx.status.replace("_", " ")}: there is nothing to decide.`,
    };
  return { ok: true as const, tx };
}

/**
 * Staff confirm that the money arrived (the cash is in hand, the bank-in shows on the statement):
 * the payment completes through the same path as a provider's confirmed success, so the order is
 * paid and issued and commissions follow. An order already paid another way is refused: reject this
 * one and return the money.
 */
export async function confirmOfflinePayment(
  db: TenantDb,
  tenantId: string,
  transactionId: string,
  actor: Actor & { userId: string },
): Promise<DecisionResult> {
  const locked = await lockOffline(db, transactionId);
  if (!locked.ok) return locked;
  const { tx } = locked;
  if (tx.order_id) {
    const paid = await db
      .selectFrom("transactions")
      .select("id")
      .where("order_id", "=", tx.order_id)
      .where("id", "!=", tx.id)
      .where("status", "in", ["completed", "partially_refunded", "refunded"])
      .executeTakeFirst();
    if (paid)
      return {
        ok: false,
        message: "This order has already been paid another way. Reject this payment and return the money to the member.",
      };
  }
  const outcome = await applyPaymentStatus(
    db,
    tenantId,
    tx,
    {
      providerRef: tx.provider_receipt ?? tx.id,
      outcome: "completed",
      final: true,
      amountMinor: tx.amount_minor,
      currency: tx.currency,
      receipt: tx.provider_receipt ?? undefined,
      raw: null,
    },
    { confirmedByProvider: true, actorUserId: actor.userId },
  );
  if (outcome !== "completed") return { ok: false, message: `The payment could not be confirmed (${outcome}).` };
  await recordAudit(db, actor, {
    action: "payment.offline_confirmed",
    targetType: "transaction",
    targetId: tx.id,
    details: { orderId: tx.order_id, amountMinor: tx.amount_minor, currency: tx.currency, reference: tx.provider_receipt },
  });
  return { ok: true, outcome };
}

/** Staff reject an offline payment (no money, a wrong amount, a slip that does not match): failed, with the reason, and the agent is told. */
export async function rejectOfflinePayment(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "name" | "locale" | "branding">,
  transactionId: string,
  reason: string,
  actor: Actor & { userId: string },
  origin: string,
): Promise<DecisionResult> {
  const why = reason.trim();
  if (!why) return { ok: false, message: "Give the reason the payment is rejected: the agent sees it." };
  const locked = await lockOffline(db, transactionId);
  if (!locked.ok) return locked;
  const { tx } = locked;
  const outcome = await applyPaymentStatus(
    db,
    tenant.id,
    tx,
    {
      providerRef: tx.provider_receipt ?? tx.id,
      outcome: "failed",
      final: true,
      providerCode: "rejected_by_staff",
      providerMessage: why,
      customerMessage: `Not confirmed by our staff: ${why}`,
      raw: null,
    },
    { confirmedByProvider: false, actorUserId: actor.userId },
  );
  if (outcome !== "failed") return { ok: false, message: `The payment could not be rejected (${outcome}).` };
  await recordAudit(db, actor, {
    action: "payment.offline_rejected",
    targetType: "transaction",
    targetId: tx.id,
    details: { orderId: tx.order_id, amountMinor: tx.amount_minor, currency: tx.currency, reference: tx.provider_receipt, reason: why },
  });

  // The agent who recorded it hears why, with a way back to the member.
  if (tx.recorded_by) {
    const order = tx.order_id
      ? await db.selectFrom("orders").select("reference").where("id", "=", tx.order_id).executeTakeFirst()
      : undefined;
    const member = await db.selectFrom("members").select(["id", "name"]).where("user_id", "=", tx.user_id).executeTakeFirst();
    await notify(db, tenant.id, {
      event: "offline_payment_rejected",
      to: { userId: tx.recorded_by },
      vars: {
        memberName: member?.name ?? "—",
        orderReference: order?.reference ?? "—",
        amount: (locale: string) => formatMoney(tx.amount_minor, tx.currency, locale),
        reference: tx.provider_receipt ?? "—",
        reason: why,
        link: member ? `${origin}/agent/members/${member.id}` : `${origin}/agent`,
      },
      dedupeKey: `offline_rejected:${tx.id}`,
    });
  }
  return { ok: true, outcome };
}

/**
 * How long a payment has waited, in the unit the page says it in ("3 min", "5 h", "2 days"; the words
 * are the page's, in its language): computed on the server, independent of the browser's clock.
 */
export function waitedFor(since: Date, now = new Date()): { unit: "minutes" | "hours" | "days"; count: number } {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return { unit: "minutes", count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: "hours", count: hours };
  return { unit: "days", count: Math.floor(hours / 24) };
}

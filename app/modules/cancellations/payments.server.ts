import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { TransactionMethod, TransactionProvider } from "~db/schema";

/**
 * The money a policy holds (decision 030): every completed payment that paid for it, with the
 * policy's share of each and what could still come back from it.
 *
 * - The order's first payment pays each of its items' first instalments: the policy's share is its
 *   item's `first_payment_minor` (the whole payment for a one-item order).
 * - An instalment payment and a payment of a version's additional premium are the policy's alone.
 *
 * What was already refunded for the policy is taken off its share: on a payment of its own every
 * refund (requested, on its way or completed); on an order's payment shared with other policies the
 * refunds made for this policy. And nothing is ever more than the payment itself has left.
 */
export interface PolicyPayment {
  transactionId: string;
  provider: TransactionProvider;
  method: TransactionMethod;
  completedAt: Date;
  amountMinor: number;
  /** The policy's part of the payment. */
  shareMinor: number;
  /** Refunded (or on its way back) for this policy so far. */
  refundedMinor: number;
  /** What may still come back from this payment for this policy. */
  availableMinor: number;
  /** Collected offline (cash, bank-in): the agency returns it itself. */
  offline: boolean;
}

const COMPLETED = ["completed", "partially_refunded", "refunded"] as const;

export async function policyPayments(db: TenantDb, policyId: string): Promise<PolicyPayment[]> {
  const policy = await db
    .selectFrom("policies")
    .innerJoin("order_items", "order_items.id", "policies.order_item_id")
    .select(["policies.id", "policies.order_id", "order_items.first_payment_minor"])
    .where("policies.id", "=", policyId)
    .executeTakeFirst();
  if (!policy) return [];
  const items = await db
    .selectFrom("order_items")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("order_id", "=", policy.order_id)
    .executeTakeFirstOrThrow();
  // The order's first completed payment is the one that paid for it (a second is refunded as a duplicate).
  const orderPayment = await db
    .selectFrom("transactions")
    .selectAll()
    .where("order_id", "=", policy.order_id)
    .where("instalment_id", "is", null)
    .where("policy_version_id", "is", null)
    .where("status", "in", COMPLETED)
    .orderBy("completed_at")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  const own = await db
    .selectFrom("transactions")
    .selectAll()
    .where("status", "in", COMPLETED)
    .where((eb) =>
      eb.or([
        eb("instalment_id", "in", eb.selectFrom("instalments").select("id").where("policy_id", "=", policyId)),
        eb("policy_version_id", "in", eb.selectFrom("policy_versions").select("id").where("policy_id", "=", policyId)),
      ]),
    )
    .execute();

  const all = [...(orderPayment ? [orderPayment] : []), ...own];
  if (all.length === 0) return [];
  const refunds = await db
    .selectFrom("refunds")
    .select(["transaction_id", "policy_id", "amount_minor"])
    .where(
      "transaction_id",
      "in",
      all.map((t) => t.id),
    )
    .where("status", "in", ["requested", "pending", "completed"])
    .execute();

  return all
    .map((tx) => {
      const shared = tx.id === orderPayment?.id && items.n > 1;
      const onPayment = refunds.filter((r) => r.transaction_id === tx.id);
      const gone = onPayment.reduce((sum, r) => sum + r.amount_minor, 0);
      const forPolicy = shared ? onPayment.filter((r) => r.policy_id === policyId).reduce((sum, r) => sum + r.amount_minor, 0) : gone;
      const share = shared ? Math.min(policy.first_payment_minor ?? tx.amount_minor, tx.amount_minor) : tx.amount_minor;
      const refundedMinor = Math.min(forPolicy, share);
      return {
        transactionId: tx.id,
        provider: tx.provider,
        method: tx.method,
        completedAt: tx.completed_at ?? tx.created_at,
        amountMinor: tx.amount_minor,
        shareMinor: share,
        refundedMinor,
        availableMinor: Math.max(0, Math.min(share - refundedMinor, tx.amount_minor - gone)),
        offline: tx.provider === "offline",
      };
    })
    .sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime() || (a.transactionId < b.transactionId ? 1 : -1));
}

/** A return spread over the payments, newest first, never more than each one has left for the policy. */
export function allocateReturn(payments: readonly PolicyPayment[], returnMinor: number): { payment: PolicyPayment; amountMinor: number }[] {
  let left = returnMinor;
  const out: { payment: PolicyPayment; amountMinor: number }[] = [];
  for (const payment of payments) {
    if (left <= 0) break;
    const amountMinor = Math.min(left, payment.availableMinor);
    if (amountMinor <= 0) continue;
    out.push({ payment, amountMinor });
    left -= amountMinor;
  }
  return out;
}

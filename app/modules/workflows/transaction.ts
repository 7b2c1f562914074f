import { isMinorUnits } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * A payment transaction, recorded when the payment is initiated.
 *
 *   pending → completed | failed | cancelled | expired
 *   completed | partially_refunded → partially_refunded | refunded   (refund; the amount decides)
 *   failed | expired | cancelled → completed                           (late_success, provider-confirmed)
 *
 * refunded is final.
 */
export const TRANSACTION_STATES = ["pending", "completed", "failed", "cancelled", "expired", "partially_refunded", "refunded"] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

export const TRANSACTION_EVENTS = ["complete", "fail", "cancel", "expire", "refund", "late_success"] as const;
export type TransactionEvent = (typeof TRANSACTION_EVENTS)[number];

export interface TransactionContext {
  /** refund: the amount to refund now, in minor units. */
  amount: number;
  /** refund: what has been refunded before this refund (0 for none), in minor units. */
  refundedSoFar: number;
  /** refund: the transaction's amount, in minor units. */
  total: number;
  /** late_success: the provider's status API (not only a callback) confirmed that the money moved. */
  confirmedByProvider: boolean;
}

/** Why a refund of ctx.amount is refused; null when it fits in what is left to refund. */
export function refundProblem(ctx: Partial<TransactionContext>, from: TransactionState): string | null {
  const { amount, refundedSoFar, total } = ctx;
  if (!isMinorUnits(total) || total <= 0) return "A refund needs the transaction's total (in minor units)";
  if (!isMinorUnits(refundedSoFar) || refundedSoFar < 0) return "A refund needs how much was refunded before (0 for none)";
  if (from === "completed" && refundedSoFar !== 0) return "A completed transaction with no refund yet cannot have refunded anything before";
  if (from === "partially_refunded" && (refundedSoFar <= 0 || refundedSoFar >= total)) {
    return "A partially refunded transaction has refunded more than nothing and less than its total";
  }
  if (!isMinorUnits(amount)) return "A refund amount must be a whole number of minor units";
  if (amount <= 0) return "A refund must be more than zero";
  const remaining = total - refundedSoFar;
  if (amount > remaining) return `A refund of ${amount} is more than the ${remaining} left to refund`;
  return null;
}

const remainingAfter = (ctx: Partial<TransactionContext>) => (ctx.total ?? 0) - (ctx.refundedSoFar ?? 0) - (ctx.amount ?? 0);

export const transactionMachine = defineMachine<TransactionState, TransactionEvent, TransactionContext>({
  name: "transaction",
  states: TRANSACTION_STATES,
  events: TRANSACTION_EVENTS,
  initial: ["pending"],
  transitions: [
    { from: "pending", event: "complete", to: "completed" },
    { from: "pending", event: "fail", to: "failed" },
    { from: "pending", event: "cancel", to: "cancelled" },
    { from: "pending", event: "expire", to: "expired" },
    // One event, two outcomes: what is left after this refund decides partial or full.
    {
      from: ["completed", "partially_refunded"],
      event: "refund",
      to: "partially_refunded",
      guard: (ctx, from) => refundProblem(ctx, from) ?? (remainingAfter(ctx) === 0 ? "This refund is the whole remaining amount" : null),
    },
    {
      from: ["completed", "partially_refunded"],
      event: "refund",
      to: "refunded",
      guard: (ctx, from) => refundProblem(ctx, from) ?? (remainingAfter(ctx) > 0 ? "This refund leaves an amount still to refund" : null),
    },
    // A success that arrives after we gave up on the payment (failed, expired, or cancelled while
    // the customer was still approving it on the phone). The customer paid: dropping it would lose
    // their money and their cover. Accepting it on the callback alone would let a forged or
    // replayed callback turn a dead transaction into a paid one, so it is taken only once the
    // provider's status API (M-Pesa STK query, Paystack verify, Stripe retrieve) confirms it.
    {
      from: ["failed", "expired", "cancelled"],
      event: "late_success",
      to: "completed",
      guard: (ctx) =>
        ctx.confirmedByProvider === true
          ? null
          : "A late success is taken only once the provider's status API confirms that the money moved",
    },
  ],
});

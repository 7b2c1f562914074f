import { needsReason } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * A claim settlement: the payment of an approved claim to the claimant (decision 025).
 *
 *   pending | failed → processing   (pay: sent to a payout provider, or put in the bank file)
 *   pending | failed → paid         (record: staff enter the reference of a payment made elsewhere)
 *   processing | failed → paid      (confirm: the provider's result, or the bank's reference; money
 *                                    that went out after a failure is still recorded)
 *   processing → failed             (fail: the provider refused it, or the bank returned it)
 *   pending | failed → cancelled    (cancel, with a reason: nothing will be paid)
 *
 * paid and cancelled are final: a result that arrives after the payment was recorded (a timeout
 * after a success, the same success twice) changes nothing.
 */
export const SETTLEMENT_STATES = ["pending", "processing", "paid", "failed", "cancelled"] as const;
export type SettlementState = (typeof SETTLEMENT_STATES)[number];

export const SETTLEMENT_EVENTS = ["pay", "record", "confirm", "fail", "cancel"] as const;
export type SettlementEvent = (typeof SETTLEMENT_EVENTS)[number];

export const SETTLEMENT_METHODS = ["mpesa_b2c", "bank_transfer", "manual", "sandbox"] as const;
export type SettlementMethodName = (typeof SETTLEMENT_METHODS)[number];

export interface SettlementContext {
  /** pay: how, and who it goes to (a phone for M-Pesa, an account for a bank transfer). */
  method: SettlementMethodName;
  payeeReady: boolean;
  /** record / confirm: the payment's reference (a receipt, a cheque number, the bank's reference). */
  reference: string;
  /** fail / cancel: why. */
  reason: string;
}

const needsReference = (ctx: Partial<SettlementContext>, what: string) =>
  typeof ctx.reference === "string" && ctx.reference.trim() !== "" ? null : `${what} needs the payment's reference`;

export const settlementMachine = defineMachine<SettlementState, SettlementEvent, SettlementContext>({
  name: "settlement",
  states: SETTLEMENT_STATES,
  events: SETTLEMENT_EVENTS,
  initial: ["pending"],
  transitions: [
    {
      from: ["pending", "failed"],
      event: "pay",
      to: "processing",
      guard: (ctx) =>
        ctx.method === "mpesa_b2c" || ctx.method === "bank_transfer" || ctx.method === "sandbox"
          ? ctx.payeeReady === true
            ? null
            : "Paying needs the payee's details for this method"
          : "Paying needs a payout method (M-Pesa, a bank transfer or the sandbox)",
    },
    { from: ["pending", "failed"], event: "record", to: "paid", guard: (ctx) => needsReference(ctx, "Recording a payment") },
    { from: ["processing", "failed"], event: "confirm", to: "paid", guard: (ctx) => needsReference(ctx, "Confirming a payment") },
    { from: "processing", event: "fail", to: "failed", guard: (ctx) => needsReason(ctx.reason, "Marking a payment failed") },
    { from: ["pending", "failed"], event: "cancel", to: "cancelled", guard: (ctx) => needsReason(ctx.reason, "Cancelling a settlement") },
  ],
});

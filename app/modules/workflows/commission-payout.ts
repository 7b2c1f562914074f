import { defineMachine } from "./state-machine";

/**
 * One agent's line of a commission payout batch paid through a payout provider (decision 047,
 * M-Pesa B2C as in decision 025):
 *
 *   open | failed → processing   (pay: staff start the batch's payouts; a failed one is tried again)
 *   processing | failed → paid   (confirm: the provider's result; money that went out after a
 *                                 failure is still recorded)
 *   processing → failed          (fail: the provider refused it)
 *
 * paid is final: a result after the payment was recorded (a timeout after a success, the same
 * success twice) changes nothing.
 */
export const COMMISSION_PAYOUT_STATES = ["open", "processing", "paid", "failed"] as const;
export type CommissionPayoutState = (typeof COMMISSION_PAYOUT_STATES)[number];

export const COMMISSION_PAYOUT_EVENTS = ["pay", "confirm", "fail"] as const;
export type CommissionPayoutEvent = (typeof COMMISSION_PAYOUT_EVENTS)[number];

export const commissionPayoutMachine = defineMachine<CommissionPayoutState, CommissionPayoutEvent>({
  name: "commission_payout",
  states: COMMISSION_PAYOUT_STATES,
  events: COMMISSION_PAYOUT_EVENTS,
  initial: ["open"],
  transitions: [
    { from: ["open", "failed"], event: "pay", to: "processing" },
    { from: ["processing", "failed"], event: "confirm", to: "paid" },
    { from: "processing", event: "fail", to: "failed" },
  ],
});

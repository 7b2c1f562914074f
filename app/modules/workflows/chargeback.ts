import { defineMachine } from "./state-machine";

/**
 * A chargeback: a cardholder's dispute of a payment, as its provider reports it.
 *
 *   open → won     (win: decided for the merchant, or an inquiry closed; the money stays)
 *   open → lost    (lose: decided for the cardholder; the money is gone and commissions go with it)
 *
 * won and lost are final: a provider's event that arrives late (an `updated` after the `closed`)
 * never reopens or reverses a decided dispute. A dispute first heard of when it is already decided
 * starts there.
 */
export const CHARGEBACK_STATES = ["open", "won", "lost"] as const;
export type ChargebackState = (typeof CHARGEBACK_STATES)[number];

export const CHARGEBACK_EVENTS = ["win", "lose"] as const;
export type ChargebackEvent = (typeof CHARGEBACK_EVENTS)[number];

export const chargebackMachine = defineMachine<ChargebackState, ChargebackEvent>({
  name: "chargeback",
  states: CHARGEBACK_STATES,
  events: CHARGEBACK_EVENTS,
  initial: ["open", "won", "lost"],
  transitions: [
    { from: "open", event: "win", to: "won" },
    { from: "open", event: "lose", to: "lost" },
  ],
});

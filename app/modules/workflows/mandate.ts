import { defineMachine } from "./state-machine";

/**
 * An e-mandate (decision 046): a member's standing authority for the agency to debit their bank.
 *
 *   pending → active     (authorise: the member approved it at their bank)
 *   pending → rejected   (reject: the bank or the member refused it)
 *   active  → paused     (pause: the member or the bank stopped it for now)
 *   pending | active | paused → cancelled | expired
 *
 * Only forward: the provider's events may arrive twice, late or out of order (an `authorised`
 * after the `cancelled`), and none may bring an ended mandate back or debit on a paused one again.
 * rejected, cancelled and expired are final.
 */
export const MANDATE_STATES = ["pending", "active", "paused", "cancelled", "expired", "rejected"] as const;
export type MandateState = (typeof MANDATE_STATES)[number];

export const MANDATE_EVENTS = ["authorise", "reject", "pause", "cancel", "expire"] as const;
export type MandateEventName = (typeof MANDATE_EVENTS)[number];

export const mandateMachine = defineMachine<MandateState, MandateEventName>({
  name: "mandate",
  states: MANDATE_STATES,
  events: MANDATE_EVENTS,
  initial: ["pending"],
  transitions: [
    { from: "pending", event: "authorise", to: "active" },
    { from: "pending", event: "reject", to: "rejected" },
    { from: "active", event: "pause", to: "paused" },
    { from: ["pending", "active", "paused"], event: "cancel", to: "cancelled" },
    { from: ["pending", "active", "paused"], event: "expire", to: "expired" },
  ],
});

/** The event that moves a mandate to the status a provider reports. */
export const MANDATE_EVENT_FOR: Record<Exclude<MandateState, "pending">, MandateEventName> = {
  active: "authorise",
  rejected: "reject",
  paused: "pause",
  cancelled: "cancel",
  expired: "expire",
};

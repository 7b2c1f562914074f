import { needsReason } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * One instalment of a policy's premium.
 *
 *   scheduled → due → paid | overdue      (fall_due → pay | become_overdue)
 *   overdue → paid | written_off          (pay | write_off, with a reason)
 *   scheduled → paid                      (pay early)
 *   scheduled → cancelled                 (cancel: the policy was cancelled)
 *
 * paid, written_off and cancelled are final. An overdue instalment is what moves its policy to
 * grace (policy.ts); the two machines are separate and the caller moves both.
 */
export const INSTALMENT_STATES = ["scheduled", "due", "overdue", "paid", "written_off", "cancelled"] as const;
export type InstalmentState = (typeof INSTALMENT_STATES)[number];

export const INSTALMENT_EVENTS = ["fall_due", "pay", "become_overdue", "write_off", "cancel"] as const;
export type InstalmentEvent = (typeof INSTALMENT_EVENTS)[number];

export interface InstalmentContext {
  /** write_off: why the debt is given up. */
  reason: string;
}

export const instalmentMachine = defineMachine<InstalmentState, InstalmentEvent, InstalmentContext>({
  name: "instalment",
  states: INSTALMENT_STATES,
  events: INSTALMENT_EVENTS,
  initial: ["scheduled"],
  transitions: [
    { from: "scheduled", event: "fall_due", to: "due" },
    { from: ["scheduled", "due", "overdue"], event: "pay", to: "paid" },
    { from: "due", event: "become_overdue", to: "overdue" },
    { from: "overdue", event: "write_off", to: "written_off", guard: (ctx) => needsReason(ctx.reason, "Writing off an instalment") },
    // Only instalments not yet due: what fell due while the policy gave cover is still owed.
    { from: "scheduled", event: "cancel", to: "cancelled" },
  ],
});

import { needsReason } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * A member of an agent network (KHHoldings' policyholders; decision 035).
 *
 *   pending → active                     (activate: reserved, nothing registers a pending member today)
 *   active → suspended → active          (suspend → reinstate, each with a reason)
 *   pending | active | suspended → terminated   (terminate, with a reason)
 *
 * terminated is final. Every move needs a reason: the member is told it and it stays on the timeline.
 */
// The statuses of members.status (db/schema.ts MemberStatus); this module imports nothing outside workflows.
export const MEMBER_STATES = ["pending", "active", "suspended", "terminated"] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

export const MEMBER_EVENTS = ["activate", "suspend", "reinstate", "terminate"] as const;
export type MemberEvent = (typeof MEMBER_EVENTS)[number];

export interface MemberContext {
  reason: string;
}

export const memberMachine = defineMachine<MemberState, MemberEvent, MemberContext>({
  name: "member",
  states: MEMBER_STATES,
  events: MEMBER_EVENTS,
  initial: ["active", "pending"],
  transitions: [
    { from: "pending", event: "activate", to: "active", guard: (ctx) => needsReason(ctx.reason, "Activating a member") },
    { from: "active", event: "suspend", to: "suspended", guard: (ctx) => needsReason(ctx.reason, "Suspending a member") },
    { from: "suspended", event: "reinstate", to: "active", guard: (ctx) => needsReason(ctx.reason, "Reinstating a member") },
    {
      from: ["pending", "active", "suspended"],
      event: "terminate",
      to: "terminated",
      guard: (ctx) => needsReason(ctx.reason, "Terminating a member"),
    },
  ],
});

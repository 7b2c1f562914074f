import { needsReason } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * An agent in the network (KHHoldings' statuses).
 *
 *   pending → active | rejected           (approve: an admin approves | reject, with a reason)
 *   active → suspended → active           (suspend, with a reason → reinstate)
 *   active | suspended → terminated       (terminate, with a reason)
 *
 * rejected and terminated are final.
 */
export const AGENT_STATES = ["pending", "active", "suspended", "rejected", "terminated"] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const AGENT_EVENTS = ["approve", "reject", "suspend", "reinstate", "terminate"] as const;
export type AgentEvent = (typeof AGENT_EVENTS)[number];

export interface AgentContext {
  /** reject, suspend, terminate: kept on the timeline and told to the agent. */
  reason: string;
}

export const agentMachine = defineMachine<AgentState, AgentEvent, AgentContext>({
  name: "agent",
  states: AGENT_STATES,
  events: AGENT_EVENTS,
  initial: ["pending"],
  transitions: [
    { from: "pending", event: "approve", to: "active" },
    { from: "pending", event: "reject", to: "rejected", guard: (ctx) => needsReason(ctx.reason, "Rejecting an agent") },
    { from: "active", event: "suspend", to: "suspended", guard: (ctx) => needsReason(ctx.reason, "Suspending an agent") },
    { from: "suspended", event: "reinstate", to: "active" },
    {
      from: ["active", "suspended"],
      event: "terminate",
      to: "terminated",
      guard: (ctx) => needsReason(ctx.reason, "Terminating an agent"),
    },
  ],
});

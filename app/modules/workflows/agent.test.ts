import { describe, expect, it } from "vitest";
import { agentMachine as m, type AgentContext, type AgentEvent, type AgentState } from "./agent";
import { allowedEvents, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const reason = { reason: "Mis-selling complaint under investigation" };

const legal: Move<AgentState, AgentEvent, AgentContext>[] = [
  ["pending", "approve", "active"],
  ["pending", "reject", "rejected", reason],
  ["active", "suspend", "suspended", reason],
  ["suspended", "reinstate", "active"],
  ["active", "terminate", "terminated", reason],
  ["suspended", "terminate", "terminated", reason],
];

describe("agent machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) => expectIllegal(m, state, event, reason));

  it.each<[string, AgentState, AgentEvent, RegExp]>([
    ["suspending an agent not yet approved", "pending", "suspend", /pending cannot take "suspend"/],
    ["reinstating an active agent", "active", "reinstate", /possible: suspend, terminate/],
    ["approving a suspended agent instead of reinstating", "suspended", "approve", /possible: reinstate, terminate/],
    ["bringing back a terminated agent", "terminated", "reinstate", /terminated is final/],
    ["approving a rejected applicant", "rejected", "approve", /rejected is final/],
  ])("refuses %s", (_what, state, event, message) => {
    const result = transition(m, state, event, reason);
    expect(!result.ok && result.reason).toMatch(message);
  });

  it.each<[AgentState, AgentEvent, string]>([
    ["pending", "reject", "Rejecting an agent needs a reason"],
    ["active", "suspend", "Suspending an agent needs a reason"],
    ["active", "terminate", "Terminating an agent needs a reason"],
    ["suspended", "terminate", "Terminating an agent needs a reason"],
  ])("needs a reason: %s --%s-->", (state, event, message) => {
    expect(transition(m, state, event)).toMatchObject({ ok: false, code: "guard", reason: message });
    expect(transition(m, state, event, { reason: "\t" })).toMatchObject({ ok: false, code: "guard", reason: message });
  });

  it("has rejected and terminated as final states", () => {
    expect(m.final).toEqual(["rejected", "terminated"]);
  });

  it.each<[AgentState, AgentEvent[]]>([
    ["pending", ["approve", "reject"]],
    ["active", ["suspend", "terminate"]],
    ["suspended", ["reinstate", "terminate"]],
    ["rejected", []],
    ["terminated", []],
  ])("allows from %s: %j", (state, events) => expect(allowedEvents(m, state)).toEqual(events));
});

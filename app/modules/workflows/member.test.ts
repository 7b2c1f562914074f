import { describe, expect, it } from "vitest";
import { memberMachine as m, type MemberContext, type MemberEvent, type MemberState } from "./member";
import { allowedEvents, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const reason = { reason: "Premiums unpaid: three months in arrears" };

const legal: Move<MemberState, MemberEvent, MemberContext>[] = [
  ["pending", "activate", "active", reason],
  ["active", "suspend", "suspended", reason],
  ["suspended", "reinstate", "active", reason],
  ["pending", "terminate", "terminated", reason],
  ["active", "terminate", "terminated", reason],
  ["suspended", "terminate", "terminated", reason],
];

describe("member machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) => expectIllegal(m, state, event, reason));

  it.each<[string, MemberState, MemberEvent, RegExp]>([
    ["suspending a suspended member again", "suspended", "suspend", /possible: reinstate, terminate/],
    ["reinstating an active member", "active", "reinstate", /possible: suspend, terminate/],
    ["bringing back a terminated member", "terminated", "reinstate", /terminated is final/],
    ["suspending a terminated member", "terminated", "suspend", /terminated is final/],
  ])("refuses %s", (_what, state, event, message) => {
    const result = transition(m, state, event, reason);
    expect(!result.ok && result.reason).toMatch(message);
  });

  it.each<[MemberState, MemberEvent, string]>([
    ["active", "suspend", "Suspending a member needs a reason"],
    ["suspended", "reinstate", "Reinstating a member needs a reason"],
    ["active", "terminate", "Terminating a member needs a reason"],
    ["suspended", "terminate", "Terminating a member needs a reason"],
  ])("needs a reason: %s --%s-->", (state, event, message) => {
    expect(transition(m, state, event)).toMatchObject({ ok: false, code: "guard", reason: message });
    expect(transition(m, state, event, { reason: " \n " })).toMatchObject({ ok: false, code: "guard", reason: message });
  });

  it("has terminated as its only final state", () => expect(m.final).toEqual(["terminated"]));

  it.each<[MemberState, MemberEvent[]]>([
    ["pending", ["activate", "terminate"]],
    ["active", ["suspend", "terminate"]],
    ["suspended", ["reinstate", "terminate"]],
    ["terminated", []],
  ])("allows from %s: %j", (state, events) => expect(allowedEvents(m, state)).toEqual(events));
});

import { describe, expect, it } from "vitest";
import { instalmentMachine as m, type InstalmentContext, type InstalmentEvent, type InstalmentState } from "./instalment";
import { allowedEvents, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const legal: Move<InstalmentState, InstalmentEvent, InstalmentContext>[] = [
  ["scheduled", "fall_due", "due"],
  ["scheduled", "pay", "paid"],
  ["due", "pay", "paid"],
  ["due", "become_overdue", "overdue"],
  ["overdue", "pay", "paid"],
  ["overdue", "write_off", "written_off", { reason: "Customer deceased" }],
  ["scheduled", "cancel", "cancelled"],
];

describe("instalment machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) =>
    expectIllegal(m, state, event, { reason: "any" }),
  );

  it.each<[string, InstalmentState, InstalmentEvent, RegExp]>([
    ["paying twice", "paid", "pay", /paid is final/],
    ["cancelling an instalment already due", "due", "cancel", /due cannot take "cancel"/],
    ["writing off an instalment not yet overdue", "due", "write_off", /possible: pay, become_overdue/],
    ["reviving a written-off instalment", "written_off", "pay", /written_off is final/],
  ])("refuses %s", (_what, state, event, message) => {
    const result = transition(m, state, event, { reason: "any" });
    expect(!result.ok && result.reason).toMatch(message);
  });

  it("needs a reason to write off", () => {
    expect(transition(m, "overdue", "write_off")).toMatchObject({
      ok: false,
      code: "guard",
      reason: "Writing off an instalment needs a reason",
    });
    expect(transition(m, "overdue", "write_off", { reason: "" })).toMatchObject({ ok: false, code: "guard" });
  });

  it("has paid, written_off and cancelled as final states", () => {
    expect(m.final).toEqual(["paid", "written_off", "cancelled"]);
  });

  it.each<[InstalmentState, InstalmentEvent[]]>([
    ["scheduled", ["fall_due", "pay", "cancel"]],
    ["due", ["pay", "become_overdue"]],
    ["overdue", ["pay", "write_off"]],
    ["paid", []],
  ])("allows from %s: %j", (state, events) => expect(allowedEvents(m, state)).toEqual(events));

  it("does not offer a write-off without a reason once the context is known", () => {
    expect(allowedEvents(m, "overdue", {})).toEqual(["pay"]);
  });
});

import { describe, expect, it } from "vitest";
import {
  COMMISSION_ENTRY_EVENTS,
  commissionEntryMachine as m,
  type CommissionEntryContext,
  type CommissionEntryEvent,
  type CommissionEntryState,
} from "./commission-entry";
import { allowedEvents, isEvent, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const everything = { reason: "Wrong tier applied", adjustingEntryId: "6f1c7d7e-3a59-4c65-9f0e-0b8a2a7b7c11" };

const legal: Move<CommissionEntryState, CommissionEntryEvent, CommissionEntryContext>[] = [
  ["pending", "approve", "approved"],
  ["approved", "pay", "paid"],
  ["pending", "dispute", "disputed", { reason: "Wrong tier applied" }],
  ["approved", "dispute", "disputed", { reason: "Wrong tier applied" }],
  ["disputed", "resolve", "approved"],
  ["disputed", "adjust", "adjusted", { adjustingEntryId: everything.adjustingEntryId }],
];

describe("commission entry machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) =>
    expectIllegal(m, state, event, everything),
  );

  describe("append-only ledger: no reversal", () => {
    it("has no reverse event at all", () => {
      expect(COMMISSION_ENTRY_EVENTS).not.toContain("reverse");
      expect(isEvent(m, "reverse")).toBe(false);
    });

    it.each<CommissionEntryState>(["pending", "approved", "disputed", "paid", "adjusted"])("refuses to reverse a %s entry", (state) => {
      const result = transition(m, state, "reverse" as CommissionEntryEvent, everything);
      expect(result).toMatchObject({ ok: false, code: "unknown_event" });
      expect(!result.ok && result.reason).toMatch(/"reverse" is not something that happens to a commission_entry/);
    });

    it("never offers a way back from paid", () => {
      expect(allowedEvents(m, "paid")).toEqual([]);
      expect(transition(m, "paid", "dispute", everything)).toMatchObject({ ok: false, code: "final" });
    });
  });

  it.each<[string, CommissionEntryState, CommissionEntryEvent, RegExp]>([
    ["paying an entry not approved", "pending", "pay", /pending cannot take "pay"/],
    ["paying a disputed entry", "disputed", "pay", /possible: resolve, adjust/],
    ["approving twice", "approved", "approve", /approved cannot take "approve"/],
    ["adjusting without a dispute", "approved", "adjust", /approved cannot take "adjust"/],
    ["disputing an adjusted entry", "adjusted", "dispute", /adjusted is final/],
  ])("refuses %s", (_what, state, event, message) => {
    const result = transition(m, state, event, everything);
    expect(!result.ok && result.reason).toMatch(message);
  });

  it("needs a reason to dispute and the correcting entry to adjust", () => {
    expect(transition(m, "pending", "dispute")).toMatchObject({
      ok: false,
      code: "guard",
      reason: "Disputing a commission needs a reason",
    });
    expect(transition(m, "disputed", "adjust", { reason: "fixed" })).toMatchObject({
      ok: false,
      code: "guard",
      reason: /new entry that corrects/,
    });
    expect(transition(m, "disputed", "adjust", { adjustingEntryId: " " })).toMatchObject({ ok: false, code: "guard" });
  });

  it("has paid and adjusted as final states", () => {
    expect(m.final).toEqual(["paid", "adjusted"]);
  });

  it.each<[CommissionEntryState, CommissionEntryEvent[]]>([
    ["pending", ["approve", "dispute"]],
    ["approved", ["pay", "dispute"]],
    ["disputed", ["resolve", "adjust"]],
    ["paid", []],
    ["adjusted", []],
  ])("allows from %s: %j", (state, events) => expect(allowedEvents(m, state)).toEqual(events));
});

import { describe, expect, it } from "vitest";
import { policyMachine as m, type PolicyContext, type PolicyEvent, type PolicyState } from "./policy";
import { allowedEvents, isFinal, start, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

type Ctx = Partial<PolicyContext>;
const noUnderwriting: Ctx = { requiresUnderwriting: false };
const reason: Ctx = { reason: "Customer sold the car" };
const graceOver: Ctx = { daysInGrace: 30, graceDays: 30 };
const withinWindow: Ctx = { daysSinceLapse: 10, reinstatementDays: 90 };
const ended: Ctx = { endDate: "2026-12-31", today: "2027-01-01" };
const everything: Ctx = { ...noUnderwriting, ...reason, ...graceOver, ...withinWindow, ...ended };

const legal: Move<PolicyState, PolicyEvent, PolicyContext>[] = [
  ["quoted", "checkout", "pending_payment"],
  ["quoted", "submit_for_underwriting", "pending_underwriting"],
  ["pending_payment", "submit_for_underwriting", "pending_underwriting"],
  ["quoted", "issue", "active", noUnderwriting],
  ["pending_payment", "issue", "active", noUnderwriting],
  ["pending_underwriting", "approve", "active"],
  ["pending_underwriting", "decline", "declined", { reason: "Vehicle older than 15 years" }],
  ["active", "miss_instalment", "grace"],
  ["grace", "pay_arrears", "active"],
  ["grace", "lapse", "lapsed", graceOver],
  ["lapsed", "reinstate", "active", withinWindow],
  ["quoted", "cancel", "cancelled", reason],
  ["pending_payment", "cancel", "cancelled", reason],
  ["pending_underwriting", "cancel", "cancelled", reason],
  ["active", "cancel", "cancelled", reason],
  ["grace", "cancel", "cancelled", reason],
  ["active", "expire", "expired", ended],
  ["grace", "expire", "expired", ended],
];

describe("policy machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) =>
    expectIllegal(m, state, event, everything),
  );

  it.each<[string, PolicyState, PolicyEvent, RegExp]>([
    ["approving a policy not in underwriting", "active", "approve", /active cannot take "approve"/],
    ["issuing an active policy again", "active", "issue", /active cannot take "issue"/],
    ["lapsing an active policy without grace", "active", "lapse", /possible: miss_instalment, cancel, expire/],
    ["reinstating an active policy", "active", "reinstate", /active cannot take "reinstate"/],
    ["reviving a cancelled policy", "cancelled", "reinstate", /cancelled is final/],
    ["reviving a declined policy", "declined", "approve", /declined is final/],
    ["reactivating an expired policy", "expired", "reinstate", /expired is final/],
    ["cancelling a lapsed policy", "lapsed", "cancel", /possible: reinstate/],
  ])("refuses %s", (_what, state, event, message) => {
    const result = transition(m, state, event, everything);
    expect(!result.ok && result.reason).toMatch(message);
  });

  it("has declined, cancelled and expired as final states; lapsed stays open to reinstatement", () => {
    expect(m.final).toEqual(["declined", "cancelled", "expired"]);
    expect(isFinal(m, "lapsed")).toBe(false);
  });

  it("starts as quoted or pending_payment", () => {
    expect(start(m, "quoted").ok).toBe(true);
    expect(start(m, "pending_payment").ok).toBe(true);
    expect(start(m, "active").ok).toBe(false);
  });

  describe("guards", () => {
    it.each<[string, PolicyState, PolicyEvent, Ctx | undefined, RegExp]>([
      ["issuing a product that requires underwriting", "pending_payment", "issue", { requiresUnderwriting: true }, /requires underwriting/],
      [
        "issuing without saying whether underwriting is required",
        "quoted",
        "issue",
        undefined,
        /whether the product requires underwriting/,
      ],
      ["declining without a reason", "pending_underwriting", "decline", {}, /Declining a policy needs a reason/],
      ["declining with a blank reason", "pending_underwriting", "decline", { reason: "  " }, /needs a reason/],
      ["cancelling without a reason", "active", "cancel", undefined, /Cancelling a policy needs a reason/],
      ["lapsing with days left in grace", "grace", "lapse", { daysInGrace: 29, graceDays: 30 }, /1 day\(s\) left/],
      ["lapsing without the tenant's rule", "grace", "lapse", { daysInGrace: 40 }, /grace period/],
      ["reinstating past the window", "lapsed", "reinstate", { daysSinceLapse: 91, reinstatementDays: 90 }, /91 days ago, past the 90-day/],
      ["reinstating without the window", "lapsed", "reinstate", { daysSinceLapse: 1 }, /reinstatement window/],
      [
        "reinstating with a negative day count",
        "lapsed",
        "reinstate",
        { daysSinceLapse: -1, reinstatementDays: 90 },
        /reinstatement window/,
      ],
      ["expiring on the last day of cover", "active", "expire", { endDate: "2026-12-31", today: "2026-12-31" }, /covers until 2026-12-31/],
      ["expiring without dates", "active", "expire", {}, /end date and today's date/],
      ["expiring with a malformed date", "active", "expire", { endDate: "31/12/2026", today: "2027-01-01" }, /YYYY-MM-DD/],
    ])("refuses %s", (_what, state, event, ctx, message) => {
      const result = transition(m, state, event, ctx);
      expect(result).toMatchObject({ ok: false, code: "guard" });
      expect(!result.ok && result.reason).toMatch(message);
    });

    it("reinstates on the last day of the window", () => {
      expect(transition(m, "lapsed", "reinstate", { daysSinceLapse: 90, reinstatementDays: 90 })).toMatchObject({ ok: true, to: "active" });
    });
  });

  describe("allowedEvents", () => {
    it.each<[PolicyState, PolicyEvent[]]>([
      ["quoted", ["checkout", "submit_for_underwriting", "issue", "cancel"]],
      ["pending_payment", ["submit_for_underwriting", "issue", "cancel"]],
      ["pending_underwriting", ["approve", "decline", "cancel"]],
      ["active", ["miss_instalment", "cancel", "expire"]],
      ["grace", ["pay_arrears", "lapse", "cancel", "expire"]],
      ["lapsed", ["reinstate"]],
      ["declined", []],
      ["cancelled", []],
      ["expired", []],
    ])("from %s: %j", (state, events) => expect(allowedEvents(m, state)).toEqual(events));

    it("a product needing underwriting offers underwriting, not issue", () => {
      expect(allowedEvents(m, "pending_payment", { requiresUnderwriting: true })).toEqual(["submit_for_underwriting"]);
      expect(allowedEvents(m, "pending_payment", { requiresUnderwriting: false, reason: "Changed mind" })).toEqual([
        "submit_for_underwriting",
        "issue",
        "cancel",
      ]);
    });
  });
});

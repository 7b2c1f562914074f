import { describe, expect, it } from "vitest";
import { claimMachine as m, type ClaimContext, type ClaimEvent, type ClaimState } from "./claim";
import { allowedEvents, nextSteps, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

type Ctx = Partial<ClaimContext>;
const amounts: Ctx = { approvedAmount: 80_000, claimedAmount: 100_000, coverAmount: 500_000 };
const everything: Ctx = {
  ...amounts,
  reason: "Not covered",
  requestedDocuments: ["Police abstract"],
  appealReason: "The garage report shows it",
  appealWindowOpen: true,
};

const legal: Move<ClaimState, ClaimEvent, ClaimContext>[] = [
  ["submitted", "start_review", "under_review"],
  ["appealed", "start_review", "under_review"],
  ["submitted", "request_documents", "documents_requested", { requestedDocuments: ["Police abstract"] }],
  ["under_review", "request_documents", "documents_requested", { requestedDocuments: ["Police abstract", "Repair estimate"] }],
  ["documents_requested", "documents_received", "under_review"],
  ["under_review", "complete_assessment", "assessment_complete"],
  ["assessment_complete", "approve", "approved", amounts],
  ["assessment_complete", "reject", "rejected", { reason: "Driver unlicensed at the time" }],
  ["rejected", "appeal", "appealed", { appealReason: "The garage report shows the damage", appealWindowOpen: true }],
  ["approved", "settle", "settled"],
  ["submitted", "withdraw", "withdrawn"],
  ["under_review", "withdraw", "withdrawn"],
  ["documents_requested", "withdraw", "withdrawn"],
  ["assessment_complete", "withdraw", "withdrawn"],
  ["appealed", "withdraw", "withdrawn"],
];

describe("claim machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) =>
    expectIllegal(m, state, event, everything),
  );

  it.each<[string, ClaimState, ClaimEvent, RegExp]>([
    ["approving a claim still under review", "under_review", "approve", /under_review cannot take "approve"/],
    ["approving a claim just submitted", "submitted", "approve", /possible: start_review/],
    ["settling a claim not approved", "assessment_complete", "settle", /assessment_complete cannot take "settle"/],
    ["settling a rejected claim", "rejected", "settle", /rejected cannot take "settle"/],
    ["withdrawing an approved claim", "approved", "withdraw", /approved cannot take "withdraw"/],
    ["re-opening a settled claim", "settled", "start_review", /settled is final/],
    ["completing the assessment while documents are awaited", "documents_requested", "complete_assessment", /possible: documents_received/],
  ])("refuses %s", (_what, state, event, message) => {
    const result = transition(m, state, event, everything);
    expect(!result.ok && result.reason).toMatch(message);
  });

  it("has settled and withdrawn as final states (a rejection may be appealed)", () => {
    expect(m.final).toEqual(["settled", "withdrawn"]);
  });

  describe("guards", () => {
    it.each<[string, ClaimEvent, Ctx | undefined, RegExp]>([
      ["approving without an amount", "approve", undefined, /needs the approved amount/],
      ["approving a zero amount", "approve", { ...amounts, approvedAmount: 0 }, /more than zero/],
      ["approving a fractional amount", "approve", { ...amounts, approvedAmount: 10.5 }, /needs the approved amount \(in minor units\)/],
      ["approving without the amount claimed", "approve", { approvedAmount: 10 }, /needs the amount claimed/],
      ["approving more than claimed", "approve", { ...amounts, approvedAmount: 100_001 }, /100001 is more than the 100000 claimed/],
      [
        "approving more than the cover",
        "approve",
        { approvedAmount: 60_000, claimedAmount: 100_000, coverAmount: 50_000 },
        /more than the 50000 cover/,
      ],
      ["approving with a malformed cover", "approve", { ...amounts, coverAmount: Number.NaN }, /cover amount must be a whole number/],
      ["rejecting without a reason", "reject", {}, /Rejecting a claim needs a reason/],
    ])("refuses %s", (_what, event, ctx, message) => {
      const result = transition(m, "assessment_complete", event, ctx);
      expect(result).toMatchObject({ ok: false, code: "guard" });
      expect(!result.ok && result.reason).toMatch(message);
    });

    it.each<[string, Ctx | undefined, RegExp]>([
      ["after the window", { appealReason: "New evidence", appealWindowOpen: false }, /time to appeal this decision has passed/],
      ["without knowing the window", { appealReason: "New evidence" }, /time to appeal/],
      ["without a reason", { appealWindowOpen: true, appealReason: "  " }, /Appealing a decision needs a reason/],
    ])("refuses an appeal %s", (_what, ctx, message) => {
      const result = transition(m, "rejected", "appeal", ctx);
      expect(result).toMatchObject({ ok: false, code: "guard" });
      expect(!result.ok && result.reason).toMatch(message);
    });

    it("approves exactly the amount claimed, with or without a cover amount", () => {
      expect(transition(m, "assessment_complete", "approve", { approvedAmount: 100, claimedAmount: 100, coverAmount: 100 }).ok).toBe(true);
      expect(transition(m, "assessment_complete", "approve", { approvedAmount: 100, claimedAmount: 100 }).ok).toBe(true);
    });

    it.each<[string, Ctx | undefined]>([
      ["no list", undefined],
      ["an empty list", { requestedDocuments: [] }],
      ["a blank document", { requestedDocuments: ["Police abstract", " "] }],
    ])("refuses to request documents with %s", (_what, ctx) => {
      expect(transition(m, "under_review", "request_documents", ctx)).toMatchObject({
        ok: false,
        code: "guard",
        reason: /list of documents/,
      });
    });
  });

  describe("allowedEvents", () => {
    it.each<[ClaimState, ClaimEvent[]]>([
      ["submitted", ["start_review", "request_documents", "withdraw"]],
      ["under_review", ["request_documents", "complete_assessment", "withdraw"]],
      ["documents_requested", ["documents_received", "withdraw"]],
      ["assessment_complete", ["approve", "reject", "withdraw"]],
      ["approved", ["settle"]],
      ["rejected", ["appeal"]],
      ["appealed", ["start_review", "withdraw"]],
      ["settled", []],
      ["withdrawn", []],
    ])("from %s: %j", (state, events) => expect(allowedEvents(m, state)).toEqual(events));

    it("explains to the UI why approve is not possible yet", () => {
      expect(nextSteps(m, "assessment_complete", { reason: "Fraud" })).toEqual([
        { event: "approve", to: ["approved"], reason: "Approving a claim needs the approved amount (in minor units)" },
        { event: "reject", to: ["rejected"], reason: null },
        { event: "withdraw", to: ["withdrawn"], reason: null },
      ]);
    });
  });
});

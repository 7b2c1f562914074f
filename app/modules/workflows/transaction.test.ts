import { describe, expect, it } from "vitest";
import { allowedEvents, isFinal, nextSteps, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";
import { transactionMachine as m, type TransactionContext, type TransactionEvent, type TransactionState } from "./transaction";

type Ctx = Partial<TransactionContext>;
const partial: Ctx = { total: 10_000, refundedSoFar: 0, amount: 2_500 };
const full: Ctx = { total: 10_000, refundedSoFar: 0, amount: 10_000 };
const confirmed: Ctx = { confirmedByProvider: true };

const legal: Move<TransactionState, TransactionEvent, TransactionContext>[] = [
  ["pending", "complete", "completed"],
  ["pending", "fail", "failed"],
  ["pending", "cancel", "cancelled"],
  ["pending", "expire", "expired"],
  ["completed", "refund", "partially_refunded", partial],
  ["completed", "refund", "refunded", full],
  ["partially_refunded", "refund", "partially_refunded", { total: 10_000, refundedSoFar: 2_500, amount: 2_500 }],
  ["partially_refunded", "refund", "refunded", { total: 10_000, refundedSoFar: 2_500, amount: 7_500 }],
  ["failed", "late_success", "completed", confirmed],
  ["expired", "late_success", "completed", confirmed],
  ["cancelled", "late_success", "completed", confirmed],
];

describe("transaction machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) =>
    expectIllegal(m, state, event, { ...full, ...confirmed }),
  );

  it.each<[string, TransactionState, TransactionEvent, Ctx, RegExp]>([
    ["refunding a pending transaction", "pending", "refund", full, /pending cannot take "refund"/],
    ["refunding a failed transaction", "failed", "refund", full, /failed cannot take "refund"/],
    ["completing a refunded one", "refunded", "complete", {}, /refunded is final/],
    ["completing an expired one as if nothing happened", "expired", "complete", {}, /possible: late_success/],
    ["failing a completed one", "completed", "fail", {}, /completed cannot take "fail"/],
    ["a late success on a completed one", "completed", "late_success", confirmed, /completed cannot take "late_success"/],
    ["a late success on a pending one", "pending", "late_success", confirmed, /pending cannot take "late_success"/],
  ])("refuses %s", (_what, state, event, ctx, reason) => {
    const result = transition(m, state, event, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("has refunded as its only final state (late_success keeps failed, expired and cancelled open)", () => {
    expect(m.final).toEqual(["refunded"]);
    expect(isFinal(m, "refunded")).toBe(true);
    expect(isFinal(m, "expired")).toBe(false);
  });

  describe("refund guard", () => {
    it.each<[string, TransactionState, Ctx, RegExp]>([
      ["no context", "completed", {}, /needs the transaction's total/],
      ["a zero total", "completed", { total: 0, refundedSoFar: 0, amount: 1 }, /needs the transaction's total/],
      ["no refundedSoFar", "completed", { total: 100, amount: 10 }, /refunded before/],
      ["no amount", "completed", { total: 100, refundedSoFar: 0 }, /whole number of minor units/],
      ["a fractional amount", "completed", { total: 100, refundedSoFar: 0, amount: 10.5 }, /whole number of minor units/],
      ["a zero amount", "completed", { total: 100, refundedSoFar: 0, amount: 0 }, /more than zero/],
      ["a negative amount", "completed", { total: 100, refundedSoFar: 0, amount: -5 }, /more than zero/],
      ["more than the total", "completed", { total: 100, refundedSoFar: 0, amount: 101 }, /refund of 101 is more than the 100 left/],
      [
        "more than what is left",
        "partially_refunded",
        { total: 100, refundedSoFar: 60, amount: 41 },
        /refund of 41 is more than the 40 left/,
      ],
      ["a completed one said to be refunded already", "completed", { total: 100, refundedSoFar: 10, amount: 5 }, /no refund yet/],
      [
        "a partially refunded one with nothing refunded",
        "partially_refunded",
        { total: 100, refundedSoFar: 0, amount: 5 },
        /more than nothing/,
      ],
      [
        "a partially refunded one refunded in full",
        "partially_refunded",
        { total: 100, refundedSoFar: 100, amount: 1 },
        /less than its total/,
      ],
    ])("refuses %s", (_what, state, ctx, reason) => {
      const result = transition(m, state, "refund", ctx);
      expect(result).toMatchObject({ ok: false, code: "guard" });
      expect(!result.ok && result.reason).toMatch(reason);
    });

    it("decides partial or full by the amount, down to one minor unit", () => {
      expect(transition(m, "completed", "refund", { total: 100, refundedSoFar: 0, amount: 99 })).toMatchObject({
        to: "partially_refunded",
      });
      expect(transition(m, "completed", "refund", { total: 100, refundedSoFar: 0, amount: 100 })).toMatchObject({ to: "refunded" });
      expect(transition(m, "partially_refunded", "refund", { total: 100, refundedSoFar: 99, amount: 1 })).toMatchObject({ to: "refunded" });
    });
  });

  describe("late success", () => {
    it.each<TransactionState>(["failed", "expired", "cancelled"])("from %s is refused unless the provider confirmed it", (state) => {
      for (const ctx of [undefined, {}, { confirmedByProvider: false }]) {
        const result = transition(m, state, "late_success", ctx);
        expect(result).toMatchObject({ ok: false, code: "guard" });
        expect(!result.ok && result.reason).toMatch(/provider's status API confirms/);
      }
    });

    it("is not accepted from a truthy non-boolean", () => {
      expect(transition(m, "expired", "late_success", { confirmedByProvider: "yes" as unknown as boolean }).ok).toBe(false);
    });
  });

  describe("allowedEvents", () => {
    it.each<[TransactionState, TransactionEvent[]]>([
      ["pending", ["complete", "fail", "cancel", "expire"]],
      ["completed", ["refund"]],
      ["partially_refunded", ["refund"]],
      ["failed", ["late_success"]],
      ["expired", ["late_success"]],
      ["cancelled", ["late_success"]],
      ["refunded", []],
    ])("from %s: %j", (state, events) => expect(allowedEvents(m, state)).toEqual(events));

    it("checks guards when given a context", () => {
      expect(allowedEvents(m, "completed", { total: 100, refundedSoFar: 0, amount: 0 })).toEqual([]);
      expect(allowedEvents(m, "failed", { confirmedByProvider: true })).toEqual(["late_success"]);
      expect(nextSteps(m, "completed")).toEqual([{ event: "refund", to: ["partially_refunded", "refunded"], reason: null }]);
      expect(nextSteps(m, "completed", partial)).toEqual([{ event: "refund", to: ["partially_refunded"], reason: null }]);
    });
  });
});

import { describe, expect, it } from "vitest";
import { settlementMachine as m, type SettlementContext, type SettlementEvent, type SettlementState } from "./settlement";
import { start, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const pay: Partial<SettlementContext> = { method: "mpesa_b2c", payeeReady: true };
const ref: Partial<SettlementContext> = { reference: "SG632NMUAB" };
const why: Partial<SettlementContext> = { reason: "The bank returned the transfer" };

const legal: Move<SettlementState, SettlementEvent, SettlementContext>[] = [
  ["pending", "pay", "processing", pay],
  ["failed", "pay", "processing", { method: "bank_transfer", payeeReady: true }],
  ["pending", "record", "paid", ref],
  ["failed", "record", "paid", ref],
  ["processing", "confirm", "paid", ref],
  ["failed", "confirm", "paid", ref],
  ["processing", "fail", "failed", why],
  ["pending", "cancel", "cancelled", why],
  ["failed", "cancel", "cancelled", why],
];

describe("settlement machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) =>
    expectIllegal(m, state, event, { ...pay, ...ref, ...why }),
  );

  it("starts pending, and only pending", () => {
    expect(start(m, "pending")).toMatchObject({ ok: true, to: "pending" });
    expect(start(m, "paid")).toMatchObject({ ok: false, code: "not_initial" });
  });

  it("never pays twice: a paid settlement takes no event, a second result is refused", () => {
    expect(m.final).toEqual(["paid", "cancelled"]);
    expect(transition(m, "paid", "confirm", ref)).toMatchObject({ ok: false, code: "final" });
    expect(transition(m, "paid", "fail", why)).toMatchObject({ ok: false, code: "final" });
  });

  it("refuses to pay without a payout method or the payee's details", () => {
    expect(transition(m, "pending", "pay", {})).toMatchObject({ ok: false, code: "guard", reason: expect.stringMatching(/payout method/) });
    expect(transition(m, "pending", "pay", { method: "manual", payeeReady: true })).toMatchObject({ ok: false, code: "guard" });
    expect(transition(m, "pending", "pay", { method: "sandbox", payeeReady: false })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/payee/),
    });
  });

  it("needs a reference to record or confirm a payment, and a reason to fail or cancel one", () => {
    expect(transition(m, "pending", "record", { reference: "  " })).toMatchObject({ ok: false, code: "guard" });
    expect(transition(m, "processing", "confirm", {})).toMatchObject({ ok: false, code: "guard" });
    expect(transition(m, "processing", "fail", {})).toMatchObject({ ok: false, code: "guard" });
    expect(transition(m, "pending", "cancel", { reason: "" })).toMatchObject({ ok: false, code: "guard" });
  });
});

import { describe, expect, it } from "vitest";
import { commissionPayoutMachine as m, type CommissionPayoutEvent, type CommissionPayoutState } from "./commission-payout";
import { start } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const legal: Move<CommissionPayoutState, CommissionPayoutEvent, Record<string, never>>[] = [
  ["open", "pay", "processing", {}],
  ["failed", "pay", "processing", {}],
  ["processing", "confirm", "paid", {}],
  ["failed", "confirm", "paid", {}],
  ["processing", "fail", "failed", {}],
];

describe("commission payout machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  // paid is final: a success twice, or a failure after the success, moves nothing.
  it.each(illegalPairs(m, legal))("refuses %s --%s-->", (state, event) => expectIllegal(m, state, event, {}));

  it("starts open, and only open", () => {
    expect(start(m, "open")).toMatchObject({ ok: true, to: "open" });
    expect(start(m, "paid")).toMatchObject({ ok: false });
  });
});

import { describe, expect, it } from "vitest";
import { chargebackMachine as m, type ChargebackEvent, type ChargebackState } from "./chargeback";
import { start, transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const legal: Move<ChargebackState, ChargebackEvent, Record<string, never>>[] = [
  ["open", "win", "won"],
  ["open", "lose", "lost"],
];

describe("chargeback machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s--> (whatever the context)", (state, event) => expectIllegal(m, state, event, {}));

  it("never reopens or reverses a decided dispute", () => {
    expect(transition(m, "lost", "win")).toMatchObject({ ok: false, code: "final" });
    expect(transition(m, "won", "lose")).toMatchObject({ ok: false, code: "final" });
  });

  it("starts where the provider says it stands, when first heard of already decided", () => {
    for (const state of ["open", "won", "lost"] as const) expect(start(m, state)).toMatchObject({ ok: true, from: null, to: state });
  });
});

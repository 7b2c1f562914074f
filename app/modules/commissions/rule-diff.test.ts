import { describe, expect, it } from "vitest";
import { tierChanges, type TierFacts } from "./rule-diff";

const percent = (tier: number, rateBp: number, more: Partial<TierFacts> = {}): TierFacts => ({
  tier,
  kind: "percent",
  amountMinor: null,
  rateBp,
  capMinor: null,
  requiresActive: true,
  minPersonalSales: 0,
  ...more,
});

describe("what a rule version changed", () => {
  it("names nothing for the first version, nor for a version equal to the one before", () => {
    expect(tierChanges(null, [percent(1, 1111)])).toEqual([]);
    expect(tierChanges([percent(1, 1111), percent(2, 222)], [percent(1, 1111), percent(2, 222)])).toEqual([]);
  });

  it("names each changed aspect of a tier: what it pays, its cap, who qualifies", () => {
    const before = [percent(1, 1111), percent(2, 222), percent(3, 222)];
    const after = [
      percent(1, 1200),
      { ...percent(2, 222), kind: "fixed" as const, amountMinor: 300, rateBp: null, capMinor: 2500 },
      percent(3, 222, { requiresActive: false, minPersonalSales: 2 }),
    ];
    expect(tierChanges(before, after).map((c) => [c.tier, c.aspects])).toEqual([
      [1, ["pays"]],
      [2, ["pays", "cap"]],
      [3, ["qualification"]],
    ]);
  });

  it("names tiers added and removed, and every tier of a version that stops paying", () => {
    expect(tierChanges([percent(1, 1000)], [percent(1, 1000), percent(2, 500)])).toEqual([
      { tier: 2, before: null, after: percent(2, 500), aspects: [] },
    ]);
    expect(tierChanges([percent(1, 1000), percent(2, 500)], [])).toEqual([
      { tier: 1, before: percent(1, 1000), after: null, aspects: [] },
      { tier: 2, before: percent(2, 500), after: null, aspects: [] },
    ]);
  });
});

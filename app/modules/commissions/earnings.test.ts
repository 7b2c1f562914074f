import { describe, expect, it } from "vitest";
import { commissionBaseMinor } from "./calculate";
import { ownStanding, saleEarnings, type TierTerms } from "./earnings";

const tier = (t: Partial<TierTerms> & { tier: number }): TierTerms => ({
  kind: "percent",
  amountMinor: null,
  rateBp: 1111,
  capMinor: null,
  requiresActive: true,
  minPersonalSales: 0,
  ...t,
});

describe("what a sale earns, as the ledger would pay it", () => {
  it("counts this sale's items towards the minimum of own sales, as the ledger counts the sale being paid", () => {
    const rule = { requiresActive: true, minPersonalSales: 3 };
    expect(ownStanding(rule, { status: "active", salesThisMonth: 0 })).toEqual({
      qualifies: false,
      reason: "personal_sales",
      salesThisMonth: 0,
      needed: 2,
    });
    expect(ownStanding(rule, { status: "active", salesThisMonth: 2 })).toEqual({ qualifies: true });
    expect(ownStanding(rule, { status: "active", salesThisMonth: 1 }, 2)).toEqual({ qualifies: true });
  });

  it("asks for an active agent only when the rule does", () => {
    expect(ownStanding({ requiresActive: true, minPersonalSales: 0 }, { status: "suspended", salesThisMonth: 9 })).toEqual({
      qualifies: false,
      reason: "inactive",
    });
    expect(ownStanding({ requiresActive: false, minPersonalSales: 0 }, { status: "suspended", salesThisMonth: 0 })).toEqual({
      qualifies: true,
    });
  });

  it("splits the first payment and each later instalment tier by tier, rounding half-up", () => {
    const split = saleEarnings(
      [tier({ tier: 2, rateBp: 222 }), tier({ tier: 1 }), tier({ tier: 3, kind: "fixed", amountMinor: 75, rateBp: null })],
      { firstBaseMinor: 150_00, laterBaseMinor: 45 },
      { status: "active", salesThisMonth: 0 },
    );
    expect(split.tiers.map((t) => [t.tier, t.firstMinor, t.laterMinor])).toEqual([
      [1, 16_67, 5],
      [2, 3_33, 1],
      [3, 75, 75],
    ]);
    expect(saleEarnings([], { firstBaseMinor: 100, laterBaseMinor: null }, { status: "active", salesThisMonth: 0 })).toMatchObject({
      paysCommission: false,
      tiers: [],
      you: { qualifies: true },
    });
  });

  it("takes levies out of a payment pro rata, half-up, as the ledger's base does", () => {
    expect(commissionBaseMinor(150_00, 1800_00, 0)).toBe(150_00);
    expect(commissionBaseMinor(150_00, null, 10_00)).toBe(150_00);
    // 10,001 × 100 / 101 = 9,901.98… → 9,902; 303 × 200 / 202 = 300 exactly; 101 × 1 / 2 = 50.5 → 51.
    expect(commissionBaseMinor(10_001, 100, 1)).toBe(9_902);
    expect(commissionBaseMinor(303, 200, 2)).toBe(300);
    expect(commissionBaseMinor(101, 1, 1)).toBe(51);
  });
});

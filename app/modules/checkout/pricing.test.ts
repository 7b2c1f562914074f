import { describe, expect, it } from "vitest";
import { applyRate } from "~/lib/money";
import type { BundleDiscount } from "~/modules/catalogue/manifest";
import { frequencyOptions } from "~/modules/rating/compute";
import { FREQUENCIES, parseRating, type Frequency } from "~/modules/rating";
import { hibahGold270, kenyaLevies, motorComprehensive, termLife } from "~/modules/rating/examples";
import { allocate, priceItem, priceOrder, type PricingItem } from "./pricing";

const BUNDLES: BundleDiscount[] = [
  { code: "two", label: "5% off two categories", minItems: 2, minCategories: 2, percentBp: 500 },
  { code: "three", label: "7.5% off three categories", minItems: 3, minCategories: 3, percentBp: 750 },
];

/** A quote's payable option as the engine works it out (never hand-made figures). */
function item(
  id: string,
  categoryId: string,
  basePremium: number,
  frequency: Frequency,
  rating: unknown = motorComprehensive,
  levies = kenyaLevies,
): PricingItem {
  const options = frequencyOptions(parseRating(rating), basePremium, levies);
  const payable = options.find((o) => o.frequency === frequency) ?? options[0]!;
  return { id, categoryId, basePremium, payable };
}

/** The invariants every priced order keeps (CONTRACTS.md, PayableItem). */
function expectInvariants(items: PricingItem[], rules: BundleDiscount[] = BUNDLES) {
  const priced = priceOrder(items, rules);
  const expectedDiscount = priced.discount?.amount ?? 0;
  expect(priced.discountMinor).toBe(expectedDiscount);
  expect(priced.items.reduce((s, p) => s + p.discountMinor, 0)).toBe(expectedDiscount);
  expect(priced.dueNowMinor).toBe(priced.items.reduce((s, p) => s + p.firstPaymentMinor, 0));
  priced.items.forEach((p, i) => {
    const source = items[i]!.payable;
    expect(p.firstPaymentMinor + (p.instalmentsPerYear - 1) * p.laterInstalmentMinor).toBe(source.annualEquivalent - p.discountMinor);
    expect(p.annualPremiumMinor + p.leviesMinor).toBe(source.annualEquivalent);
    expect(p.firstPaymentMinor).toBeGreaterThan(0);
    if (p.instalmentsPerYear === 1) expect(p.laterInstalmentMinor).toBe(0);
    else expect(p.laterInstalmentMinor).toBeGreaterThan(0);
    for (const n of [p.firstPaymentMinor, p.laterInstalmentMinor, p.discountMinor]) expect(Number.isInteger(n)).toBe(true);
  });
  expect(priced.totalMinor).toBe(items.reduce((s, i) => s + i.payable.annualEquivalent, 0) - expectedDiscount);
  return priced;
}

describe("allocate", () => {
  it("shares exactly, in proportion, the leftover units to the largest remainders", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
    // 7 × 2/3 = 4.67, 7 × 1/3 = 2.33: the larger remainder takes the spare unit.
    expect(allocate(7, [2, 1])).toEqual([5, 2]);
    expect(allocate(0, [5, 9])).toEqual([0, 0]);
    expect(allocate(5, [])).toEqual([]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
  });

  it("never loses a unit, however awkward the weights (property loop)", () => {
    let seed = 7;
    const next = (max: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % max;
    };
    for (let round = 0; round < 2_000; round += 1) {
      const weights = Array.from({ length: 1 + next(6) }, () => 1 + next(50_000_000));
      const total = next(10_000_000);
      const parts = allocate(total, weights);
      expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
      const sum = weights.reduce((s, w) => s + w, 0);
      // Each part is its exact share rounded down or up, never further off.
      parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]!) / sum)).toBeLessThan(1));
    }
  });

  it("stays exact where total × weight passes 2^53", () => {
    const parts = allocate(500_000_000_000, [90_000_000_000, 10_000_000_001]);
    expect(parts[0]! + parts[1]!).toBe(500_000_000_000);
  });
});

describe("priceItem", () => {
  it("spreads the discount evenly over the instalments, the remainder on the first", () => {
    const monthly = item("a", "motor", 6_000_000, "monthly");
    const priced = priceItem(monthly, 1_000); // 1,000 over 12: 83 each, 4 more on the first
    expect(priced.laterInstalmentMinor).toBe(monthly.payable.instalmentAmount - 83);
    expect(priced.firstPaymentMinor).toBe(monthly.payable.firstInstalmentAmount - 87);
    expect(priced.firstPaymentMinor + 11 * priced.laterInstalmentMinor).toBe(monthly.payable.annualEquivalent - 1_000);
  });

  it("takes the whole discount off a policy paid in full", () => {
    const annual = item("a", "motor", 6_000_000, "annual");
    const priced = priceItem(annual, 12_345);
    expect(priced.instalmentsPerYear).toBe(1);
    expect(priced.firstPaymentMinor).toBe(annual.payable.annualEquivalent - 12_345);
    expect(priced.laterInstalmentMinor).toBe(0);
  });
});

describe("priceOrder", () => {
  it("charges the full first instalments without a bundle", () => {
    const only = [item("a", "motor", 6_000_000, "quarterly")];
    const priced = expectInvariants(only);
    expect(priced.discount).toBeNull();
    expect(priced.dueNowMinor).toBe(only[0]!.payable.firstInstalmentAmount);
  });

  it("applies the cart's bundle rule and shares it by base premium", () => {
    const items = [item("motor", "motor", 6_000_000, "annual"), item("life", "life", 2_000_000, "monthly", termLife)];
    const priced = expectInvariants(items);
    // The rule and amount are the cart's own: 5% of the base premiums.
    expect(priced.discount?.code).toBe("two");
    expect(priced.discountMinor).toBe(applyRate(8_000_000, 500));
    expect(priced.items.map((p) => p.discountMinor)).toEqual([300_000, 100_000]);
  });

  it("keeps the invariants over many mixes of products, frequencies and premiums (property loop)", () => {
    let seed = 42;
    const next = (max: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % max;
    };
    const categories = ["motor", "medical", "life", "home"];
    for (let round = 0; round < 500; round += 1) {
      const items = Array.from({ length: 1 + next(5) }, (_, i) =>
        item(`i${i}`, categories[next(categories.length)]!, 100_000 + next(40_000_000), FREQUENCIES[next(FREQUENCIES.length)]!),
      );
      expectInvariants(items);
    }
  });

  it("prices fixed-price instalments (KHHoldings Hibah, no levies)", () => {
    const items = [item("h", "hibah", 180_000, "monthly", hibahGold270, []), item("m", "medical", 50_000, "annual", hibahGold270, [])];
    const rules: BundleDiscount[] = [{ code: "any", label: "3% off", minItems: 2, minCategories: 1, percentBp: 300 }];
    const priced = expectInvariants(items, rules);
    expect(priced.leviesMinor).toBe(0);
    expect(priced.discountMinor).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { claimFreeYears, noClaimsDiscountBp, noClaimsLabel } from "./no-claims";

const clean = { hadPaidClaim: false };
const paid = { hadPaidClaim: true };

describe("no-claims discount", () => {
  it("counts consecutive claim-free terms back from the one ending, and a paid claim resets the count", () => {
    expect(claimFreeYears([])).toBe(0);
    expect(claimFreeYears([clean])).toBe(1);
    expect(claimFreeYears([clean, clean, clean])).toBe(3);
    // A paid claim three terms ago: only the two since count.
    expect(claimFreeYears([clean, clean, paid, clean, clean])).toBe(2);
    // A paid claim on the term ending now: back to no discount.
    expect(claimFreeYears([paid, clean, clean])).toBe(0);
  });

  it("reads the product's scale by claim-free years, the last step holding beyond", () => {
    const steps = [0, 1_000, 2_000, 3_000];
    expect(noClaimsDiscountBp(steps, 0)).toBe(0);
    expect(noClaimsDiscountBp(steps, 1)).toBe(1_000);
    expect(noClaimsDiscountBp(steps, 3)).toBe(3_000);
    expect(noClaimsDiscountBp(steps, 9)).toBe(3_000);
    expect(noClaimsDiscountBp([], 4)).toBe(0);
    expect(noClaimsDiscountBp(steps, -1)).toBe(0);
  });

  it("says the years and the rate", () => {
    expect(noClaimsLabel(1, 1_000)).toBe("No-claims discount: 1 claim-free year (10%)");
    expect(noClaimsLabel(3, 2_250)).toBe("No-claims discount: 3 claim-free years (22.5%)");
  });
});

import { describe, expect, it } from "vitest";
import { applyRate, divideHalfUp, formatMoney } from "./money";

describe("applyRate", () => {
  it("rounds half-up to the minor unit (the KHHoldings Hibah Gold 270 monthly example)", () => {
    expect(applyRate(15_000, 1111)).toBe(1667); // RM16.67
    expect(applyRate(15_000, 222)).toBe(333); // RM3.33
    expect(applyRate(15_000, 111)).toBe(167); // RM1.67
    expect(applyRate(15_000, 83)).toBe(125); // RM1.25
  });
  it("rounds a reversal to the mirror of its entry", () => {
    expect(applyRate(-15_000, 1111)).toBe(-1667);
    expect(applyRate(-15_000, 83)).toBe(-125);
  });
  it("rounds below half down", () => {
    expect(applyRate(1_000, 4)).toBe(0); // 0.4
    expect(applyRate(1_249, 100)).toBe(12); // 12.49
  });
  it("stays exact beyond 2^53 intermediate products", () => {
    // 900,719,925,474,099 × 1100 overflows 2^53: 99,079,191,802,150.89 → …151.
    expect(applyRate(900_719_925_474_099, 1_100)).toBe(99_079_191_802_151);
    expect(applyRate(900_719_925_474_095, 5_000)).toBe(450_359_962_737_048);
  });
});

describe("divideHalfUp", () => {
  it("handles exact halves and signs", () => {
    expect(divideHalfUp(5, 2)).toBe(3);
    expect(divideHalfUp(-5, 2)).toBe(-3);
    expect(divideHalfUp(4, 2)).toBe(2);
    expect(divideHalfUp(7, 3)).toBe(2);
  });
});

describe("formatMoney", () => {
  it("formats minor units in the tenant's locale and currency", () => {
    expect(formatMoney(1_667, "MYR", "en-MY")).toMatch(/^RM\s16\.67$/);
    expect(formatMoney(4_500_000, "KES", "en-KE")).toMatch(/^Ksh\s45,000\.00$/);
  });
});

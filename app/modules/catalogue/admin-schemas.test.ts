import { describe, expect, it } from "vitest";
import { bpToPercent, parseCoverageLines, percentToBp, productFormSchema, slugify } from "./admin-schemas";

describe("catalogue form helpers", () => {
  it("makes web addresses from names", () => {
    expect(slugify("Jubilee Health Plus — Family!")).toBe("jubilee-health-plus-family");
    expect(slugify("Home & Contents")).toBe("home-and-contents");
    expect(slugify("Assurance Générale")).toBe("assurance-generale");
    expect(slugify("  ***  ")).toBe("");
    expect(slugify("a".repeat(80))).toHaveLength(60);
  });

  it("turns percentages into basis points exactly, and back", () => {
    expect(percentToBp("12.5")).toBe(1250);
    expect(percentToBp("0.01")).toBe(1);
    expect(percentToBp("100%")).toBe(10_000);
    expect(percentToBp("7")).toBe(700);
    expect(percentToBp("1.234")).toBeNull();
    expect(percentToBp("-1")).toBeNull();
    expect(bpToPercent(1250)).toBe("12.5");
    expect(bpToPercent(1)).toBe("0.01");
    expect(bpToPercent(700)).toBe("7");
  });

  it('reads "Label: value" lines, splitting on the first colon only', () => {
    expect(parseCoverageLines(["Hospital: KES 1,000,000", "Hours: 08:00–17:00"])).toEqual({
      items: [
        { label: "Hospital", value: "KES 1,000,000" },
        { label: "Hours", value: "08:00–17:00" },
      ],
      problems: [],
    });
    expect(parseCoverageLines(["no colon", ": no label", "No value:"]).problems).toHaveLength(3);
  });

  it("parses money in the tenant's currency and lists every rating problem", () => {
    const schema = productFormSchema("MYR");
    const ok = schema.safeParse({
      categoryId: "3f1c7c9e-1111-4c3b-9a7e-0d1a2b3c4d5e",
      insurerId: "3f1c7c9e-2222-4c3b-9a7e-0d1a2b3c4d5e",
      name: "Hibah",
      summary: "Fixed contribution.",
      maxCover: "100,000.50",
      features: "One\n\n  Two  \n",
      rating: JSON.stringify({ frequencies: { annual: { price: 180_000 } }, levies: "none" }),
    });
    expect(ok.success && ok.data).toMatchObject({ maxCover: 10_000_050, features: ["One", "Two"], sampleInput: {} });

    const bad = schema.safeParse({
      categoryId: "x",
      insurerId: "3f1c7c9e-2222-4c3b-9a7e-0d1a2b3c4d5e",
      name: "Hibah",
      summary: "x",
      rating: JSON.stringify({ frequencies: { annual: { multiplierBp: 9000 } } }),
    });
    expect(bad.success).toBe(false);
    const messages = bad.success ? [] : bad.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toContain("categoryId: Choose a category.");
    expect(messages.filter((m) => m.startsWith("rating: "))).toEqual([
      "rating: frequencies.annual.multiplierBp: the annual multiplier must be 10000 (the quote's total is the annual premium)",
      "rating: premium: declare at least one premium component, or fixed prices per frequency",
    ]);
  });
});

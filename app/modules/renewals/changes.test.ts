import { describe, expect, it } from "vitest";
import { priceQuote } from "~/modules/rating";
import { kenyaLevies, ratingExamples } from "~/modules/rating/examples";
import { explainChanges } from "./changes";

const price = (rating: unknown, input: unknown, quoteDate: string) => {
  const priced = priceQuote(rating, input, { currency: "KES", quoteDate, levies: kenyaLevies });
  if (!priced.ok) throw new Error(JSON.stringify(priced.errors));
  return priced.quote.lines;
};

describe("what changed at renewal", () => {
  it("an age band crossed at the new start date", () => {
    const input = { dateOfBirth: "1986-03-01", sumAssured: 500_000_000 };
    const before = price(ratingExamples.termLife, input, "2026-02-01");
    const after = price(ratingExamples.termLife, input, "2027-03-05");
    const changes = explainChanges(before, after);
    expect(changes).toEqual([
      expect.objectContaining({
        kind: "band",
        why: "Life cover: band 31–40 years → 41–50 years",
        oldMinor: 1_050_000,
        newMinor: 2_250_000,
      }),
    ]);
  });

  it("a rating rule change: same band, another rate", () => {
    const input = { vehicleValue: 150_000_000, yearOfManufacture: 2022, use: "private" };
    const dearer = structuredClone(ratingExamples.motorComprehensive);
    (dearer.premium[0] as { bands: { rateBp: number }[] }).bands[1]!.rateBp = 450;
    const changes = explainChanges(price(ratingExamples.motorComprehensive, input, "2026-06-01"), price(dearer, input, "2027-06-01"));
    expect(changes).toEqual([expect.objectContaining({ kind: "rate", oldMinor: 6_000_000, newMinor: 6_750_000 })]);
    expect(changes[0]!.why).toContain("from 4% to 4.5%");
  });

  it("a line that applies now (an older vehicle's loading), one that no longer does, and the no-claims discount", () => {
    const changes = explainChanges(
      [
        { code: "basic", label: "Cover", amount: 100 },
        { code: "fee", label: "Fee", amount: 5 },
      ],
      [
        { code: "basic", label: "Cover", amount: 100 },
        { code: "old_vehicle", label: "Vehicle over 10 years old (+10%)", amount: 10 },
        { code: "no_claims", label: "No-claims discount: 1 claim-free year (10%)", amount: -11 },
      ],
    );
    expect(changes.map((c) => c.kind)).toEqual(["added", "no_claims", "removed"]);
    expect(explainChanges([{ code: "basic", label: "Cover", amount: 100 }], [{ code: "basic", label: "Cover", amount: 100 }])).toEqual([]);
  });
});

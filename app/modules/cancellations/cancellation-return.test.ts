/**
 * The cancellation arithmetic's edges (app/modules/policies/lifecycle.ts), without a database.
 * The refund per product kind, to the cent, is in tests/integration/cancellation-refunds.test.ts.
 */
import { describe, expect, it } from "vitest";
import { cancellationReturnMinor } from "~/modules/policies/lifecycle";

const base = {
  annualMinor: 1_000_000,
  paidMinor: 1_000_000,
  term: { start: "2026-07-01", end: "2027-06-30" },
  issuedOn: "2026-06-01",
  freeLookDays: 14,
};
const shortRate = { refundMethod: "short_rate" as const, shortRate: [{ upToDays: 60, retainedBp: 3000 }] };

describe("cancellationReturnMinor", () => {
  it("earns nothing before the cover starts, on a short-rate scale too", () => {
    // Bought a month ahead, cancelled after the free look but before the start.
    expect(cancellationReturnMinor({ ...base, on: "2026-06-20", lifecycle: shortRate })).toEqual({
      method: "short_rate",
      returnMinor: 1_000_000,
      earnedMinor: 0,
    });
    expect(cancellationReturnMinor({ ...base, on: "2026-07-01", lifecycle: shortRate })).toMatchObject({ earnedMinor: 0 });
    expect(cancellationReturnMinor({ ...base, on: "2026-07-02", lifecycle: shortRate })).toMatchObject({
      earnedMinor: 300_000,
      returnMinor: 700_000,
    });
  });

  it("reads a short-rate scale stored out of order as ascending", () => {
    const lifecycle = {
      refundMethod: "short_rate" as const,
      shortRate: [
        { upToDays: 200, retainedBp: 7000 },
        { upToDays: 30, retainedBp: 2000 },
      ],
    };
    expect(cancellationReturnMinor({ ...base, on: "2026-07-21", lifecycle })).toMatchObject({ earnedMinor: 200_000 });
  });

  it("has no free look when the tenant sets none, and ends the free look on its last day", () => {
    const pro = { refundMethod: "pro_rata" as const, shortRate: [] };
    const first = { ...base, term: { start: "2026-06-01", end: "2027-05-31" } };
    expect(cancellationReturnMinor({ ...first, on: "2026-06-15", lifecycle: pro })).toMatchObject({ method: "free_look" });
    expect(cancellationReturnMinor({ ...first, on: "2026-06-16", lifecycle: pro })).toMatchObject({ method: "pro_rata" });
    expect(cancellationReturnMinor({ ...first, freeLookDays: 0, on: "2026-06-01", lifecycle: pro })).toMatchObject({
      method: "pro_rata",
      returnMinor: 1_000_000,
    });
  });

  it("refuses dates that are not dates", () => {
    expect(() => cancellationReturnMinor({ ...base, on: "2026-02-30", lifecycle: shortRate })).toThrow(RangeError);
  });
});

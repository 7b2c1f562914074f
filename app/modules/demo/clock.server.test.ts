import { describe, expect, it } from "vitest";
import { between, DemoClock, seededRandom } from "./clock.server";

describe("the demo history's calendar", () => {
  const now = new Date("2026-12-07T06:30:00Z");

  it("counts months and days back from today in the agency's zone", () => {
    const nairobi = new DemoClock(now, "Africa/Nairobi");
    expect(nairobi.today).toBe("2026-12-07");
    expect(nairobi.day({ months: 8, days: 0 })).toBe("2026-04-07");
    expect(nairobi.day({ months: 11, days: 10 })).toBe("2025-12-28");
    // 31 March less a month is the last day of February.
    expect(new DemoClock(new Date("2026-03-31T12:00:00Z"), "Africa/Nairobi").day({ months: 1, days: 0 })).toBe("2026-02-28");
  });

  it("puts a local time of day on a calendar day, and keeps today's moments two hours before now", () => {
    const nairobi = new DemoClock(now, "Africa/Nairobi");
    const kl = new DemoClock(now, "Asia/Kuala_Lumpur");
    expect(nairobi.at("2026-03-02", 9 * 60 + 30).toISOString()).toBe("2026-03-02T06:30:00.000Z");
    expect(kl.at("2026-03-02", 9 * 60 + 30).toISOString()).toBe("2026-03-02T01:30:00.000Z");
    expect(kl.dayOf(kl.at("2026-03-02", 0))).toBe("2026-03-02");
    // 17:00 today in Kuala Lumpur is 09:00 UTC, after now (06:30 UTC): it becomes 04:30 UTC.
    expect(kl.at("2026-12-07", 17 * 60).toISOString()).toBe("2026-12-07T04:30:00.000Z");
  });

  it("draws the same details from the same seed, and others from another", () => {
    const draw = (seed: string) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => between(random, 1, 1000));
    };
    expect(draw("bowman")).toEqual(draw("bowman"));
    expect(draw("bowman")).not.toEqual(draw("khholdings"));
    expect(draw("bowman").every((n) => n >= 1 && n <= 1000)).toBe(true);
  });
});

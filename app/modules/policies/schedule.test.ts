import { describe, expect, it } from "vitest";
import { addMonths, coverEndDate, coverEndFor, instalmentSchedule } from "./schedule";

describe("policy calendar", () => {
  it("adds months, keeping the day or clamping to the month's end", () => {
    expect(addMonths("2026-01-15", 1)).toBe("2026-02-15");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
    expect(addMonths("2026-12-01", 12)).toBe("2027-12-01");
  });

  it("gives a year of cover ending the day before the anniversary", () => {
    expect(coverEndDate("2026-11-21")).toBe("2027-11-20");
    expect(coverEndDate("2028-02-29")).toBe("2029-02-27");
    expect(coverEndDate("2026-03-01")).toBe("2027-02-28");
  });

  it("covers a trip for its days, anything else for a year", () => {
    expect(coverEndFor("2026-11-21", "tripDays", { tripDays: 10 })).toBe("2026-11-30");
    expect(coverEndFor("2026-11-21", "tripDays", { tripDays: 1 })).toBe("2026-11-21");
    expect(coverEndFor("2026-12-28", "tripDays", { tripDays: 7 })).toBe("2027-01-03");
    expect(coverEndFor("2026-11-21", undefined, { tripDays: 10 })).toBe("2027-11-20");
    expect(coverEndFor("2026-11-21", "tripDays", { tripDays: "10" })).toBe("2027-11-20");
    expect(coverEndFor("2026-11-21", "tripDays", {})).toBe("2027-11-20");
  });

  it("spreads instalments over the year, the first on the start date", () => {
    const monthly = instalmentSchedule("2026-01-31", 12, 1500, 1200);
    expect(monthly).toHaveLength(12);
    expect(monthly[0]).toEqual({ sequence: 1, dueDate: "2026-01-31", amountMinor: 1500 });
    expect(monthly[1]!.dueDate).toBe("2026-02-28");
    expect(monthly[11]).toEqual({ sequence: 12, dueDate: "2026-12-31", amountMinor: 1200 });
    expect(instalmentSchedule("2026-05-10", 4, 10, 9).map((i) => i.dueDate)).toEqual([
      "2026-05-10",
      "2026-08-10",
      "2026-11-10",
      "2027-02-10",
    ]);
    expect(instalmentSchedule("2026-05-10", 1, 10, 0)).toEqual([{ sequence: 1, dueDate: "2026-05-10", amountMinor: 10 }]);
    expect(() => instalmentSchedule("2026-05-10", 3, 1, 1)).toThrow(RangeError);
  });
});

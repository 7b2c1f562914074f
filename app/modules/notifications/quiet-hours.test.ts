import { describe, expect, it } from "vitest";
import { quietUntil } from "./quiet-hours";

describe("quiet hours", () => {
  const nairobi = "Africa/Nairobi"; // UTC+3, no daylight saving

  it("a window across midnight entered in the evening ends the next morning", () => {
    // 23:00 in Nairobi.
    expect(quietUntil(new Date("2026-12-07T20:00:00Z"), nairobi, "21:00", "07:00")?.toISOString()).toBe("2026-12-08T04:00:00.000Z");
  });

  it("after midnight the same window ends that morning", () => {
    // 02:30 in Nairobi.
    expect(quietUntil(new Date("2026-12-07T23:30:00Z"), nairobi, "21:00:00", "07:00:00")?.toISOString()).toBe("2026-12-08T04:00:00.000Z");
  });

  it("outside the window, and at its very end, nothing is held", () => {
    expect(quietUntil(new Date("2026-12-07T09:00:00Z"), nairobi, "21:00", "07:00")).toBeNull();
    expect(quietUntil(new Date("2026-12-08T04:00:00Z"), nairobi, "21:00", "07:00")).toBeNull();
    expect(quietUntil(new Date("2026-12-07T20:00:00Z"), nairobi, "07:00", "07:00")).toBeNull();
  });

  it("a window within one day", () => {
    // 13:15 in Nairobi, quiet 12:00–14:00.
    expect(quietUntil(new Date("2026-12-07T10:15:00Z"), nairobi, "12:00", "14:00")?.toISOString()).toBe("2026-12-07T11:00:00.000Z");
    expect(quietUntil(new Date("2026-12-07T11:30:00Z"), nairobi, "12:00", "14:00")).toBeNull();
  });

  it("ends at the wall-clock hour across a daylight-saving change", () => {
    // London moves to BST at 01:00 GMT on 29 March 2026: 07:00 that morning is 06:00 UTC.
    expect(quietUntil(new Date("2026-03-28T23:00:00Z"), "Europe/London", "22:00", "07:00")?.toISOString()).toBe("2026-03-29T06:00:00.000Z");
    // Kuala Lumpur (UTC+8) for good measure.
    expect(quietUntil(new Date("2026-12-07T14:00:00Z"), "Asia/Kuala_Lumpur", "21:00", "07:00")?.toISOString()).toBe(
      "2026-12-07T23:00:00.000Z",
    );
  });
});

import { describe, expect, it } from "vitest";
import { bpToPercentInput, commissionRulesFormSchema, parsePercentToBp } from "./admin-forms";

describe("rates typed in percent", () => {
  it.each([
    ["11.11", 1111],
    ["11.11 %", 1111],
    ["0.83", 83],
    ["50", 5000],
    ["2.2", 220],
    ["12.50", 1250],
    [".5", 50],
    ["100", 10_000],
    ["0", 0],
  ])("%s → %i bp", (text, bp) => {
    expect(parsePercentToBp(text)).toEqual({ ok: true, bp });
    expect(parsePercentToBp(bpToPercentInput(bp))).toEqual({ ok: true, bp });
  });

  it.each(["11.111", "abc", "-1", "100.01", "1e2", ""])("refuses %j", (text) => {
    expect(parsePercentToBp(text).ok).toBe(false);
  });

  it("prints basis points back as the field's text", () => {
    expect([1111, 83, 5000, 1250, 10_000, 5].map(bpToPercentInput)).toEqual(["11.11", "0.83", "50", "12.5", "100", "0.05"]);
  });
});

describe("the rules form", () => {
  const schema = commissionRulesFormSchema({ currency: "MYR", nowLocal: "2026-11-21T10:15", maxTiers: 3 });

  it("turns rows into numbered tiers in minor units and basis points", () => {
    const parsed = schema.safeParse({
      frequency: "monthly",
      start: "now",
      seen: "none",
      tiers: [
        { kind: "percent", rate: "11.11", requiresActive: true, minPersonalSales: 0 },
        { kind: "fixed", amount: "2.50", cap: "100", requiresActive: false, minPersonalSales: 3 },
      ],
    });
    expect(parsed.success && parsed.data.tiers).toEqual([
      { tier: 1, kind: "percent", amountMinor: null, rateBp: 1111, capMinor: null, requiresActive: true, minPersonalSales: 0 },
      { tier: 2, kind: "fixed", amountMinor: 250, rateBp: null, capMinor: 10_000, requiresActive: false, minPersonalSales: 3 },
    ]);
  });

  it("puts each problem on its field", () => {
    const parsed = schema.safeParse({
      frequency: "monthly",
      start: "later",
      startsAt: "2026-11-21T10:15",
      tiers: [
        { kind: "percent" },
        { kind: "fixed", amount: "1.234" },
        { kind: "percent", rate: "1", cap: "0" },
        { kind: "percent", rate: "1" },
      ],
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["startsAt", "tiers"]));
    const rows = schema.safeParse({
      frequency: "monthly",
      seen: "none",
      tiers: [{ kind: "percent" }, { kind: "fixed", amount: "1.234" }, { kind: "percent", rate: "1", cap: "0" }],
    });
    expect(rows.success ? [] : rows.error.issues.map((i) => i.path.join("."))).toEqual(["tiers.0.rate", "tiers.1.amount", "tiers.2.cap"]);
  });

  it("starts now, or at a later date and time in the agency's zone", () => {
    const tiers = [{ kind: "percent", rate: "10", requiresActive: true, minPersonalSales: 0 }];
    const start = (value: Record<string, string>) => schema.safeParse({ frequency: "monthly", seen: "none", tiers, ...value });
    expect(start({}).success && start({}).data).toMatchObject({ start: "now" });
    expect(start({ start: "later", startsAt: "2026-11-21T10:16" }).success).toBe(true);
    expect(start({ start: "later", startsAt: "2026-12-01T00:00:00" }).success).toBe(true);
    const problem = (value: Record<string, string>) => {
      const parsed = start(value);
      return parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(problem({ start: "later" })).toEqual(["startsAt: Choose the date and time the new rules start."]);
    expect(problem({ start: "later", startsAt: "2026-11-21T10:15" })).toEqual([
      expect.stringMatching(/^startsAt: Choose a time after now/),
    ]);
    expect(problem({ start: "later", startsAt: "2026-02-30T10:00" })).toEqual([expect.stringMatching(/^startsAt: Enter a date and time/)]);
    expect(problem({ start: "later", startsAt: "2026-12-01T24:00" })).toEqual([expect.stringMatching(/^startsAt: Enter a date and time/)]);
    expect(problem({ start: "soon" })).toEqual(["start: Choose when the new rules start."]);
  });

  it("carries the latest version it was built from, or says it is out of date (a form-level message)", () => {
    const tiers = [{ kind: "percent", rate: "10", requiresActive: true, minPersonalSales: 0 }];
    const parse = (seen?: string) => schema.safeParse({ frequency: "monthly", tiers, ...(seen === undefined ? {} : { seen }) });
    expect(parse("none").success).toBe(true);
    expect(parse("0b3a1f4e-7c2d-4e5f-9a8b-1c2d3e4f5a6b").success).toBe(true);
    for (const seen of [undefined, "", "latest", "0b3a1f4e-7c2d-4e5f-9a8b-1c2d3e4f5a6"]) {
      const parsed = parse(seen);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`), String(seen)).toEqual([
        ": This form is out of date: reload the page and save again.",
      ]);
    }
  });
});

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RatingDeclarationError, levyListSchema, parseRating, priceQuote, safeParseRating, type RatingDeclarationInput } from "./index";
import { kenyaLevies, ratingExamples } from "./examples";

type InputDefInput = NonNullable<RatingDeclarationInput["inputs"]>[number];

const KES = { currency: "KES", quoteDate: "2026-06-01", levies: kenyaLevies };

function problemsOf(declaration: unknown): string[] {
  const result = safeParseRating(declaration);
  if (result.ok) throw new Error("expected the declaration to be refused");
  return result.problems;
}

const simple = (extra: Partial<RatingDeclarationInput> = {}): RatingDeclarationInput => ({
  inputs: [
    { kind: "money", name: "value", label: "Value" },
    {
      kind: "select",
      name: "use",
      label: "Use",
      options: [
        { value: "private", label: "Private" },
        { value: "commercial", label: "Commercial" },
      ],
    },
  ],
  premium: [{ kind: "rate", code: "basic", label: "Basic", of: "value", rateBp: 400 }],
  ...extra,
});

describe("the example declarations", () => {
  it.each(Object.entries(ratingExamples))("%s parses, and survives a JSON round trip unchanged", (_name, declaration) => {
    expect(safeParseRating(declaration)).toMatchObject({ ok: true });
    expect(JSON.parse(JSON.stringify(declaration))).toEqual(declaration);
  });

  it("the Kenyan levy list is valid", () => {
    expect(levyListSchema.parse(kenyaLevies)).toEqual(kenyaLevies);
  });
});

describe("invalid declarations are refused with readable messages", () => {
  it("the engine throws a RatingDeclarationError naming the problem", () => {
    const broken = simple({ premium: [{ kind: "rate", code: "basic", label: "Basic", of: "vehicleValu", rateBp: 400 }] });
    expect(() => priceQuote(broken, { value: "1000" }, KES)).toThrow(RatingDeclarationError);
    expect(() => priceQuote(broken, { value: "1000" }, KES)).toThrow(
      'Invalid rating declaration:\n  - premium[0].of: "vehicleValu" is not a money, integer or derived input',
    );
  });

  it("typos in keys, kinds and units", () => {
    expect(problemsOf(simple({ minimumPremum: 100 } as object))).toEqual(["(declaration): Unrecognized key(s) in object: 'minimumPremum'"]);
    expect(problemsOf(simple({ premium: [{ kind: "percent", code: "x", label: "X" }] } as object))[0]).toMatch(
      /^premium\[0\]\.kind: Invalid discriminator value/,
    );
    expect(problemsOf(simple({ premium: [{ kind: "rate", code: "basic", label: "Basic", of: "value", rateBp: 4.5 }] }))).toEqual([
      "premium[0].rateBp: must be whole basis points (0.25% = 25)",
    ]);
    expect(problemsOf(simple({ minimumPremium: 375.5 }))).toEqual(["minimumPremium: must be a whole number of minor units"]);
    expect(problemsOf(simple({ premium: [{ kind: "rate", code: "Basic Cover", label: "Basic", of: "value", rateBp: 400 }] }))).toEqual([
      "premium[0].code: must be lowercase letters, digits and _, like excess_protector",
    ]);
  });

  it("references to missing or wrong inputs", () => {
    expect(problemsOf(simple({ premium: [{ kind: "addon", code: "pv", label: "PV", input: "use", of: "value", rateBp: 25 }] }))).toEqual([
      'premium[0].input: "use" is not a boolean input',
    ]);
    expect(
      problemsOf(
        simple({
          premium: [
            { kind: "loading", code: "load", label: "Load", rateBp: 100, on: ["basic"] },
            { kind: "rate", code: "basic", label: "B", of: "value", rateBp: 1 },
          ],
        }),
      ),
    ).toEqual(['premium[0].on[0]: "basic" is not an earlier component\'s code']);
    expect(problemsOf(simple({ derived: [{ kind: "age", name: "age", label: "Age", from: "use" }] }))).toEqual([
      'derived[0].from: "use" must be a date or integer (year) input',
    ]);
  });

  it("conditions that could never hold", () => {
    const loading = (when: unknown) =>
      simple({
        premium: [
          { kind: "rate", code: "basic", label: "B", of: "value", rateBp: 1 },
          { kind: "loading", code: "l", label: "L", rateBp: 1, when } as never,
        ],
      });
    expect(problemsOf(loading({ field: "use", op: "eq", value: "comercial" }))).toEqual([
      'premium[1].when: "comercial" is not an option of "use" (private, commercial)',
    ]);
    expect(problemsOf(loading({ field: "use", op: "gt", value: 3 }))).toEqual([
      'premium[1].when: "gt" compares a numeric field with a number',
    ]);
    expect(problemsOf(loading({ field: "use", op: "in", value: "private" }))).toEqual(['premium[1].when: "in" needs a list of values']);
    expect(problemsOf(loading([{ field: "colour", op: "eq", value: "red" }]))).toEqual([
      'premium[1].when[0]: "colour" is not an input or derived value',
    ]);
  });

  it("bands that overlap, tables that miss an option or a band", () => {
    expect(
      problemsOf(
        simple({
          premium: [
            {
              kind: "bandRate",
              code: "basic",
              label: "B",
              of: "value",
              by: "value",
              bands: [
                { max: 100, rateBp: 1 },
                { min: 100, rateBp: 2 },
              ],
            },
          ],
        }),
      ),
    ).toEqual(["premium[0].bands: bands overlap: up to 100 and 100 and over"]);
    const table = simple({
      inputs: [...simple().inputs!, { kind: "integer", name: "days", label: "Days" }],
      premium: [
        {
          kind: "bandTable2D",
          code: "t",
          label: "T",
          rows: { field: "days", bands: [{ max: 7 }, { min: 8 }] },
          columns: { field: "use" },
          amounts: { private: [1, 2], comercial: [3] },
        },
      ],
    });
    expect(problemsOf(table)).toEqual([
      "premium[0].amounts: missing amounts for: commercial",
      "premium[0].amounts: unknown amounts: comercial (expected private, commercial)",
      "premium[0].amounts.comercial: needs 2 amounts, one per row band (has 1)",
    ]);
  });

  it("an age-band table with an unknown role or a missing option table", () => {
    const persons: InputDefInput = {
      kind: "persons",
      name: "persons",
      label: "People",
      roles: [{ value: "principal", label: "Principal", max: 1 }],
    };
    const declaration = simple({
      inputs: [...simple().inputs!, persons],
      premium: [
        {
          kind: "ageBandTable",
          code: "ip",
          label: "IP",
          persons: "persons",
          tableBy: "use",
          tables: { private: [{ amounts: { principal: 1, spouse: 2 } }] },
        },
      ],
    });
    expect(problemsOf(declaration)).toEqual([
      "premium[0].tables: missing tables for: commercial",
      "premium[0].tables.private[0].amounts: unknown role: spouse (roles: principal)",
    ]);
  });

  it("payment frequencies that cannot be priced", () => {
    expect(problemsOf(simple({ frequencies: { annual: { multiplierBp: 10_000 }, monthly: { price: 15_000 } } }))).toEqual([
      "frequencies: give every frequency a price, or every frequency a multiplierBp — not a mix",
    ]);
    expect(problemsOf(simple({ frequencies: { annual: { multiplierBp: 9_000 } } }))).toEqual([
      "frequencies.annual.multiplierBp: the annual multiplier must be 10000 (the quote's total is the annual premium)",
    ]);
    expect(problemsOf({ frequencies: { monthly: { price: 15_000 } } })).toEqual([
      "frequencies.annual: is required: every product can be paid annually",
    ]);
    expect(problemsOf(simple({ frequencies: { annual: { price: 180_000 } } }))).toEqual([
      "premium: a product with fixed prices per frequency declares no premium components",
    ]);
    expect(problemsOf(simple({ frequencies: { annual: { multiplierBp: 10_000 }, monthly: { multiplier: 900 } } as never }))).toEqual([
      'frequencies.monthly: must be { "multiplierBp": whole basis points } or { "price": whole minor units }',
    ]);
    expect(problemsOf({ inputs: [] })).toEqual(["premium: declare at least one premium component, or fixed prices per frequency"]);
  });

  it("add-ons need exactly one way to be priced", () => {
    const addon = (extra: object) =>
      simple({
        inputs: [...simple().inputs!, { kind: "boolean", name: "pv", label: "PV" }],
        premium: [{ kind: "addon", code: "pv", label: "PV", input: "pv", ...extra } as never],
      });
    expect(problemsOf(addon({}))).toEqual(["premium[0]: an add-on needs a fixed amount, or rateBp and of"]);
    expect(problemsOf(addon({ amount: 100, rateBp: 25, of: "value" }))).toEqual([
      "premium[0]: an add-on has either a fixed amount, or rateBp and of (with an optional minimum), not both",
    ]);
  });

  it("duplicate names and codes", () => {
    expect(
      problemsOf(
        simple({
          inputs: [...simple().inputs!, { kind: "boolean", name: "use", label: "Again" }],
          premium: [
            { kind: "rate", code: "basic", label: "B", of: "value", rateBp: 1 },
            { kind: "fixed", code: "basic", label: "Fee", amount: 100 },
            { kind: "fixed", code: "minimum", label: "Fee", amount: 100 },
          ],
        }),
      ),
    ).toEqual([
      'inputs[2].name: duplicate or reserved name "use"',
      'premium[1].code: duplicate or reserved code "basic"',
      'premium[2].code: duplicate or reserved code "minimum"',
    ]);
  });

  it("an invalid tenant levy list", () => {
    expect(() =>
      priceQuote(
        simple(),
        { value: "1", use: "private" },
        { ...KES, levies: [{ code: "stamp_duty", label: "Stamp", kind: "fixed", amount: 40.5 }] as never },
      ),
    ).toThrow("levies[0].amount: must be a whole number of minor units");
  });

  it("parses a declaration object once", () => {
    const declaration = simple();
    expect(parseRating(declaration)).toBe(parseRating(declaration));
  });
});

describe("the module runs in the browser", () => {
  it("imports nothing server-only", () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const sources = readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const imports = [...readFileSync(path.join(dir, file), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]!);
      for (const specifier of imports)
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^(zod|\.\/[a-z-]+|~\/lib\/money|~\/lib\/text)$/);
    }
  });
});

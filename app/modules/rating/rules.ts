import { z } from "zod";
import { lineText } from "~/lib/text";

/**
 * A product's rating declaration: the data a tenant manifest carries for each product so the
 * engine can price a quote without product-specific code. Everything here is JSON: money in
 * integer minor units of the tenant's currency, rates in basis points (0.25% = 25), bands as
 * inclusive integer ranges. `ratingSchema` checks the shape and every cross-reference (a component
 * naming an input that does not exist is a declaration error, not a runtime surprise).
 *
 * Pure and framework-free: this module also runs in the browser for client-side validation.
 */

export const FREQUENCIES = ["annual", "semi_annual", "quarterly", "monthly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const INSTALMENTS_PER_YEAR: Record<Frequency, number> = { annual: 1, semi_annual: 2, quarterly: 4, monthly: 12 };
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  annual: "Annually",
  semi_annual: "Semi-annually",
  quarterly: "Quarterly",
  monthly: "Monthly",
};

/** Line codes the engine emits itself, so components may not use them. */
export const RESERVED_CODES = ["minimum", "price"] as const;

// Names become form field names (`persons[0].age`), so no dots, brackets or dashes.
const fieldName = lineText().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, "must be camelCase letters and digits, like vehicleValue");
const code = lineText().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be lowercase letters, digits and _, like excess_protector");
const label = lineText().min(1).max(160);
const hint = lineText().max(300).optional();
const minor = z.number().int("must be a whole number of minor units").nonnegative().safe();
// Up to 1000%: enough for any loading; anything above is surely a typo.
const basisPoints = z.number().int("must be whole basis points (0.25% = 25)").min(0).max(100_000);
const isoDate = lineText().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-06-01");

// ── Inputs ────────────────────────────────────────────────────────────────────────────────────

/** A bound fixed in the declaration, or relative to the quote's year (year of manufacture). */
const yearBound = z.union([z.number().int(), z.object({ fromQuoteYear: z.number().int() }).strict()]);
/** A bound fixed in the declaration, or relative to the quote date in days (date of birth ≤ today). */
const dateBound = z.union([isoDate, z.object({ fromQuoteDays: z.number().int() }).strict()]);

const base = { name: fieldName, label, hint, requiredMessage: lineText().max(160).optional() };

export const moneyInputSchema = z
  .object({
    kind: z.literal("money"),
    ...base,
    required: z.boolean().default(true),
    // Used when the field is left empty (e.g. no contents cover → 0); makes the field optional.
    default: minor.optional(),
    min: minor.optional(),
    max: minor.optional(),
    step: minor.positive().optional(),
  })
  .strict();

// Whole numbers only: pricing is integer arithmetic, so fractional inputs have no place in it.
export const integerInputSchema = z
  .object({
    kind: z.literal("integer"),
    ...base,
    required: z.boolean().default(true),
    default: z.number().int().optional(),
    min: yearBound.optional(),
    max: yearBound.optional(),
    step: z.number().int().positive().optional(),
    unit: lineText().max(40).optional(),
  })
  .strict();

export const selectOptionSchema = z.object({ value: lineText().regex(/^[a-z0-9][a-z0-9_]{0,39}$/), label }).strict();

export const selectInputSchema = z
  .object({
    kind: z.literal("select"),
    ...base,
    options: z.array(selectOptionSchema).min(1),
    default: lineText().optional(),
  })
  .strict();

/** A checkbox, typically an optional add-on; unticked means false, never "missing". */
export const booleanInputSchema = z.object({ kind: z.literal("boolean"), name: fieldName, label, hint }).strict();

export const dateInputSchema = z
  .object({ kind: z.literal("date"), ...base, required: z.boolean().default(true), min: dateBound.optional(), max: dateBound.optional() })
  .strict();

/** Captured with the quote (a registration number) but not priced. */
export const textInputSchema = z
  .object({
    kind: z.literal("text"),
    ...base,
    required: z.boolean().default(true),
    maxLength: z.number().int().positive().max(500).default(120),
    pattern: lineText().optional(),
    patternMessage: lineText().max(160).optional(),
    uppercase: z.boolean().default(false),
  })
  .strict();

export const personRoleSchema = z
  .object({
    value: code,
    label,
    // For messages: "Add no more than 6 children".
    plural: label.optional(),
    min: z.number().int().min(0).default(0),
    max: z.number().int().min(1),
    minAge: z.number().int().min(0).default(0),
    maxAge: z.number().int().max(130).default(120),
  })
  .strict();

/** A repeatable list of insured people (medical: principal, spouse, children), each with a role and age. */
export const personsInputSchema = z
  .object({
    kind: z.literal("persons"),
    name: fieldName,
    label,
    hint,
    roles: z.array(personRoleSchema).min(1),
    maxPersons: z.number().int().positive().max(50).optional(),
  })
  .strict();

export const inputDefSchema = z.discriminatedUnion("kind", [
  moneyInputSchema,
  integerInputSchema,
  selectInputSchema,
  booleanInputSchema,
  dateInputSchema,
  textInputSchema,
  personsInputSchema,
]);

// ── Derived values ─────────────────────────────────────────────────────────────────────────────

/**
 * Values computed from inputs at the quote date, so declarations can band on "vehicle age" while
 * the form asks for the year of manufacture. Range errors are reported on the source field.
 */
export const derivedSchema = z.discriminatedUnion("kind", [
  // Full years from a date (date of birth) or a year (year of manufacture) to the quote date.
  z
    .object({
      kind: z.literal("age"),
      name: fieldName,
      label,
      from: fieldName,
      min: z.number().int().optional(),
      max: z.number().int().optional(),
      message: lineText().max(160).optional(),
    })
    .strict(),
  // Days from one date to another, both counted (a trip leaving and returning the same day is 1 day).
  z
    .object({
      kind: z.literal("days"),
      name: fieldName,
      label,
      from: fieldName,
      to: fieldName,
      min: z.number().int().optional(),
      max: z.number().int().optional(),
      message: lineText().max(160).optional(),
    })
    .strict(),
]);

// ── Conditions ─────────────────────────────────────────────────────────────────────────────────

export const CONDITION_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "in"] as const;
/** A declarative test on one input or derived value; never evaluated code. */
export const conditionSchema = z
  .object({
    field: fieldName,
    op: z.enum(CONDITION_OPS),
    value: z.union([lineText(), z.number(), z.boolean(), z.array(z.union([lineText(), z.number()])).min(1)]),
  })
  .strict();
const when = z.union([conditionSchema, z.array(conditionSchema).min(1)]).optional();

// ── Premium components ─────────────────────────────────────────────────────────────────────────

/** Bands are inclusive integer ranges; an open end is simply left out. */
const bandFields = { min: z.number().int().optional(), max: z.number().int().optional(), label: label.optional() };
const componentBase = { code, label, when };
// Shown instead of "<label>: minimum premium adjustment" when a line's minimum applies.
const minimumFields = { minimum: minor.optional(), minimumLabel: label.optional() };

export const componentSchema = z.discriminatedUnion("kind", [
  // value × rate, e.g. buildings 0.15% of the building value.
  z.object({ kind: z.literal("rate"), ...componentBase, of: fieldName, rateBp: basisPoints, ...minimumFields }).strict(),
  // value × a rate picked by the band of another (or the same) value, e.g. motor rate by value band.
  z
    .object({
      kind: z.literal("bandRate"),
      ...componentBase,
      of: fieldName,
      by: fieldName,
      bands: z.array(z.object({ ...bandFields, rateBp: basisPoints }).strict()).min(1),
      ...minimumFields,
    })
    .strict(),
  // A percentage of earlier lines: `on` names component codes; without it, everything so far.
  z.object({ kind: z.literal("loading"), ...componentBase, rateBp: basisPoints, on: z.array(code).min(1).optional() }).strict(),
  z
    .object({
      kind: z.literal("discount"),
      ...componentBase,
      rateBp: basisPoints.max(10_000),
      on: z.array(code).min(1).optional(),
    })
    .strict(),
  // An optional cover ticked by a boolean input: a rate on a value (with a minimum) or a fixed amount.
  z
    .object({
      kind: z.literal("addon"),
      ...componentBase,
      input: fieldName,
      of: fieldName.optional(),
      rateBp: basisPoints.optional(),
      amount: minor.optional(),
      ...minimumFields,
    })
    .strict(),
  // One line per insured person: the row for the person's age, the amount for the person's role.
  // `tableBy` names a select input (inpatient limit) and `tables` holds one table per option;
  // without `tableBy`, `rows` is the single table.
  z
    .object({
      kind: z.literal("ageBandTable"),
      ...componentBase,
      persons: fieldName,
      tableBy: fieldName.optional(),
      tables: z.record(z.array(z.object({ ...bandFields, amounts: z.record(minor) }).strict()).min(1)).optional(),
      rows: z
        .array(z.object({ ...bandFields, amounts: z.record(minor) }).strict())
        .min(1)
        .optional(),
    })
    .strict(),
  // A two-way table: numeric bands down (trip days) × select options across (destination zone),
  // optionally multiplied by a count (travellers).
  z
    .object({
      kind: z.literal("bandTable2D"),
      ...componentBase,
      rows: z.object({ field: fieldName, bands: z.array(z.object(bandFields).strict()).min(1) }).strict(),
      columns: z.object({ field: fieldName }).strict(),
      amounts: z.record(z.array(minor).min(1)),
      multiplyBy: fieldName.optional(),
    })
    .strict(),
  // Life: sum assured ÷ 1,000 × a rate for the age band. `rate` is minor units per 1,000 major
  // units of cover (KES 2.10 per KES 1,000 → 210), the way life rate tables are printed.
  z
    .object({
      kind: z.literal("perThousand"),
      ...componentBase,
      of: fieldName,
      by: fieldName,
      bands: z.array(z.object({ ...bandFields, rate: minor }).strict()).min(1),
      ...minimumFields,
    })
    .strict(),
  // A fixed amount (policy fee), optionally per unit of a count.
  z.object({ kind: z.literal("fixed"), ...componentBase, amount: minor, multiplyBy: fieldName.optional() }).strict(),
]);

// ── Levies ─────────────────────────────────────────────────────────────────────────────────────

/**
 * A statutory levy or duty. Percent levies apply to the base premium (after any minimum); fixed
 * duties are added once per policy (on the first instalment).
 */
export const levySchema = z.discriminatedUnion("kind", [
  z.object({ code, label, kind: z.literal("percent"), rateBp: basisPoints }).strict(),
  z.object({ code, label, kind: z.literal("fixed"), amount: minor }).strict(),
]);
export const levyListSchema = z.array(levySchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((levy, i) => {
    if (seen.has(levy.code))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, "code"], message: `duplicate levy code "${levy.code}"` });
    seen.add(levy.code);
  });
});

/**
 * A product's levies: omitted → the tenant's list; "none" → no levies (the KHHoldings products);
 * or the tenant's list minus `exclude`, plus `add` (an added code replaces the tenant's one).
 */
export const productLeviesSchema = z.union([
  z.literal("none"),
  z.object({ exclude: z.array(code).default([]), add: z.array(levySchema).default([]) }).strict(),
]);

// ── Payment frequencies ────────────────────────────────────────────────────────────────────────

/**
 * Either every frequency has a fixed price per instalment (KHHoldings: RM150 monthly, RM450
 * quarterly…), or every frequency has a multiplier: the share of the annual premium charged per
 * instalment, in basis points (monthly 900 → 12 × 9% = 108% of annual; instalments usually cost
 * more than paying once). The annual frequency is always offered: the quote's total is annual.
 */
export const frequencyPriceSchema = z.union(
  [z.object({ multiplierBp: basisPoints.positive() }).strict(), z.object({ price: minor.positive() }).strict()],
  {
    errorMap: (_issue, ctx) => ({
      message:
        ctx.data === undefined
          ? "is required: every product can be paid annually"
          : 'must be { "multiplierBp": whole basis points } or { "price": whole minor units }',
    }),
  },
);
export const frequenciesSchema = z
  .object({
    annual: frequencyPriceSchema,
    semi_annual: frequencyPriceSchema.optional(),
    quarterly: frequencyPriceSchema.optional(),
    monthly: frequencyPriceSchema.optional(),
  })
  .strict();

// ── The declaration ────────────────────────────────────────────────────────────────────────────

const ratingObjectSchema = z
  .object({
    inputs: z.array(inputDefSchema).default([]),
    derived: z.array(derivedSchema).default([]),
    premium: z.array(componentSchema).default([]),
    // Applies to the sum of the premium lines (before levies); the top-up is its own line.
    minimumPremium: minor.optional(),
    minimumLabel: label.optional(),
    // The line shown for fixed-price products ("Annual contribution").
    priceLabel: label.optional(),
    frequencies: frequenciesSchema.default({ annual: { multiplierBp: 10_000 } }),
    levies: productLeviesSchema.optional(),
  })
  .strict();

export const ratingSchema = ratingObjectSchema.superRefine(checkReferences);

export type InputDef = z.output<typeof inputDefSchema>;
export type InputKind = InputDef["kind"];
export type MoneyInputDef = z.output<typeof moneyInputSchema>;
export type IntegerInputDef = z.output<typeof integerInputSchema>;
export type SelectInputDef = z.output<typeof selectInputSchema>;
export type DateInputDef = z.output<typeof dateInputSchema>;
export type TextInputDef = z.output<typeof textInputSchema>;
export type PersonsInputDef = z.output<typeof personsInputSchema>;
export type PersonRole = z.output<typeof personRoleSchema>;
export type DerivedDef = z.output<typeof derivedSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type Component = z.output<typeof componentSchema>;
export type Levy = z.output<typeof levySchema>;
export type ProductLevies = z.output<typeof productLeviesSchema>;
export type FrequencyPrice = z.output<typeof frequencyPriceSchema>;
/** A parsed, checked declaration (defaults filled in). */
export type RatingDeclaration = z.output<typeof ratingSchema>;
/** What a manifest may contain (defaults optional): the type to write declarations against. */
export type RatingDeclarationInput = z.input<typeof ratingSchema>;

/** Thrown when a product's declaration is invalid: a configuration mistake, not a user error. */
export class RatingDeclarationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid rating declaration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RatingDeclarationError";
  }
}

export function safeParseRating(value: unknown): { ok: true; rating: RatingDeclaration } | { ok: false; problems: string[] } {
  const result = ratingSchema.safeParse(value);
  if (result.success) return { ok: true, rating: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => `${formatPath(issue.path) || "(declaration)"}: ${issue.message}`) };
}

// Parsing costs a little; a manifest's declarations are parsed once per object, not per quote.
const parsed = new WeakMap<object, RatingDeclaration>();

/** Parse and check a declaration, or throw a RatingDeclarationError listing every problem. */
export function parseRating(value: unknown): RatingDeclaration {
  if (typeof value === "object" && value !== null) {
    const cached = parsed.get(value);
    if (cached) return cached;
  }
  const result = safeParseRating(value);
  if (!result.ok) throw new RatingDeclarationError(result.problems);
  if (typeof value === "object" && value !== null) {
    parsed.set(value, result.rating);
    parsed.set(result.rating, result.rating);
  }
  return result.rating;
}

/** `["persons", 0, "age"]` → `persons[0].age`, the way conform names fields. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** `persons[0].age` → `["persons", 0, "age"]`. */
export function parsePath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) parts.push(Number(match[2]));
    else if (match[1] !== undefined) parts.push(match[1]);
  }
  return parts;
}

type Band = { min?: number; max?: number };

/** The band containing `value` (inclusive bounds), or undefined. */
export function findBandIndex(bands: readonly Band[], value: number): number {
  return bands.findIndex((band) => (band.min === undefined || value >= band.min) && (band.max === undefined || value <= band.max));
}

export function bandText(band: Band & { label?: string }, unit = ""): string {
  if (band.label) return band.label;
  const u = unit ? ` ${unit}` : "";
  if (band.min !== undefined && band.max !== undefined) return band.min === band.max ? `${band.min}${u}` : `${band.min}–${band.max}${u}`;
  if (band.min !== undefined) return `${band.min}${u} and over`;
  if (band.max !== undefined) return `up to ${band.max}${u}`;
  return "all";
}

export function conditionsOf(value: Condition | Condition[] | undefined): Condition[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

// ── Cross-reference checks ─────────────────────────────────────────────────────────────────────

type RatingObject = z.output<typeof ratingObjectSchema>;

function checkReferences(rating: RatingObject, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

  const inputs = new Map<string, InputDef>();
  const derived = new Map<string, DerivedDef>();
  rating.inputs.forEach((input, i) => {
    if (inputs.has(input.name) || input.name === "form") problem(["inputs", i, "name"], `duplicate or reserved name "${input.name}"`);
    inputs.set(input.name, input);
    checkInput(input, (path, message) => problem(["inputs", i, ...path], message));
  });
  rating.derived.forEach((d, i) => {
    if (inputs.has(d.name) || derived.has(d.name)) problem(["derived", i, "name"], `duplicate name "${d.name}"`);
    checkRange(d, (message) => problem(["derived", i], message));
    const from = inputs.get(d.from);
    if (d.kind === "age") {
      if (!from || (from.kind !== "date" && from.kind !== "integer"))
        problem(["derived", i, "from"], `"${d.from}" must be a date or integer (year) input`);
    } else {
      if (from?.kind !== "date") problem(["derived", i, "from"], `"${d.from}" must be a date input`);
      if (inputs.get(d.to)?.kind !== "date") problem(["derived", i, "to"], `"${d.to}" must be a date input`);
    }
    derived.set(d.name, d);
  });

  const isNumeric = (name: string) => derived.has(name) || ["money", "integer"].includes(inputs.get(name)?.kind ?? "");
  const needNumeric = (path: (string | number)[], name: string) => {
    if (!isNumeric(name)) problem(path, `"${name}" is not a money, integer or derived input`);
  };
  const needKind = <K extends InputKind>(path: (string | number)[], name: string, kind: K): Extract<InputDef, { kind: K }> | undefined => {
    const input = inputs.get(name);
    if (input?.kind !== kind) {
      problem(path, `"${name}" is not a ${kind} input`);
      return undefined;
    }
    return input as Extract<InputDef, { kind: K }>;
  };
  const optionValues = (select: { options: { value: string }[] } | undefined) => select?.options.map((o) => o.value) ?? [];
  const checkKeys = (path: (string | number)[], keys: string[], expected: string[], what: string) => {
    const missing = expected.filter((value) => !keys.includes(value));
    const unknown = keys.filter((key) => !expected.includes(key));
    if (missing.length) problem(path, `missing ${what} for: ${missing.join(", ")}`);
    if (unknown.length) problem(path, `unknown ${what}: ${unknown.join(", ")} (expected ${expected.join(", ")})`);
  };

  const codes = new Set<string>();
  rating.premium.forEach((component, i) => {
    const at = (...path: (string | number)[]) => ["premium", i, ...path];
    if (codes.has(component.code) || (RESERVED_CODES as readonly string[]).includes(component.code))
      problem(at("code"), `duplicate or reserved code "${component.code}"`);
    conditionsOf(component.when).forEach((condition, c) =>
      checkCondition(condition, inputs, derived, (message) => problem(at("when", ...(Array.isArray(component.when) ? [c] : [])), message)),
    );
    switch (component.kind) {
      case "rate":
        needNumeric(at("of"), component.of);
        break;
      case "bandRate":
      case "perThousand":
        needNumeric(at("of"), component.of);
        needNumeric(at("by"), component.by);
        checkBands(component.bands, (message) => problem(at("bands"), message));
        break;
      case "loading":
      case "discount":
        component.on?.forEach((target, t) => {
          if (!codes.has(target)) problem(at("on", t), `"${target}" is not an earlier component's code`);
        });
        break;
      case "addon":
        needKind(at("input"), component.input, "boolean");
        if (component.amount !== undefined) {
          if (component.rateBp !== undefined || component.of !== undefined || component.minimum !== undefined)
            problem(at(), "an add-on has either a fixed amount, or rateBp and of (with an optional minimum), not both");
        } else if (component.rateBp === undefined || component.of === undefined) {
          problem(at(), "an add-on needs a fixed amount, or rateBp and of");
        } else {
          needNumeric(at("of"), component.of);
        }
        break;
      case "ageBandTable": {
        const persons = needKind(at("persons"), component.persons, "persons");
        const roles = persons?.roles.map((r) => r.value) ?? [];
        const tables: [(string | number)[], { min?: number; max?: number; amounts: Record<string, number> }[]][] = [];
        if (component.tableBy !== undefined) {
          const select = needKind(at("tableBy"), component.tableBy, "select");
          if (!component.tables || component.rows) problem(at(), "with tableBy, declare tables (one per option) and no rows");
          if (component.tables) {
            if (select) checkKeys(at("tables"), Object.keys(component.tables), optionValues(select), "tables");
            for (const [key, rows] of Object.entries(component.tables)) tables.push([at("tables", key), rows]);
          }
        } else {
          if (!component.rows || component.tables) problem(at(), "without tableBy, declare rows (a single table) and no tables");
          if (component.rows) tables.push([at("rows"), component.rows]);
        }
        for (const [path, rows] of tables) {
          checkBands(rows, (message) => problem(path, message));
          rows.forEach((row, r) => {
            const unknown = Object.keys(row.amounts).filter((role) => !roles.includes(role));
            if (persons && unknown.length)
              problem([...path, r, "amounts"], `unknown role: ${unknown.join(", ")} (roles: ${roles.join(", ")})`);
          });
        }
        break;
      }
      case "bandTable2D": {
        needNumeric(at("rows", "field"), component.rows.field);
        checkBands(component.rows.bands, (message) => problem(at("rows", "bands"), message));
        const select = needKind(at("columns", "field"), component.columns.field, "select");
        if (select) checkKeys(at("amounts"), Object.keys(component.amounts), optionValues(select), "amounts");
        for (const [key, amounts] of Object.entries(component.amounts)) {
          if (amounts.length !== component.rows.bands.length)
            problem(at("amounts", key), `needs ${component.rows.bands.length} amounts, one per row band (has ${amounts.length})`);
        }
        if (component.multiplyBy !== undefined) needKind(at("multiplyBy"), component.multiplyBy, "integer");
        break;
      }
      case "fixed":
        if (component.multiplyBy !== undefined) needKind(at("multiplyBy"), component.multiplyBy, "integer");
        break;
    }
    codes.add(component.code);
  });

  const declared = FREQUENCIES.flatMap((f) => (rating.frequencies[f] ? [[f, rating.frequencies[f]] as const] : []));
  const priced = declared.filter(([, p]) => "price" in p);
  if (priced.length > 0 && priced.length < declared.length) {
    problem(["frequencies"], "give every frequency a price, or every frequency a multiplierBp — not a mix");
  } else if (priced.length === 0) {
    const annual = rating.frequencies.annual;
    if ("multiplierBp" in annual && annual.multiplierBp !== 10_000)
      problem(["frequencies", "annual", "multiplierBp"], "the annual multiplier must be 10000 (the quote's total is the annual premium)");
    if (rating.premium.length === 0) problem(["premium"], "declare at least one premium component, or fixed prices per frequency");
  } else {
    if (rating.premium.length > 0) problem(["premium"], "a product with fixed prices per frequency declares no premium components");
    if (rating.minimumPremium !== undefined)
      problem(["minimumPremium"], "a product with fixed prices per frequency has no minimum premium");
  }

  if (rating.levies && rating.levies !== "none") {
    const added = new Set<string>();
    rating.levies.add.forEach((levy, i) => {
      if (added.has(levy.code)) problem(["levies", "add", i, "code"], `duplicate levy code "${levy.code}"`);
      added.add(levy.code);
    });
  }
}

function checkInput(input: InputDef, problem: (path: (string | number)[], message: string) => void): void {
  switch (input.kind) {
    case "money":
    case "integer": {
      const min = input.min;
      const max = input.max;
      if (typeof min === "number" && typeof max === "number" && min > max) problem(["min"], "min is greater than max");
      break;
    }
    case "select": {
      const values = input.options.map((o) => o.value);
      if (new Set(values).size !== values.length) problem(["options"], "option values must be unique");
      if (input.default !== undefined && !values.includes(input.default)) problem(["default"], `"${input.default}" is not an option`);
      break;
    }
    case "text":
      if (input.pattern !== undefined) {
        try {
          new RegExp(input.pattern);
        } catch {
          problem(["pattern"], "is not a valid regular expression");
        }
      }
      break;
    case "persons": {
      const values = input.roles.map((r) => r.value);
      if (new Set(values).size !== values.length) problem(["roles"], "role values must be unique");
      input.roles.forEach((role, r) => {
        if (role.min > role.max) problem(["roles", r], "min is greater than max");
        if (role.minAge > role.maxAge) problem(["roles", r], "minAge is greater than maxAge");
      });
      break;
    }
    default:
      break;
  }
}

function checkRange(range: { min?: number; max?: number }, problem: (message: string) => void): void {
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) problem("min is greater than max");
}

function checkBands(bands: readonly Band[], problem: (message: string) => void): void {
  bands.forEach((band) => checkRange(band, problem));
  const sorted = [...bands].sort((a, b) => (a.min ?? -Infinity) - (b.min ?? -Infinity));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (previous.max === undefined || current.min === undefined || current.min <= previous.max)
      problem(`bands overlap: ${bandText(previous)} and ${bandText(current)}`);
  }
}

function checkCondition(
  condition: Condition,
  inputs: Map<string, InputDef>,
  derived: Map<string, DerivedDef>,
  problem: (message: string) => void,
): void {
  const input = inputs.get(condition.field);
  const numeric = derived.has(condition.field) || input?.kind === "money" || input?.kind === "integer";
  if (!input && !derived.has(condition.field)) return problem(`"${condition.field}" is not an input or derived value`);
  if (input?.kind === "persons") return problem(`conditions cannot test the persons list "${condition.field}"`);
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  if (condition.op === "in" ? !Array.isArray(condition.value) : Array.isArray(condition.value))
    return problem(condition.op === "in" ? `"in" needs a list of values` : `"${condition.op}" needs a single value`);
  if (["gt", "gte", "lt", "lte"].includes(condition.op) && (!numeric || typeof condition.value !== "number"))
    return problem(`"${condition.op}" compares a numeric field with a number`);
  if (numeric && values.some((v) => typeof v !== "number")) return problem(`"${condition.field}" is numeric: compare it with numbers`);
  if (input?.kind === "boolean" && values.some((v) => typeof v !== "boolean"))
    return problem(`"${condition.field}" is a checkbox: compare it with true or false`);
  if (input?.kind === "select") {
    const options = input.options.map((o) => o.value);
    const unknown = values.filter((v) => typeof v !== "string" || !options.includes(v));
    if (unknown.length)
      problem(`${unknown.map((v) => JSON.stringify(v)).join(", ")} is not an option of "${condition.field}" (${options.join(", ")})`);
  }
}

import { z } from "zod";
import { formatMoney, minorDigits } from "~/lib/money";
import { textProblem } from "~/lib/text";
import { addDays, isIsoDate, yearOf } from "./dates";
import { computePremium, rangeMessage, type PersonInput, type PremiumResult, type QuoteInput, type RatingContext } from "./compute";
import {
  formatPath,
  parsePath,
  parseRating,
  type DateInputDef,
  type InputDef,
  type IntegerInputDef,
  type MoneyInputDef,
  type PersonRole,
  type PersonsInputDef,
  type RatingDeclaration,
  type SelectInputDef,
  type TextInputDef,
} from "./rules";

/**
 * The quote form's validation, generated from the product's declared inputs. The same schema runs
 * in the browser (conform's client validation) and on the server, and it also runs the rating
 * itself, so "no rate for a child aged 30" shows on the field before the form is sent.
 *
 * Values arrive as form strings or as JSON. The rule for money: a string is what a person typed,
 * in major units ("2,000,000" → 200000000 minor units of KES); a number is already minor units
 * (the JSON API, a stored quote being re-priced).
 */

type Issue = { path: (string | number)[]; message: string };
type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** A zod schema for a product's quote inputs: accepts FormData, conform-parsed objects or JSON. */
export function inputSchemaFor(declaration: unknown, ctx: RatingContext): z.ZodType<QuoteInput, z.ZodTypeDef, unknown> {
  const rating = parseRating(declaration);
  return z.unknown().transform((raw, zctx) => {
    const result = validateInputs(rating, raw, ctx);
    if (result.ok) return result.values;
    for (const issue of result.issues) zctx.addIssue({ code: z.ZodIssueCode.custom, path: issue.path, message: issue.message });
    return z.NEVER;
  });
}

export function validateInputs(
  rating: RatingDeclaration,
  raw: unknown,
  ctx: RatingContext,
): { ok: true; values: QuoteInput; premium: Extract<PremiumResult, { ok: true }> } | { ok: false; issues: Issue[] } {
  const data = toPlainObject(raw);
  if (!data) return { ok: false, issues: [{ path: [], message: "Send the quote details as form fields or a JSON object" }] };
  const issues: Issue[] = [];
  const values: QuoteInput = {};
  for (const input of rating.inputs) {
    if (input.kind === "persons") {
      const result = parsePersons(input, data[input.name]);
      if (result.ok) values[input.name] = result.value;
      else issues.push(...result.issues.map((issue) => ({ ...issue, path: [input.name, ...issue.path] })));
      continue;
    }
    const result = parseField(input, data[input.name], ctx);
    if (result.ok) values[input.name] = result.value;
    else issues.push({ path: [input.name], message: result.message });
  }
  if (issues.length) return { ok: false, issues };
  // Field by field is fine: now the cross-field rules (derived ranges, bands, tables).
  const priced = computePremium(rating, values, ctx);
  if (!priced.ok) {
    for (const [path, messages] of Object.entries(priced.errors))
      for (const message of messages) issues.push({ path: path === "form" ? [] : parsePath(path), message });
    return { ok: false, issues };
  }
  return { ok: true, values, premium: priced };
}

/** zod issues → `{ "persons[0].age": [...], form: [...] }`, the shape the forms helpers take. */
export function fieldErrors(issues: readonly { path: (string | number)[]; message: string }[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) (errors[formatPath(issue.path) || "form"] ??= []).push(issue.message);
  return errors;
}

function parseField(input: Exclude<InputDef, PersonsInputDef>, raw: unknown, ctx: RatingContext): Parsed<QuoteInput[string]> {
  switch (input.kind) {
    case "money":
      return parseMoneyField(input, raw, ctx);
    case "integer":
      return parseIntegerField(input, raw, ctx);
    case "select":
      return parseSelectField(input, raw);
    case "boolean":
      return parseBoolean(raw);
    case "date":
      return parseDateField(input, raw, ctx);
    case "text":
      return parseTextField(input, raw);
  }
}

const isBlank = (raw: unknown) => raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const enterMessage = (input: { label: string; requiredMessage?: string }) =>
  input.requiredMessage ?? `Enter the ${lowerFirst(input.label)}`;

function parseMoneyField(input: MoneyInputDef, raw: unknown, ctx: RatingContext): Parsed<number | undefined> {
  if (isBlank(raw)) {
    if (input.default !== undefined) return ok(input.default);
    return input.required ? fail(enterMessage(input)) : ok(undefined);
  }
  let minor: number;
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw)) return fail(`${input.label} must be a whole number of minor units`);
    minor = raw;
  } else if (typeof raw === "string") {
    const parsed = parseMajorToMinor(raw, ctx.currency);
    if (!parsed.ok) {
      const digits = minorDigits(ctx.currency);
      if (parsed.reason === "negative") return fail(`${input.label} cannot be negative`);
      if (parsed.reason === "decimals") return fail(`${input.label} can have at most ${digits} decimal places`);
      if (parsed.reason === "too_large") return fail(`${input.label} is too large`);
      return fail(`Enter the ${lowerFirst(input.label)} as an amount, like 1,500,000`);
    }
    minor = parsed.minor;
  } else {
    return fail(`Enter the ${lowerFirst(input.label)} as an amount, like 1,500,000`);
  }
  if (minor < 0) return fail(`${input.label} cannot be negative`);
  const money = (value: number) => formatMoney(value, ctx.currency, ctx.locale ?? "en");
  if ((input.min !== undefined && minor < input.min) || (input.max !== undefined && minor > input.max)) {
    if (input.min !== undefined && input.max !== undefined)
      return fail(`${input.label} must be between ${money(input.min)} and ${money(input.max)}`);
    if (input.min !== undefined) return fail(`${input.label} must be at least ${money(input.min)}`);
    return fail(`${input.label} must be at most ${money(input.max!)}`);
  }
  if (input.step !== undefined && (minor - (input.min ?? 0)) % input.step !== 0)
    return fail(`${input.label} must be in steps of ${money(input.step)}`);
  return ok(minor);
}

/** Resolve a bound that may be relative to the quote's year (year of manufacture ≥ quote year − 20). */
export function resolveYearBound(bound: IntegerInputDef["min"], quoteDate: string): number | undefined {
  if (bound === undefined || typeof bound === "number") return bound;
  return yearOf(quoteDate) + bound.fromQuoteYear;
}

export function resolveDateBound(bound: DateInputDef["min"], quoteDate: string): string | undefined {
  if (bound === undefined || typeof bound === "string") return bound;
  return addDays(quoteDate, bound.fromQuoteDays);
}

function parseIntegerField(input: IntegerInputDef, raw: unknown, ctx: RatingContext): Parsed<number | undefined> {
  if (isBlank(raw)) {
    if (input.default !== undefined) return ok(input.default);
    return input.required ? fail(enterMessage(input)) : ok(undefined);
  }
  const value = parseWholeNumber(raw);
  if (value === undefined) return fail(`Enter the ${lowerFirst(input.label)} as a whole number`);
  const min = resolveYearBound(input.min, ctx.quoteDate);
  const max = resolveYearBound(input.max, ctx.quoteDate);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) return fail(rangeMessage(input.label, min, max));
  if (input.step !== undefined && (value - (min ?? 0)) % input.step !== 0) return fail(`${input.label} must be in steps of ${input.step}`);
  return ok(value);
}

function parseWholeNumber(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw !== "string") return undefined;
  const text = raw.trim().replace(/[,\s_]/g, "");
  if (!/^-?\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

function choices(options: readonly { label: string }[]): string {
  return `Choose one of: ${options.map((o) => o.label).join(", ")}`;
}

function parseSelectField(input: SelectInputDef, raw: unknown): Parsed<string> {
  if (isBlank(raw)) {
    if (input.default !== undefined) return ok(input.default);
    return fail(input.requiredMessage ?? `Choose the ${lowerFirst(input.label)}`);
  }
  const value = typeof raw === "string" ? raw.trim() : raw;
  return input.options.some((o) => o.value === value) ? ok(value as string) : fail(choices(input.options));
}

function parseBoolean(raw: unknown): Parsed<boolean> {
  if (typeof raw === "boolean") return ok(raw);
  if (isBlank(raw)) return ok(false); // an unticked checkbox is not sent at all
  const text = String(raw).trim().toLowerCase();
  if (["on", "true", "1", "yes"].includes(text)) return ok(true);
  if (["off", "false", "0", "no"].includes(text)) return ok(false);
  return fail("Tick the box or leave it empty");
}

function parseDateField(input: DateInputDef, raw: unknown, ctx: RatingContext): Parsed<string | undefined> {
  if (isBlank(raw)) return input.required ? fail(enterMessage(input)) : ok(undefined);
  const text = typeof raw === "string" ? raw.trim() : "";
  if (!isIsoDate(text)) return fail(`Enter the ${lowerFirst(input.label)} as a date (YYYY-MM-DD)`);
  const min = resolveDateBound(input.min, ctx.quoteDate);
  const max = resolveDateBound(input.max, ctx.quoteDate);
  // ISO dates compare correctly as strings.
  if (min !== undefined && text < min) return fail(`${input.label} must be on or after ${min}`);
  if (max !== undefined && text > max) return fail(`${input.label} must be on or before ${max}`);
  return ok(text);
}

function parseTextField(input: TextInputDef, raw: unknown): Parsed<string | undefined> {
  if (isBlank(raw)) return input.required ? fail(enterMessage(input)) : ok(undefined);
  if (typeof raw !== "string" && typeof raw !== "number") return fail(enterMessage(input));
  let text = String(raw).trim().replace(/\s+/g, " ");
  const problem = textProblem(text);
  if (problem) return fail(problem);
  if (input.uppercase) text = text.toUpperCase();
  if (text.length > input.maxLength) return fail(`${input.label} can be at most ${input.maxLength} characters`);
  if (input.pattern !== undefined && !new RegExp(input.pattern).test(text))
    return fail(input.patternMessage ?? `Check the ${lowerFirst(input.label)}`);
  return ok(text);
}

function parsePersons(input: PersonsInputDef, raw: unknown): { ok: true; value: PersonInput[] } | { ok: false; issues: Issue[] } {
  const list = isBlank(raw) ? [] : Array.isArray(raw) ? raw : undefined;
  if (!list) return { ok: false, issues: [{ path: [], message: `Add the people to cover` }] };
  const issues: Issue[] = [];
  const persons: PersonInput[] = [];
  const roleOptions = input.roles.map((r) => ({ value: r.value, label: r.label }));
  list.forEach((entry: unknown, i) => {
    // A row the form sent empty still gets its messages on its own fields.
    const item = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    let role: PersonRole | undefined;
    if (isBlank(item.role)) issues.push({ path: [i, "role"], message: "Choose who this person is" });
    else {
      role = input.roles.find((r) => r.value === (typeof item.role === "string" ? item.role.trim() : item.role));
      if (!role) issues.push({ path: [i, "role"], message: choices(roleOptions) });
    }
    let age: number | undefined;
    if (isBlank(item.age)) issues.push({ path: [i, "age"], message: "Enter the age" });
    else {
      age = parseWholeNumber(item.age);
      if (age === undefined) issues.push({ path: [i, "age"], message: "Enter the age as a whole number of years" });
      else if (age < 0) issues.push({ path: [i, "age"], message: "Age cannot be negative" });
      else if (role && (age < role.minAge || age > role.maxAge))
        issues.push({ path: [i, "age"], message: `Age must be between ${role.minAge} and ${role.maxAge} for a ${lowerFirst(role.label)}` });
    }
    if (role && age !== undefined) persons.push({ role: role.value, age });
  });
  if (input.maxPersons !== undefined && list.length > input.maxPersons)
    issues.push({ path: [], message: `Add at most ${input.maxPersons} people` });
  for (const role of input.roles) {
    const count = persons.filter((p) => p.role === role.value).length;
    if (count > role.max)
      issues.push({
        path: [],
        message: `Add no more than ${role.max} ${lowerFirst(role.max === 1 ? role.label : (role.plural ?? role.label))}`,
      });
    if (count < role.min && !issues.some((issue) => issue.path.length > 0))
      issues.push({ path: [], message: `Add ${role.min === 1 ? "the" : `at least ${role.min}`} ${lowerFirst(role.label)}` });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: persons };
}

// ── Raw form data ──────────────────────────────────────────────────────────────────────────────

/**
 * FormData, URLSearchParams or a flat object with conform-style names (`persons[0].age`) → a nested
 * object. Plain nested objects pass through. Files are ignored: a quote has none.
 */
export function toPlainObject(raw: unknown): Record<string, unknown> | undefined {
  const entries: [string, unknown][] = [];
  if (typeof FormData !== "undefined" && raw instanceof FormData) raw.forEach((value, key) => entries.push([key, value]));
  else if (typeof URLSearchParams !== "undefined" && raw instanceof URLSearchParams)
    raw.forEach((value, key) => entries.push([key, value]));
  else if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) entries.push(...Object.entries(raw));
  else return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (typeof value === "object" && value !== null && typeof Blob !== "undefined" && value instanceof Blob) continue;
    if (!/[.[]/.test(key)) {
      out[key] = value;
      continue;
    }
    const path = parsePath(key);
    let target: Record<string | number, unknown> = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        target[part] = value;
        return;
      }
      const next = path[i + 1];
      if (typeof target[part] !== "object" || target[part] === null) target[part] = typeof next === "number" ? [] : {};
      target = target[part] as Record<string | number, unknown>;
    });
  }
  return out;
}

// ── Money typed in major units ─────────────────────────────────────────────────────────────────

export type MajorParse = { ok: true; minor: number } | { ok: false; reason: "format" | "negative" | "decimals" | "too_large" };

/**
 * "2,000,000" or "1 234.5" in major units → integer minor units, exactly (no float on the way):
 * the digits are shifted, never multiplied by 100.
 */
export function parseMajorToMinor(text: string, currency: string): MajorParse {
  const digits = minorDigits(currency);
  const cleaned = text.trim().replace(/[,\s_]/g, "");
  if (cleaned.startsWith("-")) return /^-\d/.test(cleaned) ? { ok: false, reason: "negative" } : { ok: false, reason: "format" };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned.startsWith(".") ? `0${cleaned}` : cleaned);
  if (!match) return { ok: false, reason: "format" };
  const fraction = match[2] ?? "";
  if (fraction.replace(/0+$/, "").length > digits) return { ok: false, reason: "decimals" };
  const minor = BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt((fraction.slice(0, digits) || "0").padEnd(digits, "0"));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: "too_large" };
  return { ok: true, minor: Number(minor) };
}

/** Minor units → the string a form field would hold ("2000000", "1234.50"): for default values. */
export function toMajorInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  if (digits === 0) return `${sign}${text}`;
  const whole = text.slice(0, -digits);
  const fraction = text.slice(-digits);
  return /^0+$/.test(fraction) ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

// ── Form description ───────────────────────────────────────────────────────────────────────────

/** What the UI needs to draw one quote-form field; the form is generated from these. */
export interface FieldDescription {
  name: string;
  kind: InputDef["kind"];
  label: string;
  hint?: string;
  required: boolean;
  /** The HTML control to draw. */
  control: "text" | "number" | "date" | "select" | "checkbox" | "persons";
  inputMode?: "decimal" | "numeric";
  /** money: minor units (format with formatMoney); integer: resolved numbers; date: YYYY-MM-DD. */
  min?: number | string;
  max?: number | string;
  step?: number;
  unit?: string;
  currency?: string;
  maxLength?: number;
  /** Checked after trimming and, with `uppercase`, capitalising: capitalise before using it as an HTML pattern. */
  pattern?: string;
  uppercase?: boolean;
  options?: { value: string; label: string }[];
  roles?: PersonRole[];
  maxPersons?: number;
  /** As the form would submit it: major units for money, "on"-style boolean for checkboxes. */
  defaultValue?: string | boolean;
}

export function describeInputs(declaration: unknown, ctx: RatingContext): FieldDescription[] {
  const rating = parseRating(declaration);
  return rating.inputs.map((input): FieldDescription => {
    const common = { name: input.name, kind: input.kind, label: input.label, ...(input.hint ? { hint: input.hint } : {}) };
    switch (input.kind) {
      case "money":
        return {
          ...common,
          control: "text",
          inputMode: "decimal",
          required: input.required && input.default === undefined,
          currency: ctx.currency,
          ...defined({ min: input.min, max: input.max, step: input.step }),
          ...(input.default !== undefined ? { defaultValue: toMajorInput(input.default, ctx.currency) } : {}),
        };
      case "integer":
        return {
          ...common,
          control: "number",
          inputMode: "numeric",
          required: input.required && input.default === undefined,
          ...defined({
            min: resolveYearBound(input.min, ctx.quoteDate),
            max: resolveYearBound(input.max, ctx.quoteDate),
            step: input.step,
            unit: input.unit,
          }),
          ...(input.default !== undefined ? { defaultValue: String(input.default) } : {}),
        };
      case "select":
        return {
          ...common,
          control: "select",
          required: input.default === undefined,
          options: input.options,
          ...(input.default !== undefined ? { defaultValue: input.default } : {}),
        };
      case "boolean":
        return { ...common, control: "checkbox", required: false, defaultValue: false };
      case "date":
        return {
          ...common,
          control: "date",
          required: input.required,
          ...defined({ min: resolveDateBound(input.min, ctx.quoteDate), max: resolveDateBound(input.max, ctx.quoteDate) }),
        };
      case "text":
        return {
          ...common,
          control: "text",
          required: input.required,
          maxLength: input.maxLength,
          uppercase: input.uppercase,
          ...defined({ pattern: input.pattern }),
        };
      case "persons":
        return {
          ...common,
          control: "persons",
          required: input.roles.some((r) => r.min > 0),
          roles: input.roles,
          ...defined({ maxPersons: input.maxPersons }),
        };
    }
  });
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

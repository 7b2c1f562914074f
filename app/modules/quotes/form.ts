import {
  FREQUENCY_LABELS,
  fieldErrors,
  inputSchemaFor,
  toMajorInput,
  toPlainObject,
  type FieldDescription,
  type FieldErrors,
  type PersonRole,
  type QuoteInput,
  type RatingContext,
} from "~/modules/rating";

/**
 * The quote form's conventions, shared by the form (browser) and createQuote (server), so both
 * read a submission the same way. Pure: no database, no React.
 *
 * Without JavaScript the people to cover cannot be added row by row, so the form draws a fixed
 * set of rows per role (principal, spouse, up to N children), each with its role in a hidden
 * field. A row left empty means "nobody": it is dropped before validation, and the errors of the
 * rows that remain are mapped back to the rows the customer sees.
 */

/** At most this many rows per role; a role allowing more is capped here (the form stays short). */
const MAX_ROWS_PER_ROLE = 8;

export interface PersonSlot {
  index: number;
  role: PersonRole;
  /** 1-based position within its role: "Child 2". */
  position: number;
  /** Rows the role needs filled (the principal member); the others may stay empty. */
  required: boolean;
}

type PersonsLike = Pick<FieldDescription, "roles" | "maxPersons"> | { roles: readonly PersonRole[]; maxPersons?: number };

/** The fixed rows the form draws for a persons field, in role order. */
export function personSlots(field: PersonsLike): PersonSlot[] {
  const slots: PersonSlot[] = [];
  for (const role of field.roles ?? []) {
    const rows = Math.max(role.min, Math.min(role.max, field.maxPersons ?? role.max, MAX_ROWS_PER_ROLE));
    for (let position = 1; position <= rows; position += 1)
      slots.push({ index: slots.length, role, position, required: position <= role.min });
  }
  return slots;
}

const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/**
 * Drops the person rows left empty (no age) from a form submission, except the rows a role needs,
 * so they still get "Enter the age". Returns the compacted data and, per persons field, the row
 * each remaining entry came from.
 */
export function compactPersonRows(
  data: Record<string, unknown>,
  personsFields: readonly { name: string; roles: readonly PersonRole[] }[],
): { data: Record<string, unknown>; rows: Record<string, number[]> } {
  const out = { ...data };
  const rows: Record<string, number[]> = {};
  for (const field of personsFields) {
    const list = data[field.name];
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    const kept: unknown[] = [];
    const from: number[] = [];
    list.forEach((entry: unknown, i) => {
      const item = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
      const roleValue = typeof item.role === "string" ? item.role.trim() : "";
      const n = (seen.get(roleValue) ?? 0) + 1;
      seen.set(roleValue, n);
      const role = field.roles.find((r) => r.value === roleValue);
      const needed = role !== undefined && n <= role.min;
      if (blank(item.age) && !needed) return;
      kept.push(entry);
      from.push(i);
    });
    out[field.name] = kept;
    rows[field.name] = from;
  }
  return { data: out, rows };
}

/** `persons[1].age` of the compacted list → the row the customer typed it in. */
export function remapRowErrors(errors: FieldErrors, rows: Record<string, number[]>): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(errors)) {
    const match = /^([a-zA-Z0-9]+)\[(\d+)\](.*)$/.exec(path);
    const map = match ? rows[match[1]!] : undefined;
    const key = match && map ? `${match[1]}[${map[Number(match[2])] ?? Number(match[2])}]${match[3]}` : path;
    (out[key] ??= []).push(...messages);
  }
  return out;
}

/** Form data (FormData, or conform's parsed payload) → the rating input, person rows compacted. */
export function formToRatingInput(raw: unknown, personsFields: readonly { name: string; roles: readonly PersonRole[] }[]) {
  const data = toPlainObject(raw) ?? {};
  return compactPersonRows(data, personsFields);
}

export function frequencyError(offered: readonly string[]): string {
  return `Choose how often to pay: ${offered.map((f) => FREQUENCY_LABELS[f as keyof typeof FREQUENCY_LABELS] ?? f).join(", ")}`;
}

/**
 * The browser's check of a quote form, with the server's rules (the same rating declaration):
 * for conform's `parse(formData, { resolve })`. Errors are keyed by the visible field names.
 */
export function resolveQuoteForm(
  payload: Record<string, unknown>,
  rating: unknown,
  ctx: RatingContext,
  fields: readonly FieldDescription[],
  offered: readonly string[],
): { value?: { input: QuoteInput; frequency: string }; error?: Record<string, string[]> } {
  const personsFields = fields.filter((f) => f.control === "persons").map((f) => ({ name: f.name, roles: f.roles ?? [] }));
  const { data, rows } = formToRatingInput(payload, personsFields);
  const errors: FieldErrors = {};
  const frequency = typeof payload.frequency === "string" && payload.frequency ? payload.frequency : "annual";
  if (!offered.includes(frequency)) errors.frequency = [frequencyError(offered)];
  const parsed = inputSchemaFor(rating, ctx).safeParse(data);
  if (!parsed.success) Object.assign(errors, remapRowErrors(fieldErrors(parsed.error.issues), rows));
  if (Object.keys(errors).length || !parsed.success) {
    // conform keeps form-level errors under the empty name.
    const { form, ...rest } = errors;
    return { error: form ? { ...rest, "": form } : rest };
  }
  return { value: { input: parsed.data, frequency } };
}

/**
 * Stored quote inputs (money in minor units) → the values the form shows (major units, person
 * rows laid out by role), to prefill "change options".
 */
export function formValuesFromInputs(
  fields: readonly FieldDescription[],
  inputs: Record<string, unknown>,
  currency: string,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const value = inputs[field.name];
    if (value === undefined || value === null) continue;
    if (field.control === "persons") {
      const people = Array.isArray(value) ? (value as { role?: unknown; age?: unknown }[]) : [];
      const used = new Set<number>();
      values[field.name] = personSlots(field).map((slot) => {
        const i = people.findIndex((p, j) => !used.has(j) && p?.role === slot.role.value);
        if (i < 0) return { role: slot.role.value, age: "" };
        used.add(i);
        return { role: slot.role.value, age: String(people[i]!.age ?? "") };
      });
    } else if (field.kind === "money" && typeof value === "number") values[field.name] = toMajorInput(value, currency);
    else if (field.control === "checkbox") values[field.name] = value === true;
    else values[field.name] = String(value);
  }
  return values;
}

/** A saved quote's inputs as "label: value" pairs, for the customer to check what was quoted. */
export function describeQuoteInputs(
  fields: readonly FieldDescription[],
  inputs: Record<string, unknown>,
  money: (minor: number) => string,
): { label: string; value: string }[] {
  return fields.flatMap((field) => {
    const value = inputs[field.name];
    if (field.control === "persons") {
      const people = Array.isArray(value) ? (value as { role: string; age: number }[]) : [];
      if (!people.length) return [];
      const label = (role: string) => field.roles?.find((r) => r.value === role)?.label ?? role;
      return [{ label: field.label, value: people.map((p) => `${label(p.role)}, age ${p.age}`).join("; ") }];
    }
    if (field.control === "checkbox") return value === true ? [{ label: field.label, value: "Yes" }] : [];
    if (value === undefined || value === null || value === "") return [];
    if (field.kind === "money" && typeof value === "number") return value === 0 ? [] : [{ label: field.label, value: money(value) }];
    if (field.control === "select")
      return [{ label: field.label, value: field.options?.find((o) => o.value === value)?.label ?? String(value) }];
    return [{ label: field.label, value: field.unit ? `${String(value)} ${field.unit}` : String(value) }];
  });
}

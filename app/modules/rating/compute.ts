import { applyRate, divideHalfUp, formatMoney, minorDigits } from "~/lib/money";
import { daysBetween, fullYears, yearOf } from "./dates";
import {
  FREQUENCIES,
  FREQUENCY_LABELS,
  INSTALMENTS_PER_YEAR,
  bandText,
  conditionsOf,
  findBandIndex,
  type Component,
  type Condition,
  type DerivedDef,
  type Frequency,
  type InputDef,
  type Levy,
  type RatingDeclaration,
} from "./rules";

/**
 * The arithmetic of a quote, on inputs already validated by `inputSchemaFor`. Every amount is an
 * integer in minor units and every rate goes through `applyRate`/`divideHalfUp` (half-up to the
 * minor unit), so the lines always add up to the total exactly.
 */

export interface PersonInput {
  role: string;
  age: number;
}
export type InputValue = number | string | boolean | PersonInput[] | undefined;
/** Validated inputs: money in minor units, dates as YYYY-MM-DD, checkboxes as booleans. */
export type QuoteInput = Record<string, InputValue>;
/** Field path (conform style: `persons[0].age`, or `form`) → messages. */
export type FieldErrors = Record<string, string[]>;

export interface QuoteLine {
  code: string;
  label: string;
  /** Minor units; negative for a discount. */
  amount: number;
  detail?: LineDetail;
}

/** How a line was worked out, for a breakdown the customer can check. */
export interface LineDetail {
  /** The value the rate applied to (minor units for money). */
  basis?: number;
  rateBp?: number;
  /** perThousand: minor units per 1,000 major units of cover. */
  ratePerThousand?: number;
  band?: string;
  unitAmount?: number;
  quantity?: number;
}

export interface RatingContext {
  currency: string;
  /** YYYY-MM-DD in the tenant's time zone: ages and relative bounds are worked out on it. */
  quoteDate: string;
  /** For amounts inside messages; defaults to "en". */
  locale?: string;
}

export type PremiumResult =
  { ok: true; lines: QuoteLine[]; basePremium: number; derived: Record<string, number | undefined> } | { ok: false; errors: FieldErrors };

export function addError(errors: FieldErrors, path: string, message: string): void {
  (errors[path] ??= []).push(message);
}

/** The premium lines (before levies) and their sum, or field errors for values no band covers. */
export function computePremium(rating: RatingDeclaration, values: QuoteInput, ctx: RatingContext): PremiumResult {
  const inputs = new Map(rating.inputs.map((input) => [input.name, input]));
  const derivedDefs = new Map(rating.derived.map((d) => [d.name, d]));
  const errors: FieldErrors = {};
  const digits = minorDigits(ctx.currency);

  // Derived values first; a range error lands on the field the customer typed.
  const derived: Record<string, number | undefined> = {};
  for (const d of rating.derived) {
    const value = derive(d, values, inputs, ctx.quoteDate);
    derived[d.name] = value;
    if (value === undefined) continue;
    if ((d.min !== undefined && value < d.min) || (d.max !== undefined && value > d.max))
      addError(errors, derivedErrorField(d), d.message ?? rangeMessage(d.label, d.min, d.max, d.kind === "days" ? "days" : "years"));
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const numberOf = (name: string): number => {
    const value = derivedDefs.has(name) ? derived[name] : values[name];
    return typeof value === "number" ? value : 0;
  };
  const errorField = (name: string) => {
    const d = derivedDefs.get(name);
    return d ? derivedErrorField(d) : name;
  };
  const unitOf = (name: string) => {
    const d = derivedDefs.get(name);
    if (d) return d.kind === "days" ? "days" : "years";
    const input = inputs.get(name);
    return input?.kind === "integer" ? (input.unit ?? "") : "";
  };
  const labelOf = (name: string) => derivedDefs.get(name)?.label ?? inputs.get(name)?.label ?? name;
  const describe = (name: string, value: number) => {
    if (inputs.get(name)?.kind === "money") return formatMoney(value, ctx.currency, ctx.locale ?? "en");
    const unit = unitOf(name);
    return unit ? `${value} ${unit}` : String(value);
  };
  const outOfRange = (name: string) =>
    addError(errors, errorField(name), `${labelOf(name)} ${describe(name, numberOf(name))} is outside the rated range`);
  // amount × rate would lose precision beyond 2^53: refuse rather than round wrongly.
  const tooLarge = (name: string) => addError(errors, errorField(name), `${labelOf(name)} is too large to price`);
  const rate = (name: string, amount: number, rateBp: number): number | undefined => {
    if (!Number.isSafeInteger(amount * rateBp)) return void tooLarge(name);
    return applyRate(amount, rateBp);
  };
  const conditionHolds = (condition: Condition) =>
    holds(condition, derivedDefs.has(condition.field) ? derived[condition.field] : values[condition.field]);

  const lines: QuoteLine[] = [];
  const totals = new Map<string, number>();
  let running = 0;

  for (const component of rating.premium) {
    if (!conditionsOf(component.when).every(conditionHolds)) continue;
    const own: QuoteLine[] = [];
    const withMinimum = (line: QuoteLine, c: { code: string; label: string; minimum?: number; minimumLabel?: string }) => {
      own.push(line);
      if (c.minimum !== undefined && line.amount < c.minimum)
        own.push({
          code: `${c.code}.minimum`,
          label: c.minimumLabel ?? `${c.label}: minimum premium adjustment`,
          amount: c.minimum - line.amount,
        });
    };

    switch (component.kind) {
      case "rate": {
        const basis = numberOf(component.of);
        if (basis <= 0) break; // nothing insured, nothing charged (and no minimum)
        const amount = rate(component.of, basis, component.rateBp);
        if (amount !== undefined)
          withMinimum({ code: component.code, label: component.label, amount, detail: { basis, rateBp: component.rateBp } }, component);
        break;
      }
      case "bandRate": {
        const basis = numberOf(component.of);
        if (basis <= 0) break;
        const index = findBandIndex(component.bands, numberOf(component.by));
        const band = component.bands[index];
        if (!band) {
          outOfRange(component.by);
          break;
        }
        const amount = rate(component.of, basis, band.rateBp);
        if (amount !== undefined)
          withMinimum(
            {
              code: component.code,
              label: component.label,
              amount,
              detail: { basis, rateBp: band.rateBp, band: bandText(band, unitOf(component.by)) },
            },
            component,
          );
        break;
      }
      case "loading":
      case "discount": {
        const basis = component.on ? component.on.reduce((sum, code) => sum + (totals.get(code) ?? 0), 0) : running;
        if (basis === 0) break;
        const amount = applyRate(basis, component.rateBp);
        own.push({
          code: component.code,
          label: component.label,
          amount: component.kind === "discount" ? -amount : amount,
          detail: { basis, rateBp: component.rateBp },
        });
        break;
      }
      case "addon": {
        if (values[component.input] !== true) break;
        if (component.amount !== undefined) {
          own.push({ code: component.code, label: component.label, amount: component.amount });
          break;
        }
        const of = component.of!;
        const basis = numberOf(of);
        if (basis <= 0) break;
        const amount = rate(of, basis, component.rateBp!);
        if (amount !== undefined)
          withMinimum({ code: component.code, label: component.label, amount, detail: { basis, rateBp: component.rateBp } }, component);
        break;
      }
      case "ageBandTable":
        own.push(...personLines(component, values, inputs, errors));
        break;
      case "bandTable2D": {
        const index = findBandIndex(component.rows.bands, numberOf(component.rows.field));
        const band = component.rows.bands[index];
        if (!band) {
          outOfRange(component.rows.field);
          break;
        }
        const column = String(values[component.columns.field]);
        const unitAmount = component.amounts[column]?.[index] ?? 0;
        const quantity = component.multiplyBy ? numberOf(component.multiplyBy) : 1;
        const columnLabel = optionLabel(inputs.get(component.columns.field), column);
        const bandLabel = bandText(band, unitOf(component.rows.field));
        own.push({
          code: component.code,
          label: `${component.label} (${bandLabel}, ${columnLabel})${quantity !== 1 ? ` × ${quantity}` : ""}`,
          amount: unitAmount * quantity,
          detail: { band: bandLabel, unitAmount, quantity },
        });
        break;
      }
      case "perThousand": {
        const basis = numberOf(component.of);
        if (basis <= 0) break;
        const index = findBandIndex(component.bands, numberOf(component.by));
        const band = component.bands[index];
        if (!band) {
          outOfRange(component.by);
          break;
        }
        // basis (minor) × rate (minor per 1,000 major) ÷ (1,000 × minor per major).
        if (!Number.isSafeInteger(basis * band.rate)) {
          tooLarge(component.of);
          break;
        }
        const amount = divideHalfUp(basis * band.rate, 1000 * 10 ** digits);
        withMinimum(
          {
            code: component.code,
            label: component.label,
            amount,
            detail: { basis, ratePerThousand: band.rate, band: bandText(band, unitOf(component.by)) },
          },
          component,
        );
        break;
      }
      case "fixed": {
        const quantity = component.multiplyBy ? numberOf(component.multiplyBy) : 1;
        own.push({
          code: component.code,
          label: quantity !== 1 ? `${component.label} × ${quantity}` : component.label,
          amount: component.amount * quantity,
          ...(quantity !== 1 ? { detail: { unitAmount: component.amount, quantity } } : {}),
        });
        break;
      }
    }
    const total = own.reduce((sum, line) => sum + line.amount, 0);
    totals.set(component.code, total);
    running += total;
    lines.push(...own);
  }

  // Fixed-price products: the annual price is the premium.
  const annual = rating.frequencies.annual;
  if ("price" in annual) {
    lines.push({ code: "price", label: rating.priceLabel ?? "Annual premium", amount: annual.price });
    running += annual.price;
  }

  if (rating.minimumPremium !== undefined && running < rating.minimumPremium) {
    lines.push({ code: "minimum", label: rating.minimumLabel ?? "Minimum premium adjustment", amount: rating.minimumPremium - running });
    running = rating.minimumPremium;
  }
  if (running < 0) addError(errors, "form", "The discounts exceed the premium; check the product's rating rules");

  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, lines, basePremium: running, derived };
}

function personLines(
  component: Extract<Component, { kind: "ageBandTable" }>,
  values: QuoteInput,
  inputs: Map<string, InputDef>,
  errors: FieldErrors,
): QuoteLine[] {
  const personsDef = inputs.get(component.persons);
  if (personsDef?.kind !== "persons") return [];
  const persons = (values[component.persons] as PersonInput[] | undefined) ?? [];
  let rows = component.rows ?? [];
  let tableLabel = "";
  if (component.tableBy) {
    const option = String(values[component.tableBy]);
    rows = component.tables?.[option] ?? [];
    tableLabel = ` (${optionLabel(inputs.get(component.tableBy), option)})`;
  }
  const seen = new Map<string, number>();
  const lines: QuoteLine[] = [];
  persons.forEach((person, i) => {
    const role = personsDef.roles.find((r) => r.value === person.role);
    const roleLabel = role?.label ?? person.role;
    const n = (seen.get(person.role) ?? 0) + 1;
    seen.set(person.role, n);
    const many = (role?.max ?? 1) > 1;
    const row = rows[findBandIndex(rows, person.age)];
    const amount = row?.amounts[person.role];
    if (amount === undefined) {
      addError(
        errors,
        `${component.persons}[${i}].age`,
        `No ${component.label.toLowerCase()} rate for a ${roleLabel.toLowerCase()} aged ${person.age}`,
      );
      return;
    }
    lines.push({
      code: `${component.code}.${person.role}${many ? `_${n}` : ""}`,
      label: `${component.label}${tableLabel}: ${roleLabel}${many ? ` ${n}` : ""}, age ${person.age}`,
      amount,
      detail: { band: bandText(row!, "years") },
    });
  });
  return lines;
}

function derive(d: DerivedDef, values: QuoteInput, inputs: Map<string, InputDef>, quoteDate: string): number | undefined {
  const from = values[d.from];
  if (d.kind === "age") {
    if (inputs.get(d.from)?.kind === "integer") return typeof from === "number" ? yearOf(quoteDate) - from : undefined;
    return typeof from === "string" ? fullYears(from, quoteDate) : undefined;
  }
  const to = values[d.to];
  return typeof from === "string" && typeof to === "string" ? daysBetween(from, to) + 1 : undefined;
}

function derivedErrorField(d: DerivedDef): string {
  return d.kind === "days" ? d.to : d.from;
}

function holds(condition: Condition, value: InputValue): boolean {
  const target = condition.value;
  switch (condition.op) {
    case "eq":
      return value === target;
    case "neq":
      return value !== target;
    case "in":
      return Array.isArray(target) && (typeof value === "string" || typeof value === "number") && target.includes(value);
    default: {
      if (typeof value !== "number" || typeof target !== "number") return false;
      if (condition.op === "gt") return value > target;
      if (condition.op === "gte") return value >= target;
      if (condition.op === "lt") return value < target;
      return value <= target;
    }
  }
}

function optionLabel(input: InputDef | undefined, value: string): string {
  return input?.kind === "select" ? (input.options.find((o) => o.value === value)?.label ?? value) : value;
}

export function rangeMessage(label: string, min: number | undefined, max: number | undefined, unit = ""): string {
  const u = unit ? ` ${unit}` : "";
  if (min !== undefined && max !== undefined) return `${label} must be between ${min} and ${max}${u}`;
  if (min !== undefined) return `${label} must be at least ${min}${u}`;
  return `${label} must be at most ${max}${u}`;
}

// ── Levies and payment frequencies ─────────────────────────────────────────────────────────────

/** The levies that apply to a product: the tenant's list, adjusted by the product's declaration. */
export function resolveLevies(rating: RatingDeclaration, tenantLevies: readonly Levy[]): Levy[] {
  if (rating.levies === "none") return [];
  if (!rating.levies) return [...tenantLevies];
  const { exclude, add } = rating.levies;
  const replaced = new Set(add.map((levy) => levy.code));
  return [...tenantLevies.filter((levy) => !exclude.includes(levy.code) && !replaced.has(levy.code)), ...add];
}

export function levyLines(levies: readonly Levy[], premium: number): QuoteLine[] {
  return levies.map((levy) =>
    levy.kind === "percent"
      ? { code: levy.code, label: levy.label, amount: applyRate(premium, levy.rateBp), detail: { basis: premium, rateBp: levy.rateBp } }
      : { code: levy.code, label: levy.label, amount: levy.amount },
  );
}

export interface FrequencyOption {
  frequency: Frequency;
  label: string;
  instalmentsPerYear: number;
  /** The premium part of each instalment (fixed price, or annual premium × multiplier). */
  instalmentPremium: number;
  /** Percent levies on each instalment's premium. */
  instalmentLevies: number;
  /** What each instalment costs: premium + percent levies. */
  instalmentAmount: number;
  /** The first instalment also carries the fixed duties (stamp duty), charged once per policy. */
  firstInstalmentAmount: number;
  /** Everything paid over the year: first instalment + the rest. For annual, the quote's total. */
  annualEquivalent: number;
}

export function frequencyOptions(rating: RatingDeclaration, basePremium: number, levies: readonly Levy[]): FrequencyOption[] {
  const fixedDuties = levies.reduce((sum, levy) => sum + (levy.kind === "fixed" ? levy.amount : 0), 0);
  return FREQUENCIES.flatMap((frequency) => {
    const price = rating.frequencies[frequency];
    if (!price) return [];
    const instalmentsPerYear = INSTALMENTS_PER_YEAR[frequency];
    const instalmentPremium = "price" in price ? price.price : applyRate(basePremium, price.multiplierBp);
    const instalmentLevies = levies.reduce(
      (sum, levy) => sum + (levy.kind === "percent" ? applyRate(instalmentPremium, levy.rateBp) : 0),
      0,
    );
    const instalmentAmount = instalmentPremium + instalmentLevies;
    return [
      {
        frequency,
        label: FREQUENCY_LABELS[frequency],
        instalmentsPerYear,
        instalmentPremium,
        instalmentLevies,
        instalmentAmount,
        firstInstalmentAmount: instalmentAmount + fixedDuties,
        annualEquivalent: instalmentAmount * instalmentsPerYear + fixedDuties,
      },
    ];
  });
}

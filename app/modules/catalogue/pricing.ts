import { formatMoney } from "~/lib/money";
import { PER_FREQUENCY } from "./listing-options";
import {
  FREQUENCIES,
  FREQUENCY_LABELS,
  RatingDeclarationError,
  describeInputs,
  priceQuote,
  safeParseRating,
  type FieldDescription,
  type Frequency,
  type FrequencyOption,
  type Levy,
  type PersonInput,
  type Quote,
} from "~/modules/rating";

/**
 * Prices shown before anyone asks for a quote: a product's "typical" price is its rating rules
 * applied to its sample input (the listing's "from" price is the same quote's annual total).
 * Pure: the listing, product page, compare table, PDF and API all go through here.
 */
export interface PricingContext {
  currency: string;
  locale: string;
  quoteDate: string;
  levies: readonly Levy[];
}

/** The sample quote, or null when the product's rules or sample no longer price (a catalogue mistake). */
export function samplePrice(rating: unknown, sampleInput: unknown, ctx: PricingContext): Quote | null {
  try {
    const result = priceQuote(rating, sampleInput ?? {}, ctx);
    return result.ok ? result.quote : null;
  } catch (error) {
    if (error instanceof RatingDeclarationError) return null;
    throw error;
  }
}

/** The payment frequencies a product offers, annual first, as form options. */
export function frequencyChoices(rating: unknown): { value: Frequency; label: string }[] {
  const parsed = safeParseRating(rating);
  if (!parsed.ok) return [];
  return FREQUENCIES.filter((f) => parsed.rating.frequencies[f]).map((f) => ({ value: f, label: FREQUENCY_LABELS[f] }));
}

/** Whether the product has fixed prices per frequency (Hibah: RM150 a month) rather than multipliers. */
export function hasFixedPrices(rating: unknown): boolean {
  const annual = (rating as { frequencies?: { annual?: { price?: unknown } } } | null)?.frequencies?.annual;
  return typeof annual?.price === "number";
}

/** What each instalment costs; the annual one is the whole year, fixed duties included. */
export function instalmentOf(option: FrequencyOption): number {
  return option.frequency === "annual" ? option.firstInstalmentAmount : option.instalmentAmount;
}

/** The cheapest single instalment ("RM 150.00 a month"), for fixed-price products' cards. */
export function cheapestInstalment(quote: Quote): { amount: number; frequency: Frequency } | null {
  const options = quote.frequencies.filter((f) => f.frequency !== "annual");
  if (!options.length) return null;
  const cheapest = options.reduce((a, b) => (instalmentOf(b) < instalmentOf(a) ? b : a));
  return { amount: instalmentOf(cheapest), frequency: cheapest.frequency };
}

/** "Vehicle value KES 1,500,000.00 · Year of manufacture 2019 · Vehicle use Private · Excess protector" */
export function describeSample(rating: unknown, quote: Quote, ctx: PricingContext): string {
  let fields: FieldDescription[];
  try {
    fields = describeInputs(rating, ctx);
  } catch {
    return "";
  }
  const parts: string[] = [];
  for (const field of fields) {
    const value = quote.input[field.name];
    if (value === undefined || value === "" || value === false) continue;
    if (field.control === "persons" && Array.isArray(value)) {
      const roles = new Map((field.roles ?? []).map((r) => [r.value, r.label]));
      parts.push((value as PersonInput[]).map((p) => `${roles.get(p.role) ?? p.role} aged ${p.age}`).join(", "));
    } else if (field.control === "checkbox") {
      parts.push(field.label);
    } else if (field.kind === "money" && typeof value === "number") {
      parts.push(`${field.label} ${formatMoney(value, ctx.currency, ctx.locale)}`);
    } else if (field.control === "select") {
      parts.push(`${field.label}: ${field.options?.find((o) => o.value === value)?.label ?? String(value)}`);
    } else {
      parts.push(`${field.label} ${String(value)}${field.unit ? ` ${field.unit}` : ""}`);
    }
  }
  return parts.join(" · ");
}

export interface FrequencyPrice {
  frequency: Frequency;
  label: string;
  per: string;
  instalmentsPerYear: number;
  /** Each instalment (the annual one includes fixed duties: it is the only one). */
  instalment: number;
  /** The first instalment, which also carries fixed duties such as stamp duty. */
  firstInstalment: number;
  /** Everything paid over a year. */
  yearTotal: number;
}

export function frequencyPrices(quote: Quote): FrequencyPrice[] {
  return quote.frequencies.map((f) => ({
    frequency: f.frequency,
    label: f.label,
    per: PER_FREQUENCY[f.frequency],
    instalmentsPerYear: f.instalmentsPerYear,
    instalment: instalmentOf(f),
    firstInstalment: f.firstInstalmentAmount,
    yearTotal: f.annualEquivalent,
  }));
}

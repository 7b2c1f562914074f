import { formatMoney } from "~/lib/money";
import { FREQUENCIES, FREQUENCY_LABELS } from "~/modules/rating";
import { frequencyPrices, samplePrice, type PricingContext } from "./pricing";

/**
 * The comparison table: the same rows for up to three products, and which rows differ. Pure, so
 * the page and the PDF draw exactly the same table. The selection itself is a list of slugs.
 */
export const MAX_COMPARE = 3;
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** `?p=a&p=b` (or `?p=a,b`): valid slugs, de-duplicated, in order. Beyond three are returned as `extra`. */
export function compareSelectionFrom(values: readonly string[]): { slugs: string[]; extra: string[] } {
  const all = [
    ...new Set(
      values
        .flatMap((v) => v.split(","))
        .map((v) => v.trim().toLowerCase())
        .filter((v) => SLUG_PATTERN.test(v)),
    ),
  ];
  return { slugs: all.slice(0, MAX_COMPARE), extra: all.slice(MAX_COMPARE) };
}

export function compareHref(slugs: readonly string[], path = "/compare"): string {
  if (!slugs.length) return path;
  const params = new URLSearchParams();
  for (const slug of slugs) params.append("p", slug);
  return `${path}?${params.toString()}`;
}

/** What the table needs of a product (a ProductDetail fits). */
export interface ComparedProduct {
  slug: string;
  name: string;
  coverage: { label: string; value: string }[];
  features: string[];
  exclusions: string[];
  waitingPeriodDays: number;
  maxCover: number | null;
  requiresUnderwriting: boolean;
  startingPrice: number;
  reviewCount: number;
  reviewAverage: number | null;
  rating: unknown;
  sampleInput: Record<string, unknown>;
  insurer: { name: string; rating: number | null };
  category: { name: string };
}

export interface CompareCell {
  text: string;
  /** Features and exclusions: a tick or a dash rather than words. */
  mark?: "yes" | "no";
}

export interface CompareRow {
  label: string;
  cells: CompareCell[];
  /** True when the products do not all say the same (never with a single product). */
  differs: boolean;
}

export interface CompareSection {
  title: string;
  rows: CompareRow[];
}

export interface CompareTable {
  products: { slug: string; name: string; insurer: string; category: string }[];
  sections: CompareSection[];
}

const YES: CompareCell = { text: "Yes", mark: "yes" };
const NO: CompareCell = { text: "No", mark: "no" };

function row(label: string, cells: CompareCell[]): CompareRow {
  return { label, cells, differs: cells.length > 1 && new Set(cells.map((c) => c.text)).size > 1 };
}

/** Labels in first-seen order across the products. */
function union(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

export function compareTable(products: readonly ComparedProduct[], ctx: PricingContext): CompareTable {
  const money = (minor: number) => formatMoney(minor, ctx.currency, ctx.locale);
  const prices = products.map((p) => {
    const quote = samplePrice(p.rating, p.sampleInput, ctx);
    return new Map((quote ? frequencyPrices(quote) : []).map((f) => [f.frequency, f]));
  });
  const offered = FREQUENCIES.filter((f) => prices.some((m) => m.has(f)));

  const overview = [
    row(
      "Insurer",
      products.map((p) => ({ text: p.insurer.name })),
    ),
    row(
      "Insurer rating",
      products.map((p) => ({ text: p.insurer.rating === null ? "Not rated" : `${p.insurer.rating.toFixed(1)} out of 5` })),
    ),
    row(
      "Customer reviews",
      products.map((p) => ({
        text: p.reviewAverage === null ? "No reviews yet" : `${p.reviewAverage.toFixed(1)} out of 5 (${reviewsText(p.reviewCount)})`,
      })),
    ),
    row(
      "Type of cover",
      products.map((p) => ({ text: p.category.name })),
    ),
  ];

  const pricing = [
    row(
      "Starting price",
      products.map((p) => ({ text: `${money(p.startingPrice)} a year` })),
    ),
    ...offered.map((f) =>
      row(
        `Paying ${FREQUENCY_LABELS[f].toLowerCase()}`,
        prices.map((m) => {
          const price = m.get(f);
          return price ? { text: `${money(price.instalment)} ${price.per}` } : { text: "Not offered", mark: "no" as const };
        }),
      ),
    ),
  ];

  const terms = [
    row(
      "Maximum cover",
      products.map((p) => ({ text: p.maxCover === null ? "See coverage" : money(p.maxCover) })),
    ),
    row(
      "Waiting period",
      products.map((p) => ({ text: waitingText(p.waitingPeriodDays) })),
    ),
    row(
      "Underwriting required",
      products.map((p) => (p.requiresUnderwriting ? YES : NO)),
    ),
  ];

  const features = union(products.map((p) => p.features)).map((feature) =>
    row(
      feature,
      products.map((p) => (p.features.includes(feature) ? YES : NO)),
    ),
  );
  const coverage = union(products.map((p) => p.coverage.map((c) => c.label))).map((label) =>
    row(
      label,
      products.map((p) => {
        const item = p.coverage.find((c) => c.label === label);
        return item ? { text: item.value } : { text: "Not covered", mark: "no" as const };
      }),
    ),
  );
  const exclusions = union(products.map((p) => p.exclusions)).map((exclusion) =>
    row(
      exclusion,
      products.map((p) =>
        p.exclusions.includes(exclusion) ? { text: "Excluded", mark: "yes" as const } : { text: "Not listed", mark: "no" as const },
      ),
    ),
  );

  const sections: CompareSection[] = [
    { title: "Overview", rows: overview },
    { title: "Price (typical customer)", rows: pricing },
    { title: "Terms", rows: terms },
    { title: "Features", rows: features },
    { title: "Coverage", rows: coverage },
    { title: "Exclusions", rows: exclusions },
  ];
  return {
    products: products.map((p) => ({ slug: p.slug, name: p.name, insurer: p.insurer.name, category: p.category.name })),
    sections: sections.filter((s) => s.rows.length > 0),
  };
}

export function waitingText(days: number): string {
  if (days === 0) return "None";
  return days === 1 ? "1 day" : `${days} days`;
}

export function reviewsText(count: number): string {
  return count === 1 ? "1 review" : `${count} reviews`;
}

import type { TFunction } from "i18next";
import { formatMoney } from "~/lib/money";
import { FREQUENCIES } from "~/modules/rating";
import { frequencyPrices, samplePrice, type PricingContext } from "./pricing";

/**
 * The comparison table: the same rows for up to three products, and which rows differ. Pure, so
 * the page and the PDF draw exactly the same table, in the reader's language (`t` of the
 * storefront namespace, `compare.*`). The selection itself is a list of slugs.
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
  /** The text only names the mark ("Yes", "Not listed"): a page draws the mark and keeps the words for screen readers. */
  symbol?: "yes" | "no" | "excluded" | "not_listed";
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

function row(label: string, cells: CompareCell[]): CompareRow {
  return { label, cells, differs: cells.length > 1 && new Set(cells.map((c) => c.text)).size > 1 };
}

/** Labels in first-seen order across the products. */
function union(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

export function compareTable(products: readonly ComparedProduct[], ctx: PricingContext, t: TFunction): CompareTable {
  const money = (minor: number) => formatMoney(minor, ctx.currency, ctx.locale);
  const number = (value: number) => value.toLocaleString(ctx.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const YES: CompareCell = { text: t("compare.yes"), mark: "yes", symbol: "yes" };
  const NO: CompareCell = { text: t("compare.no"), mark: "no", symbol: "no" };
  const prices = products.map((p) => {
    const quote = samplePrice(p.rating, p.sampleInput, ctx);
    return new Map((quote ? frequencyPrices(quote) : []).map((f) => [f.frequency, f]));
  });
  const offered = FREQUENCIES.filter((f) => prices.some((m) => m.has(f)));

  const overview = [
    row(
      t("compare.insurer"),
      products.map((p) => ({ text: p.insurer.name })),
    ),
    row(
      t("compare.insurerRating"),
      products.map((p) => ({
        text: p.insurer.rating === null ? t("compare.notRated") : t("compare.outOfFive", { rating: number(p.insurer.rating) }),
      })),
    ),
    row(
      t("compare.reviews"),
      products.map((p) => ({
        text:
          p.reviewAverage === null ? t("stars.none") : t("compare.reviewsText", { rating: number(p.reviewAverage), count: p.reviewCount }),
      })),
    ),
    row(
      t("compare.typeOfCover"),
      products.map((p) => ({ text: p.category.name })),
    ),
  ];

  const pricing = [
    row(
      t("compare.startingPrice"),
      products.map((p) => ({ text: t("compare.aYear", { price: money(p.startingPrice) }) })),
    ),
    ...offered.map((f) =>
      row(
        t(`compare.paying.${f}`),
        prices.map((m) => {
          const price = m.get(f);
          return price ? { text: `${money(price.instalment)} ${t(`per.${f}`)}` } : { text: t("compare.notOffered"), mark: "no" as const };
        }),
      ),
    ),
  ];

  const terms = [
    row(
      t("compare.maxCover"),
      products.map((p) => ({ text: p.maxCover === null ? t("compare.seeCoverage") : money(p.maxCover) })),
    ),
    row(
      t("compare.waiting"),
      products.map((p) => ({ text: p.waitingPeriodDays === 0 ? t("none") : t("days", { count: p.waitingPeriodDays }) })),
    ),
    row(
      t("compare.underwriting"),
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
        return item ? { text: item.value } : { text: t("compare.notCovered"), mark: "no" as const };
      }),
    ),
  );
  const exclusions = union(products.map((p) => p.exclusions)).map((exclusion) =>
    row(
      exclusion,
      products.map((p) =>
        p.exclusions.includes(exclusion)
          ? { text: t("compare.excluded"), mark: "yes" as const, symbol: "excluded" as const }
          : { text: t("compare.notListed"), mark: "no" as const, symbol: "not_listed" as const },
      ),
    ),
  );

  const sections: CompareSection[] = [
    { title: t("compare.overview"), rows: overview },
    { title: t("compare.price"), rows: pricing },
    { title: t("compare.terms"), rows: terms },
    { title: t("compare.features"), rows: features },
    { title: t("compare.coverage"), rows: coverage },
    { title: t("compare.exclusions"), rows: exclusions },
  ];
  return {
    products: products.map((p) => ({ slug: p.slug, name: p.name, insurer: p.insurer.name, category: p.category.name })),
    sections: sections.filter((s) => s.rows.length > 0),
  };
}

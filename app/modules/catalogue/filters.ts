import { z } from "zod";
import { formatMoney } from "~/lib/money";
import { parseMajorToMinor, toMajorInput } from "~/modules/rating";
import { lineText } from "~/lib/text";
import { SORTS, type Sort } from "./listing-options";

/**
 * The product listing's filters, read from the URL so a search can be shared and the back button
 * works. Browser-safe: the listing page, the home page's search box and the JSON API all use it.
 * Prices are typed in major units (`?minPrice=20000` is KES 20,000) and held in minor units.
 */
const MAX_SLUGS = 20;
const MAX_PAGE = 10_000;

export interface ListingFilters {
  q?: string;
  categories: string[];
  insurers: string[];
  /** Minor units. */
  minPrice?: number;
  maxPrice?: number;
  /** What the visitor asked for; `effectiveSort` resolves the default. */
  sort?: Sort;
  page: number;
}

export type ListingParse = { filters: ListingFilters; errors: Record<string, string[]> };

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
const slugSchema = lineText().regex(/^[a-z0-9][a-z0-9-]{0,99}$/);

/** With a search, the best matches first; without one, relevance means nothing: most popular. */
export function effectiveSort(filters: Pick<ListingFilters, "q" | "sort">): Sort {
  if (!filters.sort || (filters.sort === "relevance" && !filters.q)) return filters.q ? "relevance" : "popular";
  return filters.sort;
}

/** `?category=motor&category=travel` or `?category=motor,travel`, de-duplicated. */
function slugList(params: URLSearchParams, name: string, errors: Record<string, string[]>): string[] {
  const values = params
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  const valid = [...new Set(values.filter((v) => slugSchema.safeParse(v).success))];
  if (valid.length < values.length) errors[name] = [`Unknown ${name}: use the ${name}'s short name, like "motor"`];
  if (valid.length > MAX_SLUGS) errors[name] = [`Choose at most ${MAX_SLUGS} values`];
  return valid.slice(0, MAX_SLUGS);
}

function price(params: URLSearchParams, name: "minPrice" | "maxPrice", currency: string, errors: Record<string, string[]>) {
  const raw = params.get(name)?.trim();
  if (!raw) return undefined;
  const parsed = parseMajorToMinor(raw, currency);
  if (parsed.ok) return parsed.minor;
  errors[name] = [
    parsed.reason === "negative"
      ? "Enter a price of zero or more"
      : parsed.reason === "too_large"
        ? "That price is too large"
        : "Enter a price as a number, like 20000",
  ];
  return undefined;
}

/**
 * Reads the listing's state from URL parameters. A value that makes no sense is dropped (the rest
 * of the search still works) and reported in `errors` by field: the page shows the message by
 * the field, the API refuses the request with it.
 */
export function parseListingParams(params: URLSearchParams, currency: string): ListingParse {
  const errors: Record<string, string[]> = {};
  // Control characters (a NUL in a pasted link) mean nothing to a search and PostgreSQL refuses them.
  const qRaw = (params.get("q") ?? "").replace(CONTROL_CHARACTERS, " ").trim().replace(/\s+/g, " ");
  if (qRaw.length > 200) errors.q = ["Search for at most 200 characters"];
  const q = qRaw && qRaw.length <= 200 ? qRaw : undefined;

  const sortRaw = params.get("sort")?.trim();
  const sortParsed = z.enum(SORTS).safeParse(sortRaw);
  if (sortRaw && !sortParsed.success) errors.sort = [`Sort by one of: ${SORTS.join(", ")}`];

  const pageRaw = params.get("page")?.trim();
  let page = 1;
  if (pageRaw) {
    const n = Number(pageRaw);
    if (/^\d+$/.test(pageRaw) && n >= 1 && n <= MAX_PAGE) page = n;
    else errors.page = [`Page must be a whole number from 1 to ${MAX_PAGE}`];
  }

  let minPrice = price(params, "minPrice", currency, errors);
  let maxPrice = price(params, "maxPrice", currency, errors);
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
    errors.maxPrice = ["The highest price must be at least the lowest"];
    maxPrice = undefined;
  }
  if (minPrice === 0) minPrice = undefined;

  return {
    filters: {
      ...(q ? { q } : {}),
      categories: slugList(params, "category", errors),
      insurers: slugList(params, "insurer", errors),
      ...(minPrice !== undefined ? { minPrice } : {}),
      ...(maxPrice !== undefined ? { maxPrice } : {}),
      ...(sortParsed.success ? { sort: sortParsed.data } : {}),
      page,
    },
    errors,
  };
}

/** The filters back as URL parameters (page 1 is left out, so links stay short). */
export function listingParams(filters: ListingFilters, currency: string): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  for (const c of filters.categories) params.append("category", c);
  for (const i of filters.insurers) params.append("insurer", i);
  if (filters.minPrice !== undefined) params.set("minPrice", toMajorInput(filters.minPrice, currency));
  if (filters.maxPrice !== undefined) params.set("maxPrice", toMajorInput(filters.maxPrice, currency));
  if (filters.sort) params.set("sort", filters.sort);
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

export function listingHref(filters: ListingFilters, currency: string, path = "/products"): string {
  const qs = listingParams(filters, currency).toString();
  return qs ? `${path}?${qs}` : path;
}

export interface FilterChip {
  /** What the chip says: "Motor", "Up to KES 50,000.00", "“vehicles”". */
  label: string;
  /** What kind of filter it is, for screen readers: "Category", "Insurer", "Search". */
  kind: string;
  /** The same listing without this filter (back on page 1). */
  removeHref: string;
}

/** One chip per active filter, each with the link that removes it. Names come from the catalogue. */
export function filterChips(
  filters: ListingFilters,
  names: { categories: Record<string, string>; insurers: Record<string, string> },
  money: { currency: string; locale: string },
): FilterChip[] {
  const base = { ...filters, page: 1 };
  const href = (f: ListingFilters) => listingHref(f, money.currency);
  const chips: FilterChip[] = [];
  if (filters.q) chips.push({ kind: "Search", label: `“${filters.q}”`, removeHref: href({ ...base, q: undefined }) });
  for (const c of filters.categories)
    chips.push({
      kind: "Category",
      label: names.categories[c] ?? c,
      removeHref: href({ ...base, categories: filters.categories.filter((x) => x !== c) }),
    });
  for (const i of filters.insurers)
    chips.push({
      kind: "Insurer",
      label: names.insurers[i] ?? i,
      removeHref: href({ ...base, insurers: filters.insurers.filter((x) => x !== i) }),
    });
  if (filters.minPrice !== undefined)
    chips.push({
      kind: "Lowest price",
      label: `From ${formatMoney(filters.minPrice, money.currency, money.locale)}`,
      removeHref: href({ ...base, minPrice: undefined }),
    });
  if (filters.maxPrice !== undefined)
    chips.push({
      kind: "Highest price",
      label: `Up to ${formatMoney(filters.maxPrice, money.currency, money.locale)}`,
      removeHref: href({ ...base, maxPrice: undefined }),
    });
  return chips;
}

export function hasActiveFilters(filters: ListingFilters): boolean {
  return Boolean(
    filters.q || filters.categories.length || filters.insurers.length || filters.minPrice !== undefined || filters.maxPrice !== undefined,
  );
}

import type { Frequency } from "~/modules/rating";

/**
 * Plain constants the browser needs to draw the listing and its cards: sort orders, page size,
 * how a price recurs. Kept apart from filters.ts and pricing.ts, whose parsing and pricing (zod,
 * the rating engine) only the server runs, so the listing does not ship those to every visitor.
 */
export const SORTS = ["relevance", "price_asc", "price_desc", "popular", "rating"] as const;
export type Sort = (typeof SORTS)[number];

export const SORT_LABELS: Record<Sort, string> = {
  relevance: "Best match",
  price_asc: "Price: low to high",
  price_desc: "Price: high to low",
  popular: "Most popular",
  rating: "Highest rated",
};

export const PAGE_SIZE = 20;

/** How often a price is paid, as words after an amount: "KES 5,400 a month". */
export const PER_FREQUENCY: Record<Frequency, string> = {
  annual: "a year",
  semi_annual: "every six months",
  quarterly: "a quarter",
  monthly: "a month",
};

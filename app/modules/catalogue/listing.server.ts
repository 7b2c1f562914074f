import { sql, type RawBuilder } from "kysely";
import type { TenantDb } from "~db/client";
import { toMajorInput } from "~/modules/rating";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { pricingContextFor } from "./context.server";
import { effectiveSort, filterChips, hasActiveFilters, parseListingParams, type ListingFilters } from "./filters";
import { PAGE_SIZE, type Sort } from "./listing-options";
import { cheapestInstalment, hasFixedPrices, samplePrice, type PricingContext } from "./pricing";

/**
 * The storefront's product listing: filters, PostgreSQL full-text search, sorting and pages.
 * Only what a customer may buy is listed: an active product of an active insurer in an active
 * category. Row-level security keeps every query inside the tenant.
 */

/** Active products joined to their insurer and category: the base of every storefront read. */
export function storefrontProducts(db: TenantDb) {
  return db
    .selectFrom("products as p")
    .innerJoin("insurers as i", (j) => j.onRef("i.tenant_id", "=", "p.tenant_id").onRef("i.id", "=", "p.insurer_id"))
    .innerJoin("categories as c", (j) => j.onRef("c.tenant_id", "=", "p.tenant_id").onRef("c.id", "=", "p.category_id"))
    .where("p.active", "=", true)
    .where("i.active", "=", true)
    .where("c.active", "=", true);
}

type Listing = ReturnType<typeof storefrontProducts>;

/** The columns a product card shows. */
export const CARD_COLUMNS = [
  "p.id as id",
  "p.slug as slug",
  "p.name as name",
  "p.summary as summary",
  "p.starting_price_minor as startingPrice",
  "p.review_count as reviewCount",
  "p.review_average as reviewAverage",
  "p.quote_count as quoteCount",
  // A card prices only fixed-price products (their instalment); others need not ship their rules.
  sql<unknown>`case when p.rating #> '{frequencies,annual,price}' is not null then p.rating end`.as("rating"),
  sql<Record<string, unknown>>`case when p.rating #> '{frequencies,annual,price}' is not null then p.sample_input else '{}'::jsonb end`.as(
    "sampleInput",
  ),
  "i.slug as insurerSlug",
  "i.name as insurerName",
  "c.slug as categorySlug",
  "c.name as categoryName",
] as const;

export interface ProductCard {
  id: string;
  slug: string;
  name: string;
  summary: string;
  insurer: { slug: string; name: string };
  category: { slug: string; name: string };
  /** Annual total of the sample quote, minor units. */
  startingPrice: number;
  currency: string;
  reviewCount: number;
  /** 1–5 with two decimals, or null before the first review. */
  reviewAverage: number | null;
  quoteCount: number;
  /** Fixed-price products: their cheapest instalment (RM150 a month). */
  instalment: { amount: number; frequency: string } | null;
}

export type CardRow = {
  id: string;
  slug: string;
  name: string;
  summary: string;
  startingPrice: number;
  reviewCount: number;
  reviewAverage: string | null;
  quoteCount: number;
  rating: unknown;
  sampleInput: Record<string, unknown>;
  insurerSlug: string;
  insurerName: string;
  categorySlug: string;
  categoryName: string;
};

export function toCard(row: CardRow, ctx: PricingContext): ProductCard {
  let instalment: ProductCard["instalment"] = null;
  // Only fixed-price products have an instalment worth showing on the card; pricing the others
  // per card would cost a rating run each for nothing the card shows.
  if (hasFixedPrices(row.rating)) {
    const quote = samplePrice(row.rating, row.sampleInput, ctx);
    instalment = quote ? cheapestInstalment(quote) : null;
  }
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    summary: row.summary,
    insurer: { slug: row.insurerSlug, name: row.insurerName },
    category: { slug: row.categorySlug, name: row.categoryName },
    startingPrice: row.startingPrice,
    currency: ctx.currency,
    reviewCount: row.reviewCount,
    reviewAverage: row.reviewAverage === null ? null : Number(row.reviewAverage),
    quoteCount: row.quoteCount,
    instalment,
  };
}

function applyFilters(query: Listing, filters: ListingFilters, tsquery: RawBuilder<unknown> | null): Listing {
  let q = query;
  if (tsquery) {
    // The product's own words (name, summary, description, features), or its insurer's or category's name.
    q = q.where(
      sql<boolean>`(p.search @@ ${tsquery} or to_tsvector('english', i.name) @@ ${tsquery} or to_tsvector('english', c.name) @@ ${tsquery})`,
    );
  }
  if (filters.categories.length) q = q.where("c.slug", "in", filters.categories);
  if (filters.insurers.length) q = q.where("i.slug", "in", filters.insurers);
  if (filters.minPrice !== undefined) q = q.where("p.starting_price_minor", ">=", filters.minPrice);
  if (filters.maxPrice !== undefined) q = q.where("p.starting_price_minor", "<=", filters.maxPrice);
  return q;
}

function applySort(query: Listing, sort: Sort, tsquery: RawBuilder<unknown> | null) {
  let q = query;
  switch (sort) {
    case "relevance":
      if (tsquery)
        q = q.orderBy(
          sql`ts_rank(p.search, ${tsquery}) + case when to_tsvector('english', i.name) @@ ${tsquery} then 0.5 else 0 end`,
          "desc",
        );
      q = q.orderBy("p.quote_count", "desc");
      break;
    case "price_asc":
      q = q.orderBy("p.starting_price_minor", "asc");
      break;
    case "price_desc":
      q = q.orderBy("p.starting_price_minor", "desc");
      break;
    case "popular":
      q = q.orderBy("p.quote_count", "desc").orderBy("p.review_count", "desc");
      break;
    case "rating":
      q = q.orderBy(sql`p.review_average desc nulls last`).orderBy("p.review_count", "desc");
      break;
  }
  // Ties broken the same way every time, so a page never repeats or skips a product.
  return q.orderBy("p.name", "asc").orderBy("p.id", "asc");
}

export interface ListingPage {
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  sort: Sort;
  results: ProductCard[];
}

export async function listProducts(
  db: TenantDb,
  filters: ListingFilters,
  ctx: PricingContext,
  options: { pageSize?: number } = {},
): Promise<ListingPage> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const tsquery = filters.q ? sql`websearch_to_tsquery('english', ${filters.q})` : null;
  const sort = effectiveSort(filters);
  const base = applyFilters(storefrontProducts(db), filters, tsquery);
  // The count rides along with the page (one query); only a page past the end needs its own.
  const rows = await applySort(base, sort, tsquery)
    .select(CARD_COLUMNS)
    .select(sql<string>`count(*) over ()`.as("total"))
    .limit(pageSize)
    .offset((filters.page - 1) * pageSize)
    .execute();
  const count = rows.length
    ? Number(rows[0]!.total)
    : Number((await base.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirstOrThrow()).total);
  return {
    total: count,
    page: filters.page,
    pageSize,
    pages: Math.max(1, Math.ceil(count / pageSize)),
    sort,
    results: rows.map((row) => toCard(row, ctx)),
  };
}

export interface Facet {
  slug: string;
  name: string;
  count: number;
}

/** The categories and insurers a customer can filter by, with how many products each has. */
export async function listingFacets(db: TenantDb): Promise<{ categories: Facet[]; insurers: Facet[] }> {
  // Both facets in one round trip: grouping sets count per category and per insurer at once.
  const rows = await storefrontProducts(db)
    .select([
      "c.slug as categorySlug",
      "c.name as categoryName",
      "c.display_order as categoryOrder",
      "i.slug as insurerSlug",
      "i.name as insurerName",
    ])
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .select(sql<number>`grouping(c.slug)`.as("byInsurer"))
    .groupBy(sql`grouping sets ((c.slug, c.name, c.display_order), (i.slug, i.name))`)
    .execute();
  const categories = rows
    .filter((r) => r.byInsurer === 0)
    .sort((a, b) => a.categoryOrder - b.categoryOrder || a.categoryName.localeCompare(b.categoryName))
    .map((r) => ({ slug: r.categorySlug, name: r.categoryName, count: r.count }));
  const insurers = rows
    .filter((r) => r.byInsurer === 1)
    .sort((a, b) => a.insurerName.localeCompare(b.insurerName))
    .map((r) => ({ slug: r.insurerSlug, name: r.insurerName, count: r.count }));
  return {
    categories: categories.map((c) => ({ ...c, count: Number(c.count) })),
    insurers: insurers.map((i) => ({ ...i, count: Number(i.count) })),
  };
}

/**
 * Everything the listing page shows for a URL's search: the page of cards, the facets with their
 * counts, the form's values as typed (prices back in major units), the chips of active filters,
 * and a message per parameter that made no sense (dropped, so the rest of the search still runs).
 */
export async function listingPage(db: TenantDb, tenant: TenantInfo, params: URLSearchParams) {
  const { filters, errors } = parseListingParams(params, tenant.currency);
  const ctx = pricingContextFor(tenant);
  const listing = await listProducts(db, filters, ctx);
  const facets = await listingFacets(db);
  const names = {
    categories: Object.fromEntries(facets.categories.map((c) => [c.slug, c.name])),
    insurers: Object.fromEntries(facets.insurers.map((i) => [i.slug, i.name])),
  };
  return {
    form: {
      q: filters.q ?? "",
      categories: filters.categories,
      insurers: filters.insurers,
      minPrice: filters.minPrice !== undefined ? toMajorInput(filters.minPrice, tenant.currency) : "",
      maxPrice: filters.maxPrice !== undefined ? toMajorInput(filters.maxPrice, tenant.currency) : "",
      sort: listing.sort,
    },
    errors,
    filtered: hasActiveFilters(filters),
    chips: filterChips(filters, names, { currency: tenant.currency, locale: tenant.locale }),
    facets,
    listing,
  };
}

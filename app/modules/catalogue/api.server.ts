import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { decodeCursor, encodeCursor } from "~/modules/api/pagination.server";
import { invalid, notFound } from "~/modules/api/problem.server";
import { describeInputs, FREQUENCIES, type Frequency } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import { pricingContextFor } from "./context.server";
import { parseListingParams } from "./filters";
import { PAGE_SIZE, PER_FREQUENCY, SORTS } from "./listing-options";
import { listProducts, type ProductCard } from "./listing.server";
import { describeSample, frequencyChoices, frequencyPrices, samplePrice } from "./pricing";
import { productBySlug, productFaqs, productReviews } from "./product.server";

/** The catalogue's answers in the JSON API's shape (/api/v1, decision 045). */

const MAX_PAGE_SIZE = 50;

const minor = (what: string) => z.number().int().describe(`${what} In minor units (cents) of \`currency\`.`);
const named = z.object({ slug: answerText(), name: answerText() });
const reviewSummary = z.object({ average: z.number().min(1).max(5).nullable(), count: z.number().int() });
const frequency = z.enum(FREQUENCIES);

export const productListItemSchema = z.object({
  slug: answerText(),
  name: answerText(),
  summary: answerText(),
  category: named,
  insurer: named,
  currency: answerText().describe("KES, MYR …"),
  startingPrice: minor("A typical customer's annual total, levies included."),
  startingPriceFrequency: z.literal("annual"),
  instalment: z
    .object({ amount: minor("Each instalment."), frequency, per: answerText() })
    .nullable()
    .describe("Fixed-price products: the cheapest instalment."),
  rating: reviewSummary,
  quoteCount: z.number().int(),
  url: answerText().url(),
  api: answerText().url(),
});

/** A product as a list item: money in minor units with its currency, links absolute. */
export function productListItem(card: ProductCard, origin: string): z.output<typeof productListItemSchema> {
  return {
    slug: card.slug,
    name: card.name,
    summary: card.summary,
    category: card.category,
    insurer: card.insurer,
    currency: card.currency,
    startingPrice: card.startingPrice,
    startingPriceFrequency: "annual",
    instalment: card.instalment
      ? {
          amount: card.instalment.amount,
          frequency: card.instalment.frequency as Frequency,
          per: PER_FREQUENCY[card.instalment.frequency as Frequency],
        }
      : null,
    rating: { average: card.reviewAverage, count: card.reviewCount },
    quoteCount: card.quoteCount,
    url: `${origin}/products/${card.slug}`,
    api: `${origin}/api/v1/products/${card.slug}`,
  };
}

/** A page link: the same query with another page (by number, which any client reads), or null past either end. */
function pageLink(request: Request, page: number, pages: number): string | null {
  if (page < 1 || page > pages) return null;
  const url = new URL(request.url);
  url.searchParams.delete("cursor");
  if (page === 1) url.searchParams.delete("page");
  else url.searchParams.set("page", String(page));
  return url.toString();
}

const slugList = z
  .union([lineText().max(200), z.array(lineText().max(200)).max(50)])
  .optional()
  .describe("Slug; repeat or separate with commas for several.");

/**
 * The listing's parameters, described for the document. They are read as text here and checked by
 * parseListingParams, the storefront page's own reader, so every bad one is reported at once.
 * Pages (decision 045): the API's `limit` and `cursor`, or the storefront's `page` and `pageSize`
 * (what clients used before). The cursor holds the page number: the sorts by price and rating have
 * no stable unique key, and a catalogue changes seldom enough for an offset.
 */
const listQuery = z.object({
  q: lineText()
    .max(200, "Search for at most 200 characters")
    .optional()
    .describe('Full-text search (words, "quoted phrases", -excluded words).'),
  category: slugList,
  insurer: slugList,
  minPrice: lineText().max(40).optional().describe("Lowest starting price a year, in MAJOR units (20000 = KES 20,000)."),
  maxPrice: lineText().max(40).optional().describe("Highest starting price a year, in MAJOR units."),
  sort: lineText()
    .max(40)
    .optional()
    .describe(`Order of results, one of ${SORTS.join(", ")}. Default: relevance with a search, popular without.`),
  limit: lineText().max(10).optional().describe(`How many results, 1 to ${MAX_PAGE_SIZE} (default ${PAGE_SIZE}).`),
  cursor: lineText().max(100).optional().describe("`nextCursor` of the previous page; omit for the first page."),
  page: lineText().max(10).optional().describe("Instead of `cursor`: 1 for the first page (the default)."),
  pageSize: lineText().max(10).optional().describe(`Instead of \`limit\`: 1 to ${MAX_PAGE_SIZE} (default ${PAGE_SIZE}).`),
});

/** `limit`/`cursor` as the storefront's `pageSize`/`page`, errors under the names the client used. */
function pagesOf(params: URLSearchParams, errors: Record<string, string[]>): { pageSize: number; page?: number } {
  const sizeName = params.has("limit") ? "limit" : "pageSize";
  const sizeRaw = params.get(sizeName);
  const pageSize = sizeRaw === null ? PAGE_SIZE : Number(sizeRaw);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    errors[sizeName] = [`${sizeName} must be a whole number from 1 to ${MAX_PAGE_SIZE}`];
  const cursor = params.get("cursor");
  if (cursor === null) return { pageSize };
  const [page] = decodeCursor(cursor, 1) ?? [];
  if (typeof page !== "number" || !Number.isInteger(page) || page < 2) {
    errors.cursor = ["cursor is not one this API gave"];
    return { pageSize };
  }
  return { pageSize, page };
}

const productListSchema = z.object({
  count: z.number().int().describe("How many products match, over all pages."),
  page: z.number().int(),
  pageSize: z.number().int(),
  pages: z.number().int(),
  sort: z.enum(SORTS),
  currency: answerText(),
  results: z.array(productListItemSchema),
  nextCursor: answerText().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  next: answerText().url().nullable(),
  previous: answerText().url().nullable(),
});

export const listProductsEndpoint = endpoint({
  method: "GET",
  path: "/products",
  operationId: "listProducts",
  summary: "List and search products",
  tags: ["Catalogue"],
  auth: { scope: "catalogue:read", anonymous: true },
  query: listQuery,
  responses: { 200: { description: "A page of products.", schema: productListSchema } },
  async handler({ request, tenant }) {
    const params = new URL(request.url).searchParams;
    // Unlike the page, the API refuses a bad parameter: a client should learn of its mistake.
    const { filters, errors } = parseListingParams(params, tenant.currency);
    const { pageSize, page } = pagesOf(params, errors);
    if (Object.keys(errors).length) throw invalid(errors, "Some query parameters are not valid");
    const listing = await withTenant(tenant.id, (db) =>
      listProducts(db, { ...filters, page: page ?? filters.page }, pricingContextFor(tenant), { pageSize }),
    );
    const origin = originOf(request);
    return {
      body: {
        count: listing.total,
        page: listing.page,
        pageSize: listing.pageSize,
        pages: listing.pages,
        sort: listing.sort,
        currency: tenant.currency,
        results: listing.results.map((card) => productListItem(card, origin)),
        nextCursor: listing.page < listing.pages ? encodeCursor([listing.page + 1]) : null,
        next: pageLink(request, listing.page + 1, listing.pages),
        previous: pageLink(request, Math.min(listing.page - 1, listing.pages), listing.pages),
      },
    };
  },
});

const choice = z.object({ value: answerText(), label: answerText() });

const fieldDescription = z
  .object({
    name: answerText(),
    kind: z.enum(["money", "integer", "select", "boolean", "date", "text", "persons"]),
    label: answerText(),
    hint: answerText().optional(),
    required: z.boolean(),
    control: z.enum(["text", "number", "date", "select", "checkbox", "persons"]),
    inputMode: z.enum(["decimal", "numeric"]).optional(),
    min: z.union([z.number(), answerText()]).optional().describe("Money: minor units; date: YYYY-MM-DD."),
    max: z.union([z.number(), answerText()]).optional(),
    step: z.number().optional(),
    unit: answerText().optional(),
    currency: answerText().optional(),
    maxLength: z.number().int().optional(),
    pattern: answerText().optional(),
    uppercase: z.boolean().optional(),
    options: z.array(choice).optional(),
    roles: z.array(z.object({}).passthrough()).optional(),
    maxPersons: z.number().int().optional(),
    defaultValue: z.union([answerText(), z.boolean()]).optional(),
  })
  .describe(
    "One quote input, as the web form draws it. Send money as an integer of minor units (JSON numbers) or a string of major units; persons as [{role, age}].",
  );

const productDetailSchema = z.object({
  slug: answerText(),
  name: answerText(),
  summary: answerText(),
  description: answerText(),
  category: named,
  insurer: z.object({
    slug: answerText(),
    name: answerText(),
    rating: z.number().nullable(),
    description: answerText(),
    logoUrl: answerText().nullable(),
  }),
  coverage: z.array(z.object({ label: answerText(), value: answerText() })),
  features: z.array(answerText()),
  inclusions: z.array(answerText()),
  exclusions: z.array(answerText()),
  waitingPeriodDays: z.number().int(),
  maxCover: z.number().int().nullable().describe("In minor units; null when the product names no single limit."),
  requiresUnderwriting: z.boolean(),
  startingPrice: minor("A typical customer's annual total."),
  currency: answerText(),
  rating: reviewSummary,
  quoteCount: z.number().int(),
  prices: z.object({
    description: answerText(),
    frequencies: z.array(
      z.object({
        frequency,
        label: answerText(),
        per: answerText().describe("a month …"),
        instalmentsPerYear: z.number().int(),
        instalment: minor("Each instalment (annual: the whole year, duties included)."),
        firstInstalment: minor("The first instalment, which also carries fixed duties such as stamp duty."),
        yearTotal: minor("Everything paid over a year."),
      }),
    ),
  }),
  quote: z
    .object({
      endpoint: answerText().url(),
      quoteDate: answerText().describe("YYYY-MM-DD"),
      validityDays: z.number().int(),
      frequencies: z.array(choice),
      inputs: z.array(fieldDescription),
    })
    .describe("How to ask for a quote: POST these inputs to the endpoint."),
  faqs: z.array(z.object({ question: answerText(), answer: answerText() })),
  reviews: z.array(
    z.object({
      rating: z.number().int(),
      title: answerText(),
      body: answerText(),
      author: answerText(),
      createdAt: answerText().datetime(),
    }),
  ),
  url: answerText().url(),
});

export const getProductEndpoint = endpoint({
  method: "GET",
  path: "/products/{slug}",
  operationId: "getProduct",
  summary: "One product, with the inputs its quote needs",
  description: "Everything the product page shows, plus the declared quote inputs, so an app can draw its own quote form.",
  tags: ["Catalogue"],
  auth: { scope: "catalogue:read", anonymous: true },
  params: z.object({
    slug: lineText()
      .max(100)
      .regex(/^[a-z0-9][a-z0-9-]*$/)
      .describe("The product's short name, as in its web address."),
  }),
  resource: "Product",
  responses: { 200: { description: "The product.", schema: productDetailSchema } },
  errors: [404],
  async handler({ request, tenant, params }) {
    const found = await withTenant(tenant.id, async (db) => {
      const product = await productBySlug(db, params.slug);
      if (!product) return null;
      return { product, faqs: await productFaqs(db, product.id), reviews: await productReviews(db, product.id) };
    });
    if (!found) throw notFound("Product");
    const ctx = pricingContextFor(tenant);
    const { product, faqs, reviews } = found;
    const { rating, sampleInput: _sample, id: _id, reviewAverage, reviewCount, quoteCount, ...rest } = product;
    const sample = samplePrice(rating, product.sampleInput, ctx);
    const origin = originOf(request);
    return {
      body: {
        ...rest,
        currency: tenant.currency,
        rating: { average: reviewAverage, count: reviewCount },
        quoteCount,
        prices: {
          description: sample ? describeSample(rating, sample, ctx) : "",
          frequencies: sample ? frequencyPrices(sample) : [],
        },
        quote: {
          endpoint: `${origin}/api/v1/quotes`,
          quoteDate: ctx.quoteDate,
          validityDays: ctx.quoteValidityDays,
          frequencies: frequencyChoices(rating),
          inputs: describeInputs(rating, ctx),
        },
        faqs,
        reviews: reviews.map((r) => ({
          rating: r.rating,
          title: r.title,
          body: r.body,
          author: r.author,
          createdAt: r.createdAt.toISOString(),
        })),
        url: `${origin}/products/${product.slug}`,
      } satisfies z.input<typeof productDetailSchema>,
    };
  },
});

export const catalogueEndpoints = [listProductsEndpoint, getProductEndpoint];

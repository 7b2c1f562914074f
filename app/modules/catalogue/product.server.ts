import type { TenantDb } from "~db/client";
import type { CoverageItem } from "~db/schema";
import { CARD_COLUMNS, storefrontProducts, toCard, type ProductCard } from "./listing.server";
import type { PricingContext } from "./pricing";

/** One product as its storefront page and the API's detail show it. */
export interface ProductDetail {
  id: string;
  slug: string;
  name: string;
  summary: string;
  description: string;
  coverage: CoverageItem[];
  features: string[];
  inclusions: string[];
  exclusions: string[];
  waitingPeriodDays: number;
  /** Minor units, or null when the product names no single limit. */
  maxCover: number | null;
  requiresUnderwriting: boolean;
  startingPrice: number;
  reviewCount: number;
  reviewAverage: number | null;
  quoteCount: number;
  rating: unknown;
  sampleInput: Record<string, unknown>;
  insurer: { slug: string; name: string; rating: number | null; description: string; logoUrl: string | null };
  category: { slug: string; name: string };
}

function detailQuery(db: TenantDb) {
  return storefrontProducts(db).select([
    "p.id as id",
    "p.slug as slug",
    "p.name as name",
    "p.summary as summary",
    "p.description as description",
    "p.coverage as coverage",
    "p.features as features",
    "p.inclusions as inclusions",
    "p.exclusions as exclusions",
    "p.waiting_period_days as waitingPeriodDays",
    "p.max_cover_minor as maxCover",
    "p.requires_underwriting as requiresUnderwriting",
    "p.starting_price_minor as startingPrice",
    "p.review_count as reviewCount",
    "p.review_average as reviewAverage",
    "p.quote_count as quoteCount",
    "p.rating as rating",
    "p.sample_input as sampleInput",
    "i.slug as insurerSlug",
    "i.name as insurerName",
    "i.rating as insurerRating",
    "i.description as insurerDescription",
    "i.logo_url as insurerLogo",
    "c.slug as categorySlug",
    "c.name as categoryName",
  ]);
}

function toDetail(row: Awaited<ReturnType<ReturnType<typeof detailQuery>["executeTakeFirstOrThrow"]>>): ProductDetail {
  const { insurerSlug, insurerName, insurerRating, insurerDescription, insurerLogo, categorySlug, categoryName, ...product } = row;
  return {
    ...product,
    reviewAverage: product.reviewAverage === null ? null : Number(product.reviewAverage),
    insurer: {
      slug: insurerSlug,
      name: insurerName,
      rating: insurerRating === null ? null : Number(insurerRating),
      description: insurerDescription,
      logoUrl: insurerLogo,
    },
    category: { slug: categorySlug, name: categoryName },
  };
}

/** An active product of this tenant by its slug; anything else (inactive, unknown, another agency's) is null. */
export async function productBySlug(db: TenantDb, slug: string): Promise<ProductDetail | null> {
  const row = await detailQuery(db).where("p.slug", "=", slug).executeTakeFirst();
  return row ? toDetail(row) : null;
}

/** Active products by slug, in the order asked (the compare table keeps the customer's order). */
export async function productsBySlugs(db: TenantDb, slugs: readonly string[]): Promise<ProductDetail[]> {
  if (!slugs.length) return [];
  const rows = await detailQuery(db)
    .where("p.slug", "in", [...slugs])
    .execute();
  const bySlug = new Map(rows.map((row) => [row.slug, toDetail(row)]));
  return slugs.flatMap((slug) => bySlug.get(slug) ?? []);
}

export interface Faq {
  question: string;
  answer: string;
}

export async function productFaqs(db: TenantDb, productId: string): Promise<Faq[]> {
  return db
    .selectFrom("product_faqs")
    .select(["question", "answer"])
    .where("product_id", "=", productId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

export interface ReviewView {
  id: string;
  rating: number;
  title: string;
  body: string;
  /** First name and initial: "Amina H." — never the full name or email of a customer. */
  author: string;
  createdAt: Date;
}

export async function productReviews(db: TenantDb, productId: string, limit = 10): Promise<ReviewView[]> {
  const rows = await db
    .selectFrom("reviews as r")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "r.tenant_id").onRef("u.id", "=", "r.user_id"))
    .select(["r.id", "r.rating", "r.title", "r.body", "r.created_at", "u.name"])
    .where("r.product_id", "=", productId)
    .orderBy("r.created_at", "desc")
    .orderBy("r.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    rating: r.rating,
    title: r.title,
    body: r.body,
    author: shortName(r.name),
    createdAt: r.created_at,
  }));
}

export function shortName(name: string): string {
  const [first, ...rest] = name.trim().split(/\s+/);
  const last = rest.at(-1);
  return last ? `${first} ${last[0]!.toUpperCase()}.` : (first ?? "A customer");
}

/** Other products of the same category, most popular first. */
export async function relatedProducts(db: TenantDb, product: ProductDetail, ctx: PricingContext, limit = 4): Promise<ProductCard[]> {
  const rows = await storefrontProducts(db)
    .where("c.slug", "=", product.category.slug)
    .where("p.id", "!=", product.id)
    .select(CARD_COLUMNS)
    .orderBy("p.quote_count", "desc")
    .orderBy("p.review_count", "desc")
    .orderBy("p.name")
    .limit(limit)
    .execute();
  return rows.map((row) => toCard(row, ctx));
}

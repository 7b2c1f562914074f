import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { CARD_COLUMNS, storefrontProducts, toCard, type ProductCard } from "./listing.server";
import type { PricingContext } from "./pricing";

/** An agency's home page: its categories, featured products and figures counted from real data. */
export interface CategoryCard {
  slug: string;
  name: string;
  icon: string;
  description: string;
  /** Active products in the category. */
  count: number;
}

export interface TrustFigures {
  insurers: number;
  products: number;
  /** People with a customer account at this agency. */
  customers: number;
  reviews: number;
  /** Average of every review of a listed product, or null before the first. */
  averageRating: number | null;
}

export interface StorefrontHome {
  categories: CategoryCard[];
  featured: ProductCard[];
  figures: TrustFigures;
}

export async function storefrontHome(db: TenantDb, ctx: PricingContext, featuredLimit = 6): Promise<StorefrontHome> {
  const categories = await storefrontProducts(db)
    .select(["c.slug as slug", "c.name as name", "c.icon as icon", "c.description as description", "c.display_order as order"])
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .groupBy(["c.slug", "c.name", "c.icon", "c.description", "c.display_order"])
    .orderBy("c.display_order")
    .orderBy("c.name")
    .execute();

  // Featured first, then the most quoted, so the section is never empty while products exist.
  const featuredRows = await storefrontProducts(db)
    .select(CARD_COLUMNS)
    .orderBy("p.featured", "desc")
    .orderBy("p.quote_count", "desc")
    .orderBy("p.review_count", "desc")
    .orderBy("p.name")
    .limit(featuredLimit)
    .execute();

  const listed = await storefrontProducts(db)
    .select((eb) => [eb.fn.countAll<string>().as("products"), sql<string>`count(distinct i.id)`.as("insurers")])
    .executeTakeFirstOrThrow();
  const reviews = await storefrontProducts(db)
    .innerJoin("reviews as r", (j) => j.onRef("r.tenant_id", "=", "p.tenant_id").onRef("r.product_id", "=", "p.id"))
    .select((eb) => [eb.fn.countAll<string>().as("count"), sql<string | null>`round(avg(r.rating), 1)`.as("average")])
    .executeTakeFirstOrThrow();
  const customers = await db
    .selectFrom("user_roles")
    .innerJoin("users", (j) => j.onRef("users.tenant_id", "=", "user_roles.tenant_id").onRef("users.id", "=", "user_roles.user_id"))
    .where("user_roles.role", "=", "customer")
    .select(sql<string>`count(distinct users.id)`.as("count"))
    .executeTakeFirstOrThrow();

  return {
    categories: categories.map((c) => ({ slug: c.slug, name: c.name, icon: c.icon, description: c.description, count: Number(c.count) })),
    featured: featuredRows.map((row) => toCard(row, ctx)),
    figures: {
      insurers: Number(listed.insurers),
      products: Number(listed.products),
      customers: Number(customers.count),
      reviews: Number(reviews.count),
      averageRating: reviews.average === null ? null : Number(reviews.average),
    },
  };
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";

/**
 * Reviews come from customers who hold (or held) a policy on the product: a policy that was issued,
 * not one declined or still waiting. One review per customer and product; writing again replaces
 * it. The product's count and average are kept beside it for the listing's sorts.
 */
const REVIEWABLE_STATES = ["active", "grace", "lapsed", "expired", "cancelled"] as const;

export interface ReviewablePolicy {
  productId: string;
  productName: string;
  productSlug: string;
  existing: { rating: number; title: string; body: string } | null;
}

export async function reviewablePolicy(db: TenantDb, userId: string, policyId: string): Promise<ReviewablePolicy | undefined> {
  const row = await db
    .selectFrom("policies")
    .innerJoin("products", "products.id", "policies.product_id")
    .select(["products.id", "products.name", "products.slug"])
    .where("policies.id", "=", policyId)
    .where("policies.user_id", "=", userId)
    .where("policies.status", "in", REVIEWABLE_STATES)
    .where("policies.policy_number", "is not", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const existing = await db
    .selectFrom("reviews")
    .select(["rating", "title", "body"])
    .where("product_id", "=", row.id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return { productId: row.id, productName: row.name, productSlug: row.slug, existing: existing ?? null };
}

export async function saveReview(
  db: TenantDb,
  userId: string,
  productId: string,
  review: { rating: number; title: string; body: string },
): Promise<void> {
  await db
    .insertInto("reviews")
    .values({ product_id: productId, user_id: userId, rating: review.rating, title: review.title, body: review.body })
    .onConflict((oc) =>
      oc
        .columns(["tenant_id", "product_id", "user_id"])
        .doUpdateSet({ rating: review.rating, title: review.title, body: review.body, created_at: new Date() }),
    )
    .execute();
  await db
    .updateTable("products")
    .set({
      review_count: sql<number>`(select count(*) from reviews r where r.product_id = products.id and r.tenant_id = products.tenant_id)`,
      review_average: sql<string>`(select round(avg(rating), 2) from reviews r where r.product_id = products.id and r.tenant_id = products.tenant_id)`,
      updated_at: new Date(),
    })
    .where("id", "=", productId)
    .execute();
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { priceQuote, quoteDateIn } from "~/modules/rating";
import { familyFromSlug } from "~/modules/claims/rules";
import type { Catalogue, ProductEntry } from "./manifest";

/**
 * Loads a manifest's catalogue into the tenant's tables, matching rows by slug: new ones are
 * added, existing ones take the manifest's values. Products the manifest no longer lists are left
 * alone (an admin may have added them). Returns how many products were written.
 */
export async function seedCatalogue(db: TenantDb, catalogue: Catalogue, tenant: { currency: string; timeZone: string }): Promise<number> {
  const categoryIds = new Map<string, string>();
  for (const c of catalogue.categories) {
    const values = {
      name: c.name,
      icon: c.icon,
      description: c.description,
      display_order: c.order,
      claim_family: c.claimFamily ?? familyFromSlug(c.slug),
    };
    const row = await db
      .insertInto("categories")
      .values({ slug: c.slug, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "slug"]).doUpdateSet({ ...values, updated_at: new Date() }))
      .returning("id")
      .executeTakeFirstOrThrow();
    categoryIds.set(c.slug, row.id);
  }
  const insurerIds = new Map<string, string>();
  for (const i of catalogue.insurers) {
    const values = {
      name: i.name,
      logo_url: i.logoUrl ?? null,
      rating: i.rating ?? null,
      description: i.description,
      contact: JSON.stringify(i.contact),
      commission_rate_bp: i.commissionRateBp,
    };
    const row = await db
      .insertInto("insurers")
      .values({ slug: i.slug, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "slug"]).doUpdateSet({ ...values, updated_at: new Date() }))
      .returning("id")
      .executeTakeFirstOrThrow();
    insurerIds.set(i.slug, row.id);
  }
  const quoteDate = quoteDateIn(tenant.timeZone);
  for (const p of catalogue.products) {
    const priced = priceQuote(p.rating, p.sampleInput, { currency: tenant.currency, quoteDate, levies: catalogue.levies });
    if (!priced.ok) throw new Error(`Product "${p.slug}": its sampleInput does not price: ${JSON.stringify(priced.errors)}`);
    const values = productValues(p, categoryIds.get(p.category)!, insurerIds.get(p.insurer)!, priced.quote.total);
    const row = await db
      .insertInto("products")
      .values({ slug: p.slug, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "slug"]).doUpdateSet({ ...values, updated_at: new Date() }))
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.deleteFrom("product_faqs").where("product_id", "=", row.id).execute();
    if (p.faqs.length) {
      await db
        .insertInto("product_faqs")
        .values(p.faqs.map((f, position) => ({ product_id: row.id, question: f.question, answer: f.answer, position })))
        .execute();
    }
    for (const review of p.reviews) {
      const author = await db.selectFrom("users").select("id").where("email", "=", review.by).executeTakeFirst();
      if (!author) throw new Error(`Product "${p.slug}": review by unknown user ${review.by}`);
      await db
        .insertInto("reviews")
        .values({ product_id: row.id, user_id: author.id, rating: review.rating, title: review.title, body: review.body })
        .onConflict((oc) => oc.columns(["tenant_id", "product_id", "user_id"]).doNothing())
        .execute();
    }
    await refreshReviewStats(db, row.id);
  }
  return catalogue.products.length;
}

function productValues(p: ProductEntry, categoryId: string, insurerId: string, startingPrice: number) {
  return {
    category_id: categoryId,
    insurer_id: insurerId,
    name: p.name,
    summary: p.summary,
    description: p.description,
    coverage: JSON.stringify(p.coverage),
    features: JSON.stringify(p.features),
    inclusions: JSON.stringify(p.inclusions),
    exclusions: JSON.stringify(p.exclusions),
    waiting_period_days: p.waitingPeriodDays,
    max_cover_minor: p.maxCover ?? null,
    rating: JSON.stringify(p.rating),
    sample_input: JSON.stringify(p.sampleInput),
    starting_price_minor: startingPrice,
    requires_underwriting: p.requiresUnderwriting,
    requirements: JSON.stringify(p.requirements),
    claim_rules: JSON.stringify(p.claimRules),
    lifecycle: JSON.stringify(p.lifecycle),
    featured: p.featured,
    active: p.active,
  };
}

/** Keeps a product's review count and average in step with its reviews (listing sorts on them). */
export async function refreshReviewStats(db: TenantDb, productId: string): Promise<void> {
  await db
    .updateTable("products")
    .set({
      review_count: sql`(select count(*) from reviews where product_id = ${productId})`,
      review_average: sql`(select round(avg(rating), 2) from reviews where product_id = ${productId})`,
    })
    .where("id", "=", productId)
    .execute();
}

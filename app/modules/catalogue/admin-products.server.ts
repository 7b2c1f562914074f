import type { CoverageItem } from "~db/schema";
import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { priceQuote, RatingDeclarationError, toMajorInput, type PriceOptions } from "~/modules/rating";
import { slugify, type ProductForm } from "./admin-schemas";
import { ADMIN_PAGE_SIZE, changedKeys, isUniqueViolation, type SaveResult } from "./admin.server";

/**
 * Products in the back office: the form and the CSV import both end in `saveProduct`, which
 * checks what only the database knows (the slug is free, the category and insurer are this
 * tenant's) and prices the sample input with the tenant's levies, so the listing's "from" price
 * is always what a customer with those inputs would be quoted.
 */

/** A product as the admin describes it, already validated for shape (admin-schemas.ts). */
export interface ProductDraft {
  categoryId: string;
  insurerId: string;
  name: string;
  /** Empty: made from the name. */
  slug?: string;
  summary: string;
  description: string;
  coverage: CoverageItem[];
  features: string[];
  inclusions: string[];
  exclusions: string[];
  waitingPeriodDays: number;
  maxCoverMinor: number | null;
  requiresUnderwriting: boolean;
  featured: boolean;
  active: boolean;
  rating: Record<string, unknown>;
  sampleInput: Record<string, unknown>;
}

/**
 * The annual total for the sample input: the listing's "from" price. Pricing problems come back
 * as messages naming the input ("vehicleValue: …"), for the sample input's field.
 */
export function startingPrice(
  rating: unknown,
  sampleInput: Record<string, unknown>,
  pricing: PriceOptions,
): { ok: true; total: number } | { ok: false; field: "rating" | "sampleInput"; problems: string[] } {
  try {
    const priced = priceQuote(rating, sampleInput, pricing);
    if (priced.ok) return { ok: true, total: priced.quote.total };
    return {
      ok: false,
      field: "sampleInput",
      problems: Object.entries(priced.errors).map(([field, messages]) => `${field === "form" ? "" : `${field}: `}${messages.join(" ")}`),
    };
  } catch (error) {
    if (error instanceof RatingDeclarationError) return { ok: false, field: "rating", problems: error.problems };
    throw error;
  }
}

export type ProductStatus = "all" | "visible" | "active" | "inactive";

export interface ProductFilters {
  page: number;
  q?: string;
  categoryId?: string;
  insurerId?: string;
  status?: ProductStatus;
  pageSize?: number;
}

export async function listAdminProducts(db: TenantDb, filters: ProductFilters) {
  const pageSize = filters.pageSize ?? ADMIN_PAGE_SIZE;
  let query = db
    .selectFrom("products")
    .innerJoin("categories", (j) =>
      j.onRef("categories.id", "=", "products.category_id").onRef("categories.tenant_id", "=", "products.tenant_id"),
    )
    .innerJoin("insurers", (j) =>
      j.onRef("insurers.id", "=", "products.insurer_id").onRef("insurers.tenant_id", "=", "products.tenant_id"),
    );
  if (filters.q) {
    // ILIKE on name and slug: admins look for a product they know, not a ranked search.
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb("products.name", "ilike", pattern), eb("products.slug", "ilike", pattern)]));
  }
  if (filters.categoryId) query = query.where("products.category_id", "=", filters.categoryId);
  if (filters.insurerId) query = query.where("products.insurer_id", "=", filters.insurerId);
  if (filters.status === "active") query = query.where("products.active", "=", true);
  if (filters.status === "inactive") query = query.where("products.active", "=", false);
  if (filters.status === "visible")
    query = query.where("products.active", "=", true).where("insurers.active", "=", true).where("categories.active", "=", true);
  const total = await query.select((e) => e.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      "products.id",
      "products.slug",
      "products.name",
      "products.starting_price_minor",
      "products.active",
      "products.featured",
      "products.requires_underwriting",
      "products.updated_at",
      "categories.name as category_name",
      "categories.active as category_active",
      "insurers.name as insurer_name",
      "insurers.active as insurer_active",
    ])
    .orderBy("products.name")
    .orderBy("products.id")
    .limit(pageSize + 1)
    .offset((filters.page - 1) * pageSize)
    .execute();
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize, total: Number(total.n) };
}

/** One product of this tenant with its category's and insurer's names and status, or undefined. */
export async function getAdminProduct(db: TenantDb, id: string) {
  return db
    .selectFrom("products")
    .innerJoin("categories", (j) =>
      j.onRef("categories.id", "=", "products.category_id").onRef("categories.tenant_id", "=", "products.tenant_id"),
    )
    .innerJoin("insurers", (j) => j.onRef("insurers.id", "=", "products.insurer_id").onRef("insurers.tenant_id", "=", "products.tenant_id"))
    .selectAll("products")
    .select(["categories.name as category_name", "categories.active as category_active"])
    .select(["insurers.name as insurer_name", "insurers.active as insurer_active"])
    .where("products.id", "=", id)
    .executeTakeFirst();
}

/** Products whose rules an admin can start from (the "copy rules" choice). */
export async function ratingSources(db: TenantDb) {
  return db.selectFrom("products").select(["id", "name", "slug"]).orderBy("name").execute();
}

/** A product's rules and sample input, found by id or by slug; undefined when not this tenant's. */
export async function findRatingSource(db: TenantDb, by: { id: string } | { slug: string }) {
  let query = db.selectFrom("products").select(["id", "slug", "name", "rating", "sample_input"]);
  query = "id" in by ? query.where("id", "=", by.id) : query.where("slug", "=", by.slug);
  return query.executeTakeFirst();
}

/**
 * Creates (no `id`) or updates a product. Returns field errors keyed by the form's field names
 * (slug, categoryId, insurerId, rating, sampleInput, form); writes nothing when it refuses.
 */
export async function saveProduct(
  db: TenantDb,
  pricing: PriceOptions,
  draft: ProductDraft,
  actor: Actor,
  options: { id?: string; via?: "form" | "import" } = {},
): Promise<SaveResult & { startingPriceMinor?: number }> {
  const errors: Record<string, string[]> = {};
  const slug = draft.slug || slugify(draft.name);
  if (!slug) errors.slug = ["Type an address with letters or digits."];
  else {
    const clash = await db.selectFrom("products").select(["id", "name"]).where("slug", "=", slug).executeTakeFirst();
    if (clash && clash.id !== options.id)
      errors.slug = [`The address "${slug}" is already used by ${clash.name}. Type another, or leave it empty to make one from the name.`];
  }
  // RLS makes another tenant's category or insurer look exactly like one that does not exist.
  if (!(await db.selectFrom("categories").select("id").where("id", "=", draft.categoryId).executeTakeFirst()))
    errors.categoryId = ["Choose one of your categories."];
  if (!(await db.selectFrom("insurers").select("id").where("id", "=", draft.insurerId).executeTakeFirst()))
    errors.insurerId = ["Choose one of your insurers."];
  const price = startingPrice(draft.rating, draft.sampleInput, pricing);
  if (!price.ok) errors[price.field] = price.problems;
  if (Object.keys(errors).length > 0 || !price.ok) return { ok: false, errors };

  const values = {
    slug,
    category_id: draft.categoryId,
    insurer_id: draft.insurerId,
    name: draft.name,
    summary: draft.summary,
    description: draft.description,
    coverage: JSON.stringify(draft.coverage),
    features: JSON.stringify(draft.features),
    inclusions: JSON.stringify(draft.inclusions),
    exclusions: JSON.stringify(draft.exclusions),
    waiting_period_days: draft.waitingPeriodDays,
    max_cover_minor: draft.maxCoverMinor,
    rating: JSON.stringify(draft.rating),
    sample_input: JSON.stringify(draft.sampleInput),
    starting_price_minor: price.total,
    requires_underwriting: draft.requiresUnderwriting,
    featured: draft.featured,
    active: draft.active,
  };
  const via = options.via ?? "form";
  try {
    if (options.id) {
      const before = await db.selectFrom("products").selectAll().where("id", "=", options.id).executeTakeFirst();
      if (!before) return { ok: false, errors: { form: ["This product no longer exists."] } };
      await db
        .updateTable("products")
        .set({ ...values, updated_at: new Date() })
        .where("id", "=", options.id)
        .execute();
      const changed = changedKeys(before, values);
      await recordAudit(db, actor, {
        action: "catalogue.product_updated",
        targetType: "product",
        targetId: options.id,
        details: { slug, via, changed },
      });
      if (before.active !== draft.active) await auditActive(db, actor, options.id, slug, draft.active, via);
      return { ok: true, id: options.id, created: false, startingPriceMinor: price.total };
    }
    const row = await db.insertInto("products").values(values).returning("id").executeTakeFirstOrThrow();
    await recordAudit(db, actor, {
      action: "catalogue.product_created",
      targetType: "product",
      targetId: row.id,
      details: { slug, name: draft.name, via, active: draft.active },
    });
    return { ok: true, id: row.id, created: true, startingPriceMinor: price.total };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: [`The address "${slug}" is already used by another product.`] } };
    throw error;
  }
}

/** Hides (or shows again) one product on the storefront; quotes and carts that hold it are kept. */
export async function setProductActive(db: TenantDb, id: string, active: boolean, actor: Actor): Promise<boolean> {
  const row = await db
    .updateTable("products")
    .set({ active, updated_at: new Date() })
    .where("id", "=", id)
    .returning(["slug"])
    .executeTakeFirst();
  if (!row) return false;
  await auditActive(db, actor, id, row.slug, active, "form");
  return true;
}

function auditActive(db: TenantDb, actor: Actor, id: string, slug: string, active: boolean, via: string) {
  return recordAudit(db, actor, {
    action: active ? "catalogue.product_activated" : "catalogue.product_deactivated",
    targetType: "product",
    targetId: id,
    details: { slug, via },
  });
}

/** A stored product as the form's text fields (money in major units, JSON pretty-printed). */
export function toFormDefaults(
  product: {
    category_id: string;
    insurer_id: string;
    name: string;
    slug: string;
    summary: string;
    description: string;
    coverage: CoverageItem[];
    features: string[];
    inclusions: string[];
    exclusions: string[];
    waiting_period_days: number;
    max_cover_minor: number | null;
    requires_underwriting: boolean;
    featured: boolean;
    active: boolean;
    rating: unknown;
    sample_input: Record<string, unknown>;
  },
  currency: string,
) {
  return {
    categoryId: product.category_id,
    insurerId: product.insurer_id,
    name: product.name,
    slug: product.slug,
    summary: product.summary,
    description: product.description,
    coverage: product.coverage.map((c) => `${c.label}: ${c.value}`).join("\n"),
    features: product.features.join("\n"),
    inclusions: product.inclusions.join("\n"),
    exclusions: product.exclusions.join("\n"),
    waitingPeriodDays: String(product.waiting_period_days),
    maxCover: product.max_cover_minor === null ? "" : toMajorInput(product.max_cover_minor, currency),
    requiresUnderwriting: product.requires_underwriting,
    featured: product.featured,
    active: product.active,
    rating: JSON.stringify(product.rating, null, 2),
    sampleInput: JSON.stringify(product.sample_input, null, 2),
  };
}

/** The product form's parsed values → a draft for saveProduct. */
export function draftFromForm(form: ProductForm): ProductDraft {
  const { maxCover, ...rest } = form;
  return { ...rest, maxCoverMinor: maxCover };
}

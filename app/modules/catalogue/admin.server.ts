import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { slugify, type CategoryForm, type InsurerForm } from "./admin-schemas";

/**
 * The back office's catalogue: insurers and categories (products are in admin-products.server.ts).
 * Nothing here deletes: deactivating hides a row (and, for an insurer or category, its products)
 * from the storefront while quotes, carts and policies that point at it stay intact.
 */

export const ADMIN_PAGE_SIZE = 25;

export type SaveResult = { ok: true; id: string; created: boolean } | { ok: false; errors: Record<string, string[]> };

/** Postgres' unique_violation: two admins saving the same slug at once. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";
}

const takenMessage = (slug: string, owner: string) =>
  `The address "${slug}" is already used by ${owner}. Type another, or leave it empty to make one from the name.`;

// ── Overview ───────────────────────────────────────────────────────────────────────────────────

export async function catalogueCounts(db: TenantDb) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("insurers")
        .select((e) => e.fn.countAll<number>().as("n"))
        .as("insurers"),
      eb
        .selectFrom("insurers")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("active", "=", true)
        .as("insurers_active"),
      eb
        .selectFrom("categories")
        .select((e) => e.fn.countAll<number>().as("n"))
        .as("categories"),
      eb
        .selectFrom("categories")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("active", "=", true)
        .as("categories_active"),
      eb
        .selectFrom("products")
        .select((e) => e.fn.countAll<number>().as("n"))
        .as("products"),
      eb
        .selectFrom("products")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("active", "=", true)
        .as("products_active"),
      eb
        .selectFrom("products")
        .innerJoin("insurers", (j) =>
          j.onRef("insurers.id", "=", "products.insurer_id").onRef("insurers.tenant_id", "=", "products.tenant_id"),
        )
        .innerJoin("categories", (j) =>
          j.onRef("categories.id", "=", "products.category_id").onRef("categories.tenant_id", "=", "products.tenant_id"),
        )
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("products.active", "=", true)
        .where("insurers.active", "=", true)
        .where("categories.active", "=", true)
        .as("products_visible"),
    ])
    .executeTakeFirstOrThrow();
  const n = (value: unknown) => Number(value ?? 0);
  return {
    insurers: { total: n(row.insurers), active: n(row.insurers_active) },
    categories: { total: n(row.categories), active: n(row.categories_active) },
    products: { total: n(row.products), active: n(row.products_active), visible: n(row.products_visible) },
  };
}

// ── Insurers ───────────────────────────────────────────────────────────────────────────────────

export async function listInsurers(db: TenantDb, options: { page: number; pageSize?: number }) {
  const pageSize = options.pageSize ?? ADMIN_PAGE_SIZE;
  const rows = await db
    .selectFrom("insurers")
    .select(["id", "slug", "name", "commission_rate_bp", "active", "rating"])
    .select((eb) =>
      eb
        .selectFrom("products")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("products.insurer_id", "=", "insurers.id")
        .as("product_count"),
    )
    .orderBy("name")
    .orderBy("id")
    .limit(pageSize + 1)
    .offset((options.page - 1) * pageSize)
    .execute();
  return {
    rows: rows.slice(0, pageSize).map((r) => ({ ...r, product_count: Number(r.product_count ?? 0) })),
    hasMore: rows.length > pageSize,
  };
}

/** One insurer of this tenant, or undefined (another tenant's id is invisible by RLS). */
export async function getInsurer(db: TenantDb, id: string) {
  const row = await db.selectFrom("insurers").selectAll().where("id", "=", id).executeTakeFirst();
  return row && { ...row, product_count: await productCount(db, "insurer_id", id) };
}

function insurerValues(form: InsurerForm) {
  const contact: Record<string, string> = {};
  if (form.contactPhone) contact.phone = form.contactPhone;
  if (form.contactEmail) contact.email = form.contactEmail;
  if (form.contactWebsite) contact.website = form.contactWebsite;
  return {
    name: form.name,
    description: form.description,
    logo_url: form.logoUrl ?? null,
    rating: form.rating ?? null,
    commission_rate_bp: form.commissionRate,
    contact: JSON.stringify(contact),
  };
}

export async function saveInsurer(db: TenantDb, form: InsurerForm, actor: Actor, id?: string): Promise<SaveResult> {
  return saveSlugged(db, "insurers", { ...insurerValues(form), slug: form.slug || slugify(form.name) }, actor, id);
}

/** Deactivating an insurer hides all its products from the storefront; nothing is deleted. */
export function setInsurerActive(db: TenantDb, id: string, active: boolean, actor: Actor): Promise<boolean> {
  return setActive(db, "insurers", id, active, actor);
}

// ── Categories ─────────────────────────────────────────────────────────────────────────────────

export async function listCategories(db: TenantDb, options: { page: number; pageSize?: number }) {
  const pageSize = options.pageSize ?? ADMIN_PAGE_SIZE;
  const rows = await db
    .selectFrom("categories")
    .select(["id", "slug", "name", "icon", "display_order", "active"])
    .select((eb) =>
      eb
        .selectFrom("products")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("products.category_id", "=", "categories.id")
        .as("product_count"),
    )
    .orderBy("display_order")
    .orderBy("name")
    .orderBy("id")
    .limit(pageSize + 1)
    .offset((options.page - 1) * pageSize)
    .execute();
  return {
    rows: rows.slice(0, pageSize).map((r) => ({ ...r, product_count: Number(r.product_count ?? 0) })),
    hasMore: rows.length > pageSize,
  };
}

export async function getCategory(db: TenantDb, id: string) {
  const row = await db.selectFrom("categories").selectAll().where("id", "=", id).executeTakeFirst();
  return row && { ...row, product_count: await productCount(db, "category_id", id) };
}

export async function saveCategory(db: TenantDb, form: CategoryForm, actor: Actor, id?: string): Promise<SaveResult> {
  const values = { name: form.name, icon: form.icon, description: form.description, display_order: form.displayOrder };
  return saveSlugged(db, "categories", { ...values, slug: form.slug || slugify(form.name) }, actor, id);
}

/** Deactivating a category hides all its products from the storefront; nothing is deleted. */
export function setCategoryActive(db: TenantDb, id: string, active: boolean, actor: Actor): Promise<boolean> {
  return setActive(db, "categories", id, active, actor);
}

// ── Shared ─────────────────────────────────────────────────────────────────────────────────────

/** How many products (active or not) an insurer or category holds. */
async function productCount(db: TenantDb, column: "insurer_id" | "category_id", id: string): Promise<number> {
  const row = await db
    .selectFrom("products")
    .select((e) => e.fn.countAll<number>().as("n"))
    .where(column, "=", id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Insurers and categories are saved alike: a slug unique per tenant, an audit entry per change. */
type SluggedTable = "insurers" | "categories";
const ENTITY: Record<SluggedTable, "insurer" | "category"> = { insurers: "insurer", categories: "category" };

async function saveSlugged(
  db: TenantDb,
  table: SluggedTable,
  values: { slug: string; name: string } & Record<string, unknown>,
  actor: Actor,
  id?: string,
): Promise<SaveResult> {
  const entity = ENTITY[table];
  const { slug } = values;
  if (!slug) return { ok: false, errors: { slug: ["Type an address with letters or digits."] } };
  // One table at a time, typed as insurers: both share the columns touched here.
  const t = table as "insurers";
  const clash = await db.selectFrom(t).select(["id", "name"]).where("slug", "=", slug).executeTakeFirst();
  if (clash && clash.id !== id) return { ok: false, errors: { slug: [takenMessage(slug, clash.name)] } };
  try {
    if (id) {
      const before = await db.selectFrom(t).selectAll().where("id", "=", id).executeTakeFirst();
      if (!before) return { ok: false, errors: { form: [`This ${entity} no longer exists.`] } };
      await db
        .updateTable(t)
        .set({ ...(values as object), updated_at: new Date() })
        .where("id", "=", id)
        .execute();
      await recordAudit(db, actor, {
        action: `catalogue.${entity}_updated`,
        targetType: entity,
        targetId: id,
        details: { slug, changed: changedKeys(before, values) },
      });
      return { ok: true, id, created: false };
    }
    const row = await db
      .insertInto(t)
      .values(values as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(db, actor, {
      action: `catalogue.${entity}_created`,
      targetType: entity,
      targetId: row.id,
      details: { slug, name: values.name },
    });
    return { ok: true, id: row.id, created: true };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: [takenMessage(slug, `another ${entity}`)] } };
    throw error;
  }
}

async function setActive(db: TenantDb, table: SluggedTable, id: string, active: boolean, actor: Actor): Promise<boolean> {
  const entity = ENTITY[table];
  const row = await db
    .updateTable(table as "insurers")
    .set({ active, updated_at: new Date() })
    .where("id", "=", id)
    .returning(["slug"])
    .executeTakeFirst();
  if (!row) return false;
  await recordAudit(db, actor, {
    action: `catalogue.${entity}_${active ? "activated" : "deactivated"}`,
    targetType: entity,
    targetId: id,
    details: { slug: row.slug },
  });
  return true;
}

/** Which columns an update changes, for the audit entry. */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => canonical(before[key]) !== canonical(after[key]));
}

/**
 * A value as comparable text: jsonb columns are written as JSON text but read back as objects
 * (with their keys reordered), and numeric columns come back as strings ("4.5" vs 4.5).
 */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (/^[[{]/.test(trimmed)) {
      try {
        return canonical(JSON.parse(trimmed));
      } catch {
        return JSON.stringify(value);
      }
    }
    return /^-?\d+(\.\d+)?$/.test(trimmed) ? String(Number(trimmed)) : JSON.stringify(value);
  }
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Categories and insurers for the product form's selects, inactive ones labelled. */
export async function productChoices(db: TenantDb) {
  const categories = await db.selectFrom("categories").select(["id", "name", "active"]).orderBy("display_order").orderBy("name").execute();
  const insurers = await db.selectFrom("insurers").select(["id", "name", "active"]).orderBy("name").execute();
  const choice = (r: { id: string; name: string; active: boolean }) => ({ value: r.id, label: r.active ? r.name : `${r.name} (inactive)` });
  return { categories: categories.map(choice), insurers: insurers.map(choice) };
}

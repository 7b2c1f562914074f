import { sql } from "kysely";
import { storefrontSettings } from "~/modules/catalogue/settings.server";
import type { TenantDb } from "~db/client";
import { exactTime, olderThan, type Position } from "~/lib/keyset.server";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import {
  FREQUENCIES,
  parseRating,
  priceQuote,
  quoteDateIn,
  type FieldErrors,
  type Frequency,
  type FrequencyOption,
  type QuoteInput,
  type QuoteLine,
} from "~/modules/rating";
import { formToRatingInput, frequencyError, remapRowErrors } from "./form";

/** What a saved quote keeps of the engine's answer: enough to show it again without re-pricing. */
export interface QuoteBreakdown {
  quoteDate: string;
  lines: QuoteLine[];
  basePremium: number;
  levies: QuoteLine[];
  totalLevies: number;
  /** Annual, paid at once: basePremium + totalLevies. */
  total: number;
  frequencies: FrequencyOption[];
}

export interface SavedQuote {
  id: string;
  reference: string;
  productId: string;
  productSlug: string;
  productName: string;
  productActive: boolean;
  insurerName: string;
  categoryId: string;
  categoryName: string;
  userId: string | null;
  inputs: QuoteInput;
  breakdown: QuoteBreakdown;
  frequency: Frequency;
  /** The annual premium before levies (the breakdown's basePremium). */
  premium: number;
  /** Everything paid over a year at the chosen frequency (its annual equivalent). */
  total: number;
  /** The chosen frequency's instalments. */
  payable: FrequencyOption;
  currency: string;
  validUntil: Date;
  createdAt: Date;
  expired: boolean;
}

export type QuoteTenant = Pick<TenantInfo, "id" | "currency" | "locale" | "timeZone" | "numberPrefix">;

export type CreateQuoteResult = { ok: true; quote: SavedQuote } | { ok: false; code: "not_found" | "invalid"; errors: FieldErrors };

/**
 * A product a customer may buy, by slug, with what pricing needs: active, from an active insurer,
 * in an active category (as the listing shows them).
 */
export async function findQuotableProduct(db: TenantDb, slug: string) {
  return db
    .selectFrom("products")
    .innerJoin("insurers", "insurers.id", "products.insurer_id")
    .innerJoin("categories", "categories.id", "products.category_id")
    .select(["products.id", "products.slug", "products.name", "products.rating", "insurers.name as insurerName"])
    .where("products.slug", "=", slug)
    .where("products.active", "=", true)
    .where("insurers.active", "=", true)
    .where("categories.active", "=", true)
    .executeTakeFirst();
}

/**
 * Prices a quote on the server from the product's stored rating and the tenant's levies, and
 * saves it with a reference (BWM-Q-2026-000123) and a validity. `input` is the form's FormData
 * (money typed in major units, empty person rows allowed) or a JSON object (money in minor units).
 */
export async function createQuote(
  db: TenantDb,
  tenant: QuoteTenant,
  args: {
    productSlug: string;
    input: unknown;
    frequency?: string | null;
    userId?: string | null;
    /** A renewal (app/modules/renewals): priced on its start date, with its own lines added (a no-claims discount). */
    renewal?: { ofPolicyId: string; startDate: string; extraPremium: unknown[] };
  },
): Promise<CreateQuoteResult> {
  const product = await findQuotableProduct(db, args.productSlug);
  if (!product) return { ok: false, code: "not_found", errors: { product: ["We could not find that product"] } };
  const settings = await storefrontSettings(db, tenant.id);
  const stored = product.rating as { premium?: unknown[] };
  const rating = parseRating(
    args.renewal?.extraPremium.length ? { ...stored, premium: [...(stored.premium ?? []), ...args.renewal.extraPremium] } : stored,
  );

  let input = args.input;
  let rows: Record<string, number[]> = {};
  if (isFormData(input)) {
    const personsFields = rating.inputs.flatMap((i) => (i.kind === "persons" ? [{ name: i.name, roles: i.roles }] : []));
    ({ data: input, rows } = formToRatingInput(input, personsFields));
  }

  const errors: FieldErrors = {};
  const offered = FREQUENCIES.filter((f) => rating.frequencies[f]);
  const frequency = (args.frequency || "annual") as Frequency;
  if (!offered.includes(frequency)) errors.frequency = [frequencyError(offered)];
  const quoteDate = args.renewal?.startDate ?? quoteDateIn(tenant.timeZone);
  const priced = priceQuote(rating, input, { currency: tenant.currency, locale: tenant.locale, quoteDate, levies: settings.levies });
  if (!priced.ok) Object.assign(errors, remapRowErrors(priced.errors, rows));
  if (!priced.ok || Object.keys(errors).length) return { ok: false, code: "invalid", errors };

  const { quote } = priced;
  const payable = quote.frequencies.find((f) => f.frequency === frequency)!;
  const breakdown: QuoteBreakdown = {
    quoteDate,
    lines: quote.lines,
    basePremium: quote.basePremium,
    levies: quote.levies,
    totalLevies: quote.totalLevies,
    total: quote.total,
    frequencies: quote.frequencies,
  };
  const reference = await nextNumber(db, tenant.numberPrefix, "quote", Number(quoteDate.slice(0, 4)));
  const row = await db
    .insertInto("quotes")
    .values({
      reference,
      product_id: product.id,
      user_id: args.userId ?? null,
      inputs: JSON.stringify(quote.input),
      breakdown: JSON.stringify(breakdown),
      frequency,
      premium_minor: quote.basePremium,
      total_minor: payable.annualEquivalent,
      currency: tenant.currency,
      renewal_of_policy_id: args.renewal?.ofPolicyId ?? null,
      // From the same clock as created_at, so the validity is exactly so many days.
      valid_until: sql<Date>`now() + make_interval(days => ${settings.quoteValidityDays})`,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // Popularity for the listing's sort.
  await db
    .updateTable("products")
    .set({ quote_count: sql`quote_count + 1` })
    .where("id", "=", product.id)
    .execute();
  return { ok: true, quote: (await getQuote(db, row.id))! };
}

function isFormData(value: unknown): value is FormData | URLSearchParams {
  return (
    (typeof FormData !== "undefined" && value instanceof FormData) ||
    (typeof URLSearchParams !== "undefined" && value instanceof URLSearchParams)
  );
}

/** The select every quote view starts from: the quote with its product, insurer and category. */
export function selectQuotes(db: TenantDb) {
  return (
    db
      .selectFrom("quotes")
      .innerJoin("products", "products.id", "quotes.product_id")
      .innerJoin("insurers", "insurers.id", "products.insurer_id")
      .innerJoin("categories", "categories.id", "products.category_id")
      .select([
        "quotes.id",
        "quotes.reference",
        "quotes.product_id",
        "quotes.user_id",
        "quotes.inputs",
        "quotes.breakdown",
        "quotes.frequency",
        "quotes.premium_minor",
        "quotes.total_minor",
        "quotes.currency",
        "quotes.valid_until",
        "quotes.created_at",
        "products.slug as product_slug",
        "products.name as product_name",
        "products.category_id",
        "insurers.name as insurer_name",
        "categories.name as category_name",
      ])
      // Still on sale: "change options" and "get a fresh quote" need a product the customer can buy.
      .select(sql<boolean>`products.active and insurers.active and categories.active`.as("product_active"))
      // The database's clock decides expiry, the same clock that set valid_until.
      .select(sql<boolean>`quotes.valid_until <= now()`.as("expired"))
  );
}

/** A saved quote with its product and insurer, or undefined (unknown id, or another tenant's). */
export async function getQuote(db: TenantDb, id: string): Promise<SavedQuote | undefined> {
  const row = await selectQuotes(db).where("quotes.id", "=", id).executeTakeFirst();
  return row ? toSavedQuote(row) : undefined;
}

/** `limit` of a person's saved quotes after `after` (newest first), for the API's cursor pages. */
export async function myQuotesAfter(
  db: TenantDb,
  userId: string,
  after: Position | undefined,
  limit: number,
): Promise<(SavedQuote & { cursorAt: string })[]> {
  let query = selectQuotes(db).select(exactTime("quotes.created_at").as("cursor_at")).where("quotes.user_id", "=", userId);
  if (after) query = query.where(olderThan("quotes.created_at", "quotes.id", after));
  const rows = await query.orderBy("quotes.created_at", "desc").orderBy("quotes.id", "desc").limit(limit).execute();
  return rows.map((r) => ({ ...toSavedQuote(r), cursorAt: r.cursor_at }));
}

type QuoteRow = {
  id: string;
  reference: string;
  product_id: string;
  user_id: string | null;
  inputs: unknown;
  breakdown: unknown;
  frequency: Frequency;
  premium_minor: number;
  total_minor: number;
  currency: string;
  valid_until: Date;
  created_at: Date;
  product_slug: string;
  product_name: string;
  product_active: boolean;
  category_id: string;
  insurer_name: string;
  category_name: string;
  expired: boolean;
};

export function toSavedQuote(row: QuoteRow): SavedQuote {
  const breakdown = row.breakdown as QuoteBreakdown;
  return {
    id: row.id,
    reference: row.reference,
    productId: row.product_id,
    productSlug: row.product_slug,
    productName: row.product_name,
    productActive: row.product_active,
    insurerName: row.insurer_name,
    categoryId: row.category_id,
    categoryName: row.category_name,
    userId: row.user_id,
    inputs: row.inputs as QuoteInput,
    breakdown,
    frequency: row.frequency,
    premium: row.premium_minor,
    total: row.total_minor,
    payable: breakdown.frequencies.find((f) => f.frequency === row.frequency) ?? breakdown.frequencies[0]!,
    currency: row.currency,
    validUntil: row.valid_until,
    createdAt: row.created_at,
    expired: row.expired,
  };
}

/** A fresh quote with the same inputs (an expired quote, or another payment frequency). */
export async function requote(
  db: TenantDb,
  tenant: QuoteTenant,
  quote: SavedQuote,
  options: { frequency?: string; userId?: string | null } = {},
): Promise<CreateQuoteResult> {
  return createQuote(db, tenant, {
    productSlug: quote.productSlug,
    input: quote.inputs,
    frequency: options.frequency ?? quote.frequency,
    userId: options.userId ?? quote.userId,
  });
}

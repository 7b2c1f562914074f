import { withPlatform, withTenant } from "~db/client";
import { catalogueSchema, type BundleDiscount } from "~/modules/catalogue/manifest";
import { seedCatalogue } from "~/modules/catalogue/seed.server";
import { addDays } from "~/modules/rating/dates";
import { ratingExamples, kenyaLevies } from "~/modules/rating/examples";
import { priceQuote, quoteDateIn } from "~/modules/rating";
import { createTenant, ownerDb } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { hostOf } from "./accounts-support";

/**
 * Shared steps for the quote, cart and quote-API tests (not a test file itself): a fresh agency
 * with a small catalogue built from the rating engine's examples, and its storefront rules.
 */

export const TODAY = () => quoteDateIn("Africa/Nairobi");
export const YEAR = () => Number(TODAY().slice(0, 4));

export const DEFAULT_BUNDLES: BundleDiscount[] = [
  { code: "two-categories", label: "Multi-cover discount (5%)", minItems: 2, minCategories: 2, percentBp: 500 },
  { code: "three-categories", label: "Complete cover discount (7.5%)", minItems: 3, minCategories: 3, percentBp: 750 },
];

export function buildCatalogue() {
  const today = TODAY();
  return catalogueSchema.parse({
    levies: kenyaLevies,
    categories: [
      { slug: "motor", name: "Motor" },
      { slug: "medical", name: "Medical" },
      { slug: "home", name: "Home" },
      { slug: "travel", name: "Travel" },
      { slug: "life", name: "Life" },
    ],
    insurers: [
      { slug: "savannah", name: "Savannah General", commissionRateBp: 1000 },
      { slug: "mlima", name: "Mlima Assurance", commissionRateBp: 1250 },
    ],
    products: [
      product("motor-comprehensive", "motor", "savannah", "Motor Comprehensive", ratingExamples.motorComprehensive, {
        vehicleValue: 150_000_000,
        yearOfManufacture: Number(today.slice(0, 4)) - 3,
        use: "private",
      }),
      product("family-medical", "medical", "mlima", "Family Medical", ratingExamples.medicalFamily, {
        inpatientLimit: "1m",
        persons: [{ role: "principal", age: 35 }],
      }),
      product("home-cover", "home", "savannah", "Home Cover", ratingExamples.home, { buildingValue: 1_000_000_000 }),
      product("travel-cover", "travel", "mlima", "Travel Cover", ratingExamples.travel, {
        departureDate: addDays(today, 10),
        returnDate: addDays(today, 16),
        zone: "africa",
      }),
      product("term-life", "life", "mlima", "Term Life", ratingExamples.termLife, {
        dateOfBirth: `${Number(today.slice(0, 4)) - 35}-01-15`,
        sumAssured: 500_000_000,
      }),
      { ...product("retired-cover", "home", "savannah", "Retired Cover", ratingExamples.home, {}), active: false },
    ],
  });
}

function product(slug: string, category: string, insurer: string, name: string, rating: unknown, sampleInput: Record<string, unknown>) {
  return { slug, category, insurer, name, summary: `${name} for testing`, rating, sampleInput };
}

export type StoreTenant = { id: string; slug: string; name: string; host: string };

/** A fresh agency (prefix TST, KES, Nairobi) with the test catalogue and storefront rules. */
export async function createStoreTenant(
  options: { bundleDiscounts?: BundleDiscount[]; quoteValidityDays?: number } = {},
): Promise<StoreTenant> {
  const tenant = await createTenant();
  const catalogue = buildCatalogue();
  await withTenant(tenant.id, (db) => seedCatalogue(db, catalogue, { currency: "KES", timeZone: "Africa/Nairobi" }));
  const settings = {
    levies: catalogue.levies,
    quoteValidityDays: options.quoteValidityDays ?? 30,
    bundleDiscounts: options.bundleDiscounts ?? DEFAULT_BUNDLES,
  };
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({ settings: JSON.stringify(settings) })
      .where("id", "=", tenant.id)
      .execute(),
  );
  return { ...tenant, host: hostOf(tenant) };
}

/** The tenant info createQuote needs, as requireTenant would give it. */
export function quoteTenant(tenant: { id: string }) {
  return { id: tenant.id, currency: "KES", locale: "en-KE", timeZone: "Africa/Nairobi", numberPrefix: "TST" };
}

/** What the engine says a product costs for these inputs: the expected figures, never re-derived by hand. */
export function expectedPrice(slug: string, input: unknown) {
  const entry = buildCatalogue().products.find((p) => p.slug === slug)!;
  const result = priceQuote(entry.rating, input, { currency: "KES", quoteDate: TODAY(), levies: kenyaLevies });
  if (!result.ok) throw new Error(`Fixture does not price: ${JSON.stringify(result.errors)}`);
  return result.quote;
}

/** Motor inputs as the form sends them (major units) and as JSON (minor units). */
export function motorForm(value = "1,500,000", extra: Record<string, string> = {}): Record<string, string> {
  return { vehicleValue: value, yearOfManufacture: String(YEAR() - 3), use: "private", ...extra };
}
export function motorJson(valueMinor = 150_000_000) {
  return { vehicleValue: valueMinor, yearOfManufacture: YEAR() - 3, use: "private" };
}

/** Posts the quote form and returns the new quote's id (the redirect's target). */
export async function quoteViaForm(browser: Browser, slug: string, fields: Record<string, string>): Promise<string> {
  const res = await browser.post(`/products/${slug}/quote`, fields);
  if (res.status !== 302) throw new Error(`Quote form answered ${res.status}: ${res.text.slice(0, 300)}`);
  return quoteIdFrom(res);
}

export function quoteIdFrom(res: HttpResponse): string {
  const match = /^\/quotes\/([0-9a-f-]{36})$/.exec(res.location ?? "");
  if (!match) throw new Error(`Not a quote redirect: ${res.status} ${res.location}`);
  return match[1]!;
}

export async function quoteRow(id: string) {
  return ownerDb().selectFrom("quotes").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function quoteCount(tenantId: string): Promise<number> {
  const row = await ownerDb()
    .selectFrom("quotes")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("tenant_id", "=", tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function expireQuote(id: string): Promise<void> {
  await ownerDb()
    .updateTable("quotes")
    .set({ valid_until: new Date(Date.now() - 60_000) })
    .where("id", "=", id)
    .execute();
}

export function postJson(browser: Browser, path: string, body: unknown, raw?: string) {
  return browser.send("POST", path, raw ?? JSON.stringify(body), { "content-type": "application/json" });
}

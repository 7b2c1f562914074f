import { withTenant } from "~db/client";
import { catalogueSchema, type Catalogue } from "~/modules/catalogue/manifest";
import { refreshReviewStats, seedCatalogue } from "~/modules/catalogue/seed.server";
import { addDays } from "~/modules/rating/dates";
import { home, kenyaLevies, medicalFamily, motorComprehensive, termLife, travel } from "~/modules/rating/examples";
import { quoteDateIn } from "~/modules/rating";
import { createTenant, createUser, ownerDb } from "../support/db";

/**
 * A small, fully known catalogue for the storefront tests (not a test file itself): 25 listed
 * products over five categories and three insurers, plus one inactive product and one product
 * of an inactive insurer that must never show. Expected answers are computed from the database
 * in the tests, never from the code under test.
 */
export const VISIBLE = 25;
export const INACTIVE_PRODUCT = "alpha-motor-retired";
export const HIDDEN_INSURER_PRODUCT = "delta-home-hidden";

type ProductInput = Record<string, unknown> & { slug: string; category: string; insurer: string; name: string; summary: string };

function product(p: ProductInput) {
  return {
    coverage: [],
    features: [],
    inclusions: [],
    exclusions: [],
    ...p,
  };
}

export function fixtureCatalogue(today: string): Catalogue {
  const motorValues = [1_000_000, 1_400_000, 1_800_000, 2_200_000, 2_600_000, 3_000_000, 3_400_000, 4_000_000];
  const motorInsurers = ["alpha", "alpha", "alpha", "beta", "beta", "beta", "gamma", "gamma"];
  const motorNames = ["Classic", "Saloon", "Family Car", "Executive", "Comfort", "Premier", "Value", "Assured"];
  const motor = motorValues.map((kes, i) =>
    product({
      slug: `${motorInsurers[i]}-motor-${i + 1}`,
      category: "motor",
      insurer: motorInsurers[i]!,
      name: `${motorNames[i]} Motor Cover`,
      summary: "Comprehensive cover for your private vehicle against accident, fire and theft.",
      description: "Own damage, fire and theft, and your liability to others on the road.",
      coverage: [
        { label: "Own damage", value: "Market value" },
        { label: "Third-party property", value: i % 2 ? "KES 5,000,000" : "KES 3,000,000" },
      ],
      features: ["Free road rescue", ...(i % 2 ? ["Courtesy car for 10 days"] : [])],
      inclusions: ["Accidental damage", "Fire and theft"],
      exclusions: ["Mechanical breakdown", ...(i === 0 ? ["Racing"] : [])],
      maxCover: 3_000_000_000,
      rating: motorComprehensive,
      sampleInput: { vehicleValue: kes * 100, yearOfManufacture: Number(today.slice(0, 4)) - 3, use: "private" },
      faqs: [
        { question: "Do I need a valuation?", answer: "Yes, within 14 days of cover starting." },
        { question: "Is windscreen cover included?", answer: "Up to KES 50,000 without excess." },
      ],
    }),
  );
  const medicalPeople = [
    [{ role: "principal", age: 30 }],
    [{ role: "principal", age: 45 }],
    [
      { role: "principal", age: 38 },
      { role: "spouse", age: 35 },
    ],
    [
      { role: "principal", age: 38 },
      { role: "spouse", age: 35 },
      { role: "child", age: 6 },
    ],
    [{ role: "principal", age: 55 }],
    [{ role: "principal", age: 25 }],
  ];
  const medicalNames = [
    "Family Health Plus",
    "Individual Health",
    "Couples Health",
    "Household Health",
    "Senior Health",
    "Young Adult Health",
  ];
  const medical = medicalPeople.map((persons, i) =>
    product({
      slug: `${i % 2 ? "beta" : "gamma"}-medical-${i + 1}`,
      category: "medical",
      insurer: i % 2 ? "beta" : "gamma",
      name: medicalNames[i]!,
      summary: i === 0 ? "Inpatient cover for your whole family." : "Inpatient cover with optional outpatient benefits.",
      description: i === 3 ? "Covers a family of up to eight people, with a 30-day waiting period for illness." : "Hospital cover.",
      waitingPeriodDays: 30,
      requiresUnderwriting: i === 4,
      rating: medicalFamily,
      sampleInput: { inpatientLimit: "1m", outpatient: false, persons },
    }),
  );
  const life = [500_000, 1_000_000, 2_000_000, 5_000_000].map((kes, i) =>
    product({
      slug: `alpha-life-${i + 1}`,
      category: "life",
      insurer: "alpha",
      name: `Term Life ${["Starter", "Standard", "Plus", "Max"][i]}`,
      summary: "A lump sum for your family if you die during the term.",
      rating: termLife,
      sampleInput: { dateOfBirth: `${Number(today.slice(0, 4)) - 35}-01-15`, sumAssured: kes * 100, smoker: false },
    }),
  );
  const homes = [2_000_000, 5_000_000, 8_000_000, 12_000_000].map((kes, i) =>
    product({
      slug: `gamma-home-${i + 1}`,
      category: "home",
      insurer: "gamma",
      name: `Home Cover ${["Basic", "Standard", "Plus", "Estate"][i]}`,
      summary: "Buildings and contents cover for your house.",
      rating: home,
      sampleInput: { buildingValue: kes * 100, contentsValue: 50_000_000, securityAlarm: false },
    }),
  );
  const trips = ["east_africa", "worldwide_excl_us", "worldwide"].map((zone, i) =>
    product({
      slug: `beta-travel-${i + 1}`,
      category: "travel",
      insurer: "beta",
      name: `Travel ${["Safari", "Explorer", "Globe"][i]}`,
      summary: "Medical emergencies, lost luggage and cancelled trips abroad.",
      rating: travel,
      sampleInput: { departureDate: addDays(today, 10), returnDate: addDays(today, 20), zone, travellers: 1 },
    }),
  );
  const hidden = [
    product({
      slug: INACTIVE_PRODUCT,
      category: "motor",
      insurer: "alpha",
      name: "Retired Motor Cover",
      summary: "An old vehicle product no longer sold.",
      active: false,
      rating: motorComprehensive,
      sampleInput: { vehicleValue: 150_000_000, yearOfManufacture: Number(today.slice(0, 4)) - 3, use: "private" },
    }),
    product({
      slug: HIDDEN_INSURER_PRODUCT,
      category: "home",
      insurer: "delta",
      name: "Delta Home Cover",
      summary: "Home cover from an insurer the agency no longer works with.",
      rating: home,
      sampleInput: { buildingValue: 300_000_000, contentsValue: 0, securityAlarm: false },
    }),
  ];
  return catalogueSchema.parse({
    levies: kenyaLevies,
    categories: [
      { slug: "motor", name: "Motor", order: 1, description: "Cars and vans." },
      { slug: "medical", name: "Medical", order: 2 },
      { slug: "life", name: "Life", order: 3 },
      { slug: "home", name: "Home", order: 4 },
      { slug: "travel", name: "Travel", order: 5 },
    ],
    insurers: [
      { slug: "alpha", name: "Alpha General Insurance", rating: 4.5, commissionRateBp: 1000 },
      { slug: "beta", name: "Beta Mutual Assurance", rating: 3.8, commissionRateBp: 1200 },
      { slug: "gamma", name: "Gamma Shield Insurance", commissionRateBp: 900 },
      { slug: "delta", name: "Delta Hidden Insurance", commissionRateBp: 900 },
    ],
    products: [...motor, ...medical, ...life, ...homes, ...trips, ...hidden],
  });
}

export interface Fixture {
  tenant: { id: string; slug: string; name: string };
  host: string;
  catalogue: Catalogue;
}

/** A fresh agency with the fixture catalogue, reviews, popularity and an inactive insurer. */
export async function catalogueTenant(name?: string): Promise<Fixture> {
  const tenant = await createTenant(name ? { name } : {});
  const today = quoteDateIn("Africa/Nairobi");
  const catalogue = fixtureCatalogue(today);
  await ownerDb()
    .updateTable("tenants")
    .set({ settings: JSON.stringify({ levies: catalogue.levies, quoteValidityDays: 30, bundleDiscounts: [] }) })
    .where("id", "=", tenant.id)
    .execute();
  const reviewers: { id: string }[] = [];
  for (const n of ["Amina Hassan", "Brian Otieno", "Carol Wanjiku"]) reviewers.push(await createUser(tenant.id, { name: n }));
  await withTenant(tenant.id, async (db) => {
    await seedCatalogue(db, catalogue, { currency: "KES", timeZone: "Africa/Nairobi" });
    const ids = new Map((await db.selectFrom("products").select(["id", "slug"]).execute()).map((p) => [p.slug, p.id]));
    // Ratings: beta-motor-4 has one 5; alpha-motor-1 averages 4.67 over three; gamma-medical-1 3.5 over two.
    const reviews: [string, number, number][] = [
      ["beta-motor-4", 0, 5],
      ["alpha-motor-1", 0, 5],
      ["alpha-motor-1", 1, 5],
      ["alpha-motor-1", 2, 4],
      ["gamma-medical-1", 0, 3],
      ["gamma-medical-1", 1, 4],
      [INACTIVE_PRODUCT, 0, 5],
    ];
    for (const [slug, who, rating] of reviews)
      await db
        .insertInto("reviews")
        .values({ product_id: ids.get(slug)!, user_id: reviewers[who]!.id, rating, title: `Review ${who + 1}`, body: "Good service." })
        .execute();
    for (const slug of new Set(reviews.map((r) => r[0]))) await refreshReviewStats(db, ids.get(slug)!);
    // Popularity: a clear order at the top, everything else 0.
    const popular: [string, number][] = [
      ["gamma-home-2", 50],
      ["beta-travel-1", 40],
      ["alpha-life-3", 30],
      [INACTIVE_PRODUCT, 100],
    ];
    for (const [slug, count] of popular) await db.updateTable("products").set({ quote_count: count }).where("slug", "=", slug).execute();
    await db.updateTable("insurers").set({ active: false }).where("slug", "=", "delta").execute();
  });
  return { tenant, host: `${tenant.slug}.localhost`, catalogue };
}

export interface ProductRow {
  slug: string;
  name: string;
  id: string;
  price: number;
  quotes: number;
  reviews: number;
  average: number | null;
  category: string;
  insurer: string;
}

/** What a customer may see, straight from the tables (the oracle the listing is checked against). */
export async function visibleProducts(tenantId: string): Promise<ProductRow[]> {
  const rows = await ownerDb()
    .selectFrom("products as p")
    .innerJoin("insurers as i", "i.id", "p.insurer_id")
    .innerJoin("categories as c", "c.id", "p.category_id")
    .where("p.tenant_id", "=", tenantId)
    .where("p.active", "=", true)
    .where("i.active", "=", true)
    .where("c.active", "=", true)
    .select([
      "p.slug",
      "p.name",
      "p.id",
      "p.starting_price_minor as price",
      "p.quote_count as quotes",
      "p.review_count as reviews",
      "p.review_average as average",
      "c.slug as category",
      "i.slug as insurer",
    ])
    .execute();
  return rows.map((r) => ({ ...r, average: r.average === null ? null : Number(r.average) }));
}

/** Product slugs in the order a page lists them. */
export function listedSlugs(html: string): string[] {
  return [...html.matchAll(/<article[^>]*class="product-card[^"]*"[^>]*data-product="([^"]+)"/g)].map((m) => m[1]!);
}

export const byName = (a: ProductRow, b: ProductRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1);

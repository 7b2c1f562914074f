/**
 * `npm run bench:storefront`: 50 agencies × 200 products, then the listing page and the quote API
 * over real HTTP with concurrent clients. Prints requests per second and p50/p95/p99 latency.
 *
 * The app runs as in production (built, NODE_ENV=production) in its own process; PostgreSQL is a
 * throwaway embedded cluster unless DATABASE_URL is set. Bounded: a fixed number of requests.
 */
import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import { catalogueSchema } from "~/modules/catalogue/manifest";
import { seedCatalogue } from "~/modules/catalogue/seed.server";
import {
  formatStatuses,
  freePort,
  load as runLoad,
  percentiles,
  pick,
  request,
  startApp,
  startDatabase,
  stopProcess,
  type LoadResult,
  type Req,
} from "./support";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 50);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);

async function main() {
  const database = await startDatabase();

  console.log(`Seeding ${TENANTS} agencies × ${PRODUCTS} products…`);
  const started = Date.now();
  const targets = await seedAgencies();
  console.log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const app = await startApp(port, { PAGE_CACHE_SECONDS: process.env.PAGE_CACHE_SECONDS ?? "10" });
  try {
    await warmUp(port, targets);
    const listingRequest = (): Req => {
      const t = pick(targets);
      const page = 1 + Math.floor(Math.random() * (PRODUCTS / 20));
      const sort = pick(["price_asc", "price_desc", "popular", "rating"]);
      return { host: t.host, method: "GET", path: `/products?page=${page}&sort=${sort}` };
    };
    // A visitor with any cookie always gets a freshly rendered page: this is the uncached cost.
    const rendered = await load(port, "listing (rendered)", () => ({ ...listingRequest(), cookie: "visitor=bench" }));
    // Anonymous visitors: served by the page micro-cache (PAGE_CACHE_SECONDS) after a first render.
    const listing = await load(port, "listing (anonymous)", listingRequest);
    const quotes = await load(port, "quote API", () => {
      const t = pick(targets);
      return { host: t.host, method: "POST", path: "/api/v1/quotes", body: JSON.stringify(pick(t.quotes)) };
    });
    console.log("\nResults");
    for (const r of [rendered, listing, quotes]) print(r);
  } finally {
    await stopProcess(app);
    await database.stop();
  }
}

interface Target {
  host: string;
  quotes: { product: string; frequency: string; inputs: Record<string, unknown> }[];
}

/** Each agency gets Bowman's catalogue, repeated with renamed products up to PRODUCTS. */
async function seedAgencies(): Promise<Target[]> {
  const template = catalogueSchema.parse(JSON.parse(await readFile("tenants/bowman/catalogue.json", "utf8")));
  const products = Array.from({ length: PRODUCTS }, (_, i) => {
    const base = template.products[i % template.products.length]!;
    return { ...base, slug: `${base.slug}-${i}`, name: `${base.name} ${i + 1}`, reviews: [], featured: i < 6 };
  });
  const catalogue = { ...template, products };
  const targets: Target[] = [];
  for (let t = 0; t < TENANTS; t++) {
    const slug = `bench${t}`;
    const tenant = await withPlatform(async (db) => {
      const existing = await db.selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirst();
      if (existing) return existing;
      return db
        .insertInto("tenants")
        .values({
          slug,
          name: `Bench Agency ${t}`,
          currency: "KES",
          locale: "en-KE",
          time_zone: "Africa/Nairobi",
          features: JSON.stringify({ marketplace: true, agentNetwork: false }),
          branding: JSON.stringify({
            colors: { primary: "#0b5d4b", primaryContrast: "#ffffff", accent: "#f2a900", surface: "#f4f8f6", text: "#17201c" },
          }),
          contact: JSON.stringify({}),
          settings: JSON.stringify({ levies: catalogue.levies, quoteValidityDays: 30, bundleDiscounts: catalogue.bundleDiscounts }),
          manifest: JSON.stringify({ numbering: { prefix: "BEN" } }),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
    });
    await withTenant(tenant.id, (db) => seedCatalogue(db, catalogue, { currency: "KES", timeZone: "Africa/Nairobi" }));
    targets.push({
      host: `${slug}.localhost`,
      quotes: products.slice(0, 40).map((p) => ({ product: p.slug, frequency: "annual", inputs: p.sampleInput })),
    });
  }
  await withPlatform((db) => sql`analyze`.execute(db));
  return targets;
}

async function warmUp(port: number, targets: Target[]) {
  for (const t of targets.slice(0, 5)) {
    await request(port, { host: t.host, method: "GET", path: "/products" });
    await request(port, { host: t.host, method: "POST", path: "/api/v1/quotes", body: JSON.stringify(t.quotes[0]) });
  }
}

function load(port: number, name: string, next: () => Req): Promise<LoadResult> {
  return runLoad(port, { name, requests: REQUESTS, concurrency: CONCURRENCY }, () => next());
}

function print(r: LoadResult) {
  const { p50, p95, p99 } = percentiles(r.latencies);
  console.log(
    `  ${r.name.padEnd(20)} ${r.requests} requests, ${r.concurrency} clients: ${(r.requests / r.seconds).toFixed(0)} req/s, ` +
      `p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, errors ${r.errors} (${formatStatuses(r.statuses)})`,
  );
}

await main();

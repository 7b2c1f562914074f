/**
 * `npm run bench:storefront`: 50 agencies × 200 products, then the listing page and the quote API
 * over real HTTP with concurrent clients. Prints requests per second and p50/p95/p99 latency.
 *
 * The app runs as in production (built, NODE_ENV=production) in its own process; PostgreSQL is a
 * throwaway embedded cluster unless DATABASE_URL is set. Bounded: a fixed number of requests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { closeDb, withPlatform, withTenant } from "~db/client";
import { startEmbeddedPostgres } from "~db/embedded";
import { migrate } from "~db/migrate";
import { seed } from "~db/seed";
import { env } from "~/lib/env.server";
import { catalogueSchema } from "~/modules/catalogue/manifest";
import { seedCatalogue } from "~/modules/catalogue/seed.server";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 50);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);

async function main() {
  let stopCluster: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  if (!process.env.DATABASE_URL) {
    dataDir = await mkdtemp(path.join(tmpdir(), "covera-bench-pg-"));
    const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    process.env.DATABASE_URL = cluster.url;
    stopCluster = cluster.stop;
  }
  const config = env();
  await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
  await seed();

  console.log(`Seeding ${TENANTS} agencies × ${PRODUCTS} products…`);
  const started = Date.now();
  const targets = await seedAgencies();
  console.log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const app = await startApp(port);
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
    app.kill("SIGTERM");
    await closeDb();
    await stopCluster?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
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

function startApp(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["build/server/app.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      APP_DATABASE_URL: env().APP_DATABASE_URL,
      PLATFORM_DATABASE_URL: env().PLATFORM_DATABASE_URL,
      SESSION_SECRET: "bench-session-secret-0123456789",
      PAGE_CACHE_SECONDS: process.env.PAGE_CACHE_SECONDS ?? "10",
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const probe = () =>
      request(port, { host: "localhost", method: "GET", path: "/healthz" })
        .then((r) => (r.status === 200 ? resolve(child) : retry()))
        .catch(retry);
    const retry = () => (Date.now() > deadline ? reject(new Error("app did not start")) : setTimeout(probe, 200));
    probe();
  });
}

interface Req {
  host: string;
  method: string;
  path: string;
  body?: string;
  cookie?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(port: number, req: Req): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: "127.0.0.1",
        port,
        method: req.method,
        path: req.path,
        agent,
        headers: {
          host: `${req.host}:${port}`,
          ...(req.body ? { "content-type": "application/json", "content-length": Buffer.byteLength(req.body) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    r.on("error", reject);
    if (req.body) r.write(req.body);
    r.end();
  });
}

async function warmUp(port: number, targets: Target[]) {
  for (const t of targets.slice(0, 5)) {
    await request(port, { host: t.host, method: "GET", path: "/products" });
    await request(port, { host: t.host, method: "POST", path: "/api/v1/quotes", body: JSON.stringify(t.quotes[0]) });
  }
}

interface Result {
  name: string;
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
  statuses: Map<number, number>;
}

async function load(port: number, name: string, next: () => Req): Promise<Result> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const client = async () => {
    while (issued < REQUESTS) {
      issued++;
      const t0 = performance.now();
      try {
        const { status } = await request(port, next());
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 400) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  return { name, requests: latencies.length, seconds: (performance.now() - started) / 1000, latencies, errors, statuses };
}

function print(r: Result) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  const statuses = [...r.statuses].map(([s, n]) => `${s}×${n}`).join(" ");
  console.log(
    `  ${r.name.padEnd(20)} ${r.requests} requests, ${CONCURRENCY} clients: ${(r.requests / r.seconds).toFixed(0)} req/s, ` +
      `p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms, errors ${r.errors} (${statuses})`,
  );
}

function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

await main();

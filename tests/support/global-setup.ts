import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GlobalSetupContext } from "vitest/node";
import { freePort, startThrowawayCluster } from "./clusters";
import { JobFailureRecorder } from "./job-failure-recorder";

/**
 * Once per `npm test`: a throwaway embedded PostgreSQL (or DATABASE_URL when set), migrated and
 * seeded; the built app served on a free port; the job worker running, without the crontab (no
 * job starts because of the time of day) and watched: the run fails on any failed job attempt
 * that no test declared (tests/support/job-failures.ts). Tests reach the app over real HTTP with
 * a Host header (tests/support/http.ts).
 */
export default async function setup({ provide }: GlobalSetupContext) {
  let stopCluster: (() => Promise<void>) | undefined;
  if (!process.env.DATABASE_URL) {
    const cluster = await startThrowawayCluster({ name: "test" });
    process.env.DATABASE_URL = cluster.url;
    stopCluster = cluster.stop;
  }
  process.env.NODE_ENV = "test";
  // The shared app serves the whole suite from 127.0.0.1 (hundreds of sign-ins, a fuzz test that
  // posts to every form): its rate limits are generous. tests/integration/rate-limits.test.ts runs
  // its own app instances with the production limits.
  process.env.RATE_LIMIT_MULTIPLIER ??= "1000";
  const { env } = await import("~/lib/env.server");
  const config = env();
  const { migrate } = await import("~db/migrate");
  await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
  const { seed } = await import("~db/seed");
  await seed();

  const { createApp, loadBuild } = await import("../../server/app");
  const build = await loadBuild();
  const port = await freePort();
  const server: Server = await new Promise((resolve) => {
    const s = createApp(build).listen(port, "127.0.0.1", () => resolve(s));
  });
  const { startWorker } = await import("../../server/worker");
  const { workerLogger } = await import("~db/migrate");
  const jobsDir = await mkdtemp(path.join(tmpdir(), "covera-test-jobs-"));
  const jobFailures = new JobFailureRecorder(path.join(jobsDir, "expected-failures.jsonl"));
  const worker = await startWorker({ concurrency: 2, cron: false, logger: jobFailures.logger(workerLogger) });
  jobFailures.watch(worker.runner.events);

  provide("databaseUrl", config.DATABASE_URL);
  provide("appPort", port);
  provide("jobFailureDeclarations", jobFailures.declarationsFile);

  return async () => {
    await worker.stop();
    await new Promise((resolve) => server.close(resolve));
    const { closeDb } = await import("~db/client");
    await closeDb();
    await stopCluster?.();
    const report = jobFailures.report();
    await rm(jobsDir, { recursive: true, force: true });
    // After the summary: vitest has counted the tests already, so the exit code says it. (A throw
    // here would do too, under a misleading "Startup Error" banner.)
    if (report) {
      console.error(report);
      process.exitCode = 1;
    }
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    appPort: number;
    jobFailureDeclarations: string;
  }
}

import { run, type Logger, type Runner, type Task, type TaskList } from "graphile-worker";
import { sql } from "kysely";
import pg from "pg";
import { closeDb, withPlatform } from "~db/client";
import { workerLogger } from "~db/migrate";
import { taskList as appTasks, crontab } from "~/jobs";
import { alertJobFailedForGood } from "~/modules/alerts/checks.server";
import { env } from "~/lib/env.server";
import { reportError, startErrorReporting } from "~/lib/error-reporting.server";
import { logger, runWithContext } from "~/lib/log.server";
import { jobDuration, jobRuns, jobsFailed, serveMetrics, setQueueReader, type QueueReadings } from "./metrics";
import { DEADLINE_MS, drainHttpServer, onShutdown } from "./shutdown";

export interface Worker {
  runner: Runner;
  /** Graceful: no new jobs, running ones finish (cut at `deadlineMs`), then the pool closes. */
  stop(deadlineMs?: number): Promise<void>;
}

/**
 * Starts the job worker. In development it runs inside the dev process; in production alone. The
 * test suite's runs without the crontab (`cron: false`), and with a logger that leaves failed
 * attempts to the suite's own report (docs/decisions/019-test-suite-jobs.md).
 */
export async function startWorker(
  options: { concurrency?: number; tasks?: TaskList; cron?: boolean; logger?: Logger } = {},
): Promise<Worker> {
  // Our pool rather than graphile-worker's own, so the queue metrics read through it too.
  const pgPool = new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: (options.concurrency ?? 4) + 2,
    application_name: "covera-worker",
  });
  // An idle or checked-out client that errors (a server restart) must not crash the process.
  const onError = (error: Error & { code?: string }) => {
    if (error.code !== "57P01") logger.error({ err: error }, "worker: database client error");
  };
  pgPool.on("error", onError);
  pgPool.on("connect", (client) => client.on("error", onError));
  const runner = await run({
    pgPool,
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: withJobContext(options.tasks ?? appTasks()),
    ...(options.tasks || options.cron === false ? { parsedCronItems: [] } : { crontab }),
    logger: options.logger ?? workerLogger,
  });
  observeJobs(runner);
  setQueueReader(() => readQueue(pgPool));
  return {
    runner,
    async stop(deadlineMs = DEADLINE_MS) {
      const cut = setTimeout(() => {
        logger.warn({ deadlineMs }, "worker: jobs still running at the deadline were failed, to be retried");
        void runner.kill();
      }, deadlineMs);
      setQueueReader(undefined);
      try {
        await runner.stop();
      } finally {
        clearTimeout(cut);
        await pgPool.end();
      }
    },
  };
}

/** Every line a job writes carries its job id, task and tenant (docs/decisions/013-observability.md). */
function withJobContext(tasks: TaskList): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([task, fn]) => [
      task,
      (payload: unknown, helpers: Parameters<Task>[1]) => {
        const tenantId = (payload as { tenantId?: unknown } | null)?.tenantId;
        return runWithContext({ jobId: helpers.job.id, task, tenantId: typeof tenantId === "string" ? tenantId : undefined }, () =>
          fn!(payload, helpers),
        );
      },
    ]),
  );
}

function observeJobs(runner: Runner): void {
  runner.events.on("job:success", ({ job }) => jobRuns.inc({ task: job.task_identifier, outcome: "success" }));
  runner.events.on("job:error", ({ job, error }) => {
    jobRuns.inc({ task: job.task_identifier, outcome: "error" });
    const tenantId = (job.payload as { tenantId?: unknown } | null)?.tenantId;
    reportError(error, {
      task: job.task_identifier,
      job_id: job.id,
      tenant_id: typeof tenantId === "string" ? tenantId : undefined,
      attempt: String(job.attempts),
    });
  });
  runner.events.on("job:failed", ({ job, error }) => {
    jobsFailed.inc({ task: job.task_identifier });
    // Failed for good: the tenant's admins (or, without a tenant, operators) hear of it once (decision 043).
    alertJobFailedForGood(job, error).catch((err: unknown) => logger.error({ err, job_id: job.id }, "worker: could not raise the alert"));
  });
  const started = new Map<string, number>();
  runner.events.on("job:start", ({ job }) => started.set(job.id, performance.now()));
  runner.events.on("job:complete", ({ job }) => {
    const at = started.get(job.id);
    started.delete(job.id);
    if (at !== undefined) jobDuration.observe({ task: job.task_identifier }, (performance.now() - at) / 1000);
  });
}

/**
 * The queue per task and state, from graphile-worker's `jobs` view (the owner's connection: the
 * runtime roles cannot see it), and the webhook backlog across agencies (the platform role: the
 * owner is bound by row-level security like everyone else).
 */
async function readQueue(pool: pg.Pool): Promise<QueueReadings> {
  const jobs = await pool.query<{ task: string; state: string; count: number }>(`
    select task_identifier as task,
           case when attempts >= max_attempts then 'failed'
                when locked_at is not null then 'running'
                when attempts > 0 then 'retrying'
                when run_at > now() then 'scheduled'
                else 'ready' end as state,
           count(*)::int as count
      from graphile_worker.jobs
     group by 1, 2`);
  const webhookBacklog = await withPlatform((db) =>
    db
      .selectFrom("provider_events")
      .select([
        "provider",
        sql<number>`count(*)::int`.as("count"),
        sql<number>`extract(epoch from now() - min(received_at))::float8`.as("oldestSeconds"),
      ])
      .where("processed_at", "is", null)
      .groupBy("provider")
      .execute(),
  );
  return { jobs: jobs.rows, webhookBacklog };
}

// `npm run worker`: the production process group.
if (import.meta.url === `file://${process.argv[1]}`) {
  await startErrorReporting("worker");
  const worker = await startWorker();
  const { METRICS_PORT } = env();
  const metrics = METRICS_PORT ? await serveMetrics(METRICS_PORT) : undefined;
  logger.info("Covera worker started");
  onShutdown("worker", async () => {
    await worker.stop();
    if (metrics) await drainHttpServer(metrics, 1000);
    await closeDb();
  });
}

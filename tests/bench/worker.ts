/**
 * The job worker as `npm run worker` runs it (same tasks, same code), limited to the tasks named
 * in BENCH_WORKER_TASKS (comma-separated; all when empty) and without the crontab, so a benchmark
 * can time one stage of the pipeline at a time. Jobs for other tasks stay queued. Started by the
 * benchmarks in its own process (tests/bench/support.ts startBenchWorker); SIGTERM stops it.
 */
import { run, type TaskList } from "graphile-worker";
import { workerLogger } from "~db/migrate";
import { taskList } from "~/jobs";
import { env } from "~/lib/env.server";

const all = taskList();
const names = (process.env.BENCH_WORKER_TASKS ?? "").split(",").filter(Boolean);
for (const name of names) if (!all[name]) throw new Error(`No task ${name}; the tasks are ${Object.keys(all).join(", ")}`);
const tasks: TaskList = names.length ? Object.fromEntries(names.map((n) => [n, all[n]!])) : all;

const runner = await run({
  connectionString: env().DATABASE_URL,
  concurrency: Number(process.env.BENCH_WORKER_CONCURRENCY ?? 4),
  noHandleSignals: true,
  pollInterval: 1000,
  taskList: tasks,
  logger: workerLogger,
});
process.send?.("ready");
const stop = async () => {
  await runner.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

import { run, type Runner } from "graphile-worker";
import { taskList, crontab } from "~/jobs";
import { env } from "~/lib/env.server";
import { workerLogger } from "~db/migrate";

/** Starts the job worker. In development it runs inside the dev process; in production alone. */
export async function startWorker(options: { concurrency?: number } = {}): Promise<Runner> {
  return run({
    connectionString: env().DATABASE_URL,
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: taskList(),
    crontab,
    logger: workerLogger,
  });
}

// `npm run worker`: the production process group.
if (import.meta.url === `file://${process.argv[1]}`) {
  const runner = await startWorker();
  console.log("Covera worker started");
  const stop = async () => {
    await runner.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

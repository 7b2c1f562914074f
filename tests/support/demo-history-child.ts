/**
 * The demo history test's helper process (`node --import tsx tests/support/demo-history-child.ts`),
 * against the fresh cluster in DATABASE_URL: a process of its own because env() and the pools are
 * per process. It does what a newcomer's first `npm run dev` does, then a restart, then serves the
 * built app on that database for the test to look at:
 *
 *   migrate, seed, seed the history; run every queued job, as the dev worker would (documents,
 *   emails); count every demo tenant's rows; migrate, seed and seed the history again (a restart);
 *   count again; serve the app and print `READY <json>`, then wait to be stopped.
 */
import type { Server } from "node:http";
import { runOnce } from "graphile-worker";
import pg from "pg";
import { workerLogger } from "~db/migrate";
import { migrate } from "~db/migrate";
import { seedDemoHistory } from "~db/demo-history";
import { seed } from "~db/seed";
import { taskList } from "~/jobs";
import { env } from "~/lib/env.server";
import { freePort } from "./clusters";

const config = env();

async function start() {
  await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
  await seed();
  return seedDemoHistory();
}

/** Rows per table of the demo tenants, over every table with a tenant_id (as the owner). */
async function counts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
       where c.table_schema = 'public' and c.column_name = 'tenant_id' order by 1`,
    );
    const result: Record<string, number> = {};
    for (const { table_name } of tables.rows) {
      const row = await client.query<{ n: number }>(
        `select count(*)::int as n from "${table_name}" where tenant_id in (select id from tenants where slug in ('bowman', 'khholdings'))`,
      );
      result[table_name] = row.rows[0]!.n;
    }
    const jobs = await client.query<{ n: number }>("select count(*)::int as n from graphile_worker.jobs");
    result["graphile_worker.jobs"] = jobs.rows[0]!.n;
    return result;
  } finally {
    await client.end();
  }
}

/** Jobs that failed while the queue was drained (their last error), if any. */
async function failedJobs(): Promise<string[]> {
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  try {
    const rows = await client.query<{ task: string; error: string }>(
      "select task_identifier as task, last_error as error from graphile_worker.jobs where last_error is not null",
    );
    return rows.rows.map((r) => `${r.task}: ${r.error}`);
  } finally {
    await client.end();
  }
}

const first = await start();
await runOnce({ connectionString: config.DATABASE_URL, concurrency: 2, noHandleSignals: true, taskList: taskList(), logger: workerLogger });
const before = await counts();
const failures = await failedJobs();
const again = await start();
const after = await counts();

const { createApp, loadBuild } = await import("../../server/app");
const build = await loadBuild();
const port = await freePort();
const server: Server = await new Promise((resolve) => {
  const s = createApp(build).listen(port, "127.0.0.1", () => resolve(s));
});
console.log(`READY ${JSON.stringify({ port, first, again, before, after, failures })}`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));

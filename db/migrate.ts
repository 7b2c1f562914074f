import { Logger, runMigrations as runWorkerMigrations, type Job } from "graphile-worker";
import { Kysely, Migrator, PostgresDialect, sql, type MigrationProvider } from "kysely";
import pg from "pg";
import { logger } from "~/lib/log.server";
import { migrations } from "../migrations";

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings a database up to date: our migrations, graphile-worker's schema, then the two runtime
 * roles and their grants. Runs as the owner (DATABASE_URL). Safe to run again and again.
 */
export async function migrate(ownerUrl: string, roles: { appUrl: string; platformUrl: string }): Promise<string[]> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ownerUrl, max: 2 }) }) });
  try {
    const migrator = new Migrator({
      db,
      provider,
      migrationTableName: "schema_migrations",
      migrationLockTableName: "schema_migrations_lock",
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed) {
      throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    await runWorkerMigrations({ connectionString: ownerUrl, logger: workerLogger });
    await ensureRuntimeRoles(db, roles);
    return (results ?? []).map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}

/**
 * The app runs as `covera_app`: not superuser, not BYPASSRLS, not the owner of any table, so
 * row-level security always applies. Operator code runs as `covera_platform` (BYPASSRLS), through
 * `withPlatform` only. Role names and passwords come from the two connection URLs.
 */
async function ensureRuntimeRoles(db: Kysely<unknown>, roles: { appUrl: string; platformUrl: string }) {
  const app = new URL(roles.appUrl);
  const platform = new URL(roles.platformUrl);
  for (const [url, bypass] of [
    [app, false],
    [platform, true],
  ] as const) {
    const name = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    const attrs = `login nosuperuser nocreatedb nocreaterole ${bypass ? "bypassrls" : "nobypassrls"}`;
    const found = await sql<{ n: number }>`select count(*)::int as n from pg_roles where rolname = ${name}`.execute(db);
    const verb = found.rows[0]?.n ? "alter" : "create";
    await sql.raw(`${verb} role ${ident(name)} ${attrs} password ${literal(password)}`).execute(db);
    const role = sql.raw(ident(name));
    await sql`grant usage on schema public to ${role}`.execute(db);
    await sql`grant select, insert, update, delete on all tables in schema public to ${role}`.execute(db);
    await sql`grant usage, select on all sequences in schema public to ${role}`.execute(db);
    // Jobs are queued through enqueue_job only; the worker's own tables stay the migrator's.
    await sql`grant execute on function enqueue_job(text, json, timestamptz, int, text) to ${role}`.execute(db);
  }
  // The runtime role reads tenants (host resolution) but changes them only through the platform.
  await sql`revoke insert, update, delete on tenants, platform_operators, platform_operator_password_history, platform_sessions, platform_audit_log, platform_operator_two_factor, platform_operator_recovery_codes, platform_settings from ${sql.raw(ident(decodeURIComponent(app.username)))}`.execute(
    db,
  );
  await sql`revoke select on platform_operators, platform_operator_password_history, platform_sessions, platform_audit_log, platform_operator_two_factor, platform_operator_recovery_codes, platform_settings from ${sql.raw(ident(decodeURIComponent(app.username)))}`.execute(
    db,
  );
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe role name: ${name}`);
  return `"${name}"`;
}
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * graphile-worker's own messages through our logger: its chatter at debug, its warnings and errors
 * as they are, and each job's end as one line with the job id, task and tenant (a job's own lines
 * carry them through the log context, see server/worker.ts).
 */
export const workerLogger = new Logger(() => (level, message, meta) => {
  // PostgreSQL closing connections as it shuts down (57P01) is expected when the database stops first.
  if (/terminating connection due to administrator command/.test(message)) return;
  const job = (meta as { job?: Job } | undefined)?.job;
  if (job && (meta?.success || meta?.failure)) {
    const fields = {
      jobId: job.id,
      task: job.task_identifier,
      tenantId: (job.payload as { tenantId?: unknown } | null)?.tenantId,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      durationMs: Math.round(Number(meta.duration) * 10) / 10,
    };
    if (meta.success) logger.info(fields, "job done");
    else logger[job.attempts >= job.max_attempts ? "error" : "warn"]({ ...fields, err: meta.error }, "job failed");
    return;
  }
  const to = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" ? "debug" : "trace";
  logger[to]({ component: "graphile-worker" }, message);
});

import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/log.server";
import type { Database } from "./schema";

// Money and counters are bigint columns; below 2^53 they are exact as JS numbers (docs/architecture.md §3).
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
// Calendar dates stay "YYYY-MM-DD" strings: a Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** A handle that can only have come from `withTenant`: every query on it is scoped by RLS. */
export type TenantDb = Transaction<Database> & { readonly __scope: "tenant" };
/** A handle from `withPlatform`: operator code that reads across tenants, on purpose. */
export type PlatformDb = Transaction<Database> & { readonly __scope: "platform" };

function makeDb(connectionString: string, max: number, applicationName: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max, application_name: applicationName });
  // An idle client that errors (server restart) must not crash the process; the pool replaces
  // it. A server shutting down (57P01) is expected when the database stops first.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") logger.error({ pool: applicationName, err: error }, "database: idle client error");
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

// One set of pools per process, even when this module is loaded twice (the Remix server bundle
// carries its own copy next to the worker's and the tests'): closeDb then closes them all.
const pools = ((globalThis as Record<symbol, unknown>)[Symbol.for("covera.db")] ??= {}) as {
  app?: Kysely<Database>;
  platform?: Kysely<Database>;
};

/**
 * The runtime role's pool, for code that has no tenant yet: host resolution reads `tenants` and
 * `tenant_domains` (both readable without a tenant) and the health check. Tenant-owned tables
 * read through it return nothing, by row-level security.
 */
export function runtimeDb(): Kysely<Database> {
  pools.app ??= makeDb(env().APP_DATABASE_URL, 10, "covera-app");
  return pools.app;
}

function platformPool(): Kysely<Database> {
  pools.platform ??= makeDb(env().PLATFORM_DATABASE_URL, 4, "covera-platform");
  return pools.platform;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one way into tenant data: a transaction whose first statement sets `app.tenant_id` for that
 * transaction only (never the session: pooled connections would carry it to the next request).
 * BEGIN and the setting travel as one message (a validated uuid, so safe to inline): a page's
 * transactions are a round trip shorter, which PostgreSQL and the app both feel under load.
 */
export async function withTenant<T>(tenantId: string, work: (db: TenantDb) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error("withTenant needs a tenant id");
  return runtimeDb()
    .connection()
    .execute(async (connection) => {
      let result: T;
      try {
        await sql.raw(`begin; select set_config('app.tenant_id', '${tenantId}', true)`).execute(connection);
        result = await work(connection as unknown as TenantDb);
      } catch (error) {
        // On a broken connection the rollback fails too; the original error is the one to report.
        await sql
          .raw("rollback")
          .execute(connection)
          .catch(() => {});
        throw error;
      }
      await sql.raw("commit").execute(connection);
      return result;
    });
}

/** Platform-operator code: runs as the platform role, which sees every tenant. Keep it rare. */
export async function withPlatform<T>(work: (db: PlatformDb) => Promise<T>): Promise<T> {
  return platformPool()
    .transaction()
    .execute(async (trx) => work(trx as PlatformDb));
}

export async function closeDb(): Promise<void> {
  const { app, platform } = pools;
  pools.app = undefined;
  pools.platform = undefined;
  await Promise.all([app?.destroy(), platform?.destroy()]);
}

/**
 * Operator code acting for one tenant inside its own platform transaction (onboarding writes the
 * tenant and invites its first admin atomically): sets `app.tenant_id` for that transaction so
 * tenant-owned inserts get the right tenant from the column default.
 */
export async function actAsTenant(db: PlatformDb, tenantId: string): Promise<TenantDb> {
  await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(db);
  return db as unknown as TenantDb;
}

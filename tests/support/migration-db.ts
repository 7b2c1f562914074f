import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrations } from "../../migrations";
import { ownerDb } from "./db";

/** The schema of an older migration: today's types do not describe it. */
export type OldSchema = Record<string, Record<string, unknown>>;

/**
 * Databases of their own for migration tests: each is migrated up to an older migration, written
 * the old way, then migrated on; `dropAll` removes them after the file's tests.
 */
export function migrationDatabases(prefix: string) {
  const names: string[] = [];

  async function databaseAt(migration: string) {
    const name = `${prefix}_${process.pid}_${names.length}_${Date.now().toString(36)}`;
    await sql`create database ${sql.id(name)}`.execute(ownerDb());
    names.push(name);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const db = new Kysely<OldSchema>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }) });
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      migrationTableName: "schema_migrations",
      migrationLockTableName: "schema_migrations_lock",
    });
    const { error } = await migrator.migrateTo(migration);
    if (error) throw error;
    return { db, migrator };
  }

  async function dropAll() {
    for (const name of names) await sql`drop database if exists ${sql.id(name)} with (force)`.execute(ownerDb());
  }

  return { databaseAt, dropAll };
}

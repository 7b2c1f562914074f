import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeDb, withTenant } from "~db/client";
import type { Database } from "~db/schema";
import { env } from "~/lib/env.server";
import { createTenant, createUser, ownerDb } from "../support/db";

/**
 * docs/architecture.md §2, proved against the real database: tenant data is reachable only through
 * withTenant, and only the current tenant's rows.
 */

// Tables that hold no tenant's data, listed on purpose: a new table with a tenant_id column is
// caught by the catalogue test below; a new table without one must be added here, knowingly.
const PLATFORM_TABLES = [
  "tenants",
  "platform_operators",
  "platform_operator_password_history",
  "platform_sessions",
  "platform_audit_log",
  "platform_sign_in_failures",
  // Operators' two-factor sign-in and the platform's settings (decision 033).
  "platform_operator_two_factor",
  "platform_operator_recovery_codes",
  "platform_settings",
  // Platform-wide alerts for operators; the tenant they concern is `about_tenant` (decision 036).
  "platform_alerts",
  // Rate-limit counts: keyed by a keyed hash of (tenant or platform, client), no tenant's data (decision 012).
  "rate_limit_buckets",
  "schema_migrations",
  "schema_migrations_lock",
];

let a: { id: string };
let b: { id: string };
let userA: { id: string; email: string };
let userB: { id: string; email: string };

beforeAll(async () => {
  a = await createTenant();
  b = await createTenant();
  userA = await createUser(a.id, { email: "same@example.com" });
  userB = await createUser(b.id, { email: "same@example.com" });
});

describe("the runtime role", () => {
  it("is not superuser, not BYPASSRLS, and owns no table", async () => {
    const role = new URL(env().APP_DATABASE_URL).username;
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; current_user: string }>`
      select rolsuper, rolbypassrls, current_user from pg_roles where rolname = current_user
    `.execute(runtimeDb());
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, current_user: role });
    const owned = await sql<{ n: number }>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and pg_get_userbyid(c.relowner) = ${role}
    `.execute(ownerDb());
    expect(owned.rows[0]!.n).toBe(0);
  });
});

describe("row-level security", () => {
  it("shows zero rows when no tenant is set", async () => {
    const db = runtimeDb();
    for (const table of ["users", "user_roles", "password_history", "sessions", "auth_tokens", "messages", "audit_log"] as const) {
      const rows = await db.selectFrom(table).selectAll().execute();
      expect(rows, table).toEqual([]);
    }
  });

  it("shows a tenant only its own rows, and the same email can exist in both", async () => {
    const seenByA = await withTenant(a.id, (db) => db.selectFrom("users").select(["id", "email"]).execute());
    expect(seenByA).toEqual([{ id: userA.id, email: "same@example.com" }]);
    const seenByB = await withTenant(b.id, (db) => db.selectFrom("users").select("id").execute());
    expect(seenByB.map((u) => u.id)).toEqual([userB.id]);
  });

  it("looking up another tenant's id finds nothing", async () => {
    const found = await withTenant(a.id, (db) => db.selectFrom("users").selectAll().where("id", "=", userB.id).executeTakeFirst());
    expect(found).toBeUndefined();
  });

  it("refuses to write a row for another tenant", async () => {
    await expect(
      withTenant(a.id, (db) =>
        db.insertInto("users").values({ tenant_id: b.id, email: "intruder@example.com", name: "Intruder" }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("cannot update or delete another tenant's rows", async () => {
    const updated = await withTenant(a.id, (db) =>
      db.updateTable("users").set({ name: "Hijacked" }).where("id", "=", userB.id).executeTakeFirst(),
    );
    expect(updated.numUpdatedRows).toBe(0n);
    const deleted = await withTenant(a.id, (db) => db.deleteFrom("user_roles").where("user_id", "=", userB.id).executeTakeFirst());
    expect(deleted.numDeletedRows).toBe(0n);
    const still = await ownerDb().selectFrom("users").select("name").where("id", "=", userB.id).executeTakeFirstOrThrow();
    expect(still.name).not.toBe("Hijacked");
  });

  it("rejects a foreign key that points at another tenant's row", async () => {
    // Even the owner, who is not subject to RLS, cannot make a cross-tenant reference.
    await expect(
      ownerDb().insertInto("user_roles").values({ tenant_id: a.id, user_id: userB.id, role: "admin" }).execute(),
    ).rejects.toThrow(/foreign key/);
  });

  it("does not leak the tenant setting to the next transaction on a pooled connection", async () => {
    await withTenant(a.id, async () => undefined);
    const { rows } = await sql<{ t: string | null }>`select nullif(current_setting('app.tenant_id', true), '') as t`.execute(runtimeDb());
    expect(rows[0]!.t).toBeNull();
  });

  it("keeps the audit log append-only", async () => {
    await withTenant(a.id, (db) => db.insertInto("audit_log").values({ action: "test.entry", details: "{}" }).execute());
    await expect(withTenant(a.id, (db) => db.updateTable("audit_log").set({ action: "tampered" }).execute())).rejects.toThrow(
      /append-only/,
    );
    await expect(withTenant(a.id, (db) => db.deleteFrom("audit_log").execute())).rejects.toThrow(/append-only/);
  });
});

describe("the catalogue", () => {
  it("gives every table with tenant_id forced RLS, a policy, a tenant-led key and tenant-including foreign keys", async () => {
    const { problems, tenantTables } = await catalogueProblems(ownerDb());
    expect(problems).toEqual([]);
    // The check must have looked at real tenant tables, or it proves nothing.
    expect(tenantTables).toBeGreaterThanOrEqual(8);
  });

  it("catches a table added later without isolation", async () => {
    // Inside a transaction that is rolled back: the check must name every missing piece.
    await ownerDb()
      .transaction()
      .execute(async (trx) => {
        await sql`create table careless (tenant_id uuid not null, id uuid primary key, user_id uuid)`.execute(trx);
        await sql`alter table careless add foreign key (tenant_id, user_id) references users (tenant_id, id)`.execute(trx);
        await sql`create table probe_parent (tenant_id uuid not null, id uuid unique, primary key (tenant_id, id))`.execute(trx);
        await sql`create table probe_child (tenant_id uuid not null, id uuid, parent_id uuid references probe_parent (id), primary key (tenant_id, id))`.execute(
          trx,
        );
        await sql`create table unlisted (id uuid primary key)`.execute(trx);
        const { problems } = await catalogueProblems(trx);
        expect(problems).toEqual(
          expect.arrayContaining([
            "careless: row-level security not enabled and forced",
            "careless: no policy on current_tenant_id()",
            "careless: primary key does not start with tenant_id",
            "unlisted: no tenant_id and not listed as a platform table",
            "probe_child.probe_child_parent_id_fkey: foreign key to a tenant table without tenant_id",
          ]),
        );
        throw new Rollback();
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
  });
});

class Rollback extends Error {}

async function catalogueProblems(db: Kysely<Database>): Promise<{ problems: string[]; tenantTables: number }> {
  const tables = await sql<{ table: string; has_tenant: boolean; rls: boolean; forced: boolean }>`
    select c.relname as table,
           exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant,
           c.relrowsecurity as rls, c.relforcerowsecurity as forced
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
  `.execute(db);
  const problems: string[] = [];
  for (const t of tables.rows) {
    if (!t.has_tenant) {
      if (!PLATFORM_TABLES.includes(t.table)) problems.push(`${t.table}: no tenant_id and not listed as a platform table`);
      continue;
    }
    if (!t.rls || !t.forced) problems.push(`${t.table}: row-level security not enabled and forced`);
    const policies = await sql<{ qual: string | null }>`
      select pg_get_expr(p.polqual, p.polrelid) as qual from pg_policy p where p.polrelid = ${t.table}::regclass
    `.execute(db);
    if (!policies.rows.some((p) => p.qual?.includes("current_tenant_id()"))) problems.push(`${t.table}: no policy on current_tenant_id()`);
    const pk = await sql<{ first: string }>`
      select a.attname as first from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.conrelid = ${t.table}::regclass and c.contype = 'p'
    `.execute(db);
    if (pk.rows[0]?.first !== "tenant_id") problems.push(`${t.table}: primary key does not start with tenant_id`);
    const fks = await sql<{ name: string; cols: string[]; target_has_tenant: boolean }>`
      select c.conname as name,
             array(select a.attname from unnest(c.conkey) k join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k) as cols,
             exists (select 1 from pg_attribute a where a.attrelid = c.confrelid and a.attname = 'tenant_id') as target_has_tenant
      from pg_constraint c where c.conrelid = ${t.table}::regclass and c.contype = 'f'
    `.execute(db);
    for (const fk of fks.rows) {
      if (fk.target_has_tenant && !fk.cols.includes("tenant_id"))
        problems.push(`${t.table}.${fk.name}: foreign key to a tenant table without tenant_id`);
    }
  }
  return { problems, tenantTables: tables.rows.filter((t) => t.has_tenant).length };
}

afterAll(async () => {
  await ownerDb().destroy();
});

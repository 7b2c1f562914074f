import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpDatabase, exportTenant, importTenant, pgTool, restoreDatabase } from "~db/backup";
import { migrate } from "~db/migrate";
import { roleUrl } from "~/lib/env.server";
import { runTsxChild } from "../support/child";
import { startClusterForClient, startThrowawayCluster } from "../support/clusters";
import { createUser } from "../support/db";
import { insertPolicy } from "./customer-policies-fixtures";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

/**
 * Backups are only as good as their restore: each test restores into a fresh cluster and looks
 * for everything, through the app's own roles. See docs/runbooks/backup-and-restore.md.
 */

type Read = {
  user: string[];
  policies: { id: string; policy_number: string | null; certificate_file_key: string | null }[];
  receipts: string[];
  beneficiaries: string[];
  products: number;
  tenants: string[];
};

let agency: StoreTenant;
let other: StoreTenant;
let dir: string;
let archive: string;
let before: Read;

const suiteUrl = () => process.env.DATABASE_URL!;
const roles = (url: string) => ({ appUrl: roleUrl(url, "covera_app"), platformUrl: roleUrl(url, "covera_platform") });

function childEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, NODE_ENV: "test" };
  delete env.APP_DATABASE_URL;
  delete env.PLATFORM_DATABASE_URL;
  return env;
}
const read = (url: string, tenantId: string) => runTsxChild<Read>("tests/support/restore-child.ts", ["read", tenantId], childEnv(url));

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Rows per table for one tenant, over every table that has a tenant_id column (as superuser). */
async function tenantRowCounts(url: string, tenantId: string): Promise<Record<string, number>> {
  const tables = await query<{ table_name: string }>(
    url,
    `select c.table_name from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = 'public' and c.column_name = 'tenant_id' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await query<{ n: number }>(url, `select count(*)::int as n from "${table_name}" where tenant_id = $1`, [tenantId]);
    if (row!.n) counts[table_name] = row!.n;
  }
  return counts;
}

/** Rows per table of the whole database: ours and graphile-worker's. */
async function allRowCounts(url: string): Promise<Record<string, number>> {
  const tables = await query<{ name: string }>(
    url,
    `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'graphile_worker') order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = (await query<{ n: number }>(url, `select count(*)::int as n from ${name}`))[0]!.n;
  return counts;
}

beforeAll(async () => {
  [agency, other] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  const [alice, carol] = await Promise.all([
    createUser(agency.id, { name: "Alice Account" }),
    createUser(other.id, { name: "Carol Account" }),
  ]);
  await insertPolicy(agency.id, alice.id, {
    beneficiaries: [
      { name: "Amani Wanjiru", relationship: "child", shareBp: 6000 },
      { name: "Baraka Wanjiru", relationship: "child", shareBp: 4000 },
    ],
    instalments: ["paid", "scheduled", "scheduled"],
  });
  await insertPolicy(agency.id, alice.id, { productSlug: "travel-cover" });
  await insertPolicy(other.id, carol.id);
  dir = await mkdtemp(path.join(tmpdir(), "covera-backup-test-"));
  archive = path.join(dir, `${agency.slug}.jsonl.gz`);
  await exportTenant(suiteUrl(), agency.slug, archive);
  before = await read(suiteUrl(), agency.id);
  expect(before.policies).toHaveLength(2);
  expect(before.beneficiaries).toEqual(["Amani Wanjiru", "Baraka Wanjiru"]);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("one tenant's backup", () => {
  it(
    "restores into a fresh cluster at the same schema version: every row, read under RLS, and no other tenant",
    { timeout: 180_000 },
    async () => {
      const target = await startThrowawayCluster({ name: "restore-tenant" });
      try {
        await migrate(target.url, roles(target.url));

        // Another schema version is refused, and nothing is written.
        await query(target.url, "insert into schema_migrations (name, timestamp) values ('2099-01-01-0001-later', now())");
        await expect(importTenant(target.url, archive)).rejects.toThrow(/Schema versions differ/);
        expect(await query(target.url, "select id from tenants")).toEqual([]);
        await query(target.url, "delete from schema_migrations where name = '2099-01-01-0001-later'");

        const restored = await importTenant(target.url, archive);
        const expected = await tenantRowCounts(suiteUrl(), agency.id);
        expect(expected.policies).toBe(2);
        expect(await tenantRowCounts(target.url, agency.id)).toEqual(expected);
        expect(restored.counts).toEqual({ tenants: 1, ...expected });
        expect(await tenantRowCounts(target.url, other.id)).toEqual({});
        // References deferred for the restore are immediate again, as the migrations made them.
        expect(await query(target.url, "select conname from pg_constraint where contype = 'f' and condeferrable")).toEqual([]);

        // What the app sees there, as covera_app under RLS and as covera_platform.
        const after = await read(target.url, agency.id);
        expect(after).toEqual({ ...before, tenants: [agency.slug] });
        expect((await read(target.url, other.id)).policies).toEqual([]);

        // A second restore of the same tenant is refused and changes nothing.
        await expect(importTenant(target.url, archive)).rejects.toThrow(/already in this database/);
        expect(await tenantRowCounts(target.url, agency.id)).toEqual(expected);
      } finally {
        await target.stop();
      }
    },
  );
});

describe("the whole database's backup", () => {
  it("pg_dump and pg_restore into a fresh cluster: every table's rows, the runtime roles working", { timeout: 240_000 }, async () => {
    // pg_dump refuses a newer server, so the clusters match the client found (PG_BIN or PATH).
    const { major } = pgTool("pg_dump");
    const source = await startClusterForClient(major, "backup-source");
    const target = await startClusterForClient(major, "backup-target");
    try {
      await runTsxChild("tests/support/restore-child.ts", ["seed"], childEnv(source.url));
      await importTenant(source.url, archive);
      const dump = path.join(dir, "whole.dump");
      await dumpDatabase(source.url, dump);

      await restoreDatabase(target.url, dump);
      expect(await migrate(target.url, roles(target.url))).toEqual([]);
      const counts = await allRowCounts(source.url);
      expect(counts["public.tenants"]).toBe(3);
      expect(counts["public.policies"]).toBe(2);
      expect(await allRowCounts(target.url)).toEqual(counts);

      const after = await read(target.url, agency.id);
      expect(after).toEqual({ ...before, tenants: ["bowman", "khholdings", agency.slug].sort() });
      const [bowman] = await query<{ id: string }>(target.url, "select id from tenants where slug = 'bowman'");
      expect((await read(target.url, bowman!.id)).products).toBeGreaterThan(0);

      await expect(restoreDatabase(target.url, dump)).rejects.toThrow(/not empty/);

      // A client older than the server is refused before it starts.
      expect(() => pgTool("pg_dump", major + 1)).toThrow(new RegExp(`pg_dump ${major} cannot work with a PostgreSQL ${major + 1} server`));
    } finally {
      await Promise.all([source.stop(), target.stop()]);
    }
  });
});

import { type Kysely, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { migrationDatabases, type OldSchema } from "../support/migration-db";

/**
 * Migration 0009 turns rule versions' start days into instants: existing rules must mean what they
 * meant — each day at its start in the agency's time zone, a stop as a version without tiers, the
 * rule ids that ledger entries point to unchanged — and rules it cannot convert faithfully stop it.
 * Each case runs the migrations on a database of its own, up to 0007, writes rules the old way,
 * then migrates to the latest.
 */
const BEFORE = "2026-11-21-0007-network-at-scale";
const { databaseAt, dropAll } = migrationDatabases("covera_mig");

/** An agency in Kuala Lumpur with one product, written as the owner (row-level security does not apply). */
async function agencyWithProduct(db: Kysely<OldSchema>) {
  const tenant = await sql<{ id: string }>`
    insert into tenants (slug, name, currency, locale, time_zone, features, branding, contact, manifest)
    values ('mig-agency', 'Migration Agency', 'MYR', 'en-MY', 'Asia/Kuala_Lumpur', '{}', '{}', '{}', '{}') returning id
  `.execute(db);
  const tenantId = tenant.rows[0]!.id;
  const product = await sql<{ id: string }>`
    with i as (insert into insurers (tenant_id, slug, name) values (${tenantId}, 'ins', 'Insurer') returning id),
         c as (insert into categories (tenant_id, slug, name) values (${tenantId}, 'cat', 'Category') returning id)
    insert into products (tenant_id, slug, category_id, insurer_id, name, rating, starting_price_minor)
    select ${tenantId}, 'hibah', c.id, i.id, 'Hibah', '{}', 15000 from i, c returning id
  `.execute(db);
  return { tenantId, productId: product.rows[0]!.id };
}

type OldRule = { frequency: string; tier: number; rateBp: number; from: string; to: string | null };

async function insertOldRules(db: Kysely<OldSchema>, tenantId: string, productId: string, rules: OldRule[]) {
  const ids: string[] = [];
  for (const r of rules) {
    const row = await sql<{ id: string }>`
      insert into commission_rules (tenant_id, product_id, frequency, tier, kind, rate_bp, effective_from, effective_to)
      values (${tenantId}, ${productId}, ${r.frequency}, ${r.tier}, 'percent', ${r.rateBp}, ${r.from}, ${r.to}) returning id
    `.execute(db);
    ids.push(row.rows[0]!.id);
  }
  return ids;
}

afterAll(dropAll);

describe("migration 0009: rule versions from an instant", () => {
  it("starts each old version at the beginning of its day in the agency's zone, and a stop as a version without tiers", async () => {
    const { db, migrator } = await databaseAt(BEFORE);
    try {
      const { tenantId, productId } = await agencyWithProduct(db);
      const ids = await insertOldRules(db, tenantId, productId, [
        { frequency: "monthly", tier: 1, rateBp: 1000, from: "2026-01-01", to: "2026-09-15" },
        { frequency: "monthly", tier: 2, rateBp: 500, from: "2026-01-01", to: "2026-09-15" },
        { frequency: "monthly", tier: 1, rateBp: 2000, from: "2026-09-15", to: "2026-10-01" },
        // Nothing paid in October; new rules from November.
        { frequency: "monthly", tier: 1, rateBp: 3000, from: "2026-11-01", to: null },
        { frequency: "annual", tier: 1, rateBp: 1111, from: "2026-01-01", to: null },
      ]);
      const { error } = await migrator.migrateToLatest();
      expect(error).toBeUndefined();

      const versions = await sql<{ frequency: string; effective_at: Date; tiers: string[] | null }>`
        select v.frequency, v.effective_at, array_agg(r.id::text || ':' || r.tier || ':' || r.rate_bp order by r.tier) filter (where r.id is not null) as tiers
        from commission_rule_versions v left join commission_rules r on r.version_id = v.id and r.tenant_id = v.tenant_id
        group by v.tenant_id, v.id order by v.frequency, v.effective_at
      `.execute(db);
      expect(versions.rows.map((v) => [v.frequency, v.effective_at.toISOString(), v.tiers ?? []])).toEqual([
        ["annual", "2025-12-31T16:00:00.000Z", [`${ids[4]}:1:1111`]],
        ["monthly", "2025-12-31T16:00:00.000Z", [`${ids[0]}:1:1000`, `${ids[1]}:2:500`]],
        ["monthly", "2026-09-14T16:00:00.000Z", [`${ids[2]}:1:2000`]],
        ["monthly", "2026-09-30T16:00:00.000Z", []],
        ["monthly", "2026-10-31T16:00:00.000Z", [`${ids[3]}:1:3000`]],
      ]);
      // Row-level security is forced again on the rules, and on the versions.
      const rls = await sql<{ relname: string; relforcerowsecurity: boolean }>`
        select relname, relforcerowsecurity from pg_class where relname in ('commission_rules', 'commission_rule_versions') order by relname
      `.execute(db);
      expect(rls.rows).toEqual([
        { relname: "commission_rule_versions", relforcerowsecurity: true },
        { relname: "commission_rules", relforcerowsecurity: true },
      ]);
    } finally {
      await db.destroy();
    }
  });

  it("stops, changing nothing, when the tiers of one version end on different days", async () => {
    const { db, migrator } = await databaseAt(BEFORE);
    try {
      const { tenantId, productId } = await agencyWithProduct(db);
      await insertOldRules(db, tenantId, productId, [
        { frequency: "monthly", tier: 1, rateBp: 1000, from: "2026-01-01", to: null },
        { frequency: "monthly", tier: 2, rateBp: 500, from: "2026-01-01", to: "2026-06-01" },
      ]);
      const { error } = await migrator.migrateToLatest();
      expect(String(error)).toMatch(/tier\(s\) end where no version starts or ends/);
      const columns = await sql<{ column_name: string }>`
        select column_name from information_schema.columns where table_name = 'commission_rules' and column_name like 'effective%' order by 1
      `.execute(db);
      expect(columns.rows.map((c) => c.column_name)).toEqual(["effective_from", "effective_to"]);
    } finally {
      await db.destroy();
    }
  });
});

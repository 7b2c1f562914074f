import { type Kysely, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { migrationDatabases, type OldSchema } from "../support/migration-db";

/**
 * Migration 0037 moves an entry's workflow state off the entry onto its agent-month's statement,
 * its dispute and its payout's batch: every entry must read back through `commission_entry_states`
 * with the status, payout and statement it had, and data it cannot move faithfully stops it.
 * Each case runs the migrations on a database of its own, up to 0036, writes the ledger the old
 * way, then migrates to the latest.
 */
const BEFORE = "2026-12-07-0036-running-caps";
const { databaseAt, dropAll } = migrationDatabases("covera_mig37");

async function one<T>(db: Kysely<OldSchema>, query: ReturnType<typeof sql<T>>) {
  return (await query.execute(db)).rows[0]!;
}

/** An agency with agents (A and C with bank details, B without), written as the owner. */
async function agencyWithAgents(db: Kysely<OldSchema>) {
  const { id: tenantId } = await one(
    db,
    sql<{ id: string }>`
      insert into tenants (slug, name, currency, locale, time_zone, features, branding, contact, manifest)
      values ('mig-agency', 'Migration Agency', 'MYR', 'en-MY', 'Asia/Kuala_Lumpur', '{}', '{}', '{}', '{}') returning id`,
  );
  const agent = async (n: string, bank: string | null) => {
    const user = await one(
      db,
      sql<{
        id: string;
      }>`insert into users (tenant_id, email, name) values (${tenantId}, ${`agent${n}@example.com`}, ${`Agent ${n}`}) returning id`,
    );
    const row = await one(
      db,
      sql<{ id: string }>`
        insert into agents (tenant_id, user_id, agent_number, referral_code, status, bank_name)
        values (${tenantId}, ${user.id}, ${`1000${n}`}, ${`REF00${n}`}, 'active', ${bank}) returning id`,
    );
    return row.id;
  };
  return { tenantId, a: await agent("1", "Maybank"), b: await agent("2", null), c: await agent("3", "CIMB") };
}

type Old = { status: string; payout_id: string | null; statement_id: string | null };

async function ledgerBefore(db: Kysely<OldSchema>) {
  const { tenantId, a, b, c } = await agencyWithAgents(db);
  for (const month of ["2026-09-01", "2026-10-01"]) {
    await sql`insert into commission_months (tenant_id, month, entries_count, agents_count, total_minor, currency)
              values (${tenantId}, ${month}, 0, 0, 0, 'MYR')`.execute(db);
  }
  const batch = async (month: string, status: string) =>
    (
      await one(
        db,
        sql<{ id: string }>`insert into payout_batches (tenant_id, month, reference, status, payouts_count, total_minor, currency)
                            values (${tenantId}, ${month}, ${`B-${month}`}, ${status}, 2, 2000, 'MYR') returning id`,
      )
    ).id;
  const sep = await batch("2026-09-01", "paid");
  const oct = await batch("2026-10-01", "open");
  const payout = async (batchId: string, agentId: string) =>
    (
      await one(
        db,
        sql<{
          id: string;
        }>`insert into payouts (tenant_id, batch_id, agent_id, amount_minor) values (${tenantId}, ${batchId}, ${agentId}, 1000) returning id`,
      )
    ).id;
  const paSep = await payout(sep, a);
  const pcSep = await payout(sep, c);
  const pbOct = await payout(oct, b);
  const pcOct = await payout(oct, c);
  const statement = async (month: string, agentId: string) =>
    (
      await one(
        db,
        sql<{ id: string }>`insert into commission_statements (tenant_id, month, agent_id, earned_minor, payable_minor, entries_count)
                            values (${tenantId}, ${month}, ${agentId}, 1000, 1000, 1) returning id`,
      )
    ).id;
  const sA = await statement("2026-09-01", a);
  const sB = await statement("2026-09-01", b);
  const sC = await statement("2026-09-01", c);
  const sCOct = await statement("2026-10-01", c);
  const entry = async (agentId: string, month: string, old: Old, reverses: string | null = null) =>
    (
      await one(
        db,
        sql<{ id: string }>`
          insert into commission_entries (tenant_id, kind, agent_id, month, amount_minor, currency, status, earned_at, statement_id, payout_id, reverses_entry_id, note)
          values (${tenantId}, 'adjustment', ${agentId}, ${month}, 500, 'MYR', ${old.status}, ${`${month}T08:00:00Z`}, ${old.statement_id}, ${old.payout_id}, ${reverses}, 'by hand')
          returning id`,
      )
    ).id;
  const dispute = async (entryId: string, agentId: string, status: string, adjusting: string | null = null) =>
    sql`insert into commission_disputes (tenant_id, entry_id, agent_id, status, reason, adjusting_entry_id)
        values (${tenantId}, ${entryId}, ${agentId}, ${status}, 'not mine', ${adjusting})`.execute(db);

  const expected = new Map<string, Old>();
  const add = async (agentId: string, month: string, old: Old, reverses: string | null = null) => {
    const id = await entry(agentId, month, old, reverses);
    expected.set(id, old);
    return id;
  };
  // 1. Paid in September's batch.
  await add(a, "2026-09-01", { status: "paid", payout_id: paSep, statement_id: sA });
  // 2. No bank details in September: carried over into October's (open) payout.
  await add(b, "2026-09-01", { status: "approved", payout_id: pbOct, statement_id: sB });
  // C's undisputed September entry, paid with the month.
  await add(c, "2026-09-01", { status: "paid", payout_id: pcSep, statement_id: sC });
  // 3. Disputed while C's September went into September's payout: held back.
  const e3 = await add(c, "2026-09-01", { status: "disputed", payout_id: null, statement_id: sC });
  await dispute(e3, c, "open");
  // 4. Dispute rejected after September's payout: paid by October's.
  const e4 = await add(c, "2026-09-01", { status: "approved", payout_id: pcOct, statement_id: sC });
  await dispute(e4, c, "rejected");
  // 5. Adjusted by its dispute, the adjusting entry in October.
  const e5 = await add(c, "2026-09-01", { status: "adjusted", payout_id: null, statement_id: sC });
  const e5adj = await add(c, "2026-10-01", { status: "approved", payout_id: pcOct, statement_id: sCOct }, e5);
  await dispute(e5, c, "adjusted", e5adj);
  // 6. An open month.
  await add(a, "2026-11-01", { status: "pending", payout_id: null, statement_id: null });
  return { tenantId, expected, e3, c };
}

async function statesAfter(db: Kysely<OldSchema>, tenantId: string) {
  // The view reads under row-level security; the owner reads as the migration does.
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
    const rows = await sql<{ id: string } & Old>`select id, status, payout_id, statement_id from commission_entry_states`.execute(trx);
    return new Map(rows.rows.map(({ id, ...rest }) => [id, rest]));
  });
}

afterAll(dropAll);

describe("migration 0037: workflow state per agent-month", () => {
  it("reads every entry back with the status, payout and statement it had", async () => {
    const { db, migrator } = await databaseAt(BEFORE);
    try {
      const { tenantId, expected } = await ledgerBefore(db);
      const { error } = await migrator.migrateToLatest();
      expect(error).toBeUndefined();
      const after = await statesAfter(db, tenantId);
      expect(after.size).toBe(expected.size);
      for (const [id, old] of expected) expect({ id, ...after.get(id) }).toEqual({ id, ...old });
    } finally {
      await db.destroy();
    }
  });

  it("stops, with nothing changed, when an entry was disputed twice", async () => {
    const { db, migrator } = await databaseAt(BEFORE);
    try {
      const { tenantId, e3, c } = await ledgerBefore(db);
      await sql`insert into commission_disputes (tenant_id, entry_id, agent_id, status, reason) values (${tenantId}, ${e3}, ${c}, 'rejected', 'earlier')`.execute(
        db,
      );
      const { error } = await migrator.migrateToLatest();
      expect(error).toBeDefined();
      const columns = await sql<{ column_name: string }>`
        select column_name from information_schema.columns where table_name = 'commission_entries' and column_name = 'status'`.execute(db);
      expect(columns.rows).toHaveLength(1);
      const held = await sql<{
        n: string;
      }>`select count(*) as n from information_schema.columns where table_name = 'commission_disputes' and column_name = 'held_from_payout_id'`.execute(
        db,
      );
      expect(Number(held.rows[0]!.n)).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});

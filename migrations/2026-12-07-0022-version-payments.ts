import { sql, type Kysely } from "kysely";

/**
 * A change of cover's additional premium is paid by a transaction for the policy's version
 * (issue 13, decision 031): neither an order's payment nor an instalment's. A payment pays exactly
 * one of the three, and one payment at most is in flight per version (a double click pays once).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const checks = await sql<{ conname: string }>`
    select conname from pg_constraint
    where conrelid = 'transactions'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%instalment_id IS NULL%'
  `.execute(db);
  for (const c of checks.rows) await sql`alter table transactions drop constraint ${sql.id(c.conname)}`.execute(db);
  await sql`
    alter table transactions add constraint transactions_pays_one_thing
      check (num_nonnulls(order_id, instalment_id, policy_version_id) = 1)
  `.execute(db);
  await sql`
    create unique index transactions_one_pending_per_version on transactions (tenant_id, policy_version_id)
    where status = 'pending' and policy_version_id is not null
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

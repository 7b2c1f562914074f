import { sql, type Kysely } from "kysely";

/**
 * The agent network at scale. The commission ledger (decision 011): checking the agent and the
 * payment of every entry row by row took a third of the ledger's time (each check locks the
 * referenced row FOR KEY SHARE): 142,402 entries of a day's 32,220 payments, 7.7 s with the checks, 5.1 s
 * without. The entries take both ids from rows the same statement read under RLS; what the keys
 * still guarded against — the agent or the payment disappearing — is now refused where it would
 * happen: agents and payments are never deleted (an agent is terminated, a payment refunded).
 *
 * The close then touches every entry of the month once (approve, statement, payout). At fillfactor
 * 80 three in four of those updates found no room on their page and were written elsewhere, with
 * a new entry in every index: 111 s of a 121 s close of 4.4 million entries. At 45 a page keeps
 * room for a new version of each of its rows, so the update stays on the page (HOT): 51 s.
 *
 * The agents CSV pages through every agent newest first (keyset on joined, id): an index in that
 * order keeps each batch a range read instead of a sort of the whole network.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table commission_entries
      drop constraint commission_entries_tenant_id_agent_id_fkey,
      drop constraint commission_entries_tenant_id_transaction_id_fkey
  `.execute(db);
  await sql`alter table commission_entries set (fillfactor = 45)`.execute(db);
  await sql`create index agents_by_joined on agents (tenant_id, created_at desc, id desc)`.execute(db);
  for (const table of ["agents", "transactions"]) {
    await sql`
      create trigger ${sql.raw(`${table}_no_delete`)} before delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
  }
}

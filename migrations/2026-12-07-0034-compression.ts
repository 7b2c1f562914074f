import { sql, type Kysely } from "kysely";

/**
 * Dynamic compression (issue 16, decision 011): a third way to treat an unqualified upline, and
 * every earning that did not go to the agent in its tier's place says why — the agent it moved
 * past (`passed_from_agent_id`, as pass up already records) was inactive or below the rule's
 * minimum personal sales. Written once at insert, like the rest of an entry.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table network_settings drop constraint network_settings_unqualified_share_check`.execute(db);
  await sql`
    alter table network_settings add constraint network_settings_unqualified_share_check
      check (unqualified_share in ('skip', 'pass_up', 'compress'))
  `.execute(db);
  await sql`
    alter table commission_entries add column moved_reason text
      check (moved_reason in ('inactive', 'below_min_sales'))
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

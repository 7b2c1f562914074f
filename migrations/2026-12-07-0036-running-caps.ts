import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Issue 16, running caps (docs/decisions/011-commission-ledger.md, "Caps"):
 *
 * - An earning that would take an agent over its rule's monthly cap is written at the capped
 *   amount, and the rest is recorded on the entry as withheld, with the reason. The portal,
 *   statements and ledger then agree at every moment, instead of learning at the close. Open
 *   months' usage is filled in from the earnings already written.
 * - `commission_cap_usage` holds, per month, agent and capped rule, what has been paid so far. It is
 *   the row the ledger locks before it caps (two workers capping the same agent's rule take turns)
 *   and the sum it caps against, so no statement has to add up the month's entries.
 * - The withheld amount is money: it joins the columns the append-only trigger guards, with who a
 *   share moved from and why (migration 0034), which are as much the entry's facts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table commission_entries
      add column withheld_minor bigint check (withheld_minor > 0),
      add column withheld_reason text check (withheld_reason in ('cap')),
      add constraint commission_entries_withheld_whole check ((withheld_minor is null) = (withheld_reason is null))
  `.execute(db);

  await sql`drop trigger commission_entries_append_only on commission_entries`.execute(db);
  await sql`
    create trigger commission_entries_append_only before update on commission_entries
    for each row when (
      (new.tenant_id, new.id, new.kind, new.agent_id, new.month, new.amount_minor, new.currency, new.transaction_id,
       new.order_item_id, new.tier, new.rule_id, new.base_minor, new.rate_bp, new.refund_id, new.reverses_entry_id, new.chargeback_id,
       new.withheld_minor, new.withheld_reason, new.passed_from_agent_id, new.moved_reason)
      is distinct from
      (old.tenant_id, old.id, old.kind, old.agent_id, old.month, old.amount_minor, old.currency, old.transaction_id,
       old.order_item_id, old.tier, old.rule_id, old.base_minor, old.rate_bp, old.refund_id, old.reverses_entry_id, old.chargeback_id,
       old.withheld_minor, old.withheld_reason, old.passed_from_agent_id, old.moved_reason)
    ) execute function refuse_change()
  `.execute(db);

  await sql`
    create table commission_cap_usage (
      tenant_id uuid not null references tenants (id),
      month date not null check (extract(day from month) = 1),
      agent_id uuid not null,
      rule_id uuid not null,
      paid_minor bigint not null default 0 check (paid_minor >= 0),
      primary key (tenant_id, month, agent_id, rule_id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id),
      foreign key (tenant_id, rule_id) references commission_rules (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "commission_cap_usage");

  // Months still open carry on from what their earnings already paid (capped: what is over is the
  // close's to take off, as before), tenant by tenant under each one's row-level security.
  await sql`
    do $$
    declare t uuid;
    begin
      for t in select id from tenants loop
        perform set_config('app.tenant_id', t::text, true);
        insert into commission_cap_usage (month, agent_id, rule_id, paid_minor)
        select e.month, e.agent_id, e.rule_id, least(sum(e.amount_minor), min(r.cap_minor))
        from commission_entries e join commission_rules r on r.id = e.rule_id
        where e.kind = 'earning' and r.cap_minor is not null and e.status in ('pending', 'approved', 'disputed')
          and e.month > coalesce((select max(month) from commission_months), '-infinity'::date)
        group by e.month, e.agent_id, e.rule_id
        having sum(e.amount_minor) > 0;
      end loop;
      perform set_config('app.tenant_id', '', true);
    end $$
  `.execute(db);
}

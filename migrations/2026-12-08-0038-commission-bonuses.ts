import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Issue 16, bonuses (docs/decisions/048-commission-bonuses.md):
 *
 * - `agent_ranks`: the agency's own ranks (code, name, order), and `agents.rank_id`, the rank an
 *   agent holds now. A team bonus is paid to the holders of a rank at the close.
 * - `commission_bonus_rules`: a performance bonus (own sales in a month at or over a threshold pay
 *   a fixed amount or a rate of those sales) or a team bonus (a rank's holders earn a rate of their
 *   downline's sales to a number of levels). Each row is a version of a bonus (`series_id`) in
 *   force from a month until the series' next version; a version that stops the bonus pays
 *   nothing. Rows are never updated: history stays what it paid.
 * - Bonus entries are two new entry kinds, once per month, agent and bonus version; the version
 *   and the levels it counted are the entry's facts, so a refund can tell whether its payment was
 *   in the bonus's base.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table agent_ranks (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      code text not null check (code ~ '^[a-z0-9_]{1,40}$'),
      name text not null check (length(name) between 1 and 80),
      position int not null check (position between 1 and 1000),
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, code)
    )
  `.execute(db);
  await enableTenantRls(db, "agent_ranks");
  await sql`alter table agents add column rank_id uuid`.execute(db);
  await sql`alter table agents add foreign key (tenant_id, rank_id) references agent_ranks (tenant_id, id)`.execute(db);
  await sql`create index agents_by_rank on agents (tenant_id, rank_id) where rank_id is not null`.execute(db);

  await sql`
    create table commission_bonus_rules (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      series_id uuid not null,
      name text not null check (length(name) between 1 and 80),
      kind text not null check (kind in ('performance', 'team')),
      effective_from date not null check (extract(day from effective_from) = 1),
      stopped boolean not null default false,
      threshold_minor bigint check (threshold_minor >= 0),
      amount_minor bigint check (amount_minor >= 0),
      rate_bp int check (rate_bp between 0 and 10000),
      rank_id uuid,
      levels int check (levels between 1 and 10),
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, series_id, effective_from),
      foreign key (tenant_id, rank_id) references agent_ranks (tenant_id, id),
      foreign key (tenant_id, created_by) references users (tenant_id, id),
      check (
        stopped and threshold_minor is null and amount_minor is null and rate_bp is null and rank_id is null and levels is null
        or not stopped and kind = 'performance' and threshold_minor is not null and rank_id is null and levels is null
           and (amount_minor is null) <> (rate_bp is null)
        or not stopped and kind = 'team' and rank_id is not null and levels is not null and rate_bp is not null
           and amount_minor is null and threshold_minor is null
      )
    )
  `.execute(db);
  await enableTenantRls(db, "commission_bonus_rules");
  await sql`
    create trigger commission_bonus_rules_append_only before update or delete on commission_bonus_rules
    for each row execute function refuse_change()
  `.execute(db);

  await sql`alter table commission_entries drop constraint commission_entries_kind_check`.execute(db);
  await sql`
    alter table commission_entries
      add constraint commission_entries_kind_check
        check (kind in ('earning', 'clawback', 'cap', 'adjustment', 'performance_bonus', 'team_bonus')),
      add column bonus_rule_id uuid,
      add column bonus_levels int check (bonus_levels between 1 and 10),
      add constraint commission_entries_bonus_whole check (
        (kind in ('performance_bonus', 'team_bonus')) = (bonus_rule_id is not null and base_minor is not null)
        or kind = 'clawback'
      )
  `.execute(db);
  await sql`
    create unique index commission_entries_one_bonus on commission_entries (tenant_id, month, agent_id, bonus_rule_id)
    where kind in ('performance_bonus', 'team_bonus')
  `.execute(db);
  // The bonus facts join the columns that may never change; a trigger of their own leaves the
  // ledger's append-only trigger (and whoever reshapes it) alone.
  await sql`
    create trigger commission_entries_bonus_append_only before update on commission_entries
    for each row when ((new.bonus_rule_id, new.bonus_levels) is distinct from (old.bonus_rule_id, old.bonus_levels))
    execute function refuse_change()
  `.execute(db);

  // The entry states view of migration 0037 names the entry's columns as they were when it was
  // made: made again, it carries the bonus columns too (the same definition).
  await sql`drop view commission_entry_states`.execute(db);
  await sql`
    create view commission_entry_states with (security_invoker = true) as
    select e.*,
           s.id as statement_id,
           po.id as payout_id,
           case
             when d.status = 'open' then 'disputed'
             when d.status = 'adjusted' then 'adjusted'
             when s.id is null then 'pending'
             when b.status = 'paid' then 'paid'
             else 'approved'
           end as status
    from commission_entries e
    left join commission_statements s on s.tenant_id = e.tenant_id and s.month = e.month and s.agent_id = e.agent_id
    left join commission_disputes d on d.tenant_id = e.tenant_id and d.entry_id = e.id
    left join payouts po on po.tenant_id = e.tenant_id
      and po.id = case when d.held_from_payout_id is not null then d.payout_id else s.payout_id end
    left join payout_batches b on b.tenant_id = po.tenant_id and b.id = po.batch_id
  `.execute(db);
}

import { sql, type Kysely } from "kysely";

/**
 * Issue 16, the ledger reshaped for scale (docs/decisions/011-commission-ledger.md, "Workflow
 * state"): an entry's workflow state (approved, on a statement, in a payout, paid) is no longer
 * written on every entry but held once per agent and month, on the month's statement, and per
 * batch. The close writes one statement per agent and the payment of a batch one batch row,
 * instead of updating every entry of the month (~3.5 million at a million payments).
 *
 * - `commission_statements.payout_id`: the payout that pays the agent-month's entries (the
 *   close's own payout, or a later one when the balance was carried over).
 * - `commission_disputes.held_from_payout_id` / `payout_id`: an entry that was under dispute when
 *   its agent-month went into a payout was held back from it; if the dispute is then rejected,
 *   the next close pays it, and `payout_id` says which payout. An entry is disputed once.
 * - `commission_entry_states` is the one place an entry's state is derived (a view, so row-level
 *   security of the tables underneath applies to the reader).
 * - `commission_entries` loses status, statement_id and payout_id: nothing of an entry moves any
 *   more, so it is kept at fillfactor 100 again (no update needs room on the page).
 *
 * Today's states move first: a statement is paid by its agent's first payout at or after its month
 * (every carried-over entry went into the agent's next payout), and a dispute whose entry went into
 * another payout than its agent-month's, or none, was held back from it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table commission_statements
      add column payout_id uuid,
      add foreign key (tenant_id, payout_id) references payouts (tenant_id, id)
  `.execute(db);
  await sql`
    alter table commission_disputes
      add column held_from_payout_id uuid,
      add column payout_id uuid,
      add foreign key (tenant_id, held_from_payout_id) references payouts (tenant_id, id),
      add foreign key (tenant_id, payout_id) references payouts (tenant_id, id),
      add constraint commission_disputes_paid_after_held check (payout_id is null or held_from_payout_id is not null)
  `.execute(db);

  await sql`
    do $$
    declare t uuid;
    begin
      for t in select id from tenants loop
        perform set_config('app.tenant_id', t::text, true);
        update commission_statements s set payout_id = (
          select po.id from payouts po join payout_batches b on b.id = po.batch_id
          where po.agent_id = s.agent_id and b.month >= s.month
          order by b.month limit 1
        );
        update commission_disputes d set held_from_payout_id = s.payout_id,
               payout_id = case when e.payout_id is distinct from s.payout_id then e.payout_id end
        from commission_entries e
        join commission_statements s on s.agent_id = e.agent_id and s.month = e.month
        where e.id = d.entry_id and s.payout_id is not null and e.payout_id is distinct from s.payout_id;
      end loop;
      perform set_config('app.tenant_id', '', true);
    end $$
  `.execute(db);

  // One dispute per entry, so an entry's state is one plain join. An entry disputed twice before
  // this (no agency's data has one) would stop the migration here, with nothing changed.
  await sql`create unique index commission_disputes_one_per_entry on commission_disputes (tenant_id, entry_id)`.execute(db);
  await sql`drop index commission_disputes_one_open`.execute(db);

  // The append-only trigger (migration 0036) never named these columns: it stays as it is.
  await sql`alter table commission_entries drop column status, drop column statement_id, drop column payout_id`.execute(db);
  await sql`alter table commission_entries set (fillfactor = 100)`.execute(db);
  await sql`create index commission_statements_unpaid on commission_statements (tenant_id, agent_id, month) where payout_id is null`.execute(
    db,
  );

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

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Chargebacks: a cardholder's dispute of a payment, as the provider reports it (Stripe
 * charge.dispute.*, Paystack charge.dispute.*), one row per dispute, moving forward only (open →
 * won | lost). A lost one takes its commissions back as clawback entries that name it, once per
 * (chargeback, entry).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table chargebacks (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      transaction_id uuid not null,
      provider text not null check (provider in ('mpesa', 'paystack', 'stripe', 'sandbox')),
      -- The provider's id of the dispute (Stripe dp_…, Paystack's dispute id).
      provider_dispute_ref text not null,
      -- The disputed amount; once lost, what the cardholder got back.
      amount_minor bigint not null check (amount_minor >= 0),
      currency char(3) not null,
      reason text,
      status text not null default 'open' check (status in ('open', 'won', 'lost')),
      -- The provider's own words for where it stands (needs_response, resolved: merchant-accepted …).
      provider_status text,
      opened_at timestamptz not null,
      -- The last day to answer with evidence, when the provider says.
      respond_by timestamptz,
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, provider, provider_dispute_ref),
      foreign key (tenant_id, transaction_id) references transactions (tenant_id, id),
      check ((status = 'open') = (closed_at is null))
    )
  `.execute(db);
  await sql`create index chargebacks_by_transaction on chargebacks (tenant_id, transaction_id)`.execute(db);
  await enableTenantRls(db, "chargebacks");

  // Dispute events are stored in the inbox with the payment and refund events.
  await sql`alter table provider_events drop constraint provider_events_kind_check`.execute(db);
  await sql`alter table provider_events add constraint provider_events_kind_check check (kind in ('payment', 'refund', 'dispute'))`.execute(
    db,
  );

  // A clawback reverses an entry because of a refund or because of a lost chargeback, never both.
  await sql`alter table commission_entries add column chargeback_id uuid`.execute(db);
  await sql`alter table commission_entries add foreign key (tenant_id, chargeback_id) references chargebacks (tenant_id, id)`.execute(db);
  await sql`alter table commission_entries add constraint commission_entries_one_source check (refund_id is null or chargeback_id is null)`.execute(
    db,
  );
  await sql`create unique index commission_entries_one_chargeback_clawback on commission_entries (tenant_id, chargeback_id, reverses_entry_id) where kind = 'clawback'`.execute(
    db,
  );

  // The append-only trigger (0005) with chargeback_id among the columns that may never change.
  await sql`drop trigger commission_entries_append_only on commission_entries`.execute(db);
  await sql`
    create trigger commission_entries_append_only before update on commission_entries
    for each row when (
      (new.tenant_id, new.id, new.kind, new.agent_id, new.month, new.amount_minor, new.currency, new.transaction_id,
       new.order_item_id, new.tier, new.rule_id, new.base_minor, new.rate_bp, new.refund_id, new.reverses_entry_id, new.chargeback_id)
      is distinct from
      (old.tenant_id, old.id, old.kind, old.agent_id, old.month, old.amount_minor, old.currency, old.transaction_id,
       old.order_item_id, old.tier, old.rule_id, old.base_minor, old.rate_bp, old.refund_id, old.reverses_entry_id, old.chargeback_id)
    ) execute function refuse_change()
  `.execute(db);
}

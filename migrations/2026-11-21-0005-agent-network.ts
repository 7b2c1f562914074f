import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * The agent network and its pay: agents with referral codes and sponsors, their upline as a closure
 * table, members registered by agents, offline payments collected by agents, per-product
 * per-frequency per-tier commission rules with effective dates, an append-only commission ledger,
 * monthly closes with statements and payout batches, and disputes with their threads.
 *
 * Exactly-once lives in the constraints: one earning entry per (payment, item, tier), one clawback
 * per (refund, entry), one cap adjustment per (month, agent, rule), one close per month.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Commission rules must not overlap in time for the same product, frequency and tier.
  await sql`create extension if not exists btree_gist`.execute(db);

  // A tenant's network settings (a row once the network is configured; the manifest seeds it).
  await sql`
    create table network_settings (
      tenant_id uuid primary key references tenants (id),
      -- How many tiers of uplines a sale pays (the selling agent is tier 1).
      tiers int not null default 10 check (tiers between 1 and 10),
      -- What happens to the share of an upline who is inactive or does not qualify.
      unqualified_share text not null default 'skip' check (unqualified_share in ('skip', 'pass_up')),
      -- The day of the next month on which a month is closed automatically (in the tenant's time zone).
      close_day int not null default 1 check (close_day between 1 and 28),
      auto_close boolean not null default true,
      updated_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table agents (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      agent_number text not null check (agent_number ~ '^[0-9]{5,6}$'),
      referral_code text not null check (referral_code ~ '^[A-Z0-9]{6,12}$'),
      sponsor_id uuid,
      status text not null default 'pending' check (status in ('pending', 'active', 'suspended', 'rejected', 'terminated')),
      status_reason text,
      phone text,
      phone_verified_at timestamptz,
      bank_name text,
      bank_account_ciphertext text,
      bank_account_blind_index text,
      bank_account_masked text,
      bank_account_holder text,
      approved_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, user_id),
      unique (tenant_id, agent_number),
      unique (tenant_id, referral_code),
      foreign key (tenant_id, user_id) references users (tenant_id, id),
      foreign key (tenant_id, sponsor_id) references agents (tenant_id, id),
      check (sponsor_id is null or sponsor_id <> id)
    )
  `.execute(db);
  await sql`create index agents_by_sponsor on agents (tenant_id, sponsor_id)`.execute(db);
  await sql`create index agents_by_status on agents (tenant_id, status, created_at desc)`.execute(db);

  // The upline as a closure table: one row per (agent, ancestor), depth 1 = the sponsor. "My
  // uplines" is one index range on (agent_id, depth); "my downline per level" one on (upline_id, depth).
  await sql`
    create table agent_uplines (
      tenant_id uuid not null,
      agent_id uuid not null,
      upline_id uuid not null,
      depth int not null check (depth >= 1),
      primary key (tenant_id, agent_id, depth),
      unique (tenant_id, agent_id, upline_id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id) on delete cascade,
      foreign key (tenant_id, upline_id) references agents (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index agent_uplines_downline on agent_uplines (tenant_id, upline_id, depth, agent_id)`.execute(db);

  // Every change of sponsor, as it happened (the upline rows are rewritten; this is the history).
  await sql`
    create table agent_sponsor_changes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      agent_id uuid not null,
      from_sponsor_id uuid,
      to_sponsor_id uuid,
      reason text not null,
      changed_by uuid,
      created_at timestamptz not null default clock_timestamp(),
      primary key (tenant_id, id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id),
      foreign key (tenant_id, from_sponsor_id) references agents (tenant_id, id),
      foreign key (tenant_id, to_sponsor_id) references agents (tenant_id, id),
      foreign key (tenant_id, changed_by) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index agent_sponsor_changes_by_agent on agent_sponsor_changes (tenant_id, agent_id, created_at)`.execute(db);

  // A one-time code sent by SMS to confirm an agent's phone.
  await sql`
    create table phone_verifications (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      agent_id uuid not null,
      phone text not null,
      code_hash text not null,
      attempts int not null default 0,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index phone_verifications_by_agent on phone_verifications (tenant_id, agent_id, created_at desc)`.execute(db);

  // Policyholders an agent registered. Their account (users) is what checkout and payments use.
  await sql`
    create table members (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      agent_id uuid not null,
      user_id uuid not null,
      name text not null,
      nric_ciphertext text not null,
      nric_blind_index text not null,
      nric_masked text not null,
      race text not null,
      relationship_with_agent text not null,
      emergency_contact_name text not null,
      emergency_contact_phone text not null,
      emergency_contact_relationship text not null,
      status text not null default 'active' check (status in ('active', 'pending', 'suspended', 'terminated')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, user_id),
      unique (tenant_id, nric_blind_index),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index members_by_agent on members (tenant_id, agent_id, created_at desc)`.execute(db);

  // The agent a sale is credited to (tier 1): the agent who sold it, or the member's agent.
  await sql`alter table orders add column agent_id uuid`.execute(db);
  await sql`alter table orders add foreign key (tenant_id, agent_id) references agents (tenant_id, id)`.execute(db);
  await sql`create index orders_by_agent on orders (tenant_id, agent_id, paid_at) where agent_id is not null`.execute(db);

  // Payments an agent collected offline (cash, bank-in) wait for staff to confirm them.
  await sql`alter table transactions drop constraint transactions_provider_check`.execute(db);
  await sql`alter table transactions add constraint transactions_provider_check check (provider in ('mpesa', 'paystack', 'stripe', 'sandbox', 'offline'))`.execute(
    db,
  );
  await sql`alter table transactions drop constraint transactions_method_check`.execute(db);
  await sql`alter table transactions add constraint transactions_method_check check (method in ('mpesa', 'card', 'cash', 'bank_transfer'))`.execute(
    db,
  );
  await sql`alter table transactions add column recorded_by uuid`.execute(db);
  await sql`alter table transactions add foreign key (tenant_id, recorded_by) references users (tenant_id, id)`.execute(db);
  await sql`create index transactions_offline_pending on transactions (tenant_id, created_at) where provider = 'offline' and status = 'pending'`.execute(
    db,
  );
  await sql`create index transactions_completed on transactions (tenant_id, completed_at) where completed_at is not null`.execute(db);

  // Tier k of a sale of a product at a frequency pays a fixed amount or a rate of the premium,
  // from a date (inclusive) to a date (exclusive): a payment uses the rule in force when it was made.
  await sql`
    create table commission_rules (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      product_id uuid not null,
      frequency text not null check (frequency in ('annual', 'semi_annual', 'quarterly', 'monthly')),
      tier int not null check (tier between 1 and 10),
      kind text not null check (kind in ('fixed', 'percent')),
      amount_minor bigint check (amount_minor >= 0),
      rate_bp int check (rate_bp between 0 and 10000),
      -- At most this much per agent per month from this rule (applied when the month closes).
      cap_minor bigint check (cap_minor >= 0),
      -- To earn: the agent is active (when required) and has made this many own sales in the month.
      requires_active boolean not null default true,
      min_personal_sales int not null default 0 check (min_personal_sales >= 0),
      effective_from date not null,
      effective_to date,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, product_id) references products (tenant_id, id),
      foreign key (tenant_id, created_by) references users (tenant_id, id),
      check ((kind = 'fixed' and amount_minor is not null and rate_bp is null) or (kind = 'percent' and rate_bp is not null and amount_minor is null)),
      check (effective_to is null or effective_to > effective_from),
      exclude using gist (
        tenant_id with =, product_id with =, frequency with =, tier with =,
        daterange(effective_from, effective_to) with &&
      )
    )
  `.execute(db);

  await sql`
    create table commission_months (
      tenant_id uuid not null,
      month date not null check (extract(day from month) = 1),
      closed_at timestamptz not null default now(),
      closed_by uuid,
      entries_count int not null,
      agents_count int not null,
      total_minor bigint not null,
      currency char(3) not null,
      primary key (tenant_id, month),
      foreign key (tenant_id, closed_by) references users (tenant_id, id)
    )
  `.execute(db);

  await sql`
    create table payout_batches (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      month date not null,
      reference text not null,
      status text not null default 'open' check (status in ('open', 'paid')),
      payouts_count int not null,
      total_minor bigint not null,
      currency char(3) not null,
      created_at timestamptz not null default now(),
      paid_at timestamptz,
      paid_by uuid,
      primary key (tenant_id, id),
      unique (tenant_id, month),
      unique (tenant_id, reference),
      foreign key (tenant_id, month) references commission_months (tenant_id, month),
      foreign key (tenant_id, paid_by) references users (tenant_id, id)
    )
  `.execute(db);

  await sql`
    create table payouts (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      batch_id uuid not null,
      agent_id uuid not null,
      amount_minor bigint not null check (amount_minor > 0),
      primary key (tenant_id, id),
      unique (tenant_id, batch_id, agent_id),
      foreign key (tenant_id, batch_id) references payout_batches (tenant_id, id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id)
    )
  `.execute(db);
  await sql`create index payouts_by_agent on payouts (tenant_id, agent_id)`.execute(db);

  await sql`
    create table commission_statements (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      month date not null,
      agent_id uuid not null,
      -- The month's entries for this agent, and what is paid out (with anything carried in).
      earned_minor bigint not null,
      payable_minor bigint not null,
      entries_count int not null,
      file_key text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, month, agent_id),
      foreign key (tenant_id, month) references commission_months (tenant_id, month),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id)
    )
  `.execute(db);
  await sql`create index commission_statements_by_agent on commission_statements (tenant_id, agent_id, month desc)`.execute(db);

  await sql`
    create table commission_entries (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('earning', 'clawback', 'cap', 'adjustment')),
      agent_id uuid not null,
      -- The month (first day, in the tenant's time zone) whose close approves and pays this entry.
      month date not null check (extract(day from month) = 1),
      amount_minor bigint not null,
      currency char(3) not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'disputed', 'paid', 'adjusted')),
      -- Earnings: which payment of which item, through which rule, at which tier.
      transaction_id uuid,
      order_item_id uuid,
      product_id uuid,
      frequency text,
      tier int check (tier between 1 and 10),
      rule_id uuid,
      seller_agent_id uuid,
      -- The upline whose share this is, when it passed up to this agent.
      passed_from_agent_id uuid,
      base_minor bigint,
      rate_bp int,
      earned_at timestamptz not null,
      -- Clawbacks, caps and adjustments point at what they correct.
      refund_id uuid,
      reverses_entry_id uuid,
      note text,
      statement_id uuid,
      payout_id uuid,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      -- Who is paid and for which payment are enforced. The other references (item, product, rule,
      -- seller, statement, payout) are copied by the same statement from rows it read under RLS;
      -- checking them row by row would cost more than the ledger itself at network scale
      -- (decision 011).
      foreign key (tenant_id, agent_id) references agents (tenant_id, id),
      foreign key (tenant_id, transaction_id) references transactions (tenant_id, id),
      foreign key (tenant_id, refund_id) references refunds (tenant_id, id),
      foreign key (tenant_id, reverses_entry_id) references commission_entries (tenant_id, id),
      foreign key (tenant_id, created_by) references users (tenant_id, id),
      check (kind <> 'earning' or (transaction_id is not null and order_item_id is not null and tier is not null and rule_id is not null))
    )
  `.execute(db);
  // A payment earns once per item and tier, however often or however concurrently it is processed.
  await sql`create unique index commission_entries_one_earning on commission_entries (tenant_id, transaction_id, order_item_id, tier) where kind = 'earning'`.execute(
    db,
  );
  await sql`create unique index commission_entries_one_clawback on commission_entries (tenant_id, refund_id, reverses_entry_id) where kind = 'clawback'`.execute(
    db,
  );
  await sql`create unique index commission_entries_one_cap on commission_entries (tenant_id, month, agent_id, rule_id) where kind = 'cap'`.execute(
    db,
  );
  // No index holds the workflow columns (status, statement, payout), so the close's one update of
  // every entry can stay on its page (HOT); lookups by payment use the earning key above.
  await sql`create index commission_entries_by_agent on commission_entries (tenant_id, agent_id, month)`.execute(db);
  await sql`create index commission_entries_by_month on commission_entries (tenant_id, month)`.execute(db);
  await sql`create index commission_entries_reversals on commission_entries (tenant_id, reverses_entry_id) where reverses_entry_id is not null`.execute(
    db,
  );
  await sql`alter table commission_entries set (fillfactor = 80)`.execute(db);
  // Time-ordered ids (PostgreSQL 18) keep a million inserts at the right edge of the key's index.
  await sql`
    do $$ begin
      if exists (select 1 from pg_proc where proname = 'uuidv7') then
        alter table commission_entries alter column id set default uuidv7();
      end if;
    end $$
  `.execute(db);

  // The ledger is append-only: only its workflow columns (status, statement, payout) move. The
  // trigger's WHEN is evaluated without calling a function, so the close's update costs nothing extra.
  await sql`
    create trigger commission_entries_append_only before update on commission_entries
    for each row when (
      (new.tenant_id, new.id, new.kind, new.agent_id, new.month, new.amount_minor, new.currency, new.transaction_id,
       new.order_item_id, new.tier, new.rule_id, new.base_minor, new.rate_bp, new.refund_id, new.reverses_entry_id)
      is distinct from
      (old.tenant_id, old.id, old.kind, old.agent_id, old.month, old.amount_minor, old.currency, old.transaction_id,
       old.order_item_id, old.tier, old.rule_id, old.base_minor, old.rate_bp, old.refund_id, old.reverses_entry_id)
    ) execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger commission_entries_no_delete before delete on commission_entries
    for each row execute function refuse_change()
  `.execute(db);

  await sql`
    create table commission_disputes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      entry_id uuid not null,
      agent_id uuid not null,
      status text not null default 'open' check (status in ('open', 'rejected', 'adjusted')),
      reason text not null,
      resolution text,
      adjusting_entry_id uuid,
      resolved_by uuid,
      resolved_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, entry_id) references commission_entries (tenant_id, id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id),
      foreign key (tenant_id, adjusting_entry_id) references commission_entries (tenant_id, id),
      foreign key (tenant_id, resolved_by) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create unique index commission_disputes_one_open on commission_disputes (tenant_id, entry_id) where status = 'open'`.execute(
    db,
  );
  await sql`create index commission_disputes_by_status on commission_disputes (tenant_id, status, created_at desc)`.execute(db);

  await sql`
    create table commission_dispute_messages (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      dispute_id uuid not null,
      author_user_id uuid not null,
      body text not null check (length(body) between 1 and 4000),
      created_at timestamptz not null default clock_timestamp(),
      primary key (tenant_id, id),
      foreign key (tenant_id, dispute_id) references commission_disputes (tenant_id, id),
      foreign key (tenant_id, author_user_id) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index commission_dispute_messages_thread on commission_dispute_messages (tenant_id, dispute_id, created_at)`.execute(db);

  for (const table of ["agent_sponsor_changes", "commission_dispute_messages"]) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
  }

  for (const table of [
    "network_settings",
    "agents",
    "agent_uplines",
    "agent_sponsor_changes",
    "phone_verifications",
    "members",
    "commission_rules",
    "commission_months",
    "payout_batches",
    "payouts",
    "commission_statements",
    "commission_entries",
    "commission_disputes",
    "commission_dispute_messages",
  ]) {
    await enableTenantRls(db, table);
  }
}

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Checkout, payments and issuance: orders made from carts, the personal details they carry
 * (identifiers encrypted), payment transactions with their raw gateway log and a once-only inbox of
 * provider events, refunds, policies with instalments, receipts, and one timeline of state changes.
 *
 * Exactly-once lives in the constraints, not in luck: one transaction per (provider, provider_ref),
 * one stored event per (provider, provider_event_id), one policy per order item, one receipt per
 * transaction, one email per dedupe key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // What checkout asks for, per product: identifiers are the tenant's, documents and beneficiaries the product's.
  await sql`alter table products add column requirements jsonb not null default '{}'`.execute(db);

  // One email per business event (the certificate email of an order), however often it is asked for.
  await sql`alter table messages add column dedupe_key text`.execute(db);
  await sql`alter table messages add column attachments jsonb not null default '[]'`.execute(db);
  await sql`create unique index messages_dedupe on messages (tenant_id, dedupe_key) where dedupe_key is not null`.execute(db);

  // A tenant's own rules for unpaid instalments (a row only once an admin changes the defaults).
  await sql`
    create table policy_rules (
      tenant_id uuid primary key references tenants (id),
      grace_days int not null check (grace_days between 0 and 180),
      reinstatement_days int not null check (reinstatement_days between 0 and 365),
      reminder_days int not null check (reminder_days between 0 and 30),
      updated_at timestamptz not null default now()
    )
  `.execute(db);

  // A tenant's payment providers; the configuration (keys, secrets) is encrypted as a whole.
  await sql`
    create table payment_providers (
      tenant_id uuid not null references tenants (id),
      provider text not null check (provider in ('mpesa', 'paystack', 'stripe', 'sandbox')),
      enabled boolean not null default true,
      mode text not null check (mode in ('test', 'live')),
      config_ciphertext text not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, provider)
    )
  `.execute(db);

  await sql`
    create table orders (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      reference text not null,
      user_id uuid not null,
      cart_id uuid,
      status text not null default 'draft' check (status in ('draft', 'paid', 'cancelled')),
      -- The furthest wizard step the customer has completed: resuming brings them back to it.
      step text not null default 'details' check (step in ('details', 'plan', 'review', 'payment')),
      holder jsonb not null default '{}',
      payment_method text check (payment_method in ('mpesa', 'card')),
      payment_phone text,
      terms_accepted_at timestamptz,
      -- The storefront the order was paid on: certificates link back to it from the worker.
      origin text,
      currency char(3) not null,
      paid_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, reference),
      foreign key (tenant_id, user_id) references users (tenant_id, id),
      foreign key (tenant_id, cart_id) references carts (tenant_id, id)
    )
  `.execute(db);
  // A cart becomes at most one order in progress: a second "Checkout" resumes it.
  await sql`create unique index orders_one_draft_per_cart on orders (tenant_id, cart_id) where status = 'draft'`.execute(db);
  await sql`create index orders_by_user on orders (tenant_id, user_id, created_at desc)`.execute(db);

  await sql`
    create table order_items (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      order_id uuid not null,
      quote_id uuid not null,
      product_id uuid not null,
      position int not null,
      -- Frozen when payment starts: what this item's policy is issued and scheduled at.
      frequency text check (frequency in ('annual', 'semi_annual', 'quarterly', 'monthly')),
      instalments_per_year int,
      first_payment_minor bigint,
      later_instalment_minor bigint,
      annual_premium_minor bigint,
      levies_minor bigint,
      discount_minor bigint,
      primary key (tenant_id, id),
      unique (tenant_id, order_id, position),
      foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade,
      foreign key (tenant_id, quote_id) references quotes (tenant_id, id),
      foreign key (tenant_id, product_id) references products (tenant_id, id)
    )
  `.execute(db);

  await sql`
    create table personal_identifiers (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      order_id uuid not null,
      kind text not null check (kind in ('national_id', 'kra_pin', 'nric', 'bank_account')),
      ciphertext text not null,
      blind_index text not null,
      masked text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, order_id, kind),
      foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index personal_identifiers_lookup on personal_identifiers (tenant_id, kind, blind_index)`.execute(db);

  await sql`
    create table beneficiaries (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      order_id uuid not null,
      position int not null,
      name text not null,
      relationship text not null,
      share_bp int not null check (share_bp between 1 and 10000),
      primary key (tenant_id, id),
      unique (tenant_id, order_id, position),
      foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
    )
  `.execute(db);

  await sql`
    create table uploads (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      order_id uuid not null,
      requirement text not null,
      file_key text not null,
      filename text not null,
      content_type text not null,
      size_bytes int not null check (size_bytes > 0),
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, order_id, requirement),
      foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
    )
  `.execute(db);

  await sql`
    create table policies (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      order_item_id uuid not null,
      order_id uuid not null,
      user_id uuid not null,
      product_id uuid not null,
      quote_id uuid not null,
      policy_number text,
      status text not null check (status in ('quoted', 'pending_payment', 'pending_underwriting', 'active', 'grace', 'lapsed', 'declined', 'cancelled', 'expired')),
      frequency text not null check (frequency in ('annual', 'semi_annual', 'quarterly', 'monthly')),
      instalment_minor bigint not null check (instalment_minor >= 0),
      annual_premium_minor bigint not null check (annual_premium_minor >= 0),
      discount_minor bigint not null default 0 check (discount_minor >= 0),
      currency char(3) not null,
      start_date date,
      end_date date,
      -- The public verification page's key: random, unguessable, and says nothing about the holder.
      verification_code text not null,
      certificate_file_key text,
      decline_reason text,
      issued_at timestamptz,
      grace_started_on date,
      lapsed_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, order_item_id),
      unique (tenant_id, policy_number),
      unique (tenant_id, verification_code),
      foreign key (tenant_id, order_item_id) references order_items (tenant_id, id),
      foreign key (tenant_id, order_id) references orders (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id),
      foreign key (tenant_id, product_id) references products (tenant_id, id),
      foreign key (tenant_id, quote_id) references quotes (tenant_id, id)
    )
  `.execute(db);
  await sql`create index policies_by_user on policies (tenant_id, user_id, created_at desc)`.execute(db);
  await sql`create index policies_by_status on policies (tenant_id, status)`.execute(db);
  await sql`create index policies_by_order on policies (tenant_id, order_id)`.execute(db);

  await sql`
    create table instalments (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      policy_id uuid not null,
      sequence int not null check (sequence >= 1),
      due_date date not null,
      amount_minor bigint not null check (amount_minor > 0),
      status text not null default 'scheduled' check (status in ('scheduled', 'due', 'overdue', 'paid', 'written_off', 'cancelled')),
      paid_at timestamptz,
      transaction_id uuid,
      primary key (tenant_id, id),
      unique (tenant_id, policy_id, sequence),
      foreign key (tenant_id, policy_id) references policies (tenant_id, id)
    )
  `.execute(db);
  await sql`create index instalments_due on instalments (tenant_id, status, due_date)`.execute(db);

  await sql`
    create table transactions (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      order_id uuid,
      instalment_id uuid,
      user_id uuid not null,
      provider text not null check (provider in ('mpesa', 'paystack', 'stripe', 'sandbox')),
      method text not null check (method in ('mpesa', 'card')),
      mode text not null check (mode in ('test', 'live')),
      status text not null default 'pending' check (status in ('pending', 'completed', 'failed', 'cancelled', 'expired', 'partially_refunded', 'refunded')),
      amount_minor bigint not null check (amount_minor > 0),
      refunded_minor bigint not null default 0 check (refunded_minor >= 0 and refunded_minor <= amount_minor),
      currency char(3) not null,
      provider_ref text,
      provider_receipt text,
      -- M-Pesa posts to a URL carrying this token; we keep its hash, never the token.
      callback_token_hash text,
      phone_masked text,
      customer_action jsonb,
      failure_code text,
      failure_message text,
      completed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, provider, provider_ref),
      foreign key (tenant_id, order_id) references orders (tenant_id, id),
      foreign key (tenant_id, instalment_id) references instalments (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id),
      check ((order_id is null) <> (instalment_id is null))
    )
  `.execute(db);
  await sql`create index transactions_recent on transactions (tenant_id, created_at desc)`.execute(db);
  await sql`create index transactions_by_order on transactions (tenant_id, order_id)`.execute(db);
  await sql`create index transactions_pending on transactions (tenant_id, status, created_at) where status = 'pending'`.execute(db);
  // At most one payment in flight per order or instalment: a double click pays once.
  await sql`create unique index transactions_one_pending_per_order on transactions (tenant_id, order_id) where status = 'pending' and order_id is not null`.execute(
    db,
  );
  await sql`create unique index transactions_one_pending_per_instalment on transactions (tenant_id, instalment_id) where status = 'pending' and instalment_id is not null`.execute(
    db,
  );
  await sql`alter table instalments add foreign key (tenant_id, transaction_id) references transactions (tenant_id, id)`.execute(db);

  // Every request to a provider, its response, and every callback, as they were.
  await sql`
    create table gateway_log (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      transaction_id uuid,
      provider text not null,
      kind text not null check (kind in ('initiate', 'query', 'refund', 'callback', 'rejected_callback')),
      request jsonb,
      response jsonb,
      raw_body text,
      duration_ms int,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, transaction_id) references transactions (tenant_id, id)
    )
  `.execute(db);
  await sql`create index gateway_log_by_transaction on gateway_log (tenant_id, transaction_id, created_at)`.execute(db);

  // The inbox: a provider event is stored once, however often it is delivered, and processed by a job.
  await sql`
    create table provider_events (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      provider text not null,
      provider_event_id text not null,
      kind text not null check (kind in ('payment', 'refund')),
      event jsonb not null,
      transaction_id uuid,
      received_at timestamptz not null default now(),
      deliveries int not null default 1,
      processed_at timestamptz,
      outcome text,
      primary key (tenant_id, id),
      unique (tenant_id, provider, provider_event_id),
      foreign key (tenant_id, transaction_id) references transactions (tenant_id, id)
    )
  `.execute(db);

  await sql`
    create table refunds (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      transaction_id uuid not null,
      amount_minor bigint not null check (amount_minor > 0),
      reason text not null,
      status text not null default 'requested' check (status in ('requested', 'pending', 'completed', 'refused')),
      provider_refund_ref text,
      -- M-Pesa posts a reversal's result to a URL carrying this token; we keep its hash.
      callback_token_hash text,
      failure_message text,
      requested_by uuid,
      policy_id uuid,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, transaction_id) references transactions (tenant_id, id),
      foreign key (tenant_id, requested_by) references users (tenant_id, id),
      foreign key (tenant_id, policy_id) references policies (tenant_id, id)
    )
  `.execute(db);
  // A declined policy is refunded once.
  await sql`create unique index refunds_one_per_policy on refunds (tenant_id, policy_id) where policy_id is not null`.execute(db);

  await sql`
    create table receipts (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      receipt_number text not null,
      transaction_id uuid not null,
      file_key text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, receipt_number),
      unique (tenant_id, transaction_id),
      foreign key (tenant_id, transaction_id) references transactions (tenant_id, id)
    )
  `.execute(db);

  // One timeline for every state machine (docs/architecture.md §3): what moved, from where, why and who.
  await sql`
    create table state_changes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      entity text not null,
      entity_id uuid not null,
      from_state text,
      to_state text not null,
      event text not null,
      reason text,
      actor_user_id uuid,
      created_at timestamptz not null default clock_timestamp(),
      primary key (tenant_id, id),
      foreign key (tenant_id, actor_user_id) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index state_changes_by_entity on state_changes (tenant_id, entity, entity_id, created_at)`.execute(db);

  for (const table of ["gateway_log", "state_changes"]) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
  }

  for (const table of [
    "policy_rules",
    "payment_providers",
    "orders",
    "order_items",
    "personal_identifiers",
    "beneficiaries",
    "uploads",
    "policies",
    "instalments",
    "transactions",
    "gateway_log",
    "provider_events",
    "refunds",
    "receipts",
    "state_changes",
  ]) {
    await enableTenantRls(db, table);
  }
}

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * The customer's own account (issue 13 item 6, docs/decisions/032-customer-self-service.md):
 *
 * - `notification_preferences`: a customer's choice per topic and channel; no row means on.
 * - `account_phone_codes`: the one-time codes that confirm a new phone number (only a keyed hash).
 * - `email_changes`: a requested change of sign-in address, confirmed from the new address and
 *   cancellable from the old one (only the hashes of both links).
 * - `user_identifiers`: the account's own national ID / KRA PIN / NRIC, stored as
 *   `personal_identifiers` stores an order's (encrypted, blind-indexed, masked).
 * - `messages.status` gains `suppressed`: a notice the recipient turned off is kept, never sent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notification_preferences (
      tenant_id uuid not null,
      user_id uuid not null,
      topic text not null check (topic in ('renewals', 'policy_changes', 'payments', 'claims')),
      channel text not null check (channel in ('email', 'sms')),
      enabled boolean not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, user_id, topic, channel),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await enableTenantRls(db, "notification_preferences");

  await sql`
    create table account_phone_codes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      phone text not null,
      code_hash text not null,
      attempts int not null default 0,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index account_phone_codes_by_user on account_phone_codes (tenant_id, user_id, created_at desc)`.execute(db);
  await enableTenantRls(db, "account_phone_codes");

  await sql`
    create table email_changes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      old_email text not null,
      new_email text not null,
      confirm_hash text not null,
      cancel_hash text not null,
      expires_at timestamptz not null,
      confirmed_at timestamptz,
      cancelled_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, confirm_hash),
      unique (tenant_id, cancel_hash),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index email_changes_by_user on email_changes (tenant_id, user_id, created_at desc)`.execute(db);
  await enableTenantRls(db, "email_changes");

  await sql`
    create table user_identifiers (
      tenant_id uuid not null,
      user_id uuid not null,
      kind text not null check (kind in ('national_id', 'kra_pin', 'nric')),
      ciphertext text not null,
      blind_index text not null,
      masked text not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, user_id, kind),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index user_identifiers_by_blind_index on user_identifiers (tenant_id, kind, blind_index)`.execute(db);
  await enableTenantRls(db, "user_identifiers");

  await sql`alter table messages drop constraint messages_status_check`.execute(db);
  await sql`
    alter table messages add constraint messages_status_check
      check (status in ('queued', 'sent', 'outbox', 'failed', 'suppressed'))
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

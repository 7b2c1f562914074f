import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Messaging on every channel, in the person's language (issue 14, docs/decisions/036-messaging.md):
 *
 * - `messages` carries every channel, in-app included (`in_app`, addressed to a user, with a link
 *   and a read mark), who it is for (`user_id`), which catalogue event wrote it, its category and
 *   language, when the provider delivered or failed it, its SMS segments, its broadcast, and
 *   `send_after` for quiet hours. `delivered` joins the states.
 * - `message_events`: a message's history (queued, sent, retrying, delivered, failed…), one row
 *   per change, for staff.
 * - `messaging_providers`: a tenant's provider per channel, configuration encrypted as a whole,
 *   and a random token for delivery-report callbacks of providers that do not sign them.
 * - `message_templates`: an agency's own wording per event, channel and language. Append-only:
 *   each save is a new version; a `reset` version means "back to the default".
 * - `notification_preferences`: categories replace issue 13's topics (a superset), on every channel.
 * - `message_opt_outs`: STOP replies and unsubscribe links, by address (no account needed).
 * - `messaging_settings`: quiet hours and the broadcast send rate.
 * - `broadcasts`: a message to a segment, with its progress read from its messages.
 * - `alerts` (per tenant) and `platform_alerts` (for operators): one open row per incident.
 * - `tenants.languages`/`default_language` and `users.language`: who speaks what.
 */
export const MESSAGE_CATEGORIES = [
  "security",
  "account",
  "payments",
  "policy_changes",
  "renewals",
  "claims",
  "network",
  "marketing",
  "alerts",
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const categories = sql.join(MESSAGE_CATEGORIES.map((c) => sql.lit(c)));

  await sql`alter table tenants add column languages text[] not null default '{en}'`.execute(db);
  await sql`alter table tenants add column default_language text not null default 'en'`.execute(db);
  await sql`
    alter table tenants add constraint tenants_languages_check
      check (languages <@ array['en', 'sw', 'ms']::text[] and default_language = any (languages))
  `.execute(db);
  await sql`alter table users add column language text check (language in ('en', 'sw', 'ms'))`.execute(db);

  await sql`alter table messages drop constraint messages_channel_check`.execute(db);
  await sql`alter table messages add constraint messages_channel_check check (channel in ('email', 'sms', 'whatsapp', 'in_app'))`.execute(
    db,
  );
  await sql`alter table messages drop constraint messages_status_check`.execute(db);
  await sql`
    alter table messages add constraint messages_status_check
      check (status in ('queued', 'sent', 'delivered', 'outbox', 'failed', 'suppressed'))
  `.execute(db);
  await sql`
    alter table messages
      add column user_id uuid,
      add column event text,
      add column category text check (category in (${categories})),
      add column language text check (language in ('en', 'sw', 'ms')),
      add column link text,
      add column read_at timestamptz,
      add column delivered_at timestamptz,
      add column failed_at timestamptz,
      add column provider_status text,
      add column segments int check (segments > 0),
      add column encoding text check (encoding in ('gsm7', 'ucs2')),
      add column broadcast_id uuid,
      add column send_after timestamptz,
      -- WhatsApp only: a pre-approved template is sent as its name and these values, in order.
      add column variables jsonb
  `.execute(db);
  await sql`
    alter table messages add constraint messages_user_fk
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete set null (user_id)
  `.execute(db);
  // The bell: a person's in-app notifications, newest first, and the unread count.
  await sql`create index messages_in_app on messages (tenant_id, user_id, created_at desc) where channel = 'in_app'`.execute(db);
  await sql`
    create index messages_in_app_unread on messages (tenant_id, user_id) where channel = 'in_app' and read_at is null
  `.execute(db);
  // Delivery reports name the provider's id, never ours.
  await sql`
    create index messages_by_provider_id on messages (tenant_id, provider, provider_message_id)
      where provider_message_id is not null
  `.execute(db);

  await sql`
    create table message_events (
      tenant_id uuid not null,
      id bigint generated always as identity,
      message_id uuid not null,
      status text not null,
      detail text,
      provider_status text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, message_id) references messages (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index message_events_by_message on message_events (tenant_id, message_id, id)`.execute(db);
  await enableTenantRls(db, "message_events");

  await sql`
    create table messaging_providers (
      tenant_id uuid not null references tenants (id),
      channel text not null check (channel in ('email', 'sms', 'whatsapp')),
      provider text not null check (provider in ('outbox', 'resend', 'smtp', 'africastalking', 'twilio', 'meta_whatsapp')),
      enabled boolean not null default true,
      mode text not null default 'test' check (mode in ('test', 'live')),
      -- Sender id or short code (SMS), from address (email), phone number id (WhatsApp).
      sender text,
      config_ciphertext text not null,
      -- For providers whose delivery reports are not signed: the callback URL carries it.
      callback_token text not null default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, channel)
    )
  `.execute(db);
  await enableTenantRls(db, "messaging_providers");

  await sql`
    create table message_templates (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      event text not null,
      channel text not null check (channel in ('email', 'sms', 'whatsapp', 'in_app')),
      language text not null check (language in ('en', 'sw', 'ms')),
      version int not null check (version > 0),
      subject text,
      body text,
      -- A reset version puts the shipped default back; the versions before it are kept.
      reset boolean not null default false,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, event, channel, language, version),
      foreign key (tenant_id, created_by) references users (tenant_id, id),
      check (reset or body is not null)
    )
  `.execute(db);
  await enableTenantRls(db, "message_templates");

  await sql`alter table notification_preferences drop constraint notification_preferences_topic_check`.execute(db);
  await sql`alter table notification_preferences add constraint notification_preferences_topic_check check (topic in (${categories}))`.execute(
    db,
  );
  await sql`alter table notification_preferences drop constraint notification_preferences_channel_check`.execute(db);
  await sql`
    alter table notification_preferences add constraint notification_preferences_channel_check
      check (channel in ('email', 'sms', 'whatsapp', 'in_app'))
  `.execute(db);

  await sql`
    create table message_opt_outs (
      tenant_id uuid not null,
      channel text not null check (channel in ('email', 'sms', 'whatsapp')),
      -- The normalised address: lower-cased email or E.164 phone.
      address text not null,
      -- 'all', or one category (an unsubscribe link names the category it came with).
      category text not null default 'all',
      source text not null check (source in ('stop_reply', 'unsubscribe_link', 'staff')),
      created_at timestamptz not null default now(),
      primary key (tenant_id, channel, address, category)
    )
  `.execute(db);
  await enableTenantRls(db, "message_opt_outs");

  await sql`
    create table messaging_settings (
      tenant_id uuid not null primary key references tenants (id),
      -- Non-urgent messages wait out these hours, in the tenant's time zone. Both or neither.
      quiet_hours_start time,
      quiet_hours_end time,
      broadcast_rate_per_minute int not null default 600 check (broadcast_rate_per_minute between 1 and 100000),
      updated_at timestamptz not null default now(),
      check ((quiet_hours_start is null) = (quiet_hours_end is null))
    )
  `.execute(db);
  await enableTenantRls(db, "messaging_settings");

  await sql`
    create table broadcasts (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      title text not null,
      channel text not null check (channel in ('email', 'sms', 'whatsapp', 'in_app')),
      -- Who receives it: { kind: 'customers' | 'product_customers' | 'agents_of_rank' | 'agent_members', … }.
      segment jsonb not null,
      subject text,
      body text not null,
      status text not null default 'draft' check (status in ('draft', 'queued', 'sending', 'sent', 'cancelled')),
      recipient_count int,
      created_by uuid not null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, created_by) references users (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "broadcasts");
  await sql`
    alter table messages add constraint messages_broadcast_fk
      foreign key (tenant_id, broadcast_id) references broadcasts (tenant_id, id)
  `.execute(db);
  await sql`
    create index messages_by_broadcast on messages (tenant_id, broadcast_id, status) where broadcast_id is not null
  `.execute(db);

  await sql`
    create table alerts (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      kind text not null,
      -- What makes two occurrences one incident (a job id, a provider name, a month).
      incident_key text not null,
      title text not null,
      detail text,
      occurrences int not null default 1,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      resolved_at timestamptz,
      resolved_by uuid,
      primary key (tenant_id, id),
      foreign key (tenant_id, resolved_by) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create unique index alerts_one_open on alerts (tenant_id, kind, incident_key) where resolved_at is null`.execute(db);
  await enableTenantRls(db, "alerts");

  // Platform-wide trouble, for operators; `about_tenant` names the tenant when there is one.
  await sql`
    create table platform_alerts (
      id uuid primary key default gen_random_uuid(),
      kind text not null,
      incident_key text not null,
      about_tenant uuid references tenants (id),
      title text not null,
      detail text,
      occurrences int not null default 1,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      resolved_at timestamptz,
      resolved_by uuid references platform_operators (id)
    )
  `.execute(db);
  await sql`create unique index platform_alerts_one_open on platform_alerts (kind, incident_key) where resolved_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

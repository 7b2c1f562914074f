import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * The foundation: tenants and their domains, platform operators, tenant accounts, sessions,
 * one-time tokens, the message log (which doubles as the development outbox) and the audit logs.
 *
 * Every tenant-owned table follows docs/architecture.md §2: `tenant_id` leads the primary key, foreign keys
 * include it, and row-level security is enabled, forced and keyed on `app.tenant_id`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists citext`.execute(db);

  // The one expression every tenant policy uses. A function so the rule lives in one place.
  await sql`
    create or replace function current_tenant_id() returns uuid
    language sql stable as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$
  `.execute(db);

  // Ledgers and logs are append-only: a trigger refuses UPDATE and DELETE whoever asks.
  await sql`
    create or replace function refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = '42501';
    end $$
  `.execute(db);

  await sql`
    create table tenants (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
      name text not null check (length(name) between 2 and 120),
      status text not null default 'active' check (status in ('active', 'suspended')),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      locale text not null,
      time_zone text not null,
      features jsonb not null default '{}',
      branding jsonb not null default '{}',
      contact jsonb not null default '{}',
      settings jsonb not null default '{}',
      manifest jsonb not null default '{}',
      suspended_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table tenant_domains (
      tenant_id uuid not null references tenants (id) on delete cascade,
      host text not null unique check (host = lower(host)),
      is_primary boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (tenant_id, host)
    )
  `.execute(db);

  await sql`
    create table platform_operators (
      id uuid primary key default gen_random_uuid(),
      email citext not null unique,
      name text not null,
      password_hash text not null,
      failed_login_count int not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table platform_operator_password_history (
      id uuid primary key default gen_random_uuid(),
      operator_id uuid not null references platform_operators (id) on delete cascade,
      password_hash text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table platform_sessions (
      id_hash text primary key,
      operator_id uuid not null references platform_operators (id) on delete cascade,
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    )
  `.execute(db);

  await sql`
    create table platform_audit_log (
      id bigint generated always as identity primary key,
      operator_id uuid references platform_operators (id),
      subject_tenant uuid references tenants (id),
      action text not null,
      target_type text,
      target_id text,
      ip text,
      details jsonb not null default '{}',
      created_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`create index platform_audit_log_tenant on platform_audit_log (subject_tenant, created_at desc)`.execute(db);
  await sql`create index platform_audit_log_action on platform_audit_log (action, created_at desc)`.execute(db);

  await sql`
    create table users (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      email citext not null,
      name text not null,
      phone text,
      password_hash text,
      status text not null default 'active' check (status in ('active', 'suspended')),
      email_verified_at timestamptz,
      failed_login_count int not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, email)
    )
  `.execute(db);

  await sql`
    create table user_roles (
      tenant_id uuid not null,
      user_id uuid not null,
      role text not null check (role in ('customer', 'agent', 'staff', 'assessor', 'underwriter', 'admin')),
      granted_at timestamptz not null default now(),
      primary key (tenant_id, user_id, role),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);

  await sql`
    create table password_history (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      password_hash text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index password_history_user on password_history (tenant_id, user_id, created_at desc)`.execute(db);

  // The cookie holds a random session id; only its SHA-256 is stored, so a copy of this table
  // cannot be replayed as live sessions.
  await sql`
    create table sessions (
      tenant_id uuid not null,
      id_hash text not null,
      user_id uuid not null,
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      primary key (tenant_id, id_hash),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index sessions_user on sessions (tenant_id, user_id)`.execute(db);

  await sql`
    create table auth_tokens (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      purpose text not null check (purpose in ('verify_email', 'reset_password', 'invite')),
      token_hash text not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, token_hash),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);

  // Every message the platform sends, whatever the channel or provider. Without provider
  // credentials the row itself is the delivery: the development outbox lists it.
  await sql`
    create table messages (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      channel text not null default 'email' check (channel in ('email', 'sms', 'whatsapp')),
      template text not null,
      recipient text not null,
      subject text,
      body_text text not null,
      body_html text,
      status text not null default 'queued' check (status in ('queued', 'sent', 'outbox', 'failed')),
      provider text,
      provider_message_id text,
      error text,
      attempts int not null default 0,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      primary key (tenant_id, id)
    )
  `.execute(db);
  await sql`create index messages_recent on messages (tenant_id, created_at desc)`.execute(db);

  await sql`
    create table audit_log (
      tenant_id uuid not null,
      id bigint generated always as identity,
      actor_user_id uuid,
      actor_operator_id uuid references platform_operators (id),
      action text not null,
      target_type text,
      target_id text,
      ip text,
      details jsonb not null default '{}',
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, actor_user_id) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index audit_log_recent on audit_log (tenant_id, created_at desc)`.execute(db);

  for (const table of ["audit_log", "platform_audit_log"]) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
  }

  // Row-level security, forced, on every tenant-owned table.
  for (const table of ["users", "user_roles", "password_history", "sessions", "auth_tokens", "messages", "audit_log"]) {
    await enableTenantRls(db, table);
  }

  // Domains are looked up before any tenant is known, so anyone may read them; only the owning
  // tenant (or the platform path) may change them.
  await sql`alter table tenant_domains enable row level security`.execute(db);
  await sql`alter table tenant_domains force row level security`.execute(db);
  await sql`create policy tenant_domains_read on tenant_domains for select using (true)`.execute(db);
  await sql`
    create policy tenant_domains_write on tenant_domains for all
    using (tenant_id = (select current_tenant_id())) with check (tenant_id = (select current_tenant_id()))
  `.execute(db);
}

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Issue 15's shared ground (docs/decisions/045-api-tokens-and-endpoints.md, 044 for the providers):
 *
 * - Curlec and PayPal join the payment providers; FPX, e-wallets and PayPal join the methods a
 *   payment is made by; a Curlec e-mandate is a saved method; a mandate's state change is a
 *   provider event of its own kind.
 * - `api_token_families`: one signed-in app (a phone, a partner integration acting as a person). An
 *   access token names its family and is refused once the family is revoked (sign-out, password
 *   change, a refresh token used twice).
 * - `api_refresh_tokens`: the family's refresh tokens, hashed; each is used once and replaced.
 * - `api_keys`: a partner's key with scopes, hashed, with a visible prefix, revocable.
 * - `api_idempotency`: the first answer to a POST with an Idempotency-Key, replayed for repeats.
 * - `api_settings`: origins allowed to call the API from a browser, and hourly allowances.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const providers = sql`('mpesa', 'paystack', 'stripe', 'sandbox', 'curlec', 'paypal')`;
  const methods = sql`('mpesa', 'card', 'fpx', 'ewallet', 'paypal')`;
  await sql`alter table payment_providers drop constraint payment_providers_provider_check`.execute(db);
  await sql`alter table payment_providers add constraint payment_providers_provider_check check (provider in ${providers})`.execute(db);
  await sql`alter table chargebacks drop constraint chargebacks_provider_check`.execute(db);
  await sql`alter table chargebacks add constraint chargebacks_provider_check check (provider in ${providers})`.execute(db);
  await sql`alter table transactions drop constraint transactions_provider_check`.execute(db);
  await sql`
    alter table transactions add constraint transactions_provider_check
      check (provider in ('mpesa', 'paystack', 'stripe', 'sandbox', 'curlec', 'paypal', 'offline'))
  `.execute(db);
  await sql`alter table transactions drop constraint transactions_method_check`.execute(db);
  await sql`
    alter table transactions add constraint transactions_method_check
      check (method in ('mpesa', 'card', 'fpx', 'ewallet', 'paypal', 'cash', 'bank_transfer'))
  `.execute(db);
  await sql`alter table orders drop constraint orders_payment_method_check`.execute(db);
  await sql`alter table orders add constraint orders_payment_method_check check (payment_method in ${methods})`.execute(db);
  await sql`alter table payment_methods drop constraint payment_methods_provider_check`.execute(db);
  await sql`alter table payment_methods add constraint payment_methods_provider_check check (provider in ('stripe', 'paystack', 'sandbox', 'curlec'))`.execute(
    db,
  );
  await sql`alter table provider_events drop constraint provider_events_kind_check`.execute(db);
  await sql`
    alter table provider_events add constraint provider_events_kind_check check (kind in ('payment', 'refund', 'dispute', 'payout', 'mandate'))
  `.execute(db);

  await sql`
    create table api_token_families (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      -- What the app said it is ("Covera Android 2.1"), and where it signed in from.
      client_name text,
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_used_at timestamptz not null default now(),
      revoked_at timestamptz,
      revoked_reason text check (revoked_reason in ('sign_out', 'password_change', 'refresh_reuse', 'revoked_by_user', 'account_closed')),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "api_token_families");
  await sql`create index api_token_families_user on api_token_families (tenant_id, user_id) where revoked_at is null`.execute(db);

  await sql`
    create table api_refresh_tokens (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      family_id uuid not null,
      token_hash text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      -- Set when it is exchanged for the next one; a second use revokes the family.
      used_at timestamptz,
      primary key (tenant_id, id),
      unique (tenant_id, token_hash),
      foreign key (tenant_id, family_id) references api_token_families (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "api_refresh_tokens");
  await sql`create index api_refresh_tokens_family on api_refresh_tokens (tenant_id, family_id)`.execute(db);

  await sql`
    create table api_keys (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 1 and 80),
      -- The first characters of the key, shown in lists so a partner can tell keys apart.
      prefix text not null,
      key_hash text not null,
      scopes text[] not null check (cardinality(scopes) > 0),
      created_by uuid not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_by uuid,
      primary key (tenant_id, id),
      unique (tenant_id, key_hash),
      foreign key (tenant_id, created_by) references users (tenant_id, id),
      foreign key (tenant_id, revoked_by) references users (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "api_keys");

  await sql`
    create table api_idempotency (
      tenant_id uuid not null references tenants (id),
      -- Who sent it (user:<id>, key:<id>, anon:<client hash>): one client's key never answers another's.
      principal text not null,
      idempotency_key text not null check (length(idempotency_key) between 1 and 255),
      method text not null,
      path text not null,
      request_hash text not null,
      -- Null while the first request is still being answered.
      status integer,
      body jsonb,
      headers jsonb not null default '{}',
      created_at timestamptz not null default now(),
      primary key (tenant_id, principal, idempotency_key)
    )
  `.execute(db);
  await enableTenantRls(db, "api_idempotency");
  await sql`create index api_idempotency_age on api_idempotency (created_at)`.execute(db);

  await sql`
    create table api_settings (
      tenant_id uuid not null references tenants (id) primary key,
      allowed_origins text[] not null default '{}',
      anonymous_per_hour integer not null default 100 check (anonymous_per_hour between 1 and 1000000),
      authenticated_per_hour integer not null default 1000 check (authenticated_per_hour between 1 and 1000000),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await enableTenantRls(db, "api_settings");
}

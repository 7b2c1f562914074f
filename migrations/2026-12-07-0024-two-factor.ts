import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Two-factor sign-in with an authenticator app (issue 13, docs/decisions/033-two-factor-sign-in.md).
 *
 * - `user_two_factor`: a tenant account's TOTP secret, encrypted like payment provider settings
 *   (app/modules/pii/crypto.server.ts, bound to the tenant and the account); `enabled_at` is null
 *   while the person is still confirming their first code; `last_used_step` refuses a code twice.
 * - `user_recovery_codes`: ten single-use codes per account, stored as hashes, shown once.
 * - `security_settings`: whether the agency requires two-factor sign-in for its staff.
 * - The same for platform operators, who live outside tenants (decision 002): their tables are
 *   platform tables, read and written only through `withPlatform`; `platform_settings` is one row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table user_two_factor (
      tenant_id uuid not null,
      user_id uuid not null,
      secret_ciphertext text not null,
      enabled_at timestamptz,
      -- The 30-second step of the last code that signed in: that code and any earlier one are spent.
      last_used_step integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, user_id),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await enableTenantRls(db, "user_two_factor");

  await sql`
    create table user_recovery_codes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      code_hash text not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, user_id, code_hash),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await enableTenantRls(db, "user_recovery_codes");

  await sql`
    create table security_settings (
      tenant_id uuid not null primary key references tenants (id),
      require_two_factor_for_staff boolean not null default false,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await enableTenantRls(db, "security_settings");

  await sql`
    create table platform_operator_two_factor (
      operator_id uuid primary key references platform_operators (id) on delete cascade,
      secret_ciphertext text not null,
      enabled_at timestamptz,
      last_used_step integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table platform_operator_recovery_codes (
      id uuid primary key default gen_random_uuid(),
      operator_id uuid not null references platform_operators (id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      unique (operator_id, code_hash)
    )
  `.execute(db);
  await sql`
    create table platform_settings (
      -- One row: the platform's own settings.
      id boolean primary key default true check (id),
      require_two_factor_for_operators boolean not null default false,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`insert into platform_settings default values`.execute(db);
}

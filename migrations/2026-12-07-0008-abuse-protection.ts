import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Abuse protection (decision 012):
 *
 * - `rate_limit_buckets`: how many requests a client made under one limit in its current window
 *   (a fixed window that starts at the client's first request), shared by every app instance: one
 *   atomic upsert per request. It holds no tenant's data: the key is a keyed hash of the limit's
 *   scope (a tenant id, or the platform) and the client (a network or an account), so it is listed
 *   with the platform tables on purpose. UNLOGGED: the counts are worth nothing after a crash, and
 *   not writing them to the WAL keeps each request cheap; nothing is indexed but the key, so an
 *   increment stays a HOT update.
 * - `sign_in_failures` / `platform_sign_in_failures`: the lockout (five failures, fifteen
 *   minutes) counted per account AND client, so that a stranger who fails five times locks only
 *   themselves out of that account. They replace the per-account counters on `users` and
 *   `platform_operators`, with which anyone could lock anyone out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create unlogged table rate_limit_buckets (
      limit_name text not null,
      key_hash text not null,
      window_start timestamptz not null,
      window_end timestamptz not null,
      hits integer not null check (hits >= 0),
      primary key (limit_name, key_hash)
    )
  `.execute(db);

  await sql`
    create table sign_in_failures (
      tenant_id uuid not null,
      user_id uuid not null,
      -- The client's network: an IPv4 address, or an IPv6 /64 (one subscriber's whole prefix).
      client text not null,
      failed_count integer not null default 0 check (failed_count >= 0),
      locked_until timestamptz,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, user_id, client),
      foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await enableTenantRls(db, "sign_in_failures");

  await sql`
    create table platform_sign_in_failures (
      operator_id uuid not null references platform_operators (id) on delete cascade,
      client text not null,
      failed_count integer not null default 0 check (failed_count >= 0),
      locked_until timestamptz,
      updated_at timestamptz not null default now(),
      primary key (operator_id, client)
    )
  `.execute(db);

  await sql`alter table users drop column failed_login_count, drop column locked_until`.execute(db);
  await sql`alter table platform_operators drop column failed_login_count, drop column locked_until`.execute(db);
}

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * The customer's data-protection rights (issue 13, docs/decisions/034-data-protection-rights.md):
 *
 * - `data_exports`: "download my data". One row per request, built by a job into a ZIP that is
 *   kept for a few days; at most one request in flight per person (a partial unique index), and a
 *   ready export always points at its file (a check).
 * - `users.closed_at`: "close my account". A closed account keeps its row (policies, payments and
 *   receipts still name it, as the law requires) but holds no personal data and cannot sign in.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table data_exports (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      status text not null default 'requested' check (status in ('requested', 'building', 'ready', 'failed', 'expired')),
      file_key text,
      size_bytes bigint,
      -- Shown to the customer when the build failed ("try again"), never a stack trace.
      error text,
      requested_at timestamptz not null default now(),
      started_at timestamptz,
      ready_at timestamptz,
      expires_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id),
      -- A ready export has its file and an expiry; no other state points at a file.
      check ((status = 'ready') = (file_key is not null)),
      check (status <> 'ready' or expires_at is not null)
    )
  `.execute(db);
  await enableTenantRls(db, "data_exports");
  // One export in flight per person, however often they click.
  await sql`
    create unique index data_exports_one_in_flight on data_exports (tenant_id, user_id) where status in ('requested', 'building')
  `.execute(db);
  await sql`create index data_exports_by_user on data_exports (tenant_id, user_id, requested_at desc)`.execute(db);
  // The daily expiry's scan.
  await sql`create index data_exports_expiring on data_exports (tenant_id, expires_at) where status = 'ready'`.execute(db);

  await sql`alter table users add column closed_at timestamptz`.execute(db);
}

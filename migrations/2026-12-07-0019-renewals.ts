import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Renewals (issue 13, docs/decisions/028-renewals.md).
 *
 * - `renewal_offers`: one row per policy and offer day (e.g. 30 and 7 days before the end), written
 *   by the daily `policy_lifecycle` job in the same transaction as the offer's quote and email, so a
 *   job run twice the same day, or killed half-way, offers each policy once per offer day.
 * - `quotes.renewal_of_policy_id`: a renewal quote is a normal quote, priced under today's rules for
 *   the renewal's start; issuance reads this to link the new policy to its predecessor (and
 *   `policies_one_renewal` from 0018 keeps it to one renewal).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table quotes
      add column renewal_of_policy_id uuid,
      add constraint quotes_renewal_of_fk foreign key (tenant_id, renewal_of_policy_id) references policies (tenant_id, id)
  `.execute(db);
  await sql`create index quotes_by_renewal on quotes (tenant_id, renewal_of_policy_id, created_at) where renewal_of_policy_id is not null`.execute(
    db,
  );

  await sql`
    create table renewal_offers (
      tenant_id uuid not null,
      policy_id uuid not null,
      -- The offer day this row answers: the policy's end date minus this many days.
      offer_days int not null check (offer_days between 0 and 365),
      quote_id uuid,
      -- Auto-renew: the order the saved payment method is charged for.
      order_id uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, policy_id, offer_days),
      foreign key (tenant_id, policy_id) references policies (tenant_id, id),
      foreign key (tenant_id, quote_id) references quotes (tenant_id, id),
      foreign key (tenant_id, order_id) references orders (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "renewal_offers");
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

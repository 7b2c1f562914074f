import { sql, type Kysely } from "kysely";

/**
 * PayPal (decision 044): a payment the customer approved is taken by a second call, the capture,
 * logged as a gateway exchange of its own kind; and what PayPal converted (rate, the amount the
 * agency's account received) is kept with the payment, as the provider reported it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table gateway_log drop constraint gateway_log_kind_check`.execute(db);
  await sql`
    alter table gateway_log add constraint gateway_log_kind_check
      check (kind in ('initiate', 'query', 'capture', 'refund', 'callback', 'rejected_callback', 'payout', 'payout_result'))
  `.execute(db);
  await sql`alter table transactions add column provider_details jsonb`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

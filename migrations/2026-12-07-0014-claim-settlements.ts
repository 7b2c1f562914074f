import { sql, type Kysely } from "kysely";

/**
 * Settling claims (issue 12, decision 025): what migration 0012's `claim_settlements` needs to pay
 * a claimant exactly once through a payout provider, a bank file or a reference staff enter, and
 * the claim letters.
 *
 * - A settlement exists from the claim's approval, before anyone has chosen how to pay it: its
 *   method is null until then (a settlement under way must have one).
 * - `attempt` counts payouts sent to a provider: each attempt's reference (M-Pesa's
 *   OriginatorConversationID) derives from it, so a retry of the same attempt is the same request
 *   and the provider refuses it as a duplicate instead of paying twice.
 * - `callback_token_hash`: the hash of the settlement's unguessable callback token (M-Pesa's result
 *   callbacks are unsigned), looked up when a result arrives, as for payments (decision 010).
 * - `sent_at`: when the current attempt was handed to the provider (null while queued).
 * - `payee_bank`, `exported_at`: a bank transfer's bank, and when it first went out in a bank file.
 * - `needs_attention`: what staff must look at (a provider that timed out, an answer that did not fit).
 * - Provider callbacks for payouts are stored in `provider_events` like payments' (kind `payout`),
 *   so the webhook backlog metric counts them too.
 * - `claims.decision_letter_file_key`: the rejection letter.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table claim_settlements alter column method drop not null`.execute(db);
  await sql`
    alter table claim_settlements
      add column attempt int not null default 0 check (attempt >= 0),
      add column callback_token_hash text,
      add column sent_at timestamptz,
      add column payee_bank text,
      add column exported_at timestamptz,
      add column needs_attention text,
      add constraint claim_settlements_method_chosen check (status in ('pending', 'cancelled') or method is not null)
  `.execute(db);
  await sql`
    create unique index claim_settlements_callback_token on claim_settlements (tenant_id, callback_token_hash)
      where callback_token_hash is not null
  `.execute(db);
  // The settlements queue, the bank file and reconciliation read settlements by status and method.
  await sql`create index claim_settlements_by_status on claim_settlements (tenant_id, status, method, updated_at)`.execute(db);

  await sql`alter table claims add column decision_letter_file_key text`.execute(db);

  await sql`alter table provider_events add column settlement_id uuid`.execute(db);
  await sql`
    alter table provider_events add foreign key (tenant_id, settlement_id) references claim_settlements (tenant_id, id)
  `.execute(db);
  await sql`alter table provider_events drop constraint provider_events_kind_check`.execute(db);
  await sql`
    alter table provider_events add constraint provider_events_kind_check check (kind in ('payment', 'refund', 'dispute', 'payout'))
  `.execute(db);
  await sql`create index provider_events_by_settlement on provider_events (tenant_id, settlement_id, received_at) where settlement_id is not null`.execute(
    db,
  );
  await sql`create index gateway_log_by_settlement on gateway_log (tenant_id, settlement_id, created_at) where settlement_id is not null`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

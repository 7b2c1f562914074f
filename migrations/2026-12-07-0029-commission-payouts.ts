import { sql, type Kysely } from "kysely";

/**
 * Issue 15, payouts (docs/decisions/047-commission-bank-files.md):
 *
 * - `network_settings` learns which bank's bulk-payment file the agency uploads (Maybank2u Biz or
 *   CIMB BizChannel) and the account the bank debits, with the payer name the file carries. The
 *   agency's own account is not a personal identifier: stored as typed (digits).
 * - `agents` may be paid by DuitNow to a proxy (their mobile number or MyKad number) instead of
 *   their account number. The proxy is a personal identifier: encrypted with the PII keys like the
 *   account number (docs/architecture.md §3), only a mask readable on pages.
 * - `payouts` (one agent's line of a batch) can be paid through a payout provider (M-Pesa B2C,
 *   decision 025's PayoutProvider): method, state, attempt and its key, the provider's reference
 *   and receipt, and the hash of the payout's callback token. `provider_events` and `gateway_log`
 *   name the payout a result or an exchange belongs to, as they name a claim settlement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table network_settings
      add column bank_file_format text check (bank_file_format in ('maybank2u_biz', 'cimb_bizchannel')),
      add column payer_name text,
      add column payer_account text check (payer_account ~ '^[0-9]{10,16}$')
  `.execute(db);
  await sql`
    alter table agents
      add column duitnow_proxy_type text check (duitnow_proxy_type in ('mobile', 'nric')),
      add column duitnow_proxy_ciphertext text,
      add column duitnow_proxy_masked text,
      add constraint agents_duitnow_proxy_whole check ((duitnow_proxy_type is null) = (duitnow_proxy_ciphertext is null))
  `.execute(db);
  await sql`
    alter table payouts
      add column reference text,
      add column method text check (method in ('mpesa_b2c', 'sandbox')),
      add column status text not null default 'open' check (status in ('open', 'processing', 'paid', 'failed')),
      add column attempt int not null default 0,
      add column provider_ref text,
      add column receipt text,
      add column payee_phone text,
      add column sent_at timestamptz,
      add column failure_code text,
      add column failure_message text,
      add column needs_attention text,
      add column callback_token_hash text,
      add column updated_at timestamptz
  `.execute(db);
  await sql`create unique index payouts_by_callback_token on payouts (tenant_id, callback_token_hash) where callback_token_hash is not null`.execute(
    db,
  );
  await sql`alter table provider_events add column payout_id uuid`.execute(db);
  await sql`alter table provider_events add foreign key (tenant_id, payout_id) references payouts (tenant_id, id)`.execute(db);
  await sql`alter table gateway_log add column payout_id uuid`.execute(db);
  await sql`alter table gateway_log add foreign key (tenant_id, payout_id) references payouts (tenant_id, id)`.execute(db);
}

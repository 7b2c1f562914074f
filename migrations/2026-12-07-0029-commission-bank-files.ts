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
}

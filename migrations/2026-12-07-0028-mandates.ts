import { sql, type Kysely } from "kysely";

/**
 * E-mandates (issue 15, docs/decisions/046-e-mandates.md): a standing authority to debit a member's
 * bank account is a saved payment method of kind `mandate`, so auto-debit (decision 029) charges it
 * through the same `chargeSavedMethod` and its exactly-once index. A mandate adds its status (moved
 * only forward by provider events), the most one debit may take, its last day, the bank it debits,
 * the provider's handle of its authorisation (events are matched by it, or by a hash of the
 * mandate's token: the token itself is kept encrypted with the reference) and the policy it pays.
 *
 * `transactions.bank_code`: the FPX bank or e-wallet the member picked for this payment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table payment_methods
      add column kind text not null default 'card' check (kind in ('card', 'mandate')),
      add column mandate_status text check (mandate_status in ('pending', 'active', 'paused', 'cancelled', 'expired', 'rejected')),
      add column max_amount_minor bigint check (max_amount_minor > 0),
      add column expires_on date,
      add column bank_name text,
      add column provider_ref text,
      add column mandate_ref_hash text,
      add column policy_id uuid,
      add constraint payment_methods_policy_fk foreign key (tenant_id, policy_id) references policies (tenant_id, id),
      add constraint payment_methods_mandate_shape check (
        (kind = 'card' and mandate_status is null and policy_id is null)
        or (kind = 'mandate' and mandate_status is not null and policy_id is not null and max_amount_minor is not null and not is_default)
      )
  `.execute(db);
  // An event names the authorisation: one mandate per handle and provider.
  await sql`
    create unique index payment_methods_mandate_ref on payment_methods (tenant_id, provider, provider_ref)
    where provider_ref is not null
  `.execute(db);
  // One mandate being set up or in force per policy; a new one may follow one that ended.
  await sql`
    create unique index payment_methods_one_live_mandate on payment_methods (tenant_id, policy_id)
    where kind = 'mandate' and mandate_status in ('pending', 'active', 'paused')
  `.execute(db);
  await sql`alter table transactions add column bank_code text check (bank_code ~ '^[A-Za-z0-9_]{2,32}$')`.execute(db);
}

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Saved payment methods and auto-debit of instalments (issue 13, docs/decisions/029-saved-payment-methods.md).
 *
 * - `payment_methods`: a card a customer chose to keep, as the provider's reusable reference
 *   (Stripe customer + PaymentMethod, Paystack customer + authorization code, a sandbox card),
 *   encrypted like provider credentials, with what a page may show (brand, last 4, expiry).
 *   `fingerprint` recognises the same card saved twice; removing a method keeps its row
 *   (`removed_at`) because payments point at it.
 * - `transactions.save_method`: the customer ticked "save this card" on this payment.
 * - `transactions.payment_method_id`: an off-session charge of a saved method; at most one per
 *   instalment and one per order, whatever happens to it — the constraint that makes auto-debit
 *   exactly-once.
 * - `policies.autodebit_method_id`: the method the customer chose to pay this policy's
 *   instalments automatically; null is off.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table payment_methods (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      provider text not null check (provider in ('stripe', 'paystack', 'sandbox')),
      reference_ciphertext text not null,
      fingerprint text not null,
      brand text,
      last4 text check (last4 ~ '^[0-9]{4}$'),
      exp_month int check (exp_month between 1 and 12),
      exp_year int check (exp_year between 2000 and 2100),
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      removed_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "payment_methods");
  // The same card saved again is the same method, while it is kept.
  await sql`
    create unique index payment_methods_one_per_card on payment_methods (tenant_id, user_id, provider, fingerprint)
    where removed_at is null
  `.execute(db);
  await sql`
    create unique index payment_methods_one_default on payment_methods (tenant_id, user_id)
    where is_default and removed_at is null
  `.execute(db);

  await sql`
    alter table transactions
      add column save_method boolean not null default false,
      add column payment_method_id uuid,
      add constraint transactions_payment_method_fk foreign key (tenant_id, payment_method_id) references payment_methods (tenant_id, id)
  `.execute(db);
  await sql`
    create unique index transactions_one_saved_charge_per_instalment on transactions (tenant_id, instalment_id)
    where payment_method_id is not null and instalment_id is not null
  `.execute(db);
  await sql`
    create unique index transactions_one_saved_charge_per_order on transactions (tenant_id, order_id)
    where payment_method_id is not null and order_id is not null
  `.execute(db);

  await sql`
    alter table policies
      add column autodebit_method_id uuid,
      add constraint policies_autodebit_method_fk foreign key (tenant_id, autodebit_method_id) references payment_methods (tenant_id, id)
  `.execute(db);
}

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * A policy's life after the sale (issue 13, docs/decisions/027-policy-lifecycle.md): every change
 * to a policy is a dated, priced transaction kept as a version, and the tenant's rules say when
 * renewal offers go out and how long the free-look period is.
 *
 * - `policy_rules`: renewal offer days (e.g. 30 and 7 days before the end) and the free-look period.
 * - `products.lifecycle`: the product's own rules after the sale (renewable, the refund method on
 *   cancellation, a no-claims discount): app/modules/policies/lifecycle.ts.
 * - `policies`: the renewal link to its predecessor (one renewal per policy at most), auto-renew,
 *   when and why it was cancelled, and its current version.
 * - `policy_versions`: version 1 is the policy as issued; each endorsement, cancellation,
 *   reinstatement or reversal adds one, with the date it takes effect, the premium it adds (or
 *   returns, negative), the rating inputs in force from then, and its certificate.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table policy_rules
      add column renewal_offer_days int[] not null default '{30,7}',
      add column free_look_days int not null default 14 check (free_look_days between 0 and 90)
  `.execute(db);
  await sql`alter table products add column lifecycle jsonb not null default '{}'::jsonb`.execute(db);

  await sql`
    alter table policies
      add column renewal_of_policy_id uuid,
      add column auto_renew boolean not null default false,
      add column cancelled_on date,
      add column cancellation_reason text,
      add column current_version int not null default 1,
      add constraint policies_renewal_of_fk foreign key (tenant_id, renewal_of_policy_id) references policies (tenant_id, id)
  `.execute(db);
  // A policy is renewed once at most, however often the job or the customer asks.
  await sql`create unique index policies_one_renewal on policies (tenant_id, renewal_of_policy_id) where renewal_of_policy_id is not null`.execute(
    db,
  );
  // The daily job's scan: active policies by their end date.
  await sql`create index policies_by_end_date on policies (tenant_id, end_date) where status in ('active', 'grace')`.execute(db);

  await sql`
    create table policy_versions (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      policy_id uuid not null,
      version int not null check (version >= 1),
      kind text not null check (kind in ('issue', 'endorsement', 'cancellation', 'reinstatement', 'reversal')),
      -- The day the change takes effect (the cover's start for version 1).
      effective_date date not null,
      -- Premium the change adds (positive) or returns (negative), in minor units; 0 for none.
      premium_delta_minor bigint not null default 0,
      -- The annual premium in force from the effective date.
      annual_premium_minor bigint not null check (annual_premium_minor >= 0),
      currency text not null,
      -- The rating inputs in force from the effective date (the quote's, changed by an endorsement).
      inputs jsonb not null,
      -- What changed, in the customer's words ("Vehicle value KES 1,200,000 → KES 1,500,000").
      summary text not null,
      reason text,
      -- The version this one undoes (kind 'reversal').
      reverses_version int,
      -- Pending until its premium is paid or refunded; applied once in force.
      status text not null default 'applied' check (status in ('pending', 'applied', 'void')),
      certificate_file_key text,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, policy_id, version),
      foreign key (tenant_id, policy_id) references policies (tenant_id, id),
      foreign key (tenant_id, created_by) references users (tenant_id, id)
    )
  `.execute(db);
  await enableTenantRls(db, "policy_versions");

  // The money of a version: an additional premium is a payment for the version; a returned premium
  // is refunded from the policy's payments, one refund per payment it comes back from.
  await sql`
    alter table transactions
      add column policy_version_id uuid,
      add constraint transactions_policy_version_fk foreign key (tenant_id, policy_version_id) references policy_versions (tenant_id, id)
  `.execute(db);
  await sql`
    alter table refunds
      add column policy_version_id uuid,
      add constraint refunds_policy_version_fk foreign key (tenant_id, policy_version_id) references policy_versions (tenant_id, id)
  `.execute(db);
  // A declined policy is still refunded once; a version is refunded once from each payment.
  await sql`drop index refunds_one_per_policy`.execute(db);
  await sql`create unique index refunds_one_per_policy on refunds (tenant_id, policy_id) where policy_id is not null and policy_version_id is null`.execute(
    db,
  );
  await sql`create unique index refunds_one_per_version_payment on refunds (tenant_id, policy_version_id, transaction_id) where policy_version_id is not null`.execute(
    db,
  );

  // Every policy issued so far gets its version 1, from the quote it was bought on.
  await sql`
    insert into policy_versions (tenant_id, policy_id, version, kind, effective_date, annual_premium_minor, currency, inputs, summary, created_at)
    select p.tenant_id, p.id, 1, 'issue', coalesce(p.start_date, p.created_at::date), p.annual_premium_minor, p.currency, q.inputs,
           'Policy issued', coalesce(p.issued_at, p.created_at)
    from policies p join quotes q on q.tenant_id = p.tenant_id and q.id = p.quote_id
    where p.issued_at is not null
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Claims from first notice to settlement, panel hospitals and clinics, and workflows that an agency
 * configures (issue 12, decision 020).
 *
 * - `facilities`: a tenant's directory of hospitals and clinics, panel or not.
 * - `claim_settings`: a tenant's claim rules (four-eyes threshold, appeal window, cover in grace …).
 * - `claims` with their documents, information requests, internal notes, sign-offs and settlement.
 *   A claim's status is the claim machine's (app/modules/workflows/claim.ts); which person acts next is
 *   the workflow's.
 * - `workflow_templates` (versioned stage lists as data), `workflow_instances` (a claim or a policy
 *   on the version it started on) and `workflow_tasks` (one row per stage entered: who, by when,
 *   with what outcome).
 * - Two new roles: `claims_manager` (signs off approvals, runs the queue) and nothing else; an agent
 *   reviews their own members' claims through a permission of the agent role.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    declare c record;
    begin
      for c in select conname from pg_constraint
               where conrelid = 'user_roles'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%role%'
      loop
        execute format('alter table user_roles drop constraint %I', c.conname);
      end loop;
    end $$
  `.execute(db);
  await sql`
    alter table user_roles add constraint user_roles_role_check
      check (role in ('customer', 'agent', 'staff', 'assessor', 'claims_manager', 'underwriter', 'admin'))
  `.execute(db);

  // What kind of claims a category's policies produce (motor, medical, life, travel, home): a tenant's
  // category slugs are its own (KHHoldings' "hibah" claims as life).
  await sql`
    alter table categories add column claim_family text
      check (claim_family in ('motor', 'medical', 'life', 'travel', 'home'))
  `.execute(db);
  await sql`alter table categories no force row level security`.execute(db);
  await sql`
    update categories set claim_family = case
      when slug in ('motor', 'medical', 'life', 'travel', 'home') then slug
      when slug in ('hibah', 'takaful', 'funeral', 'education') then 'life'
      when slug in ('health') then 'medical'
      else null end
  `.execute(db);
  await sql`alter table categories force row level security`.execute(db);

  // A product's claim rules as data: waiting days per claim type, the yearly benefit limit, the
  // excess and the documents each claim type needs (app/modules/claims/rules.ts reads them).
  await sql`alter table products add column claim_rules jsonb not null default '{}'::jsonb`.execute(db);

  await sql`
    create table facilities (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('hospital', 'clinic')),
      address text not null default '',
      city text not null,
      state text not null,
      postcode text not null default '',
      phone text not null default '',
      email text not null default '',
      panel boolean not null default true,
      services text[] not null default '{}',
      status text not null default 'active' check (status in ('active', 'inactive')),
      -- Services are matched as an array (array_to_string is not immutable, so not in here).
      search tsvector generated always as (to_tsvector('simple', name || ' ' || city || ' ' || state)) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id)
    )
  `.execute(db);
  await sql`create unique index facilities_name_city on facilities (tenant_id, lower(name), lower(city))`.execute(db);
  await sql`create index facilities_by_place on facilities (tenant_id, state, city, kind) where status = 'active'`.execute(db);
  await sql`create index facilities_search on facilities using gin (search)`.execute(db);

  await sql`
    create table claim_settings (
      tenant_id uuid not null primary key,
      -- An approval whose payable amount is above this needs a second person (never the assessor).
      four_eyes_minor bigint not null default 10000000 check (four_eyes_minor >= 0),
      -- A rejection may be appealed this many days after it was decided.
      appeal_days int not null default 30 check (appeal_days between 0 and 365),
      -- An incident this many days into an unpaid grace period is still covered.
      grace_cover_days int not null default 0 check (grace_cover_days between 0 and 90),
      -- Claims are handed to assessors by round-robin (by claim type and open workload) when filed.
      auto_assign boolean not null default true,
      updated_at timestamptz not null default now(),
      foreign key (tenant_id) references tenants (id)
    )
  `.execute(db);

  await sql`
    create table claims (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      claim_number text not null,
      policy_id uuid not null,
      -- The insured person: the policyholder's account; for KHHoldings also the member record.
      claimant_user_id uuid not null,
      member_id uuid,
      filed_by_user_id uuid not null,
      claim_type text not null,
      incident_date date not null,
      incident_place text not null,
      description text not null,
      claimed_minor bigint not null check (claimed_minor > 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      facility_id uuid,
      status text not null default 'submitted',
      -- What the system found when the claim was filed: [{ code, message }]; empty = eligible.
      eligibility_flags jsonb not null default '[]'::jsonb,
      -- The policy year the claim counts against (for the benefit left).
      policy_year_start date not null,
      assessor_user_id uuid,
      -- The assessment: what the assessor found.
      assessed_by uuid,
      assessed_at timestamptz,
      approved_minor bigint check (approved_minor >= 0),
      excess_minor bigint check (excess_minor >= 0),
      payable_minor bigint check (payable_minor >= 0),
      reason_codes text[] not null default '{}',
      decision text check (decision in ('approved', 'partially_approved', 'rejected')),
      -- Shown to the claimant with the decision.
      decision_note text,
      decided_at timestamptz,
      appealed_at timestamptz,
      appeal_reason text,
      withdrawn_at timestamptz,
      withdrawal_reason text,
      -- Bumped on every change: two people acting on one claim at once, the second is refused.
      revision int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, claim_number),
      foreign key (tenant_id, policy_id) references policies (tenant_id, id),
      foreign key (tenant_id, claimant_user_id) references users (tenant_id, id),
      foreign key (tenant_id, filed_by_user_id) references users (tenant_id, id),
      foreign key (tenant_id, member_id) references members (tenant_id, id),
      foreign key (tenant_id, facility_id) references facilities (tenant_id, id),
      foreign key (tenant_id, assessor_user_id) references users (tenant_id, id),
      foreign key (tenant_id, assessed_by) references users (tenant_id, id),
      check (payable_minor is null or approved_minor is not null)
    )
  `.execute(db);
  await sql`create index claims_by_claimant on claims (tenant_id, claimant_user_id, created_at desc)`.execute(db);
  await sql`create index claims_by_policy on claims (tenant_id, policy_id, policy_year_start)`.execute(db);
  await sql`create index claims_queue on claims (tenant_id, status, created_at)`.execute(db);
  await sql`create index claims_by_assessor on claims (tenant_id, assessor_user_id, status)`.execute(db);

  await sql`
    create table claim_requests (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      claim_id uuid not null,
      message text not null,
      -- The documents asked for: [{ code, label }].
      documents jsonb not null default '[]'::jsonb,
      requested_by uuid not null,
      created_at timestamptz not null default now(),
      answered_at timestamptz,
      answer text,
      primary key (tenant_id, id),
      foreign key (tenant_id, claim_id) references claims (tenant_id, id),
      foreign key (tenant_id, requested_by) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index claim_requests_by_claim on claim_requests (tenant_id, claim_id, created_at)`.execute(db);

  await sql`
    create table claim_documents (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      claim_id uuid not null,
      -- What the document is: police_report, photos, discharge_summary … (app/modules/claims/rules.ts).
      kind text not null,
      request_id uuid,
      file_key text not null,
      filename text not null,
      content_type text not null,
      size_bytes int not null check (size_bytes > 0),
      status text not null default 'pending' check (status in ('pending', 'verified', 'rejected')),
      review_note text,
      reviewed_by uuid,
      reviewed_at timestamptz,
      uploaded_by uuid not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, file_key),
      foreign key (tenant_id, claim_id) references claims (tenant_id, id),
      foreign key (tenant_id, request_id) references claim_requests (tenant_id, id),
      foreign key (tenant_id, reviewed_by) references users (tenant_id, id),
      foreign key (tenant_id, uploaded_by) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index claim_documents_by_claim on claim_documents (tenant_id, claim_id, created_at)`.execute(db);

  // Internal notes: staff only, never shown to the claimant or their agent.
  await sql`
    create table claim_notes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      claim_id uuid not null,
      author_user_id uuid not null,
      body text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, claim_id) references claims (tenant_id, id),
      foreign key (tenant_id, author_user_id) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create index claim_notes_by_claim on claim_notes (tenant_id, claim_id, created_at)`.execute(db);

  // Sign-offs of a decision: the first by whoever decides, the second (four-eyes) by another person.
  // One row per step, so two people signing at once cannot both be "the second".
  await sql`
    create table claim_approvals (
      tenant_id uuid not null,
      claim_id uuid not null,
      step int not null check (step in (1, 2)),
      approver_user_id uuid not null,
      decision text not null check (decision in ('approved', 'partially_approved', 'rejected')),
      payable_minor bigint not null check (payable_minor >= 0),
      note text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, claim_id, step),
      foreign key (tenant_id, claim_id) references claims (tenant_id, id),
      foreign key (tenant_id, approver_user_id) references users (tenant_id, id)
    )
  `.execute(db);

  // The payment to the claimant, exactly once (decision 010's discipline): one per claim, unique
  // references, a state machine, and the gateway's exchanges in gateway_log.
  await sql`
    create table claim_settlements (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      claim_id uuid not null,
      reference text not null,
      method text not null check (method in ('mpesa_b2c', 'bank_transfer', 'manual', 'sandbox')),
      amount_minor bigint not null check (amount_minor > 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      status text not null default 'pending' check (status in ('pending', 'processing', 'paid', 'failed', 'cancelled')),
      payee_name text not null,
      payee_phone text,
      payee_account_ciphertext text,
      payee_account_masked text,
      provider_ref text,
      provider_receipt text,
      manual_reference text,
      failure_code text,
      failure_message text,
      letter_file_key text,
      created_by uuid,
      paid_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, claim_id),
      unique (tenant_id, reference),
      foreign key (tenant_id, claim_id) references claims (tenant_id, id),
      foreign key (tenant_id, created_by) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`create unique index claim_settlements_provider_ref on claim_settlements (tenant_id, method, provider_ref) where provider_ref is not null`.execute(
    db,
  );
  await sql`alter table gateway_log add column settlement_id uuid`.execute(db);
  await sql`
    alter table gateway_log add foreign key (tenant_id, settlement_id) references claim_settlements (tenant_id, id)
  `.execute(db);
  await sql`
    do $$
    declare c record;
    begin
      for c in select conname from pg_constraint
               where conrelid = 'gateway_log'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%kind%'
      loop
        execute format('alter table gateway_log drop constraint %I', c.conname);
      end loop;
    end $$
  `.execute(db);
  await sql`
    alter table gateway_log add constraint gateway_log_kind_check
      check (kind in ('initiate', 'query', 'refund', 'callback', 'rejected_callback', 'payout', 'payout_result'))
  `.execute(db);

  // Workflows (decision 020): a template is a versioned list of stages for one subject and scope.
  // scope is '*' or a category's claim family / slug, claim_type is '*' or a claim type; the most
  // specific active template wins. A version is never edited: saving makes the next version.
  await sql`
    create table workflow_templates (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      subject text not null check (subject in ('claim', 'policy')),
      scope text not null default '*',
      claim_type text not null default '*',
      version int not null check (version > 0),
      name text not null,
      definition jsonb not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, subject, scope, claim_type, version),
      foreign key (tenant_id, created_by) references users (tenant_id, id)
    )
  `.execute(db);
  await sql`
    create table workflow_instances (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      template_id uuid not null,
      subject text not null check (subject in ('claim', 'policy')),
      subject_id uuid not null,
      current_stage text not null,
      status text not null default 'active' check (status in ('active', 'completed', 'cancelled')),
      started_at timestamptz not null default now(),
      completed_at timestamptz,
      primary key (tenant_id, id),
      unique (tenant_id, subject, subject_id),
      foreign key (tenant_id, template_id) references workflow_templates (tenant_id, id)
    )
  `.execute(db);
  await sql`
    create table workflow_tasks (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      instance_id uuid not null,
      stage text not null,
      kind text not null check (kind in ('automatic', 'waiting', 'manual', 'terminal')),
      status text not null default 'open' check (status in ('open', 'completed', 'timed_out', 'cancelled', 'failed')),
      required_role text,
      assigned_user_id uuid,
      -- manual: the SLA's end; waiting: when the timeout fires.
      due_at timestamptz,
      started_at timestamptz not null default now(),
      completed_at timestamptz,
      completed_by uuid,
      outcome text,
      notes text,
      primary key (tenant_id, id),
      foreign key (tenant_id, instance_id) references workflow_instances (tenant_id, id),
      foreign key (tenant_id, assigned_user_id) references users (tenant_id, id),
      foreign key (tenant_id, completed_by) references users (tenant_id, id)
    )
  `.execute(db);
  // One open stage per instance: a workflow is in exactly one place at a time.
  await sql`create unique index workflow_tasks_one_open on workflow_tasks (tenant_id, instance_id) where status = 'open'`.execute(db);
  await sql`create index workflow_tasks_my_tasks on workflow_tasks (tenant_id, required_role, started_at) where status = 'open' and kind = 'manual'`.execute(
    db,
  );
  await sql`create index workflow_tasks_by_assignee on workflow_tasks (tenant_id, assigned_user_id, started_at) where status = 'open'`.execute(
    db,
  );

  for (const table of [
    "facilities",
    "claim_settings",
    "claims",
    "claim_requests",
    "claim_documents",
    "claim_notes",
    "claim_approvals",
    "claim_settlements",
    "workflow_templates",
    "workflow_instances",
    "workflow_tasks",
  ]) {
    await enableTenantRls(db, table);
  }
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

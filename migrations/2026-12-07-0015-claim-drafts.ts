import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * A claim being filed, step by step (issue 12, decision 023): the claim wizard works without
 * JavaScript, so what each step took is kept on the server between requests, and the documents
 * uploaded on the way are kept with it. Submitting turns the draft into a claim in one transaction
 * and deletes it; a claim is never half-filed.
 *
 * - `claim_drafts`: who is filing (the claimant, or their agent), the policy, and the answers so far.
 * - `claim_draft_documents`: the files uploaded before submitting (their own stored-file kind, so the
 *   orphan sweep knows them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table claim_drafts (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      -- Whoever is filling the wizard in: the policyholder, or the agent of the member it is for.
      user_id uuid not null,
      policy_id uuid not null,
      -- The answers of the steps so far: claimType, incidentDate, incidentPlace, description,
      -- claimedMinor, currency, facilityId (app/modules/claims/drafts.server.ts).
      answers jsonb not null default '{}'::jsonb,
      -- The furthest step reached (incident, amount, documents, review).
      step text not null default 'incident' check (step in ('incident', 'amount', 'documents', 'review')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id),
      foreign key (tenant_id, policy_id) references policies (tenant_id, id)
    )
  `.execute(db);
  await sql`create index claim_drafts_by_user on claim_drafts (tenant_id, user_id, updated_at desc)`.execute(db);

  await sql`
    create table claim_draft_documents (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      draft_id uuid not null,
      kind text not null,
      file_key text not null,
      filename text not null,
      content_type text not null,
      size_bytes int not null check (size_bytes > 0),
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, file_key),
      foreign key (tenant_id, draft_id) references claim_drafts (tenant_id, id) on delete cascade
    )
  `.execute(db);
  await sql`create index claim_draft_documents_by_draft on claim_draft_documents (tenant_id, draft_id, created_at)`.execute(db);

  for (const table of ["claim_drafts", "claim_draft_documents"]) await enableTenantRls(db, table);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

import { sql, type Kysely } from "kysely";

/**
 * The claims back office (issue 12 item 4, decision 024): what the assessor recommends, sign-offs
 * per round of assessment, and the indexes the claims queue relies on.
 *
 * - `claims.recommendation`: the assessment's outcome (approve with the amounts, or reject with the
 *   reasons); the decision that follows is the approvers'. `claims.assessment_round` counts the
 *   assessments completed: an appeal brings a claim back for another one.
 * - `claims_by_filing`: the queue's order (decision 024 has the plans it was chosen by).
 * - `claim_approvals` were keyed (claim, step): a claim decided, appealed and assessed again could
 *   never be signed off again. They are now keyed (claim, round, step): still one first and one
 *   second sign-off per assessment, so two people signing at once cannot both be "the second".
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table claims
      add column recommendation text check (recommendation in ('approve', 'reject')),
      add column assessment_round int not null default 0 check (assessment_round >= 0)
  `.execute(db);

  await sql`alter table claim_approvals add column round int not null default 1 check (round > 0)`.execute(db);
  await sql`alter table claim_approvals drop constraint claim_approvals_pkey`.execute(db);
  await sql`alter table claim_approvals add primary key (tenant_id, claim_id, round, step)`.execute(db);

  // The queue pages through a tenant's claims in filing order (oldest first, or newest): read in
  // index order, a page stops after its rows instead of sorting every claim of the tenant.
  await sql`create index claims_by_filing on claims (tenant_id, created_at, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

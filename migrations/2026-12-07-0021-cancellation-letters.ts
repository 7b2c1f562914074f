import { sql, type Kysely } from "kysely";

/**
 * A cancellation's letter and the figures behind its refund (issue 13, item 3;
 * docs/decisions/030-cancellations.md), kept with the cancellation's policy version: the letter in a
 * column of its own rather than the version's certificate (a cancelled policy has no certificate, and
 * a timeline must not offer a letter as one).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table policy_versions add column letter_file_key text`.execute(db);
  // What the refund was worked out from when the policy was cancelled (method, premium paid, kept,
  // claims paid, each payment's part, who cancelled): the letter and the pages show these figures
  // as they were, whatever is refunded or paid later.
  await sql`alter table policy_versions add column refund_basis jsonb`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

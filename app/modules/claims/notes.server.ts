import type { TenantDb } from "~db/client";
import { ClaimNotFound } from "./office.server";

/**
 * Internal notes on a claim (claim_notes): written and read by staff only. Nothing the claimant or
 * their agent is shown reads this table; tests/integration/claims-workbench.test.ts holds that.
 */

export interface ClaimNote {
  id: string;
  authorName: string;
  body: string;
  at: Date;
}

export async function addNote(db: TenantDb, input: { claimId: string; authorUserId: string; body: string }): Promise<void> {
  const claim = await db.selectFrom("claims").select("id").where("id", "=", input.claimId).executeTakeFirst();
  if (!claim) throw new ClaimNotFound();
  await db.insertInto("claim_notes").values({ claim_id: claim.id, author_user_id: input.authorUserId, body: input.body }).execute();
}

/** The claim's internal notes, oldest first. */
export async function notesOf(db: TenantDb, claimId: string): Promise<ClaimNote[]> {
  const rows = await db
    .selectFrom("claim_notes as n")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "n.tenant_id").onRef("u.id", "=", "n.author_user_id"))
    .select(["n.id", "u.name", "n.body", "n.created_at"])
    .where("n.claim_id", "=", claimId)
    .orderBy("n.created_at")
    .orderBy("n.id")
    .execute();
  return rows.map((r) => ({ id: r.id, authorName: r.name, body: r.body, at: r.created_at }));
}

import type { TenantDb } from "~db/client";
import type { Role } from "~db/schema";
import { can } from "~/modules/auth/permissions";

/**
 * Who may file on a policy and who may see a claim, outside the back office: the policyholder for
 * their own, and a KHHoldings agent for their OWN members only (`file:claim:member`). Anything else
 * reads as "not found" to the caller (issue 12: another's claim is a 404, documents included).
 */

export interface ClaimActor {
  userId: string;
  roles: readonly Role[];
}

/** How the actor relates to a policy's holder: themself, or the agent of the member who holds it. */
export type Standing = { as: "claimant" } | { as: "agent"; memberId: string };

/** The member record of a user, and the user id of the agent who registered them. */
export async function memberOfUser(db: TenantDb, userId: string): Promise<{ memberId: string; agentUserId: string } | undefined> {
  const row = await db
    .selectFrom("members")
    .innerJoin("agents", (j) => j.onRef("agents.tenant_id", "=", "members.tenant_id").onRef("agents.id", "=", "members.agent_id"))
    .select(["members.id", "agents.user_id"])
    .where("members.user_id", "=", userId)
    .executeTakeFirst();
  return row ? { memberId: row.id, agentUserId: row.user_id } : undefined;
}

/** May the actor file a claim on a policy held by `holderUserId`, and as whom? */
export async function standingOn(db: TenantDb, actor: ClaimActor, holderUserId: string): Promise<Standing | undefined> {
  if (holderUserId === actor.userId) return can(actor.roles, "file:claim:own") ? { as: "claimant" } : undefined;
  if (!can(actor.roles, "file:claim:member")) return undefined;
  const member = await memberOfUser(db, holderUserId);
  return member && member.agentUserId === actor.userId ? { as: "agent", memberId: member.memberId } : undefined;
}

/** May the actor see this claim from the customer side (as its claimant, or as its member's agent)? */
export async function standingOnClaim(
  db: TenantDb,
  actor: ClaimActor,
  claim: { claimant_user_id: string; member_id: string | null },
): Promise<Standing | undefined> {
  if (claim.claimant_user_id === actor.userId) return { as: "claimant" };
  if (!claim.member_id || !can(actor.roles, "file:claim:member")) return undefined;
  const row = await db
    .selectFrom("members")
    .innerJoin("agents", (j) => j.onRef("agents.tenant_id", "=", "members.tenant_id").onRef("agents.id", "=", "members.agent_id"))
    .select("agents.user_id")
    .where("members.id", "=", claim.member_id)
    .executeTakeFirst();
  return row?.user_id === actor.userId ? { as: "agent", memberId: claim.member_id } : undefined;
}

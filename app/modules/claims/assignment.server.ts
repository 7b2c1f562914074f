import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { Role } from "~db/schema";
import { ROLE_LABELS } from "~/modules/auth/permissions";
import { assignTask, workflowOf } from "~/modules/workflows/engine.server";
import { OPEN_CLAIM_STATUSES } from "./labels";
import { QUEUE_STATUSES } from "./office-forms";
import { auditClaim, claimToChange, touchClaim, type StaffActor } from "./office.server";
import { ClaimConflict } from "./transition.server";
import { nextAssessor } from "./workflow.server";

/**
 * Who assesses a claim (issue 12 item 4): a claims manager picks someone, or asks the round-robin
 * (`nextAssessor`, the same rule as a claim's first assignment: fewest open claims, then the one
 * given this claim type longest ago). The claim's assessor and its open assessment task move
 * together; the change is audited and shows on the claim's timeline.
 */

/** Roles whose people may assess (they hold `assess:claim:any`). */
const ASSESSING_ROLES: Role[] = ["assessor", "claims_manager", "admin"];

export interface AssessorChoice {
  id: string;
  name: string;
  role: string;
  openClaims: number;
}

/** Active people who may assess, with how many open claims each has, assessors first. */
export async function assessorChoices(db: TenantDb): Promise<AssessorChoice[]> {
  const rows = await db
    .selectFrom("users as u")
    .innerJoin("user_roles as r", (j) => j.onRef("r.tenant_id", "=", "u.tenant_id").onRef("r.user_id", "=", "u.id"))
    .select(["u.id", "u.name", sql<Role>`min(r.role)`.as("role")])
    .select((eb) =>
      eb
        .selectFrom("claims as c")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("c.assessor_user_id", "=", "u.id")
        .where("c.status", "in", OPEN_CLAIM_STATUSES)
        .as("open_claims"),
    )
    .where("r.role", "in", ASSESSING_ROLES)
    .where("u.status", "=", "active")
    .groupBy(["u.id", "u.name"])
    .orderBy(sql`bool_or(r.role = 'assessor')`, "desc")
    .orderBy("u.name")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, role: ROLE_LABELS[r.role], openClaims: r.open_claims ?? 0 }));
}

/** Hands the claim to `assessorId`. Refused for someone who may not assess; nothing changes when it is theirs already. */
export async function assignClaim(
  db: TenantDb,
  input: { claimId: string; revision: number; assessorId: string; actor: StaffActor },
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  const claim = await claimToChange(db, input.claimId, input.revision);
  if (!QUEUE_STATUSES.includes(claim.status)) throw new ClaimConflict("This claim is closed: it is no longer assigned.", 409);
  const choices = await assessorChoices(db);
  if (!choices.some((c) => c.id === input.assessorId))
    return { ok: false, errors: { assessorId: ["Choose someone from the list: only active assessors and claims managers assess."] } };
  await handTo(db, claim.id, claim.assessor_user_id, input.assessorId);
  await auditClaim(db, input.actor, claim.id, "assigned", { from: claim.assessor_user_id, to: input.assessorId, automatic: false });
  return { ok: true };
}

/** Hands the claim to whoever the round-robin picks now (the claim itself not counted against its current assessor). */
export async function reassignAutomatically(
  db: TenantDb,
  input: { claimId: string; revision: number; actor: StaffActor },
): Promise<{ assessorId: string }> {
  const claim = await claimToChange(db, input.claimId, input.revision);
  if (!QUEUE_STATUSES.includes(claim.status)) throw new ClaimConflict("This claim is closed: it is no longer assigned.", 409);
  await db.updateTable("claims").set({ assessor_user_id: null }).where("id", "=", claim.id).execute();
  const next = await nextAssessor(db, claim.id);
  if (!next) throw new ClaimConflict("There is no active assessor to hand this claim to.", 409);
  await handTo(db, claim.id, claim.assessor_user_id, next);
  await auditClaim(db, input.actor, claim.id, "assigned", { from: claim.assessor_user_id, to: next, automatic: true });
  return { assessorId: next };
}

/**
 * The claim's assessor, and its open task when that is assessment work: a task of the assessor
 * role, or one the previous assessor held. A decision or the agent's review stays where it is.
 */
async function handTo(db: TenantDb, claimId: string, previous: string | null, assessorId: string): Promise<void> {
  await touchClaim(db, claimId, { assessor_user_id: assessorId });
  const state = await workflowOf(db, "claim", claimId, true);
  const task = state?.task;
  if (!task || state.stage.kind !== "manual") return;
  if (state.stage.role === "assessor" || (previous !== null && task.assignedUserId === previous)) await assignTask(db, task.id, assessorId);
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { workflowOf, type InstanceState } from "~/modules/workflows/engine.server";
import { ClaimConflict, lockClaim, type Claim } from "./transition.server";

/**
 * What every back-office step on a claim shares (issue 12 item 4): the claim locked for the rest
 * of the transaction, the revision the person saw (two people acting at once: the second is told,
 * never silently overwrites), whether the claim's workflow is at a stage that takes the step, and
 * the audit entry. Steps throw ClaimConflict (409/422) or ClaimNotFound; withTenant then rolls the
 * whole step back, so a refused step leaves the claim as it was.
 */

export class ClaimNotFound extends Error {
  constructor() {
    super("No such claim");
  }
}

/** What a staff member did, as the audit log records it. */
export type StaffActor = Actor & { userId: string };

export const STALE_CLAIM = "Someone else changed this claim while you were looking at it. Reload it to see what changed.";

/** The claim, locked until the transaction ends, as the person saw it (`revision`), or a refusal. */
export async function claimToChange(db: TenantDb, claimId: string, revision: number | undefined): Promise<Claim> {
  const claim = await lockClaim(db, claimId);
  if (!claim) throw new ClaimNotFound();
  if (revision !== undefined && claim.revision !== revision) throw new ClaimConflict(STALE_CLAIM, 409);
  return claim;
}

/** Marks a change that is not a status change (an assignment, a first sign-off): forms showing the old revision are stale. */
export async function touchClaim(db: TenantDb, claimId: string, set: { assessor_user_id?: string | null } = {}): Promise<void> {
  await db
    .updateTable("claims")
    .set({ ...set, revision: sql<number>`revision + 1`, updated_at: new Date() })
    .where("id", "=", claimId)
    .execute();
}

/** The back office's own roles: a workflow stage given to one of these is staff work (not the agent's review). */
const STAFF_ROLES = ["assessor", "claims_manager", "admin"];

/**
 * Whether the claim's workflow takes this step now. A workflow that has ended, or a claim with
 * none, leaves it to the claim machine. Starting a review is no workflow event: it is allowed at a
 * stage worked by staff, so an assessor does not take a claim from under the member's agent.
 */
export function stageTakes(state: InstanceState | undefined, event: string): boolean {
  if (!state || state.status !== "active") return true;
  if (state.expects.includes(event)) return true;
  if (event === "start_review") return state.stage.kind === "manual" && STAFF_ROLES.includes(state.stage.role);
  return false;
}

export async function requireStage(db: TenantDb, claimId: string, event: string, what: string): Promise<InstanceState | undefined> {
  const state = await workflowOf(db, "claim", claimId);
  if (!stageTakes(state, event))
    throw new ClaimConflict(`This claim is at the "${state!.stage.name}" stage of its workflow, where it cannot be ${what} yet.`, 409);
  return state;
}

export async function auditClaim(
  db: TenantDb,
  actor: StaffActor,
  claimId: string,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(db, actor, { action: `claim.${action}`, targetType: "claim", targetId: claimId, details });
}

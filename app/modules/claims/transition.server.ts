import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { ClaimStatus, ClaimsTable } from "~db/schema";
import type { Selectable } from "kysely";
import { claimMachine, transition, type ClaimContext, type ClaimEvent } from "~/modules/workflows";
import { advanceWorkflow, type AdvanceResult } from "~/modules/workflows/engine.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * The one way a claim's status changes (decision 020): lock the claim, check the claim machine,
 * refuse a stale revision (two people acting on one claim at once: the second is told, never
 * silently overwrites), write the new status and the timeline row, then tell the workflow the
 * same event and queue what the event tells people (notifications.server.ts) — all in the
 * caller's transaction.
 */

export class ClaimConflict extends Error {
  constructor(
    message: string,
    /** 409 for a claim that moved meanwhile or cannot take the event; 422 when a guard refused it. */
    readonly status: 409 | 422,
  ) {
    super(message);
  }
}

export type Claim = Selectable<ClaimsTable>;

export interface MoveClaim {
  claimId: string;
  event: ClaimEvent;
  ctx?: Partial<ClaimContext>;
  actorUserId: string | null;
  /** Shown on the timeline (a rejection's reason, a request's message …). */
  reason?: string | null;
  /** The revision the person saw; omitted by system steps that act on whatever is current. */
  expectedRevision?: number;
  /** Other columns changed with the status (approved amount, withdrawal reason …). */
  set?: Partial<Omit<Claim, "id" | "tenant_id" | "status" | "revision" | "claim_number">>;
}

export async function lockClaim(db: TenantDb, claimId: string): Promise<Claim | undefined> {
  return db.selectFrom("claims").selectAll().where("id", "=", claimId).forUpdate().executeTakeFirst();
}

export async function moveClaim(
  db: TenantDb,
  workflow: ClaimWorkflow,
  move: MoveClaim,
): Promise<{ claim: Claim; from: ClaimStatus; workflow: AdvanceResult }> {
  const claim = await lockClaim(db, move.claimId);
  if (!claim) throw new ClaimConflict("No such claim", 409);
  if (move.expectedRevision !== undefined && move.expectedRevision !== claim.revision)
    throw new ClaimConflict("Someone else changed this claim while you were looking at it. Reload it to see what changed.", 409);
  const result = transition(claimMachine, claim.status, move.event, move.ctx);
  if (!result.ok) throw new ClaimConflict(result.reason, result.code === "guard" ? 422 : 409);
  const updated = await db
    .updateTable("claims")
    .set({ ...move.set, status: result.to, revision: sql<number>`revision + 1`, updated_at: new Date() })
    .where("id", "=", claim.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "claim",
    entityId: claim.id,
    from: claim.status,
    to: result.to,
    event: move.event,
    reason: move.reason ?? null,
    actorUserId: move.actorUserId,
  });
  const advanced = await advanceWorkflow(db, workflow, { subjectId: claim.id, event: move.event, actorUserId: move.actorUserId });
  // The claimant (and their agent) hear of it; an approval gets its settlement. Same transaction.
  await workflow.afterMove(db, updated, move.event, move.actorUserId);
  return { claim: updated, from: claim.status, workflow: advanced };
}

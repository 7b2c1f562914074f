import type { TenantDb } from "~db/client";
import { advanceWorkflow, workflowOf } from "~/modules/workflows/engine.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { quoteDateIn } from "~/modules/rating";
import type { ClaimActor } from "./access.server";
import { claimForClaimant } from "./claimant.server";
import { storeClaimDocuments, type AcceptedFile, type FileLedger } from "./documents.server";
import { documentKindsFor, documentLabel } from "./rules";
import { ClaimConflict, moveClaim } from "./transition.server";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * What the claimant (or their member's agent) does to a claim: withdraw it, appeal a rejection,
 * answer a request with documents, add a document; and the agent's review (KHHoldings' "agent
 * reviews and approves", a manual stage of the tenant's workflow). Every status change goes through
 * `moveClaim`; each returns field errors or throws `ClaimConflict` (409/422) for a stale or illegal move.
 */

export type ActionResult = { ok: true } | { ok: false; errors: Record<string, string[]>; status?: number };

const NOT_FOUND: ActionResult = { ok: false, errors: { form: ["Not found"] }, status: 404 };

async function viewFor(db: TenantDb, workflow: ClaimWorkflow, actor: ClaimActor, claimId: string) {
  return claimForClaimant(db, actor, claimId, quoteDateIn(workflow.tenant.timeZone));
}

export async function withdrawClaim(
  db: TenantDb,
  workflow: ClaimWorkflow,
  actor: ClaimActor,
  input: { claimId: string; reason: string; revision: number },
): Promise<ActionResult> {
  const view = await viewFor(db, workflow, actor, input.claimId);
  if (!view) return NOT_FOUND;
  if (!view.canWithdraw) return { ok: false, errors: { form: ["This claim can no longer be withdrawn."] }, status: 409 };
  await moveClaim(db, workflow, {
    claimId: input.claimId,
    event: "withdraw",
    actorUserId: actor.userId,
    reason: input.reason,
    expectedRevision: input.revision,
    set: { withdrawn_at: new Date(), withdrawal_reason: input.reason },
  });
  return { ok: true };
}

export async function appealClaim(
  db: TenantDb,
  workflow: ClaimWorkflow,
  actor: ClaimActor,
  input: { claimId: string; reason: string; revision: number },
): Promise<ActionResult> {
  const view = await viewFor(db, workflow, actor, input.claimId);
  if (!view) return NOT_FOUND;
  if (view.claim.status !== "rejected") return { ok: false, errors: { form: ["Only a rejected claim can be appealed."] }, status: 409 };
  if (!view.appealOpen)
    return { ok: false, errors: { form: [`The time to appeal this decision ended on ${view.appealUntil}.`] }, status: 422 };
  await moveClaim(db, workflow, {
    claimId: input.claimId,
    event: "appeal",
    ctx: { appealReason: input.reason, appealWindowOpen: true },
    actorUserId: actor.userId,
    reason: input.reason,
    expectedRevision: input.revision,
    set: { appealed_at: new Date(), appeal_reason: input.reason },
  });
  return { ok: true };
}

/**
 * Documents sent in answer to a request (or, with no request, added to the claim). An open request
 * answered while the claim waits for documents moves it back to assessment (`documents_received`).
 */
export async function addClaimDocuments(
  db: TenantDb,
  workflow: ClaimWorkflow,
  ledger: FileLedger,
  actor: ClaimActor,
  input: { claimId: string; requestId: string | null; answer: string | null; files: readonly AcceptedFile[] },
): Promise<ActionResult> {
  const view = await viewFor(db, workflow, actor, input.claimId);
  if (!view) return NOT_FOUND;
  if (["settled", "withdrawn"].includes(view.claim.status))
    return { ok: false, errors: { form: ["This claim is closed: no more documents can be added."] }, status: 409 };
  const request = input.requestId ? view.requests.find((r) => r.id === input.requestId) : null;
  if (input.requestId && !request) return { ok: false, errors: { requestId: ["That request is not on this claim."] } };
  if (request?.answered_at) return { ok: false, errors: { form: ["That request has already been answered."] }, status: 409 };
  if (input.files.length === 0) return { ok: false, errors: { form: ["Choose at least one file to upload."] } };
  await storeClaimDocuments(
    db,
    ledger,
    { tenantId: workflow.tenant.id, claimId: input.claimId, requestId: request?.id ?? null, uploadedBy: actor.userId },
    input.files,
  );
  if (request) {
    await db
      .updateTable("claim_requests")
      .set({ answered_at: new Date(), answer: input.answer || null })
      .where("id", "=", request.id)
      .where("answered_at", "is", null)
      .execute();
    const open = await db
      .selectFrom("claim_requests")
      .select("id")
      .where("claim_id", "=", input.claimId)
      .where("answered_at", "is", null)
      .executeTakeFirst();
    if (!open && view.claim.status === "documents_requested")
      await moveClaim(db, workflow, {
        claimId: input.claimId,
        event: "documents_received",
        actorUserId: actor.userId,
        reason: input.answer || null,
      });
  }
  return { ok: true };
}

/** The document kinds a claim takes: its type's, "other", and whatever its requests asked for. */
export function claimDocumentKinds(view: NonNullable<Awaited<ReturnType<typeof claimForClaimant>>>) {
  const kinds = documentKindsFor(view.policy.claimFamily, view.claim.claim_type, view.policy.claimRules);
  for (const r of view.requests) for (const d of r.documents) if (!kinds.some((k) => k.code === d.code)) kinds.push(d);
  return kinds;
}

/** Is the claim waiting for this agent's review (the workflow's agent stage, given to them)? */
export async function awaitsAgentReview(db: TenantDb, claimId: string, agentUserId: string): Promise<boolean> {
  const state = await workflowOf(db, "claim", claimId);
  return (
    state?.status === "active" &&
    state.stage.kind === "manual" &&
    state.stage.role === "agent" &&
    (state.task?.assignedUserId ?? agentUserId) === agentUserId
  );
}

/** "Reviewed — send to the assessor": the workflow moves on; the status does not change, the timeline says so. */
export async function agentReviewed(
  db: TenantDb,
  workflow: ClaimWorkflow,
  actor: ClaimActor,
  input: { claimId: string; note: string | null },
): Promise<ActionResult> {
  const view = await viewFor(db, workflow, actor, input.claimId);
  if (!view || view.standing.as !== "agent") return NOT_FOUND;
  if (!(await awaitsAgentReview(db, input.claimId, actor.userId)))
    return { ok: false, errors: { form: ["This claim is not waiting for your review."] }, status: 409 };
  const moved = await advanceWorkflow(db, workflow, {
    subjectId: input.claimId,
    event: "agent_reviewed",
    actorUserId: actor.userId,
    notes: input.note,
  });
  if (!moved.moved) throw new ClaimConflict("This claim is not waiting for your review.", 409);
  await recordStateChange(db, {
    entity: "claim",
    entityId: input.claimId,
    from: view.claim.status,
    to: view.claim.status,
    event: "agent_reviewed",
    reason: input.note || "Reviewed and sent to the assessors",
    actorUserId: actor.userId,
  });
  return { ok: true };
}

/** The agent asks the member for documents before sending the claim on (`request_documents`). */
export async function agentAskDocuments(
  db: TenantDb,
  workflow: ClaimWorkflow,
  actor: ClaimActor,
  input: { claimId: string; message: string; documents: string[]; revision: number },
): Promise<ActionResult> {
  const view = await viewFor(db, workflow, actor, input.claimId);
  if (!view || view.standing.as !== "agent") return NOT_FOUND;
  if (!(await awaitsAgentReview(db, input.claimId, actor.userId)))
    return { ok: false, errors: { form: ["This claim is not waiting for your review."] }, status: 409 };
  const kinds = claimDocumentKinds(view);
  const unknown = input.documents.filter((d) => !kinds.some((k) => k.code === d));
  if (unknown.length) return { ok: false, errors: { documents: ["Choose the documents from the list."] } };
  const documents = input.documents.map((code) => ({ code, label: documentLabel(kinds, code) }));
  await db
    .insertInto("claim_requests")
    .values({ claim_id: input.claimId, message: input.message, documents: JSON.stringify(documents), requested_by: actor.userId })
    .execute();
  await moveClaim(db, workflow, {
    claimId: input.claimId,
    event: "request_documents",
    ctx: { requestedDocuments: documents.map((d) => d.label) },
    actorUserId: actor.userId,
    reason: input.message,
    expectedRevision: input.revision,
  });
  return { ok: true };
}

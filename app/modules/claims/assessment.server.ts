import type { TenantDb } from "~db/client";
import { notify } from "~/modules/notifications/notify.server";
import { assignTask } from "~/modules/workflows/engine.server";
import { benefitLeft } from "./eligibility.server";
import { REVIEWING_STATUSES, type AssessmentInput } from "./office-forms";
import { auditClaim, claimToChange, ClaimNotFound, requireStage, type StaffActor } from "./office.server";
import { ClaimConflict, moveClaim } from "./transition.server";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * The assessor's steps on a claim (issue 12 item 4): start the review, ask the claimant for more,
 * review each document, and complete the assessment (approve with amounts, or reject with reasons).
 * Each runs in the caller's transaction and goes through `moveClaim` for the status.
 */

export type FieldErrors = Record<string, string[]>;
export type StepResult = { ok: true } | { ok: false; errors: FieldErrors };

/**
 * An assessor takes the claim: submitted (or appealed) → under review. A claim nobody has yet
 * becomes theirs, with its open assessment task.
 */
export async function startReview(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: { claimId: string; revision: number; actor: StaffActor },
): Promise<void> {
  const claim = await claimToChange(db, input.claimId, input.revision);
  const state = await requireStage(db, claim.id, "start_review", "taken for review");
  const takes = claim.assessor_user_id === null;
  await moveClaim(db, workflow, {
    claimId: claim.id,
    event: "start_review",
    actorUserId: input.actor.userId,
    expectedRevision: claim.revision,
    ...(takes ? { set: { assessor_user_id: input.actor.userId } } : {}),
  });
  if (takes && state?.task && !state.task.assignedUserId) await assignTask(db, state.task.id, input.actor.userId);
  await auditClaim(db, input.actor, claim.id, "review_started", takes ? { assessor: input.actor.userId } : {});
}

/** Asks the claimant for more: a request they answer on their claim's page, and the claim waits for it. */
export async function requestDocuments(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: { claimId: string; revision: number; message: string; documents: { code: string; label: string }[]; actor: StaffActor },
): Promise<void> {
  const claim = await claimToChange(db, input.claimId, input.revision);
  await requireStage(db, claim.id, "request_documents", "sent back to the claimant");
  await db
    .insertInto("claim_requests")
    .values({ claim_id: claim.id, message: input.message, documents: JSON.stringify(input.documents), requested_by: input.actor.userId })
    .execute();
  await moveClaim(db, workflow, {
    claimId: claim.id,
    event: "request_documents",
    ctx: { requestedDocuments: input.documents.map((d) => d.label) },
    actorUserId: input.actor.userId,
    reason: input.message,
    expectedRevision: claim.revision,
  });
  await auditClaim(db, input.actor, claim.id, "documents_requested", { documents: input.documents.map((d) => d.code) });
}

/** Marks one of the claim's documents verified, or rejected with a note the claimant reads. */
export async function reviewDocument(
  db: TenantDb,
  input: { claimId: string; documentId: string; verdict: "verified" | "rejected"; note: string | null; actor: StaffActor },
): Promise<void> {
  const claim = await claimToChange(db, input.claimId, undefined);
  if (!REVIEWING_STATUSES.includes(claim.status))
    throw new ClaimConflict("This claim has been assessed: its documents can no longer be reviewed.", 409);
  const updated = await db
    .updateTable("claim_documents")
    .set({ status: input.verdict, review_note: input.note, reviewed_by: input.actor.userId, reviewed_at: new Date() })
    .where("id", "=", input.documentId)
    .where("claim_id", "=", claim.id)
    .returning(["kind", "filename"])
    .executeTakeFirst();
  if (!updated) throw new ClaimNotFound();
  if (input.verdict === "verified") {
    // In-app only, and once per document: the claimant sees their claim move without an email per page.
    const link = `/account/claims/${claim.id}`;
    await notify(db, claim.tenant_id, {
      event: "document_verified",
      to: { userId: claim.claimant_user_id },
      vars: { claimNumber: claim.claim_number, document: updated.filename, link },
      link,
      dedupeKey: `document_verified:${input.documentId}`,
    });
  }
  await auditClaim(db, input.actor, claim.id, "document_reviewed", {
    documentId: input.documentId,
    kind: updated.kind,
    filename: updated.filename,
    verdict: input.verdict,
    note: input.note,
  });
}

/** The assessment: under review → assessed, with the recommendation and amounts the approvers sign. */
export async function completeAssessment(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: { claimId: string; assessment: AssessmentInput; actor: StaffActor; money: (minor: number) => string },
): Promise<StepResult> {
  const { assessment } = input;
  const claim = await claimToChange(db, input.claimId, assessment.revision);
  await requireStage(db, claim.id, "complete_assessment", "assessed");
  if (assessment.payableMinor !== null) {
    const benefit = await benefitLeft(db, claim.policy_id, claim.incident_date);
    if (benefit && assessment.payableMinor > benefit.leftMinor)
      return {
        ok: false,
        errors: { approvedAmount: [`Only ${input.money(benefit.leftMinor)} of this policy year's benefit is left: no more can be paid.`] },
      };
  }
  await moveClaim(db, workflow, {
    claimId: claim.id,
    event: "complete_assessment",
    actorUserId: input.actor.userId,
    expectedRevision: claim.revision,
    // No reason on the timeline: the claimant may read it, and the recommendation is not a decision yet.
    reason: null,
    set: {
      recommendation: assessment.recommendation,
      approved_minor: assessment.approvedMinor,
      excess_minor: assessment.excessMinor,
      payable_minor: assessment.payableMinor,
      reason_codes: assessment.reasonCodes,
      assessed_by: input.actor.userId,
      assessed_at: new Date(),
      assessment_round: claim.assessment_round + 1,
    },
  });
  if (assessment.notes)
    await db.insertInto("claim_notes").values({ claim_id: claim.id, author_user_id: input.actor.userId, body: assessment.notes }).execute();
  await auditClaim(db, input.actor, claim.id, "assessed", {
    recommendation: assessment.recommendation,
    approvedMinor: assessment.approvedMinor,
    excessMinor: assessment.excessMinor,
    payableMinor: assessment.payableMinor,
    reasonCodes: assessment.reasonCodes,
  });
  return { ok: true };
}

import type { TenantDb } from "~db/client";
import { assignTask, workflowOf } from "~/modules/workflows/engine.server";
import { claimPolicy } from "~/modules/claims/eligibility.server";
import { documentKindsFor, documentLabel } from "~/modules/claims/rules";
import { lockClaim, moveClaim } from "~/modules/claims/transition.server";
import type { ClaimWorkflow } from "~/modules/claims/workflow.server";

/**
 * The back office's side of the demo claims: an assessor taking a claim, asking for documents,
 * completing the assessment; a claims manager (and, above the four-eyes amount, a second person)
 * signing the decision off. Every status change goes through `moveClaim`; what the assessor and
 * approvers write besides is set here as the office's own functions will.
 *
 * A stand-in: the back-office decision functions (assessment, four-eyes approval) were being
 * written by the `claims-office` helper when this was; the lead swaps this for them after merging.
 */
export type OfficeStep =
  | { do: "unassign" }
  | { do: "review"; by: string }
  | { do: "request"; by: string; documents: string[]; message: string }
  | { do: "assess"; by: string; approvedMinor: number | null; note: string }
  | { do: "sign"; by: string; step: 1 | 2 }
  | { do: "approve"; by: string }
  | { do: "reject"; by: string; reasons: string[]; note: string };

export async function decideForDemo(db: TenantDb, workflow: ClaimWorkflow, claimId: string, step: OfficeStep): Promise<void> {
  const claim = (await lockClaim(db, claimId))!;
  switch (step.do) {
    case "unassign": {
      // Left in the queue for the claims manager to hand out.
      const state = await workflowOf(db, "claim", claimId);
      if (state?.task) await assignTask(db, state.task.id, null);
      await db.updateTable("claims").set({ assessor_user_id: null }).where("id", "=", claimId).execute();
      return;
    }
    case "review":
      await moveClaim(db, workflow, {
        claimId,
        event: "start_review",
        actorUserId: step.by,
        set: { assessor_user_id: claim.assessor_user_id ?? step.by },
      });
      return;
    case "request": {
      const policy = (await claimPolicy(db, claim.policy_id))!;
      const kinds = documentKindsFor(policy.claimFamily, claim.claim_type, policy.claimRules);
      const documents = step.documents.map((code) => ({ code, label: documentLabel(kinds, code) }));
      await db
        .insertInto("claim_requests")
        .values({ claim_id: claimId, message: step.message, documents: JSON.stringify(documents), requested_by: step.by })
        .execute();
      await moveClaim(db, workflow, {
        claimId,
        event: "request_documents",
        ctx: { requestedDocuments: documents.map((d) => d.label) },
        actorUserId: step.by,
        reason: step.message,
      });
      return;
    }
    case "assess": {
      const policy = (await claimPolicy(db, claim.policy_id))!;
      const excess = step.approvedMinor === null ? null : Math.min(policy.claimRules.excessMinor ?? 0, step.approvedMinor);
      await moveClaim(db, workflow, {
        claimId,
        event: "complete_assessment",
        actorUserId: step.by,
        reason: step.note,
        set: {
          assessed_by: step.by,
          assessed_at: new Date(),
          approved_minor: step.approvedMinor,
          excess_minor: excess,
          payable_minor: step.approvedMinor === null ? null : step.approvedMinor - excess!,
        },
      });
      return;
    }
    case "sign":
      await db
        .insertInto("claim_approvals")
        .values({
          claim_id: claimId,
          step: step.step,
          approver_user_id: step.by,
          decision: decisionOf(claim.approved_minor!, claim.claimed_minor),
          payable_minor: claim.payable_minor ?? 0,
          note: step.step === 1 ? "Assessment checked; the amount is above the four-eyes limit." : "Second sign-off.",
        })
        .execute();
      return;
    case "approve": {
      const policy = (await claimPolicy(db, claim.policy_id))!;
      const decision = decisionOf(claim.approved_minor!, claim.claimed_minor);
      const signed = await db.selectFrom("claim_approvals").select("step").where("claim_id", "=", claimId).execute();
      if (signed.length === 0)
        await db
          .insertInto("claim_approvals")
          .values({ claim_id: claimId, step: 1, approver_user_id: step.by, decision, payable_minor: claim.payable_minor ?? 0, note: null })
          .execute();
      await moveClaim(db, workflow, {
        claimId,
        event: "approve",
        ctx: {
          approvedAmount: claim.approved_minor!,
          claimedAmount: claim.claimed_minor,
          ...(policy.maxCoverMinor !== null ? { coverAmount: policy.maxCoverMinor } : {}),
        },
        actorUserId: step.by,
        set: { decision, decided_at: new Date(), decision_note: decision === "approved" ? null : "Approved as assessed." },
      });
      return;
    }
    case "reject":
      await db
        .insertInto("claim_approvals")
        .values({ claim_id: claimId, step: 1, approver_user_id: step.by, decision: "rejected", payable_minor: 0, note: step.note })
        .execute();
      await moveClaim(db, workflow, {
        claimId,
        event: "reject",
        ctx: { reason: step.note },
        actorUserId: step.by,
        reason: step.note,
        set: { decision: "rejected", reason_codes: step.reasons, decision_note: step.note, decided_at: new Date() },
      });
      return;
  }
}

function decisionOf(approvedMinor: number, claimedMinor: number) {
  return approvedMinor < claimedMinor ? ("partially_approved" as const) : ("approved" as const);
}

import type { TenantDb } from "~db/client";
import { formatMoney } from "~/lib/money";
import { assignTask, workflowOf } from "~/modules/workflows/engine.server";
import { completeAssessment, requestDocuments, startReview } from "~/modules/claims/assessment.server";
import { approveClaim, rejectClaim } from "~/modules/claims/decision.server";
import { claimPolicy } from "~/modules/claims/eligibility.server";
import { documentKindsFor, documentLabel } from "~/modules/claims/rules";
import { lockClaim } from "~/modules/claims/transition.server";
import type { ClaimWorkflow } from "~/modules/claims/workflow.server";

/**
 * The back office's side of the demo claims, through the back office's own functions: an assessor
 * taking a claim, asking for documents, completing the assessment; a claims manager (and, above
 * the four-eyes amount, a second person) signing the decision off (app/modules/claims/
 * assessment.server.ts, decision.server.ts). Each step acts on the claim as it stands.
 */
export type OfficeStep =
  | { do: "unassign" }
  | { do: "review"; by: string }
  | { do: "request"; by: string; documents: string[]; message: string }
  | { do: "assess"; by: string; approvedMinor: number | null; note: string }
  | { do: "sign"; by: string }
  | { do: "approve"; by: string; second: string }
  | { do: "reject"; by: string; reasons: string[]; note: string };

export async function decideForDemo(db: TenantDb, workflow: ClaimWorkflow, claimId: string, step: OfficeStep): Promise<void> {
  const claim = (await lockClaim(db, claimId))!;
  const revision = claim.revision;
  const money = (minor: number) => formatMoney(minor, claim.currency, workflow.tenant.locale);
  switch (step.do) {
    case "unassign": {
      // Left in the queue for the claims manager to hand out.
      const state = await workflowOf(db, "claim", claimId);
      if (state?.task) await assignTask(db, state.task.id, null);
      await db.updateTable("claims").set({ assessor_user_id: null }).where("id", "=", claimId).execute();
      return;
    }
    case "review":
      await startReview(db, workflow, { claimId, revision, actor: { userId: step.by } });
      return;
    case "request": {
      const policy = (await claimPolicy(db, claim.policy_id))!;
      const kinds = documentKindsFor(policy.claimFamily, claim.claim_type, policy.claimRules);
      const documents = step.documents.map((code) => ({ code, label: documentLabel(kinds, code) }));
      await requestDocuments(db, workflow, { claimId, revision, message: step.message, documents, actor: { userId: step.by } });
      return;
    }
    case "assess": {
      const policy = (await claimPolicy(db, claim.policy_id))!;
      const approved = step.approvedMinor;
      const excess = approved === null ? null : Math.min(policy.claimRules.excessMinor ?? 0, approved);
      const reasonCodes =
        approved === null || excess === null
          ? []
          : [...(approved < claim.claimed_minor ? ["not_all_covered"] : []), ...(excess > 0 ? ["excess_applied"] : [])];
      const assessed = await completeAssessment(db, workflow, {
        claimId,
        assessment: {
          revision,
          recommendation: approved === null ? "reject" : "approve",
          approvedMinor: approved,
          excessMinor: excess,
          payableMinor: approved === null || excess === null ? null : approved - excess,
          reasonCodes,
          notes: step.note,
        },
        actor: { userId: step.by },
        money,
      });
      if (!assessed.ok) throw new Error(JSON.stringify(assessed.errors));
      return;
    }
    case "sign": {
      const signed = await approveClaim(db, workflow, { claimId, revision, note: null, actor: { userId: step.by }, money });
      if (signed.outcome !== "waiting_for_second") throw new Error("The claim is not above the four-eyes amount: one approval decided it.");
      return;
    }
    case "approve": {
      const first = await approveClaim(db, workflow, { claimId, revision, note: null, actor: { userId: step.by }, money });
      if (first.outcome === "waiting_for_second") {
        const again = (await lockClaim(db, claimId))!;
        await approveClaim(db, workflow, { claimId, revision: again.revision, note: null, actor: { userId: step.second }, money });
      }
      return;
    }
    case "reject":
      await rejectClaim(db, workflow, { claimId, revision, reasonCodes: step.reasons, note: step.note, actor: { userId: step.by } });
      return;
  }
}

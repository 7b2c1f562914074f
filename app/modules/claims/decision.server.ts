import type { TenantDb } from "~db/client";
import type { ClaimDecision } from "~db/schema";
import { benefitLeft } from "./eligibility.server";
import { auditClaim, claimToChange, requireStage, touchClaim, type StaffActor } from "./office.server";
import { claimSettings } from "./settings.server";
import { ClaimConflict, moveClaim, type Claim } from "./transition.server";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * Deciding an assessed claim (issue 12 item 4): approve (or partially approve) the assessed amount,
 * or reject it with reasons. Four-eyes: when the payable amount is above the tenant's
 * `four_eyes_minor`, the first sign-off only records itself (the claim stays assessed, waiting)
 * and a second person decides — never the one who signed first, never the assessor who assessed
 * it. At or below the amount, one approval by anyone with the permission decides (the assessor
 * included). A rejection needs one person.
 *
 * Two people at once: each step locks the claim and checks the revision they saw, so the second
 * is refused with a message; the primary key of claim_approvals (claim, round, step) is the
 * backstop that no two rows can both be "the second".
 */

export interface SignOff {
  step: 1 | 2;
  approverUserId: string;
  approverName: string;
  decision: ClaimDecision;
  payableMinor: number;
  note: string | null;
  at: Date;
}

/** The sign-offs of the claim's current assessment round, first one first. */
export async function signOffsOf(db: TenantDb, claim: Pick<Claim, "id" | "assessment_round">): Promise<SignOff[]> {
  const rows = await db
    .selectFrom("claim_approvals as a")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "a.tenant_id").onRef("u.id", "=", "a.approver_user_id"))
    .select(["a.step", "a.approver_user_id", "u.name", "a.decision", "a.payable_minor", "a.note", "a.created_at"])
    .where("a.claim_id", "=", claim.id)
    .where("a.round", "=", roundOf(claim))
    .orderBy("a.step")
    .execute();
  return rows.map((r) => ({
    step: r.step,
    approverUserId: r.approver_user_id,
    approverName: r.name,
    decision: r.decision,
    payableMinor: r.payable_minor,
    note: r.note,
    at: r.created_at,
  }));
}

/**
 * What the assessment recommends. A claim assessed without saying (by code other than the
 * workbench's, before migration 0016) recommends approval when it has a payable amount.
 */
export function recommendationOf(claim: Pick<Claim, "recommendation" | "payable_minor">): "approve" | "reject" {
  return claim.recommendation ?? (claim.payable_minor !== null && claim.payable_minor > 0 ? "approve" : "reject");
}

/** What an approval of this claim would be: partial when less than claimed is payable. */
export function decisionFor(claim: Pick<Claim, "payable_minor" | "claimed_minor">): ClaimDecision {
  return (claim.payable_minor ?? 0) < claim.claimed_minor ? "partially_approved" : "approved";
}

export type ApproveOutcome = { outcome: "approved"; decision: ClaimDecision; payableMinor: number } | { outcome: "waiting_for_second" };

/**
 * An approver signs the assessed amount. Decides the claim (approved, with `payable_minor` to
 * settle) when one signature is enough or this is the second; otherwise records the first.
 */
export async function approveClaim(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: { claimId: string; revision: number; note: string | null; actor: StaffActor; money: (minor: number) => string },
): Promise<ApproveOutcome> {
  const claim = await claimToChange(db, input.claimId, input.revision);
  if (claim.status !== "assessment_complete") throw new ClaimConflict("This claim is not waiting for a decision.", 409);
  await requireStage(db, claim.id, "approve", "approved");
  if (recommendationOf(claim) !== "approve" || claim.payable_minor === null || claim.approved_minor === null)
    throw new ClaimConflict("The assessment recommends a rejection: there is no assessed amount to approve.", 422);
  const payable = claim.payable_minor;
  const benefit = await benefitLeft(db, claim.policy_id, claim.incident_date);
  if (benefit && payable > benefit.leftMinor)
    throw new ClaimConflict(
      `Only ${input.money(benefit.leftMinor)} of this policy year's benefit is left, less than the ${input.money(payable)} assessed.`,
      422,
    );
  const settings = await claimSettings(db);
  const [first] = await signOffsOf(db, claim);
  const decision = decisionFor(claim);
  const needsTwo = payable > settings.fourEyesMinor;
  const actor = input.actor.userId;

  if (!first) {
    await signOff(db, claim, 1, actor, decision, input.note);
    if (needsTwo) {
      await touchClaim(db, claim.id);
      await auditClaim(db, input.actor, claim.id, "signed_off", { step: 1, payableMinor: payable, fourEyesMinor: settings.fourEyesMinor });
      return { outcome: "waiting_for_second" };
    }
  } else if (first.decision === "rejected") {
    throw new ClaimConflict("This claim has already been rejected.", 409);
  } else if (first.approverUserId === actor) {
    // One signature is enough again when the four-eyes amount was raised after the first.
    if (needsTwo) throw new ClaimConflict("You signed this approval first: a second person must sign it.", 422);
  } else {
    if (needsTwo && actor === claim.assessed_by)
      throw new ClaimConflict("You assessed this claim: the second approval must come from someone else.", 422);
    await signOff(db, claim, 2, actor, decision, input.note);
  }

  await moveClaim(db, workflow, {
    claimId: claim.id,
    event: "approve",
    ctx: { approvedAmount: claim.approved_minor, claimedAmount: claim.claimed_minor },
    actorUserId: actor,
    expectedRevision: claim.revision,
    reason: input.note ?? first?.note ?? null,
    set: { decision, decision_note: input.note ?? first?.note ?? null, decided_at: new Date() },
  });
  await auditClaim(db, input.actor, claim.id, "approved", {
    decision,
    payableMinor: payable,
    signedFirstBy: first?.approverUserId ?? actor,
  });
  return { outcome: "approved", decision, payableMinor: payable };
}

/** Rejects the assessed claim with reasons and a note to the claimant; one person decides. */
export async function rejectClaim(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: { claimId: string; revision: number; reasonCodes: string[]; note: string; actor: StaffActor },
): Promise<void> {
  const claim = await claimToChange(db, input.claimId, input.revision);
  if (claim.status !== "assessment_complete") throw new ClaimConflict("This claim is not waiting for a decision.", 409);
  await requireStage(db, claim.id, "reject", "rejected");
  const [first] = await signOffsOf(db, claim);
  await signOff(db, claim, first ? 2 : 1, input.actor.userId, "rejected", input.note);
  await moveClaim(db, workflow, {
    claimId: claim.id,
    event: "reject",
    ctx: { reason: input.note },
    actorUserId: input.actor.userId,
    expectedRevision: claim.revision,
    reason: input.note,
    set: { decision: "rejected", reason_codes: input.reasonCodes, decision_note: input.note, decided_at: new Date() },
  });
  await auditClaim(db, input.actor, claim.id, "rejected", { reasonCodes: input.reasonCodes });
}

/** The assessment round sign-offs belong to (a claim assessed before rounds were counted is in round 1). */
function roundOf(claim: Pick<Claim, "assessment_round">): number {
  return Math.max(claim.assessment_round, 1);
}

async function signOff(db: TenantDb, claim: Claim, step: 1 | 2, approver: string, decision: ClaimDecision, note: string | null) {
  const inserted = await db
    .insertInto("claim_approvals")
    .values({
      claim_id: claim.id,
      round: roundOf(claim),
      step,
      approver_user_id: approver,
      decision,
      payable_minor: decision === "rejected" ? 0 : claim.payable_minor!,
      note,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "claim_id", "round", "step"]).doNothing())
    .returning("step")
    .executeTakeFirst();
  if (!inserted) throw new ClaimConflict("Someone else signed this claim at the same moment. Reload it to see what changed.", 409);
}

import type { TenantDb } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { CREATE_EVENT } from "~/modules/workflows/state-machine";
import { advanceWorkflow, startWorkflow } from "~/modules/workflows/engine.server";
import { quoteDateIn } from "~/modules/rating";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import { memberStanding } from "~/modules/members/status.server";
import { standingOn, type ClaimActor, type Standing } from "./access.server";
import { policyYearStart } from "./eligibility";
import { claimPolicy, eligibilityFor, type ClaimPolicy } from "./eligibility.server";
import { notifyClaimFiled } from "./notifications.server";
import { isClaimType } from "./rules";
import type { Claim } from "./transition.server";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * Filing a claim (issue 12 item 1): what is wrong with the form is a field error and nothing is
 * saved; what is doubtful about the claim (cover, waiting period, benefit left, documents) is a flag
 * and the claim is filed all the same (eligibility.ts). One transaction, the caller's: the claim,
 * its first timeline row and its workflow, and (drafts.server.ts) its documents.
 */

export type FieldErrors = Record<string, string[]>;

export interface FileClaimInput {
  actor: ClaimActor;
  policyId: string;
  claimType: string;
  incidentDate: string;
  incidentPlace: string;
  description: string;
  claimedMinor: number;
  currency: string;
  facilityId: string | null;
  /** Kinds of the documents that go with the claim (they decide the "documents missing" flag). */
  providedDocuments: readonly string[];
}

export type FileClaimResult = { ok: true; claim: Claim; standing: Standing } | { ok: false; errors: FieldErrors };

const NOT_YOURS = "Choose one of the policies listed.";

/** The policy, when the actor may claim on it (their own, or their member's for an agent). */
export async function policyForClaim(
  db: TenantDb,
  actor: ClaimActor,
  policyId: string,
): Promise<{ policy: ClaimPolicy; standing: Standing } | undefined> {
  const policy = await claimPolicy(db, policyId);
  if (!policy) return undefined;
  const standing = await standingOn(db, actor, policy.userId);
  return standing ? { policy, standing } : undefined;
}

/** Why a claim cannot be made on this policy at all (not issued yet). */
export function policyProblem(policy: ClaimPolicy): string | null {
  if (!policy.policyNumber || !policy.startDate) return "This policy has not been issued yet, so there is nothing to claim on.";
  if (!policy.claimFamily) return "Claims on this kind of policy are made by contacting us directly.";
  return null;
}

/** The incident step's rules: a claim type of the policy's kind, a date neither ahead nor before the cover. */
export function incidentErrors(
  policy: ClaimPolicy,
  input: { claimType: string; incidentDate: string },
  today: string,
  locale: string,
): FieldErrors {
  const errors: FieldErrors = {};
  if (!isClaimType(policy.claimFamily, input.claimType)) errors.claimType = ["Choose what happened from the list."];
  if (input.incidentDate > today) errors.incidentDate = ["The date of the incident cannot be in the future."];
  else if (policy.startDate && input.incidentDate < policy.startDate)
    errors.incidentDate = [
      `This policy's cover starts on ${formatDate(policy.startDate, locale, "UTC")}: an incident before then is not covered by it.`,
    ];
  return errors;
}

/** The amount step's rules: more than zero, in the policy's currency, at a facility of the directory (or none). */
export async function amountErrors(
  db: TenantDb,
  policy: ClaimPolicy,
  input: { claimedMinor: number; currency: string; facilityId: string | null },
  locale: string,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.currency !== policy.currency)
    errors.currency = [`Claims on this policy are in ${policy.currency}; enter the amount in ${policy.currency}.`];
  if (!Number.isSafeInteger(input.claimedMinor) || input.claimedMinor <= 0) errors.claimedMinor = ["Enter an amount more than zero."];
  else {
    // Over the policy's own limit cannot be paid whatever happens (issue 12: a field error); over what
    // is LEFT of this year's benefit is a flag, decided at filing (eligibility.ts).
    const limit = policyLimitMinor(policy);
    if (limit !== null && input.claimedMinor > limit)
      errors.claimedMinor = [`That is more than this policy's limit of ${formatMoney(limit, policy.currency, locale)}.`];
  }
  if (input.facilityId) {
    const facility = await db
      .selectFrom("facilities")
      .select("id")
      .where("id", "=", input.facilityId)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (!facility) errors.facilityId = ["Choose a hospital or clinic from the list, or say it was not at a listed one."];
  }
  return errors;
}

/** The most one claim on this policy could ever pay: the yearly benefit, else the sum insured. */
export function policyLimitMinor(policy: ClaimPolicy): number | null {
  return policy.claimRules.annualLimitMinor ?? policy.maxCoverMinor;
}

export async function fileClaim(db: TenantDb, workflow: ClaimWorkflow, input: FileClaimInput): Promise<FileClaimResult> {
  const { tenant } = workflow;
  const found = await policyForClaim(db, input.actor, input.policyId);
  if (!found) return { ok: false, errors: { policyId: [NOT_YOURS] } };
  const { policy, standing } = found;
  const problem = policyProblem(policy) ?? (await memberStanding(db, policy.userId, "claim"));
  if (problem) return { ok: false, errors: { policyId: [problem] } };
  const today = quoteDateIn(tenant.timeZone);
  const errors = {
    ...incidentErrors(policy, input, today, tenant.locale),
    ...(await amountErrors(db, policy, input, tenant.locale)),
  };
  if (Object.keys(errors).length) return { ok: false, errors };

  const flags = await eligibilityFor(db, tenant, {
    policy,
    claimType: input.claimType,
    incidentDate: input.incidentDate,
    claimedMinor: input.claimedMinor,
    provided: input.providedDocuments,
  });
  const memberId = standing.as === "agent" ? standing.memberId : await memberIdOf(db, policy.userId);
  const claim = await db
    .insertInto("claims")
    .values({
      claim_number: await nextNumber(db, tenant.numberPrefix, "claim", Number(today.slice(0, 4))),
      policy_id: policy.id,
      claimant_user_id: policy.userId,
      member_id: memberId,
      filed_by_user_id: input.actor.userId,
      claim_type: input.claimType,
      incident_date: input.incidentDate,
      incident_place: input.incidentPlace,
      description: input.description,
      claimed_minor: input.claimedMinor,
      currency: policy.currency,
      facility_id: input.facilityId,
      eligibility_flags: JSON.stringify(flags),
      policy_year_start: policyYearStart(policy.startDate!, input.incidentDate),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "claim",
    entityId: claim.id,
    from: null,
    to: claim.status,
    event: CREATE_EVENT,
    reason: standing.as === "agent" ? "Filed by the member's agent" : null,
    actorUserId: input.actor.userId,
  });
  const started = await startWorkflow(db, workflow, {
    subjectId: claim.id,
    scopes: [policy.categorySlug, policy.claimFamily!],
    claimType: claim.claim_type,
  });
  // The agent's review is for members' claims; a direct customer's claim has no agent to wait on.
  if (started.stage.kind === "manual" && started.stage.role === "agent" && !started.task?.assignedUserId) {
    await advanceWorkflow(db, workflow, {
      subjectId: claim.id,
      event: "agent_reviewed",
      actorUserId: null,
      notes: "No agent to review: the claimant is not an agent's member, so it goes straight to assessment.",
    });
  }
  await notifyClaimFiled(db, workflow, claim);
  return { ok: true, claim, standing };
}

async function memberIdOf(db: TenantDb, userId: string): Promise<string | null> {
  const row = await db.selectFrom("members").select("id").where("user_id", "=", userId).executeTakeFirst();
  return row?.id ?? null;
}

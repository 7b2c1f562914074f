import { isMinorUnits, needsReason } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * A claim's status, as the claimant sees it (Bowman's stages, plus withdrawal and appeal).
 *
 *   submitted | appealed → under_review             (start_review: an assessor takes it)
 *   submitted | under_review ⇄ documents_requested  (request_documents / documents_received)
 *   under_review → assessment_complete              (complete_assessment)
 *   assessment_complete → approved | rejected       (approve with an amount | reject with a reason)
 *   rejected → appealed                             (appeal, within the tenant's window)
 *   approved → settled                              (settle: the payment went out)
 *   any open status → withdrawn                     (withdraw: the claimant gives up the claim)
 *
 * settled and withdrawn are final. Who acts next, and by when, is the workflow's business
 * (the claim's workflow instance and its tasks, decision 020), not this machine's.
 */
export const CLAIM_STATES = [
  "submitted",
  "under_review",
  "documents_requested",
  "assessment_complete",
  "approved",
  "rejected",
  "appealed",
  "settled",
  "withdrawn",
] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];

export const CLAIM_EVENTS = [
  "start_review",
  "request_documents",
  "documents_received",
  "complete_assessment",
  "approve",
  "reject",
  "appeal",
  "settle",
  "withdraw",
] as const;
export type ClaimEvent = (typeof CLAIM_EVENTS)[number];

export interface ClaimContext {
  /** approve: the amount approved, the amount claimed and (when the policy has one) the sum insured; minor units. */
  approvedAmount: number;
  claimedAmount: number;
  coverAmount: number;
  /** reject: shown to the customer. */
  reason: string;
  /** request_documents: what the customer is asked for. */
  requestedDocuments: string[];
  /** appeal: the claimant's reason, and whether the tenant's appeal window is still open. */
  appealReason: string;
  appealWindowOpen: boolean;
}

export function approvalProblem({ approvedAmount, claimedAmount, coverAmount }: Partial<ClaimContext>): string | null {
  if (!isMinorUnits(approvedAmount)) return "Approving a claim needs the approved amount (in minor units)";
  if (approvedAmount <= 0) return "The approved amount must be more than zero";
  if (!isMinorUnits(claimedAmount)) return "Approving a claim needs the amount claimed";
  if (approvedAmount > claimedAmount) return `The approved amount ${approvedAmount} is more than the ${claimedAmount} claimed`;
  if (coverAmount !== undefined) {
    if (!isMinorUnits(coverAmount)) return "The cover amount must be a whole number of minor units";
    if (approvedAmount > coverAmount) return `The approved amount ${approvedAmount} is more than the ${coverAmount} cover`;
  }
  return null;
}

export const claimMachine = defineMachine<ClaimState, ClaimEvent, ClaimContext>({
  name: "claim",
  states: CLAIM_STATES,
  events: CLAIM_EVENTS,
  initial: ["submitted"],
  transitions: [
    { from: ["submitted", "appealed"], event: "start_review", to: "under_review" },
    {
      from: ["submitted", "under_review"],
      event: "request_documents",
      to: "documents_requested",
      guard: ({ requestedDocuments: docs }) =>
        Array.isArray(docs) && docs.length > 0 && docs.every((d) => typeof d === "string" && d.trim() !== "")
          ? null
          : "Requesting documents needs the list of documents asked for",
    },
    { from: "documents_requested", event: "documents_received", to: "under_review" },
    { from: "under_review", event: "complete_assessment", to: "assessment_complete" },
    { from: "assessment_complete", event: "approve", to: "approved", guard: approvalProblem },
    { from: "assessment_complete", event: "reject", to: "rejected", guard: (ctx) => needsReason(ctx.reason, "Rejecting a claim") },
    {
      from: "rejected",
      event: "appeal",
      to: "appealed",
      guard: (ctx) =>
        ctx.appealWindowOpen !== true
          ? "The time to appeal this decision has passed"
          : needsReason(ctx.appealReason, "Appealing a decision"),
    },
    { from: "approved", event: "settle", to: "settled" },
    {
      from: ["submitted", "under_review", "documents_requested", "assessment_complete", "appealed"],
      event: "withdraw",
      to: "withdrawn",
    },
  ],
});

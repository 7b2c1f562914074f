import type { ClaimStatus } from "~db/schema";

/**
 * How a claim reads to its claimant (and their agent): statuses, timeline events and the progress
 * stepper in plain words. Browser-safe.
 */

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, { label: string; tone: string; explain: string }> = {
  submitted: { label: "Submitted", tone: "pending", explain: "We have your claim and it is waiting for an assessor." },
  under_review: { label: "Being assessed", tone: "pending", explain: "An assessor is looking at your claim." },
  documents_requested: {
    label: "Documents needed",
    tone: "failed",
    explain: "We need more documents from you before we can go on.",
  },
  assessment_complete: { label: "Awaiting decision", tone: "pending", explain: "The assessment is done; a decision follows." },
  approved: { label: "Approved", tone: "active", explain: "Your claim is approved and the payment is being arranged." },
  rejected: { label: "Rejected", tone: "failed", explain: "Your claim was not accepted. You may appeal within the time shown." },
  appealed: { label: "Appeal under review", tone: "pending", explain: "We are looking at your claim again." },
  settled: { label: "Paid", tone: "active", explain: "Your claim has been paid." },
  withdrawn: { label: "Withdrawn", tone: "muted", explain: "This claim was withdrawn." },
};

export const CLAIM_EVENT_LABELS: Record<string, string> = {
  create: "Claim submitted",
  start_review: "An assessor started on the claim",
  request_documents: "More documents were asked for",
  documents_received: "Documents received",
  complete_assessment: "Assessment complete",
  approve: "Claim approved",
  reject: "Claim rejected",
  appeal: "Appeal made",
  settle: "Claim paid",
  withdraw: "Claim withdrawn",
  agent_reviewed: "Reviewed by the agent",
};

/** The stepper's steps: where a claim stands on its way to being paid. */
export const PROGRESS_STEPS = ["Submitted", "Assessment", "Decision", "Paid"] as const;

export function progressIndex(status: ClaimStatus): number {
  switch (status) {
    case "submitted":
      return 0;
    case "under_review":
    case "documents_requested":
    case "assessment_complete":
    case "appealed":
      return 1;
    case "approved":
    case "rejected":
      return 2;
    case "settled":
      return 3;
    case "withdrawn":
      return -1;
  }
}

export const OPEN_CLAIM_STATUSES: readonly ClaimStatus[] = [
  "submitted",
  "under_review",
  "documents_requested",
  "assessment_complete",
  "appealed",
];

export const DOCUMENT_STATUS_LABELS = {
  pending: "Not checked yet",
  verified: "Checked",
  rejected: "Not accepted",
} as const;

export const SETTLEMENT_STATUS_LABELS = {
  pending: "Being prepared",
  processing: "On its way",
  paid: "Paid",
  failed: "Payment failed: we will contact you",
  cancelled: "Cancelled",
} as const;

import type { ClaimDraftStep } from "~db/schema";

/**
 * The claim wizard's steps, in order (browser-safe: the progress indicator uses them too). Choosing
 * the policy comes first and makes the draft; the draft's steps follow.
 */
export const WIZARD_STEPS: readonly ClaimDraftStep[] = ["incident", "amount", "documents", "review"];

export const WIZARD_LABELS: Record<ClaimDraftStep | "policy", string> = {
  policy: "Policy",
  incident: "What happened",
  amount: "Amount and place",
  documents: "Documents",
  review: "Review and submit",
};

export function wizardUrl(draftId: string, step: ClaimDraftStep): string {
  return `/account/claims/new/${draftId}/${step}`;
}

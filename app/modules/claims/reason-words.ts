/**
 * A decision's reason codes in words, for the claimant's letter and email (browser-safe). A code
 * not listed here is shown by its own words ("pre_existing_condition" → "Pre existing condition"),
 * never dropped: the claimant is always told every reason.
 */
export const CLAIM_REASON_WORDS: Record<string, string> = {
  not_covered: "The loss is not covered by the policy",
  excluded: "The cause of the loss is excluded by the policy",
  policy_not_in_force: "The policy was not in force on the date of the incident",
  waiting_period: "The incident happened within the policy's waiting period",
  below_excess: "The loss is less than the policy's excess",
  limit_reached: "The policy's benefit limit for the year has been reached",
  missing_documents: "The documents needed to support the claim were not provided",
  late_notification: "The claim was reported later than the policy allows",
  pre_existing_condition: "The condition existed before the cover started",
  misrepresentation: "Information given to us was not accurate",
  duplicate_claim: "The same loss was already claimed",
  not_medically_necessary: "The treatment was not medically necessary",
  amount_not_supported: "The amount claimed is not supported by the documents",
};

export function reasonInWords(code: string): string {
  const known = CLAIM_REASON_WORDS[code];
  if (known) return known;
  const words = code.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : code;
}

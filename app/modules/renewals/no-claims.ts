/**
 * The no-claims discount at renewal (motor), pure so every step is tested to the basis point.
 *
 * A product's lifecycle may define `noClaimsDiscount.stepsBp`: `stepsBp[n]` is the discount after n
 * claim-free years, the last step holding beyond. Claim-free years are counted back from the term
 * that is ending, one per term (the policy and the predecessors it renewed), until a term with a
 * claim that was paid or approved for payment: that claim resets the count to nothing.
 */

export interface TermClaims {
  /** A claim on this term was approved or settled (paid). */
  hadPaidClaim: boolean;
}

/** Consecutive claim-free terms, newest first (the term ending now is `terms[0]`). */
export function claimFreeYears(termsNewestFirst: readonly TermClaims[]): number {
  let years = 0;
  for (const term of termsNewestFirst) {
    if (term.hadPaidClaim) break;
    years += 1;
  }
  return years;
}

/** The discount in basis points for so many claim-free years on the product's scale. */
export function noClaimsDiscountBp(stepsBp: readonly number[], years: number): number {
  if (stepsBp.length === 0 || !Number.isInteger(years) || years < 0) return 0;
  return stepsBp[Math.min(years, stepsBp.length - 1)]!;
}

/** The discount line's label, in the customer's words. */
export function noClaimsLabel(years: number, rateBp: number): string {
  const percent = (rateBp / 100).toLocaleString("en", { maximumFractionDigits: 2 });
  return `No-claims discount: ${years} claim-free year${years === 1 ? "" : "s"} (${percent}%)`;
}

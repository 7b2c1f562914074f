import { z } from "zod";
import { lineText } from "~/lib/text";
import { applyRate, divideHalfUp } from "~/lib/money";
import { addDays, daysBetween, isIsoDate } from "~/modules/rating/dates";

/**
 * A product's rules after the sale (column `products.lifecycle`, issue 13, decision 027), and the
 * money arithmetic every change to a policy shares. Browser-safe and pure: the back office's product
 * form validates with the same schema, and every figure here is tested to the cent.
 *
 * Rounding: premium for a share of the cover term is `annual × days ÷ days in the term`, rounded
 * half-up to the minor unit (`divideHalfUp`, the one rounding rule for money); a short-rate
 * retention is `applyRate` of the premium. Computed once per change, never summed from rounded
 * daily figures.
 */

const bp = z.number().int().min(0).max(10_000);

/** Short-rate scale: after `upToDays` in force the insurer keeps `retainedBp` of the annual premium. */
export const shortRateStepSchema = z.object({ upToDays: z.number().int().min(1).max(3660), retainedBp: bp });

export const productLifecycleSchema = z.object({
  /** Whether the policy can be renewed at its end (travel cover for one trip cannot). */
  renewable: z.boolean().default(true),
  /** How unearned premium is returned on cancellation after the free-look period. */
  refundMethod: z.enum(["pro_rata", "short_rate"]).default("pro_rata"),
  /** The short-rate scale, ascending by days; past its last step nothing is returned. */
  shortRate: z.array(shortRateStepSchema).max(24).default([]),
  /**
   * A no-claims discount at renewal (motor): `steps[n]` is the discount after n claim-free years
   * (the last step holds beyond), reset to the first step by a paid claim.
   */
  noClaimsDiscount: z.object({ stepsBp: z.array(bp).min(1).max(10) }).optional(),
  /** The rating inputs a customer may change mid-term (an endorsement); staff may change any. */
  endorsableInputs: z.array(lineText().min(1).max(60)).max(30).default([]),
  /** Auto-renew is offered when a saved payment method exists. */
  autoRenew: z.boolean().default(true),
});
export type ProductLifecycle = z.infer<typeof productLifecycleSchema>;

/** A product's lifecycle rules; what is stored and no longer valid falls back to the defaults. */
export function productLifecycle(stored: unknown): ProductLifecycle {
  const parsed = productLifecycleSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : productLifecycleSchema.parse({});
}

/** Days of cover from `start` to `end` inclusive: a policy from 1 Jan to 31 Dec covers 365 days. */
export function coverDays(start: string, end: string): number {
  return daysBetween(start, end) + 1;
}

/**
 * The premium for the part of the cover from `from` (inclusive) to the end (inclusive), as a share of
 * `annualMinor` over the whole term. From before the start is the whole premium; after the end, none.
 */
export function unearnedMinor(annualMinor: number, term: { start: string; end: string }, from: string): number {
  for (const d of [term.start, term.end, from]) if (!isIsoDate(d)) throw new RangeError(`Not a date: ${d}`);
  const total = coverDays(term.start, term.end);
  if (from <= term.start) return annualMinor;
  if (from > term.end) return 0;
  return divideHalfUp(annualMinor * coverDays(from, term.end), total);
}

/**
 * What a cancellation effective `on` returns (before claims paid are taken off): within the free-look
 * period (`on` no later than `freeLookDays` after the day of issue) everything paid; otherwise the
 * unearned premium pro-rata, or by the short-rate scale, never more than was paid. `on` is the first
 * day without cover; before the cover starts nothing has been earned, whatever the method.
 * `annualMinor` is the premium for the whole term (what the customer owes for it, however paid).
 */
export function cancellationReturnMinor(input: {
  annualMinor: number;
  paidMinor: number;
  term: { start: string; end: string };
  on: string;
  issuedOn: string;
  freeLookDays: number;
  lifecycle: Pick<ProductLifecycle, "refundMethod" | "shortRate">;
}): { method: "free_look" | "pro_rata" | "short_rate"; returnMinor: number; earnedMinor: number } {
  const { annualMinor, paidMinor, term, on } = input;
  for (const d of [term.start, term.end, on, input.issuedOn]) if (!isIsoDate(d)) throw new RangeError(`Not a date: ${d}`);
  if (input.freeLookDays > 0 && on <= addDays(input.issuedOn, input.freeLookDays)) {
    return { method: "free_look", returnMinor: paidMinor, earnedMinor: 0 };
  }
  // The scale is kept ascending by the product form; sorted here too, so a stored scale out of order
  // cannot pick a later step's retention for an earlier day.
  const scale = [...input.lifecycle.shortRate].sort((a, b) => a.upToDays - b.upToDays);
  const method = input.lifecycle.refundMethod === "short_rate" && scale.length > 0 ? "short_rate" : "pro_rata";
  let earned: number;
  if (on <= term.start) earned = 0;
  else if (method === "short_rate") {
    const inForce = daysBetween(term.start, on);
    const step = scale.find((s) => inForce <= s.upToDays);
    earned = step ? applyRate(annualMinor, step.retainedBp) : annualMinor;
  } else {
    earned = annualMinor - unearnedMinor(annualMinor, term, on);
  }
  return { method, returnMinor: Math.max(0, paidMinor - earned), earnedMinor: earned };
}

/**
 * An endorsement's premium from `from` to the end: the difference between the new and the old annual
 * premium for the days left, pro-rata. Positive is due from the customer, negative is returned.
 */
export function endorsementDeltaMinor(
  oldAnnualMinor: number,
  newAnnualMinor: number,
  term: { start: string; end: string },
  from: string,
): number {
  return unearnedMinor(newAnnualMinor, term, from) - unearnedMinor(oldAnnualMinor, term, from);
}

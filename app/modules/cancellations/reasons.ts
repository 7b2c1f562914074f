import { z } from "zod";
import { multilineText, textProblem } from "~/lib/text";

/**
 * Why a policy is cancelled, in the agency's words: a reason picked from a short list (so the
 * agency can count them) and, when "Something else", a few words of the person's own. Browser-safe:
 * the forms and the module read them with the same schema.
 */
export const CUSTOMER_REASONS = {
  no_longer_needed: "I no longer need this cover",
  cover_elsewhere: "I have cover elsewhere",
  too_expensive: "The premium is too high for me",
  sold_insured: "I sold or no longer have what is insured",
  unhappy_service: "I am unhappy with the service",
  other: "Something else",
} as const;

export const STAFF_REASONS = {
  customer_request: "At the customer's request",
  non_disclosure: "Material facts were not disclosed",
  duplicate: "Duplicate cover",
  insurer_withdrawal: "The insurer withdrew the cover",
  fraud: "Suspected fraud",
  other: "Something else",
} as const;

export type CancelledBy = "customer" | "staff";
export const REASON_TEXT_MAX = 500;

export function reasonSchema(by: CancelledBy) {
  const codes = Object.keys(by === "customer" ? CUSTOMER_REASONS : STAFF_REASONS) as [string, ...string[]];
  return z
    .object({
      reason: z.enum(codes, { errorMap: () => ({ message: "Choose a reason." }) }),
      details: multilineText()
        .max(REASON_TEXT_MAX, `Use at most ${REASON_TEXT_MAX} characters.`)
        .transform((s) => s.trim())
        .optional(),
    })
    .superRefine((value, ctx) => {
      if (value.reason === "other" && !value.details)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["details"], message: "Tell us the reason in a few words." });
    });
}

/** The reason as the timeline, the letter and the policy keep it: the label, then the person's words. */
export function reasonInWords(by: CancelledBy, code: string, details?: string | null): string | null {
  const labels: Record<string, string> = by === "customer" ? CUSTOMER_REASONS : STAFF_REASONS;
  const label = labels[code];
  if (!label) return null;
  const words = details?.trim();
  if (words && (words.length > REASON_TEXT_MAX || textProblem(words, "multiline"))) return null;
  return words ? (code === "other" ? words : `${label}: ${words}`) : code === "other" ? null : label;
}

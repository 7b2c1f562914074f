import { z } from "zod";
import { lineText } from "~/lib/text";

/**
 * A tenant's policy rules (table policy_rules), with the defaults an agency starts with.
 * Browser-safe: the back-office form validates with the same schema.
 */
export const DEFAULT_POLICY_RULES = {
  graceDays: 30,
  reinstatementDays: 90,
  reminderDays: 7,
  /** Renewal offers go out this many days before a policy's end date (issue 13). */
  renewalOfferDays: "30, 7",
  /** A cancellation within this many days of issue returns everything paid. */
  freeLookDays: 14,
} as const;

/** "30, 7" → [30, 7]: distinct whole days from 1 to 120, largest first, at most four. */
const offerDays = lineText("Renewal offers: enter days like 30, 7", "Renewal offers: enter days like 30, 7")
  .max(40, "Renewal offers: at most four numbers of days")
  .transform((value, ctx) => {
    const parts = value.split(/[\s,]+/).filter(Boolean);
    const days = parts.map(Number);
    if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 120)) {
      ctx.addIssue({ code: "custom", message: "Renewal offers: whole days from 1 to 120, like 30, 7" });
      return z.NEVER;
    }
    const distinct = [...new Set(days)].sort((a, b) => b - a);
    if (distinct.length > 4) {
      ctx.addIssue({ code: "custom", message: "Renewal offers: at most four reminders" });
      return z.NEVER;
    }
    return distinct;
  });

const days = (label: string, max: number) =>
  z.coerce
    .number({ invalid_type_error: `${label}: enter a whole number of days` })
    .int(`${label}: enter a whole number of days`)
    .min(0, `${label} cannot be negative`)
    .max(max, `${label}: at most ${max} days`);

export const policyRulesSchema = z.object({
  graceDays: days("Grace period", 180),
  reinstatementDays: days("Reinstatement window", 365),
  reminderDays: days("Reminder", 30),
  renewalOfferDays: offerDays,
  freeLookDays: days("Free-look period", 90),
});

export type PolicyRules = z.infer<typeof policyRulesSchema>;

/** The offer days as the form shows them. */
export const offerDaysText = (days: readonly number[]) => days.join(", ");

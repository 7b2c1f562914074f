import { z } from "zod";

/**
 * A tenant's policy rules (table policy_rules), with the defaults an agency starts with.
 * Browser-safe: the back-office form validates with the same schema.
 */
export const DEFAULT_POLICY_RULES = { graceDays: 30, reinstatementDays: 90, reminderDays: 7 } as const;

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
});

export type PolicyRules = z.infer<typeof policyRulesSchema>;

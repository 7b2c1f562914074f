import { compose, type Brand, type Template } from "./templates.server";

/**
 * The customer's notices about changes to their policy (issue 13 items 4 and 8): topic
 * "policy_changes". Each says what changed and what it costs or returns.
 */
export function policyChangedTemplate(
  brand: Brand,
  input: {
    name: string;
    policyNumber: string;
    version: number;
    effectiveDate: string;
    changes: string[];
    /** "You pay KES 1,234.00 more" / "KES 500.00 comes back to you" / null when nothing changes hands. */
    money: string | null;
    annualPremium: string;
    link: string;
  },
): Template {
  return compose(brand, "policy_changed", `Policy ${input.policyNumber} changed from ${input.effectiveDate}`, [
    `Hello ${input.name},`,
    `Your policy ${input.policyNumber} has changed from ${input.effectiveDate} (version ${input.version}):`,
    ...input.changes,
    input.money ?? "No premium is due and none comes back for this change.",
    `The annual premium is now ${input.annualPremium} before levies. Your updated certificate is attached.`,
    { label: "See my policy", href: input.link },
  ]);
}

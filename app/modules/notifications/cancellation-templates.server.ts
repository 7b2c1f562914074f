import { compose, type Brand, type Template } from "./templates.server";

/** The customer's notice that their policy is cancelled (issue 13, items 3 and 8): what comes back, and the letter. */
export function policyCancelledTemplate(
  brand: Brand,
  input: {
    name: string;
    product: string;
    policyNumber: string;
    cancelledOn: string;
    refund: string | null;
    /** Part of the refund the agency returns itself (cash, bank-in). */
    byAgency: string | null;
    link: string;
  },
): Template {
  return compose(brand, "policy_cancelled", `Your ${input.product} policy ${input.policyNumber} is cancelled`, [
    `Hello ${input.name},`,
    `Your ${input.product} policy ${input.policyNumber} is cancelled: its cover ended at the start of ${input.cancelledOn}.`,
    input.refund
      ? `We are returning ${input.refund} the way you paid${input.byAgency ? `; ${input.byAgency} of it, paid in cash or by bank-in, is returned by ${brand.tenantName} directly` : ""}. You can follow the refund on the policy's page.`
      : "No premium is due back to you.",
    "The cancellation letter is attached: it shows what comes back and why. Keep it for your records.",
    { label: "See the policy", href: input.link },
  ]);
}

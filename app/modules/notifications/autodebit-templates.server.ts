import { compose, type Brand, type Template } from "./templates.server";

/** Saved cards and auto-debit (decision 029): the customer hears when a charge of their card did not go through. */
export function autoDebitFailedTemplate(
  brand: Brand,
  input: { name: string; policyNumber: string; amount: string; dueDate: string; card: string; reason: string; payLink: string },
): Template {
  return compose(brand, "autodebit_failed", `We could not take your ${brand.tenantName} premium of ${input.amount}`, [
    `Hello ${input.name},`,
    `We tried to charge ${input.amount} for the instalment of policy ${input.policyNumber} due on ${input.dueDate} to your card ${input.card}, and it did not go through: ${input.reason}`,
    "Please pay it yourself with the link below. Your card stays saved, and we will try it again for your next instalment.",
    { label: "Pay now", href: input.payLink },
    "If the instalment stays unpaid, the policy goes into its grace period and may then lapse.",
  ]);
}

import { compose, type Block, type Brand, type Template } from "./templates.server";

/**
 * The renewal notices (issue 13, decision 028): the offer (and its reminder), renewed, expiring
 * with no renewal yet, and expired. Sent with topic "renewals" and the customer's user id, so their
 * notification preferences apply.
 */

export function renewalOfferTemplate(
  brand: Brand,
  input: {
    name: string;
    policyNumber: string;
    productName: string;
    endDate: string;
    startDate: string;
    price: string;
    changes: string[];
    link: string;
    reminder: boolean;
    /** Auto-renew is on but no saved payment method could be charged. */
    autoRenewFailed?: boolean;
  },
): Template {
  const blocks: Block[] = [
    `Hello ${input.name},`,
    `Your ${input.productName} policy ${input.policyNumber} ends on ${input.endDate}. Renew it to stay covered from ${input.startDate}: ${input.price}.`,
  ];
  if (input.autoRenewFailed)
    blocks.push("Auto-renew is on, but we could not charge a saved payment method, so please renew with the link below.");
  blocks.push(
    input.changes.length ? `What changed since last term: ${input.changes.join("; ")}.` : "Nothing in your price changed since last term.",
  );
  blocks.push({ label: "Renew my policy", href: input.link });
  const subject = input.reminder
    ? `Reminder: renew ${input.policyNumber} before ${input.endDate}`
    : `Renew your ${brand.tenantName} cover: ${input.policyNumber}`;
  return compose(brand, "renewal_offer", subject, blocks);
}

export function policyRenewedTemplate(
  brand: Brand,
  input: { name: string; oldPolicyNumber: string; newPolicyNumber: string; startDate: string; endDate: string; link: string },
): Template {
  return compose(brand, "policy_renewed", `Renewed: your new policy is ${input.newPolicyNumber}`, [
    `Hello ${input.name},`,
    `Policy ${input.oldPolicyNumber} is renewed. Your new policy ${input.newPolicyNumber} covers you from ${input.startDate} to ${input.endDate}; its certificate follows by email.`,
    { label: "See my new policy", href: input.link },
  ]);
}

export function policyExpiringTemplate(
  brand: Brand,
  input: { name: string; policyNumber: string; productName: string; endDate: string; renewLink: string | null },
): Template {
  return compose(brand, "policy_expiring", `Your cover ${input.policyNumber} ends on ${input.endDate}`, [
    `Hello ${input.name},`,
    `Your ${input.productName} policy ${input.policyNumber} ends on ${input.endDate} and is not renewed yet.`,
    input.renewLink
      ? { label: "Renew my policy", href: input.renewLink }
      : "This cover cannot be renewed: you can buy new cover on our website.",
  ]);
}

export function policyExpiredTemplate(
  brand: Brand,
  input: { name: string; policyNumber: string; productName: string; endDate: string; link: string },
): Template {
  return compose(brand, "policy_expired", `Your cover ${input.policyNumber} has ended`, [
    `Hello ${input.name},`,
    `Your ${input.productName} policy ${input.policyNumber} ended on ${input.endDate}. You are no longer covered by it.`,
    { label: "Get new cover", href: input.link },
  ]);
}

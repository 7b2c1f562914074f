import type { EmailDraft } from "./email.server";

/** Every email carries the agency's name, so a customer knows who is writing to them. */
interface Brand {
  tenantName: string;
  primaryColor?: string;
}

type Template = Omit<EmailDraft, "to">;

export function verifyEmailTemplate(brand: Brand, input: { name: string; link: string }): Template {
  return compose(brand, "verify_email", `Confirm your email for ${brand.tenantName}`, [
    `Hello ${input.name},`,
    `Please confirm your email address to finish setting up your ${brand.tenantName} account.`,
    { label: "Confirm my email", href: input.link },
    "This link works for 48 hours. If you did not create an account, you can ignore this email.",
  ]);
}

export function resetPasswordTemplate(brand: Brand, input: { name: string; link: string }): Template {
  return compose(brand, "reset_password", `Reset your ${brand.tenantName} password`, [
    `Hello ${input.name},`,
    "We received a request to reset your password. Choose a new one with the link below.",
    { label: "Choose a new password", href: input.link },
    "This link works once, for 60 minutes. If you did not ask for it, your password has not changed and you can ignore this email.",
  ]);
}

export function inviteTemplate(brand: Brand, input: { name: string; link: string; role: string }): Template {
  return compose(brand, "invite", `You're invited to run ${brand.tenantName} on Covera`, [
    `Hello ${input.name},`,
    `You have been added as ${input.role} of ${brand.tenantName}. Set your password to sign in.`,
    { label: "Set my password", href: input.link },
    "This invitation works once, for 7 days.",
  ]);
}

export function policyDocumentsTemplate(
  brand: Brand,
  input: {
    name: string;
    orderReference: string;
    policies: { number: string; product: string; verifyUrl: string }[];
    receiptNumber: string | null;
    accountLink: string;
  },
): Template {
  return compose(brand, "policy_documents", `Your ${brand.tenantName} cover is in place: ${input.orderReference}`, [
    `Hello ${input.name},`,
    `Thank you for your payment. Your certificate${input.policies.length === 1 ? " is" : "s are"} attached${input.receiptNumber ? `, with receipt ${input.receiptNumber}` : ""}.`,
    ...input.policies.map((p) => `${p.product}: policy ${p.number}. Anyone can check it at ${p.verifyUrl}`),
    { label: "See my policies", href: input.accountLink },
    "Keep this email: the certificates are your proof of cover.",
  ]);
}

export function policyDeclinedTemplate(
  brand: Brand,
  input: { name: string; product: string; reason: string; refund: string; accountLink: string },
): Template {
  return compose(brand, "policy_declined", `Your ${input.product} application with ${brand.tenantName}`, [
    `Hello ${input.name},`,
    `We are sorry: after review, the insurer could not offer ${input.product}. Reason: ${input.reason}`,
    `We are refunding ${input.refund} to the way you paid. You will get a receipt when it is done.`,
    { label: "See my policies", href: input.accountLink },
  ]);
}

export function receiptTemplate(
  brand: Brand,
  input: { name: string; receiptNumber: string; description: string; amount: string; accountLink: string },
): Template {
  return compose(brand, "receipt", `Receipt ${input.receiptNumber} from ${brand.tenantName}`, [
    `Hello ${input.name},`,
    `We received ${input.amount} for ${input.description}. Your receipt is attached.`,
    { label: "See my payments", href: input.accountLink },
  ]);
}

export function instalmentDueTemplate(
  brand: Brand,
  input: { name: string; policyNumber: string; amount: string; dueDate: string; payLink: string },
): Template {
  return compose(brand, "instalment_due", `Your ${brand.tenantName} premium of ${input.amount} is due`, [
    `Hello ${input.name},`,
    `The next instalment of policy ${input.policyNumber}, ${input.amount}, is due on ${input.dueDate}.`,
    { label: "Pay now", href: input.payLink },
    "If it stays unpaid, the policy goes into its grace period and may then lapse.",
  ]);
}

type Block = string | { label: string; href: string };

function compose(brand: Brand, template: string, subject: string, blocks: Block[]): Template {
  const colour = brand.primaryColor ?? "#1d3557";
  const text = [...blocks.map((b) => (typeof b === "string" ? b : `${b.label}: ${b.href}`)), "", `— ${brand.tenantName}`].join("\n\n");
  const body = blocks
    .map((b) =>
      typeof b === "string"
        ? `<p style="margin:0 0 16px">${escapeHtml(b)}</p>`
        : `<p style="margin:24px 0"><a href="${escapeHtml(b.href)}" style="background:${colour};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(b.label)}</a></p>`,
    )
    .join("");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1b1b1b;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px;color:${colour};margin:0 0 24px">${escapeHtml(brand.tenantName)}</h1>${body}
<p style="color:#666;font-size:13px;margin-top:32px">Sent by ${escapeHtml(brand.tenantName)} through Covera.</p></body></html>`;
  return { template, subject, text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

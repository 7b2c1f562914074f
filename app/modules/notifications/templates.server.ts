import type { EmailDraft } from "./email.server";

/** Every email carries the agency's name, so a customer knows who is writing to them. */
export interface Brand {
  tenantName: string;
  primaryColor?: string;
}

export type Template = Omit<EmailDraft, "to">;

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

/** To an account's owner when someone registers again with their address (the form does not say it is taken). */
export function accountExistsTemplate(brand: Brand, input: { name: string; signInLink: string; resetLink: string }): Template {
  return compose(brand, "account_exists", `Someone tried to create a ${brand.tenantName} account with your email`, [
    `Hello ${input.name},`,
    `Someone — perhaps you — tried to create a new ${brand.tenantName} account with this email address. You already have one, so no new account was made.`,
    { label: "Sign in", href: input.signInLink },
    "Forgotten your password? Choose a new one here:",
    { label: "Reset my password", href: input.resetLink },
    "If this was not you, you can ignore this email: nothing about your account has changed.",
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

/** An agent's application or standing changed (approve, reject, suspend, reinstate, terminate). */
export function agentStatusTemplate(
  brand: Brand,
  input: {
    name: string;
    event: "approve" | "reject" | "suspend" | "reinstate" | "terminate";
    reason: string | null;
    agentNumber: string;
    portalLink: string;
  },
): Template {
  const why = input.reason ? `Reason: ${input.reason}` : null;
  const lines: Record<typeof input.event, { subject: string; blocks: Block[] }> = {
    approve: {
      subject: `Welcome to the ${brand.tenantName} agent network`,
      blocks: [
        `Your application is approved: you are now an active agent, number ${input.agentNumber}.`,
        "Share your referral link, register members and follow your commissions in the agent portal.",
        { label: "Open the agent portal", href: input.portalLink },
      ],
    },
    reject: {
      subject: `Your ${brand.tenantName} agent application`,
      blocks: ["We are sorry: your application to join the agent network was not approved."],
    },
    suspend: {
      subject: `Your ${brand.tenantName} agent account is suspended`,
      blocks: [`Your agent account ${input.agentNumber} is suspended: you earn no commission until it is reinstated.`],
    },
    reinstate: {
      subject: `Your ${brand.tenantName} agent account is active again`,
      blocks: [`Your agent account ${input.agentNumber} is active again.`, { label: "Open the agent portal", href: input.portalLink }],
    },
    terminate: {
      subject: `Your ${brand.tenantName} agent account has ended`,
      blocks: [`Your agent account ${input.agentNumber} has been terminated.`],
    },
  };
  const { subject, blocks } = lines[input.event];
  const rest = [...blocks];
  if (why) rest.splice(1, 0, why);
  return compose(brand, `agent_${input.event}`, subject, [
    `Hello ${input.name},`,
    ...rest,
    "If you have questions, reply to this email or contact the agency.",
  ]);
}

/** An agent registered someone as a member: their account, and a link to set its password. */
export function memberInviteTemplate(brand: Brand, input: { name: string; agentName: string; link: string }): Template {
  return compose(brand, "member_invite", `Your ${brand.tenantName} account is ready`, [
    `Hello ${input.name},`,
    `${input.agentName}, your ${brand.tenantName} agent, has registered you as a member. With your account you can see your policies, certificates and payments at any time.`,
    { label: "Set my password", href: input.link },
    "This link works once, for 7 days. Afterwards, use “Forgot password” on the sign-in page.",
  ]);
}

/** An agent registered someone who already had an account: they are told, so nobody is linked unawares. */
export function memberLinkedTemplate(brand: Brand, input: { name: string; agentName: string; accountLink: string }): Template {
  return compose(brand, "member_linked", `${input.agentName} is now your ${brand.tenantName} agent`, [
    `Hello ${input.name},`,
    `${input.agentName}, an agent of ${brand.tenantName}, has registered you as their member. They can now sell you cover, and see the policies and payments you make through them or on our website from now on. Your earlier policies stay private.`,
    "You sign in as before, with your own password.",
    { label: "My policies", href: input.accountLink },
    "If you do not know this agent, reply to this email or contact the agency.",
  ]);
}

/** An agent prepared a policy for a member: the link to pay for it online. */
export function memberPaymentLinkTemplate(
  brand: Brand,
  input: { name: string; agentName: string; orderReference: string; products: string; amount: string; link: string },
): Template {
  return compose(brand, "member_payment_link", `Your ${brand.tenantName} cover is ready to pay: ${input.orderReference}`, [
    `Hello ${input.name},`,
    `${input.agentName} has prepared ${input.products} for you (order ${input.orderReference}). The first payment is ${input.amount}.`,
    { label: "Review and pay", href: input.link },
    "Sign in with your email to pay. If you have not set a password yet, use the link in your welcome email or “Forgot password” on the sign-in page.",
  ]);
}

/** Staff did not confirm a payment an agent collected offline. */
export function offlinePaymentRejectedTemplate(
  brand: Brand,
  input: { name: string; memberName: string; orderReference: string; amount: string; reference: string; reason: string; link: string },
): Template {
  return compose(brand, "offline_payment_rejected", `Payment ${input.reference} was not confirmed: ${input.orderReference}`, [
    `Hello ${input.name},`,
    `The ${input.amount} payment you recorded for ${input.memberName} (order ${input.orderReference}, reference ${input.reference}) was not confirmed by our staff.`,
    `Reason: ${input.reason}`,
    "The order is still open: record the payment again with the right details, or send the member a link to pay online.",
    { label: "Open the member", href: input.link },
  ]);
}

/** A closed month's commission statement is ready in the agent portal (H5). */
export function commissionStatementTemplate(
  brand: Brand,
  input: { name: string; month: string; agentNumber: string; earned: string; payable: string; payment: string; link: string },
): Template {
  return compose(brand, "commission_statement", `Your statement for ${input.month} is ready`, [
    `Hello ${input.name},`,
    `Your ${brand.tenantName} commission statement for ${input.month} (agent ${input.agentNumber}) is ready: you earned ${input.earned} this month, and ${input.payable} is payable.`,
    `${input.payment}.`.replace(/\.\.$/, "."),
    { label: "See my statements", href: input.link },
  ]);
}

/** Staff hear of a chargeback when it opens (the provider's deadline runs) and when it is lost. */
export function chargebackTemplate(
  brand: Brand,
  input: {
    name: string;
    status: "open" | "lost";
    payment: string;
    amount: string;
    reason: string | null;
    respondBy: string | null;
    clawsBack: boolean;
    link: string;
  },
): Template {
  const opened = input.status === "open";
  const subject = opened
    ? `Chargeback on ${input.payment}${input.respondBy ? `: answer by ${input.respondBy}` : ""}`
    : `Chargeback lost on ${input.payment}`;
  return compose(brand, opened ? "chargeback_opened" : "chargeback_lost", subject, [
    `Hello ${input.name},`,
    opened
      ? `A cardholder disputed ${input.amount} of payment ${input.payment} with their bank${input.reason ? ` (${input.reason})` : ""}.`
      : `The cardholder's bank decided the dispute of payment ${input.payment} against the agency: ${input.amount} went back to them.`,
    opened
      ? input.respondBy
        ? `Answer with evidence at the payment provider by ${input.respondBy}, or the dispute is lost.`
        : "Answer with evidence at the payment provider; its dashboard shows the deadline."
      : input.clawsBack
        ? "The agents' commissions on this payment are being taken back, as for a refund."
        : "Check the policy the payment paid for.",
    { label: "Open the payment", href: input.link },
  ]);
}

/** A claimant has not sent the documents an assessor asked for (the claim workflow's waiting stage timed out). */
export function claimDocumentsReminderTemplate(brand: Brand, input: { name: string; claimNumber: string; link: string }): Template {
  return compose(brand, "claim_documents_reminder", `We are still waiting for documents for claim ${input.claimNumber}`, [
    `Hello ${input.name},`,
    `Your claim ${input.claimNumber} is waiting for the documents we asked for. We can only finish assessing it once they arrive.`,
    { label: "Send the documents", href: input.link },
    "If you cannot get a document, reply to this email and tell us why: we will look at what you can send.",
  ]);
}

// ── Claims (issue 12): one email per claim event, to the claimant and, for a member's claim, their agent.

/** Who a claim email is for: the claimant, or the agent who looks after the claimant (a member). */
export type ClaimAudience = { kind: "claimant"; name: string } | { kind: "agent"; name: string; memberName: string };

interface ClaimMail {
  claimNumber: string;
  link: string;
}

function claimGreeting(to: ClaimAudience): string {
  return `Hello ${to.name},`;
}

/** "Your claim" to the claimant, "Aminah's claim" to their agent. */
function whose(to: ClaimAudience, claimNumber: string): string {
  return to.kind === "claimant" ? `your claim ${claimNumber}` : `${to.memberName}'s claim ${claimNumber}`;
}

export function claimFiledTemplate(
  brand: Brand,
  to: ClaimAudience,
  input: ClaimMail & { policyNumber: string; claimed: string },
): Template {
  return compose(brand, "claim_filed", `Claim ${input.claimNumber} received`, [
    claimGreeting(to),
    `We have received ${whose(to, input.claimNumber)} for ${input.claimed} on policy ${input.policyNumber}.`,
    "An assessor will look at it and tell you what happens next. You can follow it, and send any document we ask for, from your account.",
    { label: "Follow the claim", href: input.link },
  ]);
}

export function claimDocumentsRequestedTemplate(
  brand: Brand,
  to: ClaimAudience,
  input: ClaimMail & { message: string; documents: string[] },
): Template {
  return compose(brand, "claim_documents_requested", `We need more documents for claim ${input.claimNumber}`, [
    claimGreeting(to),
    `To finish assessing ${whose(to, input.claimNumber)}, the assessor asks:`,
    input.message,
    ...(input.documents.length ? [`Documents to send: ${input.documents.join("; ")}.`] : []),
    { label: "Send the documents", href: input.link },
  ]);
}

export function claimApprovedTemplate(
  brand: Brand,
  to: ClaimAudience,
  input: ClaimMail & { approved: string; excess: string | null; payable: string; partly: boolean },
): Template {
  return compose(brand, "claim_approved", `Claim ${input.claimNumber} is approved`, [
    claimGreeting(to),
    `${to.kind === "claimant" ? "Good news: your" : `${to.memberName}'s`} claim ${input.claimNumber} is ${input.partly ? "partly approved" : "approved"}: ${input.approved}${input.excess ? `, less the excess of ${input.excess}` : ""}. We will pay ${input.payable}.`,
    "We will tell you as soon as the payment is made, with your settlement letter.",
    { label: "See the claim", href: input.link },
  ]);
}

export function claimRejectedTemplate(
  brand: Brand,
  to: ClaimAudience,
  input: ClaimMail & { reasons: string[]; note: string | null; appealBy: string },
): Template {
  return compose(brand, "claim_rejected", `Decision on claim ${input.claimNumber}`, [
    claimGreeting(to),
    `We are sorry: after assessing ${whose(to, input.claimNumber)}, we cannot pay it.`,
    ...(input.reasons.length ? [`Why: ${input.reasons.join("; ")}.`] : []),
    ...(input.note ? [input.note] : []),
    `The decision letter is attached. If you disagree, you can appeal until ${input.appealBy}: tell us why from the claim's page.`,
    { label: "See the claim", href: input.link },
  ]);
}

export function claimSettledTemplate(
  brand: Brand,
  to: ClaimAudience,
  input: ClaimMail & { amount: string; method: string; reference: string; settlementReference: string },
): Template {
  return compose(brand, "claim_settled", `Claim ${input.claimNumber} is paid`, [
    claimGreeting(to),
    `We have paid ${input.amount} for ${whose(to, input.claimNumber)} by ${input.method} (reference ${input.reference}).`,
    `The settlement letter ${input.settlementReference} is attached. Keep it for your records.`,
    { label: "See the claim", href: input.link },
  ]);
}

export type Block = string | { label: string; href: string };

export function compose(brand: Brand, template: string, subject: string, blocks: Block[]): Template {
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

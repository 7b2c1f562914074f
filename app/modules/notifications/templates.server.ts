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

import type { EmailDraft } from "./email.server";

/** Every email carries the agency's name, so a customer knows who is writing to them. */
export interface Brand {
  tenantName: string;
  primaryColor?: string;
}

export type Template = Omit<EmailDraft, "to">;

/**
 * The email layout every message shares (issue 14): the agency's name and colour, paragraphs and
 * buttons. The wording itself lives in the event catalogue's templates (render.ts), not here.
 */
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

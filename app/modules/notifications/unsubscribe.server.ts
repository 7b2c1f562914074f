import type { TenantDb } from "~db/client";
import type { Language, MessageCategory } from "~db/schema";
import { signToken, verifyToken } from "~/modules/files/signed-links.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { EVENTS, isEventKey } from "./events";
import { recordOptOut } from "./opt-outs.server";
import { escapeHtml } from "./templates.server";
import { MESSAGE_CATEGORIES } from "./preferences.server";

/**
 * One-click email unsubscribe (issue 14 item 4, decision 042, RFC 8058): `/unsubscribe/<token>`,
 * where the token is signed like a download link (`signToken`, its own HKDF purpose) and names the
 * tenant, the address and the category. No sign-in: whoever holds the email may stop that category
 * to that address, and nothing else. Links live a year: an old newsletter must still unsubscribe.
 */
const PURPOSE = "covera unsubscribe links";
const LIFETIME_SECONDS = 365 * 24 * 60 * 60;

export interface Unsubscription {
  address: string;
  category: MessageCategory;
}

export function unsubscribeToken(tenantId: string, what: Unsubscription, now = new Date()): string {
  return signToken(PURPOSE, {
    v: 1,
    t: tenantId,
    a: what.address,
    c: what.category,
    e: Math.floor(now.getTime() / 1000) + LIFETIME_SECONDS,
  });
}

/** The token's address and category when it is genuine, unexpired and this tenant's; else null. */
export function readUnsubscribeToken(token: string, tenantId: string, now = new Date()): Unsubscription | null {
  const opened = verifyToken(PURPOSE, token);
  if (!opened.ok || typeof opened.payload !== "object" || opened.payload === null) return null;
  const p = opened.payload as Record<string, unknown>;
  if (p.v !== 1 || p.t !== tenantId || typeof p.a !== "string" || typeof p.e !== "number") return null;
  if (now.getTime() >= p.e * 1000) return null;
  const category = MESSAGE_CATEGORIES.find((c) => c === p.c);
  return category ? { address: p.a, category } : null;
}

/** The link for one address and category, on the tenant's own storefront. */
export async function unsubscribeUrl(tenant: { id: string; slug: string }, what: Unsubscription): Promise<string> {
  return `${await tenantOrigin(tenant)}/unsubscribe/${unsubscribeToken(tenant.id, what)}`;
}

/** Stops the category's optional emails to the address (a repeat changes nothing). */
export async function unsubscribe(db: TenantDb, what: Unsubscription): Promise<void> {
  await recordOptOut(db, { channel: "email", address: what.address, category: what.category, source: "unsubscribe_link" });
}

/**
 * Whether a message may be turned off, so its email carries the unsubscribe link and headers:
 * broadcasts are marketing; a catalogue event says so itself; an older message without an event is
 * optional when its sender gave it a category (decision 032's topics were only ever switchable ones).
 */
export function optionalCategory(message: {
  event: string | null;
  category: MessageCategory | null;
  broadcast_id: string | null;
}): MessageCategory | null {
  if (message.broadcast_id) return message.category ?? "marketing";
  if (message.event && isEventKey(message.event)) return EVENTS[message.event].optional ? EVENTS[message.event].category : null;
  return message.category;
}

/**
 * The RFC 8058 headers of an optional email (`deliverMessage` adds them): mail apps show their own
 * "Unsubscribe" button, which posts `List-Unsubscribe=One-Click` to the link. None for the others.
 */
export async function unsubscribeHeaders(
  db: TenantDb,
  tenantId: string,
  message: { recipient: string; event: string | null; category: MessageCategory | null; broadcast_id: string | null },
): Promise<Record<string, string> | undefined> {
  const category = optionalCategory(message);
  if (!category) return undefined;
  const tenant = await db.selectFrom("tenants").select(["id", "slug"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  const url = await unsubscribeUrl(tenant, { address: message.recipient, category });
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/** The unsubscribe line at the end of an optional email, in its language: text and HTML alike. */
export async function withUnsubscribeLine(
  email: { text: string; html: string | null },
  url: string,
  language: Language,
): Promise<{ text: string; html: string | null }> {
  const t = await serverT(language, "notifications");
  const line = `<p style="color:#666;font-size:13px;margin-top:8px"><a href="${escapeHtml(url)}" style="color:#666">${escapeHtml(
    t("email.unsubscribeLink"),
  )}</a></p>`;
  const at = email.html?.lastIndexOf("</body>") ?? -1;
  return {
    text: `${email.text}\n\n${t("email.unsubscribe", { url, interpolation: { escapeValue: false } })}`,
    html: email.html === null ? null : at >= 0 ? `${email.html.slice(0, at)}${line}${email.html.slice(at)}` : `${email.html}${line}`,
  };
}

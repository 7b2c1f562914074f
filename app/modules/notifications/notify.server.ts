import type { TenantDb } from "~db/client";
import type { Language, MessageAttachment, MessageChannel } from "~db/schema";
import { intlLocale } from "~/lib/languages";
import { normaliseAddress } from "./addresses.server";
import { EVENTS, type EventKey } from "./events";
import { queueMessage } from "./queue.server";
import { renderMessage } from "./render";
import { effectiveTemplate } from "./template-store.server";
import { unsubscribeUrl, withUnsubscribeLine } from "./unsubscribe.server";

/**
 * Sends a catalogue event to one person on its channels, in their language (issue 14, decision
 * 036): the one way business code asks for a message. The wording is the agency's (or the shipped
 * default), the language the person's (else the tenant's default), and preferences, opt-outs and
 * quiet hours are applied by `queueMessage`. A channel without an address (no phone, no account
 * for in-app) or without a template is skipped.
 */
export interface Notification {
  event: EventKey;
  /**
   * The event's variables; `tenantName` and (with an account) `name` are filled in when missing.
   * Money, dates and words of ours (a role, a month) are given as a function of the reader's Intl
   * locale ("sw-KE") and language, which only notify knows: a job writing to a Swahili reader
   * must not format or name things in the request's English.
   */
  vars: Record<string, string | ((locale: string, language: Language) => string | Promise<string>)>;
  to: { userId?: string | null; email?: string | null; phone?: string | null; name?: string | null; language?: Language | null };
  /** Default: the event's channels. */
  channels?: readonly MessageChannel[];
  /** One message per business event: `<key>:<channel>` is each message's dedupe key. */
  dedupeKey?: string;
  attachments?: MessageAttachment[];
  /** In-app: the page the notification opens (a path on the tenant's host). */
  link?: string | null;
}

export async function notify(
  db: TenantDb,
  tenantId: string,
  notification: Notification,
): Promise<{ channel: MessageChannel; messageId: string | null }[]> {
  const definition = EVENTS[notification.event];
  const tenant = await db
    .selectFrom("tenants")
    .select(["id", "slug", "name", "branding", "languages", "default_language", "locale"])
    .where("id", "=", tenantId)
    .executeTakeFirstOrThrow();
  const user = notification.to.userId
    ? await db
        .selectFrom("users")
        .select(["email", "phone", "name", "language", "closed_at"])
        .where("id", "=", notification.to.userId)
        .executeTakeFirst()
    : undefined;
  if (user?.closed_at) return [];
  const wanted = notification.to.language ?? user?.language ?? tenant.default_language;
  const language = tenant.languages.includes(wanted) ? wanted : tenant.default_language;
  const locale = intlLocale(language, tenant.locale);
  const vars: Record<string, string> = { tenantName: tenant.name, name: notification.to.name ?? user?.name ?? "" };
  for (const [key, value] of Object.entries(notification.vars))
    vars[key] = typeof value === "function" ? await value(locale, language) : value;
  const brand = { tenantName: tenant.name, primaryColor: tenant.branding.colors?.primary };

  const results: { channel: MessageChannel; messageId: string | null }[] = [];
  for (const channel of notification.channels ?? definition.channels) {
    const to = addressFor(channel, notification.to, user);
    if (!to) continue;
    const template = await effectiveTemplate(db, notification.event, channel, language);
    if (!template) continue;
    let rendered = renderMessage({ channel, event: notification.event, subject: template.subject, body: template.body, vars, brand });
    // An email the person may turn off ends with a one-click way to (decision 042).
    const email = channel === "email" && definition.optional ? normaliseAddress("email", to, undefined) : null;
    if (email?.ok) {
      const url = await unsubscribeUrl(tenant, { address: email.address, category: definition.category });
      rendered = { ...rendered, ...(await withUnsubscribeLine(rendered, url, language)) };
    }
    const messageId = await queueMessage(db, tenantId, {
      channel,
      template: notification.event,
      event: notification.event,
      to,
      userId: notification.to.userId ?? null,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      link: channel === "in_app" ? (notification.link ?? vars.link ?? null) : null,
      language,
      category: definition.category,
      essential: !definition.optional,
      urgent: definition.urgent,
      dedupeKey: notification.dedupeKey ? `${notification.dedupeKey}:${channel}` : undefined,
      attachments: channel === "email" ? notification.attachments : undefined,
      variables: channel === "whatsapp" ? vars : undefined,
    });
    results.push({ channel, messageId });
  }
  return results;
}

function addressFor(
  channel: MessageChannel,
  to: Notification["to"],
  user: { email: string; phone: string | null } | undefined,
): string | null {
  if (channel === "email") return to.email ?? user?.email ?? null;
  if (channel === "in_app") return to.userId ?? null;
  return to.phone ?? user?.phone ?? null;
}

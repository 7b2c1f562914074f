import type { TenantDb } from "~db/client";
import type { Language, MessageChannel } from "~db/schema";
import { DEFAULT_TEMPLATES, type DefaultTemplate } from "./defaults";
import type { EventKey } from "./events";

/**
 * The wording in force for an event, channel and language (issue 14): the agency's newest saved
 * version, unless that version is a reset; otherwise the shipped default in that language, then
 * in English. Undefined when the event has no template on that channel.
 */
export async function effectiveTemplate(
  db: TenantDb,
  event: EventKey,
  channel: MessageChannel,
  language: Language,
): Promise<(DefaultTemplate & { source: "agency" | "default"; version: number | null }) | undefined> {
  const saved = await db
    .selectFrom("message_templates")
    .select(["subject", "body", "reset", "version"])
    .where("event", "=", event)
    .where("channel", "=", channel)
    .where("language", "=", language)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (saved && !saved.reset && saved.body !== null) {
    return { subject: saved.subject ?? undefined, body: saved.body, source: "agency", version: saved.version };
  }
  const shipped = defaultTemplate(event, channel, language);
  return shipped ? { ...shipped, source: "default", version: saved?.version ?? null } : undefined;
}

export function defaultTemplate(event: EventKey, channel: MessageChannel, language: Language): DefaultTemplate | undefined {
  return DEFAULT_TEMPLATES[language][event]?.[channel] ?? DEFAULT_TEMPLATES.en[event]?.[channel];
}

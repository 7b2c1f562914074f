import type { TenantDb } from "~db/client";
import type { NotificationTopic } from "./email.server";
import { wantsMessage } from "./preferences.server";

export interface SmsDraft {
  template: string;
  to: string;
  text: string;
  dedupeKey?: string;
  /** As for email (EmailDraft.topic): a topic the user turned off for SMS is not sent. */
  topic?: NotificationTopic;
  userId?: string;
}

/**
 * Records a text message in the caller's transaction. No SMS provider is connected yet (Africa's
 * Talking is the planned adapter, docs/architecture.md §6), so the row itself is the delivery: it lands in
 * the development outbox at once, where the agency's admins and the developer read it. When a
 * provider is added, this queues its delivery job instead, exactly as `queueEmail` does. A text
 * whose topic the user turned off for SMS is recorded as `suppressed` (decision 032).
 */
export async function queueSms(db: TenantDb, draft: SmsDraft): Promise<string | null> {
  const wanted = await wantsMessage(db, draft, "sms");
  const message = await db
    .insertInto("messages")
    .values({
      channel: "sms",
      template: draft.template,
      recipient: draft.to,
      subject: null,
      body_text: draft.text,
      body_html: null,
      dedupe_key: draft.dedupeKey ?? null,
      attachments: JSON.stringify([]),
      ...(wanted
        ? { status: "outbox" as const, provider: "outbox", attempts: 1, sent_at: new Date() }
        : { status: "suppressed" as const, attempts: 0 }),
    })
    .onConflict((oc) => oc.columns(["tenant_id", "dedupe_key"]).where("dedupe_key", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  return wanted ? (message?.id ?? null) : null;
}

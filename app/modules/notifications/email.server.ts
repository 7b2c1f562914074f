import { addJob } from "~db/jobs";
import type { TenantDb } from "~db/client";
import type { MessageAttachment } from "~db/schema";
import { wantsMessage } from "./preferences.server";

export interface EmailDraft {
  template: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** One email per business event: asking again with the same key queues nothing. */
  dedupeKey?: string;
  attachments?: MessageAttachment[];
  /**
   * What the message is about, for the recipient's notification preferences (issue 13): with
   * `userId`, a topic they turned off for email is not sent. Security and account messages carry
   * no topic and always go.
   */
  topic?: NotificationTopic;
  userId?: string;
}

/** The topics a customer can turn on or off per channel (app/modules/notifications/preferences.server.ts). */
export const NOTIFICATION_TOPICS = ["renewals", "policy_changes", "payments", "claims"] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];

/**
 * Records an email and queues its delivery in the caller's transaction: if the write that wants
 * the email rolls back, there is no email. One job per message (docs/architecture.md §5). An email
 * whose topic the user turned off is recorded as `suppressed` and never sent (decision 032).
 */
export async function queueEmail(db: TenantDb, tenantId: string, draft: EmailDraft): Promise<string | null> {
  const wanted = await wantsMessage(db, draft, "email");
  const message = await db
    .insertInto("messages")
    .values({
      template: draft.template,
      recipient: draft.to,
      subject: draft.subject,
      body_text: draft.text,
      body_html: draft.html,
      dedupe_key: draft.dedupeKey ?? null,
      attachments: JSON.stringify(draft.attachments ?? []),
      ...(wanted ? {} : { status: "suppressed" as const }),
    })
    .onConflict((oc) => oc.columns(["tenant_id", "dedupe_key"]).where("dedupe_key", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!message || !wanted) return null;
  await addJob(db, "send_email", { tenantId, messageId: message.id }, { jobKey: `send_email:${tenantId}:${message.id}` });
  return message.id;
}

export const OUTBOX_PAGE_SIZE = 25;

export async function listMessages(db: TenantDb, options: { page: number }) {
  const rows = await db
    .selectFrom("messages")
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(OUTBOX_PAGE_SIZE + 1)
    .offset((options.page - 1) * OUTBOX_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, OUTBOX_PAGE_SIZE), hasMore: rows.length > OUTBOX_PAGE_SIZE };
}

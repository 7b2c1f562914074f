import type { TenantDb } from "~db/client";
import type { MessageAttachment, MessageCategory } from "~db/schema";
import { queueMessage } from "./queue.server";

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
   * What the message is about, for the recipient's preferences and opt-outs (deliveryDecision,
   * decision 042): with `userId`, a category they turned off for email is not sent. Security and
   * account messages carry none and always go.
   */
  category?: MessageCategory;
  userId?: string;
}

/**
 * Records an email and queues its delivery in the caller's transaction (through `queueMessage`):
 * if the write that wants the email rolls back, there is no email. An email whose category the user
 * turned off is recorded as `suppressed` and never sent (decision 032).
 */
export async function queueEmail(db: TenantDb, tenantId: string, draft: EmailDraft): Promise<string | null> {
  return queueMessage(db, tenantId, {
    channel: "email",
    template: draft.template,
    to: draft.to,
    userId: draft.userId ?? null,
    subject: draft.subject,
    text: draft.text,
    html: draft.html,
    category: draft.category ?? null,
    dedupeKey: draft.dedupeKey,
    attachments: draft.attachments,
  });
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

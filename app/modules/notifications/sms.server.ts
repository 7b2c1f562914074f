import type { TenantDb } from "~db/client";
import type { MessageCategory } from "~db/schema";
import { queueMessage } from "./queue.server";

export interface SmsDraft {
  template: string;
  to: string;
  text: string;
  dedupeKey?: string;
  /** As for email (EmailDraft.category): a category the user turned off for SMS is not sent. */
  category?: MessageCategory;
  userId?: string;
  /** One-time codes: never turned off, never held for quiet hours. */
  essential?: boolean;
  urgent?: boolean;
}

/**
 * Records a text message in the caller's transaction (through `queueMessage`): sent by the tenant's
 * SMS provider, or, while it has none, kept in the development outbox at once. A text whose category
 * the user turned off for SMS is recorded as `suppressed` (decision 032).
 */
export async function queueSms(db: TenantDb, tenantId: string, draft: SmsDraft): Promise<string | null> {
  return queueMessage(db, tenantId, {
    channel: "sms",
    template: draft.template,
    to: draft.to,
    userId: draft.userId ?? null,
    text: draft.text,
    category: draft.category ?? null,
    essential: draft.essential,
    urgent: draft.urgent,
    dedupeKey: draft.dedupeKey,
  });
}

import type { TenantDb } from "~db/client";

/**
 * One message and its history for the back office's message log (issue 14): what was sent, to
 * whom, through which provider, and every change of state (`message_events`), oldest first.
 * Another agency's message is simply not found (row-level security).
 */
export async function messageWithHistory(db: TenantDb, messageId: string) {
  const message = await db.selectFrom("messages").selectAll().where("id", "=", messageId).executeTakeFirst();
  if (!message) return undefined;
  const events = await db
    .selectFrom("message_events")
    .select(["id", "status", "detail", "provider_status", "created_at"])
    .where("message_id", "=", messageId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return { message, events };
}

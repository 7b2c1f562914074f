import type { TenantDb } from "~db/client";
import type { MessageAttachment } from "~db/schema";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import { channelProvider } from "./providers/index.server";
import { unsubscribeHeaders } from "./unsubscribe.server";
import { MessageRejectedError, type DeliveryReport, type MessageProvider, type ProviderChannel } from "./providers/types";

/**
 * Delivery of one queued message by its channel's provider (issue 14, decision 036). Locks the row
 * so two workers cannot both send it, and does nothing for a message already past `queued`, so a
 * retried job repeats nothing. A provider that refuses the message for good fails it at once with
 * the reason; any other error throws, the transaction rolls back, and the send_message job
 * retries with back-off (its failure is written to the history by the job, see
 * `recordSendFailure`).
 */
export async function deliverMessage(
  db: TenantDb,
  tenantId: string,
  messageId: string,
  deps: { provider?: MessageProvider; files?: FileStore } = {},
): Promise<"delivered" | "already-delivered" | "rejected" | "missing"> {
  const message = await db.selectFrom("messages").selectAll().where("id", "=", messageId).forUpdate().executeTakeFirst();
  if (!message) return "missing";
  if (message.status !== "queued") return "already-delivered";
  if (message.channel === "in_app") throw new Error(`In-app message ${messageId} has nothing to deliver`);
  const channel: ProviderChannel = message.channel;
  const provider = deps.provider ?? (await channelProvider(db, tenantId, channel));
  const attachments = channel === "email" ? await readAttachments(deps.files ?? fileStore(), message.attachments) : [];
  // Optional emails carry the one-click unsubscribe headers (decision 042).
  const headers = channel === "email" ? await unsubscribeHeaders(db, tenantId, message) : undefined;
  const now = new Date();
  try {
    const result = await provider.send({
      id: message.id,
      tenantId,
      channel,
      to: message.recipient,
      subject: message.subject,
      text: message.body_text,
      html: message.body_html,
      attachments,
      event: message.event,
      language: message.language,
      variables: message.variables,
      ...(headers ? { headers } : {}),
    });
    await db
      .updateTable("messages")
      .set({
        status: result.status,
        provider: result.provider,
        provider_message_id: result.providerMessageId,
        provider_status: result.providerStatus ?? null,
        attempts: message.attempts + 1,
        error: null,
        sent_at: now,
        ...(result.status === "delivered" ? { delivered_at: now } : {}),
        ...(result.segments ? { segments: result.segments, encoding: result.encoding ?? null } : {}),
      })
      .where("id", "=", messageId)
      .execute();
    await recordMessageEvent(db, messageId, result.status, null, result.providerStatus ?? null);
    return "delivered";
  } catch (error) {
    if (!(error instanceof MessageRejectedError)) throw error;
    await db
      .updateTable("messages")
      .set({
        status: "failed",
        provider: provider.name,
        provider_status: error.providerStatus,
        error: error.reason,
        attempts: message.attempts + 1,
        failed_at: now,
      })
      .where("id", "=", messageId)
      .execute();
    await recordMessageEvent(db, messageId, "failed", error.reason, error.providerStatus);
    return "rejected";
  }
}

/**
 * After a send attempt threw (and rolled back): the attempt goes into the message's history, and
 * the last allowed attempt marks the message failed, so a message is never silently lost.
 */
export async function recordSendFailure(
  db: TenantDb,
  messageId: string,
  error: unknown,
  attempt: { number: number; max: number },
): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  const final = attempt.number >= attempt.max;
  const updated = await db
    .updateTable("messages")
    .set({
      attempts: attempt.number,
      error: reason.slice(0, 1000),
      ...(final ? { status: "failed" as const, failed_at: new Date() } : {}),
    })
    .where("id", "=", messageId)
    .where("status", "=", "queued")
    .returning("id")
    .executeTakeFirst();
  if (!updated) return;
  await recordMessageEvent(
    db,
    messageId,
    final ? "failed" : "retrying",
    final ? `Gave up after ${attempt.number} attempts: ${reason}` : `Attempt ${attempt.number} of ${attempt.max}: ${reason}`,
  );
}

/** One line of a message's history. */
export async function recordMessageEvent(
  db: TenantDb,
  messageId: string,
  status: string,
  detail: string | null = null,
  providerStatus: string | null = null,
): Promise<void> {
  await db
    .insertInto("message_events")
    .values({ message_id: messageId, status, detail: detail?.slice(0, 1000) ?? null, provider_status: providerStatus })
    .execute();
}

/**
 * A provider's delivery report, already verified by its route (signature or callback token).
 * Reports move a message forward only: a duplicate or one that arrives after a final state
 * (delivered, failed) changes nothing; `sent` after `delivered` is stale. Unknown ids are ignored.
 */
export async function applyDeliveryReport(db: TenantDb, report: DeliveryReport): Promise<"applied" | "duplicate" | "stale" | "unknown"> {
  const message = await db
    .selectFrom("messages")
    .select(["id", "status"])
    .where("provider", "=", report.provider)
    .where("provider_message_id", "=", report.providerMessageId)
    .forUpdate()
    .executeTakeFirst();
  if (!message) return "unknown";
  if (message.status === report.status) return "duplicate";
  if (message.status === "delivered" || message.status === "failed" || message.status === "suppressed") return "stale";
  if (message.status !== "sent" && message.status !== "queued") return "stale";
  if (report.status === "sent") return message.status === "sent" ? "duplicate" : "stale";
  const at = report.at ?? new Date();
  await db
    .updateTable("messages")
    .set({
      status: report.status,
      provider_status: report.providerStatus,
      ...(report.status === "delivered"
        ? { delivered_at: at, error: null }
        : { failed_at: at, error: report.reason ?? report.providerStatus }),
    })
    .where("id", "=", message.id)
    .execute();
  await recordMessageEvent(db, message.id, report.status, report.reason ?? null, report.providerStatus);
  return "applied";
}

/** Attachments are files in the store; one missing is an error to retry, never an email without it. */
async function readAttachments(files: FileStore, attachments: MessageAttachment[]) {
  return Promise.all(
    attachments.map(async (a) => {
      const file = await files.get(a.fileKey);
      if (!file) throw new Error(`Attachment ${a.filename} is not in the file store yet`);
      return { filename: a.filename, content: file.body, contentType: a.contentType };
    }),
  );
}

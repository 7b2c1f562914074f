import { Resend } from "resend";
import type { TenantDb } from "~db/client";
import type { MessageAttachment } from "~db/schema";
import { env } from "~/lib/env.server";
import { fileStore, type FileStore } from "~/modules/files/storage.server";

export type DeliveryResult = { status: "sent"; provider: string; providerMessageId: string } | { status: "outbox" };

/** Where emails go: Resend when a key is configured, else the development outbox. */
export interface EmailSender {
  send(message: {
    id: string;
    to: string;
    subject: string;
    text: string;
    html: string | null;
    attachments: { filename: string; content: Buffer; contentType: string }[];
  }): Promise<DeliveryResult>;
}

export function defaultEmailSender(config: { RESEND_API_KEY?: string; EMAIL_FROM: string } = env()): EmailSender {
  const { RESEND_API_KEY, EMAIL_FROM } = config;
  if (!RESEND_API_KEY) return { send: async () => ({ status: "outbox" }) };
  const resend = new Resend(RESEND_API_KEY);
  return {
    async send(message) {
      const { data, error } = await resend.emails.send(
        {
          from: EMAIL_FROM,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html ?? undefined,
          attachments: message.attachments.length
            ? message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType }))
            : undefined,
        },
        // A retried job repeats the same key, so Resend sends the email once.
        { idempotencyKey: `message-${message.id}` },
      );
      if (error || !data) throw new Error(`Resend refused the email: ${error?.message ?? "no id returned"}`);
      return { status: "sent", provider: "resend", providerMessageId: data.id };
    },
  };
}

/**
 * Delivers one queued message. Locks the row so two workers cannot both send it, and does
 * nothing for a message already delivered, so a retried job repeats nothing.
 */
export async function deliverMessage(
  db: TenantDb,
  messageId: string,
  sender: EmailSender,
  files: FileStore = fileStore(),
): Promise<"delivered" | "already-delivered" | "missing"> {
  const message = await db.selectFrom("messages").selectAll().where("id", "=", messageId).forUpdate().executeTakeFirst();
  if (!message) return "missing";
  if (message.status === "sent" || message.status === "outbox") return "already-delivered";
  const attachments = await readAttachments(files, message.attachments);
  // A failure throws: the transaction rolls back and graphile-worker retries with back-off.
  const result = await sender.send({
    id: message.id,
    to: message.recipient,
    subject: message.subject ?? "",
    text: message.body_text,
    html: message.body_html,
    attachments,
  });
  await db
    .updateTable("messages")
    .set({
      status: result.status,
      provider: result.status === "sent" ? result.provider : "outbox",
      provider_message_id: result.status === "sent" ? result.providerMessageId : null,
      attempts: message.attempts + 1,
      error: null,
      sent_at: new Date(),
    })
    .where("id", "=", messageId)
    .execute();
  return "delivered";
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

import { Resend } from "resend";
import { z } from "zod";
import { secretText } from "~/lib/text";
import type { MessageProvider } from "./types";

/** An agency's own Resend account: its key (blank: the platform's) and, as the row's sender, its from address. */
export const resendConfigSchema = z.object({ apiKey: secretText().optional() });

/** Email through Resend (official SDK). `from` is the tenant's sender, or the platform's default. */
export function resendProvider(config: { apiKey: string; from: string }): MessageProvider {
  const resend = new Resend(config.apiKey);
  return {
    name: "resend",
    async send(message) {
      const { data, error } = await resend.emails.send(
        {
          from: config.from,
          to: message.to,
          subject: message.subject ?? "",
          text: message.text,
          html: message.html ?? undefined,
          headers: message.headers,
          attachments: message.attachments.length
            ? message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType }))
            : undefined,
        },
        // A retried job repeats the same key, so Resend sends the email once.
        { idempotencyKey: `message-${message.id}` },
      );
      if (error || !data) throw new Error(`Resend refused the email: ${error?.message ?? "no id returned"}`);
      return { provider: "resend", status: "sent", providerMessageId: data.id };
    },
  };
}

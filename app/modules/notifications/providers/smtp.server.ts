import nodemailer from "nodemailer";
import { z } from "zod";
import { lineText, secretText } from "~/lib/text";
import { MessageRejectedError, type MessageProvider } from "./types";

/**
 * Email through the agency's own mail server (decision 039), with nodemailer. `security`: `tls`
 * connects encrypted (usually port 465), `starttls` requires the upgrade (587), `none` is for a
 * relay on a private network only.
 */
export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;

export const smtpConfigSchema = z.object({
  host: lineText("Required.").refine((v) => /^[A-Za-z0-9.-]+$/.test(v), "A host name such as smtp.example.com."),
  port: lineText("Required.").refine((v) => /^\d{1,5}$/.test(v) && Number(v) > 0 && Number(v) < 65536, "A port number such as 587."),
  security: z.enum(SMTP_SECURITY, { errorMap: () => ({ message: "Choose how the connection is encrypted." }) }),
  user: lineText().optional(),
  password: secretText().optional(),
});

export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

export function smtpProvider(config: SmtpConfig & { from: string; timeoutMs?: number }): MessageProvider {
  const timeout = config.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport({
    host: config.host,
    port: Number(config.port),
    secure: config.security === "tls",
    requireTLS: config.security === "starttls",
    ignoreTLS: config.security === "none",
    auth: config.user ? { user: config.user, pass: config.password ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: "smtp",
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject ?? "",
          text: message.text,
          html: message.html ?? undefined,
          headers: message.headers,
          attachments: message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        });
        return {
          provider: "smtp",
          status: "sent",
          providerMessageId: info.messageId ?? null,
          providerStatus: info.response?.slice(0, 200) ?? null,
        };
      } catch (error) {
        throw smtpError(error);
      } finally {
        transport.close();
      }
    },
  };
}

/**
 * A refused login (535) or a 5xx answer to the recipient or the message (550 no such mailbox,
 * 553, 554…) is the server's final word: the message fails with it. 4xx answers (greylisting,
 * mailbox busy), connection errors and time-outs pass: the job retries.
 */
function smtpError(error: unknown): Error {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const answer = (e.response ?? e.message ?? String(error)).slice(0, 500);
  if (e.code === "EAUTH")
    return new MessageRejectedError(`The mail server refused the login: ${answer}`, e.responseCode ? String(e.responseCode) : "EAUTH");
  if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600) {
    return new MessageRejectedError(`The mail server refused the message: ${answer}`, String(e.responseCode));
  }
  return new Error(`The mail server could not be reached or deferred the message: ${answer}`);
}

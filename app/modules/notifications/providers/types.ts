import type { Language, MessageChannel, MessagingProviderName } from "~db/schema";

/**
 * The one interface every messaging provider implements (issue 14, decision 036), like the payment
 * providers': an adapter per vendor, chosen per tenant and channel, built from the tenant's
 * decrypted configuration. Adapters do HTTP and nothing else: no database, no retries (the
 * send_message job retries), no templates (the message arrives rendered).
 */

/** The channels a provider carries; in-app messages need none. */
export type ProviderChannel = Exclude<MessageChannel, "in_app">;

export interface OutgoingMessage {
  /** Our message id: adapters that support it pass it as the provider's idempotency key. */
  id: string;
  tenantId: string;
  channel: ProviderChannel;
  /** An email address, or a phone number in E.164 (normalised when the message was queued). */
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  attachments: { filename: string; content: Buffer; contentType: string }[];
  /** The catalogue event (app/modules/notifications/events.ts) and language it was written in. */
  event: string | null;
  language: Language | null;
  /** WhatsApp: the template's values (the event and language name the approved template). */
  variables: Record<string, string> | null;
  /** Extra headers for email (List-Unsubscribe…). */
  headers?: Record<string, string>;
}

export interface SendResult {
  provider: MessagingProviderName;
  /** `outbox`: kept in the development outbox, never delivered; `delivered`: the provider confirmed at once. */
  status: "sent" | "delivered" | "outbox";
  providerMessageId: string | null;
  providerStatus?: string | null;
  segments?: number | null;
  encoding?: "gsm7" | "ucs2" | null;
}

export interface MessageProvider {
  readonly name: MessagingProviderName;
  send(message: OutgoingMessage): Promise<SendResult>;
}

/**
 * The provider refused this message for good (an invalid or barred number, an unknown template):
 * sending it again cannot help, so the message is marked failed with this reason at once.
 * Any other error is treated as passing trouble (timeout, 5xx, 429) and retried with back-off.
 */
export class MessageRejectedError extends Error {
  constructor(
    readonly reason: string,
    readonly providerStatus: string | null = null,
  ) {
    super(reason);
    this.name = "MessageRejectedError";
  }
}

/** A delivery report, parsed from a provider's callback by its adapter. */
export interface DeliveryReport {
  provider: MessagingProviderName;
  providerMessageId: string;
  status: "sent" | "delivered" | "failed";
  providerStatus: string | null;
  reason?: string | null;
  at?: Date;
}

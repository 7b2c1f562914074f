import type { MessageChannel } from "~db/schema";
import type { EventKey } from "../events";

/**
 * Shipped wording: per event, the channels it has a default for. Email and in-app have a subject
 * (the in-app title); SMS and WhatsApp a body only. Bodies use {{variable}}; in email a paragraph
 * that is only `[Label]({{link}})` becomes a button.
 */
export interface DefaultTemplate {
  subject?: string;
  body: string;
}

export type LanguageDefaults = Record<EventKey, Partial<Record<MessageChannel, DefaultTemplate>>>;

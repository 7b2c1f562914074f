import type { MessageCategory, MessageChannel } from "~db/schema";

/**
 * The one catalogue of events that produce messages (issue 14, decision 036). Each names its
 * category (for preferences), whether a person may turn it off (codes and receipts cannot be),
 * whether it is urgent (ignores quiet hours), its default channels, and the variables its
 * templates may use, with a description and sample value each: the template editor documents
 * them, refuses unknown ones on save and previews with the samples.
 *
 * Default wording per event, channel and language lives in ./defaults/<language>.ts.
 */
export interface EventDefinition {
  label: string;
  /** Who receives it: decides which portal an in-app link opens and which preferences page lists it. */
  audience: "customer" | "agent" | "member" | "staff" | "operator";
  category: MessageCategory;
  /** False for transactional messages (codes, receipts): preferences and opt-outs do not apply. */
  optional: boolean;
  /** Urgent messages are sent during quiet hours. */
  urgent: boolean;
  channels: MessageChannel[];
  variables: Record<string, { description: string; sample: string }>;
}

const name = { description: "The recipient's name", sample: "Amina Hassan" };
const tenantName = { description: "The agency's name", sample: "Bowman Insurance" };

export const EVENTS = {
  phone_code: {
    label: "Phone number confirmation code",
    audience: "customer",
    category: "security",
    optional: false,
    urgent: true,
    channels: ["sms"],
    variables: {
      code: { description: "The one-time code", sample: "482913" },
      minutes: { description: "Minutes the code works for", sample: "10" },
      tenantName,
    },
  },
  payment_received: {
    label: "Payment received",
    audience: "customer",
    category: "payments",
    optional: false,
    urgent: false,
    channels: ["email", "sms", "in_app"],
    variables: {
      name,
      tenantName,
      amount: { description: "The amount paid, formatted", sample: "KES 12,500.00" },
      description: { description: "What the payment was for", sample: "Motor comprehensive, policy BWM-POL-2026-000123" },
      receiptNumber: { description: "The receipt's number", sample: "BWM-RCT-2026-000456" },
      link: { description: "The customer's payments page", sample: "https://bowman.example/account/payments" },
    },
  },
  alert_raised: {
    label: "Something needs attention (alert)",
    audience: "staff",
    category: "alerts",
    optional: false,
    urgent: false,
    channels: ["email", "in_app"],
    variables: {
      name,
      tenantName,
      title: { description: "What went wrong, in a line", sample: "A payment webhook has waited 45 minutes" },
      detail: { description: "What is known about it", sample: "12 M-Pesa callbacks are not processed yet; the oldest arrived at 09:14." },
      link: { description: "The alerts page", sample: "https://bowman.example/admin/alerts" },
    },
  },
} satisfies Record<string, EventDefinition>;

export type EventKey = keyof typeof EVENTS;

export function isEventKey(value: string): value is EventKey {
  return Object.hasOwn(EVENTS, value);
}

export function eventDefinition(key: EventKey): EventDefinition {
  return EVENTS[key];
}

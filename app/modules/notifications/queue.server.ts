import { addJob } from "~db/jobs";
import type { TenantDb } from "~db/client";
import type { Language, MessageAttachment, MessageCategory, MessageChannel } from "~db/schema";
import { countryOfLocale, normaliseAddress, type AddressCheck } from "./addresses.server";
import { deliveryDecision, type DeliveryVerdict } from "./preferences.server";
import { isOutboxChannel } from "./providers/index.server";
import { smsLength } from "./sms-segments";

/**
 * One rendered message for one person on one channel (issue 14, decision 036). Everything that
 * sends anything comes through `queueMessage`: the catalogue's `notify`, the email and SMS
 * shortcuts, broadcasts and alerts.
 */
export interface MessageDraft {
  channel: MessageChannel;
  /** The catalogue event (or, for older callers, the template's name). */
  template: string;
  event?: string | null;
  /** Email address, phone number (normalised here), or for in-app the user's id. */
  to: string;
  userId?: string | null;
  subject?: string | null;
  text: string;
  html?: string | null;
  /** In-app: the page it is about. */
  link?: string | null;
  language?: Language | null;
  /** For preferences and opt-outs; none: the message always goes (account and security). */
  category?: MessageCategory | null;
  /** A message the person cannot turn off (codes, receipts): preferences and opt-outs do not apply. */
  essential?: boolean;
  /** Urgent messages ignore quiet hours (codes, failed payments about to lapse cover). */
  urgent?: boolean;
  /** One message per business event and channel: asking again with the same key queues nothing. */
  dedupeKey?: string;
  attachments?: MessageAttachment[];
  broadcastId?: string | null;
  /** The template's values: WhatsApp sends an approved template by name with them. */
  variables?: Record<string, string>;
}

/**
 * Records a message and queues its delivery in the caller's transaction: if the write that wants
 * it rolls back, there is no message. Returns the message's id, or null when nothing will be sent
 * (a repeat, turned off by the recipient, or an address that cannot receive it).
 *
 * - turned off (preferences, STOP, unsubscribe): recorded `suppressed`, never sent;
 * - an invalid address: recorded `failed` with the reason at once;
 * - in-app: recorded `delivered` (the row is the notification);
 * - SMS or WhatsApp while the tenant has no provider: recorded in the development outbox at once,
 *   so a code can be read there without a worker;
 * - otherwise `queued`, with one `send_message` job (job key per message), after quiet hours
 *   when the message is not urgent.
 */
export async function queueMessage(db: TenantDb, tenantId: string, draft: MessageDraft): Promise<string | null> {
  const address = normaliseAddress(draft.channel, draft.to, await tenantCountry(db, tenantId, draft));
  const decision = address.ok ? await deliveryDecision(db, tenantId, { ...draft, to: address.address }) : null;
  const sms = draft.channel === "sms" ? smsLength(draft.text) : null;
  const now = new Date();
  const outbox =
    address.ok && decision?.send && (draft.channel === "sms" || draft.channel === "whatsapp")
      ? await isOutboxChannel(db, tenantId, draft.channel)
      : false;
  const state = messageState({ channel: draft.channel, address, decision, outbox, now });
  const message = await db
    .insertInto("messages")
    .values({
      channel: draft.channel,
      template: draft.template,
      event: draft.event ?? null,
      recipient: address.ok ? address.address : draft.to,
      user_id: draft.userId ?? null,
      subject: draft.subject ?? null,
      body_text: draft.text,
      body_html: draft.html ?? null,
      link: draft.link ?? null,
      language: draft.language ?? null,
      category: draft.category ?? null,
      dedupe_key: draft.dedupeKey ?? null,
      attachments: JSON.stringify(draft.attachments ?? []),
      broadcast_id: draft.broadcastId ?? null,
      variables: draft.channel === "whatsapp" && draft.variables ? JSON.stringify(draft.variables) : null,
      segments: sms?.segments ?? null,
      encoding: sms?.encoding ?? null,
      ...state,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "dedupe_key"]).where("dedupe_key", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!message) return null;
  if (state.status === "queued") {
    await addJob(
      db,
      "send_message",
      { tenantId, messageId: message.id },
      { jobKey: `send_message:${tenantId}:${message.id}`, runAt: state.send_after ?? undefined, maxAttempts: SEND_ATTEMPTS },
    );
  }
  return state.status === "queued" || state.status === "outbox" || state.status === "delivered" ? message.id : null;
}

/**
 * The state a new message is written in, from its address check and delivery decision (the
 * rules listed on `queueMessage`). Broadcasts write thousands of rows with it (broadcasts.server.ts).
 */
export function messageState(input: {
  channel: MessageChannel;
  address: AddressCheck;
  decision: DeliveryVerdict | null;
  /** SMS/WhatsApp while the tenant has no provider. */
  outbox: boolean;
  now: Date;
}) {
  const { address, decision, now } = input;
  return !address.ok
    ? ({ status: "failed", error: address.reason, failed_at: now } as const)
    : !decision?.send
      ? ({ status: "suppressed", error: decision?.reason ?? null } as const)
      : input.channel === "in_app"
        ? ({ status: "delivered", delivered_at: now, sent_at: now, provider: "in_app" } as const)
        : input.outbox
          ? ({ status: "outbox", provider: "outbox", attempts: 1, sent_at: now } as const)
          : ({ status: "queued", send_after: decision.sendAfter ?? null } as const);
}

/** Tries before a message is marked failed for good; graphile-worker backs off exponentially (about 1 h in all). */
export const SEND_ATTEMPTS = 8;

async function tenantCountry(db: TenantDb, tenantId: string, draft: MessageDraft) {
  if (draft.channel !== "sms" && draft.channel !== "whatsapp") return undefined;
  if (draft.to.trim().startsWith("+")) return undefined;
  return countryOfTenant(db, tenantId);
}

/** The country numbers without + are read in. */
export async function countryOfTenant(db: TenantDb, tenantId: string) {
  const tenant = await db.selectFrom("tenants").select("locale").where("id", "=", tenantId).executeTakeFirst();
  return tenant ? countryOfLocale(tenant.locale) : undefined;
}

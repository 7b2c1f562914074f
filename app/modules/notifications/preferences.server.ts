import type { TenantDb } from "~db/client";
import type { MessageCategory, MessageChannel, NotificationChannel } from "~db/schema";
import { NOTIFICATION_TOPICS, type NotificationTopic } from "./email.server";

/**
 * A customer's notification preferences (issue 13, docs/decisions/032-customer-self-service.md):
 * one switch per topic and channel, on unless they turned it off. Only messages that carry a topic
 * and a user are subject to them; account and security messages have no topic and always go.
 */

export const NOTIFICATION_CHANNELS = ["email", "sms"] as const satisfies readonly NotificationChannel[];

export const TOPIC_LABELS: Record<NotificationTopic, { label: string; hint: string }> = {
  renewals: { label: "Renewals", hint: "Renewal offers and reminders before your cover ends." },
  policy_changes: { label: "Changes to my policies", hint: "Changes, cancellations, certificates and cover ending." },
  payments: { label: "Payments", hint: "Receipts, instalments due and failed payments." },
  claims: { label: "Claims", hint: "Where your claims stand and what the assessor needs." },
};

export type Preferences = Record<NotificationTopic, Record<(typeof NOTIFICATION_CHANNELS)[number], boolean>>;

export async function preferencesOf(db: TenantDb, userId: string): Promise<Preferences> {
  const rows = await db
    .selectFrom("notification_preferences")
    .select(["topic", "channel", "enabled"])
    .where("user_id", "=", userId)
    .execute();
  const prefs = Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, { email: true, sms: true }])) as Preferences;
  for (const row of rows) {
    const topic = prefs[row.topic as NotificationTopic];
    if (topic && (row.channel === "email" || row.channel === "sms")) topic[row.channel] = row.enabled;
  }
  return prefs;
}

/** Saves every switch at once (the form shows them all). */
export async function savePreferences(db: TenantDb, userId: string, prefs: Preferences, now = new Date()): Promise<void> {
  const values = NOTIFICATION_TOPICS.flatMap((topic) =>
    NOTIFICATION_CHANNELS.map((channel) => ({ user_id: userId, topic, channel, enabled: prefs[topic][channel], updated_at: now })),
  );
  await db
    .insertInto("notification_preferences")
    .values(values)
    .onConflict((oc) =>
      oc.columns(["tenant_id", "user_id", "topic", "channel"]).doUpdateSet((eb) => ({
        enabled: eb.ref("excluded.enabled"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

/** Whether a message on this topic may go to this user on this channel. No topic or no user: it always goes. */
export async function wantsMessage(
  db: TenantDb,
  draft: { topic?: NotificationTopic; userId?: string },
  channel: NotificationChannel,
): Promise<boolean> {
  if (!draft.topic || !draft.userId) return true;
  const row = await db
    .selectFrom("notification_preferences")
    .select("enabled")
    .where("user_id", "=", draft.userId)
    .where("topic", "=", draft.topic)
    .where("channel", "=", channel)
    .executeTakeFirst();
  return row?.enabled ?? true;
}

/** A message's facts that `decideDelivery` weighs. */
export interface DeliveryDraft {
  channel: MessageChannel;
  category?: MessageCategory | null;
  essential?: boolean;
}

/** What is known about the recipient: their switch for the category and channel, and an opt-out of the address. */
export interface RecipientChoices {
  /** null: never set (on). */
  enabled: boolean | null;
  optOutSource: string | null;
}

export type DeliveryVerdict = { send: boolean; reason?: string; sendAfter?: Date | null };

/**
 * Whether a message goes (issue 14): the one rule, for one message (`deliveryDecision`) and for a
 * broadcast's thousands (broadcasts.server.ts reads the choices of a batch in two queries).
 * Essential messages (codes, receipts) and messages without a category always go. Otherwise the
 * recipient's switch for the category and channel and any opt-out of the address (an SMS STOP, an
 * unsubscribe link) can stop it.
 */
export function decideDelivery(draft: DeliveryDraft, choices: RecipientChoices): DeliveryVerdict {
  if (draft.essential || !draft.category) return { send: true };
  if (choices.enabled === false) return { send: false, reason: "Turned off in the recipient's preferences" };
  if (draft.channel !== "in_app" && choices.optOutSource)
    return { send: false, reason: choices.optOutSource === "stop_reply" ? "The recipient replied STOP" : "The recipient unsubscribed" };
  return { send: true };
}

/** `decideDelivery` for one message, reading the recipient's choices. */
export async function deliveryDecision(
  db: TenantDb,
  _tenantId: string,
  draft: DeliveryDraft & { to: string; userId?: string | null; urgent?: boolean },
): Promise<DeliveryVerdict> {
  if (draft.essential || !draft.category) return { send: true };
  const row = draft.userId
    ? await db
        .selectFrom("notification_preferences")
        .select("enabled")
        .where("user_id", "=", draft.userId)
        .where("topic", "=", draft.category)
        .where("channel", "=", draft.channel)
        .executeTakeFirst()
    : undefined;
  const optOut =
    draft.channel !== "in_app"
      ? await db
          .selectFrom("message_opt_outs")
          .select("source")
          .where("channel", "=", draft.channel)
          .where("address", "=", draft.to)
          .where("category", "in", ["all", draft.category])
          .executeTakeFirst()
      : undefined;
  return decideDelivery(draft, { enabled: row?.enabled ?? null, optOutSource: optOut?.source ?? null });
}

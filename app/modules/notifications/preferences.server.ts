import type { TenantDb } from "~db/client";
import type { MessageCategory, MessageChannel, NotificationChannel, Role } from "~db/schema";
import { can } from "~/modules/auth/permissions";
import { EVENTS, type EventDefinition } from "./events";
import { quietUntil } from "./quiet-hours";

/**
 * What each person chooses to receive (issue 14 item 4, docs/decisions/042-preferences-and-notification-centre.md):
 * one switch per category and channel, on unless they turned it off. The categories a person may
 * switch are derived from the event catalogue — those with an optional event for someone like them —
 * plus marketing, which broadcasts use; transactional events (codes, receipts) are listed as always
 * sent. `deliveryDecision` is the one place the switches, opt-outs and quiet hours are applied.
 */

export const PREFERENCE_CHANNELS = ["email", "sms", "whatsapp", "in_app"] as const satisfies readonly NotificationChannel[];
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/** Broadcasts are optional marketing messages, though no catalogue event carries them. */
const BROADCAST_CATEGORY: MessageCategory = "marketing";

/** Every category, in migration 0026's order (the page shows them so). */
export const MESSAGE_CATEGORIES: readonly MessageCategory[] = [
  "security",
  "account",
  "payments",
  "policy_changes",
  "renewals",
  "claims",
  "network",
  "marketing",
  "alerts",
];

type Audience = EventDefinition["audience"];

/** Whom a person's events are for: everyone is a customer; agents and staff hear about more. */
export function audiencesOf(roles: readonly Role[]): Audience[] {
  return [
    "customer",
    "member",
    ...(can(roles, "read:network:own") ? (["agent"] as const) : []),
    ...(can(roles, "read:backoffice:any") ? (["staff"] as const) : []),
  ];
}

const events = Object.entries(EVENTS) as [string, EventDefinition][];

/** The categories this person may turn off: those of the optional events for them, and marketing. */
export function switchableCategories(audiences: readonly Audience[]): MessageCategory[] {
  const found = new Set<MessageCategory>([BROADCAST_CATEGORY]);
  for (const [, e] of events) if (e.optional && audiences.includes(e.audience)) found.add(e.category);
  return MESSAGE_CATEGORIES.filter((c) => found.has(c));
}

/** The transactional events this person receives whatever they choose. */
export function alwaysSentEvents(audiences: readonly Audience[]): { event: string; label: string }[] {
  return events.filter(([, e]) => !e.optional && audiences.includes(e.audience)).map(([event, e]) => ({ event, label: e.label }));
}

export type Preferences = Partial<Record<MessageCategory, Record<PreferenceChannel, boolean>>>;

export async function preferencesOf(db: TenantDb, userId: string, categories: readonly MessageCategory[]): Promise<Preferences> {
  const rows = await db
    .selectFrom("notification_preferences")
    .select(["topic", "channel", "enabled"])
    .where("user_id", "=", userId)
    .execute();
  const prefs: Preferences = Object.fromEntries(
    categories.map((c) => [c, Object.fromEntries(PREFERENCE_CHANNELS.map((ch) => [ch, true]))]),
  );
  for (const row of rows) {
    const switches = prefs[row.topic];
    if (switches) switches[row.channel] = row.enabled;
  }
  return prefs;
}

/** Saves every switch shown at once (the form shows them all). */
export async function savePreferences(db: TenantDb, userId: string, prefs: Preferences, now = new Date()): Promise<void> {
  const values = (Object.entries(prefs) as [MessageCategory, Record<PreferenceChannel, boolean>][]).flatMap(([topic, switches]) =>
    PREFERENCE_CHANNELS.map((channel) => ({ user_id: userId, topic, channel, enabled: switches[channel], updated_at: now })),
  );
  if (values.length === 0) return;
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
 * When it goes is `deliveryDecision`'s: non-urgent messages wait out the agency's quiet hours.
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

/**
 * `decideDelivery` for one message, reading the recipient's choices, and when it goes: unless it is
 * essential, urgent or in-app (in-app notifications make no sound), a message waits out the agency's
 * quiet hours.
 */
export async function deliveryDecision(
  db: TenantDb,
  tenantId: string,
  draft: DeliveryDraft & { to: string; userId?: string | null; urgent?: boolean },
  now = new Date(),
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
  const verdict = decideDelivery(draft, { enabled: row?.enabled ?? null, optOutSource: optOut?.source ?? null });
  if (!verdict.send || draft.urgent || draft.channel === "in_app") return verdict;
  return { send: true, sendAfter: await quietHoursEnd(db, tenantId, now) };
}

/** The end of the agency's quiet hours when `now` falls inside them, else null. */
async function quietHoursEnd(db: TenantDb, tenantId: string, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom("tenants")
    .leftJoin("messaging_settings as s", "s.tenant_id", "tenants.id")
    .select(["tenants.time_zone", "s.quiet_hours_start", "s.quiet_hours_end"])
    .where("tenants.id", "=", tenantId)
    .executeTakeFirst();
  if (!row?.quiet_hours_start || !row.quiet_hours_end) return null;
  return quietUntil(now, row.time_zone, row.quiet_hours_start, row.quiet_hours_end);
}

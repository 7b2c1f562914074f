import { z } from "zod";
import type { TenantDb } from "~db/client";
import type { Language, MessageCategory, MessageChannel } from "~db/schema";
import { isLanguage } from "~/lib/languages";
import { lineText, multilineText } from "~/lib/text";
import { recordAudit } from "~/modules/audit/audit.server";
import { isUniqueViolation } from "~/modules/catalogue/admin.server";
import { EVENTS, isEventKey, type EventKey } from "./events";
import { renderMessage, unknownVariables } from "./render";
import { smsLength, type SmsLength } from "./sms-segments";
import { defaultTemplate, effectiveTemplate } from "./template-store.server";
import type { Brand } from "./templates.server";

/**
 * The back office's template editor (issue 14 item 3, decision 041): an agency's own wording per
 * event, channel and language. `message_templates` is append-only: a save, a reset and a restore
 * each add a version, so every earlier wording stays readable and restorable. Every change names
 * the version it was made from; a change made from an older one is refused rather than mixed in.
 */

export interface TemplateAddress {
  event: EventKey;
  channel: MessageChannel;
  language: Language;
}

export const CHANNEL_LABELS: Record<MessageChannel, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp", in_app: "In-app" };

const CATEGORY_LABELS: Record<MessageCategory, string> = {
  security: "Security",
  account: "Account",
  payments: "Payments",
  policy_changes: "Policy changes",
  renewals: "Renewals",
  claims: "Claims",
  network: "Agent network",
  marketing: "Marketing",
  alerts: "Alerts",
};

/**
 * Longest body per channel. An SMS over 1,000 characters is seven or more parts (and 15 as UCS-2);
 * Meta caps a WhatsApp template body at 1,024; email shares the multi-line cap of every form.
 */
export const BODY_LIMITS: Record<MessageChannel, number> = { sms: 1_000, whatsapp: 1_024, in_app: 2_000, email: 20_000 };

/** Email has a subject line and in-app a title; SMS and WhatsApp have neither. */
export function hasSubject(channel: MessageChannel): boolean {
  return channel === "email" || channel === "in_app";
}

/** The address in a URL, or null (a 404) when the event, its channel or the tenant's language is not one it offers. */
export function templateAddress(
  params: { event?: string; channel?: string; language?: string },
  languages: readonly Language[],
): TemplateAddress | null {
  const { event, channel, language } = params;
  if (!event || !isEventKey(event) || !isLanguage(language) || !languages.includes(language)) return null;
  const channels: readonly string[] = EVENTS[event].channels;
  if (!channel || !channels.includes(channel)) return null;
  return { event, channel: channel as MessageChannel, language };
}

/** Every event by category, with, per channel and language, whether the agency's wording or the default is in force. */
export async function templateOverview(db: TenantDb, languages: readonly Language[]) {
  const latest = await db
    .selectFrom("message_templates")
    .select(["event", "channel", "language", "version", "reset"])
    .distinctOn(["event", "channel", "language"])
    .orderBy("event")
    .orderBy("channel")
    .orderBy("language")
    .orderBy("version", "desc")
    .execute();
  const customised = new Set(latest.filter((row) => !row.reset).map((row) => `${row.event}/${row.channel}/${row.language}`));
  const groups = new Map<MessageCategory, { category: MessageCategory; label: string; events: EventSummary[] }>();
  for (const [key, definition] of Object.entries(EVENTS) as [EventKey, (typeof EVENTS)[EventKey]][]) {
    const group = groups.get(definition.category) ?? {
      category: definition.category,
      label: CATEGORY_LABELS[definition.category],
      events: [],
    };
    groups.set(definition.category, group);
    group.events.push({
      event: key,
      label: definition.label,
      channels: (definition.channels as readonly MessageChannel[]).map((channel) => ({
        channel,
        label: CHANNEL_LABELS[channel],
        languages: languages.map((language) => ({ language, customised: customised.has(`${key}/${channel}/${language}`) })),
      })),
    });
  }
  return [...groups.values()];
}

interface EventSummary {
  event: EventKey;
  label: string;
  channels: { channel: MessageChannel; label: string; languages: { language: Language; customised: boolean }[] }[];
}

/** The versions of one template, newest first, with who made each. */
export async function templateVersions(db: TenantDb, event: EventKey, channel: MessageChannel, language: Language) {
  return db
    .selectFrom("message_templates as t")
    .leftJoin("users as u", "u.id", "t.created_by")
    .select(["t.version", "t.subject", "t.body", "t.reset", "t.created_at as createdAt", "u.name as author"])
    .where("t.event", "=", event)
    .where("t.channel", "=", channel)
    .where("t.language", "=", language)
    .orderBy("t.version", "desc")
    .execute();
}

/** What the editor opens with: the wording in force, the shipped default, and the version a change is made from. */
export async function templateEditorState(db: TenantDb, address: TemplateAddress) {
  const { event, channel, language } = address;
  const [current, versions] = await Promise.all([
    effectiveTemplate(db, event, channel, language),
    templateVersions(db, event, channel, language),
  ]);
  return {
    subject: current?.subject ?? "",
    body: current?.body ?? "",
    source: current?.source ?? "default",
    shipped: defaultTemplate(event, channel, language) ?? null,
    version: versions[0]?.version ?? 0,
    versions,
  };
}

const listFormat = (names: string[]) => names.map((n) => `{{${n}}}`).join(", ");

/** Windows line ends as typed in a textarea are stored as \n, so SMS lengths are what is sent. */
const bodyText = (channel: MessageChannel) =>
  multilineText("Write the message.")
    .max(BODY_LIMITS[channel], `Use at most ${BODY_LIMITS[channel].toLocaleString("en")} characters.`)
    .transform((text) => text.replace(/\r\n/g, "\n"));

/**
 * The editor's form for one event and channel, checked at the edge: the subject where the channel has
 * one (and only there), the size limits, and only the event's documented variables.
 */
export function templateSchema(event: EventKey, channel: MessageChannel) {
  const allowed = Object.keys(EVENTS[event].variables);
  const unknownMessage = (names: string[]) =>
    `${names.length === 1 ? "Unknown variable" : "Unknown variables"} ${listFormat(names)}. This message can use ${listFormat(allowed)}.`;
  return z
    .object({
      subject: lineText().optional(),
      body: bodyText(channel),
      expectedVersion: z.coerce.number({ invalid_type_error: "Reload the page and try again." }).int().min(0),
    })
    .superRefine((value, ctx) => {
      if (hasSubject(channel) && !value.subject) {
        ctx.addIssue({ code: "custom", path: ["subject"], message: channel === "email" ? "Write the subject line." : "Write the title." });
      }
      if (!hasSubject(channel) && value.subject) {
        ctx.addIssue({
          code: "custom",
          path: ["subject"],
          message: `${CHANNEL_LABELS[channel]} messages have no subject: leave it empty.`,
        });
      }
      for (const field of ["subject", "body"] as const) {
        const unknown = unknownVariables(event, value[field]);
        if (unknown.length) ctx.addIssue({ code: "custom", path: [field], message: unknownMessage(unknown) });
      }
    });
}

/** A preview's text: only what every form refuses, so a half-typed template still previews. */
export const previewSchema = z.object({ subject: lineText().optional(), body: multilineText().optional() });

/** A change made from a version that is no longer the newest: refused, nothing saved. */
export class StaleTemplateError extends Error {
  constructor(public readonly latest: number) {
    super(
      `Someone else changed this template while you were editing it (it is now at version ${latest}). Nothing was saved: ` +
        "your text is still below. Compare it with the newest version, then save again.",
    );
  }
}

interface Change extends TemplateAddress {
  userId: string;
  ip?: string | null;
  /** The newest version when the editor was opened (0 when the agency never changed it). */
  expectedVersion: number;
}

async function latestVersion(db: TenantDb, address: TemplateAddress) {
  return db
    .selectFrom("message_templates")
    .select(["version", "reset", "subject", "body"])
    .where("event", "=", address.event)
    .where("channel", "=", address.channel)
    .where("language", "=", address.language)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Appends the next version. The unique (event, channel, language, version) constraint settles two
 * changes made at once from the same version: the second one's insert fails and it is refused.
 */
async function appendVersion(
  db: TenantDb,
  change: Change,
  content: { subject: string | null; body: string | null; reset: boolean },
  audit: { action: string; details?: Record<string, unknown> },
): Promise<number> {
  const { event, channel, language } = change;
  const latest = (await latestVersion(db, change))?.version ?? 0;
  if (latest !== change.expectedVersion) throw new StaleTemplateError(latest);
  const version = latest + 1;
  let id: string;
  try {
    ({ id } = await db
      .insertInto("message_templates")
      .values({ event, channel, language, version, ...content, created_by: change.userId })
      .returning("id")
      .executeTakeFirstOrThrow());
  } catch (error) {
    if (isUniqueViolation(error)) throw new StaleTemplateError(version);
    throw error;
  }
  await recordAudit(
    db,
    { userId: change.userId, ip: change.ip ?? null },
    {
      action: audit.action,
      targetType: "message_template",
      targetId: id,
      details: { event, channel, language, version, ...audit.details },
    },
  );
  return version;
}

/** Saves the agency's wording as a new version (already checked with `templateSchema`). */
export async function saveTemplate(db: TenantDb, change: Change & { subject?: string | null; body: string }): Promise<number> {
  const subject = hasSubject(change.channel) ? (change.subject ?? null) : null;
  return appendVersion(db, change, { subject, body: change.body, reset: false }, { action: "message_template.saved" });
}

/** Puts the shipped default back with a `reset` version; the agency's versions are kept. Null when the default is already in force. */
export async function resetTemplate(db: TenantDb, change: Change): Promise<number | null> {
  const latest = await latestVersion(db, change);
  if ((!latest || latest.reset) && change.expectedVersion === (latest?.version ?? 0)) return null;
  return appendVersion(db, change, { subject: null, body: null, reset: true }, { action: "message_template.reset" });
}

/** Makes an older version the one in force again, as a new version copying it. Null when there is no such version. */
export async function restoreVersion(db: TenantDb, change: Change & { version: number }): Promise<number | null> {
  const older = await db
    .selectFrom("message_templates")
    .select(["subject", "body", "reset"])
    .where("event", "=", change.event)
    .where("channel", "=", change.channel)
    .where("language", "=", change.language)
    .where("version", "=", change.version)
    .executeTakeFirst();
  if (!older) return null;
  return appendVersion(db, change, older, { action: "message_template.restored", details: { restoredVersion: change.version } });
}

export interface TemplatePreview {
  subject: string | null;
  text: string;
  /** Email only: the whole message as sent, every value and the template's own text escaped. */
  html: string | null;
  sms: SmsLength | null;
  /** Variables the text uses that the event does not offer: they would be sent empty. */
  unknown: string[];
}

/** The message as `notify` would send it, filled with the event's sample values (or `vars`). */
export function previewTemplate(input: {
  event: EventKey;
  channel: MessageChannel;
  subject?: string | null;
  body: string;
  brand: Brand;
  vars?: Record<string, string>;
}): TemplatePreview {
  const samples = Object.fromEntries(Object.entries(EVENTS[input.event].variables).map(([name, v]) => [name, v.sample]));
  const vars = { ...samples, tenantName: input.brand.tenantName, ...input.vars };
  const subject = hasSubject(input.channel) ? (input.subject ?? null) : null;
  const body = input.body.replace(/\r\n/g, "\n");
  const rendered = renderMessage({ channel: input.channel, event: input.event, subject, body, vars, brand: input.brand });
  return {
    ...rendered,
    sms: input.channel === "sms" ? smsLength(rendered.text) : null,
    unknown: unknownVariables(input.event, subject, body),
  };
}

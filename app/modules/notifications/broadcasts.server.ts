import { sql } from "kysely";
import { z } from "zod";
import { addJob } from "~db/jobs";
import type { TenantDb } from "~db/client";
import type { MessageChannel, MessageStatus } from "~db/schema";
import { lineText, multilineText } from "~/lib/text";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { broadcastMachine, transition, type BroadcastEvent, type BroadcastState } from "~/modules/workflows";
import { normaliseAddress } from "./addresses.server";
import { addressOn, recipientBatches, segmentSchema, type Recipient, type Segment } from "./broadcasts-segments.server";
import { decideDelivery } from "./preferences.server";
import { isOutboxChannel } from "./providers/index.server";
import { countryOfTenant, messageState } from "./queue.server";
import { renderMessage, variablesIn } from "./render";
import { escapeHtml } from "./templates.server";
import { smsLength } from "./sms-segments";

/**
 * Broadcasts (issue 14, docs/decisions/043-broadcasts-and-alerts.md): an admin writes one message
 * for a segment, sees who receives it, and sends it once. Every recipient's message is written by
 * the same rules as `queueMessage` (address normalisation, preferences and opt-outs of the
 * `marketing` category, SMS segments, the outbox without a provider), a batch of thousands per
 * statement; the dispatcher (broadcasts-dispatch.server.ts) then hands them to the provider at the
 * agency's rate.
 */
export const BROADCAST_CHANNELS = ["email", "sms", "whatsapp", "in_app"] as const satisfies readonly MessageChannel[];
/** The variables a broadcast's text may use. */
export const BROADCAST_VARIABLES = ["name", "tenantName"] as const;
export const BROADCAST_BATCH = 5000;

export const broadcastFormSchema = z
  .object({
    title: lineText().min(1, "Give the broadcast a title").max(200),
    channel: z.enum(BROADCAST_CHANNELS, { message: "Choose a channel" }),
    subject: lineText().max(200).optional(),
    body: multilineText().min(1, "Write the message").max(5000),
    segment: z.enum(["customers", "product_customers", "agents_of_rank", "agent_members"], { message: "Choose who receives it" }),
    productId: lineText().uuid("Choose a product").optional(),
    rank: lineText().max(40).optional(),
    agentId: lineText().uuid("Choose an agent").optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.channel === "email" || value.channel === "in_app") && !value.subject)
      ctx.addIssue({
        code: "custom",
        path: ["subject"],
        message: value.channel === "email" ? "An email needs a subject" : "Give it a heading",
      });
    const unknown = [value.subject, value.body]
      .flatMap((t) => (t ? variablesIn(t) : []))
      .filter((v) => !(BROADCAST_VARIABLES as readonly string[]).includes(v));
    if (unknown.length > 0)
      ctx.addIssue({ code: "custom", path: ["body"], message: `Only {{name}} and {{tenantName}} can be filled in, not {{${unknown[0]}}}` });
    if (value.segment === "product_customers" && !value.productId)
      ctx.addIssue({ code: "custom", path: ["productId"], message: "Choose a product" });
    if (value.segment === "agents_of_rank" && !value.rank) ctx.addIssue({ code: "custom", path: ["rank"], message: "Choose a rank" });
    if (value.segment === "agent_members" && !value.agentId)
      ctx.addIssue({ code: "custom", path: ["agentId"], message: "Choose an agent" });
  });
export type BroadcastForm = z.infer<typeof broadcastFormSchema>;

export function segmentOfForm(form: BroadcastForm): z.SafeParseReturnType<unknown, Segment> {
  return segmentSchema.safeParse({ kind: form.segment, productId: form.productId, rank: form.rank, agentId: form.agentId });
}

export interface Broadcast {
  id: string;
  title: string;
  channel: MessageChannel;
  segment: Segment;
  subject: string | null;
  body: string;
  status: BroadcastState;
  recipientCount: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export async function createBroadcast(
  db: TenantDb,
  form: BroadcastForm,
  segment: Segment,
  actor: Actor & { userId: string },
): Promise<string> {
  const row = await db
    .insertInto("broadcasts")
    .values({
      title: form.title,
      channel: form.channel,
      segment: JSON.stringify(segment),
      subject: form.channel === "email" || form.channel === "in_app" ? (form.subject ?? null) : null,
      body: form.body,
      created_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "broadcast",
    entityId: row.id,
    from: null,
    to: "draft",
    event: "create",
    actorUserId: actor.userId,
  });
  return row.id;
}

export async function findBroadcast(db: TenantDb, id: string): Promise<Broadcast | undefined> {
  const row = await db.selectFrom("broadcasts").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toBroadcast(row) : undefined;
}

function toBroadcast(row: {
  id: string;
  title: string;
  channel: MessageChannel;
  segment: unknown;
  subject: string | null;
  body: string;
  status: BroadcastState;
  recipient_count: number | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}): Broadcast {
  return {
    id: row.id,
    title: row.title,
    channel: row.channel,
    segment: segmentSchema.parse(row.segment),
    subject: row.subject,
    body: row.body,
    status: row.status,
    recipientCount: row.recipient_count,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export const BROADCASTS_PAGE_SIZE = 25;

export async function listBroadcasts(db: TenantDb, options: { page: number }) {
  const rows = await db
    .selectFrom("broadcasts")
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(BROADCASTS_PAGE_SIZE + 1)
    .offset((options.page - 1) * BROADCASTS_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, BROADCASTS_PAGE_SIZE).map(toBroadcast), hasMore: rows.length > BROADCASTS_PAGE_SIZE };
}

// ---------------------------------------------------------------------------------------------
// Rendering: once per broadcast, the name filled in per recipient by the database.

/** Stands for the recipient's name in the rendered message; survives HTML escaping unchanged. */
const NAME_TOKEN = "__COVERA_RECIPIENT_NAME__";

interface Rendered {
  subject: string | null;
  text: string;
  html: string | null;
}

async function renderBroadcast(db: TenantDb, tenantId: string, broadcast: Pick<Broadcast, "channel" | "subject" | "body">, name: string) {
  const tenant = await db.selectFrom("tenants").select(["name", "branding"]).where("id", "=", tenantId).executeTakeFirstOrThrow();
  return renderMessage({
    channel: broadcast.channel,
    event: "broadcast",
    subject: broadcast.subject,
    body: broadcast.body,
    vars: { name, tenantName: tenant.name },
    brand: { tenantName: tenant.name, primaryColor: tenant.branding.colors?.primary },
  });
}

function personalise(rendered: Rendered, name: string): Rendered {
  const put = (s: string, value: string) => s.split(NAME_TOKEN).join(value);
  return {
    subject: rendered.subject === null ? null : put(rendered.subject, name),
    text: put(rendered.text, name),
    html: rendered.html === null ? null : put(rendered.html, escapeHtml(name)),
  };
}

// ---------------------------------------------------------------------------------------------
// Recipients, classified by the rules of queueMessage.

type State = ReturnType<typeof messageState>;

interface Classified {
  recipient: Recipient;
  /** null: no address on this channel, so no message is written. */
  address: string | null;
  state: State | null;
}

interface Context {
  channel: MessageChannel;
  country: Awaited<ReturnType<typeof countryOfTenant>>;
  outbox: boolean;
  now: Date;
}

async function classify(db: TenantDb, context: Context, batch: Recipient[]): Promise<Classified[]> {
  const { channel, country, outbox, now } = context;
  const checked = batch.map((recipient) => {
    const raw = addressOn(channel, recipient);
    return { recipient, raw, check: raw === null ? null : normaliseAddress(channel, raw, country) };
  });
  // The recipients' choices for marketing on this channel, two reads per batch.
  const switches = await db
    .selectFrom("notification_preferences")
    .select(["user_id", "enabled"])
    .where("topic", "=", "marketing")
    .where("channel", "=", channel)
    .where("user_id", "=", sql<string>`any(${batch.map((r) => r.userId)}::uuid[])`)
    .execute();
  const enabled = new Map(switches.map((s) => [s.user_id, s.enabled]));
  const addresses = checked.flatMap((c) => (c.check?.ok ? [c.check.address] : []));
  const optOuts =
    channel === "in_app" || addresses.length === 0
      ? []
      : await db
          .selectFrom("message_opt_outs")
          .select(["address", "source"])
          .where("channel", "=", channel)
          .where("category", "in", ["all", "marketing"])
          .where("address", "=", sql<string>`any(${addresses}::text[])`)
          .execute();
  const optedOut = new Map(optOuts.map((o) => [o.address, o.source]));
  return checked.map(({ recipient, raw, check }) => {
    if (raw === null || check === null) return { recipient, address: null, state: null };
    const decision = check.ok
      ? decideDelivery(
          { channel, category: "marketing" },
          { enabled: enabled.get(recipient.userId) ?? null, optOutSource: optedOut.get(check.address) ?? null },
        )
      : null;
    return { recipient, address: check.ok ? check.address : raw, state: messageState({ channel, address: check, decision, outbox, now }) };
  });
}

async function contextOf(db: TenantDb, tenantId: string, channel: MessageChannel, now = new Date()): Promise<Context> {
  return {
    channel,
    country: channel === "sms" || channel === "whatsapp" ? await countryOfTenant(db, tenantId) : undefined,
    outbox: channel === "sms" || channel === "whatsapp" ? await isOutboxChannel(db, tenantId, channel) : false,
    now,
  };
}

export interface BroadcastPreview {
  /** People in the segment. */
  segmentSize: number;
  /** Messages that will go out. */
  receiving: number;
  /** Turned off: the marketing switch, a STOP or an unsubscribe. */
  optedOut: number;
  /** No address on this channel (no message is written). */
  noAddress: number;
  /** An address that cannot receive it (written as failed, with the reason). */
  invalidAddress: number;
  sample: { name: string; address: string }[];
  rendered: Rendered;
  segments: { segments: number; encoding: string; length: number } | null;
}

/** Who would receive the broadcast now, and what it says to the first of them. */
export async function previewBroadcast(db: TenantDb, tenantId: string, broadcast: Broadcast, timeZone: string): Promise<BroadcastPreview> {
  const context = await contextOf(db, tenantId, broadcast.channel);
  const preview: BroadcastPreview = {
    segmentSize: 0,
    receiving: 0,
    optedOut: 0,
    noAddress: 0,
    invalidAddress: 0,
    sample: [],
    rendered: { subject: null, text: "", html: null },
    segments: null,
  };
  let firstName: string | null = null;
  for await (const batch of recipientBatches(db, broadcast.segment, timeZone, BROADCAST_BATCH)) {
    for (const c of await classify(db, context, batch)) {
      preview.segmentSize += 1;
      if (!c.state) preview.noAddress += 1;
      else if (c.state.status === "failed") preview.invalidAddress += 1;
      else if (c.state.status === "suppressed") preview.optedOut += 1;
      else {
        preview.receiving += 1;
        firstName ??= c.recipient.name;
        if (preview.sample.length < 10) preview.sample.push({ name: c.recipient.name, address: c.address! });
      }
    }
  }
  preview.rendered = await renderBroadcast(db, tenantId, broadcast, firstName ?? "Amina Hassan");
  if (broadcast.channel === "sms") {
    const length = smsLength(preview.rendered.text);
    preview.segments = { segments: length.segments, encoding: length.encoding, length: preview.rendered.text.length };
  }
  return preview;
}

// ---------------------------------------------------------------------------------------------
// Sending

async function move(db: TenantDb, broadcast: { id: string; status: BroadcastState }, event: BroadcastEvent, actorUserId: string | null) {
  const moved = transition(broadcastMachine, broadcast.status, event);
  if (!moved.ok) return moved;
  await recordStateChange(db, { entity: "broadcast", entityId: broadcast.id, from: moved.from, to: moved.to, event, actorUserId });
  return moved;
}

/**
 * The admin confirmed: the broadcast is queued and its dispatcher starts. A broadcast is sent
 * once: the row is locked and a second "Send" is refused.
 */
export async function sendBroadcast(
  db: TenantDb,
  tenantId: string,
  id: string,
  actor: Actor & { userId: string },
  now = new Date(),
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const row = await db.selectFrom("broadcasts").select(["id", "status"]).where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) return { ok: false, reason: "There is no such broadcast." };
  const moved = await move(db, row, "send", actor.userId);
  if (!moved.ok) return { ok: false, reason: "This broadcast has already been sent." };
  await db.updateTable("broadcasts").set({ status: "queued", started_at: now }).where("id", "=", id).execute();
  await recordAudit(db, actor, { action: "broadcast.send", targetType: "broadcast", targetId: id });
  await addJob(db, "broadcast_dispatch", { tenantId, broadcastId: id }, dispatchJobOptions(tenantId, id, now));
  return { ok: true };
}

/** One pending dispatcher per broadcast: the job key replaces, never adds. */
export function dispatchJobOptions(tenantId: string, broadcastId: string, runAt: Date) {
  return { jobKey: `broadcast_dispatch:${tenantId}:${broadcastId}`, runAt, maxAttempts: 25 };
}

/**
 * Writes every recipient's message, `BROADCAST_BATCH` per statement, then moves the broadcast to
 * `sending`. Each batch commits on its own (`batchTx`); a message's dedupe key is the broadcast
 * and the person, so a run that stopped half-way and starts again writes each message once.
 * Returns how many messages the broadcast has.
 */
export async function expandBroadcast(
  withTx: <T>(work: (db: TenantDb) => Promise<T>) => Promise<T>,
  tenantId: string,
  id: string,
  timeZone: string,
): Promise<number> {
  const broadcast = await withTx((db) => findBroadcast(db, id));
  if (!broadcast || broadcast.status !== "queued") return broadcast?.recipientCount ?? 0;
  const { context, template } = await withTx(async (db) => ({
    context: await contextOf(db, tenantId, broadcast.channel),
    template: await renderBroadcast(db, tenantId, broadcast, NAME_TOKEN),
  }));
  // Recipients are read in one transaction (a consistent segment) and written in another per batch.
  await withTx(async (reader) => {
    for await (const batch of recipientBatches(reader, broadcast.segment, timeZone, BROADCAST_BATCH)) {
      await withTx(async (db) => insertBatch(db, broadcast, template, await classify(db, context, batch)));
    }
  });
  return withTx(async (db) => {
    const row = await db.selectFrom("broadcasts").select(["id", "status"]).where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    const count = await db
      .selectFrom("messages")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("broadcast_id", "=", id)
      .executeTakeFirstOrThrow();
    if ((await move(db, row, "expand", null)).ok)
      await db.updateTable("broadcasts").set({ status: "sending", recipient_count: count.n }).where("id", "=", id).execute();
    return count.n;
  });
}

async function insertBatch(db: TenantDb, broadcast: Broadcast, template: Rendered, batch: Classified[]): Promise<void> {
  const rows = batch.flatMap(({ recipient, address, state }) => {
    if (!state || address === null) return [];
    const sms = broadcast.channel === "sms" ? smsLength(personalise(template, recipient.name).text) : null;
    return [
      {
        user_id: recipient.userId,
        recipient: address,
        name_text: recipient.name,
        name_html: escapeHtml(recipient.name),
        segments: sms?.segments ?? null,
        encoding: sms?.encoding ?? null,
        status: state.status,
        error: "error" in state ? state.error : null,
        provider: "provider" in state ? state.provider : null,
        attempts: "attempts" in state ? state.attempts : 0,
        sent_at: "sent_at" in state ? state.sent_at : null,
        delivered_at: "delivered_at" in state ? state.delivered_at : null,
        failed_at: "failed_at" in state ? state.failed_at : null,
      },
    ];
  });
  if (rows.length === 0) return;
  const token = NAME_TOKEN;
  // One statement per batch: the rendered message once, each person's name put in by the database.
  await sql`
    insert into messages (channel, template, recipient, user_id, subject, body_text, body_html, category, dedupe_key,
                          broadcast_id, segments, encoding, status, error, provider, attempts, sent_at, delivered_at,
                          failed_at, link)
    select ${broadcast.channel}, 'broadcast', r.recipient, r.user_id,
           replace(${template.subject}::text, ${token}, r.name_text),
           replace(${template.text}::text, ${token}, r.name_text),
           replace(${template.html}::text, ${token}, r.name_html),
           'marketing', 'broadcast:' || ${broadcast.id}::text || ':' || r.user_id::text,
           ${broadcast.id}::uuid, r.segments, r.encoding, r.status, r.error, r.provider, r.attempts, r.sent_at,
           r.delivered_at, r.failed_at, null
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
             user_id uuid, recipient text, name_text text, name_html text, segments int, encoding text, status text,
             error text, provider text, attempts int, sent_at timestamptz, delivered_at timestamptz, failed_at timestamptz)
    on conflict (tenant_id, dedupe_key) where dedupe_key is not null do nothing
  `.execute(db);
}

/**
 * Stops a broadcast: its dispatcher finds it cancelled and ends; what was still queued is kept,
 * suppressed, with the reason. Messages already handed to the provider stay as they are.
 */
export async function cancelBroadcast(
  db: TenantDb,
  id: string,
  actor: Actor & { userId: string },
  now = new Date(),
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const row = await db.selectFrom("broadcasts").select(["id", "status"]).where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) return { ok: false, reason: "There is no such broadcast." };
  const moved = await move(db, row, "cancel", actor.userId);
  if (!moved.ok)
    return { ok: false, reason: row.status === "draft" ? "This broadcast has not been sent." : "This broadcast has finished." };
  await db.updateTable("broadcasts").set({ status: "cancelled", finished_at: now }).where("id", "=", id).execute();
  const stopped = await db
    .updateTable("messages")
    .set({ status: "suppressed", error: "broadcast cancelled" })
    .where("broadcast_id", "=", id)
    .where("status", "=", "queued")
    .executeTakeFirst();
  await recordAudit(db, actor, {
    action: "broadcast.cancel",
    targetType: "broadcast",
    targetId: id,
    details: { unsent: Number(stopped.numUpdatedRows) },
  });
  return { ok: true };
}

export type ProgressStatus = "queued" | "sent" | "delivered" | "failed" | "suppressed";

/** A broadcast's messages by state (the outbox counts as sent: it is where they go without a provider). */
export async function broadcastProgress(db: TenantDb, id: string) {
  const rows = await db
    .selectFrom("messages")
    .select(["status", sql<number>`count(*)::int`.as("n")])
    .where("broadcast_id", "=", id)
    .groupBy("status")
    .execute();
  const counts: Record<ProgressStatus, number> = { queued: 0, sent: 0, delivered: 0, failed: 0, suppressed: 0 };
  for (const row of rows) counts[progressStatus(row.status)] += row.n;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { counts, total, percent: total === 0 ? 0 : Math.floor(((total - counts.queued) / total) * 100) };
}

function progressStatus(status: MessageStatus): ProgressStatus {
  return status === "outbox" ? "sent" : status;
}

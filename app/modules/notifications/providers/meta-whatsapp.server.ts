import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Language } from "~db/schema";
import { lineText, multilineText, secretText } from "~/lib/text";
import { EVENTS, isEventKey } from "../events";
import { MessageRejectedError, type DeliveryReport, type MessageProvider, type OutgoingMessage } from "./types";

/**
 * WhatsApp through Meta's WhatsApp Business Cloud API (decision 039). Notifications are
 * business-initiated, so Meta only carries pre-approved TEMPLATE messages: each event names its
 * template (`covera_<event>` unless the agency maps it to another), the message's language names
 * the template's translation, and the event's variables fill the template's {{1}}, {{2}}… in the
 * order the catalogue lists them (docs/architecture.md §6).
 */

export const DEFAULT_GRAPH_VERSION = "v21.0";

/** The "Send a test message" button's event: Meta's sample template, present on every new account. */
export const TEST_EVENT = "provider_test";

export const metaWhatsappConfigSchema = z.object({
  accessToken: secretText("Required."),
  appSecret: secretText("Required."),
  apiVersion: lineText()
    .optional()
    .refine((v) => v === undefined || /^v\d{1,2}\.\d$/.test(v), "A Graph API version such as v21.0."),
  templates: multilineText()
    .optional()
    .superRefine((text, ctx) => {
      const problem = text ? parseTemplateMap(text).problem : null;
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
});

export type MetaWhatsappConfig = z.infer<typeof metaWhatsappConfigSchema>;

interface TemplateChoice {
  name: string;
  /** Variable names for {{1}}, {{2}}…; undefined: the event's variables in catalogue order. */
  parameters?: string[];
}

/**
 * The agency's own template names, one line per event: `payment_received = our_receipt` or, when
 * its template orders the values differently, `payment_received = our_receipt(amount, name)`.
 */
export function parseTemplateMap(text: string): { map: Record<string, TemplateChoice>; problem: string | null } {
  const map: Record<string, TemplateChoice> = {};
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  for (const [index, line] of lines.entries()) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-z0-9_]+)\s*=\s*([a-z0-9_]+)\s*(?:\(([^)]*)\))?$/.exec(line);
    if (!match) return { map, problem: `Line ${index + 1}: write event = template_name, or event = template_name(variable, …).` };
    const [, event, name, params] = match as unknown as [string, string, string, string | undefined];
    if (event !== TEST_EVENT && !isEventKey(event)) return { map, problem: `Line ${index + 1}: there is no event called ${event}.` };
    const parameters =
      params === undefined
        ? undefined
        : params
            .split(",")
            .map((p) => p.trim())
            .filter(Boolean);
    const known = isEventKey(event) ? Object.keys(EVENTS[event].variables) : [];
    const unknown = parameters?.find((p) => !known.includes(p));
    if (unknown) return { map, problem: `Line ${index + 1}: ${event} has no variable called ${unknown}.` };
    map[event] = { name, parameters };
  }
  return { map, problem: null };
}

/** Meta's language codes for our languages. */
const LANGUAGE_CODES: Record<Language, string> = { en: "en", sw: "sw", ms: "ms" };

/** The template message Meta is asked to send for one of our messages. */
export function templateFor(message: OutgoingMessage, templates: Record<string, TemplateChoice>) {
  const event = message.event;
  if (!event) throw new MessageRejectedError("WhatsApp carries approved templates only, and this message has no event to name one");
  const choice = templates[event];
  if (event === TEST_EVENT) {
    return { name: choice?.name ?? "hello_world", language: { code: choice ? LANGUAGE_CODES[message.language ?? "en"] : "en_US" } };
  }
  const order = choice?.parameters ?? (isEventKey(event) ? Object.keys(EVENTS[event].variables) : []);
  const values = message.variables ?? {};
  return {
    name: choice?.name ?? `covera_${event}`,
    language: { code: LANGUAGE_CODES[message.language ?? "en"] },
    ...(order.length
      ? { components: [{ type: "body", parameters: order.map((key) => ({ type: "text", text: values[key] ?? "" })) }] }
      : {}),
  };
}

/**
 * Error codes that say "not this message, not ever": a number that is not on WhatsApp, a template
 * that does not exist or is paused, the 24-hour window, bad parameters, a refused token.
 * Rate limits (130429, 131056, 131048), Meta's own trouble (131000, 131016), 5xx and time-outs are
 * passing: the send_message job retries them.
 */
const RETRIED_CODES = new Set([4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

export function metaWhatsappProvider(options: {
  phoneNumberId: string;
  accessToken: string;
  apiVersion?: string;
  templates?: string;
  timeoutMs?: number;
}): MessageProvider {
  const url = `https://graph.facebook.com/${options.apiVersion || DEFAULT_GRAPH_VERSION}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  const templates = options.templates ? parseTemplateMap(options.templates).map : {};
  return {
    name: "meta_whatsapp",
    async send(message) {
      const template = templateFor(message, templates);
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${options.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: message.to.replace(/^\+/, ""),
          type: "template",
          template,
          // Comes back on every status webhook: the message's own id, for the support trail.
          biz_opaque_callback_data: message.id,
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const body = (await response.json().catch(() => null)) as MetaAnswer | null;
      if (response.ok && body?.messages?.[0]?.id) {
        return {
          provider: "meta_whatsapp",
          status: "sent",
          providerMessageId: body.messages[0].id,
          providerStatus: body.messages[0].message_status ?? "accepted",
        };
      }
      const error = body?.error;
      const code = error?.code ?? null;
      const reason = `WhatsApp refused the message: ${error?.error_data?.details ?? error?.message ?? `HTTP ${response.status}`}${code ? ` (${code})` : ""}`;
      if (response.status === 429 || response.status >= 500 || (code !== null && RETRIED_CODES.has(code)) || !body) {
        throw new Error(reason);
      }
      throw new MessageRejectedError(reason, code === null ? `http_${response.status}` : String(code));
    },
  };
}

interface MetaAnswer {
  messages?: { id: string; message_status?: string }[];
  error?: { message?: string; code?: number; error_data?: { details?: string } };
}

/** Meta signs each webhook with the app secret: `X-Hub-Signature-256: sha256=<hex HMAC of the raw body>`. */
export function verifyMetaSignature(rawBody: string, header: string | null, appSecret: string): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody, "utf8").digest();
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const statusSchema = z.object({
  id: lineText().min(1),
  status: lineText(),
  timestamp: lineText().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: lineText().optional(), message: multilineText().optional() })).optional(),
});

const webhookSchema = z.object({
  entry: z
    .array(
      z.object({
        changes: z.array(z.object({ value: z.object({ statuses: z.array(statusSchema).optional() }).passthrough() })).default([]),
      }),
    )
    .default([]),
});

/**
 * The delivery reports in a verified webhook. `read` counts as delivered; statuses Meta may add
 * later, and incoming messages (not ours to handle yet), are ignored.
 */
export function metaDeliveryReports(payload: unknown): DeliveryReport[] {
  const parsed = webhookSchema.safeParse(payload);
  if (!parsed.success) return [];
  const reports: DeliveryReport[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      for (const s of change.value.statuses ?? []) {
        const status = s.status === "read" ? "delivered" : s.status;
        if (status !== "sent" && status !== "delivered" && status !== "failed") continue;
        const error = s.errors?.[0];
        const seconds = Number(s.timestamp);
        reports.push({
          provider: "meta_whatsapp",
          providerMessageId: s.id,
          status,
          providerStatus: error?.code ? `${s.status} ${error.code}` : s.status,
          reason: status === "failed" ? (error?.title ?? error?.message ?? "WhatsApp could not deliver the message") : null,
          at: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined,
        });
      }
    }
  }
  return reports;
}

import { randomBytes } from "node:crypto";
import type { TenantDb } from "~db/client";
import type { MessagingProviderName } from "~db/schema";
import { env } from "~/lib/env.server";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { countryOfLocale, normaliseAddress } from "./addresses.server";
import { TEST_EVENT } from "./providers/meta-whatsapp.server";
import {
  CHANNEL_PROVIDERS,
  PROVIDER_CONFIG_SCHEMAS,
  PROVIDER_FIELDS,
  providerCallbackUrl,
  providerSetup,
  saveProviderSetup,
} from "./providers/index.server";
import type { ProviderFieldDef } from "~/modules/payments/provider-settings-admin.server";
import type { ProviderChannel } from "./providers/types";
import { queueMessage } from "./queue.server";
import { escapeHtml } from "./templates.server";

/**
 * The back office's messaging providers page (issue 14, decision 039): per channel the chosen
 * provider, its mode, sender and credentials. Secrets are write-only, as on the payment providers
 * page (app/modules/payments/provider-settings-admin.server.ts): never sent back to the browser,
 * only "set"; a blank secret keeps the saved one.
 */

export const CHANNELS: ProviderChannel[] = ["email", "sms", "whatsapp"];

export const CHANNEL_LABELS: Record<ProviderChannel, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp" };

export const PROVIDER_LABELS: Record<MessagingProviderName, string> = {
  outbox: "Development outbox (nothing is delivered)",
  resend: "Resend",
  smtp: "Your mail server (SMTP)",
  africastalking: "Africa's Talking",
  twilio: "Twilio",
  meta_whatsapp: "WhatsApp Business Cloud API (Meta)",
};

export interface ChannelSettingsView {
  channel: ProviderChannel;
  label: string;
  provider: MessagingProviderName;
  enabled: boolean;
  mode: "test" | "live";
  configured: boolean;
  /** Every provider the channel can use, with its form; values only for the saved provider. */
  providers: {
    provider: MessagingProviderName;
    label: string;
    callbackUrl: string | null;
    /** WhatsApp's webhook verify token: Meta asks for it next to the callback URL. */
    verifyToken: string | null;
    fields: (ProviderFieldDef & { value: string; isSet: boolean })[];
  }[];
}

export async function messagingProvidersView(db: TenantDb, tenantId: string, origin: string): Promise<ChannelSettingsView[]> {
  return Promise.all(
    CHANNELS.map(async (channel) => {
      const setup = await providerSetup(db, tenantId, channel);
      const callbackToken = setup?.callbackToken ?? null;
      return {
        channel,
        label: CHANNEL_LABELS[channel],
        provider: setup?.provider ?? "outbox",
        enabled: setup?.enabled ?? false,
        mode: setup?.mode ?? "test",
        configured: Boolean(setup),
        providers: CHANNEL_PROVIDERS[channel].map((provider) => {
          const saved = setup?.provider === provider ? storedValues(setup) : {};
          return {
            provider,
            label: PROVIDER_LABELS[provider],
            // The token is made with the row: until the first save there is no address to give.
            callbackUrl: callbackToken ? providerCallbackUrl(origin, provider, callbackToken) : null,
            verifyToken: provider === "meta_whatsapp" && callbackToken ? callbackToken : null,
            fields: PROVIDER_FIELDS[provider].map((f) => ({
              ...f,
              value: f.secret ? "" : (saved[f.name] ?? f.options?.[0]?.value ?? ""),
              isSet: Boolean(saved[f.name]),
            })),
          };
        }),
      };
    }),
  );
}

/** The saved configuration with the sender beside it, as the form names them. */
function storedValues(setup: { sender: string | null; config: Record<string, unknown> }): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(setup.config)) if (typeof value === "string" && value) values[key] = value;
  if (setup.sender) values.sender = setup.sender;
  return values;
}

export interface ChannelForm {
  provider: MessagingProviderName;
  enabled: boolean;
  mode: "test" | "live";
  /** Typed values; a blank secret keeps the saved one. */
  values: Record<string, string | undefined>;
  /** Optional secrets to forget. */
  clear: string[];
}

type Errors = Record<string, string[]>;

/**
 * Saves a channel's provider from its form. Errors come back keyed by field name, and nothing is
 * saved. Audited with the names of the fields that changed, never their values.
 */
export async function saveChannelForm(
  db: TenantDb,
  tenantId: string,
  channel: ProviderChannel,
  form: ChannelForm,
  actor: Actor,
): Promise<{ ok: true } | { ok: false; errors: Errors }> {
  if (!CHANNEL_PROVIDERS[channel].includes(form.provider))
    return { ok: false, errors: { provider: ["Choose one of the providers listed."] } };
  const stored = await providerSetup(db, tenantId, channel);
  // Secrets are kept only within the same provider: another provider's key means nothing here.
  const before = stored && stored.provider === form.provider ? storedValues(stored) : {};
  const merged: Record<string, string> = {};
  const changed: string[] = [];
  const errors: Errors = {};
  for (const field of PROVIDER_FIELDS[form.provider]) {
    const typed = field.secret ? form.values[field.name] : form.values[field.name]?.trim();
    let value: string | undefined;
    if (field.secret && form.clear.includes(field.name) && !field.required) value = undefined;
    else if (typed) value = typed;
    else if (field.secret) value = before[field.name];
    if (value !== undefined) merged[field.name] = value;
    if (value !== before[field.name]) changed.push(field.name);
    if (field.required && !value) (errors[field.name] ??= []).push("Required.");
  }
  const { sender, ...config } = merged;
  const schema = PROVIDER_CONFIG_SCHEMAS[form.provider];
  const parsed = schema?.safeParse(config);
  if (parsed && !parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      if (!errors[key]) (errors[key] ??= []).push(issue.message === "Required" ? "Required." : issue.message);
    }
  }
  const senderProblem = sender ? senderError(form.provider, sender) : null;
  if (senderProblem) (errors.sender ??= []).push(senderProblem);
  if (form.provider === "resend" && !config.apiKey && !env().RESEND_API_KEY) {
    (errors.apiKey ??= []).push("Required: the platform has no Resend key to fall back on.");
  }
  if (form.provider === "twilio" && !sender && !config.messagingServiceSid) {
    (errors.sender ??= []).push("Give a from number or a messaging service SID.");
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  await saveProviderSetup(db, tenantId, {
    channel,
    provider: form.provider,
    enabled: form.enabled,
    mode: form.mode,
    sender: sender ?? null,
    config,
  });
  await recordAudit(db, actor, {
    action: "messaging.provider_updated",
    targetType: "messaging_provider",
    targetId: channel,
    details: {
      channel,
      provider: form.provider,
      enabled: form.enabled,
      mode: form.mode,
      wasProvider: stored?.provider ?? null,
      wasEnabled: stored?.enabled ?? null,
      wasMode: stored?.mode ?? null,
      changedFields: changed,
    },
  });
  return { ok: true };
}

/**
 * A new secret in the channel's callback address (Africa's Talking's reports carry no signature, so
 * the token in the URL is what proves them): for a token that leaked or a staff member who left.
 * The old address stops working at once; the admin pastes the new one into the provider's console.
 */
export async function renewCallbackToken(db: TenantDb, channel: ProviderChannel, actor: Actor): Promise<boolean> {
  const renewed = await db
    .updateTable("messaging_providers")
    .set({ callback_token: randomBytes(32).toString("hex"), updated_at: new Date() })
    .where("channel", "=", channel)
    .returning("provider")
    .executeTakeFirst();
  if (!renewed) return false;
  await recordAudit(db, actor, {
    action: "messaging.callback_token_renewed",
    targetType: "messaging_provider",
    targetId: channel,
    details: { channel, provider: renewed.provider },
  });
  return true;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function senderError(provider: MessagingProviderName, sender: string): string | null {
  if (provider === "resend" || provider === "smtp") {
    const address = /<([^>]*)>\s*$/.exec(sender)?.[1] ?? sender;
    return EMAIL.test(address.trim()) ? null : "An email address, or a name and address: Bowman Insurance <hello@bowman.co.ke>.";
  }
  if (provider === "meta_whatsapp") return /^\d{5,30}$/.test(sender) ? null : "The phone number ID is digits only (not the phone number).";
  if (provider === "twilio") return /^\+\d{6,15}$/.test(sender) ? null : "A number in international form, e.g. +15005550006.";
  if (provider === "africastalking")
    return sender.length <= 11 || /^\d{3,8}$/.test(sender) ? null : "A sender ID of at most 11 characters, or a short code.";
  return null;
}

/**
 * "Send a test message": queued like any message, through the channel's saved provider, so the
 * admin sees it arrive (or its failure in the message log). Returns the message id, or the
 * field error for an address the channel cannot reach.
 */
export async function queueTestMessage(
  db: TenantDb,
  tenantId: string,
  input: { channel: ProviderChannel; to: string; tenantName: string; locale: string },
  actor: Actor,
): Promise<{ ok: true; messageId: string } | { ok: false; errors: Errors }> {
  const address = normaliseAddress(input.channel, input.to, countryOfLocale(input.locale));
  if (!address.ok) return { ok: false, errors: { to: [address.reason] } };
  const text = `This is a test message from ${input.tenantName}: ${CHANNEL_LABELS[input.channel]} messages are connected.`;
  const messageId = await queueMessage(db, tenantId, {
    channel: input.channel,
    template: TEST_EVENT,
    event: TEST_EVENT,
    to: address.address,
    subject: input.channel === "email" ? `Test message from ${input.tenantName}` : null,
    text,
    html: input.channel === "email" ? `<p>${escapeHtml(text)}</p>` : null,
    essential: true,
    urgent: true,
  });
  if (!messageId) return { ok: false, errors: { to: ["This address cannot receive messages."] } };
  await recordAudit(db, actor, {
    action: "messaging.test_sent",
    targetType: "message",
    targetId: messageId,
    details: { channel: input.channel },
  });
  return { ok: true, messageId };
}

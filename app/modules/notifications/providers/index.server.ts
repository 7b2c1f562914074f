import type { z } from "zod";
import type { TenantDb } from "~db/client";
import type { MessagingProviderName } from "~db/schema";
import { env } from "~/lib/env.server";
import type { ProviderFieldDef } from "~/modules/payments/provider-settings-admin.server";
import { decryptPii, encryptPii, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { africasTalkingConfigSchema, africasTalkingFields, africasTalkingProvider } from "./africastalking.server";
import { metaWhatsappConfigSchema, metaWhatsappProvider } from "./meta-whatsapp.server";
import { outboxProvider } from "./outbox.server";
import { resendConfigSchema, resendProvider } from "./resend.server";
import { smsCallbackUrls, twilioStatusCallback } from "./sms-http.server";
import { smtpConfigSchema, smtpProvider, type SmtpConfig } from "./smtp.server";
import { twilioConfigSchema, twilioFields, twilioProvider } from "./twilio.server";
import type { MessageProvider, ProviderChannel } from "./types";

/**
 * A tenant's messaging providers (issue 14, decision 036): one per channel, test or live, the
 * configuration encrypted as a whole and bound to the tenant and channel. No row, or a disabled
 * one, means the default: the development outbox (and for email, Resend with the platform's key
 * when one is set, as before).
 */

export interface ProviderSetup {
  tenantId: string;
  channel: ProviderChannel;
  mode: "test" | "live";
  /** Sender id / short code (SMS), from address (email), phone number id (WhatsApp). */
  sender: string | null;
  config: Record<string, unknown>;
  callbackToken: string;
}

export type ProviderFactory = (setup: ProviderSetup) => MessageProvider;

/** Every adapter, by name. Each adapter's file exports its factory and the zod schema of its configuration. */
export const PROVIDER_FACTORIES: Partial<Record<MessagingProviderName, ProviderFactory>> = {
  outbox: () => outboxProvider,
  // The agency's own Resend key and sender, or the platform's key (decision 039).
  resend: ({ sender, config }) =>
    resendProvider({ apiKey: String(config.apiKey || env().RESEND_API_KEY || ""), from: sender || env().EMAIL_FROM }),
  smtp: ({ sender, config }) => smtpProvider({ ...(config as SmtpConfig), from: sender || env().EMAIL_FROM }),
  meta_whatsapp: ({ sender, config }) =>
    metaWhatsappProvider({
      phoneNumberId: sender ?? "",
      accessToken: String(config.accessToken ?? ""),
      apiVersion: typeof config.apiVersion === "string" ? config.apiVersion : undefined,
      templates: typeof config.templates === "string" ? config.templates : undefined,
    }),
  africastalking: (setup) => africasTalkingProvider(setup),
  twilio: (setup) => twilioProvider(setup, { statusCallback: () => twilioStatusCallback(setup) }),
};

/** Each adapter's configuration schema, checked when the back office saves it (adapters without one: required fields only). */
export const PROVIDER_CONFIG_SCHEMAS: Partial<Record<MessagingProviderName, z.AnyZodObject>> = {
  resend: resendConfigSchema,
  smtp: smtpConfigSchema,
  meta_whatsapp: metaWhatsappConfigSchema,
  africastalking: africasTalkingConfigSchema,
  twilio: twilioConfigSchema,
};

/**
 * The back office's form of each adapter, in the words of the provider's console. Africa's Talking
 * and Twilio are listed here too, so the page is whole the day their adapters are registered.
 */
export const PROVIDER_FIELDS: Record<MessagingProviderName, ProviderFieldDef[]> = {
  outbox: [],
  resend: [
    {
      name: "sender",
      label: "From address",
      hint: "On a domain verified in your Resend account, e.g. Bowman Insurance <hello@bowman.co.ke>. Blank: the platform's sender.",
    },
    { name: "apiKey", label: "API key", secret: true, hint: "Resend → API Keys (re_…). Blank: the platform's key." },
  ],
  smtp: [
    {
      name: "sender",
      label: "From address",
      required: true,
      hint: "e.g. Bowman Insurance <hello@bowman.co.ke>; the server must allow it.",
    },
    { name: "host", label: "Server", required: true, hint: "e.g. smtp.office365.com" },
    { name: "port", label: "Port", required: true, hint: "587 with STARTTLS, 465 with TLS." },
    {
      name: "security",
      label: "Encryption",
      required: true,
      options: [
        { value: "starttls", label: "STARTTLS (port 587)" },
        { value: "tls", label: "TLS from the start (port 465)" },
        { value: "none", label: "None (private relay only)" },
      ],
    },
    { name: "user", label: "User name" },
    { name: "password", label: "Password", secret: true },
  ],
  meta_whatsapp: [
    {
      name: "sender",
      label: "Phone number ID",
      required: true,
      hint: "WhatsApp Manager → API Setup: the number's ID (digits), not the phone number.",
    },
    {
      name: "accessToken",
      label: "Access token",
      secret: true,
      required: true,
      hint: "A permanent token of a system user with whatsapp_business_messaging.",
    },
    {
      name: "appSecret",
      label: "App secret",
      secret: true,
      required: true,
      hint: "App settings → Basic: verifies Meta's status callbacks.",
    },
    { name: "apiVersion", label: "Graph API version", hint: "Blank: v21.0." },
    {
      name: "templates",
      label: "Template names",
      multiline: true,
      hint: "Each event sends the approved template covera_<event>. To use another, one line per event: payment_received = our_receipt, or payment_received = our_receipt(amount, name) when its {{1}}, {{2}}… are in another order.",
    },
  ],
  africastalking: [
    { name: "sender", label: "Sender ID or short code", hint: "Blank: Africa's Talking's shared sender." },
    ...africasTalkingFields,
  ],
  twilio: [
    { name: "sender", label: "From number", hint: "In E.164, e.g. +15005550006; or leave blank and give a messaging service." },
    ...twilioFields,
  ],
};

/** Where each provider sends its delivery reports, to paste into its console. */
export function providerCallbackUrl(origin: string, provider: MessagingProviderName, callbackToken: string): string | null {
  if (provider === "africastalking" || provider === "twilio")
    return smsCallbackUrls(origin, provider, callbackToken)?.deliveryReports ?? null;
  if (provider === "meta_whatsapp") return `${origin}/webhooks/messages/whatsapp`;
  return null;
}

/** Which providers can carry which channel. */
export const CHANNEL_PROVIDERS: Record<ProviderChannel, MessagingProviderName[]> = {
  email: ["outbox", "resend", "smtp"],
  sms: ["outbox", "africastalking", "twilio"],
  whatsapp: ["outbox", "meta_whatsapp"],
};

const configContext = (tenantId: string, channel: ProviderChannel) => `messaging:${tenantId}:${channel}`;

/** The tenant's stored setup for a channel (decrypted), or undefined when none is saved. */
export async function providerSetup(
  db: TenantDb,
  tenantId: string,
  channel: ProviderChannel,
): Promise<(ProviderSetup & { provider: MessagingProviderName; enabled: boolean }) | undefined> {
  const row = await db.selectFrom("messaging_providers").selectAll().where("channel", "=", channel).executeTakeFirst();
  if (!row) return undefined;
  const config = JSON.parse(decryptPii(row.config_ciphertext, { key: piiKeysFromEnv(), context: configContext(tenantId, channel) }));
  return {
    tenantId,
    channel,
    provider: row.provider,
    enabled: row.enabled,
    mode: row.mode,
    sender: row.sender,
    config,
    callbackToken: row.callback_token,
  };
}

/** The adapter that sends this tenant's messages on a channel. */
export async function channelProvider(db: TenantDb, tenantId: string, channel: ProviderChannel): Promise<MessageProvider> {
  const setup = await providerSetup(db, tenantId, channel);
  if (setup?.enabled) {
    const factory = PROVIDER_FACTORIES[setup.provider];
    if (!factory) throw new Error(`No adapter for messaging provider ${setup.provider}`);
    return factory(setup);
  }
  return defaultProvider(channel);
}

/** Whether the channel's messages stop at the development outbox (no provider connected). */
export async function isOutboxChannel(db: TenantDb, tenantId: string, channel: ProviderChannel): Promise<boolean> {
  return (await channelProvider(db, tenantId, channel)).name === "outbox";
}

function defaultProvider(channel: ProviderChannel): MessageProvider {
  const { RESEND_API_KEY, EMAIL_FROM } = env();
  if (channel === "email" && RESEND_API_KEY) return resendProvider({ apiKey: RESEND_API_KEY, from: EMAIL_FROM });
  return outboxProvider;
}

/** Saves a channel's provider; the whole configuration is encrypted again. */
export async function saveProviderSetup(
  db: TenantDb,
  tenantId: string,
  input: {
    channel: ProviderChannel;
    provider: MessagingProviderName;
    enabled: boolean;
    mode: "test" | "live";
    sender: string | null;
    config: Record<string, unknown>;
  },
  now = new Date(),
): Promise<void> {
  if (!CHANNEL_PROVIDERS[input.channel].includes(input.provider)) {
    throw new Error(`${input.provider} cannot carry ${input.channel} messages`);
  }
  const config_ciphertext = encryptPii(JSON.stringify(input.config), {
    key: piiKeysFromEnv(),
    context: configContext(tenantId, input.channel),
  });
  await db
    .insertInto("messaging_providers")
    .values({
      channel: input.channel,
      provider: input.provider,
      enabled: input.enabled,
      mode: input.mode,
      sender: input.sender,
      config_ciphertext,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "channel"]).doUpdateSet({
        provider: input.provider,
        enabled: input.enabled,
        mode: input.mode,
        sender: input.sender,
        config_ciphertext,
        updated_at: now,
      }),
    )
    .execute();
}

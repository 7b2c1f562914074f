import type { TenantDb } from "~db/client";
import type { MessagingProviderName } from "~db/schema";
import { env } from "~/lib/env.server";
import { decryptPii, encryptPii, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { africasTalkingProvider } from "./africastalking.server";
import { outboxProvider } from "./outbox.server";
import { resendProvider } from "./resend.server";
import { twilioStatusCallback } from "./sms-http.server";
import { twilioProvider } from "./twilio.server";
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
  resend: ({ sender, config }) => resendProvider({ apiKey: String(config.apiKey), from: sender || env().EMAIL_FROM }),
  africastalking: (setup) => africasTalkingProvider(setup),
  twilio: (setup) => twilioProvider(setup, { statusCallback: () => twilioStatusCallback(setup) }),
};

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

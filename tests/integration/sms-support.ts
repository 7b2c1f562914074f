import type { JobHelpers } from "graphile-worker";
import { withTenant } from "~db/client";
import type { MessagingProviderName } from "~db/schema";
import { sendMessageTask } from "~/jobs/send-message";
import { providerSetup, saveProviderSetup, PROVIDER_FACTORIES } from "~/modules/notifications/providers/index.server";
import { africasTalkingProvider } from "~/modules/notifications/providers/africastalking.server";
import { twilioProvider } from "~/modules/notifications/providers/twilio.server";
import type { MessageProvider } from "~/modules/notifications/providers/types";
import { queueMessage, SEND_ATTEMPTS, type MessageDraft } from "~/modules/notifications/queue.server";
import { smsLength } from "~/modules/notifications/sms-segments";
import { Browser } from "../support/http";
import { createTenant, ownerDb } from "../support/db";

/**
 * The SMS provider tests' shared steps (issue 14). The suite's worker runs in another process,
 * where msw cannot answer for the vendor, so these tests never give it a job: messages are
 * written without one and the send_message task is run here, attempt by attempt, as
 * graphile-worker would run it.
 */

export async function smsTenant(provider: MessagingProviderName, config: Record<string, unknown>, sender: string | null) {
  const tenant = await createTenant();
  await withTenant(tenant.id, (db) =>
    saveProviderSetup(db, tenant.id, { channel: "sms", provider, enabled: true, mode: "test", sender, config }),
  );
  const setup = (await withTenant(tenant.id, (db) => providerSetup(db, tenant.id, "sms")))!;
  return { tenant, setup, browser: new Browser(`${tenant.slug}.localhost`) };
}

/** The adapter as the registry builds it for the tenant (so the registry line is what is tested). */
export async function registeredProvider(tenantId: string, deps: { timeoutMs?: number } = {}): Promise<MessageProvider> {
  const setup = (await withTenant(tenantId, (db) => providerSetup(db, tenantId, "sms")))!;
  if (!deps.timeoutMs) return PROVIDER_FACTORIES[setup.provider]!(setup);
  // A short timeout, so the "provider hangs" case does not wait the production 10 s.
  return setup.provider === "africastalking"
    ? africasTalkingProvider(setup, deps)
    : twilioProvider(setup, { statusCallback: async () => null, timeoutMs: deps.timeoutMs });
}

/** A queued SMS with its segments counted, as queueMessage writes it, but with no job. */
export async function queuedSms(tenantId: string, to: string, text: string) {
  const length = smsLength(text);
  const row = await withTenant(tenantId, (db) =>
    db
      .insertInto("messages")
      .values({
        channel: "sms",
        template: "test_sms",
        recipient: to,
        body_text: text,
        segments: length.segments,
        encoding: length.encoding,
      })
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

/** One run of the send_message job, as graphile-worker makes it (attempt counts from 1). */
export async function runSendJob(tenantId: string, messageId: string, provider: MessageProvider, attempt: number) {
  const helpers = { job: { attempts: attempt, max_attempts: SEND_ATTEMPTS }, logger: { debug() {} } } as unknown as JobHelpers;
  return sendMessageTask(provider)({ tenantId, messageId }, helpers);
}

export function messageRow(id: string) {
  return ownerDb().selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function messageHistory(id: string) {
  const rows = await ownerDb()
    .selectFrom("message_events")
    .select(["status", "detail"])
    .where("message_id", "=", id)
    .orderBy("id")
    .execute();
  return rows;
}

/** Queues an SMS through the one writer; returns the row it wrote. */
export async function queueSmsRow(tenantId: string, draft: Omit<MessageDraft, "channel" | "template">) {
  await withTenant(tenantId, (db) => queueMessage(db, tenantId, { channel: "sms", template: "test_sms", ...draft }));
  return ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("body_text", "=", draft.text)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
}

/** Switches the tenant's SMS provider off (its callback token stays), so queued SMS go to the outbox. */
export async function switchSmsProviderOff(tenantId: string) {
  const setup = (await withTenant(tenantId, (db) => providerSetup(db, tenantId, "sms")))!;
  await withTenant(tenantId, (db) => saveProviderSetup(db, tenantId, { ...setup, enabled: false }));
}

/** msw answers for the vendor; requests to the app under test (127.0.0.1) go through. */
export const vendorsOnly = {
  onUnhandledRequest: ({ url }: Request, print: { error(): void }) => (new URL(url).hostname === "127.0.0.1" ? undefined : print.error()),
};

import { withTenant, type TenantDb } from "~db/client";
import { safeEqual } from "~/modules/payments/providers/signatures.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { normalisePhone } from "./addresses.server";
import { applyDeliveryReport } from "./delivery.server";
import { clearOptOut, recordOptOut } from "./opt-outs.server";
import { parseAfricasTalkingCallback } from "./providers/africastalking.server";
import { providerSetup } from "./providers/index.server";
import { formFields, replyIntent } from "./providers/sms-http.server";
import { parseTwilioCallback, twilioConfigSchema, validTwilioSignature } from "./providers/twilio.server";
import type { DeliveryReport } from "./providers/types";

/**
 * Callbacks from the SMS vendors (issue 14, decision 038): delivery reports and replies, on the
 * agency's own host. Verified first — Africa's Talking by the secret token in the URL, Twilio by
 * its signature — and only then read: a forged callback changes nothing. A report moves a
 * message forward only (applyDeliveryReport); a STOP reply records an opt-out, START clears it.
 */
export type SmsCallbackAnswer = { ok: true; outcome: string } | { ok: false; status: 403 | 404; code: string; message: string };

const NOT_FOUND = { ok: false, status: 404, code: "NOT_FOUND", message: "No such webhook" } as const;
const FORGED = { ok: false, status: 403, code: "BAD_SIGNATURE", message: "The callback's signature does not match" } as const;

export async function receiveSmsCallback(
  tenant: Pick<TenantInfo, "id">,
  input:
    | { provider: "africastalking"; token: string; rawBody: string }
    | { provider: "twilio"; url: string; signature: string | null; rawBody: string },
): Promise<SmsCallbackAnswer> {
  return withTenant(tenant.id, async (db) => {
    // A switched-off provider still has its late reports heard; another vendor's callbacks do not.
    const setup = await providerSetup(db, tenant.id, "sms");
    if (!setup || setup.provider !== input.provider) return NOT_FOUND;
    if (input.provider === "africastalking") {
      if (!safeEqual(input.token, setup.callbackToken)) return NOT_FOUND;
      const callback = parseAfricasTalkingCallback(formFields(input.rawBody));
      if (callback.kind === "report") return applied(db, callback.report);
      if (callback.kind === "reply") return reply(db, callback.from, replyIntent(callback.text));
      if (callback.kind === "opt-out") return reply(db, callback.phoneNumber, "stop");
      return { ok: true, outcome: "ignored" };
    }
    const config = twilioConfigSchema.safeParse(setup.config);
    const pairs = [...new URLSearchParams(input.rawBody)];
    if (!config.success || !validTwilioSignature(config.data.authToken, input.url, pairs, input.signature)) return FORGED;
    const callback = parseTwilioCallback(Object.fromEntries(pairs));
    if (callback.kind === "report") return applied(db, callback.report);
    if (callback.kind === "reply") {
      // Twilio's Advanced Opt-Out names the keyword's meaning; without it, read the reply.
      const intent = callback.optOutType === "STOP" ? "stop" : callback.optOutType === "START" ? "start" : replyIntent(callback.text);
      return reply(db, callback.from, intent);
    }
    return { ok: true, outcome: "ignored" };
  });
}

async function applied(db: TenantDb, report: DeliveryReport): Promise<SmsCallbackAnswer> {
  return { ok: true, outcome: await applyDeliveryReport(db, report) };
}

/** Vendors send the sender's number in E.164; anything else is not a number we wrote to. */
async function reply(db: TenantDb, from: string, intent: "stop" | "start" | null): Promise<SmsCallbackAnswer> {
  if (!intent) return { ok: true, outcome: "ignored" };
  const phone = normalisePhone(from, undefined);
  if (!phone.ok) return { ok: true, outcome: "ignored" };
  if (intent === "stop") await recordOptOut(db, { channel: "sms", address: phone.address, source: "stop_reply" });
  else await clearOptOut(db, { channel: "sms", address: phone.address });
  return { ok: true, outcome: intent === "stop" ? "opted-out" : "opted-in" };
}

import { createHmac } from "node:crypto";
import { z } from "zod";
import { lineText, secretText } from "~/lib/text";
import type { ProviderFieldDef } from "~/modules/payments/provider-settings-admin.server";
import { safeEqual } from "~/modules/payments/providers/signatures.server";
import { smsLength } from "../sms-segments";
import type { ProviderSetup } from "./index.server";
import { jsonOrNull, postForm } from "./sms-http.server";
import { MessageRejectedError, type DeliveryReport, type MessageProvider } from "./types";

/**
 * SMS through Twilio (issue 14, decision 038): the Messages API over fetch (no SDK: one form
 * POST), Basic auth with the Account SID and auth token. Test credentials and live ones go to
 * the same host; the mode is the agency's label for which pair it pasted.
 */

export const TWILIO_API = "https://api.twilio.com/2010-04-01";

const accountSid = lineText("Enter the Account SID").regex(/^AC[0-9a-fA-F]{32}$/, "An Account SID is AC followed by 32 letters and digits");
export const twilioConfigSchema = z.object({
  accountSid,
  authToken: secretText("Enter the auth token"),
  /** Sends from a Messaging Service instead of the sender number (its pool picks the number). */
  messagingServiceSid: lineText()
    .regex(/^MG[0-9a-fA-F]{32}$/, "A Messaging Service SID is MG followed by 32 letters and digits")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
export type TwilioConfig = z.infer<typeof twilioConfigSchema>;

/** The settings form, in the words of the Twilio console. */
export const twilioFields: ProviderFieldDef[] = [
  { name: "accountSid", label: "Account SID", hint: "Console → Account info. Starts with AC.", secret: false, required: true },
  {
    name: "authToken",
    label: "Auth token",
    hint: "Console → Account info. It also signs Twilio's callbacks, so change it here when you rotate it there.",
    secret: true,
    required: true,
  },
  {
    name: "messagingServiceSid",
    label: "Messaging Service SID",
    hint: "Starts with MG. When set, Twilio picks the sending number from the service and the sender below is not used.",
    secret: false,
    required: false,
  },
];

/**
 * Twilio error codes that are about the number (its error dictionary): sending again cannot help.
 * 401, 429 and 5xx are passing or the agency's to fix, so the job retries.
 */
const REJECTED: Record<number, string> = {
  21211: "the number is not valid",
  21217: "the number does not appear to be valid",
  21408: "the account may not send SMS to this country",
  21610: "the recipient replied STOP to this sender",
  21612: "Twilio cannot route a message to this number",
  21614: "the number is not a mobile number",
};

const created = z.object({ sid: lineText(), status: lineText().optional(), num_segments: z.coerce.number().optional() });
const failure = z.object({ code: z.coerce.number(), message: lineText().optional() });

export function twilioProvider(
  setup: Pick<ProviderSetup, "sender" | "config">,
  deps: { statusCallback: (message: { tenantId: string }) => Promise<string | null>; timeoutMs?: number },
): MessageProvider {
  const config = twilioConfigSchema.parse(setup.config);
  const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`;
  const url = `${TWILIO_API}/Accounts/${config.accountSid}/Messages.json`;
  return {
    name: "twilio",
    async send(message) {
      const fields: Record<string, string> = { To: message.to, Body: message.text };
      if (config.messagingServiceSid) fields.MessagingServiceSid = config.messagingServiceSid;
      else if (setup.sender) fields.From = setup.sender;
      else throw new Error("Twilio needs a sender number or a Messaging Service SID");
      const callback = await deps.statusCallback(message);
      if (callback) fields.StatusCallback = callback;
      const response = await postForm("Twilio", url, fields, { Authorization: auth }, deps.timeoutMs);
      const body = await jsonOrNull(response);
      if (!response.ok) {
        const error = failure.safeParse(body);
        const code = error.success ? error.data.code : null;
        const providerStatus = code ? `error ${code}` : `HTTP ${response.status}`;
        const text = error.success && error.data.message ? `: ${error.data.message}` : "";
        const reason = code ? REJECTED[code] : undefined;
        if (reason && response.status === 400) {
          throw new MessageRejectedError(`Twilio refused the message: ${reason} (${providerStatus})`, providerStatus);
        }
        throw new Error(`Twilio answered HTTP ${response.status} (${providerStatus})${text}`);
      }
      const parsed = created.safeParse(body);
      if (!parsed.success) throw new Error("Twilio accepted the message but returned no message SID");
      const length = smsLength(message.text);
      return {
        provider: "twilio",
        status: "sent",
        providerMessageId: parsed.data.sid,
        providerStatus: parsed.data.status ?? null,
        segments: parsed.data.num_segments || length.segments,
        encoding: length.encoding,
      };
    },
  };
}

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio
 * called followed by every POST field, sorted by name, as name then value with nothing between.
 */
export function twilioSignature(authToken: string, url: string, fields: [string, string][]): string {
  const sorted = [...fields].sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)));
  const payload = url + sorted.map(([k, v]) => k + v).join("");
  return createHmac("sha1", authToken).update(payload, "utf8").digest("base64");
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function validTwilioSignature(authToken: string, url: string, fields: [string, string][], signature: string | null): boolean {
  return Boolean(signature) && safeEqual(signature!, twilioSignature(authToken, url, fields));
}

export type TwilioCallback =
  | { kind: "report"; report: DeliveryReport }
  | { kind: "reply"; from: string; text: string; optOutType: string | null }
  | { kind: "ignored" };

const DELIVERED = new Set(["delivered", "read"]);
const FAILED = new Set(["undelivered", "failed", "canceled"]);

/**
 * One callback, already verified. Status callbacks carry MessageStatus; an incoming message has
 * Body (and, with Advanced Opt-Out, OptOutType STOP/START/HELP).
 */
export function parseTwilioCallback(fields: Record<string, string>): TwilioCallback {
  const status = fields.MessageStatus ?? fields.SmsStatus;
  const sid = fields.MessageSid ?? fields.SmsSid;
  if (sid && status && status !== "received" && status !== "receiving") {
    const reported: DeliveryReport["status"] = DELIVERED.has(status) ? "delivered" : FAILED.has(status) ? "failed" : "sent";
    const providerStatus = [status, fields.ErrorCode ? `error ${fields.ErrorCode}` : ""].filter(Boolean).join(" ");
    return {
      kind: "report",
      report: {
        provider: "twilio",
        providerMessageId: sid,
        status: reported,
        providerStatus,
        reason: reported === "failed" ? `Twilio: ${providerStatus}` : null,
      },
    };
  }
  if (fields.From && fields.Body !== undefined) {
    return { kind: "reply", from: fields.From, text: fields.Body, optOutType: fields.OptOutType ?? null };
  }
  return { kind: "ignored" };
}

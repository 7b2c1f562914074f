import { z } from "zod";
import { lineText, secretText } from "~/lib/text";
import type { ProviderFieldDef } from "~/modules/payments/provider-settings-admin.server";
import { smsLength } from "../sms-segments";
import type { ProviderSetup } from "./index.server";
import { jsonOrNull, postForm } from "./sms-http.server";
import { MessageRejectedError, type DeliveryReport, type MessageProvider } from "./types";

/**
 * SMS through Africa's Talking (issue 14, decision 038): the messaging API, a form POST with the
 * app's API key in the `apiKey` header. The sandbox and the live service are different hosts, and
 * the sandbox's username is always "sandbox".
 */

export const AFRICASTALKING_URLS = {
  test: "https://api.sandbox.africastalking.com/version1/messaging",
  live: "https://api.africastalking.com/version1/messaging",
} as const;

export const africasTalkingConfigSchema = z.object({
  username: lineText("Enter the app's username").max(100),
  apiKey: secretText("Enter the API key"),
});
export type AfricasTalkingConfig = z.infer<typeof africasTalkingConfigSchema>;

/** The settings form, in the words of the Africa's Talking dashboard. */
export const africasTalkingFields: ProviderFieldDef[] = [
  {
    name: "username",
    label: "Username",
    hint: "The app's username (Dashboard → your team → the app). In test mode it is “sandbox”.",
    secret: false,
    required: true,
  },
  {
    name: "apiKey",
    label: "API key",
    hint: "The app's Settings → API Key. A new key replaces the old one at once.",
    secret: true,
    required: true,
  },
];

/**
 * Per-recipient status codes (Africa's Talking's SMS documentation). 100–102 are accepted; the
 * codes below are about this number, so sending again cannot help. Everything else (risk hold,
 * sender id, balance, their own 5xx) is the agency's or the vendor's trouble and is retried.
 */
const REJECTED: Record<number, string> = {
  403: "the number is not valid",
  404: "this kind of number cannot receive SMS",
  406: "the recipient has blocked messages from this sender",
  407: "the message could not be routed to this number",
  409: "the recipient's line refuses promotional messages (Do Not Disturb)",
};

const sendResponse = z.object({
  SMSMessageData: z.object({
    Message: lineText().optional(),
    Recipients: z
      .array(
        z.object({
          statusCode: z.coerce.number(),
          status: lineText().optional(),
          number: lineText().optional(),
          messageId: lineText().optional(),
          messageParts: z.coerce.number().optional(),
        }),
      )
      .default([]),
  }),
});

export function africasTalkingProvider(
  setup: Pick<ProviderSetup, "mode" | "sender" | "config">,
  deps: { timeoutMs?: number } = {},
): MessageProvider {
  const config = africasTalkingConfigSchema.parse(setup.config);
  const url = AFRICASTALKING_URLS[setup.mode];
  return {
    name: "africastalking",
    async send(message) {
      const fields: Record<string, string> = { username: config.username, to: message.to, message: message.text };
      if (setup.sender) fields.from = setup.sender;
      const response = await postForm("Africa's Talking", url, fields, { apiKey: config.apiKey }, deps.timeoutMs);
      const body = await jsonOrNull(response);
      // 401 (a wrong key), 429 and 5xx: the agency or the vendor can fix it; the job retries.
      if (!response.ok) throw new Error(`Africa's Talking answered HTTP ${response.status}${detail(body)}`);
      const parsed = sendResponse.safeParse(body);
      const recipient = parsed.success ? parsed.data.SMSMessageData.Recipients[0] : undefined;
      if (!recipient) {
        // No recipient at all: their summary says why ("InvalidPhoneNumber", "Invalid senderId"…).
        throw new Error(`Africa's Talking sent nothing${parsed.success ? `: ${parsed.data.SMSMessageData.Message ?? ""}` : ""}`);
      }
      const providerStatus = `${recipient.statusCode} ${recipient.status ?? ""}`.trim();
      if (recipient.statusCode >= 100 && recipient.statusCode <= 102 && recipient.messageId) {
        const length = smsLength(message.text);
        return {
          provider: "africastalking",
          status: "sent",
          providerMessageId: recipient.messageId,
          providerStatus,
          segments: recipient.messageParts ?? length.segments,
          encoding: length.encoding,
        };
      }
      const reason = REJECTED[recipient.statusCode];
      if (reason) throw new MessageRejectedError(`Africa's Talking refused the message: ${reason} (${providerStatus})`, providerStatus);
      throw new Error(`Africa's Talking did not send the message (${providerStatus})`);
    },
  };
}

function detail(body: unknown): string {
  if (typeof body === "string") return `: ${body.slice(0, 200)}`;
  return body && typeof body === "object" ? `: ${JSON.stringify(body).slice(0, 200)}` : "";
}

/**
 * One callback from Africa's Talking. Delivery reports carry `id` and `status`; incoming messages
 * (replies to a short code) carry `from` and `text`; the bulk SMS opt-out notification carries
 * `phoneNumber` and `senderId` alone.
 */
export type AfricasTalkingCallback =
  | { kind: "report"; report: DeliveryReport }
  | { kind: "reply"; from: string; text: string }
  | { kind: "opt-out"; phoneNumber: string }
  | { kind: "ignored" };

/** Their delivery statuses: Success is on the handset; Failed and Rejected are final; the rest is on its way. */
const FINAL_FAILURES = new Set(["Failed", "Rejected", "AbsentSubscriber"]);

export function parseAfricasTalkingCallback(fields: Record<string, string>): AfricasTalkingCallback {
  if (fields.id && fields.status) {
    const status = fields.status;
    const reported: DeliveryReport["status"] = status === "Success" ? "delivered" : FINAL_FAILURES.has(status) ? "failed" : "sent";
    return {
      kind: "report",
      report: {
        provider: "africastalking",
        providerMessageId: fields.id,
        status: reported,
        providerStatus: [status, fields.failureReason].filter(Boolean).join(" ").slice(0, 200),
        reason: reported === "failed" ? `Africa's Talking: ${fields.failureReason || status}` : null,
      },
    };
  }
  if (fields.from && fields.text !== undefined) return { kind: "reply", from: fields.from, text: fields.text };
  if (fields.phoneNumber && fields.senderId) return { kind: "opt-out", phoneNumber: fields.phoneNumber };
  return { kind: "ignored" };
}

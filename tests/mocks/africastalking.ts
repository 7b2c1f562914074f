import { delay, http, HttpResponse } from "msw";
import { AFRICASTALKING_URLS } from "~/modules/notifications/providers/africastalking.server";

/**
 * Africa's Talking's SMS endpoint (sandbox and live hosts), as its documentation describes it: a
 * form POST with the apiKey header, answered with SMSMessageData and one entry per recipient.
 * `faults` are answered in turn, one per request, before it starts accepting; numbers in
 * `rejected` get that per-recipient status code (403 InvalidPhoneNumber, 406 UserInBlacklist…).
 */
export type AtFault = "500" | "timeout" | "429" | "401";

export interface AtSent {
  url: string;
  apiKey: string | null;
  fields: Record<string, string>;
  messageId: string;
}

const STATUS_NAMES: Record<number, string> = { 403: "InvalidPhoneNumber", 404: "UnsupportedNumberType", 406: "UserInBlacklist" };

export function createAfricasTalkingMock(options: { faults?: AtFault[]; rejected?: Record<string, number> } = {}) {
  const faults = [...(options.faults ?? [])];
  const state = { requests: 0, sent: [] as AtSent[] };
  const handler = async ({ request }: { request: Request }) => {
    state.requests += 1;
    const fault = faults.shift();
    if (fault === "timeout") {
      await delay(5_000);
      return HttpResponse.text("too late", { status: 504 });
    }
    if (fault === "500") return HttpResponse.text("Internal Server Error", { status: 500 });
    if (fault === "429") return HttpResponse.text("Too many requests", { status: 429 });
    if (fault === "401") return HttpResponse.text("The supplied authentication is invalid", { status: 401 });
    const fields = Object.fromEntries(new URLSearchParams(await request.text()));
    const to = fields.to ?? "";
    const rejectedCode = options.rejected?.[to];
    if (rejectedCode) {
      return HttpResponse.json(
        {
          SMSMessageData: {
            Message: "Sent to 0/1 Total Cost: 0",
            Recipients: [
              { statusCode: rejectedCode, number: to, status: STATUS_NAMES[rejectedCode] ?? "Failed", cost: "0", messageId: "None" },
            ],
          },
        },
        { status: 201 },
      );
    }
    const messageId = `ATXid_${String(state.sent.length + 1).padStart(6, "0")}`;
    state.sent.push({ url: request.url, apiKey: request.headers.get("apikey"), fields, messageId });
    const parts = fields.message && fields.message.length > 160 ? Math.ceil(fields.message.length / 153) : 1;
    return HttpResponse.json(
      {
        SMSMessageData: {
          Message: "Sent to 1/1 Total Cost: KES 0.8000",
          Recipients: [{ statusCode: 101, number: to, status: "Success", cost: "KES 0.8000", messageId, messageParts: parts }],
        },
      },
      { status: 201 },
    );
  };
  return { state, handlers: [http.post(AFRICASTALKING_URLS.test, handler), http.post(AFRICASTALKING_URLS.live, handler)] };
}

/** A delivery report as Africa's Talking posts it (form fields). */
export function atDeliveryReport(id: string, status: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ id, status, phoneNumber: "+254712345678", networkCode: "63902", retryCount: "0", ...extra }).toString();
}

/** An incoming SMS (a reply to the short code) as Africa's Talking posts it. */
export function atIncomingMessage(from: string, text: string): string {
  return new URLSearchParams({
    from,
    text,
    to: "22384",
    id: "5fd3a0c2-incoming",
    date: "2026-12-07 10:00:00",
    linkId: "",
    networkCode: "63902",
  }).toString();
}

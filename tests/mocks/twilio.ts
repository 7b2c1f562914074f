import { delay, http, HttpResponse } from "msw";
import { TWILIO_API, twilioSignature } from "~/modules/notifications/providers/twilio.server";

/**
 * Twilio's Messages resource, as its API reference describes it: a form POST with Basic auth,
 * 201 with the message (sid, status, num_segments), or an error body { code, message, status }.
 * `faults` are answered in turn before it starts accepting; numbers in `rejected` get that error
 * code (21211 invalid number, 21610 replied STOP, 21614 not a mobile).
 */
export type TwilioFault = "500" | "timeout" | "429";

export interface TwilioSent {
  authorization: string | null;
  fields: Record<string, string>;
  sid: string;
}

export function createTwilioMock(accountSid: string, options: { faults?: TwilioFault[]; rejected?: Record<string, number> } = {}) {
  const faults = [...(options.faults ?? [])];
  const state = { requests: 0, sent: [] as TwilioSent[] };
  const handler = http.post(`${TWILIO_API}/Accounts/${accountSid}/Messages.json`, async ({ request }) => {
    state.requests += 1;
    const fault = faults.shift();
    if (fault === "timeout") {
      await delay(5_000);
      return HttpResponse.text("too late", { status: 504 });
    }
    if (fault === "500") return HttpResponse.json({ code: 20500, message: "Internal Server Error", status: 500 }, { status: 500 });
    if (fault === "429") return HttpResponse.json({ code: 20429, message: "Too Many Requests", status: 429 }, { status: 429 });
    const fields = Object.fromEntries(new URLSearchParams(await request.text()));
    const code = options.rejected?.[fields.To ?? ""];
    if (code) {
      return HttpResponse.json(
        {
          code,
          message: `The 'To' number ${fields.To} is not valid.`,
          more_info: `https://www.twilio.com/docs/errors/${code}`,
          status: 400,
        },
        { status: 400 },
      );
    }
    const sid = `SM${String(state.sent.length + 1).padStart(32, "0")}`;
    state.sent.push({ authorization: request.headers.get("authorization"), fields, sid });
    const segments = fields.Body && fields.Body.length > 160 ? Math.ceil(fields.Body.length / 153) : 1;
    return HttpResponse.json(
      {
        sid,
        account_sid: accountSid,
        to: fields.To,
        from: fields.From ?? null,
        body: fields.Body,
        status: "queued",
        num_segments: String(segments),
      },
      { status: 201 },
    );
  });
  return { state, handlers: [handler] };
}

/** A callback as Twilio posts it: form fields, and the X-Twilio-Signature for the URL it calls. */
export function signedTwilioCallback(authToken: string, url: string, fields: Record<string, string>) {
  const body = new URLSearchParams(fields).toString();
  return { body, signature: twilioSignature(authToken, url, Object.entries(fields)) };
}

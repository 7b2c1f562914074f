import { apiError } from "~/lib/api.server";
import { apiHandler, apiJson, callbackTenant } from "~/modules/api/callbacks.server";
import { readCallbackBody } from "~/modules/payments/webhook-http.server";
import { receiveSmsCallback } from "./sms-callbacks.server";

/**
 * The HTTP side of the SMS vendors' callbacks: the tenant from the host, the raw form body, a fast
 * 2xx for a verified one (vendors retry anything else), a JSON error for a forged one.
 */
export async function handleSmsCallback(request: Request, provider: "africastalking" | "twilio", token?: string): Promise<Response> {
  return apiHandler(async () => {
    if (request.method !== "POST") return apiError(405, "METHOD_NOT_ALLOWED", "Callbacks are POSTed");
    const tenant = await callbackTenant(request);
    const rawBody = await readCallbackBody(request);
    const answer =
      provider === "africastalking"
        ? await receiveSmsCallback(tenant, { provider, token: token ?? "", rawBody })
        : // Twilio signs the URL it called; request.url is that URL as the app sees it (behind the
          // proxy, Express's trusted X-Forwarded-Proto gives the https scheme; docs/architecture.md §6).
          await receiveSmsCallback(tenant, { provider, url: request.url, signature: request.headers.get("x-twilio-signature"), rawBody });
    if (!answer.ok) return apiError(answer.status, answer.code, answer.message);
    // An empty TwiML answer: Twilio sends no reply of its own to an incoming message.
    if (provider === "twilio")
      return new Response("<Response></Response>", { headers: { "Content-Type": "text/xml", "Cache-Control": "no-store" } });
    return apiJson({ status: "ok", outcome: answer.outcome });
  });
}

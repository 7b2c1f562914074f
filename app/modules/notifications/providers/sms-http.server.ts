import type { MessagingProviderName } from "~db/schema";
import { tenantById, tenantOrigin } from "~/modules/tenancy/resolve.server";
import type { ProviderSetup } from "./index.server";

/**
 * What the SMS adapters share (decision 038): a form POST with a timeout, and the callback URLs an
 * agency pastes into the vendor's dashboard.
 */

/** A provider that has not answered in this long is treated as down; the job retries later. */
export const SMS_TIMEOUT_MS = 10_000;

/**
 * POSTs a form. A timeout or a broken connection throws a plain Error (retried by send_message),
 * never a MessageRejectedError: the vendor may be down, the number is not at fault.
 */
export async function postForm(
  vendor: string,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
  timeoutMs = SMS_TIMEOUT_MS,
): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...headers },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new Error(
      timedOut ? `${vendor} did not answer within ${timeoutMs / 1000} s` : `${vendor} could not be reached: ${String(error)}`,
    );
  }
}

/** A response body as JSON, or null (an HTML error page from a proxy is no answer). */
export async function jsonOrNull(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/**
 * The addresses an agency gives its SMS vendor for delivery reports and replies (STOP), on its
 * own host. Africa's Talking does not sign its callbacks, so its URL carries the tenant's secret
 * callback token; Twilio signs every callback with the account's auth token.
 */
export function smsCallbackUrls(
  origin: string,
  provider: MessagingProviderName,
  callbackToken: string,
): { deliveryReports: string; incomingMessages: string } | null {
  const base = origin.replace(/\/+$/, "");
  if (provider === "africastalking") {
    const url = `${base}/webhooks/messages/africastalking/${encodeURIComponent(callbackToken)}`;
    return { deliveryReports: url, incomingMessages: url };
  }
  if (provider === "twilio") {
    const url = `${base}/webhooks/messages/twilio`;
    return { deliveryReports: url, incomingMessages: url };
  }
  return null;
}

/** Twilio is told per message where to report: the agency's own host (a job has no request to ask). */
export async function twilioStatusCallback(setup: Pick<ProviderSetup, "tenantId" | "callbackToken">): Promise<string | null> {
  const tenant = await tenantById(setup.tenantId);
  return tenant ? (smsCallbackUrls(await tenantOrigin(tenant), "twilio", setup.callbackToken)?.deliveryReports ?? null) : null;
}

/** The keywords of an SMS reply that stop or restart optional messages (the carriers' usual set). */
const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT"]);
const START_WORDS = new Set(["START", "UNSTOP", "SUBSCRIBE"]);

/** What a reply asks for: only the first word counts ("Stop please" stops; "don't stop" does not). */
export function replyIntent(text: string): "stop" | "start" | null {
  const word =
    text
      .trim()
      .split(/\s+/)[0]
      ?.replace(/[^A-Za-z]/g, "")
      .toUpperCase() ?? "";
  if (STOP_WORDS.has(word)) return "stop";
  if (START_WORDS.has(word)) return "start";
  return null;
}

/** A callback's fields, from a form-encoded body (both vendors post forms). */
export function formFields(rawBody: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(rawBody));
}

import { apiError } from "~/lib/api.server";
import { textProblem } from "~/lib/text";
import { apiHandler, apiJson, callbackTenant } from "~/modules/api/callbacks.server";
import { PROVIDER_NAMES, type ProviderName } from "./providers/index.server";
import { receiveWebhook } from "./webhooks.server";

/** Real callbacks are a few kilobytes; anything this big is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/** The HTTP side of a provider callback: the tenant from the host, the raw body, a JSON answer. */
export async function handleWebhook(request: Request, provider: string | undefined, token?: string): Promise<Response> {
  return apiHandler(async () => {
    if (request.method !== "POST") return apiError(405, "METHOD_NOT_ALLOWED", "Callbacks are POSTed");
    if (!PROVIDER_NAMES.includes(provider as ProviderName)) return apiError(404, "NOT_FOUND", "No such webhook");
    const tenant = await callbackTenant(request);
    const rawBody = await readCallbackBody(request);
    const answer = await receiveWebhook(tenant, provider as ProviderName, { headers: request.headers, rawBody, token });
    return apiJson(answer.body, { status: answer.status });
  });
}

/** A callback's raw body, or the API error (thrown) for one too large or that is not text. Payouts' callbacks too. */
export async function readCallbackBody(request: Request): Promise<string> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw apiError(413, "PAYLOAD_TOO_LARGE", "Callback body too large");
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) throw apiError(413, "PAYLOAD_TOO_LARGE", "Callback body too large");
  // Callbacks are JSON text: a NUL or another control character is no callback, and the log of
  // refused callbacks could not store it.
  if (textProblem(rawBody, "multiline")) throw apiError(400, "INVALID_BODY", "A callback body is JSON text");
  return rawBody;
}

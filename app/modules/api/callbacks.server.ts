import { json } from "@remix-run/node";
import { apiError, API_ERRORS } from "~/lib/api.server";
import { clientOf, countRequest, tryAgainMessage } from "~/modules/abuse/rate-limit.server";
import { siteOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { reportError } from "~/lib/error-reporting.server";
import { logger } from "~/lib/log.server";

/**
 * The receiving end of providers' callbacks and webhooks (payments, payouts, SMS and WhatsApp
 * reports): the tenant from the host, and errors always as `{ status, code, message, errors }` —
 * never an HTML page. The API's own endpoints use endpoint.server.ts instead.
 */

/**
 * The agency a callback is for; any other host is NOT_FOUND, a paused agency 503. Callbacks count
 * under their own, generous limit per network (decision 012): a provider posts from a few
 * addresses, and a limit meant for one person's app would throttle every agency's payments there.
 */
export async function callbackTenant(request: Request): Promise<TenantInfo> {
  const site = await siteOf(request);
  if (site.kind === "suspended") throw apiError(503, "TENANT_UNAVAILABLE", "This agency is currently unavailable");
  if (site.kind !== "tenant") throw API_ERRORS.notFound("Agency");
  const counted = await countRequest("provider_callback", site.tenant.id, clientOf(request));
  if (counted.limited) {
    const response = apiError(429, "RATE_LIMITED", tryAgainMessage(counted));
    response.headers.set("Retry-After", String(counted.retryAfterSeconds));
    throw response;
  }
  return site.tenant;
}

/** Runs an API handler: thrown Responses pass through, anything else becomes a JSON 500. */
export async function apiHandler(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Response) return error;
    logger.error({ err: error }, "api: unexpected error");
    reportError(error);
    return apiError(500, "SERVER_ERROR", "Something went wrong on our side; please try again");
  }
}

export function apiJson(body: unknown, init: ResponseInit = {}): Response {
  return json(body, { ...init, headers: { "Cache-Control": "no-store", ...init.headers } });
}

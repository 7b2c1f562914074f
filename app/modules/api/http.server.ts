import { json } from "@remix-run/node";
import { apiError, API_ERRORS } from "~/lib/api.server";
import type { LimitName } from "~/modules/abuse/limits.server";
import { clientOf, countRequest, tryAgainMessage } from "~/modules/abuse/rate-limit.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { siteOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { reportError } from "~/lib/error-reporting.server";
import { logger } from "~/lib/log.server";

/**
 * The JSON API's plumbing (/api/v1): the tenant from the host, and errors always as
 * `{ status, code, message, errors }` — never an HTML page.
 */

/**
 * The agency this API call is for; any other host is the API's NOT_FOUND, a paused agency 503.
 * Every call that reaches an agency counts against the client's API allowance there (decision
 * 012; the signed-in account where there is one, else the network): over it, 429 `rate_limited`.
 */
export async function apiTenant(request: Request): Promise<TenantInfo> {
  const site = await siteOf(request);
  if (site.kind === "suspended") throw apiError(503, "TENANT_UNAVAILABLE", "This agency is currently unavailable");
  if (site.kind !== "tenant") throw API_ERRORS.notFound("Agency");
  await apiAllowance(request, "api", site.tenant.id);
  return site.tenant;
}

/** Counts this call under an API limit; throws the API's 429 with Retry-After when over it. */
export async function apiAllowance(request: Request, limit: LimitName, tenantId: string): Promise<void> {
  const user = await optionalUser(request);
  const counted = await countRequest(limit, tenantId, clientOf(request, user?.id));
  if (!counted.limited) return;
  const response = apiError(429, "rate_limited", tryAgainMessage(counted));
  response.headers.set("Retry-After", String(counted.retryAfterSeconds));
  throw response;
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

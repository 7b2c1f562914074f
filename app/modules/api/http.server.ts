import { json } from "@remix-run/node";
import { apiError, API_ERRORS } from "~/lib/api.server";
import { siteOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { reportError } from "~/lib/error-reporting.server";
import { logger } from "~/lib/log.server";

/**
 * The JSON API's plumbing (/api/v1): the tenant from the host, and errors always as
 * `{ status, code, message, errors }` — never an HTML page.
 */

/** The agency this API call is for; any other host is the API's NOT_FOUND, a paused agency 503. */
export async function apiTenant(request: Request): Promise<TenantInfo> {
  const site = await siteOf(request);
  if (site.kind === "tenant") return site.tenant;
  if (site.kind === "suspended") throw apiError(503, "TENANT_UNAVAILABLE", "This agency is currently unavailable");
  throw API_ERRORS.notFound("Agency");
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

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_ERRORS, readJson } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { apiClaimant, toApiClaimDetail, toApiClaimItem } from "~/modules/claims/api.server";
import { claimForClaimant, decodeCursor, encodeCursor, listClaims } from "~/modules/claims/claimant.server";
import { fileClaim } from "~/modules/claims/filing.server";
import { apiFileClaimBody, claimFiltersSchema } from "~/modules/claims/schemas";
import { bodyErrors } from "~/modules/quotes/api.server";
import { originOf } from "~/modules/tenancy/resolve.server";

const MAX_LIMIT = 50;

/**
 * GET /api/v1/claims: the signed-in customer's claims, newest first, filtered by `status`,
 * `policyId`, `from` and `to` (incident dates), a page of `limit` at a time after `cursor`.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const { user } = await apiClaimant(request, tenant);
    const params = new URL(request.url).searchParams;
    const errors: Record<string, string[]> = {};
    const filters = claimFiltersSchema.safeParse({
      status: params.get("status") || undefined,
      policy: params.get("policyId") || undefined,
      from: params.get("from") || undefined,
      to: params.get("to") || undefined,
    });
    if (!filters.success)
      for (const issue of filters.error.issues) {
        const field = String(issue.path[0]) === "policy" ? "policyId" : String(issue.path[0]);
        (errors[field] ??= []).push(field === "status" ? "status is not a claim status" : issue.message);
      }
    const limitRaw = params.get("limit");
    const limit = limitRaw === null ? 20 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) errors.limit = [`limit must be a whole number from 1 to ${MAX_LIMIT}`];
    const cursorRaw = params.get("cursor");
    const after = cursorRaw ? decodeCursor(cursorRaw) : null;
    if (cursorRaw && !after) errors.cursor = ["cursor is not one this API gave"];
    if (Object.keys(errors).length || !filters.success) return API_ERRORS.validation(errors, "Some query parameters are not valid");
    const page = await withTenant(tenant.id, (db) => listClaims(db, { claimantUserId: user.id }, filters.data, { after, limit }));
    const origin = originOf(request);
    const last = page.rows.at(-1);
    let next: string | null = null;
    if (page.hasMore && last) {
      const url = new URL(request.url);
      url.searchParams.set("cursor", encodeCursor(last));
      next = `${origin}${url.pathname}${url.search}`;
    }
    return apiJson({ results: page.rows.map((r) => toApiClaimItem(r, origin)), next });
  });
}

/**
 * POST /api/v1/claims: files a claim on one of the customer's policies (JSON). A claim the system
 * doubts is filed with `eligibilityFlags`; a claim that cannot be (another's policy, a future date,
 * the wrong currency …) is a 400 with the field's error and nothing saved. No Idempotency-Key yet:
 * the API has none anywhere (a retried POST files a second claim).
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return API_ERRORS.method();
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const { user, actor, workflow, today } = await apiClaimant(request, tenant);
    const body = await readJson(request);
    if (!body.ok) return body.response;
    const parsed = apiFileClaimBody.safeParse(body.body);
    if (!parsed.success) return API_ERRORS.validation(bodyErrors(parsed.error));
    const { facilityId, ...input } = parsed.data;
    const result = await withTenant(tenant.id, async (db) => {
      const filed = await fileClaim(db, workflow, { actor, ...input, facilityId: facilityId ?? null, providedDocuments: [] });
      return filed.ok ? { ok: true as const, view: (await claimForClaimant(db, actor, filed.claim.id, today))! } : filed;
    });
    if (!result.ok) return API_ERRORS.validation(result.errors, "The claim was not filed");
    const claim = toApiClaimDetail(result.view, tenant, user.id);
    const location = `${originOf(request)}/api/v1/claims/${claim.id}`;
    return apiJson({ claim }, { status: 201, headers: { Location: location } });
  });
}

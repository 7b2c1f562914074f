import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_ERRORS } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { SEARCH_LIMIT } from "~/modules/facilities/schemas";
import { facilityApiSearchSchema, facilityJson, searchFacilities, searchOf } from "~/modules/facilities/search.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/**
 * GET /api/v1/facilities: the agency's public directory of hospitals and clinics, searched as on
 * /facilities, a page at a time by cursor (`next` and `previous` are whole links). Anonymous.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const url = new URL(request.url);
    const raw: Record<string, string> = {};
    for (const key of Object.keys(facilityApiSearchSchema.shape)) {
      const value = url.searchParams.get(key);
      if (value) raw[key] = value;
    }
    // Unlike the page, the API refuses a bad parameter: a client should learn of its mistake.
    const parsed = facilityApiSearchSchema.safeParse(raw);
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
      return API_ERRORS.validation(errors, "Some query parameters are not valid");
    }
    const limit = parsed.data.limit ?? SEARCH_LIMIT.default;
    const result = await withTenant(tenant.id, (db) => searchFacilities(db, searchOf(parsed.data, limit)));
    const origin = originOf(request);
    const link = (cursor: string | null) => {
      if (!cursor) return null;
      const page = new URL(url);
      page.searchParams.set("cursor", cursor);
      return page.toString();
    };
    return apiJson({
      total: result.total,
      limit,
      results: result.facilities.map((f) => facilityJson(f, origin)),
      next: link(result.next),
      previous: link(result.previous),
    });
  });
}

export function action(_args: ActionFunctionArgs) {
  return API_ERRORS.method();
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_ERRORS } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { lineText } from "~/lib/text";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { facilityJson, publicFacility } from "~/modules/facilities/search.server";
import { originOf } from "~/modules/tenancy/resolve.server";

const idSchema = lineText().uuid();

/** GET /api/v1/facilities/:facilityId: one listed hospital or clinic; an inactive one, or another agency's, is NOT_FOUND. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const id = idSchema.safeParse(params.facilityId);
    if (!id.success) return API_ERRORS.notFound("Facility");
    const facility = await withTenant(tenant.id, (db) => publicFacility(db, id.data));
    if (!facility) return API_ERRORS.notFound("Facility");
    return apiJson({ facility: facilityJson(facility, originOf(request)) });
  });
}

export function action(_args: ActionFunctionArgs) {
  return API_ERRORS.method();
}

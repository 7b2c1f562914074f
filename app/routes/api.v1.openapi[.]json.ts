import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { API_ERRORS } from "~/lib/api.server";
import { apiHandler, apiTenant } from "~/modules/api/http.server";
import { openApiDocument } from "~/modules/catalogue/openapi";
import { originOf } from "~/modules/tenancy/resolve.server";

/** GET /api/v1/openapi.json: the API described for this agency's own host. */
export function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    return json(openApiDocument({ origin: originOf(request), agency: tenant.name }), {
      headers: { "Cache-Control": "public, max-age=300" },
    });
  });
}

export function action(_args: ActionFunctionArgs) {
  return API_ERRORS.method();
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { API_ERRORS } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { lineText } from "~/lib/text";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { apiClaimant, toApiClaimDetail } from "~/modules/claims/api.server";
import { claimForClaimant } from "~/modules/claims/claimant.server";

const uuid = lineText().uuid();

/** GET /api/v1/claims/<id>: one of the customer's claims with its timeline and documents; anyone else's is a 404. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const { user, actor, today } = await apiClaimant(request, tenant);
    const id = uuid.safeParse(params.claimId);
    if (!id.success) return API_ERRORS.notFound("Claim");
    const view = await withTenant(tenant.id, (db) => claimForClaimant(db, actor, id.data, today));
    if (!view || view.standing.as !== "claimant") return API_ERRORS.notFound("Claim");
    return apiJson({ claim: toApiClaimDetail(view, tenant, user.id) });
  });
}

export function action() {
  return API_ERRORS.method();
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, API_ERRORS } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { lineText } from "~/lib/text";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { benefitsForViewer } from "~/modules/members/benefits.server";
import { quoteDateIn } from "~/modules/rating";

const uuid = lineText().uuid();

/**
 * GET /api/v1/members/<id>/benefits (KHHoldings' plan): per policy in force, the yearly limit, used
 * and left this policy year (minor units), the excess, and per claim type its waiting period and
 * documents. For the member themself, their agent and staff (the signed-in session, as the rest of
 * the API); anyone else's, another agency's or a missing id is the same 404.
 */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    if (!tenant.features.agentNetwork) return API_ERRORS.notFound("Member");
    const user = await optionalUser(request);
    if (!user) throw apiError(401, "UNAUTHENTICATED", "Sign in to read a member's benefits");
    const id = uuid.safeParse(params.memberId);
    if (!id.success) return API_ERRORS.notFound("Member");
    const today = quoteDateIn(tenant.timeZone);
    const found = await withTenant(tenant.id, (db) => benefitsForViewer(db, { userId: user.id, roles: user.roles }, id.data, today));
    if (!found) return API_ERRORS.notFound("Member");
    return apiJson({
      memberId: found.memberId,
      asOf: today,
      policies: found.policies.map((p) => ({
        policyId: p.policyId,
        policyNumber: p.policyNumber,
        productName: p.productName,
        status: p.status,
        startDate: p.startDate,
        endDate: p.endDate,
        currency: p.currency,
        annualLimit: p.annual
          ? {
              limitMinor: p.annual.limitMinor,
              usedMinor: p.annual.usedMinor,
              leftMinor: p.annual.leftMinor,
              yearStart: p.annual.yearStart,
              yearEnd: p.annual.yearEnd,
            }
          : null,
        excessMinor: p.excessMinor,
        claimTypes: p.claimTypes.map((t) => ({
          type: t.type,
          label: t.label,
          waitingDays: t.waitingDays,
          coveredFrom: t.coveredFrom,
          inWaitingPeriod: t.waiting,
          documents: t.documents,
        })),
      })),
    });
  });
}

export function action() {
  return API_ERRORS.method();
}

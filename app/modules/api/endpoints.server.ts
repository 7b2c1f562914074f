import type { Endpoint } from "./endpoint.server";
import { accountEndpoints } from "~/modules/account/api.server";
import { authEndpoints } from "~/modules/auth/api.server";
import { cartEndpoints } from "~/modules/cart/api.server";
import { catalogueEndpoints } from "~/modules/catalogue/api.server";
import { checkoutEndpoints } from "~/modules/checkout/api.server";
import { claimEndpoints } from "~/modules/claims/api.server";
import { commissionEndpoints } from "~/modules/commissions/api.server";
import { commissionStructureEndpoints } from "~/modules/commissions/structure-api.server";
import { facilityEndpoints } from "~/modules/facilities/api.server";
import { memberEndpoints } from "~/modules/members/api.server";
import { benefitEndpoints } from "~/modules/members/benefits-api.server";
import { agentEndpoints } from "~/modules/network/api.server";
import { notificationEndpoints } from "~/modules/notifications/api.server";
import { paymentEndpoints } from "~/modules/payments/api.server";
import { policyEndpoints } from "~/modules/policies/api.server";
import { quoteEndpoints } from "~/modules/quotes/api.server";
import { savedQuoteEndpoints } from "~/modules/quotes/saved-api.server";

/**
 * Every /api/v1 operation, for the OpenAPI document. A route module serves some of these with
 * `apiRoute`; tests/integration/api-openapi.test.ts fails for a route file that serves an endpoint
 * missing here, or an endpoint here no route serves. One line per capability, kept sorted.
 * (GET /openapi.json is the document's own, in openapi.server.ts.)
 */
export const API_ENDPOINTS: Endpoint[] = [
  ...accountEndpoints,
  ...agentEndpoints,
  ...authEndpoints,
  ...cartEndpoints,
  ...benefitEndpoints,
  ...catalogueEndpoints,
  ...checkoutEndpoints,
  ...claimEndpoints,
  ...commissionEndpoints,
  ...commissionStructureEndpoints,
  ...facilityEndpoints,
  ...memberEndpoints,
  ...notificationEndpoints,
  ...paymentEndpoints,
  ...policyEndpoints,
  ...quoteEndpoints,
  ...savedQuoteEndpoints,
];

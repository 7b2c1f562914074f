import type { Endpoint } from "./endpoint.server";
import { accountEndpoints } from "~/modules/account/api.server";
import { authEndpoints } from "~/modules/auth/api.server";
import { cartEndpoints } from "~/modules/cart/api.server";
import { checkoutEndpoints } from "~/modules/checkout/api.server";
import { notificationEndpoints } from "~/modules/notifications/api.server";
import { paymentEndpoints } from "~/modules/payments/api.server";
import { policyEndpoints } from "~/modules/policies/api.server";
import { savedQuoteEndpoints } from "~/modules/quotes/saved-api.server";

/**
 * Every /api/v1 operation, for the OpenAPI document. A route module serves some of these with
 * `apiRoute`; tests/integration/api-openapi.test.ts fails for a route file that serves an endpoint
 * missing here, or an endpoint here no route serves. One line per capability, kept sorted.
 */
export const API_ENDPOINTS: Endpoint[] = [
  ...accountEndpoints,
  ...authEndpoints,
  ...cartEndpoints,
  ...checkoutEndpoints,
  ...notificationEndpoints,
  ...paymentEndpoints,
  ...policyEndpoints,
  ...savedQuoteEndpoints,
];

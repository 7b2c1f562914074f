import type { Endpoint } from "./endpoint.server";
import { accountEndpoints } from "~/modules/account/api.server";
import { claimEndpoints } from "~/modules/claims/api.server";
import { commissionEndpoints } from "~/modules/commissions/api.server";
import { memberEndpoints } from "~/modules/members/api.server";
import { agentEndpoints } from "~/modules/network/api.server";

/**
 * Every /api/v1 operation, for the OpenAPI document. A route module serves some of these with
 * `apiRoute`; tests/integration/api-openapi.test.ts fails for a route file that serves an endpoint
 * missing here, or an endpoint here no route serves. One line per capability, kept sorted.
 */
export const API_ENDPOINTS: Endpoint[] = [
  ...accountEndpoints,
  ...agentEndpoints,
  ...claimEndpoints,
  ...commissionEndpoints,
  ...memberEndpoints,
];

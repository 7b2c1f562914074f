import { apiRoute } from "~/modules/api/endpoint.server";
import { getAgentStatement } from "~/modules/commissions/api.server";

export const { loader, action } = apiRoute([getAgentStatement]);

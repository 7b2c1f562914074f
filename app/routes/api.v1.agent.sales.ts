import { apiRoute } from "~/modules/api/endpoint.server";
import { listAgentSales } from "~/modules/commissions/api.server";

export const { loader, action } = apiRoute([listAgentSales]);

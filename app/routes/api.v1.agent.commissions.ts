import { apiRoute } from "~/modules/api/endpoint.server";
import { listAgentCommissions } from "~/modules/commissions/api.server";

export const { loader, action } = apiRoute([listAgentCommissions]);

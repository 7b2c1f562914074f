import { apiRoute } from "~/modules/api/endpoint.server";
import { listAgentStatements } from "~/modules/commissions/api.server";

export const { loader, action } = apiRoute([listAgentStatements]);

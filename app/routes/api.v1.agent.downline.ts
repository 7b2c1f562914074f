import { apiRoute } from "~/modules/api/endpoint.server";
import { listAgentDownline } from "~/modules/network/api.server";

export const { loader, action } = apiRoute([listAgentDownline]);

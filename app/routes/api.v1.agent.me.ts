import { apiRoute } from "~/modules/api/endpoint.server";
import { getAgentMe } from "~/modules/network/api.server";

export const { loader, action } = apiRoute([getAgentMe]);

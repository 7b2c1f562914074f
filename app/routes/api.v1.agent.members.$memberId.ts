import { apiRoute } from "~/modules/api/endpoint.server";
import { getAgentMember } from "~/modules/members/api.server";

export const { loader, action } = apiRoute([getAgentMember]);

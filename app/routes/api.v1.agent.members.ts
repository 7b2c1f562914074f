import { apiRoute } from "~/modules/api/endpoint.server";
import { listAgentMembers, registerAgentMember } from "~/modules/members/api.server";

export const { loader, action } = apiRoute([listAgentMembers, registerAgentMember]);

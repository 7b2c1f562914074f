import { apiRoute } from "~/modules/api/endpoint.server";
import { getMemberBenefits } from "~/modules/members/benefits-api.server";

export const { loader, action } = apiRoute([getMemberBenefits]);

import { apiRoute } from "~/modules/api/endpoint.server";
import { getCommissionStructure } from "~/modules/commissions/structure-api.server";

export const { loader, action } = apiRoute([getCommissionStructure]);

import { apiRoute } from "~/modules/api/endpoint.server";
import { getCommissionPreview } from "~/modules/commissions/structure-api.server";

export const { loader, action } = apiRoute([getCommissionPreview]);

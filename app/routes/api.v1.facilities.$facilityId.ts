import { apiRoute } from "~/modules/api/endpoint.server";
import { getFacilityEndpoint } from "~/modules/facilities/api.server";

export const { loader, action } = apiRoute([getFacilityEndpoint]);

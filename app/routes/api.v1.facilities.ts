import { apiRoute } from "~/modules/api/endpoint.server";
import { searchFacilitiesEndpoint } from "~/modules/facilities/api.server";

export const { loader, action } = apiRoute([searchFacilitiesEndpoint]);

import { apiRoute } from "~/modules/api/endpoint.server";
import { getProductEndpoint } from "~/modules/catalogue/api.server";

export const { loader, action } = apiRoute([getProductEndpoint]);

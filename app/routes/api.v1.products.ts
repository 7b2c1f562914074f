import { apiRoute } from "~/modules/api/endpoint.server";
import { listProductsEndpoint } from "~/modules/catalogue/api.server";

export const { loader, action } = apiRoute([listProductsEndpoint]);

import { apiRoute } from "~/modules/api/endpoint.server";
import { getOpenApi } from "~/modules/api/openapi.server";

export const { loader, action } = apiRoute([getOpenApi]);

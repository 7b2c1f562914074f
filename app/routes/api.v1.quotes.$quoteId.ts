import { apiRoute } from "~/modules/api/endpoint.server";
import { getQuoteEndpoint } from "~/modules/quotes/api.server";

export const { loader, action } = apiRoute([getQuoteEndpoint]);

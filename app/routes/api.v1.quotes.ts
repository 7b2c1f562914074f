import { apiRoute } from "~/modules/api/endpoint.server";
import { createQuoteEndpoint } from "~/modules/quotes/api.server";

export const { loader, action } = apiRoute([createQuoteEndpoint]);

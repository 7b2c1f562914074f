import { apiRoute } from "~/modules/api/endpoint.server";
import { createQuoteEndpoint } from "~/modules/quotes/api.server";
import { listMyQuotes } from "~/modules/quotes/saved-api.server";

export const { loader, action } = apiRoute([listMyQuotes, createQuoteEndpoint]);

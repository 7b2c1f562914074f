import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { API_ERRORS } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { apiHandler, apiTenant } from "~/modules/api/http.server";
import { toApiQuote } from "~/modules/quotes/api.server";
import { getQuote } from "~/modules/quotes/quotes.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";

const paramsSchema = z.object({ quoteId: lineText().uuid() });

/** GET /api/v1/quotes/:quoteId: a saved quote, by the id its link carries. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    // A malformed id is as unknown as another agency's.
    const parsed = paramsSchema.safeParse(params);
    if (!parsed.success) return API_ERRORS.notFound("Quote");
    const quote = await withTenant(tenant.id, (db) => getQuote(db, parsed.data.quoteId));
    if (!quote) return API_ERRORS.notFound("Quote");
    return json({ quote: toApiQuote(quote, originOf(request)) }, { headers: { "Cache-Control": "no-store" } });
  });
}

export async function action() {
  return API_ERRORS.method();
}

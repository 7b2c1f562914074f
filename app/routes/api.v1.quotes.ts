import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { API_ERRORS, readJson } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { apiAllowance, apiHandler, apiTenant } from "~/modules/api/http.server";
import { bodyErrors, createQuoteBody, inputErrors, toApiQuote } from "~/modules/quotes/api.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { apiRoute } from "~/modules/api/endpoint.server";
import { listMyQuotes } from "~/modules/quotes/saved-api.server";

/** GET /api/v1/quotes: the signed-in person's saved quotes (an `endpoint`; POST below is still hand-written). */
export const loader = apiRoute([listMyQuotes]).loader;

/** POST /api/v1/quotes: price and save a quote for a product of this host's agency. */

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return API_ERRORS.method();
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    // A quote created here counts with the storefront's quote forms (decision 012).
    await apiAllowance(request, "quote", tenant.id);
    const body = await readJson(request);
    if (!body.ok) return body.response;
    const parsed = createQuoteBody.safeParse(body.body);
    if (!parsed.success) return API_ERRORS.validation(bodyErrors(parsed.error));
    const user = await optionalUser(request);
    const result = await withTenant(tenant.id, (db) =>
      createQuote(db, tenant, {
        productSlug: parsed.data.product,
        input: parsed.data.inputs,
        frequency: parsed.data.frequency ?? null,
        userId: user?.id ?? null,
      }),
    );
    if (!result.ok) {
      if (result.code === "not_found") return API_ERRORS.notFound("Product");
      return API_ERRORS.validation(inputErrors(result.errors));
    }
    const quote = toApiQuote(result.quote, originOf(request));
    return json({ quote }, { status: 201, headers: { Location: quote.url, "Cache-Control": "no-store" } });
  });
}

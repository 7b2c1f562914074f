import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_ERRORS } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { pageLink, productListItem } from "~/modules/catalogue/api.server";
import { pricingContextFor } from "~/modules/catalogue/context.server";
import { parseListingParams } from "~/modules/catalogue/filters";
import { PAGE_SIZE } from "~/modules/catalogue/listing-options";
import { listProducts } from "~/modules/catalogue/listing.server";
import { originOf } from "~/modules/tenancy/resolve.server";

const MAX_PAGE_SIZE = 50;

/** GET /api/v1/products: the storefront listing's filters, search, sort and pages, as JSON. */
export function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const params = new URL(request.url).searchParams;
    // Unlike the page, the API refuses a bad parameter: a client should learn of its mistake.
    const { filters, errors } = parseListingParams(params, tenant.currency);
    const pageSizeRaw = params.get("pageSize");
    const pageSize = pageSizeRaw === null ? PAGE_SIZE : Number(pageSizeRaw);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
      errors.pageSize = [`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`];
    if (Object.keys(errors).length) return API_ERRORS.validation(errors, "Some query parameters are not valid");
    const listing = await withTenant(tenant.id, async (db) => listProducts(db, filters, pricingContextFor(tenant), { pageSize }));
    const origin = originOf(request);
    return apiJson({
      count: listing.total,
      page: listing.page,
      pageSize: listing.pageSize,
      pages: listing.pages,
      sort: listing.sort,
      currency: tenant.currency,
      results: listing.results.map((card) => productListItem(card, origin)),
      next: pageLink(request, listing.page + 1, listing.pages),
      previous: pageLink(request, Math.min(listing.page - 1, listing.pages), listing.pages),
    });
  });
}

export function action(_args: ActionFunctionArgs) {
  return API_ERRORS.method();
}

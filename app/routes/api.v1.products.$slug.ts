import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { API_ERRORS } from "~/lib/api.server";
import { withTenant } from "~/lib/db.server";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { pricingContextFor } from "~/modules/catalogue/context.server";
import { describeSample, frequencyChoices, frequencyPrices, samplePrice } from "~/modules/catalogue/pricing";
import { productBySlug, productFaqs, productReviews } from "~/modules/catalogue/product.server";
import { describeInputs } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";

const paramsSchema = z.object({
  slug: lineText()
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-]*$/),
});

/**
 * GET /api/v1/products/:slug: everything the product page shows, plus the declared quote inputs
 * (what describeInputs gives the web form) so a mobile app can draw its own quote form.
 */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const tenant = await apiTenant(request);
    const parsed = paramsSchema.safeParse(params);
    if (!parsed.success) return API_ERRORS.notFound("Product");
    const found = await withTenant(tenant.id, async (db) => {
      const product = await productBySlug(db, parsed.data.slug);
      if (!product) return null;
      const ctx = pricingContextFor(tenant);
      return { ctx, product, faqs: await productFaqs(db, product.id), reviews: await productReviews(db, product.id) };
    });
    if (!found) return API_ERRORS.notFound("Product");
    const { ctx, product, faqs, reviews } = found;
    const { rating, sampleInput: _sample, id: _id, reviewAverage, reviewCount, quoteCount, ...rest } = product;
    const sample = samplePrice(rating, product.sampleInput, ctx);
    const origin = originOf(request);
    return apiJson({
      ...rest,
      currency: tenant.currency,
      rating: { average: reviewAverage, count: reviewCount },
      quoteCount,
      prices: {
        description: sample ? describeSample(rating, sample, ctx) : "",
        frequencies: sample ? frequencyPrices(sample) : [],
      },
      quote: {
        endpoint: `${origin}/api/v1/quotes`,
        quoteDate: ctx.quoteDate,
        validityDays: ctx.quoteValidityDays,
        frequencies: frequencyChoices(rating),
        inputs: describeInputs(rating, ctx),
      },
      faqs,
      reviews: reviews.map((r) => ({
        rating: r.rating,
        title: r.title,
        body: r.body,
        author: r.author,
        createdAt: r.createdAt.toISOString(),
      })),
      url: `${origin}/products/${product.slug}`,
    });
  });
}

export function action(_args: ActionFunctionArgs) {
  return API_ERRORS.method();
}

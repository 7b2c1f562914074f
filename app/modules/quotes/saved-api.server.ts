import { z } from "zod";
import { withTenant } from "~db/client";
import { FREQUENCIES } from "~/modules/rating";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { cursorQuery, pageFrom, pageOf } from "~/modules/api/pagination.server";
import { afterCursor, positionKey } from "~/modules/api/positions.server";
import { requireApiUser } from "~/modules/api/principal.server";
import { myQuotesAfter, type SavedQuote } from "./quotes.server";

/**
 * A saved quote as the mobile app lists it (decision 045): enough to show and to add to the cart.
 * The whole breakdown is GET /quotes/{quoteId}. Money is integer minor units beside its currency.
 */
export const quoteSummarySchema = z.object({
  id: answerText().uuid(),
  reference: answerText(),
  product: z.object({ slug: answerText(), name: answerText(), insurer: answerText(), category: answerText() }),
  frequency: z.enum(FREQUENCIES),
  currency: answerText(),
  firstPayment: z.number().int().describe("Due at checkout at this frequency, in minor units."),
  instalment: z.number().int().describe("Each later payment at this frequency, in minor units."),
  annualTotal: z.number().int().describe("Everything paid over a year at this frequency, in minor units."),
  validUntil: answerText().datetime(),
  expired: z.boolean(),
  createdAt: answerText().datetime(),
});

export function toQuoteSummary(quote: SavedQuote): z.infer<typeof quoteSummarySchema> {
  return {
    id: quote.id,
    reference: quote.reference,
    product: { slug: quote.productSlug, name: quote.productName, insurer: quote.insurerName, category: quote.categoryName },
    frequency: quote.frequency,
    currency: quote.currency,
    firstPayment: quote.payable.firstInstalmentAmount,
    instalment: quote.payable.instalmentAmount,
    annualTotal: quote.total,
    validUntil: quote.validUntil.toISOString(),
    expired: quote.expired,
    createdAt: quote.createdAt.toISOString(),
  };
}

export const listMyQuotes = endpoint({
  method: "GET",
  path: "/quotes",
  operationId: "listMyQuotes",
  summary: "Your saved quotes",
  description: "The signed-in person's saved quotes, newest first (quotes they made signed in, or added to their cart).",
  tags: ["Quotes"],
  auth: "user",
  query: z.object(cursorQuery),
  responses: { 200: { description: "A page of quotes.", schema: pageOf(quoteSummarySchema) } },
  async handler({ request, tenant, principal, query }) {
    const user = requireApiUser(principal);
    const after = afterCursor(query.cursor);
    const rows = await withTenant(tenant.id, (db) => myQuotesAfter(db, user.id, after, query.limit + 1));
    return { body: pageFrom(rows, query.limit, positionKey, toQuoteSummary, request) };
  },
});

export const savedQuoteEndpoints = [listMyQuotes];

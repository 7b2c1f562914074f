import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { ApiProblem, notFound } from "~/modules/api/problem.server";
import { requireApiUser } from "~/modules/api/principal.server";
import { getQuote } from "~/modules/quotes/quotes.server";
import { quoteSummarySchema, toQuoteSummary } from "~/modules/quotes/saved-api.server";
import { addToCart, getCart, removeFromCart, type CartView } from "./cart.server";

/** The signed-in person's cart over /api/v1 (decision 045): the same cart the storefront shows them. */
const cartSchema = z.object({
  id: answerText().uuid().nullable().describe("Null until something is added."),
  items: z.array(
    z.object({
      id: answerText().uuid().describe("The item's id, for DELETE /cart/items/{itemId}."),
      quote: quoteSummarySchema,
    }),
  ),
  totals: z.object({
    premium: z.number().int(),
    levies: z.number().int(),
    discount: z.object({ code: answerText(), label: answerText(), amount: z.number().int() }).nullable(),
    total: z.number().int().describe("Over a year, in minor units, expired quotes left out."),
    count: z.number().int(),
  }),
});

function toApiCart(cart: CartView): z.infer<typeof cartSchema> {
  const { discount } = cart.totals;
  return {
    id: cart.id,
    items: cart.items.map((item) => ({ id: item.id, quote: toQuoteSummary(item.quote) })),
    totals: {
      premium: cart.totals.premium,
      levies: cart.totals.levies,
      discount: discount ? { code: discount.code, label: discount.label, amount: discount.amount } : null,
      total: cart.totals.total,
      count: cart.totals.count,
    },
  };
}

const cartAnswer = z.object({ cart: cartSchema });

export const getMyCart = endpoint({
  method: "GET",
  path: "/cart",
  operationId: "getCart",
  summary: "Your cart",
  tags: ["Cart"],
  auth: "user",
  responses: { 200: { description: "The cart, priced, with the bundle discount applied.", schema: cartAnswer } },
  async handler({ tenant, principal }) {
    const user = requireApiUser(principal);
    const cart = await withTenant(tenant.id, (db) => getCart(db, tenant.id, { userId: user.id, cartId: null }));
    return { body: { cart: toApiCart(cart) } };
  },
});

export const addCartItem = endpoint({
  method: "POST",
  path: "/cart/items",
  operationId: "addCartItem",
  summary: "Add a saved quote to your cart",
  tags: ["Cart"],
  auth: "user",
  creates: true,
  body: z.object({ quoteId: lineText("Name the quote to add").uuid("Name the quote by its id") }),
  responses: { 201: { description: "Added; the cart as it now is.", schema: cartAnswer } },
  errors: [404, 409],
  async handler({ tenant, principal, body }) {
    const user = requireApiUser(principal);
    const owner = { userId: user.id, cartId: null };
    const cart = await withTenant(tenant.id, async (db) => {
      // Another person's quote is as unknown as no quote; one made signed out becomes theirs.
      const quote = await getQuote(db, body.quoteId);
      if (!quote || (quote.userId !== null && quote.userId !== user.id)) throw notFound("Quote");
      const added = await addToCart(db, owner, quote.id);
      if (!added.ok) {
        if (added.code === "not_found") throw notFound("Quote");
        throw new ApiProblem(409, added.code === "expired" ? "QUOTE_EXPIRED" : "ALREADY_IN_CART", added.message);
      }
      return getCart(db, tenant.id, owner);
    });
    return { status: 201, body: { cart: toApiCart(cart) } };
  },
});

export const removeCartItem = endpoint({
  method: "DELETE",
  path: "/cart/items/{itemId}",
  operationId: "removeCartItem",
  summary: "Take an item out of your cart",
  tags: ["Cart"],
  auth: "user",
  params: z.object({ itemId: lineText().uuid("Not an item of your cart") }),
  responses: { 200: { description: "Removed; the cart as it now is.", schema: cartAnswer } },
  errors: [404],
  async handler({ tenant, principal, params }) {
    const user = requireApiUser(principal);
    const owner = { userId: user.id, cartId: null };
    const cart = await withTenant(tenant.id, async (db) => {
      if (!(await removeFromCart(db, owner, params.itemId))) throw notFound("Cart item");
      return getCart(db, tenant.id, owner);
    });
    return { body: { cart: toApiCart(cart) } };
  },
});

export const cartEndpoints = [getMyCart, addCartItem, removeCartItem];

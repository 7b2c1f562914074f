import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { optionalUser, requireUser } from "~/modules/auth/guards.server";
import { findOpenCartId } from "~/modules/cart/cart.server";
import { createOrResumeOrder, findResumableOrder } from "~/modules/checkout/orders.server";
import { stepUrl } from "~/modules/checkout/steps";
import { requireTenant } from "~/modules/tenancy/resolve.server";

/**
 * /checkout. POST (the cart's "Checkout" button): the cart becomes a draft order, or the one
 * already started is resumed, and the customer lands on the furthest step they reached.
 * GET: back to the checkout in progress, or to the cart when there is none.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const order = await withTenant(tenant.id, (db) => findResumableOrder(db, user.id));
  throw redirect(order ? stepUrl(order.id, order.step) : "/cart?notice=no-checkout");
}

export async function action({ request }: ActionFunctionArgs) {
  const tenant = await requireTenant(request);
  // Signing in merges the visitor's cart into their account; then they check out from the cart.
  if (!(await optionalUser(request))) throw redirect(`/login?redirectTo=${encodeURIComponent("/cart")}`);
  const { user } = await requireUser(request);
  const result = await withTenant(tenant.id, async (db) => {
    const cartId = await findOpenCartId(db, { userId: user.id, cartId: null });
    return cartId ? createOrResumeOrder(db, tenant, user.id, cartId) : ({ ok: false, code: "no_cart", notices: [] } as const);
  });
  if (!result.ok) throw redirect("/cart?notice=empty");
  // Quotes priced again on the way in are worth a word on the next page.
  throw redirect(stepUrl(result.orderId, result.step) + (result.notices.length ? "?repriced=1" : ""));
}

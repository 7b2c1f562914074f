import type { Params } from "@remix-run/react";
import { redirect } from "@remix-run/node";
import { withTenant } from "~db/client";
import type { OrderStep } from "~db/schema";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { openCheckout } from "./orders.server";
import { stepIndex, stepUrl } from "./steps";

/**
 * What every checkout step's loader and action start with: a signed-in customer (else sign in
 * and come back), their own order (anyone else's is a 404), in step with the cart, and not a step
 * further than they have reached (else back to the furthest one).
 */
export async function checkoutStep(request: Request, params: Params, step: OrderStep) {
  const { tenant, user } = await requireUser(request);
  const orderId = uuidParam(params, "orderId");
  const opened = await withTenant(tenant.id, (db) => openCheckout(db, tenant, orderId, user.id));
  if (!opened) throw new Response("Not found", { status: 404 });
  const { order, notices } = opened;
  if (order.status === "paid") throw redirect(`/orders/${order.id}`);
  if (order.status !== "draft") throw redirect("/cart?notice=closed");
  if (order.lines.length === 0) throw redirect("/cart?notice=empty");
  if (stepIndex(step) > stepIndex(order.step)) throw redirect(stepUrl(order.id, order.step));
  if (new URL(request.url).searchParams.get("repriced") === "1")
    notices.push("Some quotes in your cart had expired, so they were priced again with the same details. Check the amounts.");
  return { tenant, user, order, notices: [...new Set(notices)] };
}

import type { TenantDb } from "~db/client";
import { replaceCartItem } from "~/modules/cart/cart.server";
import { paymentOptions } from "~/modules/payments/settings.server";
import { requote, type QuoteTenant } from "~/modules/quotes/quotes.server";
import { pendingTransactionId, type CheckoutOrder } from "./orders.server";
import type { PlanValue } from "./schemas";

/**
 * Step 2, the plan: how often to pay for each item (among the frequencies its product offers;
 * paying annually is paying in full) and how to pay. A new frequency is a new quote with the same
 * inputs, put in the cart item's place too, so cart and order never disagree.
 */
export async function savePlan(
  db: TenantDb,
  tenant: QuoteTenant,
  order: CheckoutOrder,
  userId: string,
  value: PlanValue,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  if (order.status !== "draft") return { ok: false, errors: { form: ["This order is no longer open."] } };
  // The amount of a payment in flight must stay the amount owed.
  if (await pendingTransactionId(db, order.id))
    return { ok: false, errors: { form: ["A payment for this order is in progress. Wait for its outcome before changing the plan."] } };
  const errors: Record<string, string[]> = {};
  const options = await paymentOptions(db, tenant);
  if (!options.some((o) => o.method === value.method)) errors.method = ["Choose one of the ways to pay shown here."];

  const changes: { line: CheckoutOrder["lines"][number]; frequency: (typeof value.items)[number]["frequency"] }[] = [];
  order.lines.forEach((line, index) => {
    const chosen = value.items.find((i) => i.itemId === line.id);
    if (!chosen) {
      errors[`items[${index}].frequency`] = ["Choose how often to pay"];
      return;
    }
    const offered = line.quote.breakdown.frequencies.map((f) => f.frequency);
    if (!offered.includes(chosen.frequency)) errors[`items[${index}].frequency`] = [`${line.quote.productName} cannot be paid that way.`];
    else if (chosen.frequency !== line.quote.frequency) changes.push({ line, frequency: chosen.frequency });
  });
  if (Object.keys(errors).length) return { ok: false, errors };

  for (const { line, frequency } of changes) {
    const result = await requote(db, tenant, line.quote, { frequency, userId });
    if (!result.ok) {
      const index = order.lines.indexOf(line);
      errors[`items[${index}].frequency`] = [
        result.code === "not_found"
          ? `${line.quote.productName} is no longer offered.`
          : (result.errors.frequency?.join(" ") ?? `${line.quote.productName} could not be priced that way. Try another option.`),
      ];
      continue;
    }
    if (order.cartId) {
      const cartItem = await db
        .selectFrom("cart_items")
        .select("id")
        .where("cart_id", "=", order.cartId)
        .where("quote_id", "=", line.quote.id)
        .executeTakeFirst();
      if (cartItem) await replaceCartItem(db, { userId, cartId: null }, cartItem.id, result.quote.id);
    }
    await db.updateTable("order_items").set({ quote_id: result.quote.id }).where("id", "=", line.id).execute();
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  // The amounts may have changed: the customer reviews (and accepts) them again.
  await db
    .updateTable("orders")
    .set({ payment_method: value.method, payment_phone: value.phone, terms_accepted_at: null, step: "review", updated_at: new Date() })
    .where("id", "=", order.id)
    .execute();
  return { ok: true };
}

import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { Frequency, OrderHolder, OrderStatus, OrderStep, PaymentMethod, ProductRequirements } from "~db/schema";
import { changeFrequency } from "~/modules/cart/cart.server";
import { storefrontSettings } from "~/modules/catalogue/settings.server";
import { selectQuotes, toSavedQuote, type SavedQuote } from "~/modules/quotes/quotes.server";
import { quoteDateIn } from "~/modules/rating";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { detailsComplete } from "./details.server";
import { priceOrder, type OrderPricing } from "./pricing";
import { stepIndex } from "./steps";

/**
 * Orders: a signed-in customer's cart turned into something to pay for. While an order is a draft
 * it mirrors the cart (the cart stays the one place items are added, removed or re-priced); its
 * items point at saved quotes, which never change, so the order's prices are always the quotes'.
 */

export interface OrderLine {
  id: string;
  position: number;
  quote: SavedQuote;
  requirements: ProductRequirements;
  requiresUnderwriting: boolean;
}

export interface CheckoutOrder {
  id: string;
  reference: string;
  userId: string;
  cartId: string | null;
  status: OrderStatus;
  step: OrderStep;
  holder: OrderHolder;
  paymentMethod: PaymentMethod | null;
  paymentPhone: string | null;
  termsAcceptedAt: Date | null;
  currency: string;
  createdAt: Date;
  paidAt: Date | null;
  lines: OrderLine[];
}

type CheckoutTenant = Pick<TenantInfo, "id" | "currency" | "locale" | "timeZone" | "numberPrefix">;

/** An order with its lines; with `userId`, only that customer's (anyone else's is not found). */
export async function loadOrder(db: TenantDb, orderId: string, userId?: string): Promise<CheckoutOrder | undefined> {
  let query = db.selectFrom("orders").selectAll().where("id", "=", orderId);
  if (userId) query = query.where("user_id", "=", userId);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const lines = await selectQuotes(db)
    .innerJoin("order_items", "order_items.quote_id", "quotes.id")
    .select(["order_items.id as item_id", "order_items.position", "products.requirements", "products.requires_underwriting"])
    .where("order_items.order_id", "=", orderId)
    .orderBy("order_items.position")
    .execute();
  return {
    id: row.id,
    reference: row.reference,
    userId: row.user_id,
    cartId: row.cart_id,
    status: row.status,
    step: row.step,
    holder: row.holder ?? {},
    paymentMethod: row.payment_method,
    paymentPhone: row.payment_phone,
    termsAcceptedAt: row.terms_accepted_at,
    currency: row.currency,
    createdAt: row.created_at,
    paidAt: row.paid_at,
    lines: lines.map((l) => ({
      id: l.item_id,
      position: l.position,
      quote: toSavedQuote(l),
      requirements: (l.requirements ?? {}) as ProductRequirements,
      requiresUnderwriting: l.requires_underwriting,
    })),
  };
}

/** The order's money, recomputed from its quotes and the agency's bundle rules. */
export async function orderPricing(db: TenantDb, tenantId: string, lines: readonly OrderLine[]): Promise<OrderPricing> {
  const { bundleDiscounts } = await storefrontSettings(db, tenantId);
  return priceOrder(
    lines.map((l) => ({ id: l.id, categoryId: l.quote.categoryId, basePremium: l.quote.premium, payable: l.quote.payable })),
    bundleDiscounts,
  );
}

export async function pendingTransactionId(db: TenantDb, orderId: string): Promise<string | null> {
  const row = await db
    .selectFrom("transactions")
    .select("id")
    .where("order_id", "=", orderId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return row?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// Starting and keeping in step with the cart

export type StartResult =
  { ok: true; orderId: string; step: OrderStep; notices: string[] } | { ok: false; code: "no_cart" | "empty"; notices: string[] };

/**
 * The customer's open cart as a draft order: a new one, or the one already started from this cart
 * (the partial unique index `orders_one_draft_per_cart` keeps it to one, even when two tabs race).
 */
export async function createOrResumeOrder(db: TenantDb, tenant: CheckoutTenant, userId: string, cartId: string): Promise<StartResult> {
  const cart = await db
    .selectFrom("carts")
    .select("id")
    .where("id", "=", cartId)
    .where("user_id", "=", userId)
    .where("status", "=", "open")
    .executeTakeFirst();
  if (!cart) return { ok: false, code: "no_cart", notices: [] };
  const notices = await refreshExpiredCartItems(db, tenant, userId, cart.id);
  if ((await liveCartQuotes(db, cart.id)).length === 0) return { ok: false, code: "empty", notices };

  let order = await findDraft(db, cart.id);
  if (!order) {
    const profile = await db.selectFrom("users").select(["name", "email", "phone"]).where("id", "=", userId).executeTakeFirstOrThrow();
    const holder: OrderHolder = { name: profile.name, email: profile.email, ...(profile.phone ? { phone: profile.phone } : {}) };
    const reference = await nextNumber(db, tenant.numberPrefix, "order", Number(quoteDateIn(tenant.timeZone).slice(0, 4)));
    // A member an agent registered buys on the storefront: the sale is credited to their agent.
    const member = await db.selectFrom("members").select("agent_id").where("user_id", "=", userId).executeTakeFirst();
    const inserted = await db
      .insertInto("orders")
      .values({
        reference,
        user_id: userId,
        cart_id: cart.id,
        currency: tenant.currency,
        holder: JSON.stringify(holder),
        agent_id: member?.agent_id ?? null,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "cart_id"]).where("status", "=", "draft").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (inserted)
      await recordStateChange(db, {
        entity: "order",
        entityId: inserted.id,
        from: null,
        to: "draft",
        event: "checkout_started",
        actorUserId: userId,
      });
    // Either ours, or the one a concurrent request inserted first (now committed and visible).
    order = await findDraft(db, cart.id);
    if (!order) throw new Error("The draft order for this cart vanished");
  }
  const loaded = (await loadOrder(db, order.id, userId))!;
  const synced = await syncWithCart(db, tenant, loaded);
  return { ok: true, orderId: order.id, step: synced.order.step, notices: [...new Set([...notices, ...synced.notices])] };
}

async function findDraft(db: TenantDb, cartId: string) {
  return db.selectFrom("orders").select(["id", "step"]).where("cart_id", "=", cartId).where("status", "=", "draft").executeTakeFirst();
}

/** The user's draft order to come back to: the one from their open cart, else their latest draft. */
export async function findResumableOrder(db: TenantDb, userId: string): Promise<{ id: string; step: OrderStep } | undefined> {
  return db
    .selectFrom("orders")
    .leftJoin("carts", "carts.id", "orders.cart_id")
    .select(["orders.id", "orders.step"])
    .where("orders.user_id", "=", userId)
    .where("orders.status", "=", "draft")
    .orderBy(sql`carts.status = 'open'`, "desc")
    .orderBy("orders.updated_at", "desc")
    .executeTakeFirst();
}

async function liveCartQuotes(db: TenantDb, cartId: string) {
  return db
    .selectFrom("cart_items")
    .innerJoin("quotes", "quotes.id", "cart_items.quote_id")
    .select(["cart_items.quote_id", "quotes.product_id"])
    .where("cart_items.cart_id", "=", cartId)
    .where(sql<boolean>`quotes.valid_until > now()`)
    .orderBy("cart_items.added_at")
    .orderBy("cart_items.id")
    .execute();
}

/**
 * Expired quotes in the cart are priced again with the same inputs (prices can move: an age
 * birthday, new rates). What can no longer be priced stays out of the order, with a message.
 */
async function refreshExpiredCartItems(db: TenantDb, tenant: CheckoutTenant, userId: string, cartId: string): Promise<string[]> {
  const expired = await db
    .selectFrom("cart_items")
    .innerJoin("quotes", "quotes.id", "cart_items.quote_id")
    .innerJoin("products", "products.id", "quotes.product_id")
    .select(["cart_items.id", "products.name"])
    .where("cart_items.cart_id", "=", cartId)
    .where(sql<boolean>`quotes.valid_until <= now()`)
    .execute();
  const notices: string[] = [];
  for (const item of expired) {
    const result = await changeFrequency(db, tenant, { userId, cartId: null }, item.id);
    notices.push(
      result.ok
        ? `The quote for ${item.name} had expired, so it was priced again with the same details. Check the new amounts.`
        : `${item.name} could not be priced again and is left out of this order: ${result.message}`,
    );
  }
  return notices;
}

export interface SyncResult {
  order: CheckoutOrder;
  changed: boolean;
  notices: string[];
}

/**
 * Brings a draft order's items in line with its cart, keeping item ids where a position still
 * holds the same product. Never while a payment is in flight: the amount asked for must stay the
 * amount owed. A change takes back the accepted terms (the customer reviews the new amounts).
 */
export async function syncWithCart(db: TenantDb, tenant: CheckoutTenant, order: CheckoutOrder): Promise<SyncResult> {
  const same = { order, changed: false, notices: [] as string[] };
  if (order.status !== "draft" || !order.cartId) return same;
  if (await pendingTransactionId(db, order.id)) return same;
  const cart = await db.selectFrom("carts").select("status").where("id", "=", order.cartId).executeTakeFirst();
  if (cart?.status !== "open") return same;

  const notices = await refreshExpiredCartItems(db, tenant, order.userId, order.cartId);
  const desired = await liveCartQuotes(db, order.cartId);
  const current = order.lines;
  if (desired.length === current.length && desired.every((d, i) => d.quote_id === current[i]!.quote.id)) {
    return { order, changed: false, notices };
  }
  for (let i = 0; i < Math.min(desired.length, current.length); i += 1) {
    const want = desired[i]!;
    const line = current[i]!;
    if (want.quote_id === line.quote.id) continue;
    await db.updateTable("order_items").set({ quote_id: want.quote_id, product_id: want.product_id }).where("id", "=", line.id).execute();
    // Another product in this place: the documents uploaded for the old one are not its.
    if (want.product_id !== line.quote.productId) await db.deleteFrom("uploads").where("requirement", "like", `%:${line.id}`).execute();
  }
  const extra = current.slice(desired.length).map((l) => l.id);
  if (extra.length) {
    await db
      .deleteFrom("uploads")
      .where((eb) => eb.or(extra.map((id) => eb("requirement", "like", `%:${id}`))))
      .execute();
    await db.deleteFrom("order_items").where("id", "in", extra).execute();
  }
  const added = desired.slice(current.length);
  if (added.length) {
    await db
      .insertInto("order_items")
      .values(added.map((d, i) => ({ order_id: order.id, quote_id: d.quote_id, product_id: d.product_id, position: current.length + i })))
      .execute();
  }
  let reloaded = (await loadOrder(db, order.id))!;
  const complete = await detailsComplete(db, tenant, reloaded);
  const step: OrderStep = !complete.complete ? "details" : stepIndex(order.step) > stepIndex("review") ? "review" : order.step;
  await db.updateTable("orders").set({ step, terms_accepted_at: null, updated_at: new Date() }).where("id", "=", order.id).execute();
  reloaded = { ...reloaded, step, termsAcceptedAt: null };
  // The first snapshot of a new order is no change worth telling.
  if (current.length) notices.push("Your cart changed since you started checking out, so this order now follows it.");
  return { order: reloaded, changed: true, notices };
}

/** The customer's order, in step with their cart: what every checkout page starts from. */
export async function openCheckout(
  db: TenantDb,
  tenant: CheckoutTenant,
  orderId: string,
  userId: string,
): Promise<{ order: CheckoutOrder; notices: string[] } | undefined> {
  const order = await loadOrder(db, orderId, userId);
  if (!order) return undefined;
  const synced = await syncWithCart(db, tenant, order);
  return { order: synced.order, notices: synced.notices };
}

// ---------------------------------------------------------------------------------------------
// Review

/**
 * What the review page showed: its quotes and payment choice. Accepting the terms for an order
 * that has changed since would accept amounts the customer never saw, so the version must match.
 */
export function reviewVersion(order: CheckoutOrder): string {
  const basis = [order.lines.map((l) => l.quote.id).join(","), order.paymentMethod ?? "", order.paymentPhone ?? ""].join("|");
  return createHash("sha256").update(basis).digest("hex").slice(0, 32);
}

export async function acceptTerms(
  db: TenantDb,
  order: CheckoutOrder,
  version: string,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  if (order.status !== "draft") return { ok: false, errors: { form: ["This order is no longer open."] } };
  if (stepIndex(order.step) < stepIndex("review")) return { ok: false, errors: { form: ["Complete the earlier steps first."] } };
  if (order.lines.some((l) => l.quote.expired))
    return { ok: false, errors: { form: ["Some prices have just expired. They have been refreshed: check them and accept again."] } };
  if (version !== reviewVersion(order))
    return { ok: false, errors: { form: ["Your order changed while this page was open. Check the amounts below and accept again."] } };
  await db
    .updateTable("orders")
    .set({ terms_accepted_at: new Date(), step: "payment", updated_at: new Date() })
    .where("id", "=", order.id)
    .execute();
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// What payment charges (CONTRACTS.md): the lead's startPayment calls this.

export interface PayableItem {
  orderItemId: string;
  quoteId: string;
  productId: string;
  productName: string;
  insurerName: string;
  categoryName: string;
  frequency: Frequency;
  instalmentsPerYear: number;
  /** Due now for this item, after its share of the discount. */
  firstPaymentMinor: number;
  /** Each later instalment after its share of the discount; 0 when paid once a year. */
  laterInstalmentMinor: number;
  /** Premium before levies, over the year. */
  annualPremiumMinor: number;
  /** Levies over the year. */
  leviesMinor: number;
  discountMinor: number;
  requiresUnderwriting: boolean;
}

export interface PayableOrder {
  id: string;
  reference: string;
  currency: string;
  status: OrderStatus;
  paymentMethod: PaymentMethod | null;
  paymentPhone: string | null;
  holder: OrderHolder;
  dueNowMinor: number;
  items: PayableItem[];
}

/** The order's items with their amounts, whatever its state (issuance prices policies with it). */
export async function payableItems(
  db: TenantDb,
  tenantId: string,
  order: CheckoutOrder,
): Promise<{ items: PayableItem[]; dueNowMinor: number }> {
  const pricing = await orderPricing(db, tenantId, order.lines);
  const items = order.lines.map((line, i): PayableItem => {
    const p = pricing.items[i]!;
    return {
      orderItemId: line.id,
      quoteId: line.quote.id,
      productId: line.quote.productId,
      productName: line.quote.productName,
      insurerName: line.quote.insurerName,
      categoryName: line.quote.categoryName,
      frequency: line.quote.frequency,
      instalmentsPerYear: p.instalmentsPerYear,
      firstPaymentMinor: p.firstPaymentMinor,
      laterInstalmentMinor: p.laterInstalmentMinor,
      annualPremiumMinor: p.annualPremiumMinor,
      leviesMinor: p.leviesMinor,
      discountMinor: p.discountMinor,
      requiresUnderwriting: line.requiresUnderwriting,
    };
  });
  return { items, dueNowMinor: pricing.dueNowMinor };
}

/**
 * The order as payment may charge it, or why it may not be paid: not the customer's, not at the
 * payment step, terms not accepted, already paid, or prices that expired or no longer sell.
 */
export async function orderForPayment(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id">,
  orderId: string,
  userId: string,
  /** offline: an agent collects the money (cash, bank-in), so no online payment method is needed. */
  options: { offline?: boolean } = {},
): Promise<{ ok: true; order: PayableOrder } | { ok: false; message: string }> {
  const order = await loadOrder(db, orderId, userId);
  if (!order) return { ok: false, message: "We could not find that order." };
  if (order.status === "paid") return { ok: false, message: "This order is already paid." };
  if (order.status !== "draft") return { ok: false, message: "This order was cancelled." };
  if (order.step !== "payment" || !order.termsAcceptedAt)
    return { ok: false, message: "Review your order and accept the terms before paying." };
  if (order.lines.length === 0) return { ok: false, message: "This order has nothing in it to pay for." };
  const stale = order.lines.find((l) => l.quote.expired || !l.quote.productActive);
  if (stale)
    return {
      ok: false,
      message: stale.quote.expired
        ? `The price of ${stale.quote.productName} has expired. Review your order again to get a fresh price.`
        : `${stale.quote.productName} is no longer offered. Remove it from your cart to continue.`,
    };
  if (!order.paymentMethod && !options.offline) return { ok: false, message: "Choose how to pay." };
  const { items, dueNowMinor } = await payableItems(db, tenant.id, order);
  return {
    ok: true,
    order: {
      id: order.id,
      reference: order.reference,
      currency: order.currency,
      status: order.status,
      paymentMethod: order.paymentMethod,
      paymentPhone: order.paymentPhone,
      holder: order.holder,
      dueNowMinor,
      items,
    },
  };
}

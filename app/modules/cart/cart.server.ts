import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import type { FieldErrors } from "~/modules/rating";
import { getQuote, requote, selectQuotes, toSavedQuote, type QuoteTenant, type SavedQuote } from "~/modules/quotes/quotes.server";
import { storefrontSettings } from "~/modules/catalogue/settings.server";
import { readCartId } from "./cookie.server";
import { cartTotals, type CartTotals } from "./totals";

/**
 * The cart: quotes a customer means to buy. A signed-in customer has one open cart (a unique
 * index keeps it so); an anonymous visitor's cart is found by the id in their cart cookie and is
 * merged into their own at sign-in. Every function takes the owner, so an item id from someone
 * else's cart simply finds nothing.
 */
export interface CartOwner {
  userId: string | null;
  /** The anonymous cart named by the cookie; ignored once signed in. */
  cartId: string | null;
}

export interface CartItem {
  id: string;
  quote: SavedQuote;
  /** Premium paid over a year at the item's frequency. */
  premium: number;
  levies: number;
  /** premium + levies (the quote's annual total at its frequency). */
  total: number;
}

export interface CartView {
  id: string | null;
  items: CartItem[];
  totals: CartTotals;
}

export type CartChange =
  | { ok: true; itemId: string; cartId: string; created: boolean }
  | { ok: false; code: "not_found" | "expired" | "duplicate" | "invalid"; message: string; errors?: FieldErrors };

export async function findOpenCartId(db: TenantDb, owner: CartOwner): Promise<string | null> {
  let query = db.selectFrom("carts").select("id").where("status", "=", "open");
  if (owner.userId) query = query.where("user_id", "=", owner.userId);
  else if (owner.cartId) query = query.where("id", "=", owner.cartId).where("user_id", "is", null);
  else return null;
  return (await query.executeTakeFirst())?.id ?? null;
}

/** The owner's open cart, created when there is none (`created`: an anonymous one needs its cookie). */
async function ensureCart(db: TenantDb, owner: CartOwner): Promise<{ id: string; created: boolean }> {
  const existing = await findOpenCartId(db, owner);
  if (existing) return { id: existing, created: false };
  if (owner.userId) {
    // Two tabs may race to create it: the partial unique index lets only one through.
    await db
      .insertInto("carts")
      .values({ user_id: owner.userId })
      .onConflict((oc) => oc.columns(["tenant_id", "user_id"]).where("status", "=", "open").where("user_id", "is not", null).doNothing())
      .execute();
    return { id: (await findOpenCartId(db, owner))!, created: false };
  }
  const row = await db.insertInto("carts").values({ user_id: null }).returning("id").executeTakeFirstOrThrow();
  return { id: row.id, created: true };
}

/**
 * Whether the cart already holds this quote, or another quote for the same product with the same
 * inputs (a double-submitted form): the same cover twice is never what the customer meant.
 */
async function holdsDuplicate(db: TenantDb, cartId: string, quoteId: string, exceptItemId?: string): Promise<boolean> {
  let query = db
    .selectFrom("cart_items")
    .innerJoin("quotes", "quotes.id", "cart_items.quote_id")
    .select("cart_items.id")
    .where("cart_items.cart_id", "=", cartId)
    .where((eb) =>
      eb.or([
        eb("quotes.id", "=", quoteId),
        eb.and([
          eb("quotes.product_id", "=", eb.selectFrom("quotes as q").select("q.product_id").where("q.id", "=", quoteId)),
          eb("quotes.inputs", "=", eb.selectFrom("quotes as q").select("q.inputs").where("q.id", "=", quoteId)),
        ]),
      ]),
    );
  if (exceptItemId) query = query.where("cart_items.id", "!=", exceptItemId);
  return (await query.executeTakeFirst()) !== undefined;
}

const MESSAGES = {
  notFound: "We could not find that quote.",
  expired: "This quote has expired. Get a fresh quote to add it to your cart.",
  duplicate: "This cover is already in your cart.",
  item: "That item is not in your cart.",
};

/** Adds a saved quote to the owner's cart: not an expired one, not another tenant's, not twice. */
export async function addToCart(db: TenantDb, owner: CartOwner, quoteId: string): Promise<CartChange> {
  const quote = await getQuote(db, quoteId);
  if (!quote) return { ok: false, code: "not_found", message: MESSAGES.notFound };
  if (quote.expired) return { ok: false, code: "expired", message: MESSAGES.expired };
  const cart = await ensureCart(db, owner);
  if (await holdsDuplicate(db, cart.id, quote.id)) return { ok: false, code: "duplicate", message: MESSAGES.duplicate };
  const item = await db.insertInto("cart_items").values({ cart_id: cart.id, quote_id: quote.id }).returning("id").executeTakeFirstOrThrow();
  if (owner.userId) await claimQuotes(db, [quote.id], owner.userId);
  await touch(db, cart.id);
  return { ok: true, itemId: item.id, cartId: cart.id, created: cart.created };
}

async function findItem(db: TenantDb, owner: CartOwner, itemId: string) {
  const cartId = await findOpenCartId(db, owner);
  if (!cartId) return undefined;
  const item = await db
    .selectFrom("cart_items")
    .select(["id", "quote_id"])
    .where("id", "=", itemId)
    .where("cart_id", "=", cartId)
    .executeTakeFirst();
  return item ? { ...item, cartId } : undefined;
}

/**
 * Swaps an item's quote for another (changed options or frequency), keeping its place in the
 * cart. The new quote must be live and not duplicate another item.
 */
export async function replaceCartItem(db: TenantDb, owner: CartOwner, itemId: string, quoteId: string): Promise<CartChange> {
  const item = await findItem(db, owner, itemId);
  if (!item) return { ok: false, code: "not_found", message: MESSAGES.item };
  const quote = await getQuote(db, quoteId);
  if (!quote) return { ok: false, code: "not_found", message: MESSAGES.notFound };
  if (quote.expired) return { ok: false, code: "expired", message: MESSAGES.expired };
  if (await holdsDuplicate(db, item.cartId, quote.id, item.id)) return { ok: false, code: "duplicate", message: MESSAGES.duplicate };
  await db.updateTable("cart_items").set({ quote_id: quote.id }).where("id", "=", item.id).execute();
  if (owner.userId) await claimQuotes(db, [quote.id], owner.userId);
  await touch(db, item.cartId);
  return { ok: true, itemId: item.id, cartId: item.cartId, created: false };
}

/**
 * Re-prices an item at another payment frequency (or, without one, at its own, to refresh an
 * expired quote): a new quote with the same inputs replaces the old one in the cart.
 */
export async function changeFrequency(
  db: TenantDb,
  tenant: QuoteTenant,
  owner: CartOwner,
  itemId: string,
  frequency?: string,
): Promise<CartChange> {
  const item = await findItem(db, owner, itemId);
  if (!item) return { ok: false, code: "not_found", message: MESSAGES.item };
  const current = (await getQuote(db, item.quote_id))!;
  const result = await requote(db, tenant, current, { frequency, userId: owner.userId });
  if (!result.ok) {
    const message =
      result.code === "not_found"
        ? `${current.productName} is no longer offered, so it cannot be re-priced.`
        : (result.errors.frequency?.join(" ") ?? "This quote's details no longer price: change its options to get a fresh quote.");
    // The item exists; its product no longer sells or prices: a message, not a 404.
    return { ok: false, code: "invalid", message, errors: result.errors };
  }
  return replaceCartItem(db, owner, item.id, result.quote.id);
}

export async function removeFromCart(db: TenantDb, owner: CartOwner, itemId: string): Promise<boolean> {
  const item = await findItem(db, owner, itemId);
  if (!item) return false;
  await db.deleteFrom("cart_items").where("id", "=", item.id).execute();
  await touch(db, item.cartId);
  return true;
}

/** The owner's cart with every item priced and the bundle discount applied. */
export async function getCart(db: TenantDb, tenantId: string, owner: CartOwner): Promise<CartView> {
  const cartId = await findOpenCartId(db, owner);
  const { bundleDiscounts } = await storefrontSettings(db, tenantId);
  if (!cartId) return { id: null, items: [], totals: cartTotals([], bundleDiscounts) };
  const rows = await selectQuotes(db)
    .innerJoin("cart_items", "cart_items.quote_id", "quotes.id")
    .select("cart_items.id as item_id")
    .where("cart_items.cart_id", "=", cartId)
    .orderBy("cart_items.added_at")
    .orderBy("cart_items.id")
    .execute();
  const items = rows.map((row): CartItem => {
    const quote = toSavedQuote(row);
    const premium = quote.payable.instalmentPremium * quote.payable.instalmentsPerYear;
    return { id: row.item_id, quote, premium, levies: quote.total - premium, total: quote.total };
  });
  const totals = cartTotals(
    items.map((i) => ({
      categoryId: i.quote.categoryId,
      basePremium: i.quote.premium,
      premium: i.premium,
      levies: i.levies,
      total: i.total,
      expired: i.quote.expired,
    })),
    bundleDiscounts,
  );
  return { id: cartId, items, totals };
}

/** Whether the owner's open cart holds this quote (the quote page says so instead of "Add"). */
export async function cartHoldsQuote(db: TenantDb, owner: CartOwner, quoteId: string): Promise<boolean> {
  const cartId = await findOpenCartId(db, owner);
  if (!cartId) return false;
  const row = await db
    .selectFrom("cart_items")
    .select("id")
    .where("cart_id", "=", cartId)
    .where("quote_id", "=", quoteId)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many items the owner's open cart holds: one query, for every page's header. */
export async function cartCount(db: TenantDb, owner: CartOwner): Promise<number> {
  if (!owner.userId && !owner.cartId) return 0;
  let query = db
    .selectFrom("cart_items")
    .innerJoin("carts", "carts.id", "cart_items.cart_id")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("carts.status", "=", "open");
  if (owner.userId) query = query.where("carts.user_id", "=", owner.userId);
  else query = query.where("carts.id", "=", owner.cartId!).where("carts.user_id", "is", null);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

/** The header's count for a request: no database work for a visitor with neither account nor cart. */
export async function cartCountFor(request: Request, tenantId: string, userId: string | null): Promise<number> {
  const cartId = userId ? null : await readCartId(request);
  if (!userId && !cartId) return 0;
  return withTenant(tenantId, (db) => cartCount(db, { userId, cartId }));
}

/** Where a request's cart lives: the signed-in customer's, or the anonymous cookie's. */
export async function cartOwner(request: Request, userId: string | null): Promise<CartOwner> {
  return { userId, cartId: userId ? null : await readCartId(request) };
}

/**
 * At sign-in: the anonymous cart's items move into the customer's open cart, except expired
 * quotes and cover the cart already holds; the anonymous cart is marked 'merged'. Another
 * tenant's cart id (or a merged one) finds nothing and changes nothing.
 */
export async function mergeCartOnSignIn(
  db: TenantDb,
  anonymousCartId: string,
  userId: string,
): Promise<{ moved: number; dropped: number }> {
  const anonymous = await db
    .selectFrom("carts")
    .select("id")
    .where("id", "=", anonymousCartId)
    .where("user_id", "is", null)
    .where("status", "=", "open")
    .forUpdate()
    .executeTakeFirst();
  if (!anonymous) return { moved: 0, dropped: 0 };
  const items = await db
    .selectFrom("cart_items")
    .innerJoin("quotes", "quotes.id", "cart_items.quote_id")
    .select(["cart_items.id", "cart_items.quote_id"])
    .select(sql<boolean>`quotes.valid_until <= now()`.as("expired"))
    .where("cart_items.cart_id", "=", anonymous.id)
    .orderBy("cart_items.added_at")
    .execute();
  let target: string | null = null;
  const moved: string[] = [];
  for (const item of items) {
    if (item.expired) continue;
    target ??= (await ensureCart(db, { userId, cartId: null })).id;
    if (await holdsDuplicate(db, target, item.quote_id)) continue;
    await db.updateTable("cart_items").set({ cart_id: target }).where("id", "=", item.id).execute();
    moved.push(item.quote_id);
  }
  // What was not moved (expired, duplicates) goes with the merged cart.
  await db.deleteFrom("cart_items").where("cart_id", "=", anonymous.id).execute();
  await db.updateTable("carts").set({ status: "merged", user_id: userId, updated_at: new Date() }).where("id", "=", anonymous.id).execute();
  if (moved.length) await claimQuotes(db, moved, userId);
  if (target) await touch(db, target);
  return { moved: moved.length, dropped: items.length - moved.length };
}

/** Quotes made before signing in become the customer's. */
async function claimQuotes(db: TenantDb, quoteIds: string[], userId: string): Promise<void> {
  await db.updateTable("quotes").set({ user_id: userId }).where("id", "in", quoteIds).where("user_id", "is", null).execute();
}

async function touch(db: TenantDb, cartId: string): Promise<void> {
  await db.updateTable("carts").set({ updated_at: new Date() }).where("id", "=", cartId).execute();
}

import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { applyRate, formatMoney } from "~/lib/money";
import { addToCart, getCart, mergeCartOnSignIn, type CartOwner } from "~/modules/cart/cart.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import { createUser, ownerDb, TEST_PASSWORD, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { cloneTo, textOf } from "./accounts-support";
import {
  createStoreTenant,
  DEFAULT_BUNDLES,
  expireQuote,
  motorForm,
  motorJson,
  quoteRow,
  quoteTenant,
  quoteViaForm,
  type StoreTenant,
} from "./quotes-support";

let tenant: StoreTenant;
let other: StoreTenant;

beforeAll(async () => {
  [tenant, other] = await Promise.all([createStoreTenant(), createStoreTenant()]);
});

const money = (minor: number) => formatMoney(minor, "KES", "en-KE").replace(/\s+/g, " ");

/** Adds a quote through the quote page's button; returns the response. */
const addViaPage = (browser: Browser, quoteId: string) => browser.post(`/quotes/${quoteId}`, { intent: "add" });

async function cartItems(cartId: string) {
  return ownerDb()
    .selectFrom("cart_items")
    .innerJoin("quotes", "quotes.id", "cart_items.quote_id")
    .select(["cart_items.id", "cart_items.quote_id", "quotes.frequency", "quotes.inputs", "quotes.total_minor"])
    .where("cart_items.cart_id", "=", cartId)
    .orderBy("cart_items.added_at")
    .execute();
}

async function openCartOf(tenantId: string, userId: string) {
  return ownerDb()
    .selectFrom("carts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("status", "=", "open")
    .executeTakeFirst();
}

/** The anonymous cart this browser's cookie names (read back through the cart page's owner). */
async function anonymousCartId(tenantId: string, quoteId: string): Promise<string> {
  const row = await ownerDb()
    .selectFrom("cart_items")
    .innerJoin("carts", "carts.id", "cart_items.cart_id")
    .select("carts.id")
    .where("carts.tenant_id", "=", tenantId)
    .where("cart_items.quote_id", "=", quoteId)
    .where("carts.user_id", "is", null)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("adding to the cart", () => {
  it("prices and adds in one step from the product page's quote form", async () => {
    const browser = new Browser(tenant.host);
    const res = await browser.post("/products/motor-comprehensive/quote", { ...motorForm("1,400,000"), intent: "cart" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/cart");
    const page = textOf((await browser.get("/cart")).text);
    expect(page).toContain("Motor Comprehensive");
    expect(page).toContain("Cart (1)");
    // Bad details add nothing: the form comes back with its errors.
    const bad = await browser.post("/products/motor-comprehensive/quote", { ...motorForm("-5"), intent: "cart" });
    expect(bad.status).toBe(400);
    expect(textOf((await browser.get("/cart")).text)).toContain("Cart (1)");
  });

  it("adds a quote to an anonymous cart kept in a cookie, and counts it in the header", async () => {
    const browser = new Browser(tenant.host);
    const quoteId = await quoteViaForm(browser, "motor-comprehensive", motorForm());
    const res = await addViaPage(browser, quoteId);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/cart");
    const cookie = (res.headers["set-cookie"] ?? []).find((c) => c.startsWith("covera_cart="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Domain=/i);

    const page = await browser.get("/cart");
    const text = textOf(page.text);
    expect(text).toContain("Motor Comprehensive");
    expect(text).toContain((await quoteRow(quoteId)).reference);
    expect(page.text).toContain('aria-label="Cart, 1 item"');
    expect(text).toContain("Cart (1)");
    // The quote page now says it is in the cart.
    expect(textOf((await browser.get(`/quotes/${quoteId}`)).text)).toContain("In your cart");
    // A visitor without the cookie has an empty cart.
    const stranger = await new Browser(tenant.host).get("/cart");
    expect(textOf(stranger.text)).toContain("Your cart is empty.");
    expect(stranger.text).toContain('href="/products"');
    expect(stranger.text).toContain('aria-label="Cart, 0 items"');
  });

  it("refuses the same cover twice: the same quote, or a second quote with the same details", async () => {
    const browser = new Browser(tenant.host);
    const first = await quoteViaForm(browser, "home-cover", { buildingValue: "4,000,000" });
    const twin = await quoteViaForm(browser, "home-cover", { buildingValue: "4,000,000" });
    const different = await quoteViaForm(browser, "home-cover", { buildingValue: "4,500,000" });
    expect((await addViaPage(browser, first)).status).toBe(302);
    for (const id of [first, twin]) {
      const res = await addViaPage(browser, id);
      expect(res.status).toBe(409);
      expect(textOf(res.text)).toContain("This cover is already in your cart.");
    }
    expect((await addViaPage(browser, different)).status).toBe(302);
    expect(await cartItems(await anonymousCartId(tenant.id, first))).toHaveLength(2);
  });

  it("refuses an expired quote and another agency's quote", async () => {
    const browser = new Browser(tenant.host);
    const expired = await quoteViaForm(browser, "home-cover", { buildingValue: "2,000,000" });
    await expireQuote(expired);
    const res = await addViaPage(browser, expired);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("This quote has expired.");
    const theirs = await quoteViaForm(new Browser(other.host), "home-cover", { buildingValue: "2,000,000" });
    expect((await addViaPage(browser, theirs)).status).toBe(404);
    const direct = await withTenant(tenant.id, (db) => addToCart(db, { userId: null, cartId: null }, theirs));
    expect(direct).toMatchObject({ ok: false, code: "not_found" });
    expect(browser.cookies.has("covera_cart")).toBe(false);
  });
});

describe("changing the cart", () => {
  it("re-prices an item at another frequency with a new quote, same inputs", async () => {
    const browser = new Browser(tenant.host);
    const quoteId = await quoteViaForm(browser, "motor-comprehensive", motorForm("1,200,000"));
    await addViaPage(browser, quoteId);
    const cartId = await anonymousCartId(tenant.id, quoteId);
    const [item] = await cartItems(cartId);
    const res = await browser.post("/cart", { intent: "frequency", itemId: item!.id, frequency: "monthly" });
    expect(res.status).toBe(302);
    const [after, ...none] = await cartItems(cartId);
    expect(none).toEqual([]);
    expect(after!.id).toBe(item!.id);
    expect(after!.quote_id).not.toBe(quoteId);
    expect(after!.frequency).toBe("monthly");
    expect(after!.inputs).toEqual(item!.inputs);
    const renewed = await quoteRow(after!.quote_id);
    const monthly = (renewed.breakdown as { frequencies: { frequency: string; annualEquivalent: number }[] }).frequencies.find(
      (f) => f.frequency === "monthly",
    )!;
    expect(after!.total_minor).toBe(monthly.annualEquivalent);
    expect(after!.total_minor).toBeGreaterThan(item!.total_minor);
    // The old quote is unchanged.
    expect((await quoteRow(quoteId)).frequency).toBe("annual");
    // A frequency the product does not offer is refused.
    const travel = await quoteViaForm(browser, "travel-cover", travelForm());
    await addViaPage(browser, travel);
    const travelItem = (await cartItems(cartId)).find((i) => i.quote_id === travel)!;
    const refused = await browser.post("/cart", { intent: "frequency", itemId: travelItem.id, frequency: "monthly" });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain("Choose how often to pay: Annually");
  });

  it("changes an item's options through the quote form, replacing it in place", async () => {
    const browser = new Browser(tenant.host);
    const quoteId = await quoteViaForm(browser, "motor-comprehensive", motorForm("1,300,000"));
    await addViaPage(browser, quoteId);
    const cartId = await anonymousCartId(tenant.id, quoteId);
    const [item] = await cartItems(cartId);
    const form = await browser.get(`/products/motor-comprehensive/quote?from=${quoteId}&replace=${item!.id}`);
    expect(form.text).toContain(`name="replace" value="${item!.id}"`);
    const res = await browser.post(`/products/motor-comprehensive/quote?replace=${item!.id}`, {
      ...motorForm("1,600,000"),
      replace: item!.id,
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/cart");
    const after = await cartItems(cartId);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(item!.id);
    expect(after[0]!.inputs).toMatchObject({ vehicleValue: 160_000_000 });
    // Another browser cannot replace this cart's item: its quote is saved on its own.
    const stranger = new Browser(tenant.host);
    const elsewhere = await stranger.post("/products/motor-comprehensive/quote", { ...motorForm("1,700,000"), replace: item!.id });
    expect(elsewhere.location).toMatch(/^\/quotes\//);
    expect((await cartItems(cartId))[0]!.inputs).toMatchObject({ vehicleValue: 160_000_000 });
  });

  it("keeps an item whose product stopped selling, but cannot re-price or change it", async () => {
    const shop = await createStoreTenant();
    const browser = new Browser(shop.host);
    const quoteId = await quoteViaForm(browser, "motor-comprehensive", motorForm("1,250,000"));
    await addViaPage(browser, quoteId);
    const [item] = await cartItems(await anonymousCartId(shop.id, quoteId));
    await ownerDb()
      .updateTable("products")
      .set({ active: false })
      .where("tenant_id", "=", shop.id)
      .where("slug", "=", "motor-comprehensive")
      .execute();
    const res = await browser.post("/cart", { intent: "frequency", itemId: item!.id, frequency: "monthly" });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Motor Comprehensive is no longer offered, so it cannot be re-priced.");
    const page = await browser.get("/cart");
    expect(textOf(page.text)).toContain("Motor Comprehensive");
    expect(page.text).not.toContain('name="frequency"');
    expect(page.text).not.toContain("Change options");
  });

  it("removes an item; another cart's item or a malformed id is 404", async () => {
    const browser = new Browser(tenant.host);
    const a = await quoteViaForm(browser, "home-cover", { buildingValue: "5,000,000" });
    const b = await quoteViaForm(browser, "term-life", lifeForm());
    await addViaPage(browser, a);
    await addViaPage(browser, b);
    const cartId = await anonymousCartId(tenant.id, a);
    const [first, second] = await cartItems(cartId);
    const stranger = new Browser(tenant.host);
    expect((await stranger.post("/cart", { intent: "remove", itemId: first!.id })).status).toBe(404);
    expect((await browser.post("/cart", { intent: "remove", itemId: "not-a-uuid" })).status).toBe(404);
    const res = await browser.post("/cart", { intent: "remove", itemId: first!.id });
    expect(res.status).toBe(302);
    expect((await cartItems(cartId)).map((i) => i.id)).toEqual([second!.id]);
    expect((await browser.post("/cart", { intent: "remove", itemId: first!.id })).status).toBe(404);
  });
});

function travelForm() {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { departureDate: day(20), returnDate: day(25), zone: "africa", travellers: "2" };
}
function lifeForm() {
  return { dateOfBirth: `${new Date().getUTCFullYear() - 40}-03-10`, sumAssured: "2,000,000" };
}

describe("bundle discounts and totals", () => {
  it("applies the best rule exactly at its thresholds and not below, on base premiums only", async () => {
    const shop = await createStoreTenant();
    const user = await createUser(shop.id);
    const owner: CartOwner = { userId: user.id, cartId: null };
    const t = quoteTenant(shop);
    const add = (slug: string, input: unknown, frequency = "annual") =>
      withTenant(shop.id, async (db) => {
        const q = await createQuote(db, t, { productSlug: slug, input, frequency });
        if (!q.ok) throw new Error(JSON.stringify(q.errors));
        const added = await addToCart(db, owner, q.quote.id);
        if (!added.ok) throw new Error(added.message);
        return q.quote;
      });
    const cart = () => withTenant(shop.id, (db) => getCart(db, shop.id, owner));

    const motor1 = await add("motor-comprehensive", motorJson(123_456_700), "monthly");
    expect((await cart()).totals.discount).toBeNull();
    // Exactly two policies from exactly two categories: the first rule, at its threshold.
    const home = await add("home-cover", { buildingValue: 765_432_100, contentsValue: 12_345_600 });
    let view = await cart();
    expect([view.totals.count, view.totals.categories]).toEqual([2, 2]);
    expect(view.totals.discount).toEqual({ ...pick(DEFAULT_BUNDLES[0]!), amount: applyRate(motor1.premium + home.premium, 500) });
    // Three policies, but two categories: the second rule does not apply yet.
    const motor2 = await add("motor-comprehensive", motorJson(98_765_400), "quarterly");
    view = await cart();
    expect([view.totals.count, view.totals.categories]).toEqual([3, 2]);
    expect(view.totals.discount).toEqual({
      ...pick(DEFAULT_BUNDLES[0]!),
      amount: applyRate(motor1.premium + home.premium + motor2.premium, 500),
    });
    const life = await add("term-life", { dateOfBirth: "1990-05-05", sumAssured: 1_230_000_000 }, "monthly");
    view = await cart();
    expect(view.totals.categories).toBe(3);
    // Both rules qualify now; the better one wins and they never stack.
    const base4 = motor1.premium + home.premium + motor2.premium + life.premium;
    expect(view.totals.discount).toEqual({ ...pick(DEFAULT_BUNDLES[1]!), amount: applyRate(base4, 750) });

    // Every line adds up to the total, to the cent.
    for (const item of view.items) expect(item.premium + item.levies).toBe(item.total);
    const itemsTotal = view.items.reduce((s, i) => s + i.premium + i.levies, 0);
    expect(view.totals.premium + view.totals.levies).toBe(itemsTotal);
    expect(view.totals.total).toBe(itemsTotal - view.totals.discount!.amount);
    // Levies are untouched by the discount.
    expect(view.totals.levies).toBe(view.items.reduce((s, i) => s + i.levies, 0));

    // Expired items drop out: exactly three policies from three categories still earn the second rule…
    await expireQuote(motor2.id);
    view = await cart();
    expect([view.totals.count, view.totals.categories]).toEqual([3, 3]);
    expect(view.totals.discount?.code).toBe(DEFAULT_BUNDLES[1]!.code);
    // …and one fewer falls back to the first; one policy alone earns nothing.
    await expireQuote(life.id);
    expect((await cart()).totals.discount?.code).toBe(DEFAULT_BUNDLES[0]!.code);
    await expireQuote(home.id);
    const alone = await cart();
    expect(alone.totals.discount).toBeNull();
    expect(alone.totals.total).toBe(alone.items.find((i) => !i.quote.expired)!.total);
  });

  it("shows the discount as its own line and a total that adds up on the cart page", async () => {
    const shop = await createStoreTenant();
    const browser = new Browser(shop.host);
    for (const [slug, fields] of [
      ["motor-comprehensive", motorForm("1,111,111", { frequency: "monthly" })],
      ["home-cover", { buildingValue: "7,777,777", securityAlarm: "on" }],
    ] as const) {
      await addViaPage(browser, await quoteViaForm(browser, slug, fields));
    }
    const view = await withTenant(shop.id, async (db) =>
      getCart(db, shop.id, { userId: null, cartId: await anonymousCartId(shop.id, (await cartItemsOfAnyCart(shop.id))[0]!) }),
    );
    const page = textOf((await browser.get("/cart")).text);
    const d = view.totals.discount!;
    expect(d.code).toBe("two-categories");
    expect(page).toContain(`Premiums ${money(view.totals.premium)}`);
    expect(page).toContain(`Levies and duties ${money(view.totals.levies)}`);
    expect(page).toContain(`${d.label} −${money(d.amount)}`);
    expect(page).toContain(`Total for the first year ${money(view.totals.premium + view.totals.levies - d.amount)}`);
    expect(page).toContain("Next comes checkout");
  });
});

async function cartItemsOfAnyCart(tenantId: string): Promise<string[]> {
  const rows = await ownerDb().selectFrom("cart_items").select("quote_id").where("tenant_id", "=", tenantId).execute();
  return rows.map((r) => r.quote_id);
}

function pick(rule: (typeof DEFAULT_BUNDLES)[number]) {
  return { code: rule.code, label: rule.label, percentBp: rule.percentBp };
}

describe("the cart and signing in", () => {
  it("merges the anonymous cart into the account at sign-in: no duplicates, no expired quotes", async () => {
    const email = `${uniqueSlug("cart")}@example.com`;
    const user = await createUser(tenant.id, { email });
    // Earlier, signed in elsewhere, the customer put home cover in their cart.
    const signedIn = new Browser(tenant.host);
    expect((await signedIn.post("/login", { email, password: TEST_PASSWORD })).status).toBe(302);
    const homeQuote = await quoteViaForm(signedIn, "home-cover", { buildingValue: "6,000,000" });
    await addViaPage(signedIn, homeQuote);

    // Now anonymous on a phone: the same home cover again, motor, and a quote that will expire.
    const phone = new Browser(tenant.host);
    const sameHome = await quoteViaForm(phone, "home-cover", { buildingValue: "6,000,000" });
    const motor = await quoteViaForm(phone, "motor-comprehensive", motorForm("1,400,000"));
    const stale = await quoteViaForm(phone, "term-life", lifeForm());
    for (const id of [sameHome, motor, stale]) expect((await addViaPage(phone, id)).status).toBe(302);
    const anonymousId = await anonymousCartId(tenant.id, motor);
    await expireQuote(stale);
    expect(textOf((await phone.get("/cart")).text)).toContain("Cart (3)");

    const res = await phone.post("/login", { email, password: TEST_PASSWORD, redirectTo: "/cart" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/cart");
    const setCookies = res.headers["set-cookie"] ?? [];
    expect(setCookies.some((c) => c.startsWith("covera_session="))).toBe(true);
    expect(setCookies.find((c) => c.startsWith("covera_cart="))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(phone.cookies.has("covera_cart")).toBe(false);

    const cart = (await openCartOf(tenant.id, user.id))!;
    expect((await cartItems(cart.id)).map((i) => i.quote_id).sort()).toEqual([homeQuote, motor].sort());
    const anonymous = await ownerDb().selectFrom("carts").selectAll().where("id", "=", anonymousId).executeTakeFirstOrThrow();
    expect(anonymous.status).toBe("merged");
    expect((await quoteRow(motor)).user_id).toBe(user.id);
    const page = await phone.get("/cart");
    expect(textOf(page.text)).toContain("Cart (2)");
    expect(textOf(page.text)).toContain("Motor Comprehensive");
    // Signing in again with nothing to merge changes nothing.
    expect(await withTenant(tenant.id, (db) => mergeCartOnSignIn(db, anonymousId, user.id))).toEqual({ moved: 0, dropped: 0 });
  });

  it("keeps the anonymous cart through registration and merges it into the new account at its first sign-in", async () => {
    const phone = new Browser(tenant.host);
    const motor = await quoteViaForm(phone, "motor-comprehensive", motorForm("1,450,000"));
    await addViaPage(phone, motor);
    const email = `${uniqueSlug("reg")}@example.com`;
    const res = await phone.post("/register", {
      name: "Cart Registrant",
      email,
      password: "Another#horse2",
      confirmPassword: "Another#horse2",
      acceptTerms: "on",
    });
    expect(res.status, textOf(res.text).slice(0, 300)).toBe(200);
    // Registering signs no one in (issue 11: the answer must not tell a known address from a new one).
    expect(phone.cookies.has("covera_cart")).toBe(true);
    expect(phone.cookies.has("covera_session")).toBe(false);
    expect((await phone.post("/login", { email, password: "Another#horse2" })).status).toBe(302);
    expect(phone.cookies.has("covera_cart")).toBe(false);
    const user = await ownerDb()
      .selectFrom("users")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    const cart = (await openCartOf(tenant.id, user.id))!;
    expect((await cartItems(cart.id)).map((i) => i.quote_id)).toEqual([motor]);
    expect(textOf((await phone.get("/cart")).text)).toContain("Motor Comprehensive");
  });

  it("gives another agency's cart cookie no meaning", async () => {
    const phone = new Browser(tenant.host);
    const motor = await quoteViaForm(phone, "motor-comprehensive", motorForm("1,550,000"));
    await addViaPage(phone, motor);
    const cartId = await anonymousCartId(tenant.id, motor);

    const replayed = cloneTo(phone, other.host);
    const page = await replayed.get("/cart");
    expect(textOf(page.text)).toContain("Your cart is empty.");
    expect(page.text).toContain('aria-label="Cart, 0 items"');
    expect(page.text).not.toContain("Motor Comprehensive");
    // Signing in over there moves nothing out of this agency's cart.
    const email = `${uniqueSlug("x")}@example.com`;
    const stranger = await createUser(other.id, { email });
    expect((await replayed.post("/login", { email, password: TEST_PASSWORD })).status).toBe(302);
    expect(await openCartOf(other.id, stranger.id)).toBeUndefined();
    const original = await ownerDb().selectFrom("carts").selectAll().where("id", "=", cartId).executeTakeFirstOrThrow();
    expect(original.status).toBe("open");
    expect(original.user_id).toBeNull();
    expect(await cartItems(cartId)).toHaveLength(1);
    // And a removal there cannot reach this cart's items.
    const [item] = await cartItems(cartId);
    expect((await cloneTo(phone, other.host).post("/cart", { intent: "remove", itemId: item!.id })).status).toBe(404);
  });
});

/**
 * /account/payment-methods over real HTTP (decision 029): the list, making a card the default,
 * turning "pay instalments automatically" on and off, removing a card after a confirmation that
 * names what it pays (which turns that off), the checkout checkbox and the sandbox page that
 * saves the card. Another customer's or another agency's ids answer 404 everywhere; bad input
 * (NUL bytes, huge strings, malformed ids) gets a clear 400 or 404, never a 500, and changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { keepSavedMethod } from "~/modules/payments/saved-methods.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { TWO_PRODUCTS, orderReadyForPayment, paymentsTenant, transactionRow } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

let agency: StoreTenant;
let otherAgency: StoreTenant;
let alice: { id: string; email: string };
let bob: { id: string; email: string };
let carol: { id: string; email: string };
let aliceBrowser: Browser;
let alicePolicy: PolicyFixture;
let bobPolicy: PolicyFixture;
const cards: Record<string, string> = {};

async function saveCard(tenantId: string, userId: string, last4: string) {
  return withTenant(tenantId, (db) =>
    keepSavedMethod(db, tenantId, {
      userId,
      provider: "sandbox",
      reusable: { reference: { card: last4 }, fingerprint: `sandbox:${last4}:12/2034`, brand: "visa", last4, expMonth: 12, expYear: 2034 },
    }),
  );
}

const methodRow = (id: string) => ownerDb().selectFrom("payment_methods").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const policyRow = (id: string) => ownerDb().selectFrom("policies").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

beforeAll(async () => {
  [agency, otherAgency] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  await withTenant(agency.id, (db) => ensureSandbox(db, agency.id));
  [alice, bob, carol] = await Promise.all([
    createUser(agency.id, { name: "Alice Account" }),
    createUser(agency.id, { name: "Bob Account" }),
    createUser(otherAgency.id, { name: "Carol Account" }),
  ]);
  [alicePolicy, bobPolicy] = await Promise.all([
    insertPolicy(agency.id, alice.id, { instalments: ["paid", "due", "scheduled"], instalmentMinor: 250_000 }),
    insertPolicy(agency.id, bob.id, { instalments: ["paid", "scheduled"], instalmentMinor: 300_000 }),
  ]);
  cards.alice1 = await saveCard(agency.id, alice.id, "4242");
  cards.alice2 = await saveCard(agency.id, alice.id, "1881");
  cards.bob = await saveCard(agency.id, bob.id, "5556");
  cards.carol = await saveCard(otherAgency.id, carol.id, "4444");
  aliceBrowser = await signIn(hostOf(agency), alice.email);
});

describe("/account/payment-methods", () => {
  it("lists the customer's own cards only, with the default first, and the tab in the account's navigation", async () => {
    const page = await aliceBrowser.get("/account/payment-methods");
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Visa •••• 4242 · expires 12/34 Default");
    expect(text).toContain("Visa •••• 1881");
    expect(text).not.toContain("5556");
    expect(text).toContain(alicePolicy.policyNumber!);
    expect(text).not.toContain(bobPolicy.policyNumber!);
    expect(page.text).toContain('href="/account/payment-methods"');
    expect((await aliceBrowser.get("/account")).text).toContain('href="/account/payment-methods"');

    const anonymous = await new (aliceBrowser.constructor as typeof Browser)(hostOf(agency)).get("/account/payment-methods");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
  });

  it("makes another card the default and turns auto-debit on and off for a policy", async () => {
    const made = await aliceBrowser.post("/account/payment-methods", { intent: "default", methodId: cards.alice2! });
    expect(made).toMatchObject({ status: 302, location: "/account/payment-methods?done=default" });
    expect(await methodRow(cards.alice2!)).toMatchObject({ is_default: true });
    expect(await methodRow(cards.alice1!)).toMatchObject({ is_default: false });
    expect(textOf((await aliceBrowser.get(made.location!)).text)).toContain("Your default card is changed.");

    const on = await aliceBrowser.post("/account/payment-methods", {
      intent: "autodebit",
      policyId: alicePolicy.policyId,
      methodId: cards.alice1!,
    });
    expect(on).toMatchObject({ status: 302, location: "/account/payment-methods?done=autodebit_on" });
    expect((await policyRow(alicePolicy.policyId)).autodebit_method_id).toBe(cards.alice1);
    const off = await aliceBrowser.post("/account/payment-methods", { intent: "autodebit", policyId: alicePolicy.policyId, methodId: "" });
    expect(off.location).toBe("/account/payment-methods?done=autodebit_off");
    expect((await policyRow(alicePolicy.policyId)).autodebit_method_id).toBeNull();
  });

  it("removing a card asks first, names the policy it pays, and turns that policy's auto-debit off", async () => {
    const card = await saveCard(agency.id, alice.id, "7777");
    await aliceBrowser.post("/account/payment-methods", { intent: "autodebit", policyId: alicePolicy.policyId, methodId: card });
    const confirm = await aliceBrowser.get(`/account/payment-methods/${card}/remove`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.text)).toContain("Remove Visa •••• 7777?");
    expect(textOf(confirm.text)).toContain(`It pays these policies automatically`);
    expect(textOf(confirm.text)).toContain(alicePolicy.policyNumber!);
    // Looking is not removing.
    expect(await methodRow(card)).toMatchObject({ removed_at: null });

    const removed = await aliceBrowser.post(`/account/payment-methods/${card}/remove`, {});
    expect(removed).toMatchObject({ status: 302, location: "/account/payment-methods?done=removed&off=1" });
    expect((await methodRow(card)).removed_at).not.toBeNull();
    expect((await policyRow(alicePolicy.policyId)).autodebit_method_id).toBeNull();
    const after = textOf((await aliceBrowser.get(removed.location!)).text);
    expect(after).toContain("The card was removed.");
    expect(after).toContain("It paid a policy automatically: that is now off.");
    expect(after).not.toContain("7777");
    // Removed once: gone for every route.
    expect((await aliceBrowser.post(`/account/payment-methods/${card}/remove`, {})).status).toBe(404);
    expect((await aliceBrowser.get(`/account/payment-methods/${card}/remove`)).status).toBe(404);
  });

  it("another customer's or another agency's card or policy answers 404 on every route, and is left as it was", async () => {
    const before = await Promise.all([methodRow(cards.bob!), methodRow(cards.carol!), policyRow(bobPolicy.policyId)]);
    for (const foreign of [cards.bob!, cards.carol!, "00000000-0000-4000-8000-000000000000"]) {
      expect((await aliceBrowser.get(`/account/payment-methods/${foreign}/remove`)).status).toBe(404);
      expect((await aliceBrowser.post(`/account/payment-methods/${foreign}/remove`, {})).status).toBe(404);
      expect((await aliceBrowser.post("/account/payment-methods", { intent: "default", methodId: foreign })).status).toBe(404);
      expect(
        (await aliceBrowser.post("/account/payment-methods", { intent: "autodebit", policyId: alicePolicy.policyId, methodId: foreign }))
          .status,
      ).toBe(404);
    }
    expect(
      (await aliceBrowser.post("/account/payment-methods", { intent: "autodebit", policyId: bobPolicy.policyId, methodId: cards.alice1! }))
        .status,
    ).toBe(404);
    expect(
      (await aliceBrowser.post("/account/payment-methods", { intent: "autodebit", policyId: bobPolicy.policyId, methodId: "" })).status,
    ).toBe(404);
    expect(await Promise.all([methodRow(cards.bob!), methodRow(cards.carol!), policyRow(bobPolicy.policyId)])).toEqual(before);
  });

  it("bad input gets a clear answer, never a 500, and changes nothing", async () => {
    const before = await ownerDb().selectFrom("payment_methods").selectAll().where("user_id", "=", alice.id).orderBy("id").execute();
    for (const path of ["/account/payment-methods/not-a-uuid/remove", `/account/payment-methods/${cards.alice1}x/remove`]) {
      expect((await aliceBrowser.get(path)).status).toBe(404);
      expect((await aliceBrowser.post(path, {})).status).toBe(404);
    }
    const bad: Record<string, string>[] = [
      {},
      { intent: "default" },
      { intent: "default", methodId: `${cards.alice1}\u0000` },
      { intent: "default", methodId: "x".repeat(100_000) },
      { intent: "explode", methodId: cards.alice1! },
      { intent: "autodebit", policyId: "\u0000", methodId: "" },
      { intent: "autodebit", policyId: alicePolicy.policyId, methodId: "not-a-card" },
    ];
    for (const fields of bad) {
      const res = await aliceBrowser.post("/account/payment-methods", fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
    }
    const wrongCard = await aliceBrowser.post("/account/payment-methods", {
      intent: "autodebit",
      policyId: alicePolicy.policyId,
      methodId: "not-a-card",
    });
    expect(textOf(wrongCard.text)).toContain("Choose one of your saved cards, or Off.");
    expect(await ownerDb().selectFrom("payment_methods").selectAll().where("user_id", "=", alice.id).orderBy("id").execute()).toEqual(
      before,
    );
  });
});

describe("saving a card at checkout", () => {
  let tenant: TenantInfo;
  beforeAll(async () => {
    tenant = await paymentsTenant();
  });

  async function payAtCheckout(saveCard: boolean, cardNumber: string) {
    const user = await createUser(tenant.id, { name: "Checkout Customer" });
    const order = await orderReadyForPayment(tenant, user, { lines: [TWO_PRODUCTS[0]!], method: "card" });
    const browser = await signIn(hostOf(tenant), user.email);
    const page = await browser.get(`/checkout/${order.orderId}/pay`);
    expect(textOf(page.text)).toContain("Save this card for future payments");
    const paid = await browser.post(`/checkout/${order.orderId}/pay`, { method: "card", ...(saveCard ? { saveCard: "on" } : {}) });
    expect(paid.status).toBe(302);
    expect(paid.location).toMatch(/^\/sandbox\/pay\/sbx_/);
    const sandbox = await browser.get(paid.location!);
    expect(textOf(sandbox.text).includes("This card is saved for later payments")).toBe(saveCard);
    const approved = await browser.post(paid.location!, { choice: "approve", cardNumber, expiry: "12/34", cvc: "123" });
    expect(approved.status).toBe(302);
    const tx = await ownerDb().selectFrom("transactions").select("id").where("order_id", "=", order.orderId).executeTakeFirstOrThrow();
    await eventually(async () => (await transactionRow(tx.id)).status === "completed");
    return { user, transactionId: tx.id, browser };
  }

  it("keeps the card approved on the sandbox page only when the box was ticked, and shows it on the account page", async () => {
    const kept = await payAtCheckout(true, "4000 0000 0000 0341");
    expect(await transactionRow(kept.transactionId)).toMatchObject({ save_method: true });
    const methods = await ownerDb().selectFrom("payment_methods").selectAll().where("user_id", "=", kept.user.id).execute();
    expect(methods).toMatchObject([{ provider: "sandbox", last4: "0341", exp_month: 12, exp_year: 2034, is_default: true }]);
    expect(textOf((await kept.browser.get("/account/payment-methods")).text)).toContain("Visa •••• 0341");

    const notKept = await payAtCheckout(false, "4242 4242 4242 4242");
    expect(await transactionRow(notKept.transactionId)).toMatchObject({ save_method: false });
    expect(await ownerDb().selectFrom("payment_methods").select("id").where("user_id", "=", notKept.user.id).execute()).toEqual([]);
  });
});

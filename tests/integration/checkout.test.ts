import { beforeAll, describe, expect, it } from "vitest";
import { applyRate, formatMoney } from "~/lib/money";
import { decryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import {
  BENEFICIARIES_OK,
  GOOD_KE_DETAILS,
  PDF,
  createCheckoutTenant,
  customerWithCart,
  fillCart,
  logbookField,
  orderItems,
  orderRow,
  postMultipart,
  startCheckout,
  type CheckoutTenant,
} from "./checkout-support";
import { eventually } from "../support/db";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { expireQuote } from "./quotes-support";

let ke: CheckoutTenant;
let my: CheckoutTenant;

beforeAll(async () => {
  [ke, my] = await Promise.all([createCheckoutTenant("KE"), createCheckoutTenant("MY")]);
});

// As textOf shows it: Intl may put a no-break space after the currency.
const money = (minor: number, currency = "KES", locale = "en-KE") => formatMoney(minor, currency, locale).replace(/\s+/g, " ");
const details = (orderId: string) => `/checkout/${orderId}/details`;

/** Step 1 done for an order without documents or beneficiaries. */
async function passDetails(browser: Browser, orderId: string, extra: Record<string, string> = {}) {
  const res = await browser.post(details(orderId), { ...GOOD_KE_DETAILS, ...extra });
  expect(res.status, textOf(res.text).slice(0, 600)).toBe(302);
  expect(res.location).toBe(`/checkout/${orderId}/plan`);
}

async function passPlan(browser: Browser, orderId: string, fields: Record<string, string> = {}) {
  const items = await orderItems(orderId);
  const form: Record<string, string> = { method: "mpesa", phone: "0712345678", ...fields };
  items.forEach((item, i) => {
    form[`items[${i}].itemId`] ??= item.id;
    form[`items[${i}].frequency`] ??= item.frequency;
  });
  const res = await browser.post(`/checkout/${orderId}/plan`, form);
  expect(res.status, textOf(res.text).slice(0, 600)).toBe(302);
  expect(res.location).toBe(`/checkout/${orderId}/review`);
}

describe("signing in", () => {
  it("sends visitors to sign in, and back where they were", async () => {
    const visitor = new Browser(ke.host);
    const id = "00000000-0000-4000-8000-000000000000";
    for (const path of ["/checkout", `/checkout/${id}/details`, `/checkout/${id}/review`, `/checkout/${id}/pay`, `/orders/${id}`]) {
      const res = await visitor.get(path);
      expect(res.status, path).toBe(302);
      expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
    // The cart's button posts here: sign in first (the cart follows), then check out from the cart.
    const post = await visitor.post("/checkout", {});
    expect(post.location).toBe(`/login?redirectTo=${encodeURIComponent("/cart")}`);
    expect(textOf((await visitor.get("/cart")).text)).not.toContain("Checkout");
  });
});

describe("starting checkout", () => {
  it("turns the cart into one draft order, and resumes it on a second checkout (even racing)", async () => {
    const { browser, user, quoteIds } = await customerWithCart(ke, ["home-cover", "term-life"]);
    const cartPage = await browser.get("/cart");
    expect(cartPage.text).toMatch(/<form[^>]*action="\/checkout"/);

    const [a, b] = await Promise.all([startCheckout(browser), startCheckout(browser)]);
    expect(a.orderId).toBe(b.orderId);
    expect(a.res.location).toBe(details(a.orderId));
    const again = await startCheckout(browser);
    expect(again.orderId).toBe(a.orderId);

    const orders = await ownerDb().selectFrom("orders").selectAll().where("tenant_id", "=", ke.id).where("user_id", "=", user.id).execute();
    expect(orders).toHaveLength(1);
    expect(orders[0]!.status).toBe("draft");
    expect(orders[0]!.reference).toMatch(/^TST-ORD-\d{4}-\d{6}$/);
    expect(orders[0]!.holder).toMatchObject({ email: user.email });
    expect((await orderItems(a.orderId)).map((i) => i.quote_id).sort()).toEqual([...quoteIds].sort());
    // GET /checkout resumes the draft.
    expect((await browser.get("/checkout")).location).toBe(details(a.orderId));
  });

  it("sends a customer with an empty cart back to the cart with a message", async () => {
    const user = await createUser(ke.id);
    const browser = await signIn(ke.host, user.email);
    const res = await browser.post("/checkout", {});
    expect(res.location).toBe("/cart?notice=empty");
    expect(textOf((await browser.get(res.location!)).text)).toContain("There is nothing in your cart to check out");
    expect((await browser.get("/checkout")).location).toBe("/cart?notice=no-checkout");
  });

  it("follows the cart while a draft: an item added later joins the order", async () => {
    const { browser, user } = await customerWithCart(ke, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    await fillCart(ke, user.id, ["travel-cover"]);
    const page = textOf((await browser.get(details(orderId))).text);
    expect(page).toContain("Your cart changed since you started checking out");
    expect(await orderItems(orderId)).toHaveLength(2);
  });
});

describe("step 1: details", () => {
  it("refuses bad input field by field and keeps what was typed", async () => {
    const { browser, user } = await customerWithCart(ke, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    const res = await browser.post(details(orderId), {
      ...GOOD_KE_DETAILS,
      email: "not-an-email",
      address: "Kilimani Road 7",
      "identifiers.national_id": "12AB",
      "identifiers.kra_pin": "123456789",
      dateOfBirth: "2020-02-30",
    });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Enter a valid email");
    expect(text).toContain("A national ID number has only digits.");
    expect(text).toContain("A KRA PIN looks like A123456789Z");
    expect(text).toContain("Enter a real date");
    // Nothing lost: the values come back in the fields.
    expect(res.text).toContain('value="Wanjiru Kamau"');
    expect(res.text).toContain(">Kilimani Road 7</textarea>");
    expect(res.text).toContain('value="not-an-email"');
    // And nothing saved.
    const order = await orderRow(orderId);
    expect(order.holder).toMatchObject({ email: user.email });
    expect(order.step).toBe("details");
    expect(await ownerDb().selectFrom("personal_identifiers").select("id").where("order_id", "=", orderId).execute()).toHaveLength(0);

    const short = await browser.post(details(orderId), { ...GOOD_KE_DETAILS, "identifiers.national_id": "123456" });
    expect(textOf(short.text)).toContain("A national ID number has 7 or 8 digits.");
    const young = await browser.post(details(orderId), { ...GOOD_KE_DETAILS, dateOfBirth: `${new Date().getFullYear() - 10}-01-01` });
    expect(textOf(young.text)).toContain("must be at least 18");
  });

  it("stores identifiers encrypted, shows them only masked, and keeps them when left empty", async () => {
    const { browser } = await customerWithCart(ke, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    await passDetails(browser, orderId);

    const rows = await ownerDb().selectFrom("personal_identifiers").selectAll().where("order_id", "=", orderId).orderBy("kind").execute();
    expect(rows.map((r) => r.kind)).toEqual(["kra_pin", "national_id"]);
    const key = piiKeysFromEnv();
    for (const row of rows) {
      expect(row.ciphertext).not.toContain("12345678");
      expect(row.ciphertext).not.toContain("A123456789Z");
      expect(row.ciphertext).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(row.blind_index).toMatch(/^[0-9a-f]{64}$/);
    }
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(decryptPii(byKind.national_id!.ciphertext, { key, context: piiContext(ke.id, "national_id") })).toBe("12345678");
    expect(decryptPii(byKind.kra_pin!.ciphertext, { key, context: piiContext(ke.id, "kra_pin") })).toBe("A123456789Z");
    expect(byKind.national_id!.masked).toBe("****5678");

    // Back on the page (and in its data), only the masks: never the numbers.
    const page = await browser.get(details(orderId));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("12345678");
    expect(page.text).not.toContain("A123456789Z");
    expect(textOf(page.text)).toContain("Saved as ****5678");
    const review = await browser.get(`/checkout/${orderId}/plan`);
    expect(review.status).toBe(200);

    // Saving again with the identifier fields empty keeps them.
    await passDetails(browser, orderId, { "identifiers.national_id": "", "identifiers.kra_pin": "" });
    expect(await ownerDb().selectFrom("personal_identifiers").select("id").where("order_id", "=", orderId).execute()).toHaveLength(2);
  });

  it("asks for beneficiaries whose shares add up to exactly 100%", async () => {
    const { browser } = await customerWithCart(ke, ["term-life"]);
    const { orderId } = await startCheckout(browser);
    const none = await browser.post(details(orderId), GOOD_KE_DETAILS);
    expect(textOf(none.text)).toContain("Name at least one beneficiary.");
    const short = await browser.post(details(orderId), { ...GOOD_KE_DETAILS, ...BENEFICIARIES_OK, "beneficiaries[1].share": "30" });
    expect(short.status).toBe(400);
    expect(textOf(short.text)).toContain("The shares add up to 90%; they must add up to exactly 100%.");
    expect(short.text).toContain('value="Baraka Kamau"');
    const incomplete = await browser.post(details(orderId), {
      ...GOOD_KE_DETAILS,
      ...BENEFICIARIES_OK,
      "beneficiaries[1].relationship": "",
    });
    expect(textOf(incomplete.text)).toContain("Choose how they are related to you");
    expect(await ownerDb().selectFrom("beneficiaries").select("id").where("order_id", "=", orderId).execute()).toHaveLength(0);

    await passDetails(browser, orderId, { ...BENEFICIARIES_OK, "beneficiaries[0].share": "59.5", "beneficiaries[1].share": "40.5" });
    const saved = await ownerDb().selectFrom("beneficiaries").selectAll().where("order_id", "=", orderId).orderBy("position").execute();
    expect(saved.map((b) => [b.name, b.relationship, b.share_bp])).toEqual([
      ["Amani Kamau", "child", 5950],
      ["Baraka Kamau", "spouse", 4050],
    ]);
  });

  it("takes a PDF, JPEG or PNG logbook up to 5 MB, and a new upload replaces the old one", async () => {
    const { browser } = await customerWithCart(ke, ["motor-comprehensive"]);
    const { orderId } = await startCheckout(browser);
    const field = await logbookField(orderId);

    const missing = await postMultipart(browser, details(orderId), GOOD_KE_DETAILS, []);
    expect(missing.status).toBe(400);
    expect(textOf(missing.text)).toContain("Upload the vehicle logbook for Motor Comprehensive.");

    const text = await postMultipart(browser, details(orderId), GOOD_KE_DETAILS, [
      // Named .pdf and sent as a PDF: the bytes say otherwise.
      { name: field, filename: "logbook.pdf", type: "application/pdf", content: Buffer.from("just some text, not a PDF") },
    ]);
    expect(text.status).toBe(400);
    expect(textOf(text.text)).toContain("Upload a PDF, JPEG or PNG file.");

    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    const tooBig = await postMultipart(browser, details(orderId), GOOD_KE_DETAILS, [
      { name: field, filename: "logbook.pdf", type: "application/pdf", content: big },
    ]);
    expect(tooBig.status).toBe(400);
    expect(textOf(tooBig.text)).toContain("The file is larger than 5 MB.");
    expect(await ownerDb().selectFrom("uploads").select("id").where("order_id", "=", orderId).execute()).toHaveLength(0);

    const ok = await postMultipart(browser, details(orderId), GOOD_KE_DETAILS, [
      { name: field, filename: "logbook.pdf", type: "application/pdf", content: PDF },
    ]);
    expect(ok.status, textOf(ok.text).slice(0, 500)).toBe(302);
    const first = await ownerDb().selectFrom("uploads").selectAll().where("order_id", "=", orderId).executeTakeFirstOrThrow();
    expect(first).toMatchObject({ requirement: field, filename: "logbook.pdf", content_type: "application/pdf", size_bytes: PDF.length });
    expect(first.file_key.startsWith(`${ke.id}/kyc/`)).toBe(true);
    const { fileStore } = await import("~/modules/files/storage.server");
    expect((await fileStore().get(first.file_key))?.body.equals(PDF)).toBe(true);
    expect(textOf((await browser.get(details(orderId))).text)).toContain("Uploaded: logbook.pdf");

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const again = await postMultipart(browser, details(orderId), GOOD_KE_DETAILS, [
      { name: field, filename: "photo.png", type: "image/png", content: png },
    ]);
    expect(again.status).toBe(302);
    const rows = await ownerDb().selectFrom("uploads").selectAll().where("order_id", "=", orderId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ filename: "photo.png", content_type: "image/png" });
    expect(await fileStore().get(first.file_key)).toBeNull();
  });

  it("checks a MyKad (NRIC) number for a Malaysian agency, against the date of birth", async () => {
    const { browser } = await customerWithCart(my, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    const base = { ...GOOD_KE_DETAILS, phone: "+60 12-345 6789", address: "Jalan Ampang 1, Kuala Lumpur" };
    delete (base as Record<string, string>)["identifiers.national_id"];
    delete (base as Record<string, string>)["identifiers.kra_pin"];

    const form = textOf((await browser.get(details(orderId))).text);
    expect(form).toContain("MyKad (NRIC) number");
    expect(form).not.toContain("KRA PIN");
    const bad = await browser.post(details(orderId), { ...base, "identifiers.nric": "85041210123" });
    expect(textOf(bad.text)).toContain("A MyKad number has 12 digits");
    const place = await browser.post(details(orderId), { ...base, "identifiers.nric": "850412-00-1234" });
    expect(textOf(place.text)).toContain("not a valid place-of-birth code");
    const mismatch = await browser.post(details(orderId), { ...base, "identifiers.nric": "900101-14-1234" });
    expect(textOf(mismatch.text)).toContain("does not match the date of birth");

    const ok = await browser.post(details(orderId), { ...base, "identifiers.nric": "850412-10-1234" });
    expect(ok.status, textOf(ok.text).slice(0, 400)).toBe(302);
    const row = await ownerDb().selectFrom("personal_identifiers").selectAll().where("order_id", "=", orderId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: "nric", masked: "******-**-1234" });
    expect(row.ciphertext).not.toContain("850412");
    const page = await browser.get(details(orderId));
    expect(page.text).not.toContain("850412");
    expect(textOf(page.text)).toContain("******-**-1234");
  });
});

describe("steps 2 and 3: plan and review", () => {
  it("re-prices a new frequency, checks the M-Pesa phone, and shows the server's amounts", async () => {
    const { browser } = await customerWithCart(ke, ["home-cover", "term-life", "travel-cover"]);
    const { orderId } = await startCheckout(browser);
    // Steps not reached yet send the customer back to the furthest one.
    expect((await browser.get(`/checkout/${orderId}/review`)).location).toBe(details(orderId));
    await passDetails(browser, orderId, BENEFICIARIES_OK);

    const items = await orderItems(orderId);
    const index = (slug: string) => items.findIndex((i) => i.slug === slug);
    const planForm = (frequencies: Record<string, string>, extra: Record<string, string>) => {
      const form: Record<string, string> = { method: "mpesa", phone: "0712345678", ...extra };
      items.forEach((item, i) => {
        form[`items[${i}].itemId`] = item.id;
        form[`items[${i}].frequency`] = frequencies[item.slug] ?? "annual";
      });
      return form;
    };
    const badPhone = await browser.post(`/checkout/${orderId}/plan`, planForm({ "term-life": "monthly" }, { phone: "020 123 4567" }));
    expect(badPhone.status).toBe(400);
    expect(textOf(badPhone.text)).toContain("Enter a Kenyan mobile number");
    expect(badPhone.text).toContain('value="020 123 4567"');

    // Home cover is sold annually only: another frequency is refused.
    const notOffered = await browser.post(`/checkout/${orderId}/plan`, planForm({ "home-cover": "monthly" }, {}));
    expect(notOffered.status).toBe(400);
    expect(textOf(notOffered.text)).toContain("Home Cover cannot be paid that way.");

    const life = index("term-life");
    await passPlan(browser, orderId, { [`items[${life}].frequency`]: "monthly" });
    const after = await orderItems(orderId);
    expect(after[life]!.id).toBe(items[life]!.id);
    expect(after[life]!.quote_id).not.toBe(items[life]!.quote_id);
    expect(after[life]!.frequency).toBe("monthly");
    expect(after[index("home-cover")]!.quote_id).toBe(items[index("home-cover")]!.quote_id);
    // The cart follows: it holds the new quote in the old one's place.
    const cartQuotes = await ownerDb()
      .selectFrom("cart_items")
      .innerJoin("orders", "orders.cart_id", "cart_items.cart_id")
      .select("cart_items.quote_id")
      .where("orders.id", "=", orderId)
      .execute();
    expect(cartQuotes.map((c) => c.quote_id).sort()).toEqual(after.map((i) => i.quote_id).sort());
    const order = await orderRow(orderId);
    expect(order).toMatchObject({ payment_method: "mpesa", payment_phone: "254712345678", step: "review" });

    // Expected figures from the saved quotes: three categories, the 7.5% bundle on base premiums.
    type Breakdown = { frequencies: { frequency: string; annualEquivalent: number; firstInstalmentAmount: number }[] };
    const payable = after.map((i) => (i.breakdown as Breakdown).frequencies.find((f) => f.frequency === i.frequency)!);
    const discount = applyRate(
      after.reduce((s, i) => s + i.premium_minor, 0),
      750,
    );
    const yearTotal = payable.reduce((s, p) => s + p.annualEquivalent, 0) - discount;
    const review = await browser.get(`/checkout/${orderId}/review`);
    const text = textOf(review.text);
    expect(text).toContain("Complete cover discount (7.5%)");
    expect(text).toContain(`−${money(discount)}`);
    expect(text).toContain(`Total over the first year ${money(yearTotal)}`);
    expect(text).toContain("****5678");
    expect(text).toContain("Amani Kamau (Child): 60%");
    expect(text).toMatch(/Term Life Mlima Assurance Monthly Ksh [\d,.]+ 11 × Ksh [\d,.]+/);
  });

  it("accepts the terms only when ticked and only for the amounts shown; a tampered amount changes nothing", async () => {
    const { browser } = await customerWithCart(ke, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    await passDetails(browser, orderId);
    await passPlan(browser, orderId);
    const reviewPage = await browser.get(`/checkout/${orderId}/review`);
    const version = /name="version" value="([0-9a-f]+)"/.exec(reviewPage.text)![1]!;
    // Paying before accepting the terms goes back to the review.
    expect((await browser.get(`/checkout/${orderId}/pay`)).location).toBe(`/checkout/${orderId}/review`);

    const unticked = await browser.post(`/checkout/${orderId}/review`, { version });
    expect(unticked.status).toBe(400);
    expect(textOf(unticked.text)).toContain("Accept the terms to continue");
    const stale = await browser.post(`/checkout/${orderId}/review`, { version: "0".repeat(32), acceptTerms: "on" });
    expect(stale.status).toBe(409);
    expect(textOf(stale.text)).toContain("Your order changed while this page was open");

    const accepted = await browser.post(`/checkout/${orderId}/review`, { version, acceptTerms: "on", amount: "1", dueNowMinor: "1" });
    expect(accepted.location).toBe(`/checkout/${orderId}/pay`);
    const order = await orderRow(orderId);
    expect(order.terms_accepted_at).not.toBeNull();
    expect(order.step).toBe("payment");
    // Resuming brings the customer to the furthest step.
    expect((await browser.get("/checkout")).location).toBe(`/checkout/${orderId}/pay`);

    const [item] = await orderItems(orderId);
    const annual = (item!.breakdown as { total: number }).total;
    const payPage = textOf((await browser.get(`/checkout/${orderId}/pay`)).text);
    expect(payPage).toContain(money(annual));
    // M-Pesa takes whole shillings: with cents, the page says what M-Pesa takes and the button names no amount.
    if (annual % 100 !== 0) {
      expect(payPage).toContain(`By M-Pesa ${money(annual - (annual % 100))}`);
      expect(payPage).toContain("Pay now");
    } else expect(payPage).toContain(`Pay ${money(annual)}`);
    // The amount fields are ignored: the server charges what it works out.
    const pay = await browser.post(`/checkout/${orderId}/pay`, { method: "mpesa", phone: "0712345678", amount: "100", amountMinor: "100" });
    expect(pay.status, textOf(pay.text).slice(0, 400)).toBe(302);
    const tx = await ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", orderId).executeTakeFirstOrThrow();
    // M-Pesa moves whole shillings: the cents, if any, are waived (never added).
    expect(tx.amount_minor).toBe(annual - (annual % 100));
    expect(tx.status).toBe("pending");
  });

  it("re-prices an expired quote on entering review, and asks for acceptance again", async () => {
    const { browser, quoteIds } = await customerWithCart(ke, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    await passDetails(browser, orderId);
    await passPlan(browser, orderId);
    await expireQuote(quoteIds[0]!);
    const review = await browser.get(`/checkout/${orderId}/review`);
    expect(review.status).toBe(200);
    expect(textOf(review.text)).toContain("had expired, so it was priced again with the same details");
    const [item] = await orderItems(orderId);
    expect(item!.quote_id).not.toBe(quoteIds[0]);
  });
});

describe("payment status and the order page", () => {
  it("shows a pending payment with a refresh fallback, and only to its owner", async () => {
    const { browser, user } = await customerWithCart(ke, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    await passDetails(browser, orderId);
    await passPlan(browser, orderId);
    const version = /name="version" value="([0-9a-f]+)"/.exec((await browser.get(`/checkout/${orderId}/review`)).text)![1]!;
    await browser.post(`/checkout/${orderId}/review`, { version, acceptTerms: "on" });
    await browser.post(`/checkout/${orderId}/pay`, { method: "mpesa", phone: "0712345678" });
    const tx = await ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", orderId).executeTakeFirstOrThrow();

    const status = await browser.get(`/checkout/${orderId}/pay/${tx.id}`);
    expect(status.status).toBe(200);
    expect(textOf(status.text)).toContain("Waiting for your payment");
    expect(status.text).toContain('http-equiv="refresh"');
    const check = await browser.post(`/checkout/${orderId}/pay/${tx.id}`, {});
    expect(check.location).toBe(`/checkout/${orderId}/pay/${tx.id}`);
    // While the payment is in flight the plan (and so the amount) cannot change.
    const [item] = await orderItems(orderId);
    const replan = await browser.post(`/checkout/${orderId}/plan`, {
      "items[0].itemId": item!.id,
      "items[0].frequency": "annual",
      method: "mpesa",
      phone: "0712345678",
    });
    expect(replan.status).toBe(400);
    expect(textOf(replan.text)).toContain("A payment for this order is in progress");
    expect(textOf((await browser.get(`/checkout/${orderId}/pay`)).text)).toContain("A payment is already in progress");

    const order = textOf((await browser.get(`/orders/${orderId}`)).text);
    expect(order).toContain("This order is not paid yet");
    expect(order).toContain(`Order ${(await orderRow(orderId)).reference}`);

    // Another customer of the same agency sees none of it.
    const other = await createUser(ke.id);
    const stranger = await signIn(ke.host, other.email);
    for (const path of [
      details(orderId),
      `/checkout/${orderId}/plan`,
      `/checkout/${orderId}/review`,
      `/checkout/${orderId}/pay`,
      `/checkout/${orderId}/pay/${tx.id}`,
      `/orders/${orderId}`,
    ]) {
      expect((await stranger.get(path)).status, path).toBe(404);
    }
    expect((await stranger.post(details(orderId), GOOD_KE_DETAILS)).status).toBe(404);
    expect((await stranger.get("/checkout/not-a-uuid/details")).status).toBe(404);
    expect((await orderRow(orderId)).user_id).toBe(user.id);
  });
});

/** Details, plan, terms and "Pay": returns the sandbox reference the customer is sent to. */
async function payOrder(browser: Browser, orderId: string, extraDetails: Record<string, string> = {}, plan: Record<string, string> = {}) {
  await passDetails(browser, orderId, extraDetails);
  await passPlan(browser, orderId, plan);
  const version = /name="version" value="([0-9a-f]+)"/.exec((await browser.get(`/checkout/${orderId}/review`)).text)![1]!;
  expect((await browser.post(`/checkout/${orderId}/review`, { version, acceptTerms: "on" })).status).toBe(302);
  const pay = await browser.post(`/checkout/${orderId}/pay`, { method: plan.method ?? "mpesa", phone: "0712345678" });
  const ref = /^\/sandbox\/pay\/(sbx_[0-9a-f]+)$/.exec(pay.location ?? "")?.[1];
  expect(ref, `${pay.status} ${pay.location} ${textOf(pay.text).slice(0, 300)}`).toBeTruthy();
  const tx = await ownerDb()
    .selectFrom("transactions")
    .selectAll()
    .where("order_id", "=", orderId)
    .where("provider_ref", "=", ref!)
    .executeTakeFirstOrThrow();
  return { ref: ref!, tx };
}

describe("the order page", () => {
  it("says the policies are being issued until the job has made them, and refreshes itself", async () => {
    const { browser } = await customerWithCart(ke, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    // As if paid a moment ago, before the issuance job ran.
    await ownerDb().updateTable("orders").set({ status: "paid", paid_at: new Date() }).where("id", "=", orderId).execute();
    const page = await browser.get(`/orders/${orderId}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Being issued…");
    expect(textOf(page.text)).toContain("Your policies are being issued");
    expect(page.text).toContain('http-equiv="refresh"');
    expect((await browser.get("/orders/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe("the outcome", () => {
  it("a declined payment offers a new attempt; an approved one leads to the order and its policies", async () => {
    const { browser } = await customerWithCart(ke, ["home-cover", "term-life"]);
    const { orderId } = await startCheckout(browser);
    const first = await payOrder(browser, orderId, BENEFICIARIES_OK);
    expect(await playSandboxChoice(ke, first.ref, "decline")).toMatchObject({ ok: true });
    await eventually(
      async () =>
        (await ownerDb().selectFrom("transactions").select("status").where("id", "=", first.tx.id).executeTakeFirst())?.status !==
        "pending",
    );
    const failed = await browser.get(`/checkout/${orderId}/pay/${first.tx.id}`);
    expect(failed.status).toBe(200);
    const failedText = textOf(failed.text);
    expect(failedText).toContain("did not go through");
    expect(failed.text).toMatch(new RegExp(`<form[^>]*action="/checkout/${orderId}/pay"`));
    expect(failedText).toContain("Try again");

    // "Try again": a new attempt for the same amount.
    const retry = await browser.post(`/checkout/${orderId}/pay`, { method: "mpesa", phone: "+254 712 345 678" });
    const ref = /sbx_[0-9a-f]+/.exec(retry.location ?? "")?.[0];
    expect(ref).toBeTruthy();
    expect(ref).not.toBe(first.ref);
    const second = await ownerDb().selectFrom("transactions").selectAll().where("provider_ref", "=", ref!).executeTakeFirstOrThrow();
    expect(second.amount_minor).toBe(first.tx.amount_minor);
    expect(await playSandboxChoice(ke, ref!, "approve")).toMatchObject({ ok: true });

    await eventually(async () => (await orderRow(orderId)).status === "paid", 20_000);
    // The status page now sends the customer to the order.
    expect((await browser.get(`/checkout/${orderId}/pay/${second.id}`)).location).toBe(`/orders/${orderId}`);
    // Checkout pages of a paid order do too.
    expect((await browser.get(details(orderId))).location).toBe(`/orders/${orderId}`);

    const policies = await eventually(async () => {
      const rows = await ownerDb().selectFrom("policies").selectAll().where("order_id", "=", orderId).execute();
      return rows.length === 2 && rows.every((p) => p.policy_number) ? rows : null;
    }, 30_000);
    const page = await browser.get(`/orders/${orderId}`);
    const text = textOf(page.text);
    expect(text).toContain("Thank you: your order is paid");
    expect(text).toContain(money(second.amount_minor));
    for (const policy of policies) {
      expect(text).toContain(policy.policy_number!);
      expect(page.text).toContain(`href="/account/policies/${policy.id}"`);
    }
    expect(text).not.toContain("Being issued");
    expect(page.text).toContain('href="/account/policies"');
  });
});

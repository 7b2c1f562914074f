import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { textOf } from "./accounts-support";
import {
  GOOD_KE_DETAILS,
  createCheckoutTenant,
  customerWithCart,
  orderItems,
  startCheckout,
  type CheckoutTenant,
} from "./checkout-support";

/**
 * Buying in the customer's language (issue 14 item 7, decision 037): a Bowman-like agency's
 * customer in Swahili through the quote, the comparison, every checkout step, the payment's status,
 * the sandbox's stand-in phone and the order page; a KHHoldings-like one in Malay. English words of
 * the same pages must not show through.
 */
let ke: CheckoutTenant;
let my: CheckoutTenant;

async function speaking(tenant: CheckoutTenant, languages: Language[]) {
  await ownerDb().updateTable("tenants").set({ languages }).where("id", "=", tenant.id).execute();
}

beforeAll(async () => {
  [ke, my] = await Promise.all([createCheckoutTenant("KE"), createCheckoutTenant("MY")]);
  await Promise.all([speaking(ke, ["en", "sw"]), speaking(my, ["en", "ms"])]);
});

/** The `lng` cookie as the switcher writes it (a Remix cookie: JSON, base64, URL-encoded). */
const lng = (language: Language) => encodeURIComponent(Buffer.from(JSON.stringify(language)).toString("base64"));

async function page(browser: Browser, path: string) {
  const res = await browser.get(path);
  expect(res.status, `${path}: ${textOf(res.text).slice(0, 300)}`).toBe(200);
  return { text: textOf(res.text), html: res.text };
}

function says(text: string, present: string[], absent: string[]) {
  for (const words of present) expect(text).toContain(words);
  for (const words of absent) expect(text).not.toContain(words);
}

describe("checkout in Swahili", () => {
  it("walks a customer through quote, compare, details, plan, review, payment and the order page in Swahili", async () => {
    const { browser, quoteIds } = await customerWithCart(ke, ["home-cover"]);
    browser.cookies.set("lng", lng("sw"));

    const quote = await page(browser, `/quotes/${quoteIds[0]}`);
    says(quote.text, ["Bei yako", "Njia za kulipa", "Iko kwenye kikapu chako: tazama kikapu"], ["Your price", "Ways to pay"]);
    expect(quote.html).toMatch(/<title>Makadirio [^<]*·/);

    const quoteForm = await page(browser, "/products/home-cover/quote");
    says(quoteForm.text, ["Pata makadirio ya bei:", "Bei yako hukokotolewa unapotuma."], ["Get a quote:", "Insured by"]);

    const compare = await page(browser, "/compare?p=home-cover&p=term-life");
    says(
      compare.text,
      ["Linganisha bima", "Muhtasari", "Bei ya kuanzia", "Tathmini ya hatari inahitajika", "Pakua PDF"],
      ["Compare insurance", "Starting price", "Download PDF"],
    );

    const { orderId } = await startCheckout(browser);
    const details = await page(browser, `/checkout/${orderId}/details`);
    says(
      details.text,
      ["Taarifa zako", "Mwenye sera", "Jina kamili", "Nambari ya kitambulisho cha taifa", "Hifadhi na uendelee"],
      ["Policyholder", "Full name", "Save and continue", "National ID number"],
    );
    expect(details.html).toContain("<title>Malipo: taarifa zako ·");

    // A refused step answers in Swahili too, and keeps what was typed.
    const refused = await browser.post(`/checkout/${orderId}/details`, { ...GOOD_KE_DETAILS, name: "", dateOfBirth: "2020-01-01" });
    expect(refused.status).toBe(400);
    says(
      textOf(refused.text),
      ["Angalia sehemu zilizoangaziwa.", "Weka jina kamili la mwenye sera", "Mwenye sera lazima awe na umri wa angalau miaka 18"],
      ["Check the highlighted fields.", "must be at least 18"],
    );
    expect((await browser.post(`/checkout/${orderId}/details`, GOOD_KE_DETAILS)).status).toBe(302);

    const plan = await page(browser, `/checkout/${orderId}/plan`);
    says(
      plan.text,
      ["Mpango wa malipo", "Ungependa kulipa vipi?", "Lipa yote kwa mara moja", "Nambari ya simu ya M-Pesa", "Endelea kukagua"],
      ["How would you like to pay?", "Pay in full", "Continue to review"],
    );
    const [item] = await orderItems(orderId);
    const planned = await browser.post(`/checkout/${orderId}/plan`, {
      "items[0].itemId": item!.id,
      "items[0].frequency": item!.frequency,
      method: "mpesa",
      phone: "0712345678",
    });
    expect(planned.status).toBe(302);

    const review = await page(browser, `/checkout/${orderId}/review`);
    says(
      review.text,
      ["Kagua agizo lako", "Unacholipa", "Inalipwa sasa", "Badilisha taarifa zako", "Kubali na uendelee kulipa", "M-Pesa kutoka"],
      ["What you pay", "Due now", "Change your details", "Accept and continue to payment"],
    );
    const version = /name="version" value="([0-9a-f]+)"/.exec(review.html)![1]!;
    expect((await browser.post(`/checkout/${orderId}/review`, { version, acceptTerms: "on" })).status).toBe(302);

    const pay = await page(browser, `/checkout/${orderId}/pay`);
    says(pay.text, ["Lipa kwa", "Rudi kwenye ukaguzi"], ["Pay with", "Back to the review"]);
    const paying = await browser.post(`/checkout/${orderId}/pay`, { method: "mpesa", phone: "0712345678" });
    expect(paying.status).toBe(302);
    const tx = await ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", orderId).executeTakeFirstOrThrow();

    const status = await page(browser, `/checkout/${orderId}/pay/${tx.id}`);
    says(status.text, ["Tunasubiri malipo yako", "Angalia tena", "Lipa kwa njia nyingine"], ["Waiting for your payment", "Check again"]);

    // The sandbox stands in for the customer's phone, in Swahili.
    const sandbox = await page(browser, `/sandbox/pay/${tx.provider_ref}`);
    says(
      sandbox.text,
      ["Majaribio — hakuna pesa halisi.", "Ombi la malipo la M-Pesa", "PIN ya M-Pesa", "Idhinisha"],
      ["no real money", "Approve", "Let it time out"],
    );
    const wrongPin = await browser.post(`/sandbox/pay/${tx.provider_ref}`, { choice: "approve", pin: "12" });
    expect(wrongPin.status).toBe(400);
    says(textOf(wrongPin.text), ["Weka PIN ya tarakimu 4."], ["Enter a 4-digit PIN."]);

    const order = await page(browser, `/orders/${orderId}`);
    says(order.text, ["Agizo lako", "Agizo hili bado halijalipwa", "Bima yako", "Endelea na malipo"], ["Your order", "Your cover"]);
  });
});

describe("checkout in Malay", () => {
  it("shows the details, plan and order pages in Malay to a KHHoldings-like customer", async () => {
    const { browser } = await customerWithCart(my, ["home-cover"]);
    browser.cookies.set("lng", lng("ms"));
    const { orderId } = await startCheckout(browser);
    const details = await page(browser, `/checkout/${orderId}/details`);
    says(
      details.text,
      ["Butiran anda", "Pemegang polisi", "Nama penuh", "Nombor MyKad (NRIC)", "Simpan dan teruskan"],
      ["Policyholder", "Full name", "Save and continue"],
    );
    const compare = await page(browser, "/compare?p=home-cover");
    says(compare.text, ["Bandingkan insurans", "Harga permulaan"], ["Compare insurance", "Starting price"]);
    const order = await page(browser, `/orders/${orderId}`);
    says(order.text, ["Pesanan anda", "Perlindungan anda"], ["Your order", "Your cover"]);
  });
});

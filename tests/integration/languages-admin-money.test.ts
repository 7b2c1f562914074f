/**
 * The back office's money and messaging pages in the reader's language (issue 14 item 7):
 * transactions, a transaction, payment providers, chargebacks, the message log, message templates,
 * broadcasts and messaging providers in Swahili for a Bowman-like agency (en+sw), a page in Malay
 * for a KHHoldings-like one (en+ms), and English for the same admin without a choice. The
 * catalogue's English (event labels, provider fields) is shown translated by name.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { withTenant } from "~db/client";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { createTenant, createUser } from "../support/db";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { insertOrder, insertPolicy, insertProduct, insertTransaction, type OrderFixture } from "./admin-payments-fixtures";
import { offer, setLanguage } from "./languages-support";

type Tenant = { id: string; slug: string; name: string };

async function as(host: string, email: string, language?: Language): Promise<Browser> {
  const browser = await signIn(host, email);
  // As the switcher leaves it: the cookie's own encoding, not the bare code.
  if (language) await setLanguage(browser, language);
  return browser;
}

async function page(browser: Browser, path: string) {
  const res = await browser.get(path);
  expect(res.status, path).toBe(200);
  return { html: res.text, text: textOf(res.text) };
}

let kenya: Tenant;
let malaysia: Tenant;
let wanjiru: { id: string; email: string };
let aisyah: { id: string; email: string };
let order: OrderFixture;
let paidTx: string;
let activePolicy: string;

beforeAll(async () => {
  kenya = await createTenant();
  await offer(kenya.id, ["en", "sw"]);
  wanjiru = await createUser(kenya.id, { roles: ["admin"], name: "Wanjiru Lugha" });
  const customer = await createUser(kenya.id, { roles: ["customer"], name: "Amina Mteja" });
  await withTenant(kenya.id, (db) => ensureSandbox(db, kenya.id));
  const product = await insertProduct(kenya.id, { name: "Comprehensive Motor Cover" });
  order = await insertOrder(kenya.id, customer.id, product.id);
  activePolicy = await insertPolicy(kenya.id, customer.id, product.id, order, 0, { status: "active", number: "POL-LUGHA-1" });
  paidTx = await insertTransaction(kenya.id, { orderId: order.orderId, userId: customer.id, amountMinor: 150_000 });
  await insertTransaction(kenya.id, {
    orderId: order.orderId,
    userId: customer.id,
    status: "failed",
    method: "card",
    failureMessage: "Declined",
  });
  await withTenant(kenya.id, (db) =>
    db
      .insertInto("messages")
      .values({
        channel: "email",
        template: "payment_received",
        event: "payment_received",
        language: "sw",
        recipient: "amina@example.com",
        subject: "Malipo yamepokelewa",
        body_text: "Asante kwa malipo yako.",
        status: "outbox",
      })
      .execute(),
  );

  malaysia = await createTenant();
  await offer(malaysia.id, ["en", "ms"]);
  aisyah = await createUser(malaysia.id, { roles: ["admin"], name: "Aisyah Bahasa" });
});

describe("the back office's money pages in Swahili", () => {
  it("lists transactions with Swahili filters, totals and statuses", async () => {
    const { html, text } = await page(await as(hostOf(kenya), wanjiru.email, "sw"), "/admin/transactions");
    for (const words of [
      "Miamala",
      "Pakua CSV",
      "Hali yoyote",
      "Njia yoyote",
      "Kilichokusanywa, bila marejesho",
      "Imekamilika",
      "Imeshindikana",
    ])
      expect(text).toContain(words);
    for (const english of ["Download CSV", "Any status", "Collected, less refunds", "Completed"]) expect(text).not.toContain(english);
    expect(html).toMatch(/<title>Miamala · /);
  });

  it("shows one transaction, its refund form and gateway log in Swahili", async () => {
    const { html, text } = await page(await as(hostOf(kenya), wanjiru.email, "sw"), `/admin/transactions/${paidTx}`);
    for (const words of ["Malipo", "Kumbukumbu ya mtoa huduma", "Sera za oda", "Marejesho", "Rejesha malipo haya", "Kagua marejesho"])
      expect(text).toContain(words);
    expect(text).toContain("Kumbukumbu za lango la malipo");
    for (const english of ["Provider reference", "Refund this payment", "Review refund", "Gateway log"])
      expect(text).not.toContain(english);
    expect(html).toContain(`<title>Muamala ${order.reference} · `);
  });

  it("says what is wrong with a refund in Swahili", async () => {
    const browser = await as(hostOf(kenya), wanjiru.email, "sw");
    const res = await browser.post(`/admin/transactions/${paidTx}`, { intent: "review-refund", amount: "", reason: "" });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Weka kiasi cha kurejesha.");
    expect(text).toContain("Toa sababu ya marejesho haya");
    expect(text).not.toContain("Enter the amount to refund.");
    // A sentence with a value inside is found by the key that names it.
    const tooMuch = textOf(
      (await browser.post(`/admin/transactions/${paidTx}`, { intent: "review-refund", amount: "2000", reason: "Ombi" })).text,
    );
    expect(tooMuch).toMatch(/Hicho ni zaidi ya kilichobaki kurejeshwa: kisichozidi Ksh\s?1,500\.00\./);
    expect(tooMuch).not.toContain("That is more than is left to refund");
  });

  it("translates the payment providers' forms, field by field", async () => {
    const { text } = await page(await as(hostOf(kenya), wanjiru.email, "sw"), "/admin/payments");
    for (const words of [
      "Watoa huduma za malipo",
      "Nambari fupi ya biashara",
      "Ufunguo wa siri",
      "Aina ya muamala",
      "(si lazima)",
      "Hifadhi",
    ])
      expect(text).toContain(words);
    // (The back office menu names the page in its own words.)
    for (const english of ["Business short code", "Transaction type", "(optional)", "Enabled: offer it at checkout"])
      expect(text).not.toContain(english);
  });

  it("translates the chargebacks list", async () => {
    const { text } = await page(await as(hostOf(kenya), wanjiru.email, "sw"), "/admin/chargebacks");
    expect(text).toContain("Mapingamizi ya malipo");
    expect(text).toContain("Hakuna mapingamizi yaliyo wazi.");
    expect(text).not.toContain("No open chargebacks.");
  });
});

describe("the back office's messaging pages in Swahili", () => {
  it("shows the message log with its statuses in Swahili", async () => {
    const browser = await as(hostOf(kenya), wanjiru.email, "sw");
    const { text } = await page(browser, "/admin/outbox");
    for (const words of ["Sanduku la ujumbe", "Kwenye sanduku", "Kiolezo", "Barua pepe"]) expect(text).toContain(words);
    expect(text).not.toContain("In outbox");
    const messageId = /href="\/admin\/outbox\/([0-9a-f-]{36})"/.exec((await browser.get("/admin/outbox")).text)?.[1];
    const message = (await page(browser, `/admin/outbox/${messageId}`)).text;
    for (const words of ["Barua pepe kwa amina@example.com", "Ufikishaji", "Mpokeaji", "Historia", "Maudhui"])
      expect(message).toContain(words);
    expect(message).not.toContain("Recipient");
  });

  it("names every message of the catalogue in Swahili on the templates list", async () => {
    const { text } = await page(await as(hostOf(kenya), wanjiru.email, "sw"), "/admin/messages/templates");
    for (const words of ["Violezo vya ujumbe", "Malipo yamepokelewa", "Dai limeidhinishwa", "Maneno kwa kila lugha", "ya kawaida"])
      expect(text).toContain(words);
    for (const english of ["Message templates", "Payment received", "Claim approved", "Wording per language"])
      expect(text).not.toContain(english);
  });

  it("translates a template's editor, its variables, preview and versions", async () => {
    const { text } = await page(await as(hostOf(kenya), wanjiru.email, "sw"), "/admin/messages/templates/payment_received/sms/sw");
    for (const words of [
      "Malipo yamepokelewa: SMS, Kiswahili",
      "Vigezo",
      "Hakikisho kwa thamani za mfano",
      "Matoleo",
      "Hifadhi kama toleo jipya",
    ])
      expect(text).toContain(words);
    // The example variable is written as it is typed, not filled in.
    expect(text).toContain("Andika kigezo kama {{name}}");
    // The catalogue's variable descriptions too.
    expect(text).toContain("Jina la mpokeaji");
    expect(text).not.toContain("The recipient's name");
    expect(text).toMatch(/sehemu 1 ya SMS/);
    expect(text).not.toContain("Preview with sample values");
  });

  it("translates the broadcasts list and the compose form", async () => {
    const browser = await as(hostOf(kenya), wanjiru.email, "sw");
    const list = (await page(browser, "/admin/messages/broadcasts")).text;
    for (const words of ["Matangazo", "Tangazo jipya", "Bado hakuna matangazo."]) expect(list).toContain(words);
    expect(list).not.toContain("No broadcasts yet.");
    const compose = (await page(browser, "/admin/messages/broadcasts/new")).text;
    for (const words of ["Watakaoupokea", "Wateja wote", "Mawakala wa cheo fulani", "Hakikisho"]) expect(compose).toContain(words);
    // The variables the hint names are written as they are typed, not filled in.
    expect(compose).toContain("{{name}} hubadilishwa");
    expect(compose).not.toContain("Who receives it");
  });

  it("translates the messaging providers' forms, field by field", async () => {
    const { text } = await page(await as(hostOf(kenya), wanjiru.email, "sw"), "/admin/messages/providers");
    for (const words of ["Watoa huduma za ujumbe", "Sanduku la majaribio (hakuna kinachofikishwa)", "Tuma ujumbe wa majaribio"])
      expect(text).toContain(words);
    expect(text).not.toContain("Development outbox (nothing is delivered)");
    expect(text).not.toContain("Send a test message");
  });
});

describe("the back office's sentences with values inside", () => {
  it("refuses an unknown template variable in Swahili, naming it", async () => {
    const browser = await as(hostOf(kenya), wanjiru.email, "sw");
    const res = await browser.post("/admin/messages/templates/payment_received/sms/sw", {
      intent: "save",
      body: "Habari {{jina_bandia}}",
      expectedVersion: "0",
    });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    // The names stay as they are typed, inside the Swahili sentence.
    expect(text).toContain("Kigezo kisichojulikana: {{jina_bandia}}. Ujumbe huu unaweza kutumia {{name}}, ");
    expect(text).not.toContain("Unknown variable");
  });

  it("says what is wrong with the four-eyes amount in Swahili and in Malay", async () => {
    const sw = await as(hostOf(kenya), wanjiru.email, "sw");
    const empty = await sw.post("/admin/claims/settings", { fourEyes: "", appealDays: "30", graceCoverDays: "0" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Weka kiasi ambacho malipo yanayokizidi yanahitaji idhini ya watu wawili (KES).");
    expect(textOf(empty.text)).not.toContain("Enter the amount above which two people must approve");
    const word = await sw.post("/admin/claims/settings", { fourEyes: "elfu kumi", appealDays: "30", graceCoverDays: "0" });
    expect(textOf(word.text)).toContain("Weka kiasi cha idhini ya watu wawili kama 10 au 10.50.");

    const ms = await as(hostOf(malaysia), aisyah.email, "ms");
    const negative = await ms.post("/admin/claims/settings", { fourEyes: "-5", appealDays: "30", graceCoverDays: "0" });
    expect(negative.status).toBe(400);
    expect(textOf(negative.text)).toContain("Amaun kelulusan dua orang tidak boleh negatif.");
    expect(textOf(negative.text)).not.toContain("cannot be negative");
  });

  it("refuses to approve a policy that is not waiting, in Swahili, with its status inside", async () => {
    // The page shows the refusal above the decision form, which a decided policy no longer has: the
    // action's own answer (as the browser's fetch receives it) carries the sentence.
    const route = encodeURIComponent("routes/admin.underwriting.$policyId");
    const browser = await as(hostOf(kenya), wanjiru.email, "sw");
    const res = await browser.post(`/admin/underwriting/${activePolicy}?_data=${route}`, { intent: "approve" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).message).toBe("Sera hii iko katika hali active: haiwezi kuidhinishwa.");
  });

  it("names an unknown CSV column in Malay", async () => {
    const browser = await as(hostOf(malaysia), aisyah.email, "ms");
    const boundary = "----coveralugha";
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `slug,name,catgory\nx,y,z\n\r\n--${boundary}--\r\n`;
    const res = await browser.send("POST", "/admin/catalogue/import", body, {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      origin: browser.origin,
    });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain('Lajur tidak dikenali "catgory". Lajur yang diterima ialah: slug, name, category');
    expect(text).not.toContain("Unknown column");
  });

  it("keeps the same sentences in English for an admin without a choice", async () => {
    const en = await as(hostOf(kenya), wanjiru.email);
    const empty = await en.post("/admin/claims/settings", { fourEyes: "", appealDays: "30", graceCoverDays: "0" });
    expect(textOf(empty.text)).toContain("Enter the amount above which two people must approve (KES).");
  });
});

describe("the same pages in English and in Malay", () => {
  it("stays in English for the same admin without a choice", async () => {
    const browser = await as(hostOf(kenya), wanjiru.email);
    const transactions = (await page(browser, "/admin/transactions")).text;
    expect(transactions).toContain("Download CSV");
    expect(transactions).toContain("Any status");
    expect(transactions).not.toContain("Miamala");
    const templates = (await page(browser, "/admin/messages/templates")).text;
    expect(templates).toContain("Payment received");
    expect(templates).not.toContain("Malipo yamepokelewa");
  });

  it("speaks Malay to a KHHoldings-like admin who chose it", async () => {
    const browser = await as(hostOf(malaysia), aisyah.email, "ms");
    const { html, text } = await page(browser, "/admin/messages/templates");
    for (const words of ["Templat mesej", "Bayaran diterima", "Tuntutan diluluskan", "Kata-kata mengikut bahasa", "lalai"])
      expect(text).toContain(words);
    expect(text).not.toContain("Message templates");
    expect(html).toMatch(/<html[^>]*lang="ms"/);
    const transactions = (await page(browser, "/admin/transactions")).text;
    for (const words of ["Transaksi", "Semua status", "Muat turun CSV"]) expect(transactions).toContain(words);
    expect(transactions).not.toContain("Any status");
  });
});

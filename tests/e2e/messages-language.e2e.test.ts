import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { eventually, ownerDb } from "../support/db";

/**
 * Messages follow the customer's language (issue 14, decision 040): a Bowman customer signs up,
 * fills the checkout in English, picks Kiswahili with the header's switcher just before paying,
 * pays with the sandbox M-Pesa, and the documents email and SMS come in Swahili. After the switch
 * only language-free selectors are used (the form's submit button, the sandbox's ids), so the test
 * holds whether or not the pages themselves are translated.
 */

const PASSWORD = "Safari#2026";
const uniqueEmail = () => `sw-messages-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describe.skipIf(!hasChromium)("messages in the customer's language", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a customer who switches Bowman to Kiswahili gets the policy documents by email and SMS in Swahili", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const url = (p: string) => siteUrl("bowman.localhost", p);
    const email = uniqueEmail();

    // A travel quote into the cart, an account, signed in, checkout (as in checkout.e2e.test.ts).
    await page.goto(url("/products/savannah-east-africa-travel"));
    const quote = page.locator("section#quote");
    await quote.getByLabel("Trip length (days)").fill("10");
    await quote.getByLabel("Plan").selectOption("basic");
    await quote.getByRole("button", { name: "Get my quote" }).click();
    await page.waitForURL(/\/quotes\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForURL(url("/cart"));
    await page.getByRole("link", { name: "Create account" }).click();
    await page.getByLabel("Full name").fill("Wanjiru Kamau");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByLabel(/terms/i).check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();
    await page.goto(url("/cart"));
    await page.getByRole("button", { name: "Checkout", exact: true }).click();
    await page.waitForURL(/\/checkout\/[0-9a-f-]{36}\/details$/);
    const orderId = /\/checkout\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
    await page.getByLabel("Phone").fill("0712 345 678");
    await page.getByLabel("Date of birth").fill("1988-03-14");
    await page.getByLabel("Address").fill("P.O. Box 4410-00100, Nairobi");
    await page.getByLabel("National ID number", { exact: true }).fill("12345678");
    await page.getByLabel("KRA PIN", { exact: true }).fill("A123456789Z");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.waitForURL(/\/plan$/);
    await page.getByRole("radio", { name: /^M-Pesa \(sandbox\)/ }).check();
    await page.getByLabel("M-Pesa phone number").fill("0712345678");
    await page.getByRole("button", { name: "Continue to review" }).click();
    await page.waitForURL(/\/review$/);
    await page.getByLabel(/I have read the policy terms/).check();
    await page.getByRole("button", { name: "Accept and continue to payment" }).click();
    await page.waitForURL(/\/pay$/);

    // The switcher in the header: the same page comes back, and the account remembers Swahili.
    await page.getByRole("button", { name: "Kiswahili" }).click();
    await page.locator("html[lang=sw]").waitFor({ state: "attached" });
    expect(page.url()).toBe(url(`/checkout/${orderId}/pay`));
    const account = await ownerDb().selectFrom("users").select(["id", "language"]).where("email", "=", email).executeTakeFirstOrThrow();
    expect(account.language).toBe("sw");

    // Pay (the payment form's one submit button) and approve on the sandbox phone.
    await page.locator("form.checkout-form button[type=submit]").click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    await page.locator("#sandbox-pin").fill("1234");
    await page.locator("button[name=choice][value=approve]").click();
    await page.waitForURL(url(`/orders/${orderId}`), { timeout: 20_000 });

    // The issuance job's documents message, on each channel, in Swahili.
    const sent = await eventually(async () => {
      const rows = await ownerDb()
        .selectFrom("messages")
        .select(["channel", "language", "recipient", "subject", "body_text", "status"])
        .where("dedupe_key", "like", `order_documents:${orderId}:%`)
        .execute();
      const mail = rows.find((r) => r.channel === "email" && r.status === "outbox");
      return mail && rows.some((r) => r.channel === "sms") ? rows : undefined;
    }, 30_000);
    const mail = sent.find((m) => m.channel === "email")!;
    expect(mail).toMatchObject({ language: "sw", recipient: email });
    expect(mail.subject).toMatch(/^Bima yako ya Bowman Insurance imeanza: BWM-ORD-/);
    expect(mail.body_text).toContain("Asante kwa malipo yako.");
    expect(mail.body_text).toContain("Angalia sera zangu");
    const sms = sent.find((m) => m.channel === "sms")!;
    expect(sms).toMatchObject({ language: "sw", recipient: "+254712345678", status: "outbox" });
    expect(sms.body_text).toMatch(/^Bowman Insurance: bima yako imeanza\. Sera BWM-POL-\d{4}-\d{6}\./);
    const inApp = sent.find((m) => m.channel === "in_app");
    expect(inApp).toMatchObject({ language: "sw", recipient: account.id, subject: "Bima yako imeanza" });

    await context.close();
  }, 90_000);
});

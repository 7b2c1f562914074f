import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { TWO_PRODUCTS, orderReadyForPayment, paymentsTenant, policiesOf } from "../support/checkout";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, eventually, TEST_PASSWORD } from "../support/db";

/**
 * Saved cards in a real browser, on a phone, with the sandbox (decision 029): the customer ticks
 * "Save this card" at checkout, pays with a sandbox card on its page, finds the card under
 * Payment methods, has it pay their monthly policy automatically, then removes it after the
 * confirmation that names the policy — which turns auto-debit off and says so.
 */
describe.skipIf(!hasChromium)("saved cards in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("saves the card at checkout, pays a policy automatically with it, and removes it", async () => {
    const tenant = await paymentsTenant();
    const host = `${tenant.slug}.localhost`;
    const user = await createUser(tenant.id, { name: "Wanjiru Njoroge" });
    const order = await orderReadyForPayment(tenant, user, { lines: [TWO_PRODUCTS[0]!], method: "card" });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(siteUrl(host, "/login"));
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    await page.goto(siteUrl(host, `/checkout/${order.orderId}/pay`));
    await page.getByRole("radio", { name: /card/i }).check();
    await page.getByLabel(/Save this card for future payments/).check();
    await page.getByRole("button", { name: /^Pay/ }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_/);
    await page.getByText("This card is saved for later payments").waitFor();
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM/YY)").fill("12/34");
    await page.getByLabel("Security code").fill("123");
    await page.getByRole("button", { name: /^Pay / }).click();
    // The payment's status page, or the order itself when the sandbox has already completed it (the
    // status page forwards a completed payment at once).
    await page.waitForURL(
      (url) => url.pathname.startsWith(`/checkout/${order.orderId}/pay/`) || url.pathname === `/orders/${order.orderId}`,
    );
    const policy = await eventually(async () => (await policiesOf(order.orderId)).find((p) => p.status === "active"), 30_000);

    await page.goto(siteUrl(host, "/account/payment-methods"));
    await page.getByText("Visa •••• 4242").first().waitFor();
    const choice = page.getByLabel(new RegExp(policy.policy_number!));
    await choice.selectOption({ label: "Charge Visa •••• 4242" });
    await choice.locator("xpath=ancestor::form").getByRole("button", { name: "Save" }).click();
    await page.getByText("The policy's instalments will be charged to your card when they fall due.").waitFor();

    await page.getByRole("link", { name: "Remove Visa •••• 4242" }).click();
    await page.getByRole("heading", { level: 1, name: "Remove Visa •••• 4242?" }).waitFor();
    await page.getByText(policy.policy_number!).waitFor();
    await page.getByRole("button", { name: "Remove the card" }).click();
    await page.getByText("It paid a policy automatically: that is now off.", { exact: false }).waitFor();
    await page.getByText("You have no saved cards.").waitFor();
    await context.close();
  });
});

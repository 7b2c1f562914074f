import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteDateIn } from "~/modules/rating/dates";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, eventually, TEST_PASSWORD } from "../support/db";
import { readPdf } from "../support/pdf";
import { bowmanStore, issuedPolicy } from "../integration/cancellations-support";

/**
 * Issue 13's "Done means": a Bowman customer cancels a policy within the free-look period in a real
 * browser, sees the full refund come back through the sandbox, and downloads the cancellation letter.
 */
describe.skipIf(!hasChromium)("cancelling a policy in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a Bowman customer cancels in the free look, sees the full refund returned and downloads the letter", async () => {
    const tenant = await bowmanStore();
    const today = quoteDateIn(tenant.timeZone);
    const customer = await createUser(tenant.id, { name: "Amina Hassan" });
    // Motor cover bought today, paid in full through the sandbox: KES 45,000.00.
    const policy = await issuedPolicy(tenant, {
      userId: customer.id,
      productSlug: "savannah-private-comprehensive",
      frequency: "annual",
      start: today,
      firstMinor: 4_500_000,
    });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(siteUrl(tenant.host, "/login"));
    await page.getByLabel("Email").fill(customer.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    await page.goto(siteUrl(tenant.host, `/account/policies/${policy.policyId}`));
    await page.getByRole("link", { name: "Cancel this policy" }).click();
    await expect.poll(() => page.getByTestId("refund-amount").textContent()).toMatch(/45,000\.00/);
    await expect.poll(() => page.locator("main, body").first().textContent()).toMatch(/Free look/);

    // Submitting without a reason is refused, with the field named.
    await page.getByRole("button", { name: "Cancel the policy" }).click();
    await expect.poll(() => page.locator("#reason-error").textContent()).toBe("Choose a reason.");

    await page.getByLabel("Reason").selectOption({ label: "I have cover elsewhere" });
    await page.getByLabel(/I understand the cover ends today/).check();
    await page.getByRole("button", { name: "Cancel the policy" }).click();
    await page.waitForURL((url) => url.searchParams.get("cancelled") === "1");
    await expect.poll(() => page.getByRole("heading", { name: /Cancelled from/ }).count()).toBe(1);

    // The sandbox returns the money; the page shows it returned and offers the letter once drawn.
    await eventually(async () => {
      await page.reload();
      const returned = (await page.locator('[data-refund-status="completed"]').count()) === 1;
      const letter = (await page.getByRole("link", { name: "Download the cancellation letter (PDF)" }).count()) === 1;
      return returned && letter;
    }, 30_000);
    expect(await page.getByTestId("refund-amount").textContent()).toMatch(/45,000\.00/);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download the cancellation letter (PDF)" }).click();
    const chunks: Buffer[] = [];
    for await (const chunk of await (await download).createReadStream()) chunks.push(chunk as Buffer);
    const pdf = await readPdf(Buffer.concat(chunks));
    expect(pdf.text).toContain(policy.policyNumber);
    expect(pdf.text).toMatch(/Refund Ksh 45,000\.00/);

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

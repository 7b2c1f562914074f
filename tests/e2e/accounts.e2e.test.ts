import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";

/**
 * A customer registers and signs in on Bowman in a real browser; the session means nothing on
 * KHHoldings, and the account does not exist there.
 */
describe.skipIf(!hasChromium)("accounts in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("registers and signs in on bowman.localhost; the session is meaningless on khholdings.localhost", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const email = `e2e-${Date.now()}@example.com`;

    await page.goto(siteUrl("bowman.localhost", "/register"));
    await expect(page.title()).resolves.toContain("Bowman Insurance");
    await page.getByLabel("Full name").fill("Njeri Wambui");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("Safari#2026");
    await page.getByLabel("Confirm password").fill("Safari#2026");
    await page.getByLabel(/terms/i).check();
    await page.getByRole("button", { name: /create account/i }).click();
    // The same answer whether or not the address was known: check your email, then sign in.
    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    await page.getByRole("link", { name: "Sign in" }).last().click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("Safari#2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();
    await expect(page.content()).resolves.toContain("Njeri Wambui");

    // Sign out through the account menu, then sign back in.
    await page.getByLabel("Account menu").click();
    await page.locator(".account-menu").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(siteUrl("bowman.localhost", "/"));
    await page.goto(siteUrl("bowman.localhost", "/login"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("Safari#2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();

    // The same browser on the other agency: no session, and the Bowman account does not exist there.
    await page.goto(siteUrl("khholdings.localhost", "/account"));
    await page.waitForURL(/khholdings\.localhost:\d+\/login/);
    await expect(page.content()).resolves.not.toContain("Njeri Wambui");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("Safari#2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").first().textContent()).resolves.toMatch(/do not match/);

    // Bowman still knows the customer.
    await page.goto(siteUrl("bowman.localhost", "/account"));
    await expect(page.content()).resolves.toContain("Njeri Wambui");
    await context.close();
  });
});

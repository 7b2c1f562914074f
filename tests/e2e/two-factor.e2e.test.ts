import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base32Decode, hotp, timeStep } from "~/modules/auth/two-factor-totp.server";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";

/**
 * A Bowman customer turns on two-factor sign-in in a real browser, computing each code from the key
 * the page shows (as their phone would), signs out, and signs in with a code (decision 033).
 */
describe.skipIf(!hasChromium)("two-factor sign-in in the browser", () => {
  let browser: Browser;
  let email: string;
  beforeAll(async () => {
    browser = await launchChromium();
    const bowman = await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "bowman").executeTakeFirstOrThrow();
    // A customer of its own, so the demo customer other tests sign in as keeps signing in with a password alone.
    email = (await createUser(bowman.id, { name: "Wanjiru Kamau" })).email;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("turns it on with a code from the key shown, keeps the recovery codes, and signs in again with a code", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const host = "bowman.localhost";

    await page.goto(siteUrl(host, "/login?redirectTo=%2Faccount%2Ftwo-factor"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Two-factor sign-in" }).waitFor();
    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();

    await page.getByRole("img", { name: /QR code/ }).waitFor();
    const secret = base32Decode((await page.getByTestId("two-factor-secret").textContent()) ?? "");
    expect(secret.length).toBe(20);
    const codeNow = (offset: number) => hotp(secret, timeStep(new Date()) + offset);
    await page.getByLabel("6-digit code").fill(codeNow(0));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();

    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").count()).resolves.toBe(10);
    await expect(page.getByRole("link", { name: "Download as a text file" }).getAttribute("download")).resolves.toBe("recovery-codes.txt");
    await page.getByRole("link", { name: "I have saved them" }).click();
    await page.getByRole("heading", { name: "Two-factor sign-in is on" }).waitFor();

    await page.getByLabel("Account menu").click();
    await page.locator(".account-menu").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(siteUrl(host, "/"));

    await page.goto(siteUrl(host, "/login"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Enter your code" }).waitFor();
    // The code that turned it on is spent: the app's next one (still inside the one-step window).
    await page.getByLabel("Code").fill(codeNow(1));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();
    await expect(page.content()).resolves.toContain("Wanjiru Kamau");
    await context.close();
  });
});

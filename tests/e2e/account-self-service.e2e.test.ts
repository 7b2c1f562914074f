import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";

/**
 * A new Bowman customer on a phone: the overview fits the screen with its empty states, the tabs
 * lead to the profile (a new name) and the notification choices (offers by email turned off),
 * then the overview greets them by the new name (issue 13 item 6).
 */
describe.skipIf(!hasChromium)("the customer's own account on a phone", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the overview, saves a new name and a notification choice", async () => {
    const tenantId = (await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "bowman").executeTakeFirstOrThrow()).id;
    const user = await createUser(tenantId, { name: "Wambui Phone" });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(siteUrl("bowman.localhost", "/login?redirectTo=/account"));
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();
    await page.getByText("You have no cover with us yet.").waitFor();
    await page.getByText("Nothing to pay: you are up to date.").waitFor();
    // Nothing wider than the phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.getByRole("navigation", { name: "Your account" }).getByRole("link", { name: "Profile" }).click();
    await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();
    await page.getByLabel("Full name").fill("Wambui Njeri Phone");
    await page.getByRole("button", { name: "Save my name" }).click();
    await page.getByText("Your name is saved.").waitFor();

    await page.getByRole("link", { name: "what we send you" }).click();
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    await page.getByLabel("Offers and news by email").uncheck();
    await page.getByRole("button", { name: "Save my choices" }).click();
    await page.getByText("Your notification choices are saved.").waitFor();
    await expect(page.getByLabel("Offers and news by email").isChecked()).resolves.toBe(false);
    await expect(page.getByLabel("Offers and news by text message").isChecked()).resolves.toBe(true);

    await page.getByRole("navigation", { name: "Your account" }).getByRole("link", { name: "Overview" }).click();
    await page.getByText("Hello, Wambui Njeri Phone.").waitFor();
    await context.close();
  });
});

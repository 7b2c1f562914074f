import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createTenant, createUser, TEST_PASSWORD } from "../support/db";

/**
 * The directory of hospitals and clinics in a real browser: a KHHoldings member finds a panel
 * hospital on a phone with JavaScript off (plain GET forms and links), and an admin adds and
 * deactivates a facility with it on. SCREENSHOTS_DIR=… keeps a picture of each step.
 */

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: `${dir}/facilities-${name}.png`, fullPage: true });
}

/** Nothing wider than the screen: a phone never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page) {
  // Measured once the page's stylesheets are in: before that, any form is as wide as its widest select.
  await page.waitForLoadState("load");
  const { scroll, viewport } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(viewport);
}

describe.skipIf(!hasChromium)("hospitals and clinics in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a member finds a panel hospital by state on a phone, without JavaScript", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(siteUrl("khholdings.localhost", "/"));
    await page.getByRole("navigation", { name: "Footer" }).getByRole("link", { name: "Panel hospitals and clinics" }).click();
    await page.getByRole("heading", { level: 1, name: "Panel hospitals and clinics" }).waitFor();
    await expectNoSidewaysScroll(page);

    await page.getByLabel("State").selectOption("Pahang");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/state=Pahang/);
    const names = () => page.locator("article.facility-card h2").allTextContents();
    expect(await names()).toContain("Kuantan Medical Centre");
    // Not on the panel: only when asked for everything.
    expect(await names()).not.toContain("Temerloh Specialist Hospital");
    const kuantan = page.locator("article.facility-card", { hasText: "Kuantan Medical Centre" });
    await expect(kuantan.getByRole("link", { name: /^Call / }).getAttribute("href")).resolves.toBe("tel:+6095142828");
    await expectNoSidewaysScroll(page);
    await shot(page, "phone-pahang");

    await page.getByLabel("All, on our panel or not").check();
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/panel=all/);
    expect(await names()).toContain("Temerloh Specialist Hospital");
    await expect(page.locator("article.facility-card", { hasText: "Temerloh" }).textContent()).resolves.toContain("Not on our panel");

    // The whole panel is more than a page: the next page follows, and comes back.
    await page.goto(siteUrl("khholdings.localhost", "/facilities"));
    const firstPage = await names();
    expect(firstPage).toHaveLength(20);
    await page.getByRole("link", { name: "Next →" }).click();
    await page.waitForURL(/cursor=/);
    const secondPage = await names();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.some((n) => firstPage.includes(n))).toBe(false);
    await page.getByRole("link", { name: "← Previous" }).click();
    await page.waitForURL(/cursor=/);
    expect(await names()).toEqual(firstPage);
    await context.close();
  });

  it("an admin adds a facility, is told of a bad phone number while typing, and deactivates it", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const host = `${tenant.slug}.localhost`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(siteUrl(host, "/login"));
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/account|\/admin|\/$/);

    await page.goto(siteUrl(host, "/admin"));
    await page.getByRole("navigation", { name: "Back office" }).getByRole("link", { name: "Hospitals & clinics" }).click();
    await page.getByRole("heading", { level: 1, name: "Hospitals and clinics" }).waitFor();
    await page.getByRole("link", { name: "Add a facility" }).click();
    await page.getByRole("heading", { level: 1, name: "Add a hospital or clinic" }).waitFor();
    await page.getByLabel("Name").fill("Nyali Bay Hospital");
    await page.getByLabel("Type").selectOption("hospital");
    await page.getByLabel("City or town").fill("Mombasa");
    await page.getByLabel("State or county").fill("Mombasa");
    await page.getByLabel("Services").fill("24-hour casualty\nMaternity");
    await page.getByLabel("Phone").fill("call us");
    await page.getByLabel("Email").focus();
    await page.getByText("Enter a phone number in digits, for example +60 3-2296 0888.").waitFor();
    await page.getByLabel("Phone").fill("+254 41 447 1000");
    await page.getByRole("button", { name: "Add facility" }).click();
    await page.getByText("Facility added.").waitFor();
    await shot(page, "admin-added");

    await page.getByRole("button", { name: "Deactivate this facility" }).click();
    await page.getByText("Facility deactivated").waitFor();
    await page.goto(siteUrl(host, "/facilities?panel=all"));
    await expect(page.locator("article.facility-card").count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

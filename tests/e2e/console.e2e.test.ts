import type { Browser, ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_OPERATOR } from "~db/seed";
import { uniqueSlug } from "../support/db";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";

/**
 * The operator console with JavaScript: the address preview while typing, the colour pickers and
 * live preview, and the confirmation before suspending an agency. No hydration errors on the way.
 */
describe.skipIf(!hasChromium)("operator console in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  function watchErrors(page: Page): string[] {
    const errors: string[] = [];
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    return errors;
  }

  async function signIn(page: Page, path = "/console") {
    await page.goto(siteUrl("localhost", path));
    await page.waitForURL(/\/console\/login/);
    await page.getByLabel("Email").fill(DEMO_OPERATOR.email);
    await page.getByLabel("Password").fill(DEMO_OPERATOR.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === path);
  }

  it("onboards, rebrands, suspends and reactivates an agency", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, "/console/tenants/new");

    // The storefront address follows the slug as it is typed.
    const slug = uniqueSlug("e2e");
    await page.getByLabel("Agency name").fill("Lakeside Assurance");
    await page.getByLabel("Web address").fill(slug);
    await expect(page.locator(".address-preview").textContent()).resolves.toContain(`${slug}.localhost`);
    await page.getByLabel("Currency").selectOption("TZS");
    await page.getByLabel("Time zone").selectOption("Africa/Dar_es_Salaam");
    await page.getByLabel("Marketplace").uncheck();
    await page.getByLabel("Agent network").check();
    await page.getByLabel("Full name").fill("Baraka Admin");
    await page.getByLabel("Email").fill(`${slug}@example.com`);
    await page.getByRole("button", { name: "Onboard agency" }).click();
    await page.waitForURL(/\/console\/tenants\/[0-9a-f-]{36}\?notice=onboarded/);
    await page.getByText("Agency onboarded.").waitFor();
    await expect(page.locator("dl.facts").textContent()).resolves.toMatch(/Marketplace: off.*Agent network: on/);

    // A colour picker and its text field stay in step, and the preview follows.
    await page.getByLabel("Primary", { exact: true }).fill("#336699");
    await expect(page.getByLabel("Primary: colour picker", { exact: true }).inputValue()).resolves.toBe("#336699");
    await expect(page.locator(".brand-preview-header").evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(
      "rgb(51, 102, 153)",
    );
    await page.getByLabel("Accent: colour picker", { exact: true }).fill("#ff8800");
    await expect(page.getByLabel("Accent", { exact: true }).inputValue()).resolves.toBe("#ff8800");
    await page.getByLabel("Tagline").fill("Cover by the lake");
    await expect(page.locator(".brand-preview").textContent()).resolves.toContain("Cover by the lake");
    await page.getByRole("button", { name: "Save branding" }).click();
    await page.waitForURL(/notice=branding/);
    await expect(page.getByLabel("Primary", { exact: true }).inputValue()).resolves.toBe("#336699");

    // Suspending asks for a reason first, then for confirmation.
    await page.getByRole("button", { name: "Suspend agency" }).click();
    await expect(page.getByRole("alertdialog").count()).resolves.toBe(0);
    await page.getByLabel("Reason").fill("Licence under review");
    await page.getByRole("button", { name: "Suspend agency" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog.textContent()).resolves.toContain("Suspend Lakeside Assurance?");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("alertdialog").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Suspend agency" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Yes, suspend" }).click();
    await page.waitForURL(/notice=suspended/);
    await page.getByText("This agency is suspended").waitFor();

    const storefront = await context.newPage();
    const response = await storefront.goto(siteUrl(`${slug}.localhost`, "/"));
    expect(response?.status()).toBe(503);
    await storefront.close();

    await page.getByRole("button", { name: "Reactivate agency" }).click();
    await page.waitForURL(/notice=reactivated/);
    const reopened = await context.newPage();
    expect((await reopened.goto(siteUrl(`${slug}.localhost`, "/")))?.status()).toBe(200);
    await expect(reopened.content()).resolves.toContain("Cover by the lake");

    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a phone screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page);
    const fits = async (what: string) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, what).toBeLessThanOrEqual(0);
    };
    for (const path of ["/console", "/console/outbox", "/console/audit", "/console/tenants/new", "/console/account"]) {
      await page.goto(siteUrl("localhost", path));
      await fits(path);
    }
    await page.goto(siteUrl("localhost", "/console"));
    await page.getByRole("link", { name: "Bowman Insurance" }).click();
    await page.waitForURL(/\/console\/tenants\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Branding and contact" }).waitFor();
    await fits("agency detail");
    expect(errors).toEqual([]);
    await context.close();
  });
});

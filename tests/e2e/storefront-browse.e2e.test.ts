import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";

/**
 * Browsing in a real browser on both agencies, on a phone and on a desktop: search from the home
 * page, pick three products to compare from the results, open a product, and read the comparison.
 * SCREENSHOTS_DIR=… keeps a picture of each step for a human to look at.
 */
const AGENCIES = [
  { host: "bowman.localhost", search: "car", name: "Bowman Insurance" },
  { host: "khholdings.localhost", search: "hibah", name: "KHHoldings" },
];
const VIEWPORTS = [
  { label: "phone", width: 390, height: 844 },
  { label: "desktop", width: 1280, height: 900 },
];

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  // In screen-sized slices: a whole long page shrinks to nothing when viewed.
  const { width, height } = await page.evaluate(() => ({ width: document.body.scrollWidth, height: document.body.scrollHeight }));
  const slice = page.viewportSize()!.height;
  for (let y = 0, i = 1; y < height && i <= 6; y += slice, i++)
    await page.screenshot({
      path: `${dir}/${name}-${i}.png`,
      fullPage: true,
      clip: { x: 0, y, width, height: Math.min(slice, height - y) },
    });
}

describe.skipIf(!hasChromium)("browsing the storefront", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const agency of AGENCIES)
    for (const viewport of VIEWPORTS)
      it(`searches, compares and opens a product on ${agency.host} (${viewport.label})`, async () => {
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        const page = await context.newPage();
        // A hydration failure (e.g. a form nested in a form) shows up here, not in the server's HTML.
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        const tag = `${agency.host.split(".")[0]}-${viewport.label}`;

        await page.goto(siteUrl(agency.host, "/"));
        await shot(page, `${tag}-1-home`);
        await page.getByLabel("What would you like to insure?").fill(agency.search);
        await page.getByRole("button", { name: "Search", exact: true }).click();
        await page.waitForURL(/\/products\?q=/);
        await page.getByRole("heading", { level: 1, name: new RegExp(agency.search, "i") }).waitFor();
        await shot(page, `${tag}-2-results`);

        // Pick up to three products from all insurance to compare; the header counts them.
        await page.goto(siteUrl(agency.host, "/products"));
        const cards = page.locator("article.product-card");
        const total = Math.min(3, await cards.count());
        expect(total).toBeGreaterThan(1);
        for (let i = 0; i < total; i++) {
          await cards
            .nth(i)
            .getByRole("button", { name: /^Compare / })
            .click();
          await page.getByRole("link", { name: `Compare (${i + 1})` }).waitFor();
        }
        await shot(page, `${tag}-3-listing`);

        // A product page has its quote form and sections.
        const firstName = (await cards.first().locator("h3").textContent())!;
        await cards.first().getByRole("link", { name: firstName, exact: true }).click();
        await page.getByRole("heading", { level: 1, name: firstName }).waitFor();
        await page.getByRole("heading", { level: 2, name: "Get a quote" }).waitFor();
        await expect(
          page
            .locator(".product-header")
            .getByRole("button", { name: /^Comparing / })
            .count(),
        ).resolves.toBe(1);
        await shot(page, `${tag}-4-product`);

        await page.getByRole("link", { name: `Compare (${total})` }).click();
        await page.getByRole("heading", { level: 1, name: "Compare insurance" }).waitFor();
        await expect(page.locator("table.compare-table thead th[scope=col]").count()).resolves.toBe(total);
        await expect(page.locator("td.differs").count()).resolves.toBeGreaterThan(0);
        expect(page.url()).toMatch(/\/compare\?p=/);
        await shot(page, `${tag}-5-compare`);
        await expect(page.content()).resolves.toContain(agency.name);
        expect(errors).toEqual([]);
        await context.close();
      });
});

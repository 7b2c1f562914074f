import type { Browser, ConsoleMessage, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";

/**
 * A customer's whole journey in a real browser, on both agencies, on a desktop and on a phone:
 * search from the home page and open a product; get a quote and check its reference and that its
 * lines add up; compare three products and download the comparison; put the quote in the cart
 * while anonymous, sign in and find it still there; and the other agency's cart knows nothing of it.
 * SCREENSHOTS_DIR=… keeps the phone-sized product page and cart (journey-*.png) for a human to look at.
 */
interface Agency {
  key: string;
  host: string;
  otherHost: string;
  timeZone: string;
  referencePrefix: string;
  search: string;
  product: { slug: string; name: string };
  /** Products to add to the comparison from the search results, then from the full listing. */
  compareFromResults: string[];
  compareFromListing: string[];
  fillQuote: (form: Locator, timeZone: string) => Promise<void>;
  /** After the quote is in the anonymous cart: a new account (Bowman), or the seeded customer. */
  signIn: (page: Page) => Promise<void>;
}

const AGENCIES: Agency[] = [
  {
    key: "bowman",
    host: "bowman.localhost",
    otherHost: "khholdings.localhost",
    timeZone: "Africa/Nairobi",
    referencePrefix: "BWM-Q",
    search: "comprehensive",
    product: { slug: "savannah-private-comprehensive", name: "Savannah Crest Private Motor Comprehensive" },
    compareFromResults: ["mlima-private-comprehensive", "rift-commercial-comprehensive"],
    compareFromListing: [],
    async fillQuote(form, timeZone) {
      await form.getByLabel("Vehicle value (KES)").fill("1,850,000");
      await form.getByLabel("Year of manufacture").fill(String(yearIn(timeZone) - 6));
      await form.getByLabel("Vehicle use").selectOption({ label: "Private" });
      await form.getByLabel("Registration number (optional)").fill("KDA 123A");
      await form.getByLabel("Excess protector").check();
      await form.getByLabel("Political violence and terrorism").check();
      await form.getByLabel("How would you like to pay?").selectOption("annual");
    },
    async signIn(page) {
      const email = `journey-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      await page.getByRole("link", { name: "Create account" }).click();
      await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
      await page.getByLabel("Full name").fill("Wanjiru Kamau");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password", { exact: true }).fill("Safari#2026");
      await page.getByLabel("Confirm password").fill("Safari#2026");
      await page.getByLabel(/terms/i).check();
      await page.getByRole("button", { name: "Create account" }).click();
      // Registering signs no one in (its answer is the same for a known address); the new customer signs in.
      await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
      await page.getByRole("link", { name: "Sign in" }).last().click();
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("Safari#2026");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();
    },
  },
  {
    key: "khholdings",
    host: "khholdings.localhost",
    otherHost: "bowman.localhost",
    timeZone: "Asia/Kuala_Lumpur",
    referencePrefix: "KHH-Q",
    search: "hibah",
    product: { slug: "hibah-senior-care-gold-270", name: "Hibah Senior Care Gold 270" },
    compareFromResults: ["hibah-senior-care-diamond-370"],
    compareFromListing: ["medical-card"],
    async fillQuote(form) {
      await form.getByLabel("How would you like to pay?").selectOption({ label: "Monthly" });
    },
    async signIn(page) {
      await page.locator(".checkout-note").getByRole("link", { name: "Sign in" }).click();
      await page.waitForURL(/\/login\?redirectTo=%2Fcart|\/login\?redirectTo=\/cart/);
      await page.getByLabel("Email").fill("customer@khholdings.demo");
      await page.getByLabel("Password").fill("Demo#2026pass");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/cart");
    },
  },
];
const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 900 },
  { label: "phone", width: 390, height: 844 },
];

/** "Ksh 1,234.50", "12 × RM 150.00", "−RM 5.00" → minor units, without floats. */
function minor(text: string | null): number {
  const clean = (text ?? "").replace(/\u00a0/g, " ").trim();
  const match = /([\d,]+)\.(\d{2})$/.exec(clean);
  if (!match) throw new Error(`No amount in "${text}"`);
  const value = Number(`${match[1]!.replace(/,/g, "")}${match[2]}`);
  return /^[−-]/.test(clean) ? -value : value;
}

async function amounts(cells: Locator): Promise<number[]> {
  return (await cells.allTextContents()).map(minor);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function yearIn(timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }).format(new Date()));
}

function text(locator: Locator): Promise<string> {
  return locator.textContent().then((t) => (t ?? "").replace(/\s+/g, " ").trim());
}

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: `${dir}/journey-${name}.png`, fullPage: true });
}

describe.skipIf(!hasChromium)("a customer's journey through the storefront", () => {
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

  for (const agency of AGENCIES)
    for (const viewport of VIEWPORTS)
      it(`searches, quotes, compares, fills the cart and signs in on ${agency.host} (${viewport.label})`, async () => {
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        const page = await context.newPage();
        const errors = watchErrors(page);
        const url = (path: string) => siteUrl(agency.host, path);
        const compareLink = (n: number) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: `Compare (${n})` });
        let comparing = 0;
        async function addToComparison(scope: Locator) {
          await scope.getByRole("button", { name: /^Compare / }).click();
          await scope.getByRole("button", { name: /^Comparing / }).waitFor();
          comparing += 1;
          await compareLink(comparing).waitFor();
        }

        // 1. Search from the home page; add other results to the comparison; open the product.
        await page.goto(url("/"));
        await page.getByLabel("What would you like to insure?").fill(agency.search);
        await page.getByRole("button", { name: "Search", exact: true }).click();
        await page.waitForURL(/\/products\?q=/);
        await page.getByRole("heading", { level: 1, name: new RegExp(agency.search, "i") }).waitFor();
        const card = (slug: string) => page.locator(`article.product-card[data-product="${slug}"]`);
        for (const slug of agency.compareFromResults) await addToComparison(card(slug));
        await card(agency.product.slug).getByRole("link", { name: agency.product.name, exact: true }).click();
        await page.waitForURL(url(`/products/${agency.product.slug}`));
        await page.getByRole("heading", { level: 1, name: agency.product.name }).waitFor();
        await addToComparison(page.locator(".product-header"));
        if (viewport.label === "phone") await shot(page, `${agency.key}-product`);

        // 2. Get a quote; its reference follows the agency's series and its lines add up to the total.
        const form = page.locator("section#quote");
        await agency.fillQuote(form, agency.timeZone);
        await form.getByRole("button", { name: "Get my quote" }).click();
        await page.waitForURL(/\/quotes\/[0-9a-f-]{36}$/);
        const quoteUrl = page.url();
        await page.getByRole("heading", { level: 1, name: agency.product.name }).waitFor();
        const reference = (await text(page.locator(".quote-page .eyebrow"))).replace(/^Quote /, "");
        expect(reference).toMatch(new RegExp(`^${agency.referencePrefix}-${yearIn(agency.timeZone)}-\\d{6}$`));
        const breakdown = page.locator("table.breakdown tbody");
        const lines = await amounts(breakdown.locator("tr:has(td[data-label=Item]) td.num"));
        const levies = await amounts(breakdown.locator("tr:has(td[data-label=Levy]) td.num"));
        const premium = minor(await breakdown.locator("tr.subtotal td.num").textContent());
        const total = minor(await breakdown.locator("tr.total td.num").textContent());
        expect(lines.length).toBeGreaterThan(0);
        expect(sum(lines)).toBe(premium);
        expect(sum(lines) + sum(levies)).toBe(total);
        expect(total).toBeGreaterThan(0);
        const chosen = page.locator("table.instalments tr.chosen");
        await expect(chosen.count()).resolves.toBe(1);
        if (agency.key === "bowman") {
          await expect(text(breakdown)).resolves.toMatch(/Excess protector.*Political violence/);
          expect(levies).toHaveLength(3);
          await expect(text(chosen.locator("td").first())).resolves.toMatch(/^Annually ?Your choice$/);
        } else {
          // Hibah Gold 270 paid monthly: RM 150.00 each month, RM 1,800.00 over a year.
          await expect(text(chosen.locator("td").first())).resolves.toMatch(/^Monthly ?Your choice$/);
          await expect(text(chosen.locator("td[data-label='Each payment']"))).resolves.toBe("12 × RM 150.00");
          expect(minor(await chosen.locator("td[data-label='First payment']").textContent())).toBe(15000);
          expect(total).toBe(180000);
        }

        // 3. Three products side by side; the differences are marked; the PDF is a PDF.
        if (agency.compareFromListing.length) {
          await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insurance" }).click();
          await page.getByRole("heading", { level: 1, name: "Insurance", exact: true }).waitFor();
          for (const slug of agency.compareFromListing) await addToComparison(card(slug));
        }
        expect(comparing).toBe(3);
        await compareLink(3).click();
        await page.waitForURL(/\/compare\?p=/);
        await page.getByRole("heading", { level: 1, name: "Compare insurance" }).waitFor();
        const columns = page.locator("table.compare-table thead th[scope=col]");
        await expect(columns.count()).resolves.toBe(3);
        const compared = (await columns.locator("a").allTextContents()).map((t) => t.trim());
        expect(compared).toContain(agency.product.name);
        await expect(page.locator("table.compare-table tr.differs").count()).resolves.toBeGreaterThan(0);
        await expect(page.locator("table.compare-table td.differs").first().textContent()).resolves.toContain("(differs)");
        const pdfHref = await page.getByRole("link", { name: "Download PDF" }).getAttribute("href");
        // Fetched by the page itself, with its cookies: Node cannot resolve *.localhost, Chromium can.
        const pdf = await page.evaluate(async (href) => {
          const response = await fetch(href);
          const head = new Uint8Array(await response.arrayBuffer()).subarray(0, 5);
          return { status: response.status, type: response.headers.get("content-type"), head: String.fromCharCode(...head) };
        }, pdfHref!);
        expect(pdf).toEqual({ status: 200, type: expect.stringMatching(/^application\/pdf/), head: "%PDF-" });

        // 4. The quote goes into the anonymous cart; the header counts it; the cart's total is the quote's.
        await page.goto(quoteUrl);
        await page.getByRole("button", { name: "Add to cart" }).click();
        await page.waitForURL(url("/cart"));
        await page.getByRole("link", { name: "Cart, 1 item" }).waitFor();
        await expect(page.getByRole("link", { name: "Cart, 1 item" }).textContent()).resolves.toBe("Cart (1)");
        const rows = page.locator("table.cart-items tbody tr");
        await expect(rows.count()).resolves.toBe(1);
        await expect(text(rows.first())).resolves.toContain(reference);
        expect(minor(await rows.first().locator("td[data-label='Total a year']").textContent())).toBe(total);
        expect(minor(await page.locator(".cart-totals dd.grand").textContent())).toBe(total);
        if (agency.key === "khholdings")
          await expect(text(rows.first().locator("td[data-label=Payment]"))).resolves.toContain("12 × RM 150.00");
        if (viewport.label === "phone") await shot(page, `${agency.key}-cart`);

        // Signing in keeps the cart: the item moves into the customer's own cart.
        await agency.signIn(page);
        await page.getByLabel("Account menu").waitFor();
        if (new URL(page.url()).pathname !== "/cart") await page.getByRole("link", { name: "Cart, 1 item" }).click();
        await page.waitForURL(url("/cart"));
        await page.getByRole("link", { name: "Cart, 1 item" }).waitFor();
        await expect(rows.count()).resolves.toBe(1);
        await expect(text(rows.first())).resolves.toContain(reference);
        expect(minor(await page.locator(".cart-totals dd.grand").textContent())).toBe(total);
        await expect(page.locator(".checkout-note").textContent()).resolves.not.toContain("Sign in");

        // 5. The same browser on the other agency: an empty cart that names none of these products.
        await page.goto(siteUrl(agency.otherHost, "/cart"));
        await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
        await page.getByText("Your cart is empty.").waitFor();
        await page.getByRole("link", { name: "Cart, 0 items" }).waitFor();
        await expect(page.getByLabel("Account menu").count()).resolves.toBe(0);
        const elsewhere = await page.content();
        for (const name of compared) expect(elsewhere).not.toContain(name);
        expect(elsewhere).not.toContain(reference);

        // The seeded customer's cart is shared by both viewports: leave it empty, as it was found.
        if (agency.key === "khholdings") {
          await page.goto(url("/cart"));
          await page.getByRole("button", { name: `Remove ${agency.product.name}` }).click();
          await page.getByText("Your cart is empty.").waitFor();
        }
        expect(errors).toEqual([]);
        await context.close();
      });
});

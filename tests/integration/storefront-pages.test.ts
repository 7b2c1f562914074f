import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import http from "node:http";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { formatMoney } from "~/lib/money";
import { priceQuote, quoteDateIn } from "~/modules/rating";
import { ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { textOf } from "./accounts-support";
import { catalogueTenant, HIDDEN_INSURER_PRODUCT, INACTIVE_PRODUCT, listedSlugs, type Fixture } from "./storefront-fixtures";

/** The product page, the comparison (page, cookie, PDF) and the home page, over real HTTP. */
let fx: Fixture;
let browser: Browser;
// Pages and PDFs are compared as text with whitespace collapsed (Intl puts a no-break space after "Ksh").
const money = (minor: number) => formatMoney(minor, "KES", "en-KE").replace(/\s/g, " ");
const entry = (slug: string) => fx.catalogue.products.find((p) => p.slug === slug)!;

beforeAll(async () => {
  fx = await catalogueTenant("Pages Agency");
  browser = new Browser(fx.host);
});

async function pdfText(data: Buffer): Promise<string> {
  const pdf = await getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    standardFontDataUrl: `${path.resolve("node_modules/pdfjs-dist/standard_fonts")}/`,
  }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    for (const item of content.items) if ("str" in item) parts.push(item.str);
  }
  return parts.join(" ").replace(/\s+/g, " ");
}

/** The Browser helper decodes bodies as text; a PDF needs its bytes. */
function getBinary(url: string): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  const port = inject("appPort");
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: url, headers: { host: `${fx.host}:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the product page", () => {
  it("shows every section: header, features, coverage, covered or not, prices, quote form, reviews, related, FAQ", async () => {
    const res = await browser.get("/products/alpha-motor-1");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Classic Motor Cover");
    expect(text).toContain("insured by Alpha General Insurance");
    expect(text).toContain("4.7 out of 5, 3 reviews");
    for (const heading of [
      "Key features",
      "Coverage",
      "What is and is not covered",
      "Prices per payment frequency",
      "Get a quote",
      "Customer reviews",
      "Related products",
      "Questions and answers",
    ])
      expect(res.text, heading).toMatch(new RegExp(`<h2[^>]*>${heading}</h2>`));
    expect(text).toContain("Free road rescue");
    expect(text).toContain("Third-party property KES 3,000,000");
    expect(text).toContain("Not covered Mechanical breakdown Racing");
    expect(text).toContain("Do I need a valuation?");
    expect(res.text).toMatch(/<details class="faq"><summary>Do I need a valuation\?<\/summary>/);
    // The reviews, by first name and initial only.
    expect(text).toContain("Amina H.");
    expect(text).not.toContain("Amina Hassan");
    // The quote form posts to the quote route; add to cart and compare are on the page.
    expect(res.text).toMatch(/<form[^>]*method="post"[^>]*action="\/products\/alpha-motor-1\/quote"/);
    expect(res.text).toContain('name="vehicleValue"');
    expect(text).toContain("Add to cart");
    expect(res.text).toMatch(/<form[^>]*action="\/compare"[\s\S]*?name="slug" value="alpha-motor-1"/);
    // Related: same category, not itself, at most four.
    const related = res.text.slice(res.text.indexOf('id="related-title"'));
    const relatedSlugs = listedSlugs(related.slice(0, related.indexOf("</section>")));
    expect(relatedSlugs.length).toBe(4);
    expect(relatedSlugs).not.toContain("alpha-motor-1");
    for (const slug of relatedSlugs) expect(entry(slug).category).toBe("motor");
  });

  it("prices every payment frequency from the product's own rules and sample", async () => {
    const product = entry("alpha-motor-1");
    const priced = priceQuote(product.rating, product.sampleInput, {
      currency: "KES",
      quoteDate: quoteDateIn("Africa/Nairobi"),
      levies: fx.catalogue.levies,
    });
    if (!priced.ok) throw new Error("fixture does not price");
    const res = await browser.get("/products/alpha-motor-1");
    const text = textOf(res.text);
    expect(text).toContain("Typical price for: Vehicle value Ksh 1,000,000.00");
    const monthly = priced.quote.frequencies.find((f) => f.frequency === "monthly")!;
    expect(text).toContain(`Monthly ${money(monthly.instalmentAmount)} a month`);
    expect(text).toContain(money(monthly.annualEquivalent));
    expect(text).toContain(`Annually ${money(priced.quote.total)} a year`);
    expect(text).toContain(`From ${money(priced.quote.total)} a year`);
  });

  it("answers 404 for an unknown, malformed, inactive or other agency's product", async () => {
    for (const path of [
      "/products/no-such-product",
      "/products/Not%20A%20Slug",
      `/products/${INACTIVE_PRODUCT}`,
      `/products/${HIDDEN_INSURER_PRODUCT}`,
    ]) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(404);
      expect(textOf(res.text)).toContain("Page not found");
    }
    const bowman = await ownerDb()
      .selectFrom("products")
      .innerJoin("tenants", "tenants.id", "products.tenant_id")
      .where("tenants.slug", "=", "bowman")
      .select("products.slug")
      .executeTakeFirstOrThrow();
    expect((await new Browser("bowman.localhost").get(`/products/${bowman.slug}`)).status).toBe(200);
    expect((await browser.get(`/products/${bowman.slug}`)).status).toBe(404);
    expect((await new Browser("khholdings.localhost").get(`/products/${bowman.slug}`)).status).toBe(404);
    expect((await new Browser("bowman.localhost").get("/products/alpha-motor-1")).status).toBe(404);
  });
});

describe("compare", () => {
  it("keeps a selection of up to three in a cookie, refusing a fourth politely", async () => {
    const visitor = new Browser(fx.host);
    for (const slug of ["alpha-motor-1", "beta-motor-4", "gamma-medical-1"]) {
      const res = await visitor.post("/compare", { intent: "add", slug, redirectTo: "/products" });
      expect(res.status).toBe(302);
      expect(res.location).toBe("/products");
    }
    expect(visitor.cookies.has("compare")).toBe(true);
    const header = textOf((await visitor.get("/products")).text);
    expect(header).toContain("Compare (3)");
    const fourth = await visitor.post("/compare", { intent: "add", slug: "alpha-life-1", redirectTo: "/products" });
    expect(fourth.status).toBe(302);
    expect(fourth.location).toBe("/compare?p=alpha-motor-1&p=beta-motor-4&p=gamma-medical-1&full=alpha-life-1");
    const page = await visitor.get(fourth.location!);
    expect(textOf(page.text)).toContain("Your comparison already has 3 products. Remove one of them to add Term Life Starter.");
    // Removing from the comparison page lands on the new comparison.
    const removed = await visitor.post("/compare", {
      intent: "remove",
      slug: "beta-motor-4",
      redirectTo: "/compare?p=alpha-motor-1&p=beta-motor-4",
    });
    expect(removed.location).toBe("/compare?p=alpha-motor-1&p=gamma-medical-1");
    // /compare alone shows the remembered selection under its shareable URL.
    const bare = await visitor.get("/compare");
    expect(bare.status).toBe(302);
    expect(bare.location).toBe("/compare?p=alpha-motor-1&p=gamma-medical-1");
    // Another agency's product (or an unknown one) cannot be added.
    expect((await visitor.post("/compare", { intent: "add", slug: "no-such-product" })).status).toBe(404);
    expect((await visitor.post("/compare", { intent: "add", slug: INACTIVE_PRODUCT })).status).toBe(404);
    const cleared = await visitor.post("/compare", { intent: "clear" });
    expect(cleared.location).toBe("/compare");
    expect(visitor.cookies.has("compare")).toBe(false);
    expect(textOf((await visitor.get("/compare")).text)).toContain("Nothing to compare yet");
  });

  it("shows the products side by side with the rows that differ highlighted", async () => {
    const res = await browser.get("/compare?p=alpha-motor-1&p=beta-motor-4&p=alpha-motor-3");
    expect(res.status).toBe(200);
    const html = res.text;
    const rowOf = (label: string) => {
      const match = html.match(new RegExp(`<tr(?: class="([^"]*)")?><th scope="row">${label}</th>([\\s\\S]*?)</tr>`));
      if (!match) throw new Error(`no row ${label}`);
      return {
        differs: match[1] === "differs",
        cells: [...match[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => textOf(m[1]!).trim()),
      };
    };
    expect(rowOf("Insurer")).toEqual({
      differs: true,
      cells: ["Alpha General Insurance (differs)", "Beta Mutual Assurance (differs)", "Alpha General Insurance (differs)"],
    });
    expect(rowOf("Underwriting required").differs).toBe(false);
    expect(rowOf("Waiting period")).toEqual({ differs: false, cells: ["None", "None", "None"] });
    expect(rowOf("Starting price").differs).toBe(true);
    expect(rowOf("Paying monthly").cells[0]).toMatch(/^Ksh [\d,]+\.\d{2} a month/);
    // Features: a tick where a product has it, a dash where it does not.
    expect(rowOf("Courtesy car for 10 days")).toEqual({ differs: true, cells: ["— No (differs)", "✓ Yes (differs)", "— No (differs)"] });
    expect(rowOf("Free road rescue")).toEqual({ differs: false, cells: ["✓ Yes", "✓ Yes", "✓ Yes"] });
    expect(rowOf("Racing").differs).toBe(true);
    expect(html).toMatch(/<td[^>]*class="differs"/);
    // Shareable, and downloadable.
    expect(html).toContain(`/compare?p=alpha-motor-1&amp;p=beta-motor-4&amp;p=alpha-motor-3`);
    expect(textOf(html)).toContain("Share this comparison");
    expect(html).toContain('href="/compare.pdf?p=alpha-motor-1&amp;p=beta-motor-4&amp;p=alpha-motor-3"');
  });

  it("refuses more than three politely, and skips products that are not this agency's", async () => {
    const res = await browser.get(`/compare?p=alpha-motor-1&p=beta-motor-4&p=alpha-motor-3&p=gamma-home-1`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("You can compare up to 3 products at a time.");
    expect(res.text.match(/<th scope="col">/g)).toHaveLength(3);
    expect(text).not.toContain("Home Cover Basic");
    const missing = await browser.get(`/compare?p=alpha-motor-1&p=${INACTIVE_PRODUCT}`);
    expect(textOf(missing.text)).toContain("One product in this link is no longer available.");
    expect(missing.text.match(/<th scope="col">/g)).toHaveLength(1);
  });

  it("exports the comparison as a PDF with the products' names and prices", async () => {
    const pdf = await getBinary("/compare.pdf?p=alpha-motor-1&p=gamma-medical-1&p=beta-travel-2");
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(pdf.body);
    const starting = await ownerDb()
      .selectFrom("products")
      .select(["slug", "starting_price_minor"])
      .where("tenant_id", "=", fx.tenant.id)
      .where("slug", "in", ["alpha-motor-1", "gamma-medical-1", "beta-travel-2"])
      .execute();
    for (const name of ["Classic Motor Cover", "Family Health Plus", "Travel Explorer", "Pages Agency", "Alpha General Insurance"])
      expect(text).toContain(name);
    for (const row of starting) expect(text).toContain(`${money(row.starting_price_minor)} a year`);
    expect(text).toContain("DIFFERS");
    expect((await browser.get("/compare.pdf")).status).toBe(404);
    expect((await new Browser("bowman.localhost").get("/compare.pdf?p=alpha-motor-1")).status).toBe(404);
  });
});

describe("the home page", () => {
  it("has a search box, category cards with counts, featured products and figures from real data", async () => {
    const res = await browser.get("/");
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toMatch(/<form[^>]*method="get"[^>]*action="\/products"[\s\S]*?name="q"/);
    const card = (slug: string) => textOf(html.match(new RegExp(`data-category="${slug}"[^>]*>([\\s\\S]*?)</a>`))![1]!);
    expect(card("motor")).toContain("Motor 8 products");
    expect(card("travel")).toContain("Travel 3 products");
    expect(listedSlugs(html).length).toBeGreaterThan(0);
    const figure = (name: string) => textOf(html.match(new RegExp(`data-figure="${name}">([\\s\\S]*?)</dd>`))![1]!).trim();
    expect(figure("insurers")).toBe("3");
    expect(figure("products")).toBe("25");
    // The three reviewers are the agency's customers; the inactive product's review does not count.
    expect(figure("customers")).toBe("3");
    expect(figure("rating")).toBe("4.3 out of 5 from 6 reviews");
    expect(textOf(html)).toContain("How it works");
    expect(html).toMatch(/<a[^>]*href="\/products"[^>]*>Insurance<\/a>/);
  });

  it("keeps the platform site's own home page", async () => {
    const res = await new Browser("localhost").get("/");
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("The platform insurance agencies run their business on");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { textOf } from "./accounts-support";
import {
  byName,
  catalogueTenant,
  HIDDEN_INSURER_PRODUCT,
  INACTIVE_PRODUCT,
  listedSlugs,
  VISIBLE,
  visibleProducts,
  type Fixture,
  type ProductRow,
} from "./storefront-fixtures";

/**
 * /products against the real PostgreSQL: every filter, the full-text search, every sort and the
 * pages, checked against what the tables say a customer may see.
 */
let fx: Fixture;
let visible: ProductRow[];
let browser: Browser;

beforeAll(async () => {
  fx = await catalogueTenant();
  visible = await visibleProducts(fx.tenant.id);
  browser = new Browser(fx.host);
});

/** Every product slug the listing shows for a query, over all its pages, in order. */
async function allListed(query: string): Promise<string[]> {
  const slugs: string[] = [];
  for (let page = 1; page < 10; page++) {
    const sep = query ? "&" : "";
    const res = await browser.get(`/products?${query}${sep}page=${page}`);
    expect(res.status).toBe(200);
    const found = listedSlugs(res.text);
    if (!found.length) break;
    slugs.push(...found);
  }
  return slugs;
}

const sorted = (list: string[]) => [...list].sort();
const slugsOf = (rows: ProductRow[]) => rows.map((r) => r.slug);

describe("the listing", () => {
  it("lists the 25 products a customer may buy, 20 to a page, with the count", async () => {
    expect(visible).toHaveLength(VISIBLE);
    const first = await browser.get("/products");
    expect(first.status).toBe(200);
    const text = textOf(first.text);
    expect(text).toContain(`${VISIBLE} products to choose from`);
    expect(text).toContain("Showing 1–20, page 1 of 2");
    const page1 = listedSlugs(first.text);
    expect(page1).toHaveLength(20);
    const second = await browser.get("/products?page=2");
    const page2 = listedSlugs(second.text);
    expect(page2).toHaveLength(VISIBLE - 20);
    expect(textOf(second.text)).toContain("Showing 21–25, page 2 of 2");
    expect(sorted([...page1, ...page2])).toEqual(sorted(slugsOf(visible)));
    // Page links keep the other parameters.
    expect(first.text).toMatch(/href="\/products\?page=2"[^>]*rel="next"|rel="next"[^>]*href="\/products\?page=2"/);
    const third = await browser.get("/products?page=3");
    expect(listedSlugs(third.text)).toEqual([]);
    expect(textOf(third.text)).toContain("There is no page 3");
  });

  it("never shows an inactive product or a product of an inactive insurer", async () => {
    const all = await allListed("");
    expect(all).not.toContain(INACTIVE_PRODUCT);
    expect(all).not.toContain(HIDDEN_INSURER_PRODUCT);
    const page = await browser.get("/products");
    expect(textOf(page.text)).not.toContain("Delta Hidden Insurance");
    // Not by searching for it either, nor by its insurer.
    expect(await allListed("q=retired")).toEqual([]);
    expect(await allListed("insurer=delta")).toEqual(slugsOf([]));
  });

  it("filters by category, one or several", async () => {
    const motor = await allListed("category=motor");
    expect(sorted(motor)).toEqual(sorted(slugsOf(visible.filter((p) => p.category === "motor"))));
    expect(motor.length).toBeGreaterThan(0);
    const two = await allListed("category=life&category=travel");
    expect(sorted(two)).toEqual(sorted(slugsOf(visible.filter((p) => ["life", "travel"].includes(p.category)))));
    const commas = await allListed("category=life,travel");
    expect(sorted(commas)).toEqual(sorted(two));
  });

  it("filters by insurer, and combines filters", async () => {
    const beta = await allListed("insurer=beta");
    expect(sorted(beta)).toEqual(sorted(slugsOf(visible.filter((p) => p.insurer === "beta"))));
    const betaMotor = await allListed("insurer=beta&category=motor");
    const expected = visible.filter((p) => p.insurer === "beta" && p.category === "motor");
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(betaMotor)).toEqual(sorted(slugsOf(expected)));
  });

  it("filters by price range in major units against the starting price", async () => {
    const prices = visible.map((p) => p.price).sort((a, b) => a - b);
    const low = prices[5]!;
    const high = prices[18]!;
    // Major units in the URL: KES has two decimals, so minor / 100.
    const res = await allListed(`minPrice=${low / 100}&maxPrice=${high / 100}`);
    const expected = visible.filter((p) => p.price >= low && p.price <= high);
    expect(expected.length).toBeGreaterThan(2);
    expect(expected.length).toBeLessThan(VISIBLE);
    expect(sorted(res)).toEqual(sorted(slugsOf(expected)));
    const onlyMin = await allListed(`minPrice=${low / 100}`);
    expect(sorted(onlyMin)).toEqual(sorted(slugsOf(visible.filter((p) => p.price >= low))));
    const onlyMax = await allListed(`maxPrice=${high / 100}`);
    expect(sorted(onlyMax)).toEqual(sorted(slugsOf(visible.filter((p) => p.price <= high))));
  });

  it("searches with PostgreSQL full-text search, stemming included", async () => {
    // "vehicles" stems to "vehicl": every motor product says "vehicle" in its summary.
    const vehicles = await allListed("q=vehicles");
    expect(sorted(vehicles)).toEqual(sorted(slugsOf(visible.filter((p) => p.category === "motor"))));
    // The insurer's name finds its products even where their own text never mentions it.
    const beta = await allListed("q=Beta");
    expect(sorted(beta)).toEqual(sorted(slugsOf(visible.filter((p) => p.insurer === "beta"))));
    // Web-search syntax: a phrase.
    const phrase = await allListed(`q=${encodeURIComponent('"lost luggage"')}`);
    expect(sorted(phrase)).toEqual(sorted(slugsOf(visible.filter((p) => p.category === "travel"))));
    const none = await browser.get("/products?q=submarine");
    expect(listedSlugs(none.text)).toEqual([]);
    expect(textOf(none.text)).toContain("Nothing matches this search");
  });

  it("ranks by relevance when searching: a match in the name beats one in the description", async () => {
    const res = await allListed("q=family");
    expect(res[0]).toBe("gamma-medical-1"); // "Family Health Plus"
    expect(res).toContain("beta-medical-4"); // "family" only in its description
    expect(res.indexOf("gamma-medical-1")).toBeLessThan(res.indexOf("beta-medical-4"));
    expect(res).toContain("alpha-motor-3"); // "Family Car Motor Cover"
  });

  it("sorts by price, both ways, ties broken by name", async () => {
    const asc = await allListed("sort=price_asc");
    expect(asc).toEqual(slugsOf([...visible].sort((a, b) => a.price - b.price || byName(a, b))));
    const desc = await allListed("sort=price_desc");
    expect(desc).toEqual(slugsOf([...visible].sort((a, b) => b.price - a.price || byName(a, b))));
  });

  it("sorts by popularity (quotes) and by rating (average, then number of reviews, unrated last)", async () => {
    const popular = await allListed("sort=popular");
    expect(popular.slice(0, 3)).toEqual(["gamma-home-2", "beta-travel-1", "alpha-life-3"]);
    expect(popular).toEqual(slugsOf([...visible].sort((a, b) => b.quotes - a.quotes || b.reviews - a.reviews || byName(a, b))));
    const rating = await allListed("sort=rating");
    expect(rating.slice(0, 3)).toEqual(["beta-motor-4", "alpha-motor-1", "gamma-medical-1"]);
    const avg = (p: ProductRow) => p.average ?? -1;
    expect(rating).toEqual(slugsOf([...visible].sort((a, b) => avg(b) - avg(a) || b.reviews - a.reviews || byName(a, b))));
    // Without a search the default order is the most popular.
    expect(await allListed("")).toEqual(popular);
  });

  it("shows a chip for each active filter, each removing only itself; all state lives in the URL", async () => {
    const res = await browser.get("/products?q=vehicles&category=motor&insurer=beta&minPrice=1000&maxPrice=200000&sort=price_asc");
    expect(res.status).toBe(200);
    const chips = [...res.text.matchAll(/<a[^>]*class="chip"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*class="chip"/g)].map((m) =>
      (m[1] ?? m[2]!).replace(/&amp;/g, "&"),
    );
    expect(chips).toHaveLength(5);
    const text = textOf(res.text);
    for (const label of [
      "Search: “vehicles”",
      "Category: Motor",
      "Insurer: Beta Mutual Assurance",
      "Lowest price: From",
      "Highest price: Up to",
    ])
      expect(text).toContain(label);
    const params = chips.map((href) => new URL(href, "http://x").searchParams);
    expect(params[0]!.get("q")).toBeNull();
    expect(params[1]!.getAll("category")).toEqual([]);
    expect(params[2]!.getAll("insurer")).toEqual([]);
    expect(params[3]!.get("minPrice")).toBeNull();
    expect(params[4]!.get("maxPrice")).toBeNull();
    for (const p of params) {
      // Everything else is kept, including the sort.
      expect(p.get("sort")).toBe("price_asc");
      expect([...p.keys()].filter((k) => k !== "sort").length).toBe(4);
    }
    // Following a chip really drops that filter.
    const withoutInsurer = await allListed(chips[2]!.split("?")[1]!);
    expect(sorted(withoutInsurer)).toEqual(
      sorted(slugsOf(visible.filter((p) => p.category === "motor" && p.price >= 100_000 && p.price <= 20_000_000))),
    );
    // The form is a GET form that works without JavaScript, filters folded into a <details> on phones.
    expect(res.text).toMatch(/<form[^>]*method="get"[^>]*action="\/products"/);
    expect(res.text).toContain('<details class="filters-panel"');
    expect(res.text).toMatch(/<input[^>]*id="cat-motor"[^>]*checked=""/);
    expect(res.text).not.toMatch(/<input[^>]*id="cat-travel"[^>]*checked=""/);
  });

  it("explains a bad parameter by its field and still lists the rest", async () => {
    const res = await browser.get("/products?minPrice=abc&maxPrice=-5&sort=cheapest&page=zero&category=Not%20A%20Slug");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Enter a price as a number, like 20000");
    expect(text).toContain("Enter a price of zero or more");
    expect(listedSlugs(res.text)).toHaveLength(20);
    expect(text).toContain(`${VISIBLE} products`);
    const inverted = await browser.get("/products?minPrice=50000&maxPrice=100");
    expect(textOf(inverted.text)).toContain("The highest price must be at least the lowest");
    // Stop words only, stray syntax, a control character: never a server error (a NUL never gets
    // past the HTTP server: 400).
    for (const q of ["the", "%22%22%20-%20OR", "a%01b", "%26%7C!(:*", "%00", "a%00b"]) {
      const odd = await browser.get(`/products?q=${q}`);
      expect(odd.status, q).toBe(q.includes("%00") ? 400 : 200);
    }
    const huge = await browser.get(`/products?q=${"a".repeat(300)}`);
    expect(huge.status).toBe(200);
    expect(textOf(huge.text)).toContain("Search for at most 200 characters");
  });

  it("shows each card's insurer, category, stars in words, yearly price and actions", async () => {
    const res = await browser.get("/products?sort=rating");
    const text = textOf(res.text);
    expect(text).toContain("4.7 out of 5, 3 reviews");
    expect(text).toContain("5.0 out of 5, 1 review");
    expect(text).toContain("No reviews yet");
    const card = res.text.slice(res.text.indexOf('data-product="alpha-motor-1"'));
    const cardText = textOf(card.slice(0, card.indexOf("</article>")));
    expect(cardText).toContain("Alpha General Insurance");
    expect(cardText).toContain("Motor");
    expect(cardText).toMatch(/From Ksh\s?[\d,]+\.\d{2} a year/);
    expect(cardText).toContain("Get a quote");
    expect(cardText).toContain("Compare");
  });

  it("lists only the agency's own products; the platform host has no listing", async () => {
    const owners = await ownerDb()
      .selectFrom("products")
      .innerJoin("tenants", "tenants.id", "products.tenant_id")
      .select(["products.slug", "tenants.slug as tenant"])
      .where("tenants.slug", "in", ["bowman", "khholdings"])
      .execute();
    const of = (tenant: string) => new Set(owners.filter((o) => o.tenant === tenant).map((o) => o.slug));
    for (const [host, own, foreign] of [
      ["bowman.localhost", of("bowman"), of("khholdings")],
      ["khholdings.localhost", of("khholdings"), of("bowman")],
    ] as const) {
      const agency = new Browser(host);
      const listed: string[] = [];
      for (let page = 1; page < 10; page++) {
        const res = await agency.get(`/products?page=${page}`);
        const found = listedSlugs(res.text);
        if (!found.length) break;
        listed.push(...found);
        expect(textOf(res.text)).not.toContain("Alpha General Insurance");
      }
      expect(listed.length).toBeGreaterThan(0);
      for (const slug of listed) {
        expect(own.has(slug), `${host} lists ${slug}`).toBe(true);
        expect(foreign.has(slug) && !own.has(slug)).toBe(false);
      }
    }
    const platform = await new Browser("localhost").get("/products");
    expect(platform.status).toBe(404);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { ownerDb } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { catalogueTenant, INACTIVE_PRODUCT, visibleProducts, VISIBLE, type Fixture, type ProductRow } from "./storefront-fixtures";

/** The catalogue's JSON API: list, detail, errors in the API's one shape, the OpenAPI document, the tenant from the host. */
let fx: Fixture;
let api: Browser;
let visible: ProductRow[];

beforeAll(async () => {
  fx = await catalogueTenant();
  api = new Browser(fx.host);
  visible = await visibleProducts(fx.tenant.id);
});

function body(res: HttpResponse) {
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  return JSON.parse(res.text);
}

function expectApiError(res: HttpResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  const json = body(res);
  expect(json).toMatchObject({ status: "error", code, message: expect.any(String), errors: expect.any(Object) });
  expect(Object.keys(json).sort()).toEqual(["code", "errors", "message", "status"]);
  return json as { errors: Record<string, string[]> };
}

async function allSlugs(browser: Browser, query = ""): Promise<string[]> {
  const slugs: string[] = [];
  let url: string | null = `/api/v1/products?pageSize=50${query ? `&${query}` : ""}`;
  while (url) {
    const res = await browser.get(url);
    expect(res.status).toBe(200);
    const json = body(res);
    slugs.push(...json.results.map((r: { slug: string }) => r.slug));
    url = json.next ? new URL(json.next).pathname + new URL(json.next).search : null;
  }
  return slugs;
}

const sorted = (list: string[]) => [...list].sort();

describe("GET /api/v1/products", () => {
  it("answers a page with count, pages and links, prices in minor units with the currency", async () => {
    const res = await api.get("/api/v1/products");
    expect(res.status).toBe(200);
    const json = body(res);
    expect(json).toMatchObject({ count: VISIBLE, page: 1, pageSize: 20, pages: 2, previous: null, currency: "KES" });
    expect(json.results).toHaveLength(20);
    expect(json.next).toBe(`http://${fx.host}:${new URL(json.next).port}/api/v1/products?page=2`);
    const first = json.results[0];
    const row = visible.find((p) => p.slug === first.slug)!;
    expect(first).toMatchObject({
      slug: row.slug,
      name: row.name,
      currency: "KES",
      startingPrice: row.price,
      category: { slug: row.category },
      insurer: { slug: row.insurer },
      url: expect.stringMatching(new RegExp(`/products/${row.slug}$`)),
    });
    expect(Number.isInteger(first.startingPrice)).toBe(true);
    const second = body(await api.get("/api/v1/products?page=2"));
    expect(second.results).toHaveLength(VISIBLE - 20);
    expect(second.next).toBeNull();
    expect(second.previous).toMatch(/\/api\/v1\/products$/);
    expect(sorted([...json.results, ...second.results].map((r: { slug: string }) => r.slug))).toEqual(sorted(visible.map((p) => p.slug)));
  });

  it("takes the listing's filters and search", async () => {
    expect(sorted(await allSlugs(api, "category=travel"))).toEqual(
      sorted(visible.filter((p) => p.category === "travel").map((p) => p.slug)),
    );
    expect(sorted(await allSlugs(api, "insurer=gamma&category=home"))).toEqual(
      sorted(visible.filter((p) => p.insurer === "gamma" && p.category === "home").map((p) => p.slug)),
    );
    expect(sorted(await allSlugs(api, "q=vehicles"))).toEqual(sorted(visible.filter((p) => p.category === "motor").map((p) => p.slug)));
    const cheap = visible.map((p) => p.price).sort((a, b) => a - b)[4]!;
    expect(sorted(await allSlugs(api, `maxPrice=${cheap / 100}`))).toEqual(
      sorted(visible.filter((p) => p.price <= cheap).map((p) => p.slug)),
    );
    const byPrice = await allSlugs(api, "sort=price_desc");
    expect(byPrice[0]).toBe([...visible].sort((a, b) => b.price - a.price)[0]!.slug);
    expect(await allSlugs(api)).not.toContain(INACTIVE_PRODUCT);
  });

  it("refuses bad parameters with the API's error shape, per field", async () => {
    const json = expectApiError(
      await api.get("/api/v1/products?minPrice=abc&sort=cheapest&page=0&pageSize=500&category=NOT!"),
      400,
      "VALIDATION_ERROR",
    );
    expect(Object.keys(json.errors).sort()).toEqual(["category", "minPrice", "page", "pageSize", "sort"]);
    expect(json.errors.minPrice).toEqual(["Enter a price as a number, like 20000"]);
  });

  it("answers JSON for a wrong method", async () => {
    expectApiError(await api.send("POST", "/api/v1/products", "{}", { "content-type": "application/json" }), 405, "METHOD_NOT_ALLOWED");
  });
});

describe("GET /api/v1/products/:slug", () => {
  it("gives the product with its prices per frequency and the inputs to build a quote form", async () => {
    const res = await api.get("/api/v1/products/gamma-medical-1");
    expect(res.status).toBe(200);
    const json = body(res);
    const row = visible.find((p) => p.slug === "gamma-medical-1")!;
    expect(json).toMatchObject({
      slug: "gamma-medical-1",
      name: "Family Health Plus",
      currency: "KES",
      startingPrice: row.price,
      waitingPeriodDays: 30,
      rating: { average: 3.5, count: 2 },
      insurer: { slug: "gamma", name: "Gamma Shield Insurance" },
      category: { slug: "medical", name: "Medical" },
    });
    expect(json).not.toHaveProperty("id");
    expect(json.quote.endpoint).toMatch(/\/api\/v1\/quotes$/);
    expect(json.quote.frequencies.map((f: { value: string }) => f.value)).toEqual(["annual", "semi_annual", "quarterly", "monthly"]);
    const names = json.quote.inputs.map((f: { name: string }) => f.name);
    expect(names).toEqual(["inpatientLimit", "outpatient", "persons"]);
    const persons = json.quote.inputs.find((f: { name: string }) => f.name === "persons");
    expect(persons).toMatchObject({ control: "persons", roles: expect.any(Array) });
    const annual = json.prices.frequencies.find((f: { frequency: string }) => f.frequency === "annual");
    expect(annual.yearTotal).toBe(row.price);
    expect(json.reviews).toHaveLength(2);
    expect(JSON.stringify(json.reviews)).not.toMatch(/@example\.com/);
  });

  it("answers the API's NOT_FOUND for an unknown, malformed, inactive or other agency's product", async () => {
    for (const slug of ["no-such-product", "Not%20A%20Slug", INACTIVE_PRODUCT])
      expectApiError(await api.get(`/api/v1/products/${slug}`), 404, "NOT_FOUND");
    const bowmanSlug = (
      await ownerDb()
        .selectFrom("products")
        .innerJoin("tenants", "tenants.id", "products.tenant_id")
        .where("tenants.slug", "=", "bowman")
        .select("products.slug")
        .executeTakeFirstOrThrow()
    ).slug;
    expect((await new Browser("bowman.localhost").get(`/api/v1/products/${bowmanSlug}`)).status).toBe(200);
    expectApiError(await new Browser("khholdings.localhost").get(`/api/v1/products/${bowmanSlug}`), 404, "NOT_FOUND");
  });
});

describe("the rest of /api/v1", () => {
  it("answers unknown paths with the API's NOT_FOUND, never HTML", async () => {
    expectApiError(await api.get("/api/v1/nothing-here"), 404, "NOT_FOUND");
    expectApiError(await api.get("/api/v1"), 404, "NOT_FOUND");
    expectApiError(await api.get("/api/v1/products/gamma-medical-1/extra"), 404, "NOT_FOUND");
    expectApiError(await api.send("DELETE", "/api/v1/whatever"), 404, "NOT_FOUND");
    expectApiError(await new Browser("nosuch.localhost").get("/api/v1/products"), 404, "NOT_FOUND");
  });

  it("serves an OpenAPI 3.1 document describing every endpoint, for the agency's own host", async () => {
    const res = await api.get("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = body(res);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toContain(fx.tenant.name);
    expect(doc.servers[0].url).toMatch(new RegExp(`^http://${fx.host}:\\d+/api/v1$`));
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/facilities",
      "/facilities/{facilityId}",
      "/members/{memberId}/benefits",
      "/openapi.json",
      "/products",
      "/products/{slug}",
      "/quotes",
      "/quotes/{quoteId}",
    ]);
    expect(doc.paths["/products"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["q", "category", "insurer", "minPrice", "maxPrice", "sort", "page", "pageSize"]),
    );
    expect(doc.paths["/quotes"].post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/QuoteRequest");
    expect(doc.components.schemas.Error.required).toEqual(["status", "code", "message", "errors"]);
    // Every $ref points at a schema that exists.
    const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(5);
    for (const name of refs) expect(doc.components.schemas, name).toHaveProperty(name);
    // The list answer has every property the document says it must.
    const list = body(await api.get("/api/v1/products"));
    for (const key of doc.components.schemas.ProductList.required) expect(list).toHaveProperty(key);
    for (const key of doc.components.schemas.ProductListItem.required) expect(list.results[0]).toHaveProperty(key);
    const detail = body(await api.get("/api/v1/products/alpha-motor-1"));
    for (const key of doc.components.schemas.ProductDetail.required) expect(detail).toHaveProperty(key);
    // And a real quote has every property the document promises.
    const created = await api.send(
      "POST",
      "/api/v1/quotes",
      JSON.stringify({ product: "gamma-home-1", inputs: { buildingValue: 300_000_000 } }),
      { "content-type": "application/json" },
    );
    expect(created.status).toBe(201);
    const { quote } = body(created);
    for (const key of doc.components.schemas.Quote.required) expect(quote, key).toHaveProperty(key);
    const reopened = body(await api.get(`/api/v1/quotes/${quote.id}`));
    expect(reopened.quote.reference).toBe(quote.reference);
  });

  it("takes the tenant from the host: Bowman's API never returns KHHoldings products, nor the other way round", async () => {
    const owners = await ownerDb()
      .selectFrom("products")
      .innerJoin("tenants", "tenants.id", "products.tenant_id")
      .select(["products.slug", "products.name", "tenants.slug as tenant"])
      .where("tenants.slug", "in", ["bowman", "khholdings"])
      .execute();
    for (const [agency, other] of [
      ["bowman", "khholdings"],
      ["khholdings", "bowman"],
    ] as const) {
      const browser = new Browser(`${agency}.localhost`);
      const listed = await allSlugs(browser);
      expect(listed.length).toBeGreaterThan(0);
      const own = new Set(owners.filter((o) => o.tenant === agency).map((o) => o.slug));
      for (const slug of listed) expect(own.has(slug), `${agency} lists ${slug}`).toBe(true);
      const foreignNames = owners.filter((o) => o.tenant === other && !own.has(o.slug)).map((o) => o.name);
      const page = (await browser.get("/api/v1/products?pageSize=50")).text;
      for (const name of foreignNames) expect(page).not.toContain(JSON.stringify(name));
    }
    expect(await allSlugs(new Browser("khholdings.localhost"))).not.toContain("alpha-motor-1");
  });
});

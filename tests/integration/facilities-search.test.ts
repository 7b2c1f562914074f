import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { seed } from "~db/seed";
import { searchFacilities } from "~/modules/facilities/search.server";
import { createTenant, ownerDb } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { hostOf, textOf } from "./accounts-support";
import { addFacilities, facility } from "./facilities-support";

/**
 * Finding a hospital or clinic: the public page (/facilities) and the JSON API (/api/v1/facilities),
 * anonymous, over real HTTP. Only the agency's own active facilities are ever found, its panel
 * unless asked otherwise; pages are cursor links that walk the whole set once.
 */

type Tenant = { id: string; slug: string; name: string };
let tenant: Tenant;
let other: Tenant;
let page: Browser;
let ids: Record<string, string>;

beforeAll(async () => {
  tenant = await createTenant();
  other = await createTenant();
  page = new Browser(hostOf(tenant));
  const rows = await addFacilities(tenant.id, [
    // 24 panel clinics in Ipoh: more than a page of 20.
    ...Array.from({ length: 24 }, (_, i) => facility({ name: `Klinik Ipoh ${String(i + 1).padStart(2, "0")}`, kind: "clinic" })),
    facility({
      name: "Gleneagles Penang",
      city: "George Town",
      state: "Penang",
      phone: "+60 4-222 9111",
      email: "info@gleneagles.example",
      services: ["24-hour emergency", "Cardiology"],
    }),
    facility({ name: "Island Hospital", city: "George Town", state: "Penang", panel: false }),
    facility({ name: "Closed Hospital", city: "George Town", state: "Penang", status: "inactive" }),
  ]);
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  await addFacilities(other.id, [
    facility({ name: "Their Secret Hospital", city: "George Town", state: "Penang" }),
    facility({ name: "Klinik Ipoh Rahsia", kind: "clinic" }),
  ]);
});

/** The facility names a page lists, in order. */
function namesOn(res: HttpResponse): string[] {
  expect(res.status).toBe(200);
  return [...res.text.matchAll(/<h2 id="facility-[0-9a-f-]{36}">([^<]+)<\/h2>/g)].map((m) => m[1]!);
}

function body(res: HttpResponse) {
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  return JSON.parse(res.text);
}

function expectApiError(res: HttpResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  const json = body(res);
  expect(Object.keys(json).sort()).toEqual(["code", "errors", "message", "status"]);
  expect(json).toMatchObject({ status: "error", code });
  return json as { errors: Record<string, string[]> };
}

const path = (link: string) => new URL(link).pathname + new URL(link).search;

/** Where a page's link with this rel goes. */
function linkOf(html: string, rel: "next" | "prev"): string | undefined {
  const tag = new RegExp(`<a [^>]*rel="${rel}"[^>]*>`).exec(html)?.[0];
  return tag && /href="([^"]+)"/.exec(tag)?.[1]?.replace(/&amp;/g, "&");
}

describe("the public search page", () => {
  it("lists the panel by default, with address, a phone to call, services and a map link", async () => {
    const res = await page.get("/facilities?state=Penang");
    expect(namesOn(res)).toEqual(["Gleneagles Penang"]);
    expect(res.text).toContain('href="tel:+6042229111"');
    expect(res.text).toContain('href="mailto:info@gleneagles.example"');
    expect(res.text).toContain("https://www.google.com/maps/search/?api=1&amp;query=Gleneagles%20Penang%2C%201%20Jalan%20Contoh");
    const text = textOf(res.text);
    expect(text).toContain("1 panel hospital or clinic match");
    expect(text).toContain("24-hour emergency");
    expect(text).toContain("30350 George Town");
  });

  it("includes facilities not on the panel when asked, and never an inactive one or another agency's", async () => {
    expect(namesOn(await page.get("/facilities?state=Penang&panel=all"))).toEqual(["Gleneagles Penang", "Island Hospital"]);
    const all = [...namesOn(await page.get("/facilities?panel=all")), ...namesOn(await page.get("/facilities?panel=all&q=island"))];
    expect(all).not.toContain("Closed Hospital");
    expect(all).not.toContain("Their Secret Hospital");
    expect(namesOn(await page.get("/facilities?q=secret"))).toEqual([]);
  });

  it("filters by state and city (letter case aside), type and the start of words of the name", async () => {
    expect(namesOn(await page.get("/facilities?city=george+town&kind=hospital"))).toEqual(["Gleneagles Penang"]);
    expect(namesOn(await page.get("/facilities?kind=hospital&state=Perak"))).toEqual([]);
    expect(namesOn(await page.get("/facilities?q=glen+pen"))).toEqual(["Gleneagles Penang"]);
    expect(namesOn(await page.get("/facilities?q=klinik+ipoh+0"))).toHaveLength(9);
    // Punctuation a search engine would choke on is only words here.
    expect(namesOn(await page.get(`/facilities?q=${encodeURIComponent("glen & | ! :* (")}`))).toEqual(["Gleneagles Penang"]);
  });

  it("pages with cursor links that keep the search, forwards and back", async () => {
    const first = await page.get("/facilities?kind=clinic");
    expect(namesOn(first)).toEqual(Array.from({ length: 20 }, (_, i) => `Klinik Ipoh ${String(i + 1).padStart(2, "0")}`));
    expect(textOf(first.text)).toContain("24 panel clinics match your search.");
    const next = linkOf(first.text, "next");
    expect(next).toMatch(/^\/facilities\?kind=clinic&cursor=/);
    expect(linkOf(first.text, "prev")).toBeUndefined();
    const second = await page.get(next!);
    expect(namesOn(second)).toEqual(["Klinik Ipoh 21", "Klinik Ipoh 22", "Klinik Ipoh 23", "Klinik Ipoh 24"]);
    expect(linkOf(second.text, "next")).toBeUndefined();
    expect(namesOn(await page.get(linkOf(second.text, "prev")!))).toEqual(namesOn(first));
  });

  it("says when nothing matches and offers the way out; a broken link or bad filter is said, not a 500", async () => {
    const none = textOf((await page.get("/facilities?q=nowhere")).text);
    expect(none).toContain("No panel hospitals and clinics match your search.");
    expect(none).toContain("Include facilities not on our panel");
    const broken = await page.get("/facilities?cursor=bm9wZQ&kind=spa&state=Penang");
    expect(broken.status).toBe(200);
    const text = textOf(broken.text);
    expect(text).toContain("Part of this search was ignored");
    expect(text).toContain("Page: This page link is broken; start the search again.");
    expect(text).toContain("Type: Use hospital or clinic.");
    expect(namesOn(broken)).toEqual(["Gleneagles Penang"]);
  });

  it("is linked from every storefront page's footer", async () => {
    expect((await page.get("/")).text).toContain('href="/facilities"');
  });
});

describe("GET /api/v1/facilities", () => {
  it("answers the same search as JSON and walks every page once by its next links", async () => {
    const api = new Browser(hostOf(tenant));
    const first = body(await api.get("/api/v1/facilities?limit=10"));
    expect(first).toMatchObject({ total: 25, limit: 10, previous: null });
    expect(first.results[0]).toEqual({
      id: ids["Gleneagles Penang"],
      name: "Gleneagles Penang",
      kind: "hospital",
      address: "1 Jalan Contoh",
      city: "George Town",
      state: "Penang",
      postcode: "30350",
      phone: "+60 4-222 9111",
      email: "info@gleneagles.example",
      panel: true,
      services: ["24-hour emergency", "Cardiology"],
      api: `http://${hostOf(tenant)}:${new URL(first.next).port}/api/v1/facilities/${ids["Gleneagles Penang"]}`,
    });
    const pages: { names: string[]; previous: string | null }[] = [];
    let link: string | null = "/api/v1/facilities?limit=10";
    while (link) {
      const json = body(await api.get(link));
      pages.push({ names: json.results.map((r: { name: string }) => r.name), previous: json.previous });
      link = json.next ? path(json.next) : null;
    }
    expect(pages.map((p) => p.names.length)).toEqual([10, 10, 5]);
    const seen = pages.flatMap((p) => p.names);
    expect(new Set(seen).size).toBe(25);
    expect(seen).not.toContain("Island Hospital");
    // From the last page, previous goes back to the page before it.
    const back = body(await api.get(path(pages[2]!.previous!)));
    expect(back.results.map((r: { name: string }) => r.name)).toEqual(pages[1]!.names);
    const everything = body(await api.get("/api/v1/facilities?panel=all&state=PENANG&limit=50"));
    expect(everything.results.map((r: { name: string }) => r.name)).toEqual(["Gleneagles Penang", "Island Hospital"]);
  });

  it("refuses bad parameters with the API's error shape, by parameter", async () => {
    const api = new Browser(hostOf(tenant));
    const bad = expectApiError(await api.get("/api/v1/facilities?kind=spa&limit=0&panel=some&cursor=zzz"), 400, "VALIDATION_ERROR");
    expect(Object.keys(bad.errors).sort()).toEqual(["cursor", "kind", "limit", "panel"]);
    expectApiError(await api.get(`/api/v1/facilities?q=${encodeURIComponent("a\u0007b")}`), 400, "VALIDATION_ERROR");
    expectApiError(await api.send("POST", "/api/v1/facilities", "{}", { "content-type": "application/json" }), 405, "METHOD_NOT_ALLOWED");
  });

  it("answers one listed facility, and 404 for an inactive one, another agency's or a malformed id", async () => {
    const api = new Browser(hostOf(tenant));
    const one = body(await api.get(`/api/v1/facilities/${ids["Island Hospital"]}`));
    expect(one.facility).toMatchObject({ name: "Island Hospital", panel: false });
    const theirs = (await ownerDb().selectFrom("facilities").select("id").where("tenant_id", "=", other.id).execute())[0]!.id;
    expectApiError(await api.get(`/api/v1/facilities/${theirs}`), 404, "NOT_FOUND");
    expectApiError(await api.get(`/api/v1/facilities/${ids["Closed Hospital"]}`), 404, "NOT_FOUND");
    expectApiError(await api.get("/api/v1/facilities/not-an-id"), 404, "NOT_FOUND");
    // The other agency finds its own by the same id, and never this one's.
    const there = new Browser(hostOf(other));
    expect((await there.get(`/api/v1/facilities/${theirs}`)).status).toBe(200);
    expectApiError(await there.get(`/api/v1/facilities/${ids["Gleneagles Penang"]}`), 404, "NOT_FOUND");
    const theirSearch = body(await there.get("/api/v1/facilities?panel=all&limit=50"));
    expect(theirSearch.results.map((r: { name: string }) => r.name)).toEqual(["Klinik Ipoh Rahsia", "Their Secret Hospital"]);
  });

  it("is in the OpenAPI document", async () => {
    const doc = body(await new Browser(hostOf(tenant)).get("/api/v1/openapi.json"));
    expect(doc.paths["/facilities"].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      "q",
      "state",
      "city",
      "kind",
      "panel",
      "cursor",
      "limit",
    ]);
    const list = body(await new Browser(hostOf(tenant)).get("/api/v1/facilities"));
    const schema = doc.paths["/facilities"].get.responses["200"].content["application/json"].schema;
    for (const key of schema.required) expect(list).toHaveProperty(key);
    for (const key of schema.properties.results.items.required) expect(list.results[0]).toHaveProperty(key);
  });
});

describe("searchFacilities, for the claim wizard's picker", () => {
  it("finds by name within a state, a few at a time", async () => {
    const found = await withTenant(tenant.id, (db) => searchFacilities(db, { q: "klinik", state: "Perak", limit: 5 }));
    expect(found.facilities.map((f) => f.name)).toEqual([
      "Klinik Ipoh 01",
      "Klinik Ipoh 02",
      "Klinik Ipoh 03",
      "Klinik Ipoh 04",
      "Klinik Ipoh 05",
    ]);
    expect(found.total).toBe(24);
    const more = await withTenant(tenant.id, (db) => searchFacilities(db, { q: "klinik", state: "Perak", limit: 5, cursor: found.next }));
    expect(more.facilities[0]?.name).toBe("Klinik Ipoh 06");
  });
});

describe("the demo directories", () => {
  it("list KHHoldings' hospitals and clinics across Malaysia and Bowman's in Nairobi and Mombasa, and seeding again changes nothing", async () => {
    const db = ownerDb();
    const directory = async (slug: string) =>
      db
        .selectFrom("facilities")
        .innerJoin("tenants", "tenants.id", "facilities.tenant_id")
        .select(["facilities.id", "facilities.name", "city", "state", "kind", "panel", "facilities.status", "facilities.updated_at"])
        .where("tenants.slug", "=", slug)
        .orderBy("facilities.id")
        .execute();
    const kh = await directory("khholdings");
    const bowman = await directory("bowman");
    const states = new Set(kh.map((f) => f.state));
    for (const state of [
      "Kuala Lumpur",
      "Selangor",
      "Penang",
      "Johor",
      "Perak",
      "Sabah",
      "Sarawak",
      "Melaka",
      "Negeri Sembilan",
      "Kedah",
      "Pahang",
      "Kelantan",
      "Terengganu",
    ])
      expect(states, state).toContain(state);
    expect(kh.some((f) => !f.panel)).toBe(true);
    expect(kh.filter((f) => f.panel).length).toBeGreaterThan(kh.length / 2);
    expect(new Set(kh.map((f) => f.kind))).toEqual(new Set(["hospital", "clinic"]));
    const cities = bowman.filter((f) => f.panel).map((f) => f.city);
    expect(cities.filter((c) => c === "Nairobi").length).toBeGreaterThanOrEqual(5);
    expect(cities.filter((c) => c === "Mombasa").length).toBeGreaterThanOrEqual(3);
    const khPage = namesOn(await new Browser("khholdings.localhost").get("/facilities?state=Sarawak&kind=hospital"));
    expect(khPage.length).toBeGreaterThan(0);

    await seed();
    expect(await directory("khholdings")).toEqual(kh);
    expect(await directory("bowman")).toEqual(bowman);
  });
});

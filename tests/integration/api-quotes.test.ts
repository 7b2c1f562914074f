import { beforeAll, describe, expect, it } from "vitest";
import { ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { createStoreTenant, expectedPrice, motorJson, postJson, quoteCount, quoteRow, YEAR, type StoreTenant } from "./quotes-support";

let tenant: StoreTenant;
let other: StoreTenant;

beforeAll(async () => {
  [tenant, other] = await Promise.all([createStoreTenant(), createStoreTenant()]);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies are checked field by field below.
const body = (text: string) => JSON.parse(text) as Record<string, any>;

describe("POST /api/v1/quotes", () => {
  it("prices and saves a quote: 201 with the breakdown, instalments and a link", async () => {
    const api = new Browser(tenant.host);
    const res = await postJson(api, "/api/v1/quotes", {
      product: "motor-comprehensive",
      frequency: "quarterly",
      inputs: { ...motorJson(250_000_000), politicalViolence: true },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    const { quote } = body(res.text);
    const expected = expectedPrice("motor-comprehensive", { ...motorJson(250_000_000), politicalViolence: true });
    const quarterly = expected.frequencies.find((f) => f.frequency === "quarterly")!;
    expect(quote).toMatchObject({
      reference: expect.stringMatching(new RegExp(`^TST-Q-${YEAR()}-\\d{6}$`)),
      product: { slug: "motor-comprehensive", name: "Motor Comprehensive", insurer: "Savannah General" },
      frequency: "quarterly",
      currency: "KES",
      basePremium: expected.basePremium,
      total: expected.total,
      annualTotal: quarterly.annualEquivalent,
      url: `${api.origin}/quotes/${quote.id}`,
    });
    expect(quote.lines).toEqual(expected.lines.map(({ code, label, amount }) => ({ code, label, amount })));
    expect(quote.levies).toEqual(expected.levies.map(({ code, label, amount }) => ({ code, label, amount })));
    // It adds up.
    expect(quote.lines.reduce((s: number, l: { amount: number }) => s + l.amount, 0)).toBe(quote.basePremium);
    expect(quote.basePremium + quote.levies.reduce((s: number, l: { amount: number }) => s + l.amount, 0)).toBe(quote.total);
    expect(quote.instalments.map((i: { frequency: string }) => i.frequency)).toEqual(["annual", "semi_annual", "quarterly", "monthly"]);
    expect(quote.instalments[2]).toMatchObject({
      instalmentsPerYear: 4,
      amount: quarterly.instalmentAmount,
      annualTotal: quarterly.annualEquivalent,
    });
    expect(new Date(quote.validUntil).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(res.headers.location).toBe(quote.url);

    const row = await quoteRow(quote.id);
    expect(row.tenant_id).toBe(tenant.id);
    expect(row.reference).toBe(quote.reference);
    // The same quote reopens by id, and its link is the storefront's quote page.
    const again = await api.get(`/api/v1/quotes/${quote.id}`);
    expect(again.status).toBe(200);
    expect(body(again.text).quote).toEqual(quote);
    expect((await api.get(`/quotes/${quote.id}`)).status).toBe(200);
  });

  it("answers invalid inputs with 400 VALIDATION_ERROR and per-field messages, saving nothing", async () => {
    const api = new Browser(tenant.host);
    const count = await quoteCount(tenant.id);
    const res = await postJson(api, "/api/v1/quotes", {
      product: "family-medical",
      frequency: "monthly",
      inputs: {
        inpatientLimit: "3m",
        persons: [
          { role: "principal", age: 40 },
          { role: "child", age: 30 },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    const error = body(res.text);
    expect(error).toMatchObject({ status: "error", code: "VALIDATION_ERROR", message: expect.any(String) });
    expect(error.errors["inputs.inpatientLimit"]).toEqual(["Choose one of: KES 500,000, KES 1,000,000, KES 2,000,000"]);
    expect(error.errors["inputs.persons[1].age"]).toEqual(["Age must be between 0 and 24 for a child"]);

    const motor = body((await postJson(api, "/api/v1/quotes", { product: "motor-comprehensive", inputs: { vehicleValue: 5 } })).text);
    expect(motor.errors["inputs.vehicleValue"]?.[0]).toMatch(/^Vehicle value must be between/);
    expect(motor.errors["inputs.use"]).toEqual(["Choose the vehicle use"]);

    const shape = await postJson(api, "/api/v1/quotes", { frequency: "weekly", inputs: [] });
    expect(shape.status).toBe(400);
    expect(Object.keys(body(shape.text).errors).sort()).toEqual(["frequency", "inputs", "product"]);
    const travel = body((await postJson(api, "/api/v1/quotes", { product: "travel-cover", frequency: "monthly", inputs: {} })).text);
    expect(travel.errors.frequency).toEqual(["Choose how often to pay: Annually"]);
    expect(await quoteCount(tenant.id)).toBe(count);
  });

  it("answers an unknown product 404, a body that is not JSON 400, and other methods 405, all in the error shape", async () => {
    const api = new Browser(tenant.host);
    const unknown = await postJson(api, "/api/v1/quotes", { product: "no-such-product", inputs: {} });
    expect(unknown.status).toBe(404);
    expect(body(unknown.text)).toEqual({ status: "error", code: "NOT_FOUND", message: "Product not found", errors: {} });
    const inactive = await postJson(api, "/api/v1/quotes", { product: "retired-cover", inputs: {} });
    expect(body(inactive.text).code).toBe("NOT_FOUND");

    const broken = await postJson(api, "/api/v1/quotes", null, "{not json");
    expect(broken.status).toBe(400);
    expect(body(broken.text)).toMatchObject({ status: "error", code: "INVALID_JSON" });

    // GET is the signed-in person's saved quotes (issue 15): without a token, a 401.
    const list = await api.send("GET", "/api/v1/quotes");
    expect(list.status).toBe(401);
    expect(body(list.text)).toMatchObject({ status: "error", code: "UNAUTHENTICATED" });
    for (const method of ["PUT", "DELETE"]) {
      const res = await api.send(method, "/api/v1/quotes", "{}", { "content-type": "application/json" });
      expect(res.status, method).toBe(405);
      expect(body(res.text)).toMatchObject({ status: "error", code: "METHOD_NOT_ALLOWED" });
    }
    const post = await api.send("POST", "/api/v1/quotes/00000000-0000-0000-0000-000000000000", "{}", {
      "content-type": "application/json",
    });
    expect(post.status).toBe(405);
  });
});

describe("the quote API and tenants", () => {
  it("takes the agency from the host: another agency's quote id is 404, and so is a malformed one", async () => {
    const created = body(
      (await postJson(new Browser(other.host), "/api/v1/quotes", { product: "home-cover", inputs: { buildingValue: 900_000_000 } })).text,
    );
    const theirs = created.quote.id as string;
    expect((await quoteRow(theirs)).tenant_id).toBe(other.id);
    const api = new Browser(tenant.host);
    for (const id of [theirs, "not-a-uuid", "00000000-0000-0000-0000-000000000000"]) {
      const res = await api.get(`/api/v1/quotes/${id}`);
      expect(res.status, id).toBe(404);
      expect(body(res.text)).toEqual({ status: "error", code: "NOT_FOUND", message: "Quote not found", errors: {} });
    }
    // The platform's own host has no agency, so no quotes.
    const platform = await postJson(new Browser("localhost"), "/api/v1/quotes", { product: "home-cover", inputs: {} });
    expect(platform.status).toBe(404);
    expect(body(platform.text).code).toBe("NOT_FOUND");
  });

  it("prices in each demo agency's own currency, numbering and products", async () => {
    const kh = await postJson(new Browser("khholdings.localhost"), "/api/v1/quotes", {
      product: "hibah-senior-care-gold-270",
      frequency: "monthly",
      inputs: {},
    });
    expect(kh.status, kh.text).toBe(201);
    const { quote } = body(kh.text);
    expect(quote.reference).toMatch(/^KHH-Q-\d{4}-\d{6}$/);
    expect(quote.currency).toBe("MYR");
    expect(quote.levies).toEqual([]);
    // RM150 a month, twelve times: RM1,800 a year.
    expect(quote.instalments.find((i: { frequency: string }) => i.frequency === "monthly")).toMatchObject({
      amount: 15_000,
      annualTotal: 180_000,
    });
    expect(quote.annualTotal).toBe(180_000);
    // Bowman has no such product.
    const bowman = await postJson(new Browser("bowman.localhost"), "/api/v1/quotes", { product: "hibah-senior-care-gold-270", inputs: {} });
    expect(bowman.status).toBe(404);
    const row = await ownerDb()
      .selectFrom("quotes")
      .innerJoin("tenants", "tenants.id", "quotes.tenant_id")
      .select("tenants.slug")
      .where("quotes.id", "=", quote.id)
      .executeTakeFirstOrThrow();
    expect(row.slug).toBe("khholdings");
  });
});

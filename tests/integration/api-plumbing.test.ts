import { beforeAll, describe, expect, it } from "vitest";
import { ownerDb, uniqueSlug } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { createStoreTenant, motorJson, quoteCount, type StoreTenant } from "./quotes-support";

/**
 * What every /api/v1 endpoint gets from app/modules/api/endpoint.server.ts (decision 045), through
 * the quote and catalogue endpoints over real HTTP: CORS per agency, Idempotency-Key, ETags, the
 * body rules and the one error shape.
 */
let tenant: StoreTenant;
let api: Browser;
const ALLOWED = "https://app.example-partner.com";
const json = (res: HttpResponse) => JSON.parse(res.text) as Record<string, unknown>;
const quoteBody = (value = 250_000_000) => JSON.stringify({ product: "motor-comprehensive", inputs: motorJson(value) });
const postQuote = (body: string, headers: Record<string, string> = {}) =>
  api.send("POST", "/api/v1/quotes", body, { "content-type": "application/json", ...headers });

beforeAll(async () => {
  tenant = await createStoreTenant();
  api = new Browser(tenant.host);
  await ownerDb()
    .insertInto("api_settings")
    .values({ tenant_id: tenant.id, allowed_origins: [ALLOWED] })
    .execute();
});

function expectError(res: HttpResponse, status: number, code: string) {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = json(res);
  expect(body).toMatchObject({ status: "error", code, message: expect.any(String), errors: expect.any(Object) });
  expect(Object.keys(body).sort()).toEqual(["code", "errors", "message", "status"]);
  return body.errors as Record<string, string[]>;
}

describe("CORS, per agency", () => {
  it("answers an allowed origin's preflight with the Access-Control headers, and another origin's with none", async () => {
    const preflight = (origin: string) =>
      api.send("OPTIONS", "/api/v1/quotes", undefined, {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, idempotency-key",
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(allowed.headers["access-control-allow-methods"]).toContain("POST");
    expect(String(allowed.headers["access-control-allow-headers"]).toLowerCase()).toContain("idempotency-key");
    expect(allowed.headers.vary).toContain("Origin");
    const other = await preflight("https://evil.example.net");
    expect(Object.keys(other.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("lets the allowed origin write, and refuses another site's write with 403 ORIGIN_NOT_ALLOWED, creating nothing", async () => {
    const before = await quoteCount(tenant.id);
    const refused = await postQuote(quoteBody(), { origin: "https://evil.example.net" });
    expectError(refused, 403, "ORIGIN_NOT_ALLOWED");
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    expect(await quoteCount(tenant.id)).toBe(before);
    const allowed = await postQuote(quoteBody(), { origin: ALLOWED });
    expect(allowed.status, allowed.text).toBe(201);
    expect(allowed.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(await quoteCount(tenant.id)).toBe(before + 1);
    // Reads carry the headers too, for the allowed origin only.
    expect((await api.get("/api/v1/products", { origin: ALLOWED })).headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(
      (await api.get("/api/v1/products", { origin: "https://evil.example.net" })).headers["access-control-allow-origin"],
    ).toBeUndefined();
  });
});

describe("Idempotency-Key on POSTs that create", () => {
  it("answers a repeat with the first answer, marked Idempotent-Replayed, and creates nothing new", async () => {
    const key = uniqueSlug("idem");
    const before = await quoteCount(tenant.id);
    const first = await postQuote(quoteBody(), { "idempotency-key": key });
    expect(first.status, first.text).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    const again = await postQuote(quoteBody(), { "idempotency-key": key });
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(json(again)).toEqual(json(first));
    expect(again.headers.location).toBe(first.headers.location);
    expect(await quoteCount(tenant.id)).toBe(before + 1);
    // Without a key, each POST creates.
    expect((await postQuote(quoteBody())).status).toBe(201);
    expect(await quoteCount(tenant.id)).toBe(before + 2);
  });

  it("refuses the same key with another body (422), and an unusable key (400)", async () => {
    const key = uniqueSlug("idem");
    expect((await postQuote(quoteBody(250_000_000), { "idempotency-key": key })).status).toBe(201);
    const before = await quoteCount(tenant.id);
    expectError(await postQuote(quoteBody(300_000_000), { "idempotency-key": key }), 422, "IDEMPOTENCY_KEY_REUSED");
    const errors = expectError(await postQuote(quoteBody(), { "idempotency-key": "x".repeat(256) }), 400, "VALIDATION_ERROR");
    expect(errors["Idempotency-Key"]).toBeDefined();
    expect(await quoteCount(tenant.id)).toBe(before);
  });

  it("creates once for concurrent duplicates: each answer is the creation, its replay, or 409 in progress", async () => {
    const key = uniqueSlug("idem");
    const before = await quoteCount(tenant.id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => postQuote(quoteBody(), { "idempotency-key": key })));
    for (const res of answers) expect([201, 409], res.text.slice(0, 200)).toContain(res.status);
    const created = answers.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((r) => (json(r).quote as { id: string }).id)).size).toBe(1);
    for (const res of answers.filter((r) => r.status === 409)) {
      expectError(res, 409, "REQUEST_IN_PROGRESS");
      expect(res.headers["retry-after"]).toBe("1");
    }
    expect(await quoteCount(tenant.id)).toBe(before + 1);
    // A failed first request is not kept: the same key may try again.
    const retryKey = uniqueSlug("idem");
    expect((await postQuote(JSON.stringify({ product: "no-such-product", inputs: {} }), { "idempotency-key": retryKey })).status).toBe(404);
  });
});

describe("reads", () => {
  it("answers an ETag and 304 for a matching If-None-Match, HEAD without a body, and 405 with Allow for another method", async () => {
    const res = await api.get("/api/v1/products?pageSize=2");
    expect(res.status).toBe(200);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    const unchanged = await api.get("/api/v1/products?pageSize=2", { "if-none-match": etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe("");
    expect(unchanged.headers.etag).toBe(etag);
    expect((await api.get("/api/v1/products?pageSize=2", { "if-none-match": 'W/"other"' })).status).toBe(200);
    // Another page is another answer.
    expect((await api.get("/api/v1/products?pageSize=1")).headers.etag).not.toBe(etag);

    const head = await api.send("HEAD", "/api/v1/products?pageSize=2");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.etag).toBe(etag);

    const wrong = await api.send("DELETE", "/api/v1/products");
    expectError(wrong, 405, "METHOD_NOT_ALLOWED");
    expect(wrong.headers.allow).toBe("GET, OPTIONS");
    expect((await api.send("PUT", "/api/v1/quotes", "{}", { "content-type": "application/json" })).headers.allow).toBe(
      "GET, POST, OPTIONS",
    );
  });
});

describe("bodies and hostile input", () => {
  it("refuses a body over 1 MB (413), a form body (415) and broken JSON (400 INVALID_JSON), creating nothing", async () => {
    const before = await quoteCount(tenant.id);
    const big = JSON.stringify({ product: "motor-comprehensive", inputs: { note: "x".repeat(1_100_000) } });
    expectError(await postQuote(big), 413, "PAYLOAD_TOO_LARGE");
    expectError(
      await api.send("POST", "/api/v1/quotes", "product=motor-comprehensive", { "content-type": "application/x-www-form-urlencoded" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expectError(await postQuote('{"product": "motor-comprehensive", '), 400, "INVALID_JSON");
    expect(await quoteCount(tenant.id)).toBe(before);
  });

  it("answers NUL bytes, line breaks and huge strings in the query or the body with 400 and the field's error", async () => {
    for (const value of ["glen\u0000eagles", "glen\r\nSet-Cookie: x=1", "g".repeat(5_000)]) {
      const errors = expectError(await api.get(`/api/v1/facilities?q=${encodeURIComponent(value)}`), 400, "VALIDATION_ERROR");
      expect(Object.keys(errors)).toEqual(["q"]);
      const products = expectError(await api.get(`/api/v1/products?q=${encodeURIComponent(value)}`), 400, "VALIDATION_ERROR");
      expect(Object.keys(products)).toEqual(["q"]);
    }
    const before = await quoteCount(tenant.id);
    for (const value of ["motor\u0000comprehensive", "motor\r\ncomprehensive", "m".repeat(200_000)]) {
      const errors = expectError(await postQuote(JSON.stringify({ product: value, inputs: {} })), 400, "VALIDATION_ERROR");
      expect(Object.keys(errors)).toEqual(["product"]);
    }
    const nested = expectError(
      await postQuote(JSON.stringify({ product: "motor-comprehensive", inputs: { ...motorJson(250_000_000), use: "private\u0000" } })),
      400,
      "VALIDATION_ERROR",
    );
    expect(Object.keys(nested)).toEqual(["inputs.use"]);
    expect(await quoteCount(tenant.id)).toBe(before);
  });

  it("answers an unknown address 404 in the error shape, CORS headers included for an allowed origin", async () => {
    const res = await api.send("POST", "/api/v1/no-such-thing", "{}", { "content-type": "application/json", origin: ALLOWED });
    expectError(res, 404, "NOT_FOUND");
    expect(res.headers["access-control-allow-origin"]).toBe(ALLOWED);
  });
});

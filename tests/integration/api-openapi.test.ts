import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "~/modules/auth/api-keys.server";
import { issueTokens } from "~/modules/auth/api-tokens.server";
import { withTenant } from "~db/client";
import { createUser, ownerDb, uniqueSlug } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { addAgent } from "./network-support";

/**
 * The OpenAPI document is the API (decision 045): every /api/v1 route serves only described
 * operations and every described operation is served; the document compiles as JSON Schema 2020-12
 * (OpenAPI 3.1's dialect); and what the endpoints really answer, successes and errors, validates
 * against it. Generic over the document: a new endpoint is checked without touching this file,
 * except a GET with path parameters, which needs a row in FIXTURES to be answered 200.
 */

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}
interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: { "application/json": { schema: unknown } } };
  responses: Record<string, { content?: { "application/json": { schema: unknown } } }>;
}

const HOST = "khholdings.localhost";
const api = new Browser(HOST);
let doc: Doc;
// Strict, so a keyword ajv does not know (OpenAPI 3.0's `nullable`) fails rather than being ignored.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
ajv.addVocabulary(["example"]);
const bearers: Record<Caller, string> = { admin: "", agent: "", customer: "" };
let apiKey: string;
let catalogueOnlyKey: string;
/** Path parameter values that exist at KHHoldings, by parameter name. */
const values: Record<string, string> = {};

/**
 * Who calls each GET, and with what path values. `as`: the caller when the endpoint's auth allows
 * several (default: the admin's token for "user", nobody for the public). `elsewhere`: a GET whose
 * 200 needs a whole sale or claim behind it; here it must answer a described 404 for an id that is
 * nobody's, and the named test validates its 200 against this same document.
 */
type Caller = "admin" | "agent" | "customer";
const NOBODYS = "00000000-0000-4000-8000-000000000000";
const FIXTURES: Record<
  string,
  { params?: () => Record<string, string>; query?: () => Record<string, string>; as?: Caller; elsewhere?: string }
> = {
  "/products/{slug}": { params: () => ({ slug: values.slug! }) },
  "/quotes/{quoteId}": { params: () => ({ quoteId: values.quoteId! }) },
  "/facilities/{facilityId}": { params: () => ({ facilityId: values.facilityId! }) },
  "/members/{memberId}/benefits": { params: () => ({ memberId: values.memberId! }) },
  "/agent/me": { as: "agent" },
  "/agent/downline": { as: "agent" },
  "/agent/members": { as: "agent" },
  "/agent/members/{memberId}": { as: "agent", params: () => ({ memberId: values.memberId! }) },
  "/agent/sales": { as: "agent" },
  "/agent/commissions": { as: "agent" },
  "/agent/statements": { as: "agent" },
  "/agent/commission-structure": { as: "agent" },
  "/agent/commission-preview": { as: "agent", query: () => ({ productId: values.ruleProductId!, frequency: values.ruleFrequency! }) },
  "/agent/statements/{month}": { as: "agent", params: () => ({ month: "2020-01" }), elsewhere: "api-agent.test.ts" },
  "/claims": { as: "customer" },
  "/claims/{claimId}": { as: "customer", params: () => ({ claimId: NOBODYS }), elsewhere: "claims-customer.test.ts" },
  "/orders/{orderId}": { as: "customer", params: () => ({ orderId: NOBODYS }), elsewhere: "api-mobile-journey.test.ts" },
  "/payments/{transactionId}": { as: "customer", params: () => ({ transactionId: NOBODYS }), elsewhere: "api-mobile-journey.test.ts" },
  "/policies/{policyId}": { as: "customer", params: () => ({ policyId: NOBODYS }), elsewhere: "api-mobile-journey.test.ts" },
  "/policies/{policyId}/documents": { as: "customer", params: () => ({ policyId: NOBODYS }), elsewhere: "api-mobile-journey.test.ts" },
};

/** The path with its parameters filled in, and the fixture's query. */
function urlOf(path: string, params: Record<string, string>, query?: Record<string, string>): string {
  const search = query ? `?${new URLSearchParams(query).toString()}` : "";
  return `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!))}${search}`;
}

beforeAll(async () => {
  const tenant = await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "khholdings").executeTakeFirstOrThrow();
  const admin = await createUser(tenant.id, { roles: ["admin"] });
  const { tokens } = await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, admin.id, { name: "openapi test" }));
  bearers.admin = tokens.accessToken;
  apiKey = (
    await withTenant(tenant.id, (db) =>
      createApiKey(db, { name: "openapi test", scopes: ["catalogue:read", "quotes:write", "members:read"], createdBy: admin.id }),
    )
  ).key;
  catalogueOnlyKey = (
    await withTenant(tenant.id, (db) => createApiKey(db, { name: "catalogue", scopes: ["catalogue:read"], createdBy: admin.id }))
  ).key;
  const product = await ownerDb()
    .selectFrom("products")
    .select("slug")
    .where("tenant_id", "=", tenant.id)
    .where("active", "=", true)
    .orderBy("slug")
    .executeTakeFirstOrThrow();
  values.slug = product.slug;
  const facility = await ownerDb()
    .selectFrom("facilities")
    .select("id")
    .where("tenant_id", "=", tenant.id)
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  values.facilityId = facility.id;
  // A product and frequency the demo's commission rules pay, for the agent's commission preview.
  const rule = await ownerDb()
    .selectFrom("commission_rules")
    .select(["product_id", "frequency"])
    .where("tenant_id", "=", tenant.id)
    .orderBy("product_id")
    .orderBy("frequency")
    .executeTakeFirstOrThrow();
  values.ruleProductId = rule.product_id;
  values.ruleFrequency = rule.frequency;
  // The demo has no members yet: one of a new agent's, with no policy (benefits answer an empty list).
  const agent = await addAgent(tenant.id);
  const person = await createUser(tenant.id);
  const member = await ownerDb()
    .insertInto("members")
    .values({
      tenant_id: tenant.id,
      agent_id: agent.id,
      user_id: person.id,
      name: "Aisyah binti Omar",
      nric_ciphertext: "x",
      nric_blind_index: uniqueSlug("nric"),
      nric_masked: "******-**-1234",
      race: "Malay",
      relationship_with_agent: "Friend",
      emergency_contact_name: "Omar",
      emergency_contact_phone: "+60 12-345 6789",
      emergency_contact_relationship: "Father",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  values.memberId = member.id;
  const tokenOf = async (userId: string) =>
    (await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, userId, { name: "openapi test" }))).tokens.accessToken;
  bearers.agent = await tokenOf(agent.userId);
  bearers.customer = await tokenOf(person.id);
  const quote = await api.send("POST", "/api/v1/quotes", JSON.stringify({ product: product.slug, inputs: {} }), {
    "content-type": "application/json",
  });
  // Some products need inputs: any saved quote of the agency will do then.
  values.quoteId =
    quote.status === 201
      ? (JSON.parse(quote.text) as { quote: { id: string } }).quote.id
      : (await ownerDb().selectFrom("quotes").select("id").where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow()).id;

  const res = await api.get("/api/v1/openapi.json");
  expect(res.status, res.text).toBe(200);
  doc = JSON.parse(res.text) as Doc;
});

/** A schema with the document's own `#/components/schemas/…` references put in place. */
function resolved(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolved);
  if (!schema || typeof schema !== "object") return schema;
  const ref = (schema as { $ref?: string }).$ref;
  if (ref) {
    const name = /^#\/components\/schemas\/(\w+)$/.exec(ref)?.[1];
    expect(name && doc.components.schemas[name], `unresolvable ${ref}`).toBeTruthy();
    return resolved(doc.components.schemas[name!]);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolved(v)]));
}

const compiled = new Map<unknown, ReturnType<typeof ajv.compile>>();
function validator(schema: unknown) {
  if (!compiled.has(schema)) compiled.set(schema, ajv.compile(resolved(schema) as object));
  return compiled.get(schema)!;
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

/** The answer is one the document describes for this operation, and its body fits that description. */
function expectDescribed(path: string, method: string, res: HttpResponse) {
  const where = `${method.toUpperCase()} ${path} → ${res.status}`;
  const answer = doc.paths[path]?.[method]?.responses[String(res.status)];
  expect(answer, `${where} is not in the document: ${res.text.slice(0, 300)}`).toBeDefined();
  const schema = answer!.content?.["application/json"]?.schema;
  if (!schema) return;
  expect(res.headers["content-type"], where).toMatch(/^application\/json/);
  const validate = validator(schema);
  const ok = validate(JSON.parse(res.text));
  expect(ok, `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

function headersFor(op: Operation, as?: Caller): Record<string, string> {
  const allows = (scheme: string) => op.security.some((s) => scheme in s);
  const anonymous = op.security.some((s) => Object.keys(s).length === 0);
  if (as) return { authorization: `Bearer ${bearers[as]}` };
  if (anonymous) return {};
  if (allows("bearer")) return { authorization: `Bearer ${bearers.admin}` };
  return { "x-api-key": apiKey };
}

describe("the routes and the document", () => {
  it("serve the same operations: every route's endpoints are described and every description is served", async () => {
    const { loadBuild } = await import("../../server/app");
    const build = await loadBuild();
    const served = new Set<string>();
    const apiRoutes = Object.values(build.routes).filter((r) => r.id.startsWith("routes/api.v1."));
    expect(apiRoutes.length).toBeGreaterThan(5);
    for (const route of apiRoutes) {
      if (route.id === "routes/api.v1.$") continue;
      const endpoints = (route.module.loader as { apiEndpoints?: { method: string; path: string }[] } | undefined)?.apiEndpoints;
      expect(endpoints, `${route.id} does not serve its endpoints through apiRoute`).toBeDefined();
      // The file's address is the endpoints' path: api/v1/products/:slug ↔ /products/{slug}.
      // Flat routes nest (api.v1.facilities.$facilityId under api.v1.facilities): the parents' paths lead.
      let full = route.path ?? "";
      for (let parent = route.parentId; parent && parent !== "root"; parent = build.routes[parent]!.parentId)
        full = `${build.routes[parent]!.path ?? ""}/${full}`;
      const address = `/${full}`.replace(/^\/api\/v1/, "").replace(/:(\w+)/g, "{$1}");
      for (const e of endpoints!) {
        expect(e.path, route.id).toBe(address);
        served.add(`${e.method} ${e.path}`);
      }
    }
    const described = new Set(operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`));
    expect(
      [...served].filter((op) => !described.has(op)),
      "served, not in API_ENDPOINTS",
    ).toEqual([]);
    expect(
      [...described].filter((op) => !served.has(op)),
      "in API_ENDPOINTS, served by no route",
    ).toEqual([]);
  });

  it("is OpenAPI 3.1 whose every schema compiles as JSON Schema 2020-12, with unique operation ids and declared path parameters", () => {
    expect(doc.openapi).toBe("3.1.0");
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(
        op.parameters.filter((p) => p.in === "path").map((p) => p.name),
        where,
      ).toEqual(inPath);
      for (const p of op.parameters) expect(() => validator(p.schema), `${where} ${p.name}`).not.toThrow();
      if (op.requestBody) expect(() => validator(op.requestBody!.content["application/json"].schema), where).not.toThrow();
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(1);
      for (const [status, answer] of Object.entries(op.responses)) {
        const schema = answer.content?.["application/json"]?.schema;
        if (schema) expect(() => validator(schema), `${where} ${status}`).not.toThrow();
      }
    }
  });
});

describe("real answers against the document", () => {
  it("every GET answers 200 as described, and revalidates to 304 with its ETag", async () => {
    const answered: string[] = [];
    const wrong: string[] = [];
    for (const { path, method, op } of operations()) {
      if (method !== "get") continue;
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const fixture = FIXTURES[path];
      expect(names.length === 0 || fixture?.params, `GET ${path} needs a row in FIXTURES`).toBeTruthy();
      const params = fixture?.params?.() ?? {};
      const url = urlOf(path, params, FIXTURES[path]?.query?.());
      const headers = headersFor(op, fixture?.as);
      const res = await api.get(url, headers);
      const expected = fixture?.elsewhere ? 404 : 200;
      if (res.status !== expected) {
        wrong.push(`GET ${url} → ${res.status} (expected ${expected}): ${res.text.slice(0, 200)}`);
        continue;
      }
      expectDescribed(path, method, res);
      if (fixture?.elsewhere) continue;
      const etag = res.headers.etag as string;
      expect(etag, `GET ${url}`).toMatch(/^W\/"/);
      expect((await api.get(url, { ...headers, "if-none-match": etag })).status).toBe(304);
      answered.push(path);
    }
    expect(wrong).toEqual([]);
    expect(answered).toEqual(
      expect.arrayContaining([
        "/products",
        "/products/{slug}",
        "/facilities",
        "/quotes/{quoteId}",
        "/me",
        "/agent/me",
        "/agent/members/{memberId}",
        "/claims",
      ]),
    );
  });

  it("the same GETs answer with an API key where the document allows one", async () => {
    for (const { path, method, op } of operations()) {
      const scheme = op.security.find((s) => "apiKey" in s);
      if (method !== "get" || !scheme) continue;
      const scopes = scheme.apiKey!;
      const params = FIXTURES[path]?.params?.() ?? {};
      const url = urlOf(path, params, FIXTURES[path]?.query?.());
      const res = await api.get(url, { "x-api-key": apiKey });
      expectDescribed(path, method, res);
      const granted = scopes.every((s) => ["catalogue:read", "quotes:write", "members:read"].includes(s));
      if (granted && !FIXTURES[path]?.elsewhere) expect(res.status, url).toBe(200);
    }
  });

  it("errors are described too: a bad query, an unknown thing, a bad token, a key without the scope, a bad body", async () => {
    expectDescribed("/products", "get", await api.get("/api/v1/products?sort=cheapest&pageSize=500"));
    expectDescribed("/facilities", "get", await api.get("/api/v1/facilities?kind=spa"));
    const missing = await api.get("/api/v1/products/no-such-product");
    expect(missing.status).toBe(404);
    expectDescribed("/products/{slug}", "get", missing);
    expectDescribed("/quotes/{quoteId}", "get", await api.get("/api/v1/quotes/not-a-uuid"));
    const badToken = await api.get("/api/v1/products", { authorization: "Bearer nonsense" });
    expect(badToken.status).toBe(401);
    expectDescribed("/products", "get", badToken);
    expectDescribed("/me", "get", await api.get("/api/v1/me"));
    const noScope = await api.send("POST", "/api/v1/quotes", JSON.stringify({ product: values.slug, inputs: {} }), {
      "content-type": "application/json",
      "x-api-key": catalogueOnlyKey,
    });
    expect(noScope.status).toBe(403);
    expectDescribed("/quotes", "post", noScope);
    const badBody = await api.send("POST", "/api/v1/quotes", JSON.stringify({ frequency: "weekly" }), {
      "content-type": "application/json",
    });
    expect(badBody.status).toBe(400);
    expectDescribed("/quotes", "post", badBody);
    const created = await api.send("POST", "/api/v1/quotes", JSON.stringify({ product: values.slug, inputs: {} }), {
      "content-type": "application/json",
    });
    expectDescribed("/quotes", "post", created);
  });
});

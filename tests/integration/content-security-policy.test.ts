import { describe, expect, it } from "vitest";
import { Browser, type HttpResponse } from "../support/http";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { addAgent, agentNetworkTenant } from "./network-support";
import { createOperator, operatorBrowser } from "./console-helpers";

/**
 * Every HTML page answers with a Content-Security-Policy whose nonce is on each of its inline
 * scripts and styles, a new nonce per response (docs/decisions/014-content-security-policy.md).
 * The browser test (tests/e2e/content-security-policy.e2e.test.ts) proves the pages still work.
 */

const nonceOf = (res: HttpResponse) =>
  /script-src 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(String(res.headers["content-security-policy"]))?.[1];

function expectPolicy(res: HttpResponse, what: string) {
  expect(res.status, what).toBe(200);
  expect(res.headers["content-type"], what).toMatch(/^text\/html/);
  const policy = String(res.headers["content-security-policy"]);
  const nonce = nonceOf(res);
  expect(nonce, `${what}: ${policy}`).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  for (const directive of [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self' https://checkout.paystack.com",
    "img-src 'self' data: https:",
    `style-src 'self' 'nonce-${nonce}'`,
  ])
    expect(policy, what).toContain(directive);
  const scripts = [...res.text.matchAll(/<script\b([^>]*)>/g)];
  expect(scripts.length, what).toBeGreaterThan(0);
  for (const [tag, attributes] of scripts) expect(/nonce="([^"]*)"/.exec(attributes!)?.[1], `${what}: ${tag}`).toBe(nonce);
  for (const [tag, attributes] of res.text.matchAll(/<style\b([^>]*)>/g))
    expect(/nonce="([^"]*)"/.exec(attributes!)?.[1], `${what}: ${tag}`).toBe(nonce);
  return nonce!;
}

async function signedIn(host: string, email: string, password = TEST_PASSWORD) {
  const browser = new Browser(host);
  const res = await browser.post("/login", { email, password });
  expect(res.status, `sign-in as ${email}`).toBe(302);
  return browser;
}

async function tenantId(slug: string) {
  return (await ownerDb().selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

describe("the Content-Security-Policy", () => {
  it("is on every page a visitor sees, with the page's nonce on every inline script and style", async () => {
    const bowman = new Browser("bowman.localhost");
    const product = /href="(\/products\/[a-z0-9-]+)"/.exec((await bowman.get("/products")).text)![1]!;
    for (const path of ["/", "/products", product, "/compare", "/cart", "/login", "/register", "/forgot-password", "/no-such-page-here"]) {
      const res = await bowman.get(path);
      if (path === "/no-such-page-here") {
        expect(res.status).toBe(404);
        expect(nonceOf(res)).toBeTruthy();
        continue;
      }
      expectPolicy(res, `bowman ${path}`);
    }
    expectPolicy(await new Browser("khholdings.localhost").get("/"), "khholdings /");
    expectPolicy(await new Browser("localhost").get("/console/login"), "console sign-in");
  });

  it("is on the back office, the customer's pages, the agent portal and the operator console", async () => {
    const bowmanId = await tenantId("bowman");
    const admin = await signedIn("bowman.localhost", (await createUser(bowmanId, { roles: ["admin"] })).email);
    for (const path of ["/admin", "/admin/transactions", "/admin/policies", "/admin/catalogue"])
      expectPolicy(await admin.get(path), `admin ${path}`);
    const customer = await signedIn("bowman.localhost", (await createUser(bowmanId)).email);
    for (const path of ["/account", "/account/policies"]) expectPolicy(await customer.get(path), `customer ${path}`);

    const network = await agentNetworkTenant();
    const agent = await signedIn(`${network.slug}.localhost`, (await addAgent(network.id)).email);
    for (const path of ["/agent", "/agent/downline", "/agent/commissions"]) expectPolicy(await agent.get(path), `agent ${path}`);

    const operator = await operatorBrowser(await createOperator());
    expectPolicy(await operator.get("/console"), "console");
  });

  it("uses a new nonce for every response", async () => {
    const browser = new Browser("bowman.localhost");
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) nonces.add(expectPolicy(await browser.get("/products"), "products"));
    expect(nonces.size).toBe(5);
  });
});

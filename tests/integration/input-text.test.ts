import http from "node:http";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { createCheckoutTenant, customerWithCart, GOOD_KE_DETAILS, startCheckout, type CheckoutTenant } from "./checkout-support";
import { agentWithLogin, memberTenant, type MemberTenant } from "./members-support";

/**
 * Text is checked once, at the edge: a NUL (which PostgreSQL refuses), another control character or
 * a line break where one line is asked for answers a message by the field or the filter, never a
 * 500. A CSV export is checked before its first byte, so a bad filter never starts a download.
 */

let network: MemberTenant;
let admin: Browser;
let agent: Browser;
let checkout: CheckoutTenant;

beforeAll(async () => {
  [network, checkout] = await Promise.all([memberTenant(), createCheckoutTenant("KE")]);
  const adminUser = await createUser(network.id, { roles: ["admin"] });
  [admin, { browser: agent }] = await Promise.all([signIn(network.host, adminUser.email), agentWithLogin(network)]);
});

const IGNORED = "was ignored";

// A NUL never gets past the HTTP edge (400); any other control character reaches the page's own
// parsing, which must ignore it and say so.
const LIST_PAGES = [
  "/admin/transactions?q=",
  "/admin/policies?q=",
  "/admin/users?q=",
  "/admin/catalogue/products?q=",
  "/admin/agents?q=",
  "/admin/commissions?agent=",
];

describe("a control character in a list page's search", () => {
  it.each(LIST_PAGES)("%s shows the list, with the search ignored and said so", async (path) => {
    expect((await admin.get(`${path}a%00b`)).status).toBe(400);
    const res = await admin.get(`${path}a%01b`);
    expect(res.status, textOf(res.text).slice(0, 300)).toBe(200);
    expect(textOf(res.text)).toContain(IGNORED);
  });

  it.each(["/agent/members?q=", "/agent/downline?q="])("%s (the agent portal) too", async (path) => {
    expect((await agent.get(`${path}a%00b`)).status).toBe(400);
    const res = await agent.get(`${path}a%01b`);
    expect(res.status, textOf(res.text).slice(0, 300)).toBe(200);
    expect(textOf(res.text)).toContain(IGNORED);
  });

  it("ignores a line break where one line is asked, and keeps the rest of the search", async () => {
    const res = await admin.get("/admin/transactions?q=a%0Ab&status=completed");
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain(IGNORED);
    expect(res.text).toMatch(/<option value="completed" selected="">/);
  });
});

describe("a control character in a CSV export's filters", () => {
  it.each(["/admin/transactions.csv?q=", "/admin/agents.csv?q="])("%s is refused before any byte of CSV", async (path) => {
    for (const value of ["a%00b", "a%01b", "a%0D%0Ab"]) {
      const res = await rawGet(network.host, `${path}${value}`, admin.cookies);
      expect(res.complete).toBe(true);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      expect(res.body).not.toContain("\uFEFF");
      if (value !== "a%00b") expect(res.body).toContain("Search");
    }
  });
});

describe("a NUL in a form", () => {
  it("registering with a NUL in the name answers a message by the name, and creates no account", async () => {
    const email = `nul-${Date.now()}@example.com`;
    const res = await new Browser(network.host).post("/register", {
      name: "a\u0000b",
      email,
      password: "Correct#horse1",
      confirmPassword: "Correct#horse1",
      acceptTerms: "on",
    });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("control characters");
    expect(await ownerDb().selectFrom("users").select("id").where("email", "=", email).execute()).toEqual([]);
  });

  it("checkout details with a NUL in the name answer a message by the name, and keep the order as it was", async () => {
    const { browser } = await customerWithCart(checkout, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    const orderOf = () => ownerDb().selectFrom("orders").select(["holder", "step"]).where("id", "=", orderId).executeTakeFirstOrThrow();
    const before = await orderOf();
    const res = await browser.post(`/checkout/${orderId}/details`, { ...GOOD_KE_DETAILS, name: "Wanjiru\u0000Kamau" });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("control characters");
    expect(await orderOf()).toEqual(before);
  });

  it("a line break in a one-line field is refused", async () => {
    const { browser } = await customerWithCart(checkout, ["home-cover"]);
    const { orderId } = await startCheckout(browser);
    const broken = await browser.post(`/checkout/${orderId}/details`, { ...GOOD_KE_DETAILS, name: "Wanjiru\r\nKamau" });
    expect(broken.status).toBe(400);
    expect(textOf(broken.text)).toContain("one line");
  });
});

describe("the HTTP edge", () => {
  it("refuses an address whose percent-encoding is not UTF-8 with 400, not 500", async () => {
    for (const path of ["/files/%FF%FE", "/verify/%ED%A0%80", "/agent/members/%2", "/quotes/%"]) {
      const res = await new Browser(hostOf(network)).get(path);
      expect(res.status, path).toBe(400);
    }
  });

  it("refuses an encoded NUL anywhere in the address with 400, before any route runs", async () => {
    for (const path of ["/products?q=%00", "/products/%00", "/admin/users/%00"]) {
      const res = await new Browser(hostOf(network)).get(path);
      expect(res.status, path).toBe(400);
    }
  });
});

/** A GET over a raw socket that reports whether the response ended cleanly (a CSV must never end early). */
function rawGet(host: string, path: string, cookies: Map<string, string>) {
  const port = inject("appPort");
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; complete: boolean }>((resolve, reject) => {
    const req = http.get(
      {
        host: "127.0.0.1",
        port,
        path,
        headers: { host: `${host}:${port}`, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            complete: res.complete,
          });
        res.on("end", done);
        res.on("error", done);
        res.on("aborted", done);
      },
    );
    req.on("error", reject);
  });
}

import { describe, expect, it } from "vitest";
import { createTenant, createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { hostOf } from "./accounts-support";
import { createOperator } from "./console-helpers";

/**
 * Issue 11, defects 1 and 2: a redirect target taken from input goes only to a path of the very
 * site that was asked, whatever a browser would make of it (it drops tab, CR and LF, and reads a
 * backslash as a slash), and a target that cannot be a Location header never costs a 500 after
 * the session was written.
 */

// What the attacker sends, and what Chromium made of the old answers: every one lands off-site.
const HOSTILE = [
  "/\t/evil.example/phish",
  "/\t\\evil.example/phish",
  "/\\\tevil.example",
  "\t//evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/",
  "http:/evil.example",
  "javascript:alert(1)",
  "/\u0000/evil.example",
];

/** Where a browser goes with this answer's Location, resolved as a browser resolves it. */
function landsOn(res: HttpResponse, browser: Browser): URL {
  expect(res.status, res.text.slice(0, 300)).toBe(302);
  return new URL(res.location!, browser.origin);
}

describe("redirect targets from input", () => {
  it("sends a signed-in customer only to a path of this agency's site", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id);
    for (const target of HOSTILE) {
      const browser = new Browser(hostOf(tenant));
      const res = await browser.post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: target });
      const url = landsOn(res, browser);
      expect(url.origin, JSON.stringify(target)).toBe(browser.origin);
      expect(url.pathname).toBe("/account");
    }
    // A genuine target keeps its path, query and fragment.
    const browser = new Browser(hostOf(tenant));
    const res = await browser.post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/products?sort=price#top" });
    expect(res.location).toBe("/products?sort=price#top");
  });

  it("answers a CR or LF in the target with a redirect home, and the one session it wrote is the client's", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id);
    for (const target of ["/account\r\nSet-Cookie: x=1", "/account\nX: y", "/acc\rount", "/caf\u00e9\u20ac"]) {
      const browser = new Browser(hostOf(tenant));
      const res = await browser.post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: target });
      expect(res.status, JSON.stringify(target)).toBe(302);
      expect(new URL(res.location!, browser.origin).origin).toBe(browser.origin);
      expect(browser.cookies.has("covera_session")).toBe(true);
      expect(res.headers["x"]).toBeUndefined();
    }
    // Four sign-ins, four sessions, each one handed to its browser: none was written and lost.
    const sessions = await ownerDb().selectFrom("sessions").select("id_hash").where("tenant_id", "=", tenant.id).execute();
    expect(sessions).toHaveLength(4);
  });

  it("keeps the compare page's way back on this site", async () => {
    const tenant = await createTenant();
    for (const target of HOSTILE) {
      const browser = new Browser(hostOf(tenant));
      const res = await browser.post("/compare", { intent: "clear", redirectTo: target });
      const url = landsOn(res, browser);
      expect(url.origin, JSON.stringify(target)).toBe(browser.origin);
    }
    const browser = new Browser(hostOf(tenant));
    expect((await browser.post("/compare", { intent: "clear", redirectTo: "/products?category=motor" })).location).toBe(
      "/products?category=motor",
    );
  });

  it("sends a signed-in operator only to a console page", async () => {
    const op = await createOperator();
    for (const target of [...HOSTILE, "/console/\t/evil.example", "/console/\r\n"]) {
      const browser = new Browser("localhost");
      const res = await browser.post("/console/login", { email: op.email, password: op.password, redirectTo: target });
      const url = landsOn(res, browser);
      expect(url.origin, JSON.stringify(target)).toBe(browser.origin);
      expect(url.pathname.startsWith("/console")).toBe(true);
    }
  });
});

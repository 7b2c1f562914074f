import { describe, expect, it } from "vitest";
import { ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, isSignedIn, tenantWithUser, textOf } from "./accounts-support";

describe("signing in", () => {
  it("sets a session cookie with the right password, and answers the same for a wrong password or an unknown email", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const browser = new Browser(host);
    const ok = await browser.post("/login", { email: user.email.toUpperCase(), password: TEST_PASSWORD, redirectTo: "/account#verify" });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/account#verify");
    const cookie = String(ok.headers["set-cookie"]);
    expect(cookie).toMatch(/covera_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(await isSignedIn(browser)).toBe(true);
    expect(await auditRows(tenant.id, "auth.sign_in", user.id)).toHaveLength(1);

    const wrong = await new Browser(host).post("/login", { email: user.email, password: "Wrong#pass1" });
    const unknown = await new Browser(host).post("/login", { email: "nobody@example.com", password: "Wrong#pass1" });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain("That email and password do not match an account here.");
      expect(res.headers["set-cookie"]).toBeUndefined();
    }
    // Never redirects off the site.
    const offsite = await new Browser(host).post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "//evil.example" });
    expect(offsite.location).toBe("/account");
  });

  it("locks an account for 15 minutes after 5 failures, even for the right password, then lets it in", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const browser = new Browser(host);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const res = await browser.post("/login", { email: user.email, password: `Wrong#pass${attempt}` });
      expect(textOf(res.text)).toContain("do not match");
    }
    const fifth = await browser.post("/login", { email: user.email, password: "Wrong#pass5" });
    expect(fifth.status).toBe(400);
    expect(textOf(fifth.text)).toContain("This account is locked for 15 minutes");

    const locked = await browser.post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(400);
    expect(textOf(locked.text)).toMatch(/Try again in 1[45] minutes/);
    expect(browser.cookies.has("covera_session")).toBe(false);

    // The lock is this account's, from this client's network (decision 012): the test client is 127.0.0.1.
    const row = await ownerDb()
      .selectFrom("sign_in_failures")
      .select(["client", "locked_until"])
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.client).toBe("127.0.0.1");
    const minutes = (row.locked_until!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    const failures = await auditRows(tenant.id, "auth.sign_in_failed", user.id);
    expect(failures.filter((f) => f.details.reason === "invalid")).toHaveLength(5);
    expect(failures.filter((f) => f.details.reason === "locked")).toHaveLength(1);
    expect(await auditRows(tenant.id, "auth.lockout", user.id)).toHaveLength(1);

    // Fifteen minutes later (moved into the past), the right password works again, and the failures are forgotten.
    await ownerDb()
      .updateTable("sign_in_failures")
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .execute();
    const after = await browser.post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(after.status).toBe(302);
    expect(await isSignedIn(browser)).toBe(true);
    const left = await ownerDb().selectFrom("sign_in_failures").select("client").where("tenant_id", "=", tenant.id).execute();
    expect(left).toEqual([]);
  });

  it("refuses a form posted from another host (CSRF)", async () => {
    const { user, host } = await tenantWithUser();
    const browser = new Browser(host);
    const fromSibling = await browser.post(
      "/login",
      { email: user.email, password: TEST_PASSWORD },
      { origin: "http://khholdings.localhost:3000" },
    );
    expect(fromSibling.status).toBe(403);
    const fromElsewhere = await browser.post("/login", { email: user.email, password: TEST_PASSWORD }, { origin: "https://evil.example" });
    expect(fromElsewhere.status).toBe(403);
    expect(browser.cookies.has("covera_session")).toBe(false);
    // A signed-in customer's other forms are covered by the same check.
    const signedIn = new Browser(host);
    expect((await signedIn.post("/login", { email: user.email, password: TEST_PASSWORD })).status).toBe(302);
    expect((await signedIn.post("/logout", {}, { origin: "https://evil.example" })).status).toBe(403);
    expect(await isSignedIn(signedIn)).toBe(true);
  });
});

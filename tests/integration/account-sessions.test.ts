import { describe, expect, it } from "vitest";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, cloneTo, isSignedIn, signIn, tenantWithUser, textOf } from "./accounts-support";

const sessionIdsOn = (html: string) => [...html.matchAll(/name="sessionId" value="([0-9a-f]{64})"/g)].map((m) => m[1]!);

describe("sessions", () => {
  it("lists this device and the others; signing one out makes its cookie anonymous at once", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const here = await signIn(host, user.email);
    const other = await signIn(host, user.email, undefined);
    // A second tab of the same device (same cookie) is the same session.
    const sameDevice = cloneTo(here);

    const page = await here.get("/account/security", {
      "user-agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
    });
    const text = textOf(page.text);
    expect(text).toContain("Your sessions");
    expect(text).toContain("This device");
    expect(text).toMatch(/Times are in Africa\/Nairobi time/);
    const ids = sessionIdsOn(page.text);
    expect(ids).toHaveLength(1); // one other session; this device has no "Sign out" button

    const res = await here.post("/account/security", { intent: "revoke-session", sessionId: ids[0]! });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("That device has been signed out.");
    expect(await isSignedIn(other)).toBe(false);
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(sameDevice)).toBe(true);
    expect(await auditRows(tenant.id, "auth.session_revoked", user.id)).toHaveLength(1);

    // Twice, or with a malformed id, is a clear error rather than a crash.
    expect((await here.post("/account/security", { intent: "revoke-session", sessionId: ids[0]! })).status).toBe(404);
    expect((await here.post("/account/security", { intent: "revoke-session", sessionId: "nope" })).status).toBe(400);
    expect((await here.post("/account/security", { intent: "something-else" })).status).toBe(400);
  });

  it("cannot end someone else's session", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const victim = await createUser(tenant.id);
    const attacker = await signIn(host, user.email);
    const victimBrowser = await signIn(host, victim.email);
    const victimSession = await ownerDb()
      .selectFrom("sessions")
      .select("id_hash")
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", victim.id)
      .executeTakeFirstOrThrow();
    const res = await attacker.post("/account/security", { intent: "revoke-session", sessionId: victimSession.id_hash });
    expect(res.status).toBe(404);
    expect(await isSignedIn(victimBrowser)).toBe(true);
  });

  it("signs out everywhere else, keeping this device", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const here = await signIn(host, user.email);
    const second = await signIn(host, user.email);
    const third = await signIn(host, user.email);
    const res = await here.post("/account/security", { intent: "revoke-others" });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Every other device has been signed out.");
    expect(textOf(res.text)).toContain("This is the only device signed in to your account.");
    expect(await isSignedIn(second)).toBe(false);
    expect(await isSignedIn(third)).toBe(false);
    expect(await isSignedIn(here)).toBe(true);
    expect(await auditRows(tenant.id, "auth.other_sessions_revoked", user.id)).toHaveLength(1);
  });

  it("signing out ends the session on the server, not just the cookie", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const stolen = cloneTo(browser);

    // A GET never signs anyone out (a link or an image cannot log you out).
    const get = await browser.get("/logout");
    expect(get.status).toBe(302);
    expect(await isSignedIn(browser)).toBe(true);

    const res = await browser.post("/logout", {});
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
    expect(String(res.headers["set-cookie"])).toMatch(/covera_session=.*Max-Age=0/i);
    expect(browser.cookies.has("covera_session")).toBe(false);
    // The old cookie, kept by someone, no longer works.
    expect(await isSignedIn(stolen)).toBe(false);
    expect(await auditRows(tenant.id, "auth.sign_out", user.id)).toHaveLength(1);
    const live = await ownerDb()
      .selectFrom("sessions")
      .select("id_hash")
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .execute();
    expect(live).toEqual([]);

    // Signing out without a session just clears the cookie.
    expect((await new Browser(host).post("/logout", {})).status).toBe(302);
  });
});

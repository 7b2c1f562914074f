import { describe, expect, it } from "vitest";
import { withPlatform } from "~db/client";
import { operatorLanding } from "~/modules/auth/two-factor-operators.server";
import { PENDING_MINUTES, startPending } from "~/modules/auth/two-factor-pending.server";
import { recoveryCodeHash } from "~/modules/auth/two-factor-totp.server";
import { createTenant, createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, cloneTo, hostOf, isSignedIn, messagesTo, signIn, tenantWithUser, textOf } from "./accounts-support";
import { createOperator } from "./console-helpers";
import { codeAt, enrol, freshCode, passwordStep } from "./two-factor-support";

/**
 * Two-factor sign-in with an authenticator app (decision 033), over real HTTP against the built
 * app: setting it up, the code step after the password, recovery codes, the lockout, an agency
 * that requires it of staff, and operators.
 */

async function customerWithTwoFactor() {
  const { tenant, user, host } = await tenantWithUser();
  const browser = await signIn(host, user.email);
  const { secret, codes } = await enrol(browser);
  return { tenant, user, host, secret, codes };
}

describe("setting up two-factor sign-in", () => {
  it("shows the key as a QR code and as text, refuses a wrong code, turns on with the right one and shows ten recovery codes once", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const off = await browser.get("/account/two-factor");
    expect(textOf(off.text)).toContain("Two-factor sign-in is off");

    await browser.post("/account/two-factor", { intent: "start" });
    const wrong = await browser.post("/account/two-factor", { intent: "confirm", code: "000000" });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain("That code is not right");
    const empty = await browser.post("/account/two-factor", { intent: "confirm", code: "" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Enter the 6-digit code your app shows");
    const stillOff = await ownerDb()
      .selectFrom("user_two_factor")
      .select("enabled_at")
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stillOff.enabled_at).toBeNull();

    const { secret, codes } = await enrol(browser);
    const row = await ownerDb()
      .selectFrom("user_two_factor")
      .selectAll()
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.enabled_at).not.toBeNull();
    // Encrypted at rest: neither the raw key nor its base32 appears in the row.
    expect(row.secret_ciphertext).not.toContain(secret.toString("base64"));
    expect(row.secret_ciphertext).toMatch(/^v\w*\./);
    const stored = await ownerDb().selectFrom("user_recovery_codes").select("code_hash").where("user_id", "=", user.id).execute();
    expect(stored.map((r) => r.code_hash).sort()).toEqual(codes.map(recoveryCodeHash).sort());

    // Shown once: the page afterwards says it is on and how many codes are left, never the codes.
    const on = await browser.get("/account/two-factor");
    expect(textOf(on.text)).toContain("Two-factor sign-in is on");
    expect(textOf(on.text)).toContain("10 of 10 recovery codes left");
    for (const code of codes) expect(on.text).not.toContain(code);

    const notices = await messagesTo(tenant.id, user.email);
    expect(notices.map((m) => m.template)).toContain("two_factor_on");
    expect(await auditRows(tenant.id, "auth.two_factor_enabled", user.id)).toHaveLength(1);
  });

  it("turns off only with a code and the password, and makes new recovery codes that replace the old", async () => {
    const { tenant, user, host, secret, codes } = await customerWithTwoFactor();
    const browser = await signInWithCode(host, user.email, await freshCode(secret, { userId: user.id }));

    const fresh = await browser.post("/account/two-factor", { intent: "regenerate", code: await freshCode(secret, { userId: user.id }) });
    expect(fresh.status).toBe(200);
    const newCodes = [...fresh.text.matchAll(/<code>([a-z2-7-]{19})<\/code>/g)].map((m) => m[1]!);
    expect(newCodes).toHaveLength(10);
    expect(newCodes.some((code) => codes.includes(code))).toBe(false);

    const noPassword = await browser.post("/account/two-factor", { intent: "disable", code: newCodes[0]!, password: "Wrong#pass1" });
    expect(noPassword.status).toBe(400);
    expect(textOf(noPassword.text)).toContain("That is not your password.");
    const oldCode = await browser.post("/account/two-factor", { intent: "disable", code: codes[0]!, password: TEST_PASSWORD });
    expect(oldCode.status).toBe(400);
    expect(textOf(oldCode.text)).toContain("That code is not right");

    const disabled = await browser.post("/account/two-factor", { intent: "disable", code: newCodes[0]!, password: TEST_PASSWORD });
    expect(disabled.status).toBe(302);
    expect(disabled.location).toBe("/account/two-factor?off=1");
    expect(await ownerDb().selectFrom("user_two_factor").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await ownerDb().selectFrom("user_recovery_codes").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect((await messagesTo(tenant.id, user.email)).map((m) => m.template)).toContain("two_factor_off");

    // The password alone signs in again.
    const again = await new Browser(host).post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(again.status).toBe(302);
    expect(again.location).toBe("/account");
  });
});

async function signInWithCode(host: string, email: string, code: string, redirectTo?: string): Promise<Browser> {
  const browser = new Browser(host);
  const password = await browser.post("/login", { email, password: TEST_PASSWORD, ...(redirectTo ? { redirectTo } : {}) });
  expect(password.status).toBe(302);
  expect(password.location).toBe("/login/two-factor");
  const signedIn = await browser.post("/login/two-factor", { code });
  expect(signedIn.status, textOf(signedIn.text).slice(0, 300)).toBe(302);
  expect(browser.cookies.has("covera_session")).toBe(true);
  return browser;
}

describe("signing in with two-factor sign-in on", () => {
  it("starts no session on the password alone: the pending state opens no page, the code does, and the same code never works twice", async () => {
    const { tenant, user, host, secret } = await customerWithTwoFactor();
    const browser = new Browser(host);
    const password = await passwordStep(browser, user.email, TEST_PASSWORD);
    expect(password.status).toBe(302);
    expect(password.location).toBe("/login/two-factor");
    const setCookie = String(password.headers["set-cookie"]);
    expect(setCookie).toMatch(/covera_2fa_pending=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(browser.cookies.has("covera_session")).toBe(false);
    const sessions = await ownerDb()
      .selectFrom("sessions")
      .select("id_hash")
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .execute();
    // Only the session from setting it up (customerWithTwoFactor); none from this password.
    expect(sessions).toHaveLength(1);

    // The pending state reaches no page: every signed-in page still asks for a sign-in.
    for (const path of ["/account", "/account/two-factor", "/account/policies", "/admin", "/agent"]) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(302);
      expect(res.location, path).toMatch(/^\/login\?redirectTo=/);
    }
    expect((await browser.get("/login/two-factor")).status).toBe(200);

    const code = await freshCode(secret, { userId: user.id });
    const wrong = await browser.post("/login/two-factor", { code: code === "123456" ? "654321" : "123456" });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain("That code is not right");
    expect(browser.cookies.has("covera_session")).toBe(false);

    const ok = await browser.post("/login/two-factor", { code });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/account");
    expect(browser.cookies.has("covera_2fa_pending")).toBe(false);
    expect(await isSignedIn(browser)).toBe(true);
    expect(await auditRows(tenant.id, "auth.two_factor_passed", user.id)).toHaveLength(1);

    // Replayed, even straight after a right password, the spent code is refused.
    const replay = new Browser(host);
    await passwordStep(replay, user.email, TEST_PASSWORD);
    const refused = await replay.post("/login/two-factor", { code });
    expect(refused.status).toBe(400);
    expect(replay.cookies.has("covera_session")).toBe(false);
  });

  it("keeps where the person was going", async () => {
    const { user, host, secret } = await customerWithTwoFactor();
    const browser = new Browser(host);
    await browser.post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/account/payments" });
    const ok = await browser.post("/login/two-factor", { code: await freshCode(secret, { userId: user.id }) });
    expect(ok.location).toBe("/account/payments");
  });

  it("takes a recovery code once, emails the owner, and says so when few are left", async () => {
    const { tenant, user, host, codes } = await customerWithTwoFactor();
    const first = new Browser(host);
    await passwordStep(first, user.email, TEST_PASSWORD);
    // Typed with spaces and in capitals, as someone reading it off paper might.
    const used = await first.post("/login/two-factor", { code: ` ${codes[0]!.toUpperCase().replace(/-/g, " ")} ` });
    expect(used.status).toBe(302);
    expect(used.location).toBe("/account");
    expect(await isSignedIn(first)).toBe(true);
    const notice = (await messagesTo(tenant.id, user.email)).find((m) => m.template === "two_factor_recovery_code_used");
    expect(notice?.body_text).toContain("Recovery codes left: 9.");

    const again = new Browser(host);
    await passwordStep(again, user.email, TEST_PASSWORD);
    const reused = await again.post("/login/two-factor", { code: codes[0]! });
    expect(reused.status).toBe(400);
    expect(again.cookies.has("covera_session")).toBe(false);

    // Six more spent (as if over the months): the next one leaves two and lands on the settings, which say so.
    await ownerDb()
      .updateTable("user_recovery_codes")
      .set({ used_at: new Date() })
      .where("user_id", "=", user.id)
      .where("code_hash", "in", codes.slice(1, 7).map(recoveryCodeHash))
      .execute();
    const low = await again.post("/login/two-factor", { code: codes[7]! });
    expect(low.status).toBe(302);
    expect(low.location).toBe("/account/two-factor?codes-left=2");
    const page = await again.get(low.location!);
    expect(textOf(page.text)).toContain("You have 2 recovery codes left");
  });

  it("locks the account for this client after five wrong codes, even for the right code", async () => {
    const { tenant, user, host, secret } = await customerWithTwoFactor();
    const browser = new Browser(host);
    await passwordStep(browser, user.email, TEST_PASSWORD);
    const right = await freshCode(secret, { userId: user.id });
    // None of them the code of this step or of one either side.
    const near = [codeAt(secret, -1), right, codeAt(secret, 1), codeAt(secret, 2)];
    const wrongs = ["000000", "111111", "222222", "333333", "444444", "555555", "666666", "777777", "888888"].filter(
      (c) => !near.includes(c),
    );
    for (const code of wrongs.slice(0, 4)) {
      const res = await browser.post("/login/two-factor", { code });
      expect(textOf(res.text)).toContain("That code is not right");
    }
    const fifth = await browser.post("/login/two-factor", { code: wrongs[4]! });
    expect(fifth.status).toBe(400);
    expect(textOf(fifth.text)).toContain("This account is locked for 15 minutes");
    const locked = await browser.post("/login/two-factor", { code: right });
    expect(locked.status).toBe(400);
    expect(textOf(locked.text)).toMatch(/Try again in 1[45] minutes/);
    expect(browser.cookies.has("covera_session")).toBe(false);
    expect(await auditRows(tenant.id, "auth.lockout", user.id)).toHaveLength(1);
    // The same lock as passwords: the password is refused too while it lasts.
    const password = await new Browser(host).post("/login", { email: user.email, password: TEST_PASSWORD });
    expect(textOf(password.text)).toMatch(/Try again in 1[45] minutes/);
  });

  it("refuses a pending sign-in carried to another agency's host, or forged", async () => {
    const { user, host, secret } = await customerWithTwoFactor();
    const other = await createTenant();
    // The other agency has an account with the same email, so the only thing that differs is the host.
    await createUser(other.id, { email: user.email });
    const browser = new Browser(host);
    await passwordStep(browser, user.email, TEST_PASSWORD);
    expect(browser.cookies.has("covera_2fa_pending")).toBe(true);

    const carried = cloneTo(browser, hostOf(other));
    const page = await carried.get("/login/two-factor");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/login");
    const posted = await carried.post("/login/two-factor", { code: await freshCode(secret, { userId: user.id }) });
    expect(posted.status).toBe(302);
    expect(posted.location).toBe("/login?expired=1");
    expect(carried.cookies.has("covera_session")).toBe(false);

    const forged = cloneTo(browser);
    const [value] = forged.cookies.get("covera_2fa_pending")!.split(".");
    forged.cookies.set("covera_2fa_pending", `${value}.forged`);
    expect((await forged.get("/login/two-factor")).location).toBe("/login");

    // The original browser still finishes on its own host.
    expect((await browser.post("/login/two-factor", { code: await freshCode(secret, { userId: user.id }) })).status).toBe(302);
  });
});

describe("closing an account", () => {
  it("removes its authenticator key and recovery codes with every other way back in", async () => {
    const { user, host, secret } = await customerWithTwoFactor();
    const browser = await signInWithCode(host, user.email, await freshCode(secret, { userId: user.id }));
    const closed = await browser.post("/account/privacy", {
      intent: "close-account",
      password: TEST_PASSWORD,
      confirmation: "close my account",
    });
    expect(closed.status, textOf(closed.text).slice(0, 300)).toBe(302);
    expect(await ownerDb().selectFrom("user_two_factor").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await ownerDb().selectFrom("user_recovery_codes").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
  });
});

describe("the pending sign-in", () => {
  it("ends after ten minutes, whatever the browser keeps: the password is asked again", async () => {
    const { tenant, user, host, secret } = await customerWithTwoFactor();
    // Signed as the app signs it, but started eleven minutes ago (time moved by the date passed, not by waiting).
    const old = await startPending(
      "user",
      { accountId: user.id, scope: tenant.id, redirectTo: "/account" },
      new Date(Date.now() - (PENDING_MINUTES + 1) * 60_000),
    );
    const browser = new Browser(host);
    browser.cookies.set("covera_2fa_pending", old.split(";")[0]!.split("=").slice(1).join("="));
    expect((await browser.get("/login/two-factor")).location).toBe("/login");
    const late = await browser.post("/login/two-factor", { code: await freshCode(secret, { userId: user.id }) });
    expect(late.location).toBe("/login?expired=1");
    expect(browser.cookies.has("covera_session")).toBe(false);
    expect(textOf((await browser.get("/login?expired=1")).text)).toContain("That took too long.");
  });
});

describe("an agency that requires two-factor sign-in for staff", () => {
  it("sends staff without it to set it up before anything else, and leaves customers alone", async () => {
    const tenant = await createTenant();
    const host = hostOf(tenant);
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const staff = await createUser(tenant.id, { roles: ["staff"] });
    const customer = await createUser(tenant.id, { roles: ["customer"] });

    const adminBrowser = await signIn(host, admin.email);
    const settings = await adminBrowser.get("/admin/security");
    expect(settings.status).toBe(200);
    const saved = await adminBrowser.post("/admin/security", { required: "on" });
    expect(saved.status).toBe(302);
    expect(await auditRows(tenant.id, "security.settings_updated", undefined)).toHaveLength(1);
    // The admin, already signed in without it, is now sent to set it up too.
    const adminNext = await adminBrowser.get("/admin");
    expect(adminNext.location).toBe("/account/two-factor?required=1");
    // A customer may not change it.
    expect((await (await signIn(host, customer.email)).get("/admin/security")).status).toBe(403);

    const staffBrowser = new Browser(host);
    const signedIn = await staffBrowser.post("/login", { email: staff.email, password: TEST_PASSWORD, redirectTo: "/admin" });
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe("/account/two-factor?required=1");
    for (const path of ["/admin", "/admin/transactions", "/account", "/account/policies"]) {
      const res = await staffBrowser.get(path);
      expect(res.location, path).toBe("/account/two-factor?required=1");
    }
    const setup = await staffBrowser.get("/account/two-factor?required=1");
    expect(setup.status).toBe(200);
    expect(textOf(setup.text)).toContain("Set up two-factor sign-in to continue");

    await enrol(staffBrowser);
    expect((await staffBrowser.get("/admin")).status).toBe(200);

    const customerLogin = await new Browser(host).post("/login", { email: customer.email, password: TEST_PASSWORD });
    expect(customerLogin.location).toBe("/account");

    // The setting is this agency's: staff of another agency sign in as before.
    const elsewhere = await createTenant();
    const otherStaff = await createUser(elsewhere.id, { roles: ["staff"] });
    const otherLogin = await new Browser(hostOf(elsewhere)).post("/login", {
      email: otherStaff.email,
      password: TEST_PASSWORD,
      redirectTo: "/admin",
    });
    expect(otherLogin.location).toBe("/admin");
  });
});

describe("operators", () => {
  it("set it up under /console/account and sign in to the console with a code", async () => {
    const op = await createOperator();
    const browser = new Browser("localhost");
    expect((await browser.post("/console/login", { email: op.email, password: op.password })).location).toBe("/console");
    const { secret } = await enrol(browser, "/console/account/two-factor");

    const next = new Browser("localhost");
    const password = await next.post("/console/login", { email: op.email, password: op.password });
    expect(password.location).toBe("/console/login/two-factor");
    expect(next.cookies.has("covera_operator")).toBe(false);
    const pendingOnly = await next.get("/console");
    expect(pendingOnly.location).toMatch(/^\/console\/login/);
    const code = await freshCode(secret, { operatorId: op.id });
    const wrong = await next.post("/console/login/two-factor", { code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    const ok = await next.post("/console/login/two-factor", { code });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/console");
    expect((await next.get("/console")).status).toBe(200);

    // A pending operator sign-in means nothing on an agency's host.
    const tenant = await createTenant();
    const carried = cloneTo(next, hostOf(tenant));
    expect((await carried.get("/login/two-factor")).location).toBe("/login");
  });

  it("see whether the platform requires it at /console/security, which only an operator opens", async () => {
    const op = await createOperator();
    const browser = new Browser("localhost");
    await browser.post("/console/login", { email: op.email, password: op.password });
    const page = await browser.get("/console/security");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="checkbox" id="required" name="required"(?![^>]*checked)[^>]*>/);
    // Saving it unticked (as it is: the setting is shared with every other test) is audited.
    expect((await browser.post("/console/security", {})).location).toBe("/console/security?saved=1");
    const audit = await ownerDb()
      .selectFrom("platform_audit_log")
      .select("details")
      .where("operator_id", "=", op.id)
      .where("action", "=", "security.settings_updated")
      .execute();
    expect(audit.map((a) => a.details)).toEqual([{ requireTwoFactorForOperators: false }]);
    expect((await browser.post("/console/security", { required: "yes" })).status).toBe(400);
    expect((await new Browser("localhost").get("/console/security")).location).toMatch(/^\/console\/login/);
  });

  it("are sent to set it up when the platform requires it (checked inside a transaction that is rolled back, as the setting is shared)", async () => {
    const without = await createOperator();
    const withIt = await createOperator();
    await ownerDb()
      .insertInto("platform_operator_two_factor")
      .values({ operator_id: withIt.id, secret_ciphertext: "x", enabled_at: new Date() })
      .execute();
    const landings = await withPlatform(async (db) => {
      const before = await operatorLanding(db, without.id, "/console");
      await db.updateTable("platform_settings").set({ require_two_factor_for_operators: true }).execute();
      const result = {
        before,
        without: await operatorLanding(db, without.id, "/console"),
        withIt: await operatorLanding(db, withIt.id, "/console"),
      };
      throw Object.assign(new Error("roll back"), { result });
    }).catch((error: { result?: unknown }) => error.result);
    expect(landings).toEqual({ before: "/console", without: "/console/account/two-factor?required=1", withIt: "/console" });
    const setting = await ownerDb().selectFrom("platform_settings").select("require_two_factor_for_operators").executeTakeFirstOrThrow();
    expect(setting.require_two_factor_for_operators).toBe(false);
  });
});

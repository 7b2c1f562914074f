import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { inviteUser } from "~/modules/auth/accounts.server";
import { toTenantInfo } from "~/modules/tenancy/resolve.server";
import { createTenant, eventually, latestMessage, ownerDb, TEST_PASSWORD, tokenFrom } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, expectFieldError, hostOf, isSignedIn, messagesTo, signIn, tenantWithUser, textOf } from "./accounts-support";

function change(current: string, next: string, confirm = next) {
  return { intent: "change-password", currentPassword: current, newPassword: next, confirmPassword: confirm };
}

async function resetLinkFor(tenantId: string, host: string, email: string): Promise<string> {
  const res = await new Browser(host).post("/forgot-password", { email });
  expect(res.status).toBe(200);
  const message = await eventually(() => latestMessage(tenantId, email, "reset_password"));
  return tokenFrom(message.body_text);
}

describe("changing a password", () => {
  it("checks the current password and the rules, refuses the last 5 passwords, allows the 6th-oldest", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const here = await signIn(host, user.email);
    const elsewhere = await signIn(host, user.email);

    expectFieldError(await here.post("/account/security", change("Not#theone1", "Fresh#pass1")), "That is not your current password.");
    expectFieldError(await here.post("/account/security", change(TEST_PASSWORD, "short#1")), "Use at least 8 characters");
    expectFieldError(await here.post("/account/security", change(TEST_PASSWORD, "nodigits#here")), "Include at least one number");
    expectFieldError(
      await here.post("/account/security", change(TEST_PASSWORD, "nospecial1here")),
      "Include at least one special character",
    );
    expectFieldError(
      await here.post("/account/security", change(TEST_PASSWORD, "Fresh#pass1", "Fresh#pass2")),
      "The two passwords do not match",
    );
    expectFieldError(await here.post("/account/security", change(TEST_PASSWORD, TEST_PASSWORD)), "not used for your last 5 passwords");
    expect(await isSignedIn(elsewhere)).toBe(true);

    // TEST_PASSWORD, then 1 … 5: six passwords in the history.
    let current = TEST_PASSWORD;
    for (let n = 1; n <= 5; n++) {
      const next = `Rotate#${n}pass`;
      const res = await here.post("/account/security", change(current, next));
      expect(res.status, textOf(res.text).slice(0, 300)).toBe(200);
      expect(textOf(res.text)).toContain("Your password has been changed.");
      current = next;
    }
    // The current session survived every change; the other one ended at the first.
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(elsewhere)).toBe(false);

    // Rotate#1pass is among the last five (5, 4, 3, 2, 1): refused. The original is the 6th: allowed.
    expectFieldError(await here.post("/account/security", change(current, "Rotate#1pass")), "not used for your last 5 passwords");
    const back = await here.post("/account/security", change(current, TEST_PASSWORD));
    expect(back.status).toBe(200);
    expect(await auditRows(tenant.id, "auth.password_changed", user.id)).toHaveLength(6);

    expect((await new Browser(host).post("/login", { email: user.email, password: "Rotate#5pass" })).status).toBe(400);
    expect((await new Browser(host).post("/login", { email: user.email, password: TEST_PASSWORD })).status).toBe(302);
  });
});

describe("forgotten passwords", () => {
  it("answers the same for an unknown email, and sends nothing", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const known = await new Browser(host).post("/forgot-password", { email: user.email });
    const unknown = await new Browser(host).post("/forgot-password", { email: "nobody-here@example.com" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const sentence = "If an account exists for this address, we have sent a link to reset the password.";
    expect(textOf(known.text)).toContain(sentence);
    expect(textOf(unknown.text)).toContain(sentence);
    // The pages differ only by the address typed.
    expect(textOf(known.text).replace(user.email, "X")).toBe(textOf(unknown.text).replace("nobody-here@example.com", "X"));

    await eventually(() => latestMessage(tenant.id, user.email, "reset_password"));
    expect(await messagesTo(tenant.id, "nobody-here@example.com")).toEqual([]);
    expectFieldError(await new Browser(host).post("/forgot-password", { email: "not an email" }), "Enter a valid email");
  });

  it("resets with a single-use link that ends every session", async () => {
    const { user, host, tenant } = await tenantWithUser({ verified: false });
    const phone = await signIn(host, user.email);
    const laptop = await signIn(host, user.email);
    const token = await resetLinkFor(tenant.id, host, user.email);

    const form = await new Browser(host).get(`/reset-password?token=${token}`);
    expect(form.status).toBe(200);
    expect(textOf(form.text)).toContain("Choose a new password");
    expect(textOf(form.text)).toContain(user.email);

    // The form posts back to the page's own address, token included (with or without JavaScript).
    const url = `/reset-password?token=${token}`;
    expect(form.text).toContain(`action="${url}"`);
    const browser = new Browser(host);
    const fields = { token, password: "Brand#new2026", confirmPassword: "Brand#new2026" };
    expectFieldError(await browser.post(url, { ...fields, password: "weak", confirmPassword: "weak" }), "Use at least 8 characters");
    expectFieldError(
      await browser.post(url, { ...fields, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD }),
      "not used for your last 5 passwords",
    );
    expectFieldError(await browser.post(url, { ...fields, confirmPassword: "Brand#new2027" }), "The two passwords do not match");

    const done = await browser.post(url, fields);
    expect(done.status).toBe(302);
    expect(done.location).toBe("/login?reset=1");
    expect(textOf((await browser.get(done.location!)).text)).toContain("Your password has been changed.");

    expect(await isSignedIn(phone)).toBe(false);
    expect(await isSignedIn(laptop)).toBe(false);
    expect((await new Browser(host).post("/login", { email: user.email, password: TEST_PASSWORD })).status).toBe(400);
    expect((await new Browser(host).post("/login", { email: user.email, password: "Brand#new2026" })).status).toBe(302);
    // Following the emailed link proved the address.
    const row = await ownerDb().selectFrom("users").select("email_verified_at").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.email_verified_at).not.toBeNull();
    expect(await auditRows(tenant.id, "auth.password_reset", user.id)).toHaveLength(1);

    // Single use: the page and the form both refuse it now.
    const reused = await new Browser(host).get(`/reset-password?token=${token}`);
    expect(reused.status).toBe(400);
    expect(textOf(reused.text)).toContain("This link does not work");
    const again = { ...fields, password: "Other#new2026", confirmPassword: "Other#new2026" };
    expectFieldError(await new Browser(host).post(url, again), "This link does not work");
    // Posted without the token in the address, the action still checks the token it was sent.
    expectFieldError(await new Browser(host).post("/reset-password", again), "This link does not work");
    expect((await new Browser(host).post("/login", { email: user.email, password: "Other#new2026" })).status).toBe(400);
  });

  it("refuses an expired link and an unknown one, pointing to a new request", async () => {
    const { user, host, tenant } = await tenantWithUser();
    const token = await resetLinkFor(tenant.id, host, user.email);
    await ownerDb()
      .updateTable("auth_tokens")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .execute();
    const expired = await new Browser(host).get(`/reset-password?token=${token}`);
    expect(expired.status).toBe(400);
    expect(textOf(expired.text)).toContain("has expired");
    expect(expired.text).toContain('href="/forgot-password"');
    expectFieldError(
      await new Browser(host).post(`/reset-password?token=${token}`, {
        token,
        password: "Brand#new2026",
        confirmPassword: "Brand#new2026",
      }),
      "has expired",
    );
    expect((await new Browser(host).post("/login", { email: user.email, password: TEST_PASSWORD })).status).toBe(302);

    for (const bad of ["A".repeat(43), "x", ""]) {
      const res = await new Browser(host).get(`/reset-password?token=${bad}`);
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain("This link does not work");
    }
    expect((await new Browser(host).get("/reset-password")).status).toBe(400);
  });

  it("asks an invited person to set their password", async () => {
    const tenant = await createTenant();
    const row = await ownerDb().selectFrom("tenants").selectAll().where("id", "=", tenant.id).executeTakeFirstOrThrow();
    const email = `invited-${Date.now()}@example.com`;
    const origin = `http://${hostOf(tenant)}`;
    await withTenant(tenant.id, (db) =>
      inviteUser(db, toTenantInfo(row), { name: "New Staff", email, role: "staff", origin }, { ip: null }),
    );
    const message = await eventually(() => latestMessage(tenant.id, email, "invite"));
    const token = tokenFrom(message.body_text);

    const page = await new Browser(hostOf(tenant)).get(`/reset-password?token=${token}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Set your password");
    expect(page.text).toMatch(/<title>Set your password · /);
    const done = await new Browser(hostOf(tenant)).post(`/reset-password?token=${token}`, {
      token,
      password: "Invited#2026",
      confirmPassword: "Invited#2026",
    });
    expect(done.location).toBe("/login?invited=1");
    await signIn(hostOf(tenant), email, "Invited#2026");
  });
});

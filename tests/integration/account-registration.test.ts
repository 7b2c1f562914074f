import { describe, expect, it } from "vitest";
import { createTenant, createUser, eventually, latestMessage, ownerDb, tokenFrom, uniqueSlug } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, cloneTo, expectFieldError, hostOf, isSignedIn, signIn, textOf } from "./accounts-support";

const PASSWORD = "Savanna#2026";

function registration(email: string, overrides: Record<string, string> = {}) {
  return {
    name: "Njeri Wambui",
    email,
    phone: "+254 712 345 678",
    password: PASSWORD,
    confirmPassword: PASSWORD,
    acceptTerms: "on",
    ...overrides,
  };
}

describe("registration and email confirmation", () => {
  it("registers, signs in, emails a confirmation link that works once", async () => {
    const tenant = await createTenant();
    const browser = new Browser(hostOf(tenant));
    const email = `${uniqueSlug("reg")}@example.com`;

    const res = await browser.post("/register", registration(email.toUpperCase()));
    expect(res.status).toBe(302);
    expect(res.location).toBe("/account?welcome=1");
    expect(browser.cookies.has("covera_session")).toBe(true);

    const account = await browser.get("/account?welcome=1");
    expect(account.status).toBe(200);
    const page = textOf(account.text);
    expect(page).toContain("Welcome, Njeri Wambui!");
    expect(page).toContain(`We have sent a confirmation email to ${email}`);
    expect(page).toContain("Not confirmed");

    const user = await ownerDb()
      .selectFrom("users")
      .select(["id", "email", "phone", "email_verified_at"])
      .where("tenant_id", "=", tenant.id)
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email, phone: "+254 712 345 678", email_verified_at: null });

    // The worker delivers the email to the development outbox.
    const message = await eventually(async () => {
      const m = await latestMessage(tenant.id, email, "verify_email");
      return m?.status === "outbox" ? m : undefined;
    });
    expect(message.subject).toContain(tenant.name);
    const token = tokenFrom(message.body_text);
    expect(message.body_text).toContain(`http://${hostOf(tenant)}:`);

    const first = await browser.get(`/verify-email?token=${token}`);
    expect(first.status).toBe(302);
    expect(first.location).toBe("/verify-email?verified=1");
    const done = await browser.get(first.location!);
    expect(textOf(done.text)).toContain("Email confirmed");
    const verified = await ownerDb().selectFrom("users").select("email_verified_at").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(verified.email_verified_at).not.toBeNull();
    expect(textOf((await browser.get("/account")).text)).toContain(`Your email address ${email} is confirmed`);

    // A link works once.
    const second = await browser.get(`/verify-email?token=${token}`);
    expect(second.status).toBe(400);
    expect(textOf(second.text)).toContain("This confirmation link does not work");

    expect(await auditRows(tenant.id, "account.registered", user.id)).toHaveLength(1);
    expect(await auditRows(tenant.id, "account.email_verified", user.id)).toHaveLength(1);
  });

  it("sends a new link from the account page at most once a minute, and an expired link fails", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id, { verified: false });
    const browser = await signIn(hostOf(tenant), user.email);

    const sent = await browser.post("/account", { intent: "resend-verification" });
    expect(sent.status).toBe(200);
    expect(textOf(sent.text)).toContain(`We sent a new confirmation link to ${user.email}`);
    const again = await browser.post("/account", { intent: "resend-verification" });
    expect(again.status).toBe(429);
    expect(textOf(again.text)).toContain("less than a minute ago");

    const message = await eventually(() => latestMessage(tenant.id, user.email, "verify_email"));
    const token = tokenFrom(message.body_text);
    await ownerDb()
      .updateTable("auth_tokens")
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .execute();

    const res = await browser.get(`/verify-email?token=${token}`);
    expect(res.status).toBe(400);
    const page = textOf(res.text);
    expect(page).toContain("has expired");
    expect(page).toContain("Send a new link");
    const row = await ownerDb().selectFrom("users").select("email_verified_at").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.email_verified_at).toBeNull();

    // A malformed token is simply an invalid link, not an error.
    const malformed = await browser.get("/verify-email?token=%27;drop");
    expect(malformed.status).toBe(400);
    expect(textOf(malformed.text)).toContain("This confirmation link does not work");
  });

  it("explains every invalid field, and keeps one account per email per agency", async () => {
    const tenant = await createTenant();
    const browser = new Browser(hostOf(tenant));
    const email = `${uniqueSlug("dup")}@example.com`;

    expectFieldError(
      await browser.post("/register", registration(email, { password: "Ab#1", confirmPassword: "Ab#1" })),
      "Use at least 8 characters",
    );
    expectFieldError(
      await browser.post("/register", registration(email, { password: "Abcdefg#", confirmPassword: "Abcdefg#" })),
      "Include at least one number",
    );
    expectFieldError(
      await browser.post("/register", registration(email, { password: "Abcdefg1", confirmPassword: "Abcdefg1" })),
      "Include at least one special character",
    );
    expectFieldError(
      await browser.post("/register", registration(email, { confirmPassword: "Different#2026" })),
      "The two passwords do not match",
    );
    const { acceptTerms: _omit, ...withoutTerms } = registration(email);
    expectFieldError(await browser.post("/register", withoutTerms), "Accept the terms to create your account");
    expectFieldError(await browser.post("/register", registration("not-an-email")), "Enter a valid email");
    expectFieldError(await browser.post("/register", registration(email, { phone: "call me" })), "Enter a phone number in digits");
    // The password is never sent back into the page.
    const invalid = await browser.post("/register", registration(email, { name: "" }));
    expectFieldError(invalid, "Enter your full name");
    expect(invalid.text).not.toContain(PASSWORD);
    expect(browser.cookies.has("covera_session")).toBe(false);

    expect((await new Browser(hostOf(tenant)).post("/register", registration(email))).status).toBe(302);
    const duplicate = await new Browser(hostOf(tenant)).post("/register", registration(email.toUpperCase()));
    expectFieldError(duplicate, "An account with this email already exists here");
    const count = await ownerDb().selectFrom("users").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(count).toHaveLength(1);
  });

  it("lets the same email register separately with two agencies; one agency's cookie means nothing to the other", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const email = `${uniqueSlug("both")}@example.com`;
    const inA = new Browser(hostOf(a));
    const inB = new Browser(hostOf(b));
    expect((await inA.post("/register", registration(email, { name: "In Agency A" }))).status).toBe(302);
    expect(
      (await inB.post("/register", registration(email, { name: "In Agency B", password: "Other#pass9", confirmPassword: "Other#pass9" })))
        .status,
    ).toBe(302);

    const rows = await ownerDb().selectFrom("users").select(["tenant_id", "id", "name"]).where("email", "=", email).execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([a.id, b.id]));

    // A's session cookie, replayed on B's host, is anonymous there.
    const replayed = cloneTo(inA, hostOf(b));
    expect(await isSignedIn(replayed)).toBe(false);
    // Each agency shows its own account.
    expect(textOf((await inA.get("/account")).text)).toContain("In Agency A");
    expect(textOf((await inB.get("/account")).text)).toContain("In Agency B");
    // Passwords are per agency too.
    expect((await new Browser(hostOf(b)).post("/login", { email, password: PASSWORD })).status).toBe(400);
  });
});

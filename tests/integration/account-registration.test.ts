import { describe, expect, it } from "vitest";
import { createTenant, createUser, eventually, latestMessage, ownerDb, TEST_PASSWORD, tokenFrom, uniqueSlug } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import {
  auditRows,
  cloneTo,
  expectFieldError,
  hostOf,
  isSignedIn,
  registrationForm,
  REGISTRATION_PASSWORD,
  signIn,
  textOf,
} from "./accounts-support";

const PASSWORD = REGISTRATION_PASSWORD;

/** The one answer to every well-formed registration: check your inbox (nothing says whether the address was known). */
function expectCheckYourEmail(res: HttpResponse, email: string) {
  expect(res.status, textOf(res.text).slice(0, 400)).toBe(200);
  const page = textOf(res.text);
  expect(page).toContain("Check your email");
  expect(page).toContain(email);
  expect(res.headers["set-cookie"]).toBeUndefined();
}

const registration = registrationForm;

describe("registration and email confirmation", () => {
  it("registers, emails a confirmation link that works once, and the new customer signs in", async () => {
    const tenant = await createTenant();
    const browser = new Browser(hostOf(tenant));
    const email = `${uniqueSlug("reg")}@example.com`;

    const res = await browser.post("/register", registration(email.toUpperCase()));
    expectCheckYourEmail(res, email);
    // Not signed in by the answer: an existing address must get the very same answer (issue 11, defect 5).
    expect(browser.cookies.has("covera_session")).toBe(false);

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
    // The confirmed address gets the welcome, with the way to the account; in the app too.
    const welcome = await eventually(() => latestMessage(tenant.id, email, "welcome"));
    expect(welcome.subject).toContain("Welcome to");
    expect(welcome.body_text).toContain(`http://${hostOf(tenant)}:`);
    const inApp = await ownerDb()
      .selectFrom("messages")
      .select("link")
      .where("user_id", "=", user.id)
      .where("event", "=", "welcome")
      .where("channel", "=", "in_app")
      .execute();
    expect(inApp).toEqual([{ link: "/account" }]);

    // The page's way in: sign in with the new password, and be welcomed.
    const signedIn = await browser.post("/login", { email, password: PASSWORD, redirectTo: "/account?welcome=1" });
    expect(signedIn.status).toBe(302);
    const account = textOf((await browser.get(signedIn.location!)).text);
    expect(account).toContain("Welcome, Njeri Wambui!");
    expect(textOf((await browser.get("/account/security")).text)).toContain(`Your email address ${email} is confirmed`);

    // A link works once.
    const second = await browser.get(`/verify-email?token=${token}`);
    expect(second.status).toBe(400);
    expect(textOf(second.text)).toContain("This confirmation link does not work");
    expect(
      await ownerDb().selectFrom("messages").select("id").where("user_id", "=", user.id).where("event", "=", "welcome").execute(),
    ).toHaveLength(2); // one email, one in-app: never a second welcome

    expect(await auditRows(tenant.id, "account.registered", user.id)).toHaveLength(1);
    expect(await auditRows(tenant.id, "account.email_verified", user.id)).toHaveLength(1);
  });

  it("sends a new link from the account page at most once a minute, and an expired link fails", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id, { verified: false });
    const browser = await signIn(hostOf(tenant), user.email);

    const sent = await browser.post("/account/security", { intent: "resend-verification" });
    expect(sent.status).toBe(200);
    expect(textOf(sent.text)).toContain(`We sent a new confirmation link to ${user.email}`);
    const again = await browser.post("/account/security", { intent: "resend-verification" });
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

    expectCheckYourEmail(await new Browser(hostOf(tenant)).post("/register", registration(email)), email);
    const count = await ownerDb().selectFrom("users").select("id").where("tenant_id", "=", tenant.id).execute();
    expect(count).toHaveLength(1);
  });

  it("answers a registration with a known email exactly as a new one, writes no account, and tells the owner by email", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant.id, { name: "Amina Odhiambo" });
    const fresh = `${uniqueSlug("new")}@example.com`;

    const asNew = new Browser(hostOf(tenant));
    const newAnswer = await asNew.post("/register", registration(fresh));
    const asKnown = new Browser(hostOf(tenant));
    const knownAnswer = await asKnown.post(
      "/register",
      registration(owner.email.toUpperCase(), { password: "Intruder#2026", confirmPassword: "Intruder#2026" }),
    );

    // The same status, the same page but for the address typed, no cookie either way.
    expect(knownAnswer.status).toBe(newAnswer.status);
    expect(textOf(knownAnswer.text).replaceAll(owner.email, "EMAIL")).toBe(textOf(newAnswer.text).replaceAll(fresh, "EMAIL"));
    expect(knownAnswer.headers["set-cookie"]).toBeUndefined();
    expect(newAnswer.headers["set-cookie"]).toBeUndefined();
    expect(textOf(knownAnswer.text)).not.toMatch(/already exists|already have an account/i);

    // Nothing changed on the account: no second user, and the owner's password still the only one that works.
    const rows = await ownerDb()
      .selectFrom("users")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("email", "=", owner.email)
      .execute();
    expect(rows).toEqual([{ id: owner.id }]);
    expect((await new Browser(hostOf(tenant)).post("/login", { email: owner.email, password: "Intruder#2026" })).status).toBe(400);
    expect((await new Browser(hostOf(tenant)).post("/login", { email: owner.email, password: TEST_PASSWORD })).status).toBe(302);

    // The owner hears of it through the outbox: sign in, or reset the password.
    const message = await eventually(async () => {
      const m = await latestMessage(tenant.id, owner.email, "account_exists");
      return m?.status === "outbox" ? m : undefined;
    });
    expect(message.subject).toContain(tenant.name);
    expect(message.body_text).toContain("Amina Odhiambo");
    expect(message.body_text).toMatch(new RegExp(`http://${hostOf(tenant)}:\\d+/login`));
    expect(message.body_text).toMatch(new RegExp(`http://${hostOf(tenant)}:\\d+/forgot-password`));
    expect(await latestMessage(tenant.id, owner.email, "verify_email")).toBeUndefined();

    // Asking again at once sends no second warning (one an hour per account, so no one floods an inbox).
    await new Browser(hostOf(tenant)).post("/register", registration(owner.email));
    const warnings = await ownerDb()
      .selectFrom("messages")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("recipient", "=", owner.email)
      .where("template", "=", "account_exists")
      .execute();
    expect(warnings).toHaveLength(1);
  });

  it("lets the same email register separately with two agencies; one agency's cookie means nothing to the other", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const email = `${uniqueSlug("both")}@example.com`;
    const inA = new Browser(hostOf(a));
    const inB = new Browser(hostOf(b));
    expectCheckYourEmail(await inA.post("/register", registration(email, { name: "In Agency A" })), email);
    expectCheckYourEmail(
      await inB.post("/register", registration(email, { name: "In Agency B", password: "Other#pass9", confirmPassword: "Other#pass9" })),
      email,
    );
    expect((await inA.post("/login", { email, password: PASSWORD })).status).toBe(302);
    expect((await inB.post("/login", { email, password: "Other#pass9" })).status).toBe(302);

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

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEMO_OPERATOR } from "~db/seed";
import { ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { createOperator, expectFieldError, operatorBrowser } from "./console-helpers";

const CONSOLE_PAGES = [
  "/console",
  "/console/outbox",
  "/console/audit",
  "/console/tenants/new",
  `/console/tenants/${randomUUID()}`,
  "/console/account",
];

async function platformAudit(operatorId: string, action: string) {
  return ownerDb()
    .selectFrom("platform_audit_log")
    .selectAll()
    .where("operator_id", "=", operatorId)
    .where("action", "=", action)
    .orderBy("id", "desc")
    .execute();
}

describe("console access", () => {
  it("sends a signed-out visitor to the operator sign-in, and back afterwards", async () => {
    const browser = new Browser("localhost");
    for (const path of CONSOLE_PAGES) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(302);
      expect(res.location).toBe(`/console/login?redirectTo=${encodeURIComponent(path)}`);
    }
    const signIn = await browser.post("/console/login", { ...DEMO_OPERATOR, redirectTo: "/console/outbox" });
    expect(signIn.status).toBe(302);
    expect(signIn.location).toBe("/console/outbox");
  });

  it("never redirects off the console after sign-in", async () => {
    for (const redirectTo of ["//evil.example.com/console", "https://evil.example.com", "/", "/console/login"]) {
      const res = await new Browser("localhost").post("/console/login", { ...DEMO_OPERATOR, redirectTo });
      expect(res.status).toBe(302);
      expect(res.location, redirectTo).toBe("/console");
    }
  });

  it("does not exist on an agency's host", async () => {
    const tenantHost = new Browser("bowman.localhost");
    for (const path of [...CONSOLE_PAGES, "/console/login"]) {
      const res = await tenantHost.get(path);
      expect(res.status, path).toBe(404);
    }
    expect((await tenantHost.post("/console/login", { email: DEMO_OPERATOR.email, password: DEMO_OPERATOR.password })).status).toBe(404);
    expect((await tenantHost.post("/console/logout", {})).status).toBe(404);
    expect(tenantHost.cookies.size).toBe(0);
  });

  it("shows the sign-in form, and sends a signed-in operator straight to the console", async () => {
    const anonymous = await new Browser("localhost").get("/console/login");
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain("Operator sign in");
    expect(anonymous.text).toContain('name="password"');

    const browser = await operatorBrowser();
    const again = await browser.get("/console/login");
    expect(again.status).toBe(302);
    expect(again.location).toBe("/console");
  });
});

describe("operator sign-in", () => {
  it("refuses a wrong password with a form error and records it", async () => {
    const op = await createOperator();
    const res = await new Browser("localhost").post("/console/login", { email: op.email, password: "Wrong#password1" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("That email and password do not match an account here.");
    // The password is never sent back into the form.
    expect(res.text).not.toContain("Wrong#password1");
    const rows = await platformAudit(op.id, "auth.sign_in_failed");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toEqual({ reason: "invalid" });
    expect(rows[0]!.ip).toBeTruthy();
  });

  it("records a failed sign-in for an unknown email too", async () => {
    const email = `nobody-${randomUUID()}@covera.test`;
    const res = await new Browser("localhost").post("/console/login", { email, password: "Whatever#123" });
    expect(res.status).toBe(400);
    const row = await ownerDb()
      .selectFrom("platform_audit_log")
      .selectAll()
      .where("action", "=", "auth.sign_in_failed")
      .where("target_id", "=", email)
      .executeTakeFirst();
    expect(row?.operator_id).toBeNull();
  });

  it("validates the form fields", async () => {
    const res = await new Browser("localhost").post("/console/login", { email: "not-an-email", password: "" });
    expectFieldError(res, "email", "Enter a valid email");
  });

  it("locks an operator out after five failures, even for the right password", async () => {
    const op = await createOperator();
    const browser = new Browser("localhost");
    for (let i = 1; i <= 4; i++) {
      const res = await browser.post("/console/login", { email: op.email, password: `Wrong#${i}xxxx` });
      expect(res.status).toBe(400);
      expect(res.text).toContain("do not match");
    }
    const fifth = await browser.post("/console/login", { email: op.email, password: "Wrong#5xxxx" });
    expect(fifth.status).toBe(400);
    expect(fifth.text).toContain("This account is locked for 15 minutes");

    const right = await browser.post("/console/login", { email: op.email, password: op.password });
    expect(right.status).toBe(400);
    expect(right.text).toMatch(/Try again in 1[45] minutes/);
    expect(browser.cookies.size).toBe(0);

    // Locked from this client's network only (decision 012).
    const row = await ownerDb()
      .selectFrom("platform_sign_in_failures")
      .select(["client", "locked_until"])
      .where("operator_id", "=", op.id)
      .executeTakeFirstOrThrow();
    expect(row.client).toBe("127.0.0.1");
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(await platformAudit(op.id, "auth.lockout")).toHaveLength(1);
    expect(await platformAudit(op.id, "auth.sign_in_failed")).toHaveLength(6);
    expect(await platformAudit(op.id, "auth.sign_in")).toHaveLength(0);
  });

  it("signs in, and signs out for good", async () => {
    const op = await createOperator();
    const browser = await operatorBrowser(op);
    expect(await platformAudit(op.id, "auth.sign_in")).toHaveLength(1);
    const home = await browser.get("/console");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Sign out");

    const stolenCookies = new Map(browser.cookies);
    const out = await browser.post("/console/logout", {});
    expect(out.status).toBe(302);
    expect(out.location).toBe("/console/login");
    expect(browser.cookies.size).toBe(0);
    expect((await browser.get("/console")).status).toBe(302);
    expect(await platformAudit(op.id, "auth.sign_out")).toHaveLength(1);

    // The session ended in the database: the old cookie no longer works.
    const replay = new Browser("localhost");
    replay.cookies = stolenCookies;
    const res = await replay.get("/console");
    expect(res.status).toBe(302);
    expect(res.location).toContain("/console/login");
  });

  it("answers a GET to the sign-out address without signing out", async () => {
    const browser = await operatorBrowser();
    const res = await browser.get("/console/logout");
    expect(res.status).toBe(302);
    expect((await browser.get("/console")).status).toBe(200);
  });
});

describe("operator account", () => {
  it("changes the password with the current one, and ends the other sessions", async () => {
    const op = await createOperator();
    const browser = await operatorBrowser(op);
    const other = await operatorBrowser(op);
    const page = await browser.get("/console/account");
    expect(page.status).toBe(200);
    expect(page.text).toContain(op.email);

    const wrong = await browser.post("/console/account", {
      currentPassword: "Not#mine123",
      newPassword: "Brand#new2026",
      confirmPassword: "Brand#new2026",
    });
    expectFieldError(wrong, "currentPassword", "That is not your current password.");

    const mismatch = await browser.post("/console/account", {
      currentPassword: op.password,
      newPassword: "Brand#new2026",
      confirmPassword: "Brand#new2027",
    });
    expectFieldError(mismatch, "confirmPassword", "The two passwords do not match");

    const weak = await browser.post("/console/account", { currentPassword: op.password, newPassword: "short", confirmPassword: "short" });
    expectFieldError(weak, "newPassword", /at least 8 characters/);

    const ok = await browser.post("/console/account", {
      currentPassword: op.password,
      newPassword: "Brand#new2026",
      confirmPassword: "Brand#new2026",
    });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/console/account?notice=password");
    expect((await browser.get("/console")).status).toBe(200);
    expect((await other.get("/console")).status).toBe(302);
    await operatorBrowser({ email: op.email, password: "Brand#new2026" });
    const oldPassword = await new Browser("localhost").post("/console/login", { email: op.email, password: op.password });
    expect(oldPassword.status).toBe(400);
  });
});

import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { decryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { createUser, eventually, latestMessage, ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, hostOf, isSignedIn, signIn, tenantWithUser, textOf } from "./accounts-support";

const NEW_PHONE = "+254722000111";

async function smsCode(tenantId: string, phone: string): Promise<string> {
  const sms = await latestMessage(tenantId, phone, "phone_code");
  const code = sms?.body_text.match(/^(\d{6}) /)?.[1];
  if (!code) throw new Error(`No code sent to ${phone}`);
  return code;
}

/** Moves every code of the user back in time, as if minutes had passed. */
async function ageCodes(tenantId: string, userId: string, minutes: number) {
  await ownerDb()
    .updateTable("account_phone_codes")
    .set({
      created_at: sql<Date>`created_at - make_interval(mins => ${minutes})`,
      expires_at: sql<Date>`expires_at - make_interval(mins => ${minutes})`,
    })
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .execute();
}

async function phoneOf(tenantId: string, userId: string) {
  return (
    await ownerDb().selectFrom("users").select("phone").where("tenant_id", "=", tenantId).where("id", "=", userId).executeTakeFirstOrThrow()
  ).phone;
}

const linkIn = (body: string, param: "confirm" | "cancel") => {
  const match = body.match(new RegExp(`\\?${param}=([A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`No ${param} link in: ${body}`);
  return match[1]!;
};

describe("profile: name", () => {
  it("saves a name and refuses control characters, NUL bytes and huge strings by the field", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const ok = await browser.post("/account/profile", { intent: "name", name: "Amina Wanjiru Hassan" });
    expect(ok.status).toBe(302);
    expect(textOf((await browser.get("/account")).text)).toContain("Hello, Amina Wanjiru Hassan.");

    for (const name of ["Amina\r\nBcc: x@example.com", "Ami\u0000na", "x".repeat(5_000), ""]) {
      const bad = await browser.post("/account/profile", { intent: "name", name });
      expect(bad.status, JSON.stringify(name.slice(0, 20))).toBe(400);
      expect(textOf(bad.text)).toMatch(/one line of plain text|at most|Enter your full name/);
    }
    const stored = await ownerDb()
      .selectFrom("users")
      .select("name")
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe("Amina Wanjiru Hassan");
    for (const intent of ["nonsense", "toString", "__proto__", "constructor"])
      expect((await browser.post("/account/profile", { intent })).status, intent).toBe(400);
  });
});

describe("profile: phone with a one-time code", () => {
  it("changes the number only with the right code; a wrong one counts down, five wrong ones spend the code", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    expect((await browser.post("/account/profile", { intent: "send-code", phone: "+254 722 000 111" })).status).toBe(302);
    const code = await smsCode(tenant.id, NEW_PHONE);
    const stored = await ownerDb()
      .selectFrom("account_phone_codes")
      .select("code_hash")
      .where("tenant_id", "=", tenant.id)
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(code);
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);

    const wrong = code === "000000" ? "111111" : "000000";
    const first = await browser.post("/account/profile", { intent: "confirm-code", code: wrong });
    expect(first.status).toBe(400);
    expect(textOf(first.text)).toContain("That code is not right. 4 tries left.");
    expect(await phoneOf(tenant.id, user.id)).toBeNull();
    for (let i = 0; i < 3; i++) await browser.post("/account/profile", { intent: "confirm-code", code: wrong });
    const last = await browser.post("/account/profile", { intent: "confirm-code", code: wrong });
    expect(textOf(last.text)).toContain("cannot be used any more");
    // Even the right code no longer works.
    const late = await browser.post("/account/profile", { intent: "confirm-code", code });
    expect(textOf(late.text)).toContain("Too many wrong tries for this code");
    expect(await phoneOf(tenant.id, user.id)).toBeNull();

    // A new code (a minute later) works.
    await ageCodes(tenant.id, user.id, 2);
    expect((await browser.post("/account/profile", { intent: "send-code", phone: NEW_PHONE })).status).toBe(302);
    const fresh = await smsCode(tenant.id, NEW_PHONE);
    expect((await browser.post("/account/profile", { intent: "confirm-code", code: fresh })).status).toBe(302);
    expect(await phoneOf(tenant.id, user.id)).toBe(NEW_PHONE);
    expect(await auditRows(tenant.id, "account.phone_changed", user.id)).toHaveLength(1);
    // Spent: the same code again is refused.
    expect(textOf((await browser.post("/account/profile", { intent: "confirm-code", code: fresh })).text)).toContain(
      "Ask for a code first",
    );
  });

  it("refuses an expired code, a second code within a minute, and a malformed one", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    await browser.post("/account/profile", { intent: "send-code", phone: NEW_PHONE });
    const again = await browser.post("/account/profile", { intent: "send-code", phone: NEW_PHONE });
    expect(again.status).toBe(429);
    expect(textOf(again.text)).toContain("less than a minute ago");
    const code = await smsCode(tenant.id, NEW_PHONE);
    await ageCodes(tenant.id, user.id, 11);
    const expired = await browser.post("/account/profile", { intent: "confirm-code", code });
    expect(expired.status).toBe(400);
    expect(textOf(expired.text)).toContain("This code has expired");
    expect(await phoneOf(tenant.id, user.id)).toBeNull();
    expect((await browser.post("/account/profile", { intent: "confirm-code", code: "12345\u0000" })).status).toBe(400);
    expect((await browser.post("/account/profile", { intent: "send-code", phone: "+254\r\n722" })).status).toBe(400);
  });
});

describe("profile: email change confirmed from both addresses", () => {
  it("changes only when the new address confirms; the sessions stay; the old address was told", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const newEmail = `new-${user.email}`;
    const wrongPassword = await browser.post("/account/profile", { intent: "email", newEmail, password: "Not#mine99" });
    expect(wrongPassword.status).toBe(400);
    expect(textOf(wrongPassword.text)).toContain("That is not your current password.");

    expect((await browser.post("/account/profile", { intent: "email", newEmail, password: TEST_PASSWORD })).status).toBe(302);
    const notice = await latestMessage(tenant.id, user.email, "email_change_notice");
    const confirmMail = await latestMessage(tenant.id, newEmail, "email_change_confirm");
    expect(notice?.body_text).toContain(newEmail);
    // Not changed yet.
    expect(textOf((await browser.get("/account/profile")).text)).toContain(`Waiting for ${newEmail} to be confirmed`);

    // Opening the link changes nothing; pressing the button does, without being signed in.
    const stranger = new Browser(host);
    const token = linkIn(confirmMail!.body_text, "confirm");
    expect(textOf((await stranger.get(`/account/email-change?confirm=${token}`)).text)).toContain("Confirm my new email");
    let row = await ownerDb()
      .selectFrom("users")
      .select("email")
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe(user.email);
    const done = await stranger.post("/account/email-change", { token, action: "confirm" });
    expect(done.location).toBe("/account/email-change?done=confirmed");
    row = await ownerDb()
      .selectFrom("users")
      .select("email")
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe(newEmail);
    expect(await isSignedIn(browser)).toBe(true);
    expect(await eventually(() => latestMessage(tenant.id, user.email, "email_changed"))).toBeTruthy();
    // The link works once; the cancel link is spent too.
    expect((await stranger.post("/account/email-change", { token, action: "confirm" })).location).toBe(
      "/account/email-change?done=invalid",
    );
    const cancel = linkIn(notice!.body_text, "cancel");
    expect((await stranger.post("/account/email-change", { token: cancel, action: "cancel" })).location).toBe(
      "/account/email-change?done=invalid",
    );
    expect(await auditRows(tenant.id, "account.email_changed", user.id)).toHaveLength(1);
    // Signs in with the new address.
    await signIn(host, newEmail);
  });

  it("'this wasn't me' from the old address cancels it, and the new address's link then does nothing", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const newEmail = `thief-${user.email}`;
    await browser.post("/account/profile", { intent: "email", newEmail, password: TEST_PASSWORD });
    const cancel = linkIn((await latestMessage(tenant.id, user.email, "email_change_notice"))!.body_text, "cancel");
    const confirm = linkIn((await latestMessage(tenant.id, newEmail, "email_change_confirm"))!.body_text, "confirm");
    const owner = new Browser(host);
    expect((await owner.post("/account/email-change", { token: cancel, action: "cancel" })).location).toBe(
      "/account/email-change?done=cancelled",
    );
    expect((await owner.post("/account/email-change", { token: confirm, action: "confirm" })).location).toBe(
      "/account/email-change?done=invalid",
    );
    const row = await ownerDb()
      .selectFrom("users")
      .select("email")
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe(user.email);
    // A forged token or action is the same "does not work", never an error page.
    expect((await owner.post("/account/email-change", { token: "x\u0000", action: "confirm" })).location).toBe(
      "/account/email-change?done=invalid",
    );
    expect((await owner.post("/account/email-change", { token: confirm, action: "delete" })).location).toBe(
      "/account/email-change?done=invalid",
    );
    expect((await owner.get("/account/email-change?confirm=%00")).status).toBe(400);
  });

  it("refuses an address another account of the agency uses", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const other = await createUser(tenant.id);
    const browser = await signIn(host, user.email);
    const res = await browser.post("/account/profile", { intent: "email", newEmail: other.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Another account already uses this email address.");
  });
});

describe("profile: identity numbers", () => {
  it("stores a Kenyan national ID and KRA PIN encrypted with a blind index, and shows only the mask", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const bad = await browser.post("/account/profile", { intent: "identifiers", national_id: "12AB", kra_pin: "" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("A national ID number has only digits.");
    expect(bad.text).not.toContain("12AB");

    const res = await browser.post("/account/profile", { intent: "identifiers", national_id: "12345678", kra_pin: "a123456789z" });
    expect(res.status).toBe(302);
    const page = await browser.get("/account/profile");
    expect(textOf(page.text)).toContain("****5678");
    expect(textOf(page.text)).toContain("*******789Z");
    expect(page.text).not.toContain("12345678");
    expect(page.text).not.toContain("A123456789Z");

    const rows = await withTenant(tenant.id, (db) =>
      db.selectFrom("user_identifiers").selectAll().where("user_id", "=", user.id).orderBy("kind").execute(),
    );
    expect(rows.map((r) => [r.kind, r.masked])).toEqual([
      ["kra_pin", "*******789Z"],
      ["national_id", "****5678"],
    ]);
    const nationalId = rows.find((r) => r.kind === "national_id")!;
    expect(nationalId.ciphertext).not.toContain("12345678");
    expect(nationalId.blind_index).not.toContain("12345678");
    expect(decryptPii(nationalId.ciphertext, { key: piiKeysFromEnv(), context: piiContext(tenant.id, "national_id") })).toBe("12345678");

    // Left empty, a number stays; an NRIC means nothing to a Kenyan agency and is not stored.
    await browser.post("/account/profile", { intent: "identifiers", kra_pin: "P987654321Q", nric: "850412-10-1234" });
    const after = await withTenant(tenant.id, (db) =>
      db.selectFrom("user_identifiers").select(["kind", "masked"]).where("user_id", "=", user.id).orderBy("kind").execute(),
    );
    expect(after).toEqual([
      { kind: "kra_pin", masked: "*******321Q" },
      { kind: "national_id", masked: "****5678" },
    ]);
  });

  it("asks a Malaysian agency's customer for the NRIC only", async () => {
    const { tenant, user } = await tenantWithUser();
    await ownerDb()
      .updateTable("tenants")
      .set({ currency: "MYR", locale: "en-MY", time_zone: "Asia/Kuala_Lumpur" })
      .where("id", "=", tenant.id)
      .execute();
    const browser = await signIn(hostOf(tenant), user.email);
    const page = textOf((await browser.get("/account/profile")).text);
    expect(page).toContain("NRIC");
    expect(page).not.toContain("KRA PIN");
    expect((await browser.post("/account/profile", { intent: "identifiers", nric: "850412101234" })).status).toBe(302);
    expect(textOf((await browser.get("/account/profile")).text)).toContain("******-**-1234");
  });
});

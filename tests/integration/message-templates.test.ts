import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { Language, MessageChannel } from "~db/schema";
import { notify } from "~/modules/notifications/notify.server";
import { createTenant, createUser, ownerDb } from "../support/db";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";

/**
 * Templates agencies edit (issue 14 item 3, decision 041): an admin changes the wording of a
 * message per channel and language; versions are kept, a reset brings the default back, and what
 * is saved is what `notify` sends.
 */
let tenant: { id: string; slug: string; name: string };
let other: { id: string; slug: string };
let admin: { id: string; email: string };
let staff: { id: string; email: string };

const SMS_SW = "/admin/messages/templates/payment_received/sms/sw";
const EMAIL_EN = "/admin/messages/templates/payment_received/email/en";

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant({ name: "Pwani Bima" }), createTenant()]);
  for (const id of [tenant.id, other.id]) {
    await ownerDb()
      .updateTable("tenants")
      .set({ languages: ["en", "sw"], default_language: "en" })
      .where("id", "=", id)
      .execute();
  }
  [admin, staff] = await Promise.all([
    createUser(tenant.id, { roles: ["admin"], name: "Wanjiru Admin" }),
    createUser(tenant.id, { roles: ["staff"] }),
  ]);
});

const versionsOf = (tenantId: string, event: string, channel: MessageChannel, language: Language) =>
  ownerDb()
    .selectFrom("message_templates")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("event", "=", event)
    .where("channel", "=", channel)
    .where("language", "=", language)
    .orderBy("version")
    .execute();

describe("message templates", () => {
  it("lists every catalogue event by category, each channel and language marked default until saved", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    const res = await browser.get("/admin/messages/templates");
    expect(res.status).toBe(200);
    const page = textOf(res.text);
    expect(page).toContain("Payments");
    expect(page).toContain("Payment received");
    expect(page).toContain("Security");
    expect(page).toContain("Phone number confirmation code");
    expect(page).toContain("Kiswahili");
    expect(page).not.toContain("Bahasa Melayu");
    expect(res.text).toContain(`href="${SMS_SW}"`);
    expect(page).not.toContain("customised");
  });

  it("saves a Swahili SMS as a version, audited, and notify then sends the agency's text", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    const editor = await browser.get(SMS_SW);
    expect(editor.status).toBe(200);
    const page = textOf(editor.text);
    expect(page).toContain("{{receiptNumber}}");
    expect(page).toContain("BWM-RCT-2026-000456"); // the sample, documented and previewed
    expect(page).toMatch(/GSM-7/);
    expect(page).toMatch(/1 SMS part/);
    expect(page).not.toContain("Subject");

    const body = "Asante {{name}}! Tumepokea {{amount}}. Risiti: {{receiptNumber}}.";
    const saved = await browser.post(SMS_SW, { intent: "save", body, expectedVersion: "0" });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`${SMS_SW}?saved=1`);
    const rows = await versionsOf(tenant.id, "payment_received", "sms", "sw");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: 1, body, subject: null, reset: false, created_by: admin.id });
    const audit = await auditRows(tenant.id, "message_template.saved");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ event: "payment_received", channel: "sms", language: "sw", version: 1 });

    const after = textOf((await browser.get(`${SMS_SW}?saved=1`)).text);
    expect(after).toContain("Saved as version 1");
    expect(after).toContain("Wanjiru Admin");
    const index = textOf((await browser.get("/admin/messages/templates")).text);
    expect(index).toContain("customised");

    const customer = await createUser(tenant.id, { name: "Baraka Otieno" });
    await ownerDb().updateTable("users").set({ phone: "+254712000111", language: "sw" }).where("id", "=", customer.id).execute();
    await withTenant(tenant.id, (db) =>
      notify(db, tenant.id, {
        event: "payment_received",
        vars: { amount: "KES 500.00", description: "Bima ya gari", receiptNumber: "PWB-RCT-1", link: "https://example.test/p" },
        to: { userId: customer.id },
        channels: ["sms"],
      }),
    );
    const [sms] = await ownerDb()
      .selectFrom("messages")
      .select(["body_text", "language", "channel"])
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", customer.id)
      .execute();
    expect(sms).toEqual({ body_text: "Asante Baraka Otieno! Tumepokea KES 500.00. Risiti: PWB-RCT-1.", language: "sw", channel: "sms" });
  });

  it("formats money and dates given as functions in each reader's locale, whatever the caller's", async () => {
    const [mwangi, jane] = await Promise.all([
      createUser(tenant.id, { name: "Mwangi Lugha" }),
      createUser(tenant.id, { name: "Jane English" }),
    ]);
    await ownerDb().updateTable("users").set({ language: "sw" }).where("id", "=", mwangi.id).execute();
    const seen: string[] = [];
    for (const person of [mwangi, jane]) {
      await withTenant(tenant.id, (db) =>
        notify(db, tenant.id, {
          event: "instalment_due",
          vars: {
            policyNumber: "PWB-1",
            amount: (locale) => (seen.push(locale), `${locale}:amount`),
            dueDate: (locale) => new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" }).format(new Date("2026-12-21")),
            link: "https://example.test/p",
          },
          to: { userId: person.id },
          channels: ["in_app"],
        }),
      );
    }
    // The tenant is Kenyan (en-KE): the Swahili reader gets sw-KE, the English one en-KE.
    expect(seen).toEqual(["sw-KE", "en-KE"]);
    const texts = await ownerDb()
      .selectFrom("messages")
      .select(["user_id", "body_text"])
      .where("user_id", "in", [mwangi.id, jane.id])
      .where("event", "=", "instalment_due")
      .execute();
    expect(texts.find((m) => m.user_id === mwangi.id)!.body_text).toContain("Desemba");
    expect(texts.find((m) => m.user_id === jane.id)!.body_text).toContain("December");
  });

  it("refuses unknown variables, a subject on SMS and a missing email subject, field by field, saving nothing", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    const before = await versionsOf(tenant.id, "payment_received", "email", "en");
    const bad = await browser.post(EMAIL_EN, {
      intent: "save",
      subject: "",
      body: "Hello {{name}}, your {{policyNumber}} and {{ premium }} are paid.",
      expectedVersion: "0",
    });
    expect(bad.status).toBe(400);
    const text = textOf(bad.text);
    expect(text).toContain("Write the subject line.");
    expect(text).toContain("Unknown variables {{policyNumber}}, {{premium}}.");
    expect(text).toContain("This message can use {{name}}, {{tenantName}}, {{amount}}, {{description}}, {{receiptNumber}}, {{link}}.");
    // What was typed is shown again.
    expect(bad.text).toContain("your {{policyNumber}} and");
    expect(await versionsOf(tenant.id, "payment_received", "email", "en")).toEqual(before);

    const smsSubject = await browser.post("/admin/messages/templates/phone_code/sms/en", {
      intent: "save",
      subject: "Your code",
      body: "{{code}}",
      expectedVersion: "0",
    });
    expect(smsSubject.status).toBe(400);
    expect(textOf(smsSubject.text)).toContain("SMS messages have no subject: leave it empty.");

    const tooLong = await browser.post("/admin/messages/templates/phone_code/sms/en", {
      intent: "save",
      body: "x".repeat(1001),
      expectedVersion: "0",
    });
    expect(tooLong.status).toBe(400);
    expect(textOf(tooLong.text)).toContain("Use at most 1,000 characters.");

    const nul = await browser.post("/admin/messages/templates/phone_code/sms/en", {
      intent: "save",
      body: "a\u0000b",
      expectedVersion: "0",
    });
    expect(nul.status).toBe(400);
    expect(await versionsOf(tenant.id, "phone_code", "sms", "en")).toEqual([]);
  });

  it("refuses a save made from an older version, keeping the other person's version and the typed text", async () => {
    const first = await signIn(hostOf(tenant), admin.email);
    const saved = await first.post(EMAIL_EN, {
      intent: "save",
      subject: "Receipt {{receiptNumber}}",
      body: "Dear {{name}},\r\n\r\nWe received {{amount}}.\r\n\r\n[See my payments]({{link}})",
      expectedVersion: "0",
    });
    expect(saved.status).toBe(302);
    const rows = await versionsOf(tenant.id, "payment_received", "email", "en");
    expect(rows.map((r) => r.body)).toEqual(["Dear {{name}},\n\nWe received {{amount}}.\n\n[See my payments]({{link}})"]);

    // Opened before that save: still at version 0.
    const stale = await first.post(EMAIL_EN, { intent: "save", subject: "Paid", body: "Paid: {{amount}}", expectedVersion: "0" });
    expect(stale.status).toBe(409);
    expect(textOf(stale.text)).toContain("Someone else changed this template while you were editing it (it is now at version 1)");
    expect(stale.text).toContain("Paid: {{amount}}");
    expect(await versionsOf(tenant.id, "payment_received", "email", "en")).toHaveLength(1);

    // Two saves from the same version at the same moment: exactly one is kept.
    const second = await signIn(hostOf(tenant), admin.email);
    const both = await Promise.all([
      first.post(EMAIL_EN, { intent: "save", subject: "A", body: "From A {{amount}}", expectedVersion: "1" }),
      second.post(EMAIL_EN, { intent: "save", subject: "B", body: "From B {{amount}}", expectedVersion: "1" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([302, 409]);
    const kept = await versionsOf(tenant.id, "payment_received", "email", "en");
    expect(kept).toHaveLength(2);
    expect(kept[1]!.body).toBe(both[0]!.status === 302 ? "From A {{amount}}" : "From B {{amount}}");

    const staleReset = await first.post(EMAIL_EN, { intent: "reset", expectedVersion: "0" });
    expect(staleReset.status).toBe(409);
    expect(await versionsOf(tenant.id, "payment_received", "email", "en")).toHaveLength(2);
  });

  it("resets to the default and restores an older version, keeping every version, audited", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    const path = "/admin/messages/templates/payment_received/in_app/en";
    expect((await browser.post(path, { intent: "save", subject: "Thanks", body: "We got {{amount}}.", expectedVersion: "0" })).status).toBe(
      302,
    );
    expect(
      (await browser.post(path, { intent: "save", subject: "Thanks!", body: "Received {{amount}}.", expectedVersion: "1" })).status,
    ).toBe(302);

    const confirm = textOf((await browser.get(`${path}?confirm=reset`)).text);
    expect(confirm).toContain("Go back to the default wording?");
    const reset = await browser.post(path, { intent: "reset", expectedVersion: "2" });
    expect(reset.status).toBe(302);
    expect(reset.location).toBe(`${path}?reset=3`);
    const effective = async () =>
      withTenant(tenant.id, async (db) =>
        (await import("~/modules/notifications/template-store.server")).effectiveTemplate(db, "payment_received", "in_app", "en"),
      );
    expect(await effective()).toMatchObject({ source: "default", subject: "Payment received", version: 3 });
    const page = textOf((await browser.get(`${path}?reset=3`)).text);
    expect(page).toContain("The default wording is back in use");
    expect(page).toContain("Version 1");
    expect(page).toContain("Back to the default wording.");
    // A second reset changes nothing.
    expect((await browser.post(path, { intent: "reset", expectedVersion: "3" })).location).toBe(`${path}?reset=unchanged`);

    const restore = await browser.post(path, { intent: "restore", version: "1", expectedVersion: "3" });
    expect(restore.status).toBe(302);
    expect(restore.location).toBe(`${path}?restored=1`);
    const rows = await versionsOf(tenant.id, "payment_received", "in_app", "en");
    expect(rows.map((r) => [r.version, r.reset, r.subject, r.body])).toEqual([
      [1, false, "Thanks", "We got {{amount}}."],
      [2, false, "Thanks!", "Received {{amount}}."],
      [3, true, null, null],
      [4, false, "Thanks", "We got {{amount}}."],
    ]);
    expect(await effective()).toMatchObject({ source: "agency", subject: "Thanks", body: "We got {{amount}}.", version: 4 });
    expect(await auditRows(tenant.id, "message_template.reset")).toHaveLength(1);
    const restored = await auditRows(tenant.id, "message_template.restored");
    expect(restored).toHaveLength(1);
    expect(restored[0]!.details).toMatchObject({ version: 4, restoredVersion: 1 });
    expect((await browser.post(path, { intent: "restore", version: "9", expectedVersion: "4" })).status).toBe(404);
  });

  it("previews with the sample values, markup and script kept as text, without saving", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    const before = await ownerDb().selectFrom("message_templates").select("id").where("tenant_id", "=", tenant.id).execute();
    const sms = await browser.post("/admin/messages/templates/phone_code/sms/sw", {
      intent: "preview",
      body: "<script>alert(1)</script> {{code}} ✓",
      expectedVersion: "0",
    });
    expect(sms.status).toBe(200);
    expect(sms.text).not.toContain("<script>alert(1)");
    expect(sms.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; 482913 ✓");
    expect(textOf(sms.text)).toContain("UCS-2");
    // The typed text stays in the form.
    expect(sms.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; {{code}} ✓</textarea>");

    const email = await browser.post(EMAIL_EN, {
      intent: "preview",
      subject: "<b>Receipt</b> {{receiptNumber}}",
      body: '<img src=x onerror="alert(1)"> {{name}}',
      expectedVersion: "1",
    });
    expect(email.status).toBe(200);
    expect(email.text).toMatch(/<iframe[^>]*sandbox=""/);
    // In the srcdoc the email's own escaping is escaped once more as an attribute.
    expect(email.text).toContain("&amp;lt;img src=x onerror=&amp;quot;alert(1)&amp;quot;&amp;gt; Amina Hassan");
    expect(email.text).not.toMatch(/<img src=x/);
    expect(email.text).toContain("&lt;b&gt;Receipt&lt;/b&gt; BWM-RCT-2026-000456");
    expect(await ownerDb().selectFrom("message_templates").select("id").where("tenant_id", "=", tenant.id).execute()).toEqual(before);
  });

  it("answers 404 for an event, channel or language the agency does not offer", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    for (const path of [
      "/admin/messages/templates/no_such_event/sms/en",
      "/admin/messages/templates/phone_code/email/en",
      "/admin/messages/templates/payment_received/sms/ms",
      "/admin/messages/templates/payment_received/fax/en",
    ]) {
      expect((await browser.get(path)).status, path).toBe(404);
      expect((await browser.post(path, { intent: "save", body: "x", expectedVersion: "0" })).status, path).toBe(404);
    }
  });

  it("is for holders of manage:messaging:any only", async () => {
    const browser = await signIn(hostOf(tenant), staff.email);
    expect((await browser.get("/admin/messages/templates")).status).toBe(403);
    expect((await browser.get(SMS_SW)).status).toBe(403);
    expect((await browser.post(SMS_SW, { intent: "save", body: "{{amount}}", expectedVersion: "1" })).status).toBe(403);
    expect(await versionsOf(tenant.id, "payment_received", "sms", "sw")).toHaveLength(1);
  });

  it("never shows or uses another agency's templates", async () => {
    const otherAdmin = await createUser(other.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(other), otherAdmin.email);
    const index = textOf((await browser.get("/admin/messages/templates")).text);
    expect(index).not.toContain("customised");
    const page = await browser.get(SMS_SW);
    expect(page.text).not.toContain("Asante {{name}}");
    expect(textOf(page.text)).toContain("The default wording is sent.");
    const saved = await browser.post(SMS_SW, { intent: "save", body: "Karibu {{name}}", expectedVersion: "0" });
    expect(saved.location).toBe(`${SMS_SW}?saved=1`);
    expect((await versionsOf(tenant.id, "payment_received", "sms", "sw")).map((r) => r.body)).toEqual([
      "Asante {{name}}! Tumepokea {{amount}}. Risiti: {{receiptNumber}}.",
    ]);
  });
});

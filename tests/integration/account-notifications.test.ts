import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { queueEmail } from "~/modules/notifications/email.server";
import { queueSms } from "~/modules/notifications/sms.server";
import { eventually, ownerDb } from "../support/db";
import { signIn, tenantWithUser, textOf } from "./accounts-support";

const draft = (to: string) => ({ to, subject: "Hello", text: "Hello", html: "<p>Hello</p>" });

async function messageRow(tenantId: string, id: string) {
  return ownerDb()
    .selectFrom("messages")
    .select(["status", "channel"])
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

describe("notification preferences", () => {
  it("are all on for a new customer, and the page saves each switch", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const page = await browser.get("/account/notifications");
    expect(page.status).toBe(200);
    expect(page.text.match(/type="checkbox"[^>]*checked/g)).toHaveLength(8);

    const saved = await browser.post("/account/notifications", {
      "renewals.email": "on",
      "renewals.sms": "on",
      "policy_changes.email": "on",
      "payments.email": "on",
      "payments.sms": "on",
      "claims.sms": "on",
    });
    expect(saved.location).toBe("/account/notifications?saved=1");
    const rows = await ownerDb()
      .selectFrom("notification_preferences")
      .select(["topic", "channel"])
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .where("enabled", "=", false)
      .orderBy("topic")
      .execute();
    expect(rows).toEqual([
      { topic: "claims", channel: "email" },
      { topic: "policy_changes", channel: "sms" },
    ]);
    const again = await browser.get("/account/notifications?saved=1");
    expect(textOf(again.text)).toContain("Your notification choices are saved.");
    expect(again.text.match(/type="checkbox"[^>]*checked/g)).toHaveLength(6);
    // A hostile value is refused, nothing changes.
    expect((await browser.post("/account/notifications", { "claims.email": "on\u0000" })).status).toBe(400);
  });

  it("a message on a topic turned off is kept as suppressed and never sent; others and topic-less ones go", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    // Everything on but claims by email and payments by SMS.
    await browser.post("/account/notifications", {
      "renewals.email": "on",
      "renewals.sms": "on",
      "policy_changes.email": "on",
      "policy_changes.sms": "on",
      "payments.email": "on",
      "claims.sms": "on",
    });

    const ids = await withTenant(tenant.id, async (db) => ({
      claimEmail: await queueEmail(db, tenant.id, { template: "t_claim", topic: "claims", userId: user.id, ...draft(user.email) }),
      paymentEmail: await queueEmail(db, tenant.id, { template: "t_payment", topic: "payments", userId: user.id, ...draft(user.email) }),
      // Account and security messages carry no topic: always sent.
      securityEmail: await queueEmail(db, tenant.id, { template: "t_security", ...draft(user.email) }),
      paymentSms: await queueSms(db, tenant.id, {
        template: "t_payment_sms",
        to: "+254700000001",
        text: "Paid",
        topic: "payments",
        userId: user.id,
      }),
      claimSms: await queueSms(db, tenant.id, {
        template: "t_claim_sms",
        to: "+254700000001",
        text: "Claim",
        topic: "claims",
        userId: user.id,
      }),
    }));
    expect(ids.claimEmail).toBeNull();
    expect(ids.paymentSms).toBeNull();

    const rows = await ownerDb()
      .selectFrom("messages")
      .select(["template", "status"])
      .where("tenant_id", "=", tenant.id)
      .where("template", "like", "t\\_%")
      .orderBy("template")
      .execute();
    expect(rows.find((r) => r.template === "t_claim")?.status).toBe("suppressed");
    expect(rows.find((r) => r.template === "t_payment_sms")?.status).toBe("suppressed");
    expect(rows.find((r) => r.template === "t_claim_sms")?.status).toBe("outbox");
    // The wanted emails are delivered by the worker; the suppressed one never gets a job.
    await eventually(async () => (await messageRow(tenant.id, ids.paymentEmail!)).status === "outbox");
    await eventually(async () => (await messageRow(tenant.id, ids.securityEmail!)).status === "outbox");
    const suppressed = await ownerDb()
      .selectFrom("messages")
      .select(["status", "sent_at", "provider"])
      .where("tenant_id", "=", tenant.id)
      .where("template", "=", "t_claim")
      .executeTakeFirstOrThrow();
    expect(suppressed).toEqual({ status: "suppressed", sent_at: null, provider: null });
  });
});

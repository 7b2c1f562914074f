import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { queueEmail } from "~/modules/notifications/email.server";
import { notify } from "~/modules/notifications/notify.server";
import { PREFERENCE_CHANNELS, switchableCategories } from "~/modules/notifications/preferences.server";
import { queueSms } from "~/modules/notifications/sms.server";
import { createUser, eventually, ownerDb } from "../support/db";
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

/** Every switch of the page ticked, but these ones. */
function allOnBut(categories: readonly string[], ...off: string[]): Record<string, string> {
  return Object.fromEntries(
    categories
      .flatMap((c) => PREFERENCE_CHANNELS.map((ch) => `${c}.${ch}`))
      .filter((name) => !off.includes(name))
      .map((name) => [name, "on"]),
  );
}

// The categories a customer may switch come from the catalogue's optional events, plus marketing (broadcasts).
const customerCategories = switchableCategories(["customer", "member"]);

describe("notification preferences", () => {
  it("are all on for a new customer, and the page saves each category and channel", async () => {
    expect(customerCategories).toContain("marketing");
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    const page = await browser.get("/account/notifications");
    expect(page.status).toBe(200);
    const switches = customerCategories.length * PREFERENCE_CHANNELS.length;
    expect(page.text.match(/type="checkbox"[^>]*checked/g)).toHaveLength(switches);
    expect(textOf(page.text)).toContain("Offers and news on WhatsApp");
    // Transactional events are listed, not switchable.
    expect(textOf(page.text)).toContain("Always sent");
    expect(textOf(page.text)).toContain("Payment received");
    expect(page.text).not.toContain('name="security.email"');

    const saved = await browser.post("/account/notifications", allOnBut(customerCategories, "marketing.email", "marketing.in_app"));
    expect(saved.location).toBe("/account/notifications?saved=1");
    const rows = await ownerDb()
      .selectFrom("notification_preferences")
      .select(["topic", "channel"])
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .where("enabled", "=", false)
      .orderBy("channel")
      .execute();
    expect(rows).toEqual([
      { topic: "marketing", channel: "email" },
      { topic: "marketing", channel: "in_app" },
    ]);
    const again = await browser.get("/account/notifications?saved=1");
    expect(textOf(again.text)).toContain("Your notification choices are saved.");
    expect(again.text.match(/type="checkbox"[^>]*checked/g)).toHaveLength(switches - 2);
    // A hostile value is refused, nothing changes.
    const hostile = await browser.post("/account/notifications", { "marketing.sms": "on\u0000" });
    expect(hostile.status).toBe(400);
    expect(textOf(hostile.text)).toContain("We did not understand that form.");
  });

  it("agents and staff reach the same page", async () => {
    const { tenant, host } = await tenantWithUser();
    for (const roles of [["agent"], ["admin"]] as const) {
      const person = await createUser(tenant.id, { roles: [...roles] });
      const browser = await signIn(host, person.email);
      const page = await browser.get("/account/notifications");
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain("Save my choices");
    }
  });

  it("a category turned off is kept as suppressed and never sent; transactional and category-less ones go", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const browser = await signIn(host, user.email);
    await browser.post("/account/notifications", allOnBut(customerCategories, "marketing.email", "marketing.sms", "marketing.in_app"));

    const ids = await withTenant(tenant.id, async (db) => ({
      offerEmail: await queueEmail(db, tenant.id, { template: "t_offer", category: "marketing", userId: user.id, ...draft(user.email) }),
      // A category they did not turn off goes.
      claimEmail: await queueEmail(db, tenant.id, { template: "t_claim", category: "claims", userId: user.id, ...draft(user.email) }),
      // Account and security messages carry no category: always sent.
      securityEmail: await queueEmail(db, tenant.id, { template: "t_security", ...draft(user.email) }),
      offerSms: await queueSms(db, tenant.id, {
        template: "t_offer_sms",
        to: "+254700000001",
        text: "Offer",
        category: "marketing",
        userId: user.id,
      }),
      // A transactional event (a receipt) goes whatever they chose.
      receipt: await notify(db, tenant.id, {
        event: "payment_received",
        vars: { amount: "KES 1,000.00", description: "Motor cover", receiptNumber: "R-1", link: "/account/payments" },
        to: { userId: user.id },
        channels: ["email", "in_app"],
      }),
    }));
    expect(ids.offerEmail).toBeNull();
    expect(ids.offerSms).toBeNull();
    expect(ids.receipt.every((r) => r.messageId !== null)).toBe(true);

    const rows = await ownerDb()
      .selectFrom("messages")
      .select(["template", "status"])
      .where("tenant_id", "=", tenant.id)
      .where("template", "like", "t\\_%")
      .execute();
    expect(rows.find((r) => r.template === "t_offer")?.status).toBe("suppressed");
    expect(rows.find((r) => r.template === "t_offer_sms")?.status).toBe("suppressed");
    await eventually(async () => (await messageRow(tenant.id, ids.claimEmail!)).status === "outbox");
    await eventually(async () => (await messageRow(tenant.id, ids.securityEmail!)).status === "outbox");
    const receiptEmail = ids.receipt.find((r) => r.channel === "email")!.messageId!;
    await eventually(async () => (await messageRow(tenant.id, receiptEmail)).status === "outbox");
    const suppressed = await ownerDb()
      .selectFrom("messages")
      .select(["status", "sent_at", "provider"])
      .where("tenant_id", "=", tenant.id)
      .where("template", "=", "t_offer")
      .executeTakeFirstOrThrow();
    expect(suppressed).toEqual({ status: "suppressed", sent_at: null, provider: null });
  });
});

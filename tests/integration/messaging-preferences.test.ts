import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { deliverMessage } from "~/modules/notifications/delivery.server";
import { queueEmail } from "~/modules/notifications/email.server";
import { deliveryDecision } from "~/modules/notifications/preferences.server";
import type { MessageProvider, OutgoingMessage } from "~/modules/notifications/providers/types";
import { unsubscribeToken, withUnsubscribeLine } from "~/modules/notifications/unsubscribe.server";
import { createTenant, createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { expectFieldError, hostOf, signIn, tenantWithUser, textOf } from "./accounts-support";

/** Unsubscribe links, quiet hours and their settings page (issue 14 item 4, decision 042). */

const email = (to: string, template: string, category?: "renewals" | "claims") => ({
  template,
  to,
  subject: "Your renewal",
  text: "Your cover ends soon.",
  html: "<!doctype html><html><body><p>Your cover ends soon.</p></body></html>",
  ...(category ? { category } : {}),
});

/** A provider that keeps what it was asked to send. */
function capturingProvider(sent: OutgoingMessage[]): MessageProvider {
  return {
    name: "outbox",
    channel: "email",
    async send(message: OutgoingMessage) {
      sent.push(message);
      return { provider: "outbox", status: "outbox", providerMessageId: null };
    },
  } as unknown as MessageProvider;
}

async function optOuts(tenantId: string) {
  return ownerDb()
    .selectFrom("message_opt_outs")
    .select(["channel", "address", "category", "source"])
    .where("tenant_id", "=", tenantId)
    .execute();
}

describe("email unsubscribe", () => {
  it("an optional email carries the one-click headers; the link's page stops that category, and later ones are suppressed", async () => {
    const tenant = await createTenant();
    const address = `reader-${Date.now()}@example.com`;
    const sent: OutgoingMessage[] = [];
    // Queued and delivered in one transaction: the worker cannot see the jobs before this sends them.
    await withTenant(tenant.id, async (db) => {
      const renewal = await queueEmail(db, tenant.id, email(address, "t_renewal", "renewals"));
      const security = await queueEmail(db, tenant.id, email(address, "t_security"));
      await deliverMessage(db, tenant.id, renewal!, { provider: capturingProvider(sent) });
      await deliverMessage(db, tenant.id, security!, { provider: capturingProvider(sent) });
    });
    const [renewal, security] = sent;
    expect(renewal!.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const link = /^<(https?:\/\/[^>]+)>$/.exec(renewal!.headers?.["List-Unsubscribe"] ?? "")?.[1];
    expect(link).toBeDefined();
    // A transactional email has no unsubscribe.
    expect(security!.headers).toBeUndefined();

    const path = new URL(link!).pathname;
    expect(path).toMatch(/^\/unsubscribe\//);
    const visitor = new Browser(hostOf(tenant)); // nobody signed in
    const page = await visitor.get(path);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain(`Stop “Renewals” emails from ${tenant.name} to ${address}?`);
    expect(await optOuts(tenant.id)).toEqual([]); // looking changes nothing

    const done = await visitor.post(path, {});
    expect(done.status).toBe(200);
    expect(textOf(done.text)).toContain(`${address} will no longer get “Renewals” emails`);
    expect(await optOuts(tenant.id)).toEqual([{ channel: "email", address, category: "renewals", source: "unsubscribe_link" }]);

    // Renewals to that address stop; other categories and transactional emails still go.
    const after = await withTenant(tenant.id, async (db) => ({
      renewal: await queueEmail(db, tenant.id, email(address, "t_renewal_2", "renewals")),
      claim: await queueEmail(db, tenant.id, email(address, "t_claim", "claims")),
      security: await queueEmail(db, tenant.id, email(address, "t_security_2")),
    }));
    expect(after.renewal).toBeNull();
    expect(after.claim).not.toBeNull();
    expect(after.security).not.toBeNull();
  });

  it("a mail app's one-click POST (RFC 8058) unsubscribes and answers 200", async () => {
    const tenant = await createTenant();
    const token = unsubscribeToken(tenant.id, { address: "one@example.com", category: "marketing" });
    const mailApp = new Browser(hostOf(tenant));
    const res = await mailApp.send("POST", `/unsubscribe/${token}`, "List-Unsubscribe=One-Click", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(200);
    expect(await optOuts(tenant.id)).toEqual([
      { channel: "email", address: "one@example.com", category: "marketing", source: "unsubscribe_link" },
    ]);
    // Again: nothing more, still 200.
    expect(
      (
        await mailApp.send("POST", `/unsubscribe/${token}`, "List-Unsubscribe=One-Click", {
          "content-type": "application/x-www-form-urlencoded",
        })
      ).status,
    ).toBe(200);
    expect(await optOuts(tenant.id)).toHaveLength(1);
  });

  it("a forged, altered, expired or other agency's token is refused with a clear page, and nothing changes", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const what = { address: "victim@example.com", category: "marketing" } as const;
    const good = unsubscribeToken(tenant.id, what);
    const [body, mac] = good.split(".");
    const altered = `${Buffer.from(JSON.stringify({ v: 1, t: tenant.id, a: "someone@example.com", c: "marketing", e: 9e9 })).toString("base64url")}.${mac}`;
    const forgedMac = `${body}.${mac!.slice(0, -2)}${mac!.endsWith("AA") ? "BA" : "AA"}`;
    const expired = unsubscribeToken(tenant.id, what, new Date(Date.now() - 400 * 24 * 3600 * 1000));
    const otherAgency = unsubscribeToken(other.id, what);
    const visitor = new Browser(hostOf(tenant));
    for (const token of [altered, forgedMac, expired, otherAgency, "not-a-token"]) {
      const page = await visitor.get(`/unsubscribe/${token}`);
      expect(page.status, token).toBe(400);
      expect(textOf(page.text)).toContain("This unsubscribe link does not work");
      const post = await visitor.post(`/unsubscribe/${token}`, {});
      expect(post.status).toBe(400);
      const oneClick = await visitor.send("POST", `/unsubscribe/${token}`, "List-Unsubscribe=One-Click", {
        "content-type": "application/x-www-form-urlencoded",
      });
      expect(oneClick.status).toBe(400);
    }
    expect(await optOuts(tenant.id)).toEqual([]);
    expect(await optOuts(other.id)).toEqual([]);
  });

  it("the unsubscribe line closes the email's text and HTML, in its language", async () => {
    const url = "https://bowman.example/unsubscribe/abc.def";
    const en = await withUnsubscribeLine({ text: "Hello", html: "<html><body><p>Hello</p></body></html>" }, url, "en");
    expect(en.text).toBe(`Hello\n\nDon't want these emails? Unsubscribe: ${url}`);
    expect(en.html).toBe(
      `<html><body><p>Hello</p><p style="color:#666;font-size:13px;margin-top:8px"><a href="${url}" style="color:#666">Unsubscribe</a></p></body></html>`,
    );
    const sw = await withUnsubscribeLine({ text: "Habari", html: null }, url, "sw");
    expect(sw.text).toBe(`Habari\n\nHutaki barua pepe hizi? Jiondoe: ${url}`);
  });
});

describe("quiet hours", () => {
  it("the settings page saves quiet hours; a reminder at 23:00 Nairobi waits until 07:00, an urgent one goes now", async () => {
    const { tenant, host } = await tenantWithUser();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const browser = await signIn(host, admin.email);
    expect((await browser.get("/admin/messages/settings")).status).toBe(200);
    const saved = await browser.post("/admin/messages/settings", { quietStart: "21:00", quietEnd: "07:00", broadcastRatePerMinute: "120" });
    expect(saved.location).toBe("/admin/messages/settings?saved=1");
    const row = await ownerDb().selectFrom("messaging_settings").selectAll().where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ quiet_hours_start: "21:00:00", quiet_hours_end: "07:00:00", broadcast_rate_per_minute: 120 });

    const at2300 = new Date("2026-12-07T20:00:00Z"); // 23:00 in Nairobi
    const reminder = { channel: "sms", to: "+254700000001", category: "renewals" } as const;
    const decisions = await withTenant(tenant.id, async (db) => ({
      reminder: await deliveryDecision(db, tenant.id, reminder, at2300),
      urgent: await deliveryDecision(db, tenant.id, { ...reminder, urgent: true }, at2300),
      code: await deliveryDecision(db, tenant.id, { ...reminder, essential: true }, at2300),
      inApp: await deliveryDecision(db, tenant.id, { channel: "in_app", to: admin.id, category: "renewals" }, at2300),
      morning: await deliveryDecision(db, tenant.id, reminder, new Date("2026-12-08T05:00:00Z")),
    }));
    expect(decisions.reminder).toEqual({ send: true, sendAfter: new Date("2026-12-08T04:00:00Z") });
    expect(decisions.urgent.sendAfter ?? null).toBeNull();
    expect(decisions.code.sendAfter ?? null).toBeNull();
    expect(decisions.inApp.sendAfter ?? null).toBeNull();
    expect(decisions.morning.sendAfter ?? null).toBeNull();
  });

  it("the settings page refuses bad values field by field and keeps what was saved", async () => {
    const { tenant, host, user } = await tenantWithUser();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const browser = await signIn(host, admin.email);
    expectFieldError(
      await browser.post("/admin/messages/settings", { quietStart: "21:00", broadcastRatePerMinute: "600" }),
      "Enter when quiet hours end too, or clear the start.",
    );
    expectFieldError(
      await browser.post("/admin/messages/settings", { quietStart: "25:00", quietEnd: "07:00", broadcastRatePerMinute: "600" }),
      "Enter the time quiet hours start as HH:MM, from 00:00 to 23:59.",
    );
    expectFieldError(
      await browser.post("/admin/messages/settings", { quietStart: "07:00", quietEnd: "07:00", broadcastRatePerMinute: "600" }),
      "Quiet hours must end at another time than they start.",
    );
    expectFieldError(
      await browser.post("/admin/messages/settings", { broadcastRatePerMinute: "0" }),
      "Send at least 1 message per minute.",
    );
    expectFieldError(
      await browser.post("/admin/messages/settings", { broadcastRatePerMinute: "lots" }),
      /Enter the rate as a whole number/,
    );
    expect(await ownerDb().selectFrom("messaging_settings").selectAll().where("tenant_id", "=", tenant.id).execute()).toEqual([]);
    // A customer may not open it.
    const customer = await signIn(host, user.email);
    expect((await customer.get("/admin/messages/settings")).status).toBe(403);
  });
});

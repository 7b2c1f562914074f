import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { notify } from "~/modules/notifications/notify.server";
import { queueMessage } from "~/modules/notifications/queue.server";
import { createUser, ownerDb } from "../support/db";
import { signIn, tenantWithUser, textOf } from "./accounts-support";

/** In-app notifications: the bell's count, the list, opening and marking read (issue 14 item 1, decision 042). */

async function inApp(tenantId: string, userId: string, subject: string, link: string | null = null) {
  const id = await withTenant(tenantId, (db) =>
    queueMessage(db, tenantId, { channel: "in_app", template: "test", to: userId, userId, subject, text: `${subject}, in full.`, link }),
  );
  return id!;
}

const bellLabel = (html: string) =>
  /<a [^>]*href="\/notifications"[^>]*aria-label="([^"]*)"/.exec(html)?.[1] ??
  /aria-label="([^"]*)"[^>]*href="\/notifications"/.exec(html)?.[1];

describe("the notification centre", () => {
  it("a customer sees their unread count on the bell, the list newest first, opens one and marks all read", async () => {
    const { tenant, user, host } = await tenantWithUser();
    const other = await createUser(tenant.id);
    const browser = await signIn(host, user.email);
    expect(bellLabel((await browser.get("/")).text)).toBe("Notifications");
    const empty = await browser.get("/notifications");
    expect(textOf(empty.text)).toContain("You have no notifications yet.");

    const first = await inApp(tenant.id, user.id, "Your certificate is ready", "/account/documents");
    const second = await inApp(tenant.id, user.id, "Somewhere else", "https://evil.example/phish");
    // Through the catalogue as business code sends it: in-app only, linking to the payments page.
    await withTenant(tenant.id, (db) =>
      notify(db, tenant.id, {
        event: "payment_received",
        vars: { amount: "KES 1,000.00", description: "Motor cover", receiptNumber: "R-1", link: "/account/payments" },
        to: { userId: user.id },
        channels: ["in_app"],
      }),
    );
    const notMine = await inApp(tenant.id, other.id, "Someone else's news", "/account");

    const home = await browser.get("/");
    expect(bellLabel(home.text)).toBe("Notifications, 3 unread");
    const list = await browser.get("/notifications");
    const text = textOf(list.text);
    expect(text).toContain("Your certificate is ready");
    expect(text).not.toContain("Someone else's news");
    // Newest first.
    expect(text.indexOf("Somewhere else")).toBeLessThan(text.indexOf("Your certificate is ready"));
    expect(text.match(/Unread/g)).toHaveLength(3);
    // An off-site link is shown without a way to open it.
    expect(list.text).not.toContain("evil.example");

    // Opening marks it read and goes to its page.
    const opened = await browser.post(`/notifications/${first}`, { intent: "open" });
    expect(opened.status).toBe(302);
    expect(opened.location).toBe("/account/documents");
    expect(bellLabel((await browser.get("/")).text)).toBe("Notifications, 2 unread");
    // An off-site link is never followed, even when asked.
    const refused = await browser.post(`/notifications/${second}`, { intent: "open" });
    expect(refused.location).toBe("/notifications");

    // Someone else's notification: 404, and it stays unread.
    expect((await browser.post(`/notifications/${notMine}`, { intent: "read" })).status).toBe(404);
    expect((await browser.post(`/notifications/not-an-id`, { intent: "read" })).status).toBe(404);
    const theirs = await ownerDb().selectFrom("messages").select("read_at").where("id", "=", notMine).executeTakeFirstOrThrow();
    expect(theirs.read_at).toBeNull();

    const all = await browser.post("/notifications", {});
    expect(all.location).toBe("/notifications?read=all");
    const after = await browser.get("/notifications?read=all");
    expect(bellLabel(after.text)).toBe("Notifications");
    expect(textOf(after.text)).toContain("All your notifications are marked as read.");
    expect(textOf(after.text)).not.toContain("Unread");
    const stillTheirs = await ownerDb().selectFrom("messages").select("read_at").where("id", "=", notMine).executeTakeFirstOrThrow();
    expect(stillTheirs.read_at).toBeNull();
  });

  it("staff have the bell in the back office, and their own list", async () => {
    const { tenant, host } = await tenantWithUser();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    await inApp(tenant.id, admin.id, "A job failed for good", "/admin/outbox");
    const browser = await signIn(host, admin.email);
    const office = await browser.get("/admin");
    expect(office.status).toBe(200);
    expect(bellLabel(office.text)).toBe("Notifications, 1 unread");
    expect(textOf((await browser.get("/notifications")).text)).toContain("A job failed for good");
  });

  it("speaks the person's language", async () => {
    const { tenant, user, host } = await tenantWithUser();
    await ownerDb()
      .updateTable("tenants")
      .set({ languages: ["en", "sw"] })
      .where("id", "=", tenant.id)
      .execute();
    await inApp(tenant.id, user.id, "Habari");
    const browser = await signIn(host, user.email);
    expect((await browser.post("/language", { language: "sw", redirectTo: "/notifications" })).status).toBe(302);
    const page = await browser.get("/notifications");
    expect(bellLabel(page.text)).toBe("Arifa, 1 haijasomwa");
    expect(textOf(page.text)).toContain("Weka zote kama zimesomwa");
  });
});

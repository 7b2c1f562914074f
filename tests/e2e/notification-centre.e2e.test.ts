import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { notify } from "~/modules/notifications/notify.server";
import { queueMessage } from "~/modules/notifications/queue.server";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";

/**
 * A Bowman customer reads and clears their in-app notifications (issue 14, "done means"): the bell
 * says how many are unread, opening one leads to its page and marks it read, "mark all as read"
 * brings the count to zero.
 */
describe.skipIf(!hasChromium)("the notification centre in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a customer opens the bell, opens a notification and marks all read", async () => {
    const tenantId = (await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "bowman").executeTakeFirstOrThrow()).id;
    const user = await createUser(tenantId, { name: "Achieng Bell" });
    await withTenant(tenantId, async (db) => {
      await queueMessage(db, tenantId, {
        channel: "in_app",
        template: "e2e",
        to: user.id,
        userId: user.id,
        subject: "Your documents are ready",
        text: "Your certificate is in your documents.",
        link: "/account/documents",
      });
      await notify(db, tenantId, {
        event: "payment_received",
        vars: { amount: "KES 2,500.00", description: "Motor cover", receiptNumber: "BWM-RCT-E2E", link: "/account/payments" },
        to: { userId: user.id, language: "en" },
        channels: ["in_app"],
      });
      await queueMessage(db, tenantId, {
        channel: "in_app",
        template: "e2e",
        to: user.id,
        userId: user.id,
        subject: "Welcome",
        text: "Welcome aboard.",
      });
    });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(siteUrl("bowman.localhost", "/login?redirectTo=/account"));
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();

    await page.getByRole("link", { name: "Notifications, 3 unread" }).click();
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    const list = page.getByRole("list", { name: "Your notifications" });
    await expect(list.getByRole("listitem").count()).resolves.toBe(3);
    await expect(list.getByText("Unread").count()).resolves.toBe(3);

    // Opening one goes to its page and marks it read.
    await list.getByRole("listitem").filter({ hasText: "Your documents are ready" }).getByRole("button", { name: "Open" }).click();
    await page.waitForURL(/\/account\/documents$/);
    await page.getByRole("link", { name: "Notifications, 2 unread" }).click();
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();

    await page.getByRole("button", { name: "Mark all as read" }).click();
    await page.getByText("All your notifications are marked as read.").waitFor();
    await page.getByRole("link", { name: "Notifications", exact: true }).waitFor();
    await expect(page.getByText("Unread").count()).resolves.toBe(0);
    await context.close();
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createTenant, createUser, ownerDb, TEST_PASSWORD } from "../support/db";

/**
 * The template editor in a real browser, on a phone: the preview and the SMS length follow the
 * typing, an Insert button types a variable where the cursor was, and the saved text is what was typed.
 */
describe.skipIf(!hasChromium)("the message template editor in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("previews while typing, inserts a variable at the cursor, and saves", async () => {
    const tenant = await createTenant({ name: "Pwani Bima" });
    await ownerDb()
      .updateTable("tenants")
      .set({ languages: ["en", "sw"] })
      .where("id", "=", tenant.id)
      .execute();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const host = `${tenant.slug}.localhost`;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined));
    await page.goto(siteUrl(host, "/login"));
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/account|\/admin|\/$/);

    await page.goto(siteUrl(host, "/admin/messages/templates"));
    await page.getByRole("link", { name: "Kiswahili — Payment received, SMS" }).click();
    await page.waitForURL(/\/payment_received\/sms\/sw$/);
    const message = page.getByLabel("Message", { exact: true });

    const preview = page.locator('[data-preview="text"]');
    const length = page.locator('[data-preview="sms"]');
    await message.fill("Asante! Risiti ");
    await expect.poll(() => preview.textContent()).toBe("Asante! Risiti");
    await expect.poll(() => length.textContent()).toContain("GSM-7");

    // The cursor is at the end of the message: the variable goes there.
    await message.press("End");
    await page.getByRole("button", { name: "Insert {{receiptNumber}}" }).click();
    expect(await message.inputValue()).toBe("Asante! Risiti {{receiptNumber}}");
    await expect.poll(() => preview.textContent()).toBe("Asante! Risiti BWM-RCT-2026-000456");

    await message.fill("Asante 🙏 {{receiptNumber}}");
    await expect.poll(() => length.textContent()).toContain("UCS-2");

    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.waitForURL(/saved=1$/);
    // The address changes before the page is drawn: wait for the notice itself.
    await page.getByText("Saved as version 1").waitFor();
    const [row] = await ownerDb().selectFrom("message_templates").select(["body", "version"]).where("tenant_id", "=", tenant.id).execute();
    expect(row).toEqual({ body: "Asante 🙏 {{receiptNumber}}", version: 1 });

    // Email previews as its own HTML in a sandboxed frame, and follows the typing too.
    await page.goto(siteUrl(host, "/admin/messages/templates/payment_received/email/en"));
    const frame = page.frameLocator('iframe[title="Email preview"]');
    expect(await frame.locator("body").textContent()).toContain("We received KES 12,500.00");
    await page.getByLabel("Message", { exact: true }).fill("Karibu {{name}}");
    await expect.poll(() => frame.locator("body").textContent()).toContain("Karibu Amina Hassan");
    expect(errors).toEqual([]);
    await context.close();
  });
});

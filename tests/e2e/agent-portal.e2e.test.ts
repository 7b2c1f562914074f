import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../support/db";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { agentNetworkTenant, agentWithEarnings } from "../integration/network-support";

/**
 * The agent dashboard in a real browser: the figures arrive as tables, then recharts draws them
 * after hydration (its chunk loads lazily), the table folds away, and the referral link copies.
 */
describe.skipIf(!hasChromium)("agent portal in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws the charts after hydration and copies the referral link", async () => {
    const tenant = await agentNetworkTenant();
    const me = await agentWithEarnings(tenant.id, { agent: "Aminah Charts", recruit: "Recruit One" });

    const host = `${tenant.slug}.localhost`;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: siteUrl(host, "").replace(/\/$/, "") });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(siteUrl(host, "/login?redirectTo=/agent"));
    await page.getByLabel("Email").fill(me.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();

    // recharts draws the three charts; their figures stay one click away.
    await page.locator(".chart-box svg.recharts-surface").nth(2).waitFor();
    await expect(page.locator(".chart-box svg.recharts-surface").count()).resolves.toBe(3);
    await expect(page.locator(".chart-box .recharts-bar-rectangle").count()).resolves.toBeGreaterThan(0);
    const figures = page.getByText("Show the figures").first();
    await figures.click();
    await expect(page.getByRole("row", { name: /Tier 1 \(your sales\)/ }).isVisible()).resolves.toBe(true);

    await page.getByRole("button", { name: "Copy link" }).click();
    await page.getByText("Copied").waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toContain(`/join/${me.referralCode}`);
    await expect(page.getByRole("img", { name: /QR code for your referral link/ }).isVisible()).resolves.toBe(true);

    expect(errors).toEqual([]);
    await context.close();
  });
});

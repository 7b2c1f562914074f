import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../support/db";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { agentWithLogin, memberRow, memberTenant, registeredMember } from "../integration/members-support";

/**
 * An agent suspends their member in Chromium: the reason is chosen from the list, the button asks
 * for confirmation in a dialog (with JavaScript), and the page then says what happened.
 */
describe.skipIf(!hasChromium)("a member's status in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("asks for a reason and a confirmation, then suspends", async () => {
    const tenant = await memberTenant();
    const agent = await agentWithLogin(tenant);
    const member = await registeredMember(agent.browser);
    const host = tenant.host.replace(/:\d+$/, "");
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(siteUrl(host, `/login?redirectTo=/agent/members/${member.memberId}`));
    await page.getByLabel("Email").fill(agent.user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    const suspend = page.getByRole("form", { name: /^Suspend / });
    // Hydrated: the button now opens the confirmation instead of posting.
    await suspend.locator('button[type="button"]', { hasText: "Suspend" }).waitFor();

    // No reason yet: the browser's own check stops it before any dialog.
    await suspend.getByRole("button", { name: "Suspend" }).click();
    await expect(page.getByRole("alertdialog").count()).resolves.toBe(0);

    await suspend.getByLabel("Reason").selectOption({ label: "Under investigation" });
    await suspend.getByLabel("In your words").fill("A hospital bill is being checked");
    await suspend.getByRole("button", { name: "Suspend" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Yes, suspend" }).click();
    await page.getByText("Member suspended").waitFor();
    await expect(page.getByRole("link", { name: "Sell a policy" }).count()).resolves.toBe(0);
    expect((await memberRow(member.memberId)).status).toBe("suspended");
    expect(errors).toEqual([]);
    await context.close();
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteDateIn } from "~/modules/rating";
import { addDays } from "~/modules/rating/dates";
import { runPolicyLifecycle } from "~/modules/renewals/daily.server";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { paymentsTenant } from "../support/checkout";
import { eventually, ownerDb, TEST_PASSWORD } from "../support/db";
import { hostOf } from "../integration/accounts-support";
import { issuedPolicy, messagesKeyed, setLifecycle } from "../integration/renewals-support";

/**
 * Issue 13's "Done means": a Bowman customer renews a motor policy from the renewal email's link.
 * The offer goes out (the daily job, on a day inside the offer window), the link asks them to sign in
 * and comes back to the renew page, which shows the new price and why it changed (a no-claims
 * discount); one button takes them to the checkout's payment step, the sandbox card pays, and the new
 * policy's page links to the old one (and the old one's to the new).
 */
describe.skipIf(!hasChromium)("renewing from the renewal email, in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a Bowman customer renews their motor policy from the offer's link and pays in the sandbox", async () => {
    const tenant = await paymentsTenant({ prefix: "BWM" });
    const host = hostOf(tenant);
    await setLifecycle(tenant.id, "motor-comprehensive", { noClaimsDiscount: { stepsBp: [0, 1_000, 2_000] } });
    const { user, policy } = await issuedPolicy({ tenant });
    // Twenty days of cover left: inside the 30-day offer window of today.
    const today = quoteDateIn(tenant.timeZone);
    const end = addDays(today, 20);
    await ownerDb().updateTable("policies").set({ end_date: end }).where("id", "=", policy.id).execute();
    await runPolicyLifecycle(tenant, today, siteUrl(host, ""));
    const [offer] = await messagesKeyed(tenant.id, `renewal_offer:${policy.id}`);
    const link = offer!.body_text.match(/Renew my policy: (\S+)/)![1]!;
    expect(link).toBe(siteUrl(host, `/account/policies/${policy.id}/renew`));
    expect(offer!.body_text).toContain("No-claims discount: 1 claim-free year (10%)");

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(link);
    await page.waitForURL(/\/login\?redirectTo=/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(link);

    await page.getByRole("heading", { level: 1, name: "Renew Motor Comprehensive" }).waitFor();
    await expect(page.getByTestId("renewal-changes").textContent()).resolves.toContain("No-claims discount: 1 claim-free year (10%)");
    await page.getByRole("button", { name: /^Accept and renew for/ }).click();
    await page.waitForURL(/\/checkout\/[0-9a-f-]{36}\/pay$/);
    const orderId = page.url().match(/checkout\/([0-9a-f-]{36})\/pay/)![1]!;
    await page.getByRole("radio", { name: /^Card \(sandbox\)/ }).check();
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    await page.getByRole("heading", { level: 1, name: "Card payment" }).waitFor();
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM/YY)").fill("12/34");
    await page.getByLabel("Security code").fill("123");
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.waitForURL(siteUrl(host, `/orders/${orderId}`), { timeout: 20_000 });

    const renewed = await eventually(
      () =>
        ownerDb()
          .selectFrom("policies")
          .selectAll()
          .where("renewal_of_policy_id", "=", policy.id)
          .where("policy_number", "is not", null)
          .executeTakeFirst(),
      30_000,
    );
    expect(renewed.start_date).toBe(addDays(end, 1));

    // The new policy's page names the one it renews, and the old one's names its renewal.
    await page.goto(siteUrl(host, `/account/policies/${renewed.id}`));
    await page.getByRole("link", { name: policy.policy_number! }).click();
    await page.waitForURL(siteUrl(host, `/account/policies/${policy.id}`));
    await page.getByRole("link", { name: renewed.policy_number! }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

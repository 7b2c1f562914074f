import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { TEST_PASSWORD } from "../support/db";
import { claimsAgency, claimState, fileTestClaim, setClaimSettings, type ClaimsAgency } from "../integration/claims-office-fixtures";

/**
 * The claims back office in a real browser, on a phone's width: from the queue to the workbench, the
 * photo shown inline (the page's CSP lets it load), a mistake in the assessment said before posting,
 * the review, assessment and approval done with JavaScript, and the figures drawn as a chart — with
 * no error in the console.
 */
describe.skipIf(!hasChromium)("the claims back office in the browser", () => {
  let browser: Browser;
  let a: ClaimsAgency;
  beforeAll(async () => {
    browser = await launchChromium();
    a = await claimsAgency();
    await setClaimSettings(a.tenant.id, { autoAssign: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signedIn(email: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined));
    await page.goto(siteUrl(a.tenant.host, "/login"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/account|\/admin|\/$/);
    return { page, errors };
  }

  it("takes a claim from the queue through review, assessment and approval", async () => {
    const claim = await fileTestClaim(a.tenant.id, {
      policyId: a.policy.policyId,
      claimantUserId: a.customer.id,
      claimedMinor: 4_000_000,
      documents: [{ kind: "damage_photos", filename: "wing.png", contentType: "image/png" }],
    });
    const { page, errors } = await signedIn(a.assessor.email);
    await page.goto(siteUrl(a.tenant.host, "/admin/claims"));
    await page.getByRole("link", { name: claim.number }).click();
    await page.waitForURL(new RegExp(`/admin/claims/${claim.id}$`));

    const photo = page.getByRole("img", { name: "Photos of the damage: wing.png" });
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);

    await page.getByRole("button", { name: "Start the review" }).click();
    await page.getByText("You have started the review.").waitFor();

    // More than claimed is refused in the page, before anything is sent.
    await page.getByLabel("Approved amount (KES)").fill("50,000");
    await page.getByLabel("Excess (KES)").fill("0");
    await page.getByRole("button", { name: "Complete the assessment" }).click();
    await page.getByText("This is more than was claimed.").waitFor();
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("under_review");

    await page.getByLabel("Approved amount (KES)").fill("40,000");
    await page.getByRole("button", { name: "Complete the assessment" }).click();
    await page.getByText("The assessment is complete.").waitFor();

    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByText("The claim is approved.").waitFor();
    expect((await claimState(a.tenant.id, claim.id)).claim).toMatchObject({ status: "approved", payable_minor: 4_000_000 });
    expect(errors).toEqual([]);
  });

  it("draws the figures as charts, with their tables behind a disclosure", async () => {
    await fileTestClaim(a.tenant.id, { policyId: a.policy2.policyId, claimantUserId: a.customer2.id, claimType: "inpatient" });
    const { page, errors } = await signedIn(a.manager.email);
    await page.goto(siteUrl(a.tenant.host, "/admin/claims/figures"));
    await page.locator(".recharts-surface").first().waitFor();
    expect(await page.getByText("Show the figures").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});

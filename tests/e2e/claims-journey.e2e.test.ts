import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { paymentsTenant } from "../support/checkout";
import { createUser, eventually, ownerDb, TEST_PASSWORD } from "../support/db";
import { hostOf } from "../integration/accounts-support";
import { setClaimSettings } from "../integration/claims-office-fixtures";
import { insertPolicy } from "../integration/customer-policies-fixtures";
import { agentWithLogin, memberTenant, registeredMember } from "../integration/members-support";
import { withTenant } from "~db/client";

/**
 * Claims' whole journeys in a real browser, as issue 12's "Done means" has them. Bowman: a customer files a
 * motor claim with photos and a police report, the assessor asks for one more document, the customer
 * sends it, the assessor assesses and signs the approval, a second approver signs off (above the
 * agency's four-eyes amount), the claims manager pays it through the sandbox, and the customer
 * downloads the settlement letter. KHHoldings: an agent files their member's hospital stay at a panel
 * hospital, reviews it, the assessor approves, it is paid, and the member's benefit for the year
 * drops by the amount paid. Each person in their own browser; no step through the database.
 */

const pdf = (note: string) => Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% ${note}\n%%EOF\n`);
const png = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);
const statusOf = async (claimId: string) =>
  (await ownerDb().selectFrom("claims").select("status").where("id", "=", claimId).executeTakeFirstOrThrow()).status;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)("a claim from first notice to settlement, in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signedIn(host: string, email: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(siteUrl(host, "/login"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    return { page, errors };
  }

  it("files, asks for a document, receives it, approves with four eyes, pays and letters a Bowman motor claim", async () => {
    const tenant = await paymentsTenant({ prefix: "BWM" });
    const host = hostOf(tenant);
    const [customer, assessor, approver] = await Promise.all([
      createUser(tenant.id, { name: "Wanjiku Claimant" }),
      createUser(tenant.id, { name: "Amina Assessor", roles: ["assessor"] }),
      createUser(tenant.id, { name: "Otieno Claims", roles: ["claims_manager"] }),
    ]);
    const policy = await insertPolicy(tenant.id, customer.id, { productSlug: "motor-comprehensive", startDate: daysAgo(120) });
    // KES 10,000 and above needs two approvers.
    await setClaimSettings(tenant.id, { fourEyesMinor: 1_000_000, autoAssign: true });

    // The customer files through the wizard.
    const claimant = await signedIn(host, customer.email);
    const page = claimant.page;
    await page.goto(siteUrl(host, `/account/policies/${policy.policyId}`));
    await page.getByRole("link", { name: "File a claim" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Which policy are you claiming on?" }).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("radio", { name: /Accident damage/ }).check();
    await page.getByLabel("Date of the incident").fill(daysAgo(3));
    await page.getByLabel("Where did it happen?").fill("Waiyaki Way, Westlands, Nairobi");
    await page.getByLabel("Tell us what happened").fill("A lorry changed lanes into my car at the Westlands roundabout.");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByLabel(/Amount claimed/).fill("85,000");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("heading", { level: 1, name: "Documents" }).waitFor();
    await page
      .getByLabel("Police abstract (police report)")
      .setInputFiles({ name: "police-abstract.pdf", mimeType: "application/pdf", buffer: pdf("OB 12") });
    await page.getByLabel("Photos of the damage").setInputFiles([
      { name: "front.png", mimeType: "image/png", buffer: png },
      { name: "door.png", mimeType: "image/png", buffer: png },
    ]);
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("heading", { name: "Uploaded so far" }).waitFor();
    await page.getByRole("link", { name: "Continue to review" }).click();
    await page.getByRole("button", { name: "Submit the claim" }).click();
    await page.getByText("Your claim has been filed.").waitFor();
    const claim = await ownerDb().selectFrom("claims").selectAll().where("claimant_user_id", "=", customer.id).executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ claimed_minor: 8_500_000, status: "submitted", assessor_user_id: assessor.id });
    const claimPage = page.url();

    // The assessor starts the review and asks for the repair estimate.
    const office = await signedIn(host, assessor.email);
    const workbench = siteUrl(host, `/admin/claims/${claim.id}`);
    await office.page.goto(workbench);
    await office.page.getByRole("button", { name: "Start the review" }).click();
    await office.page.getByText("You have started the review.").waitFor();
    await office.page.getByLabel("Message to the claimant").fill("Please send the garage's repair estimate for the door and wing.");
    await office.page.getByRole("checkbox", { name: /Repair estimate/ }).check();
    await office.page.getByRole("button", { name: "Send the request" }).click();
    await office.page.getByText("The request has been sent to the claimant.").waitFor();

    // The customer sees the request on the claim's page and answers it with the document.
    await page.goto(claimPage);
    await page.getByText("Please send the garage's repair estimate for the door and wing.").first().waitFor();
    await page
      .getByLabel(/Repair estimate/)
      .setInputFiles({ name: "estimate.pdf", mimeType: "application/pdf", buffer: pdf("Estimate KES 85,000") });
    await page.getByRole("button", { name: "Send the documents" }).click();
    await eventually(async () => (await statusOf(claim.id)) === "under_review");

    // The assessor assesses and signs first; above KES 10,000 a second person must approve.
    await office.page.goto(workbench);
    await office.page.getByLabel("Approved amount (KES)").fill("85,000");
    await office.page.getByLabel("Excess (KES)").fill("5,000");
    await office.page.getByRole("checkbox", { name: "Excess applied" }).check();
    await office.page.getByRole("button", { name: "Complete the assessment" }).click();
    await office.page.getByText("The assessment is complete.").waitFor();
    await office.page.getByRole("button", { name: "Sign the approval (first of two)" }).click();
    await office.page
      .getByText(/second approver/i)
      .first()
      .waitFor();
    expect(await statusOf(claim.id)).toBe("assessment_complete");

    // The claims manager signs as the second approver, then pays through the sandbox.
    const manager = await signedIn(host, approver.email);
    await manager.page.goto(workbench);
    await manager.page.getByRole("button", { name: "Sign as second approver" }).click();
    await manager.page.getByText("The claim is approved.").waitFor();
    await manager.page.goto(siteUrl(host, `/admin/claims/${claim.id}/settlement`));
    await manager.page.getByRole("button", { name: /\(sandbox\)/ }).click();
    await eventually(async () => (await statusOf(claim.id)) === "settled");
    const settlement = await ownerDb()
      .selectFrom("claim_settlements")
      .selectAll()
      .where("claim_id", "=", claim.id)
      .executeTakeFirstOrThrow();
    expect(settlement).toMatchObject({ amount_minor: 8_000_000, status: "paid", method: "sandbox" });

    // The customer downloads the settlement letter once the job has made it.
    await eventually(async () => {
      await page.goto(claimPage);
      return (await page.getByRole("link", { name: "Download the settlement letter (PDF)" }).count()) === 1;
    }, 30_000);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download the settlement letter (PDF)" }).click();
    const letter = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of letter) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe("%PDF-");

    expect([...claimant.errors, ...office.errors, ...manager.errors]).toEqual([]);
  }, 180_000);

  it("settles a KHHoldings member's hospital stay filed and reviewed by their agent, and the member's benefit drops", async () => {
    const tenant = await memberTenant();
    const { user: agentUser, browser: agentHttp } = await agentWithLogin(tenant);
    const member = await registeredMember(agentHttp);
    const [assessor, approver] = await Promise.all([
      createUser(tenant.id, { name: "Lim Assessor", roles: ["assessor"] }),
      createUser(tenant.id, { name: "Hafiz Claims", roles: ["claims_manager"] }),
    ]);
    const policy = await insertPolicy(tenant.id, member.userId, { productSlug: "medical-card", startDate: daysAgo(120) });
    await withTenant(tenant.id, (db) =>
      db
        .insertInto("facilities")
        .values({ name: "Hospital Pantai Kuala Lumpur", kind: "hospital", city: "Kuala Lumpur", state: "Wilayah Persekutuan", panel: true })
        .execute(),
    );

    // The agent files for their member, choosing the panel hospital.
    const agent = await signedIn(tenant.host, agentUser.email);
    const page = agent.page;
    await page.goto(siteUrl(tenant.host, `/account/claims/new?member=${member.memberId}`));
    await page.getByRole("radio", { name: new RegExp(policy.policyNumber!) }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("radio", { name: /Hospital stay \(inpatient\)/ }).check();
    await page.getByLabel("Date of the incident").fill(daysAgo(5));
    await page.getByLabel("Where did it happen?").fill("Bangsar, Kuala Lumpur");
    await page.getByLabel("Tell us what happened").fill("Admitted for dengue fever for three nights.");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("searchbox", { name: "Find the hospital or clinic" }).or(page.locator("#facility-q")).first().fill("Pantai");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("radio", { name: /Hospital Pantai Kuala Lumpur/ }).check();
    await page.getByLabel(/Amount claimed/).fill("4,250.50");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("heading", { level: 1, name: "Documents" }).waitFor();
    await page.getByRole("link", { name: "Continue to review" }).click();
    await page.getByRole("button", { name: "Submit the claim" }).click();
    await page.getByText("Your claim has been filed.").waitFor();
    const claim = await ownerDb().selectFrom("claims").selectAll().where("claimant_user_id", "=", member.userId).executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ claimed_minor: 425_050, member_id: member.memberId, status: "submitted" });

    // The agent's review is the first stage of the agency's workflow.
    const agentClaim = siteUrl(tenant.host, `/agent/claims/${claim.id}`);
    await page.goto(agentClaim);
    const benefitBefore = await page.locator("dt:text-is('Benefit left this policy year') + dd").textContent();
    await page.getByRole("button", { name: "Reviewed — send to the assessor" }).click();

    // The assessor assesses and approves (below the four-eyes amount: one approval decides).
    const office = await signedIn(tenant.host, assessor.email);
    const workbench = siteUrl(tenant.host, `/admin/claims/${claim.id}`);
    await office.page.goto(workbench);
    await office.page.getByRole("button", { name: "Start the review" }).click();
    await office.page.getByText("You have started the review.").waitFor();
    await office.page.getByLabel(/^Approved amount/).fill("4,250.50");
    await office.page.getByLabel(/^Excess/).fill("0");
    await office.page.getByRole("button", { name: "Complete the assessment" }).click();
    await office.page.getByText("The assessment is complete.").waitFor();
    await office.page.getByRole("button", { name: "Approve" }).click();
    await office.page.getByText("The claim is approved.").waitFor();

    const manager = await signedIn(tenant.host, approver.email);
    await manager.page.goto(siteUrl(tenant.host, `/admin/claims/${claim.id}/settlement`));
    await manager.page.getByRole("button", { name: /\(sandbox\)/ }).click();
    await eventually(async () => (await statusOf(claim.id)) === "settled");

    // The member's benefit for the year is RM 4,250.50 less, as their agent sees it.
    await page.goto(agentClaim);
    const benefitAfter = await page.locator("dt:text-is('Benefit left this policy year') + dd").textContent();
    const ringgit = (text: string | null) => Number((text ?? "").split(" of ")[0]!.replace(/[^0-9.]/g, ""));
    expect(Math.round((ringgit(benefitBefore) - ringgit(benefitAfter)) * 100)).toBe(425_050);
    expect([...agent.errors, ...office.errors, ...manager.errors]).toEqual([]);
  }, 180_000);
});

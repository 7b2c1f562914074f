import { crc32, deflateSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { insertPolicy } from "../integration/customer-policies-fixtures";

/**
 * A Bowman customer files a motor claim in a real browser, on a phone: from the policy's page
 * through the wizard (what happened, the amount, a police report and two photos of the damage),
 * sees what the assessor will check, submits, and lands on the claim's tracking page with the
 * documents listed. The assessor's, approver's and settlement's part is the full journey's test.
 */

/** A real 8×8 PNG, as a phone's photo would be (signature, IHDR, IDAT, IEND with CRCs). */
function photo(shade: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const size = 8;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = Buffer.alloc((size * 3 + 1) * size, shade);
  for (let y = 0; y < size; y++) rows[y * (size * 3 + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const policeReport = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% OB 45/12/2026 Kilimani police station\n%%EOF\n");

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe.skipIf(!hasChromium)("filing a claim in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("files a Bowman motor claim with a police report and photos, on a phone", async () => {
    const bowman = await ownerDb().selectFrom("tenants").select(["id", "slug"]).where("slug", "=", "bowman").executeTakeFirstOrThrow();
    const customer = await createUser(bowman.id, { name: "Wanjiku Claimant" });
    const policy = await insertPolicy(bowman.id, customer.id, { productSlug: "savannah-private-comprehensive", startDate: daysAgo(90) });
    const host = `${bowman.slug}.localhost`;

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(siteUrl(host, `/login?redirectTo=/account/policies/${policy.policyId}`));
    await page.getByLabel("Email").fill(customer.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "File a claim" }).first().click();

    await page.getByRole("heading", { level: 1, name: "Which policy are you claiming on?" }).waitFor();
    await expect(page.getByRole("radio", { name: new RegExp(policy.policyNumber!) }).isChecked()).resolves.toBe(true);
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { level: 1, name: "What happened?" }).waitFor();
    // Keyboard only: the claim type is a radio group like any other.
    await page.getByRole("radio", { name: /Accident damage/ }).focus();
    await page.keyboard.press("Space");
    await page.getByLabel("Date of the incident").fill(daysAgo(2));
    await page.getByLabel("Where did it happen?").fill("Ngong Road, Kilimani, Nairobi");
    await page.getByLabel("Tell us what happened").fill("A taxi reversed into my car in the Prestige Plaza car park.");
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByRole("heading", { level: 1, name: "How much are you claiming?" }).waitFor();
    await page.getByLabel("Amount claimed (KES)").fill("-3");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByText("Enter an amount more than zero.").waitFor();
    await page.getByLabel("Amount claimed (KES)").fill("85,000");
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByRole("heading", { level: 1, name: "Documents" }).waitFor();
    await page
      .getByLabel("Police abstract (police report)")
      .setInputFiles({ name: "police-abstract.pdf", mimeType: "application/pdf", buffer: policeReport });
    await page.getByLabel("Photos of the damage").setInputFiles([
      { name: "rear.png", mimeType: "image/png", buffer: photo(40) },
      { name: "side.png", mimeType: "image/png", buffer: photo(200) },
    ]);
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("heading", { name: "Uploaded so far" }).waitFor();
    await expect(page.getByRole("button", { name: /^Remove/ }).count()).resolves.toBe(3);
    await page.getByRole("link", { name: "Continue to review" }).click();

    await page.getByRole("heading", { level: 1, name: "Review and submit" }).waitFor();
    await page.getByText("Documents missing: driving licence, repair estimate or quotation.").waitFor();
    await page
      .getByText(/85,000/)
      .first()
      .waitFor();
    await page.getByRole("button", { name: "Submit the claim" }).click();

    await page.getByText("Your claim has been filed.").waitFor();
    const heading = await page.locator(".eyebrow").first().textContent();
    expect(heading).toMatch(/^Claim BWM-CLM-\d{4}-\d{6}$/);
    await expect(page.getByRole("link", { name: /police-abstract\.pdf/ }).count()).resolves.toBe(1);
    await expect(page.getByRole("link", { name: /\.png/ }).count()).resolves.toBe(2);
    await page.getByText("Our assessor to review the claim.").waitFor();

    const claim = await ownerDb().selectFrom("claims").selectAll().where("claimant_user_id", "=", customer.id).executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ claimed_minor: 8_500_000, claim_type: "accident", status: "submitted" });
    // Nothing overflows the phone's width.
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).resolves.toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});

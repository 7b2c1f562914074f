import { readFile } from "node:fs/promises";
import { unzipSync } from "fflate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, eventually, latestMessage, ownerDb, TEST_PASSWORD } from "../support/db";
import { insertPolicy } from "../integration/customer-policies-fixtures";

/**
 * A Bowman customer, on a phone, finds their documents and takes them as one ZIP, then asks for a
 * copy of their data: the page follows the job until it is ready, the email links it, and the ZIP
 * they download holds their data and their certificate (issue 13's "a customer downloads their data").
 */
describe.skipIf(!hasChromium)("a customer's documents and data in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("downloads all documents, then requests their data and downloads the ZIP the job built", async () => {
    const bowman = await ownerDb().selectFrom("tenants").select(["id", "slug"]).where("slug", "=", "bowman").executeTakeFirstOrThrow();
    const customer = await createUser(bowman.id, { name: "Achieng Data" });
    const policy = await insertPolicy(bowman.id, customer.id, { productSlug: "savannah-private-comprehensive" });
    const host = `${bowman.slug}.localhost`;

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(siteUrl(host, "/login?redirectTo=/account/documents"));
    await page.getByLabel("Email").fill(customer.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Documents" }).waitFor();
    await page.getByRole("link", { name: `Download Receipt ${policy.receiptNumber}` }).waitFor();

    const [all] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download all as a ZIP" }).click()]);
    const documents = unzipSync(new Uint8Array(await readFile((await all.path())!)));
    expect(Object.keys(documents).sort()).toEqual([
      `Certificates/Certificate-${policy.policyNumber}.pdf`,
      `Receipts/Receipt-${policy.receiptNumber}.pdf`,
    ]);

    await page.getByRole("navigation", { name: "Your account" }).getByRole("link", { name: "Privacy" }).click();
    await page.getByRole("heading", { level: 1, name: "Privacy" }).waitFor();
    await page.getByRole("button", { name: "Prepare my data" }).click();
    // The page looks again by itself while the worker builds the ZIP.
    const download = page.getByRole("link", { name: "Download my data" });
    await download.waitFor({ timeout: 30_000 });

    const email = await eventually(() => latestMessage(bowman.id, customer.email, "data_export_ready"));
    const path = email.body_text.match(/\/account\/privacy\/exports\/[0-9a-f-]{36}/)![0];
    expect(await download.getAttribute("href")).toBe(path);

    const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^My-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = unzipSync(new Uint8Array(await readFile((await file.path())!)));
    const data = JSON.parse(Buffer.from(zip["my-data.json"]!).toString("utf8"));
    expect(data.profile).toMatchObject({ email: customer.email, name: "Achieng Data" });
    expect(data.policies.map((p: { policy_number: string }) => p.policy_number)).toEqual([policy.policyNumber]);
    expect(Buffer.from(zip[`documents/Certificates/Certificate-${policy.policyNumber}.pdf`]!).equals(policy.certificateBody!)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});

import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, quoteDateIn } from "~/modules/rating/dates";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { insertProduct } from "../integration/admin-payments-fixtures";
import { insertRules, KL, networkTenant, tiers } from "../integration/commissions-support";

/**
 * The commission rules editor in a real browser: the preview follows what the admin types (the
 * engine's own arithmetic, in the browser), tiers are added and removed in place, a start in the
 * past is refused before posting, and the saved rules are what was typed, from the time chosen.
 */
const HIBAH = JSON.parse(readFileSync("tenants/khholdings/catalogue.json", "utf8")).products.find(
  (p: { slug: string }) => p.slug === "hibah-senior-care-gold-270",
) as { name: string; rating: unknown };

describe.skipIf(!hasChromium)("the commission rules editor in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("previews live while typing, adds a tier, refuses the past, and saves", async () => {
    const tenant = await networkTenant();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const product = await insertProduct(tenant.id, { name: HIBAH.name });
    await ownerDb()
      .updateTable("products")
      .set({ rating: JSON.stringify(HIBAH.rating) })
      .where("id", "=", product.id)
      .execute();
    await insertRules(tenant.id, product.id, "monthly", tiers(1111, 222, 222, 111, 83), "2020-01-01");
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

    await page.goto(siteUrl(host, `/admin/commission-rules/${product.id}?frequency=monthly`));
    const draft = page.locator("#editor-title").locator("..").locator(".sale-preview-sentence");
    const current = page.locator("#in-force-title").locator("..").locator(".sale-preview-sentence");
    const nbsp = (s: string | null) => (s ?? "").replace(/\u00a0/g, " ");
    expect(nbsp(await draft.textContent())).toBe(
      "A RM 150.00 monthly Hibah Senior Care Gold 270 sale pays T1 RM 16.67, T2 RM 3.33, T3 RM 3.33, T4 RM 1.67, T5 RM 1.25.",
    );

    // The sale amount of the rules in force follows the typing, without a reload.
    await page.getByLabel("Sale amount (MYR)").fill("210");
    await expect.poll(async () => nbsp(await current.textContent())).toContain("A RM 210.00 monthly");
    expect(nbsp(await current.textContent())).toContain("T1 RM 23.33, T2 RM 4.66, T3 RM 4.66, T4 RM 2.33, T5 RM 1.74.");

    // The draft follows the tiers as typed.
    await page.locator('input[name="tiers[0].rate"]').fill("10");
    await expect.poll(async () => nbsp(await draft.textContent())).toContain("T1 RM 15.00, T2 RM 3.33");
    await page.getByRole("button", { name: "Add tier 6" }).click();
    await page.locator('select[name="tiers[5].kind"]').selectOption("fixed");
    // A fixed tier asks for an amount, not a rate.
    await expect.poll(() => page.locator('input[name="tiers[5].rate"]').count()).toBe(0);
    await page.locator('input[name="tiers[5].amount"]').fill("1");
    await expect.poll(async () => nbsp(await draft.textContent())).toContain("T5 RM 1.25, T6 RM 1.00.");
    await page.getByRole("button", { name: "Remove tier 4" }).click();
    await expect
      .poll(async () => nbsp(await draft.textContent()))
      .toBe("A RM 150.00 monthly Hibah Senior Care Gold 270 sale pays T1 RM 15.00, T2 RM 3.33, T3 RM 3.33, T4 RM 1.25, T5 RM 1.00.");

    // A start in the past is refused on the spot.
    const today = quoteDateIn(KL);
    await page.getByLabel("From a later date and time").check();
    await page.getByLabel("Starts at").fill(`${addDays(today, -1)}T09:00`);
    await page.getByRole("button", { name: "Save new rules" }).click();
    await expect.poll(async () => (await page.getByRole("alert").allTextContents()).join(" ")).toContain("past payments keep the rules");

    await page.getByLabel("Starts at").fill(`${addDays(today, 1)}T09:00`);
    await page.getByRole("button", { name: "Save new rules" }).click();
    await page.getByText("Rules saved").waitFor();
    const saved = await ownerDb()
      .selectFrom("commission_rules as r")
      .innerJoin("commission_rule_versions as v", (join) =>
        join.onRef("v.tenant_id", "=", "r.tenant_id").onRef("v.id", "=", "r.version_id"),
      )
      .select(["r.tier", "r.kind", "r.rate_bp", "r.amount_minor"])
      .where("r.tenant_id", "=", tenant.id)
      .where("v.effective_at", "=", new Date(`${addDays(today, 1)}T09:00:00+08:00`))
      .orderBy("r.tier")
      .execute();
    expect(saved.map((r) => (r.kind === "fixed" ? `F${r.amount_minor}` : `P${r.rate_bp}`))).toEqual([
      "P1000",
      "P222",
      "P222",
      "P83",
      "F100",
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

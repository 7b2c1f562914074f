import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { createTenant, createUser, ownerDb, TEST_PASSWORD } from "../support/db";

/**
 * The workflow editor in a real browser, on a phone: with JavaScript only the chosen kind's fields
 * show, the diagram is redrawn as the admin types, a stage's problem shows before anything is
 * posted, and the saved version is what was typed.
 */
describe.skipIf(!hasChromium)("the workflow editor in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("adds a senior's review to underwriting, redrawing the diagram, and saves it as version 1", async () => {
    const tenant = await createTenant();
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

    await page.goto(siteUrl(host, "/admin/workflows/new?subject=policy&scope=*"));
    const boxes = page.locator("#draft-diagram-title").locator("xpath=ancestor::*[name()='svg']").locator("g.wf-box");
    await expect.poll(() => boxes.count()).toBe(4);
    // Hydrated: a person's stage shows its role, not a wait's hours.
    await expect.poll(() => page.locator('input[name="stages[0].timeoutHours"]').count()).toBe(0);

    await page.getByRole("button", { name: "Add a stage" }).click();
    await page.locator('input[name="stages[4].name"]').fill("Senior review");
    await page.locator('input[name="stages[4].key"]').fill("senior");
    await page.locator('select[name="stages[4].role"]').selectOption("admin");
    await page.locator('input[name="stages[4].slaHours"]').fill("8");
    await expect.poll(() => boxes.count()).toBe(5);
    await expect.poll(() => page.locator("svg g.wf-box text.wf-name").allTextContents()).toContain("Senior review");

    // Nothing leads to it yet: the stage says so before anything is posted.
    await page.getByRole("button", { name: "Save as a new version" }).click();
    const senior = page.locator("li.wf-stage").nth(4);
    await expect.poll(() => senior.textContent()).toContain("Say which events end this stage");
    await senior.getByRole("button", { name: "Add an event" }).click();
    await senior.locator('select[name="stages[4].transitions[0].event"]').selectOption("approve");
    await senior.locator('select[name="stages[4].transitions[0].to"]').selectOption("accepted");
    // The underwriter's stage refers to it.
    const first = page.locator("li.wf-stage").nth(0);
    await first.getByRole("button", { name: "Add an event" }).click();
    await first.locator('select[name="stages[0].transitions[2].event"]').selectOption("refer");
    await first.locator('select[name="stages[0].transitions[2].to"]').selectOption("senior");
    await expect.poll(() => page.locator("svg .wf-label").allTextContents()).toContain("refer");

    await page.getByRole("button", { name: "Save as a new version" }).click();
    await page.waitForURL(/\/admin\/workflows\/[0-9a-f-]{36}\?saved=1/);
    await expect.poll(() => page.getByText("Version 1 saved").first().isVisible()).toBe(true);
    const saved = await ownerDb().selectFrom("workflow_templates").selectAll().where("tenant_id", "=", tenant.id).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ subject: "policy", version: 1 });
    const def = saved.definition as { stages: { key: string; next?: Record<string, string> }[] };
    expect(def.stages.map((s) => s.key)).toEqual(["underwriting", "accepted", "declined", "cancelled", "senior"]);
    expect(def.stages[0]!.next).toEqual({ approve: "accepted", decline: "declined", refer: "senior" });
    expect(errors).toEqual([]);
    await context.close();
  });
});

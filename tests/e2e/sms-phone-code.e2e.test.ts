import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { addAgent } from "../integration/network-support";

/**
 * Issue 14's SMS sandbox in a real browser: a KHHoldings agent changes a confirmed phone number;
 * with no SMS provider connected the code stops in the development outbox, where the agency's
 * message log shows it (channel and parts); the agent types it in and the new number is confirmed.
 */
const HOST = "khholdings.localhost";

async function signIn(context: BrowserContext, email: string, to: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(siteUrl(HOST, `/login?redirectTo=${encodeURIComponent(to)}`));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === to);
  // The address changes before the new page is drawn: wait for the sign-in form to go.
  await page.getByRole("button", { name: "Sign in" }).waitFor({ state: "detached" });
  return page;
}

describe.skipIf(!hasChromium)("an agent's phone code through the SMS sandbox", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("changes a confirmed number, reads the code in the message log and confirms the new number", async () => {
    const kh = await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "khholdings").executeTakeFirstOrThrow();
    const agent = await addAgent(kh.id, { name: "Nurul Aisyah" });
    await withTenant(kh.id, (db) =>
      db.updateTable("agents").set({ phone: "+60123456780", phone_verified_at: new Date() }).where("id", "=", agent.id).execute(),
    );
    const admin = await createUser(kh.id, { roles: ["admin"], name: "Siti Admin" });
    const newPhone = `+6019${String(Date.now()).slice(-7)}`;

    const agentContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const agentPage = await signIn(agentContext, agent.email, "/agent/profile");
    const phone = agentPage.getByRole("region", { name: "Phone" });
    await phone.getByText("Confirmed").waitFor();
    await phone.getByText("Change my number").click();
    await phone.getByLabel("Mobile number").fill(newPhone);
    await phone.getByRole("button", { name: "Send me a code" }).click();
    const codeField = agentPage.getByLabel(`Code sent to ${newPhone}`);
    await codeField.waitFor();

    // The agency's message log is where the sandbox's SMS can be read.
    const adminContext = await browser.newContext();
    const log = await signIn(adminContext, admin.email, "/admin/outbox");
    const row = log.getByRole("row").filter({ hasText: newPhone });
    // Waits for the log itself: the sign-in's redirect may still be on its way.
    await row.getByText("SMS · 1 part, GSM-7").waitFor();
    await row.getByText("(no subject)").click();
    const body = await row.locator("pre.message-body").innerText();
    const code = body.match(/\b(\d{6}) is your/)?.[1];
    expect(code, body).toBeDefined();

    await codeField.fill(code!);
    await agentPage.getByRole("button", { name: "Confirm my phone" }).click();
    await agentPage.getByText("Your phone number is confirmed.").waitFor();
    await expect(phone.getByText(newPhone).isVisible()).resolves.toBe(true);
    await expect(phone.getByText("Confirmed", { exact: true }).isVisible()).resolves.toBe(true);
    await agentContext.close();
    await adminContext.close();
  });
});

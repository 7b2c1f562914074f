import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { customerWithOrder, paymentsTenant } from "../support/checkout";
import { createUser, ownerDb, TEST_PASSWORD } from "../support/db";
import { addAgent, agentNetworkTenant, agentWithEarnings } from "../integration/network-support";
import { parseEnvelope, SENTRY_DSN, type SentryEnvelope } from "../mocks/sentry";

/**
 * The pages under their Content-Security-Policy in a real browser: no violation anywhere (the
 * storefront, sign-in, the back office with a confirmation dialog open, checkout to the sandbox
 * payment, the agent portal's charts), and hydration still works. Then Sentry in the browser: not
 * loaded without a DSN; with one (an app started here), loaded after the page and reporting.
 */

// For the app this file starts: the suite's runs without a DSN.
process.env.SENTRY_DSN = SENTRY_DSN;

interface Watched {
  context: BrowserContext;
  page: Page;
  /** CSP violations and console errors so far. */
  problems: string[];
  /** Every URL the page asked for. */
  requested: string[];
}

async function watch(browser: Browser): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Runs before any page script (and outside the page's CSP): collects every violation report.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = window as unknown as { __violations?: string[] };
      (w.__violations ??= []).push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`);
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const requested: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => requested.push(r.url()));
  return { context, page, problems, requested };
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
}

/** Hydrated: a link click navigates on the client (the page's window survives it). */
async function expectHydrated(page: Page, link: string | RegExp) {
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
  await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));
  const before = page.url();
  await page.getByRole("link", { name: link }).first().click();
  await page.waitForURL((url) => url.toString() !== before);
  await page.waitForLoadState("networkidle");
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
}

async function signIn(page: Page, host: string, email: string, redirectTo: string) {
  await page.goto(siteUrl(host, `/login?redirectTo=${encodeURIComponent(redirectTo)}`));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page
    .waitForURL((url) => url.pathname === redirectTo.split("?")[0], { timeout: 10_000 })
    .catch(async (e: Error) => {
      throw new Error(`${e.message} at ${page.url()}: ${(await page.textContent("main"))?.slice(0, 300)}`);
    });
}

describe.skipIf(!hasChromium)("pages under the Content-Security-Policy", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("the storefront and sign-in: no violation, hydrated, and no Sentry without a DSN", async () => {
    const { context, page, problems, requested } = await watch(browser);
    const host = "bowman.localhost";
    await page.goto(siteUrl(host, "/"));
    await expectHydrated(page, /^(Products|Browse|All products)/);
    await page.locator('a[href^="/products/"]').first().click();
    await page.waitForURL(/\/products\/[a-z0-9-]+$/);
    for (const path of ["/compare", "/cart", "/register"]) await page.goto(siteUrl(host, path));
    const tenantId = (await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "bowman").executeTakeFirstOrThrow()).id;
    await signIn(page, host, (await createUser(tenantId)).email, "/account");
    // The account menu opens (and its close-on-Escape script runs) under the policy too.
    const menu = page.locator(".account-menu");
    await menu.getByLabel("Account menu").click();
    await menu.getByRole("link", { name: "My policies" }).waitFor();
    await page.keyboard.press("Escape");
    await menu.getByRole("link", { name: "My policies" }).waitFor({ state: "hidden" });

    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(requested.filter((u) => u.includes("error-reporting"))).toEqual([]);
    await context.close();
  });

  it("the back office with a confirmation dialog open (radix adds a scroll-lock style)", async () => {
    const tenant = await agentNetworkTenant();
    const agent = await addAgent(tenant.id, { name: "Dialog Agent" });
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const { context, page, problems } = await watch(browser);
    const host = `${tenant.slug}.localhost`;
    await signIn(page, host, admin.email, `/admin/agents/${agent.id}`);
    await page.getByLabel("Reason").first().fill("Checking the dialog");
    await page.getByRole("button", { name: "Suspend", exact: true }).click();
    await page.getByRole("alertdialog").waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await expectHydrated(page, "Agents");

    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("checkout to the sandbox payment page and back", { timeout: 90_000 }, async () => {
    const tenant = await paymentsTenant();
    const customer = await customerWithOrder(tenant, { method: "mpesa" });
    const { context, page, problems } = await watch(browser);
    const host = `${tenant.slug}.localhost`;
    await signIn(page, host, customer.user.email, `/checkout/${customer.orderId}/pay`);
    await page
      .getByRole("button", { name: /^Pay/ })
      .click({ timeout: 10_000 })
      .catch(async (e: Error) => {
        throw new Error(`${e.message} ${page.url()} ${JSON.stringify(problems)} ${JSON.stringify(await violations(page))}`);
      });
    const why = async (e: Error) => {
      throw new Error(
        `${e.message} ${page.url()} ${JSON.stringify(problems)} ${JSON.stringify(await violations(page))} ${(await page.textContent("main"))?.slice(0, 400)}`,
      );
    };
    await page.waitForURL(/\/sandbox\/pay\/sbx_[a-f0-9]{24}$/, { timeout: 10_000 }).catch(why);
    await page.getByLabel("M-Pesa PIN").fill("1234");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sandbox/"), { timeout: 20_000 }).catch(why);
    await page.waitForLoadState("networkidle");

    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("the agent portal draws its charts", { timeout: 60_000 }, async () => {
    const tenant = await agentNetworkTenant();
    const me = await agentWithEarnings(tenant.id, { agent: "Chart Agent", recruit: "Chart Recruit" });
    const { context, page, problems } = await watch(browser);
    await signIn(page, `${tenant.slug}.localhost`, me.email, "/agent");
    await page
      .locator(".chart-box svg.recharts-surface")
      .nth(2)
      .waitFor({ timeout: 10_000 })
      .catch(async (e: Error) => {
        throw new Error(`${e.message} ${page.url()} ${JSON.stringify(problems)} ${JSON.stringify(await violations(page))}`);
      });

    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!hasChromium)("Sentry in the browser, with SENTRY_DSN set", () => {
  let browser: Browser;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    browser = await launchChromium();
    const { createApp, loadBuild } = await import("../../server/app");
    const app = createApp(await loadBuild());
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("loads after the page, off the critical path, and reports an error tagged, without personal data", async () => {
    const { context, page, problems, requested } = await watch(browser);
    const envelopes: SentryEnvelope[] = [];
    // Sentry's ingest endpoint, standing in at the browser's edge.
    await page.route("https://o1.ingest.sentry.example/**", async (route) => {
      envelopes.push(parseEnvelope(route.request().postData() ?? ""));
      await route.fulfill({ status: 200, contentType: "application/json", body: '{"id":"0"}' });
    });
    const tenantId = (await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "bowman").executeTakeFirstOrThrow()).id;
    const user = await createUser(tenantId);
    const host = "bowman.localhost";
    const url = (path: string) => `http://${host}:${port}${path}`;
    await page.goto(url(`/login?redirectTo=${encodeURIComponent("/products")}`));
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/products$/);

    // Not preloaded by the page: fetched only once the page has loaded.
    const html = await page.evaluate(() => fetch("/products").then((r) => r.text()));
    expect(html).not.toContain("error-reporting");
    await page.waitForFunction(() => Boolean((window as unknown as { __SENTRY__?: unknown }).__SENTRY__));
    expect(requested.some((u) => /\/build\/_shared\/error-reporting\.client-[A-Z0-9]+\.js$/.test(u))).toBe(true);

    await page.evaluate(() =>
      setTimeout(() => {
        throw new Error("Quote failed for someone@example.com");
      }),
    );
    await expect.poll(() => envelopes.flatMap((e) => e.items).filter((i) => i.type === "event").length, { timeout: 10_000 }).toBe(1);
    const [report] = envelopes.filter((e) => e.items.some((i) => i.type === "event"));
    const event = report!.items.find((i) => i.type === "event")!.payload as {
      tags: Record<string, string>;
      user?: Record<string, unknown>;
      exception: { values: { value: string }[] };
      request?: Record<string, unknown>;
    };
    expect(event.tags).toMatchObject({ component: "browser", tenant: "bowman", route: "routes/products._index" });
    expect(event.user).toEqual({ id: user.id });
    expect(event.exception.values[0]!.value).toBe("Quote failed for [email]");
    expect(report!.raw).not.toContain(user.email);
    expect(report!.raw).not.toContain("someone@example.com");

    expect(await violations(page)).toEqual([]);
    // The thrown error itself is the only problem the page had.
    expect(problems.filter((p) => !p.includes("Quote failed"))).toEqual([]);
    await context.close();
  });
});

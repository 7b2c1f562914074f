import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayCluster, type ThrowawayCluster } from "../support/clusters";
import { Browser } from "../support/http";
import { spawnNode, type Child } from "../support/processes";
import { textOf } from "./accounts-support";

/**
 * The demo history `npm run dev` seeds (tenants/*\/history.json), on a fresh cluster of its own (the
 * suite's demo agencies stay as the manifests alone make them): a helper process plays the history,
 * runs the queued jobs as the dev worker would, restarts (migrate, seed, history again) and serves
 * the app on that database. What a newcomer signs in to is then looked at over HTTP.
 */

interface Ready {
  port: number;
  first: { seeded: string[]; skipped: string[] };
  again: { seeded: string[]; skipped: string[] };
  before: Record<string, number>;
  after: Record<string, number>;
  failures: string[];
}

const PASSWORD = "Demo#2026pass";
let cluster: ThrowawayCluster;
let child: Child;
let ready: Ready;

beforeAll(async () => {
  cluster = await startThrowawayCluster({ name: "demo-history" });
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: cluster.url, NODE_ENV: "test" };
  delete env.APP_DATABASE_URL;
  delete env.PLATFORM_DATABASE_URL;
  child = spawnNode(["--import", "tsx", "tests/support/demo-history-child.ts"], env);
  const line = await Promise.race([
    child.waitFor(/^READY /, 400_000),
    child.exited.then(({ code }) => {
      throw new Error(`The history helper exited (${code}):\n${child.output()}`);
    }),
  ]);
  ready = JSON.parse(line.slice("READY ".length)) as Ready;
}, 420_000);

afterAll(async () => {
  if (child && child.process.exitCode === null) {
    child.process.kill("SIGTERM");
    await child.exited;
  }
  await cluster?.stop();
});

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function signIn(slug: string, email: string): Promise<Browser> {
  const browser = new Browser(`${slug}.localhost`, { port: ready.port });
  const res = await browser.post("/login", { email, password: PASSWORD });
  expect(res.status, textOf(res.text).slice(0, 300)).toBe(302);
  return browser;
}

async function page(browser: Browser, path: string): Promise<string> {
  const res = await browser.get(path);
  expect(res.status, `${path}: ${textOf(res.text).slice(0, 300)}`).toBe(200);
  return textOf(res.text);
}

describe("the demo history", () => {
  it("is played once for each agency, its jobs all succeed, and a restart adds nothing", () => {
    expect(ready.first).toEqual({ seeded: ["bowman", "khholdings"], skipped: [] });
    expect(ready.again).toEqual({ seeded: [], skipped: ["bowman", "khholdings"] });
    expect(ready.failures).toEqual([]);
    expect(ready.after).toEqual(ready.before);
    expect(ready.before.policies).toBeGreaterThan(30);
  });

  it("spreads a year: payments in at least ten different months, all before now", async () => {
    const [span] = await query<{ months: number; future: number }>(`
      select count(distinct date_trunc('month', completed_at))::int as months,
             count(*) filter (where completed_at > now() or created_at > now())::int as future
      from transactions where completed_at is not null`);
    expect(span!.months).toBeGreaterThanOrEqual(10);
    expect(span!.future).toBe(0);
  });

  it("gives customer@bowman.demo policies in force with their certificates and receipts", async () => {
    const browser = await signIn("bowman", "customer@bowman.demo");
    const list = await page(browser, "/account/policies");
    expect(list).not.toContain("You have no policies yet");
    expect(list.match(/BWM-POL-\d{4}-\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(5);

    const [policy] = await query<{ id: string }>(`
      select p.id from policies p join users u on u.id = p.user_id
      where u.email = 'customer@bowman.demo' and p.status = 'active' and p.frequency = 'monthly'`);
    const detail = await page(browser, `/account/policies/${policy!.id}`);
    expect(detail).toContain("Download certificate (PDF)");
    const payments = await page(browser, "/account/payments");
    expect(payments.match(/BWM-RCT-\d{4}-\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
    expect(payments).not.toContain("Being prepared");
  });

  it("leaves Bowman's back office with payments to read and applications to decide", async () => {
    const staff = await signIn("bowman", "staff@bowman.demo");
    const transactions = await page(staff, "/admin/transactions");
    expect(transactions.match(/BWM-ORD-\d{4}-\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(10);

    const underwriter = await signIn("bowman", "underwriter@bowman.demo");
    expect(await page(underwriter, "/admin/underwriting")).toContain("2 policies wait for a decision");

    // Monthly payers who stopped: one policy in grace, one lapsed, by the premium schedule.
    const statuses = await query<{ status: string }>(`
      select p.status from policies p join tenants t on t.id = p.tenant_id where t.slug = 'bowman' group by p.status`);
    expect(statuses.map((s) => s.status)).toEqual(expect.arrayContaining(["active", "grace", "lapsed", "pending_underwriting"]));
  });

  it("shows agent@khholdings.demo a month of earnings, a year of chart and statements, and pays the closed months", async () => {
    const agent = await signIn("khholdings", "agent@khholdings.demo");
    // The "Last 12 months" chart's table: earnings in (nearly) every month of the year.
    const res = await agent.get("/agent");
    expect(res.status).toBe(200);
    const table = res.text.slice(res.text.indexOf("Last 12 months</caption>"));
    const months = [...table.slice(0, table.indexOf("</table>")).matchAll(/<td[^>]*>([^<]+)<\/td>/g)].map((m) => m[1]!);
    expect(months).toHaveLength(12);
    expect(months.filter((amount) => /[1-9]/.test(amount)).length).toBeGreaterThanOrEqual(10);
    const statements = await page(agent, "/agent/statements");
    expect(statements.match(/Download/g)?.length ?? 0).toBeGreaterThanOrEqual(6);

    const batches = await query<{ status: string; n: number }>(`
      select b.status, count(*)::int as n from payout_batches b join tenants t on t.id = b.tenant_id
      where t.slug = 'khholdings' group by b.status`);
    expect(batches).toEqual([{ status: "paid", n: expect.any(Number) }]);
    expect(batches[0]!.n).toBeGreaterThanOrEqual(6);
    const [open] = await query<{ n: number }>(`
      select count(*)::int as n from commission_entries e join tenants t on t.id = e.tenant_id
      where t.slug = 'khholdings' and e.status = 'approved'`);
    expect(open!.n).toBe(0);

    const staff = await signIn("khholdings", "staff@khholdings.demo");
    expect(await page(staff, "/admin/offline-payments")).toMatch(/CR-\d{6}|BI-\d{6}/);
  });

  it("gives customer@khholdings.demo, a member of agent@khholdings.demo, cover and documents too", async () => {
    const customer = await signIn("khholdings", "customer@khholdings.demo");
    const list = await page(customer, "/account/policies");
    expect(list.match(/KHH-POL-\d{4}-\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
  });
});

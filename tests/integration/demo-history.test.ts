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

    // One customer cancelled her last-expense cover three days ago: cancelled, versioned, refunded pro rata.
    const [cancelled] = await query<{ status: string; cancelled_on: string; kind: string; delta: string }>(`
      select p.status, p.cancelled_on::text, v.kind, v.premium_delta_minor::text as delta
      from policies p join tenants t on t.id = p.tenant_id join users u on u.id = p.user_id
      join policy_versions v on v.policy_id = p.id and v.kind = 'cancellation'
      where t.slug = 'bowman' and u.email = 'lucy.achieng@example.co.ke'`);
    expect(cancelled).toMatchObject({ status: "cancelled", kind: "cancellation" });
    expect(Number(cancelled!.delta)).toBeLessThan(0);
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
      select count(*)::int as n from commission_entry_states e join tenants t on t.id = e.tenant_id
      where t.slug = 'khholdings' and e.status = 'approved'`);
    expect(open!.n).toBe(0);

    const staff = await signIn("khholdings", "staff@khholdings.demo");
    expect(await page(staff, "/admin/offline-payments")).toMatch(/CR-\d{6}|BI-\d{6}/);
  });

  it("gives customer@khholdings.demo, a member of agent@khholdings.demo, cover and documents too", async () => {
    const customer = await signIn("khholdings", "customer@khholdings.demo");
    const list = await page(customer, "/account/policies");
    expect(list.match(/KHH-POL-\d{4}-\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    // A member: her benefits, with the paid claim's amount used.
    const benefits = await page(customer, "/account/benefits");
    expect(benefits).toContain("Left this policy year");
  });

  it("leaves one KHHoldings member suspended by their agent, with the reason, and the rest active", async () => {
    const rows = await query<{ email: string; status: string; reason: string | null }>(`
      select u.email, m.status, (select s.reason from state_changes s where s.tenant_id = m.tenant_id and s.entity = 'member'
        and s.entity_id = m.id order by s.created_at desc limit 1) as reason
      from members m join users u on u.tenant_id = m.tenant_id and u.id = m.user_id join tenants t on t.id = m.tenant_id
      where t.slug = 'khholdings' and m.status <> 'active'`);
    expect(rows).toEqual([
      {
        email: "lee.meihua@example.com.my",
        status: "suspended",
        reason: "Identity or documents to be verified: Her MyKad copy is unreadable: waiting for a clearer one before more cover is sold",
      },
    ]);
  });

  it("leaves Bowman's claims in every status, spread over months and none in the future", async () => {
    const statuses = await query<{ status: string; n: number }>(`
      select c.status, count(*)::int as n from claims c join tenants t on t.id = c.tenant_id
      where t.slug = 'bowman' group by c.status`);
    expect(statuses.map((s) => s.status).sort()).toEqual([
      "appealed",
      "approved",
      "assessment_complete",
      "documents_requested",
      "rejected",
      "settled",
      "submitted",
      "under_review",
      "withdrawn",
    ]);
    const [span] = await query<{ months: number; future: number; submitted_unassigned: number; submitted_assigned: number }>(`
      select count(distinct date_trunc('month', c.created_at))::int as months,
             count(*) filter (where c.created_at > now() or c.updated_at > now() or c.decided_at > now())::int as future,
             count(*) filter (where c.status = 'submitted' and c.assessor_user_id is null)::int as submitted_unassigned,
             count(*) filter (where c.status = 'submitted' and c.assessor_user_id is not null)::int as submitted_assigned
      from claims c join tenants t on t.id = c.tenant_id where t.slug = 'bowman'`);
    expect(span).toMatchObject({ future: 0, submitted_unassigned: 1, submitted_assigned: 1 });
    expect(span!.months).toBeGreaterThanOrEqual(3);
    // An open request for documents, a step-1 sign-off waiting for a second approver, a settlement waiting to be paid.
    const [waiting] = await query<{ requests: number; second: number; pending: number }>(`
      select (select count(*)::int from claim_requests r join claims c on c.id = r.claim_id
              where c.tenant_id = t.id and c.status = 'documents_requested' and r.answered_at is null) as requests,
             (select count(*)::int from claims c where c.tenant_id = t.id and c.status = 'assessment_complete'
              and exists (select 1 from claim_approvals a where a.claim_id = c.id and a.step = 1)
              and not exists (select 1 from claim_approvals a where a.claim_id = c.id and a.step = 2)) as second,
             (select count(*)::int from claim_settlements s join claims c on c.id = s.claim_id
              where c.tenant_id = t.id and c.status = 'approved' and s.status = 'pending') as pending
      from tenants t where t.slug = 'bowman'`);
    expect(waiting).toEqual({ requests: 1, second: 1, pending: 1 });
  });

  it("gives Bowman's assessor and claims manager claims work, some of it past its SLA", async () => {
    const tasks = await query<{ email: string | null; role: string; open: number; overdue: number }>(`
      select u.email, k.required_role as role, count(*)::int as open,
             count(*) filter (where k.due_at < now())::int as overdue
      from workflow_tasks k join tenants t on t.id = k.tenant_id
      left join users u on u.id = k.assigned_user_id
      where t.slug = 'bowman' and k.status = 'open' and k.kind = 'manual'
      group by u.email, k.required_role`);
    const of = (email: string | null, role: string) => tasks.find((t) => t.email === email && t.role === role);
    expect(of("assessor@bowman.demo", "assessor")?.open).toBeGreaterThanOrEqual(3);
    // The claim nobody has been given yet waits in the queue.
    expect(of(null, "assessor")?.open).toBe(1);
    // Decisions (one waiting for its second approver) and the settlement to pay.
    expect(of(null, "claims_manager")?.open).toBeGreaterThanOrEqual(3);
    expect(tasks.reduce((n, t) => n + t.overdue, 0)).toBeGreaterThanOrEqual(1);
    const [settled] = await query<{ id: string; letters: number; customer: string }>(`
      select c.id, u.email as customer,
             (select count(*)::int from claim_settlements s where s.claim_id = c.id and s.status = 'paid' and s.letter_file_key is not null) as letters
      from claims c join tenants t on t.id = c.tenant_id join users u on u.id = c.claimant_user_id
      where t.slug = 'bowman' and c.status = 'settled' and u.email = 'customer@bowman.demo'`);
    expect(settled!.letters).toBe(1);
    const manager = await signIn("bowman", "claims@bowman.demo");
    const res = await manager.get(`/account/claims/${settled!.id}/letter?letter=settlement`);
    expect(res.status).toBe(302);
  });

  it("shows customer@bowman.demo their claims: paid, documents needed, being assessed", async () => {
    const customer = await signIn("bowman", "customer@bowman.demo");
    const list = await page(customer, "/account/claims");
    expect(list.match(/BWM-CLM-\d{4}-\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    for (const label of ["Paid", "Documents needed", "Being assessed"]) expect(list).toContain(label);
  });

  it("gives agent@khholdings.demo a member's claim to review, and KHHoldings' members claims settled, rejected and in assessment", async () => {
    const [review] = await query<{ id: string; overdue: boolean }>(`
      select i.subject_id as id, k.due_at < now() as overdue from workflow_tasks k
      join workflow_instances i on i.id = k.instance_id join users u on u.id = k.assigned_user_id
      where k.stage = 'agent_review' and k.status = 'open' and u.email = 'agent@khholdings.demo'`);
    expect(review).toBeDefined();
    const agent = await signIn("khholdings", "agent@khholdings.demo");
    expect(await page(agent, `/agent/claims/${review!.id}`)).toMatch(/KHH-CLM-\d{4}-\d+/);

    const statuses = await query<{ status: string }>(`
      select c.status from claims c join tenants t on t.id = c.tenant_id where t.slug = 'khholdings' group by c.status`);
    expect(statuses.map((s) => s.status)).toEqual(
      expect.arrayContaining(["settled", "rejected", "under_review", "assessment_complete", "submitted"]),
    );
    const customer = await signIn("khholdings", "customer@khholdings.demo");
    expect(await page(customer, "/account/claims")).toContain("Paid");
    // Her paid hospital stay counts against this policy year's Medical Card benefit (benefitLeft's sum).
    const [used] = await query<{ used: string }>(`
      select coalesce(sum(c.payable_minor), 0)::text as used from claims c join users u on u.id = c.claimant_user_id
      join policies p on p.id = c.policy_id
      where u.email = 'customer@khholdings.demo' and c.status = 'settled' and c.policy_year_start = p.start_date`);
    expect(Number(used!.used)).toBeGreaterThan(0);
  });
});

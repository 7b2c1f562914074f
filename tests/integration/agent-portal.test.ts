import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { CommissionEntryKind } from "~db/schema";
import { formatMoney } from "~/lib/money";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { agentDashboard, entryFiltersFrom, listDownline, listMyEntries } from "~/modules/commissions/portal.server";
import { insertVersion } from "~/modules/commissions/rules.server";
import { fileKey } from "~/modules/files/storage.server";
import { rankProgress } from "~/modules/network/ranks";
import { createTenant, createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { insertOrder, insertProduct, insertTransaction, parseCsv } from "./admin-payments-fixtures";
import { tiers } from "./commissions-support";
import { addAgent, agentNetworkTenant } from "./network-support";

/**
 * The agent portal (/agent): an agent sees their own dashboard, downline, ledger, statements and
 * disputes, and nobody else's. Agents, orders and ledger entries are written straight into the
 * tables (no payment flow), so every figure on the pages is known in advance.
 */

type Tenant = { id: string; slug: string; name: string };
type Agent = Awaited<ReturnType<typeof addAgent>>;

const TZ = "Asia/Kuala_Lumpur";
const money = (minor: number) => formatMoney(minor, "MYR", "en-MY").replace(/\s+/g, " ");
const MONTH = monthOf(new Date(), TZ);
const PREV = addMonthsTo(MONTH, -1);
/** Noon in Kuala Lumpur on the 6th of a month. */
const dayIn = (month: string) => new Date(`${month.slice(0, 8)}06T04:00:00Z`);
const INJECTION = '=HYPERLINK("http://evil.example","click")';

let tenant: Tenant;
let sponsor: Agent;
let me: Agent;
let r1: Agent;
let r2: Agent;
let r3: Agent;
let stranger: Agent;
let boss: Agent;
let product: { id: string; name: string };
let road: { id: string; name: string };
let asMe: Browser;
let asStranger: Browser;
const ids = {} as { t1a: string; t1b: string; t2: string; adj: string; prev: string; strangers: string };

async function addEntry(values: {
  agentId: string;
  kind: CommissionEntryKind;
  amountMinor: number;
  month: string;
  /** Paid: the month is closed and the agent's statement paid in a paid batch (the entry's state is its agent-month's). */
  paid?: boolean;
  tier?: number | null;
  productId?: string | null;
  transactionId?: string;
  orderItemId?: string;
  ruleId?: string;
  sellerId?: string | null;
  passedFromId?: string | null;
  baseMinor?: number | null;
  rateBp?: number | null;
  earnedAt?: Date;
  note?: string | null;
}) {
  return withTenant(tenant.id, async (db) => {
    const row = await db
      .insertInto("commission_entries")
      .values({
        kind: values.kind,
        agent_id: values.agentId,
        month: values.month,
        amount_minor: values.amountMinor,
        currency: "MYR",
        transaction_id: values.transactionId ?? null,
        order_item_id: values.orderItemId ?? null,
        product_id: values.productId ?? null,
        frequency: values.productId ? "monthly" : null,
        tier: values.tier ?? null,
        rule_id: values.ruleId ?? null,
        seller_agent_id: values.sellerId ?? null,
        passed_from_agent_id: values.passedFromId ?? null,
        base_minor: values.baseMinor ?? null,
        rate_bp: values.rateBp ?? null,
        earned_at: values.earnedAt ?? dayIn(values.month),
        note: values.note ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (values.paid) {
      await db
        .insertInto("commission_months")
        .values({ month: values.month, entries_count: 1, agents_count: 1, total_minor: values.amountMinor, currency: "MYR" })
        .execute();
      const batch = await db
        .insertInto("payout_batches")
        .values({
          month: values.month,
          reference: `PAY-${values.month.slice(0, 7)}`,
          payouts_count: 1,
          total_minor: values.amountMinor,
          currency: "MYR",
          status: "paid",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const payout = await db
        .insertInto("payouts")
        .values({ batch_id: batch.id, agent_id: values.agentId, amount_minor: values.amountMinor })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("commission_statements")
        .values({
          month: values.month,
          agent_id: values.agentId,
          earned_minor: values.amountMinor,
          payable_minor: values.amountMinor,
          entries_count: 1,
          payout_id: payout.id,
        })
        .execute();
    }
    return row.id;
  });
}

/** One version of a product's monthly rules, in force since 2020: the ids of its tiers, tier 1 first. */
async function addRules(productId: string, ...ratesBp: number[]) {
  return withTenant(tenant.id, async (db) => {
    const version = await insertVersion(db, {
      productId,
      frequency: "monthly",
      effectiveAt: new Date("2020-01-01T00:00:00Z"),
      tiers: tiers(...ratesBp),
      createdBy: null,
    });
    const rows = await db.selectFrom("commission_rules").select("id").where("version_id", "=", version.id).orderBy("tier").execute();
    return rows.map((r) => r.id);
  });
}

/** A paid order credited to an agent, with its completed payment. */
async function sale(agentId: string, customerId: string, productId: string, options: { items?: number; paidAt?: Date } = {}) {
  const order = await insertOrder(tenant.id, customerId, productId, { items: options.items ?? 1, firstPaymentMinor: 15_000 });
  await ownerDb()
    .updateTable("orders")
    .set({ agent_id: agentId, paid_at: options.paidAt ?? new Date() })
    .where("id", "=", order.orderId)
    .execute();
  const transactionId = await insertTransaction(tenant.id, {
    orderId: order.orderId,
    userId: customerId,
    amountMinor: 15_000 * (options.items ?? 1),
  });
  return { ...order, transactionId };
}

beforeAll(async () => {
  tenant = await agentNetworkTenant();
  sponsor = await addAgent(tenant.id, { name: "Siti Sponsor" });
  me = await addAgent(tenant.id, { sponsorId: sponsor.id, name: "Aminah Portal" });
  r1 = await addAgent(tenant.id, { sponsorId: me.id, name: "Hafiz Recruit" });
  r2 = await addAgent(tenant.id, { sponsorId: me.id, name: "Kavitha Recruit", status: "suspended" });
  r3 = await addAgent(tenant.id, { sponsorId: r1.id, name: "Izzati Second" });
  // The sponsor's other recruit: beside me in the tree, never below me.
  stranger = await addAgent(tenant.id, { sponsorId: sponsor.id, name: "Farid Stranger" });
  const customer = await createUser(tenant.id, { roles: ["customer"], name: "Nur Customer" });

  product = await insertProduct(tenant.id, { name: "Hibah Gold 270" });
  road = await insertProduct(tenant.id, { name: "Road Tax" });
  const [t1, t2] = await addRules(product.id, 1111, 222);

  // My own sale this month: one order of two items (two personal sales); one of last month; r1's sale.
  const mine = await sale(me.id, customer.id, product.id, { items: 2 });
  await sale(me.id, customer.id, product.id, { paidAt: dayIn(PREV) });
  const r1Sale = await sale(r1.id, customer.id, product.id);

  // This month: tier 1 on my two items, tier 2 on r1's sale, a cap adjustment; last month: paid.
  ids.t1a = await addEntry({
    agentId: me.id,
    kind: "earning",
    amountMinor: 1667,
    month: MONTH,
    tier: 1,
    productId: product.id,
    transactionId: mine.transactionId,
    orderItemId: mine.items[0]!.itemId,
    ruleId: t1,
    sellerId: me.id,
    baseMinor: 15_000,
    rateBp: 1111,
    earnedAt: new Date(Date.now() - 3_000),
  });
  ids.t1b = await addEntry({
    agentId: me.id,
    kind: "earning",
    amountMinor: 1667,
    month: MONTH,
    tier: 1,
    productId: product.id,
    transactionId: mine.transactionId,
    orderItemId: mine.items[1]!.itemId,
    ruleId: t1,
    sellerId: me.id,
    baseMinor: 15_000,
    rateBp: 1111,
    earnedAt: new Date(Date.now() - 2_000),
  });
  ids.t2 = await addEntry({
    agentId: me.id,
    kind: "earning",
    amountMinor: 333,
    month: MONTH,
    tier: 2,
    productId: product.id,
    transactionId: r1Sale.transactionId,
    orderItemId: r1Sale.items[0]!.itemId,
    ruleId: t2,
    sellerId: r1.id,
    passedFromId: sponsor.id,
    baseMinor: 15_000,
    rateBp: 222,
    earnedAt: new Date(Date.now() - 1_000),
  });
  ids.adj = await addEntry({ agentId: me.id, kind: "adjustment", amountMinor: -100, month: MONTH, note: INJECTION, productId: road.id });
  ids.prev = await addEntry({
    agentId: me.id,
    kind: "adjustment",
    amountMinor: 5_000,
    month: PREV,
    paid: true,
    tier: 1,
    productId: road.id,
  });
  // Someone else's money, never mine to see.
  ids.strangers = await addEntry({ agentId: stranger.id, kind: "adjustment", amountMinor: 987_654, month: MONTH, tier: 1 });

  asMe = await signIn(hostOf(tenant), me.email);
  asStranger = await signIn(hostOf(tenant), stranger.email);
});

describe("who may open the portal", () => {
  it("is for agents only: a customer gets 403, an agent-role user without an agent record 403, nobody signed in is sent to sign in", async () => {
    const customer = await createUser(tenant.id, { roles: ["customer"] });
    const asCustomer = await signIn(hostOf(tenant), customer.email);
    for (const path of [
      "/agent",
      "/agent/downline",
      "/agent/commissions",
      "/agent/commissions.csv",
      "/agent/statements",
      "/agent/disputes",
    ]) {
      expect((await asCustomer.get(path)).status, path).toBe(403);
    }
    const roleOnly = await createUser(tenant.id, { roles: ["agent"] });
    expect((await (await signIn(hostOf(tenant), roleOnly.email)).get("/agent")).status).toBe(403);
    const anonymous = await new Browser(hostOf(tenant)).get("/agent/commissions");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("does not exist (404) at an agency without the agent network", async () => {
    const plain = await createTenant();
    const user = await createUser(plain.id, { roles: ["agent"] });
    const browser = await signIn(hostOf(plain), user.email);
    for (const path of ["/agent", "/agent/commissions", "/agent/commissions.csv", "/agent/statements"]) {
      expect((await browser.get(path)).status, path).toBe(404);
    }
    // The header links the portal only where it exists.
    expect((await browser.get("/")).text).not.toContain('href="/agent"');
    expect((await asMe.get("/")).text).toContain('href="/agent"');
  });

  it("tells a suspended agent what it means", async () => {
    const asSuspended = await signIn(hostOf(tenant), r2.email);
    const res = await asSuspended.get("/agent");
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Your agent account is suspended");
    expect(textOf((await asMe.get("/agent")).text)).not.toContain("Your agent account is suspended");
  });
});

describe("dashboard", () => {
  it("adds up exactly the agent's own entries, sales and downline", async () => {
    const figures = await withTenant(tenant.id, (db) => agentDashboard(db, me.id, { month: MONTH, timeZone: TZ }));
    expect(figures.total).toBe(1667 + 1667 + 333 - 100);
    expect(figures.byTier).toEqual([
      { tier: 1, amountMinor: 3334, entries: 2 },
      { tier: 2, amountMinor: 333, entries: 1 },
      { tier: null, amountMinor: -100, entries: 1 },
    ]);
    expect(figures.byStatus).toEqual([{ status: "pending", amountMinor: 1667 + 1667 + 333 - 100, entries: 4 }]);
    expect(figures.lastMonths).toHaveLength(12);
    expect(figures.lastMonths[11]).toEqual({ month: MONTH, amountMinor: 3567 });
    expect(figures.lastMonths[10]).toEqual({ month: PREV, amountMinor: 5000 });
    expect(figures.lastMonths.slice(0, 10).every((m) => m.amountMinor === 0)).toBe(true);
    // Two items of this month's order; last month's sale and r1's sale are not mine this month.
    expect(figures.sales).toEqual({ items: 2, amountMinor: 30_000 });
    expect(figures.downline.slice(0, 3)).toEqual([
      { level: 1, agents: 2 },
      { level: 2, agents: 1 },
      { level: 3, agents: 0 },
    ]);
    expect(figures.downline).toHaveLength(10);
  });

  it("shows the figures as tables without JavaScript, the rank, and the referral link with its QR code", async () => {
    const res = await asMe.get("/agent");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(money(3567));
    expect(text).toContain(`Tier 1 (your sales) ${money(3334)}`);
    expect(text).toContain(`Tier 2 ${money(333)}`);
    expect(text).toContain(`Other (caps, adjustments) ${money(-100)}`);
    expect(text).toContain(`Level 1 2`);
    expect(text).toContain(`Level 2 1`);
    expect(text).toContain(money(30_000));
    expect(text).not.toContain(money(987_654));
    // The rank ladder: an Agent, with progress towards Senior Agent.
    expect(text).toContain("Your rank: Agent");
    expect(text).toContain("Direct recruits: 2 of 5");
    expect(text).toContain("Personal sales this month: 2 of 3");
    expect(res.text).toMatch(/<progress[^>]*value="2"[^>]*max="5"/);
    // Referral link and QR code (an image with alt text, and a download link).
    expect(res.text).toContain(`/join/${me.referralCode}`);
    expect(res.text).toMatch(/<img[^>]+src="data:image\/png;base64,[^"]+"[^>]+alt="QR code for your referral link/);
    expect(res.text).toMatch(new RegExp(`<a href="data:image/png;base64,[^"]+" download="referral-${me.referralCode}.png"`));
  });

  it("climbs the rank ladder rung by rung", () => {
    expect(rankProgress({ directRecruits: 0, downline: 0, personalSales: 0 }).current.name).toBe("Agent");
    expect(rankProgress({ directRecruits: 5, downline: 5, personalSales: 3 }).current.name).toBe("Senior Agent");
    // A big downline without the Senior Agent rung stays an Agent.
    expect(rankProgress({ directRecruits: 4, downline: 500, personalSales: 3 }).current.name).toBe("Agent");
    expect(rankProgress({ directRecruits: 5, downline: 20, personalSales: 3 }).current.name).toBe("Team Leader");
    const director = rankProgress({ directRecruits: 5, downline: 100, personalSales: 3 });
    expect(director.current.name).toBe("Director");
    expect(director.next).toBeNull();
    const next = rankProgress({ directRecruits: 5, downline: 10, personalSales: 3 }).next!;
    expect(next.rank.name).toBe("Team Leader");
    expect(next.requirements).toEqual([expect.objectContaining({ metric: "downline", value: 10, min: 20, percent: 50, met: false })]);
  });
});

describe("downline", () => {
  it("lists only the agent's own downline, level by level, with sponsor and their downline size", async () => {
    const level1 = textOf((await asMe.get("/agent/downline")).text);
    expect(level1).toContain("Hafiz Recruit");
    expect(level1).toContain("Kavitha Recruit");
    expect(level1).toContain("Suspended");
    expect(level1).not.toContain("Izzati Second");
    expect(level1).not.toContain("Farid Stranger");
    expect(level1).toContain("Level 1 (2)");
    expect(level1).toContain("Level 2 (1)");
    // Hafiz has one agent below him.
    expect(level1).toMatch(new RegExp(`Hafiz Recruit ${r1.agentNumber} Active .*? You 1`));

    const level2 = textOf((await asMe.get("/agent/downline?level=2")).text);
    expect(level2).toContain("Izzati Second");
    expect(level2).toContain(`Hafiz Recruit (${r1.agentNumber})`);
    expect(level2).not.toContain("Kavitha Recruit");
  });

  it("searches by name or number within the downline only", async () => {
    const found = textOf((await asMe.get("/agent/downline?q=izzati")).text);
    expect(found).toContain("Izzati Second");
    expect(found).toContain("1 agent matches");
    const byNumber = textOf((await asMe.get(`/agent/downline?q=${r3.agentNumber}`)).text);
    expect(byNumber).toContain("Izzati Second");
    // Beside me, not below me: not found, by name or by number.
    expect(textOf((await asMe.get("/agent/downline?q=Farid")).text)).toContain("Nobody in your downline matches");
    expect(textOf((await asMe.get(`/agent/downline?q=${stranger.agentNumber}`)).text)).toContain("Nobody in your downline matches");
    // My sponsor sees my recruits as their level 2.
    const sponsorView = await withTenant(tenant.id, (db) => listDownline(db, sponsor.id, { level: 2, page: 1 }));
    expect(sponsorView.rows.map((r) => r.name).sort()).toEqual(["Hafiz Recruit", "Kavitha Recruit"]);
  });

  it("pages 25 agents at a time", async () => {
    boss = await addAgent(tenant.id, { name: "Boss Pager" });
    for (let i = 0; i < 26; i++) await addAgent(tenant.id, { sponsorId: boss.id, name: `Pager ${String(i).padStart(2, "0")}` });
    const asBoss = await signIn(hostOf(tenant), boss.email);
    const first = await asBoss.get("/agent/downline?level=1");
    expect(first.text.match(/data-label="Agent number"/g)).toHaveLength(25);
    expect(first.text).toContain('rel="next"');
    const second = await asBoss.get("/agent/downline?level=1&page=2");
    expect(second.text.match(/data-label="Agent number"/g)).toHaveLength(1);
    expect(textOf(second.text)).toContain("Pager 25");
    expect(second.text).not.toContain('rel="next"');
  });
});

describe("commissions", () => {
  it("lists only the agent's own entries with the filter's totals", async () => {
    const res = await asMe.get("/agent/commissions");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(`5 Entries ${money(3567 + 5000)} Total`);
    expect(text).not.toContain(money(987_654));
    expect(text).toContain(`Sold by Hafiz Recruit (${r1.agentNumber})`);
    expect(text).toContain(`Passed up from Siti Sponsor (${sponsor.agentNumber})`);
    expect(text).toContain("11.11%");
    // Entries not yet paid out can be disputed; the paid one cannot.
    expect(res.text).toContain(`/agent/disputes?entry=${ids.t1a}`);
    expect(res.text).toContain(`/agent/disputes?entry=${ids.t1b}`);
    expect(res.text).not.toContain(`/agent/disputes?entry=${ids.prev}`);
  });

  it("filters by month, kind, status, tier and product", async () => {
    const list = (query: string) =>
      withTenant(tenant.id, (db) => listMyEntries(db, me.id, entryFiltersFrom(new URLSearchParams(query)).filters, 1));
    const idsOf = async (query: string) => (await list(query)).rows.map((r) => r.id).sort();
    expect(await idsOf("tier=2")).toEqual([ids.t2]);
    expect(await idsOf("status=paid")).toEqual([ids.prev]);
    expect(await idsOf("status=approved")).toEqual([]);
    expect(await idsOf(`month=${PREV}`)).toEqual([ids.prev]);
    expect(await idsOf("kind=adjustment")).toEqual([ids.adj, ids.prev].sort());
    expect(await idsOf(`product=${road.id}`)).toEqual([ids.adj, ids.prev].sort());
    expect(await idsOf(`product=${product.id}&tier=1&month=${MONTH}`)).toEqual([ids.t1a, ids.t1b].sort());
    expect((await list(`month=${MONTH}`)).totals).toEqual({ count: 4, amountMinor: 3567 });
    // Bad values are ignored, not refused.
    expect((await list("tier=99&month=2026-13-01&status=nope")).totals.count).toBe(5);

    const page = textOf((await asMe.get("/agent/commissions?tier=2")).text);
    expect(page).toContain(`1 Entry ${money(333)} Total`);
    expect(page).not.toContain(money(1667));
  });

  it("exports the same filter as CSV, formula-safe", async () => {
    const res = await asMe.get(`/agent/commissions.csv?month=${MONTH}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toContain(`-commissions-${me.agentNumber}-`);
    const rows = parseCsv(res.text.replace(/^\uFEFF/, ""));
    expect(rows[0]![0]).toBe(`Date (${TZ})`);
    const body = rows.slice(1);
    expect(body).toHaveLength(4);
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const amounts = body.map((r) => r[col("Amount")]).sort();
    expect(amounts).toEqual(["-1.00", "16.67", "16.67", "3.33"]);
    const tier2 = body.find((r) => r[col("Tier")] === "2")!;
    expect(tier2[col("Seller")]).toBe("Hafiz Recruit");
    expect(tier2[col("Seller number")]).toBe(r1.agentNumber);
    expect(tier2[col("Base")]).toBe("150.00");
    expect(tier2[col("Rate (%)")]).toBe("2.22");
    expect(tier2[col("Passed up from")]).toBe(`Siti Sponsor (${sponsor.agentNumber})`);
    const adjustment = body.find((r) => r[col("Kind")] === "Adjustment")!;
    expect(adjustment[col("Note")]).toBe(`'${INJECTION}`);
    expect(res.text).not.toContain("9876.54");

    const all = parseCsv((await asMe.get("/agent/commissions.csv")).text.replace(/^\uFEFF/, ""));
    expect(all).toHaveLength(1 + 5);
  });

  it("pages 25 entries at a time", async () => {
    for (let i = 0; i < 27; i++) {
      await addEntry({
        agentId: boss.id,
        kind: "adjustment",
        amountMinor: 100 + i,
        month: MONTH,
        earnedAt: new Date(Date.now() - i * 1000),
      });
    }
    const asBoss = await signIn(hostOf(tenant), boss.email);
    const first = await asBoss.get("/agent/commissions");
    expect(first.text.match(/data-label="Amount"/g)).toHaveLength(25);
    expect(textOf(first.text)).toContain(`27 Entries`);
    const second = await asBoss.get("/agent/commissions?page=2");
    expect(second.text.match(/data-label="Amount"/g)).toHaveLength(2);
    // The oldest two are on page 2.
    expect(textOf(second.text)).toContain(money(126));
    expect(textOf(second.text)).toContain(money(125));
  });
});

describe("statements", () => {
  let mine: string;
  let pending: string;
  let theirs: string;
  beforeAll(async () => {
    const older = addMonthsTo(MONTH, -3);
    for (const month of [addMonthsTo(MONTH, -2), older]) {
      await withTenant(tenant.id, (db) =>
        db
          .insertInto("commission_months")
          .values({ month, entries_count: 1, agents_count: 1, total_minor: 5000, currency: "MYR" })
          .execute(),
      );
    }
    const add = (agentId: string, month: string, file: boolean) =>
      withTenant(tenant.id, async (db) => {
        const row = await db
          .insertInto("commission_statements")
          .values({
            month,
            agent_id: agentId,
            earned_minor: 12_345,
            payable_minor: 12_000,
            entries_count: 7,
            file_key: file ? fileKey(tenant.id, "statements", "statement.pdf") : null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return row.id;
      });
    mine = await add(me.id, older, true);
    pending = await add(me.id, addMonthsTo(MONTH, -2), false);
    theirs = await add(stranger.id, older, true);
  });

  it("lists the agent's own statements and says when a PDF is still being made", async () => {
    const res = await asMe.get("/agent/statements");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(money(12_345));
    expect(text).toContain(money(12_000));
    expect(text).toContain("Being prepared");
    expect(res.text).toContain(`/agent/statements/${mine}/download`);
    expect(res.text).not.toContain(theirs);
  });

  it("downloads through a signed link; another agent's statement is 404", async () => {
    const res = await asMe.get(`/agent/statements/${mine}/download`);
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/files\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect((await asMe.get(`/agent/statements/${pending}/download`)).status).toBe(409);
    expect((await asMe.get(`/agent/statements/${theirs}/download`)).status).toBe(404);
    expect((await asMe.get(`/agent/statements/not-a-uuid/download`)).status).toBe(404);
    // Another agency's host never serves it either.
    const other = await agentNetworkTenant();
    const otherAgent = await addAgent(other.id);
    const asOther = await signIn(hostOf(other), otherAgent.email);
    expect((await asOther.get(`/agent/statements/${mine}/download`)).status).toBe(404);
  });
});

describe("disputes", () => {
  let disputeId: string;

  it("opens a dispute from a commission row, with a reason", async () => {
    const form = await asMe.get(`/agent/disputes?entry=${ids.t1a}`);
    expect(form.status).toBe(200);
    expect(textOf(form.text)).toContain("Dispute a commission");
    // Another agent's entry is not found, on the form and on the post.
    expect((await asStranger.get(`/agent/disputes?entry=${ids.t1a}`)).status).toBe(404);
    const foreign = await asStranger.post("/agent/disputes?index", { entryId: ids.t1a, reason: "That is mine, surely" });
    expect(foreign.status).toBe(400);
    expect(textOf(foreign.text)).toContain("There is no such commission entry");

    // The form posts to its own URL (the entry stays in it), as a browser without JavaScript does.
    const formAction = `/agent/disputes?entry=${ids.t1a}&index`;
    const empty = await asMe.post(formAction, { entryId: ids.t1a, reason: "" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Say what is wrong with this commission");

    const res = await asMe.post(formAction, { entryId: ids.t1a, reason: "The base should be RM200, not RM150" });
    expect(res.status).toBe(302);
    const match = res.location!.match(/^\/agent\/disputes\/([0-9a-f-]{36})\?opened=1$/);
    expect(match).not.toBeNull();
    disputeId = match![1]!;
    const entry = await ownerDb()
      .selectFrom("commission_entry_states")
      .select("status")
      .where("id", "=", ids.t1a)
      .executeTakeFirstOrThrow();
    expect(entry.status).toBe("disputed");

    // The row now links its dispute instead of offering another.
    const list = await asMe.get("/agent/commissions");
    expect(list.text).toContain(`/agent/disputes/${disputeId}`);
    expect(list.text).not.toContain(`/agent/disputes?entry=${ids.t1a}`);
  });

  it("shows the thread to its agent only, and takes replies", async () => {
    const page = await asMe.get(`/agent/disputes/${disputeId}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("The base should be RM200, not RM150");

    const blank = await asMe.post(`/agent/disputes/${disputeId}`, { body: "   " });
    expect(blank.status).toBe(400);
    expect(textOf(blank.text)).toContain("Write a message");
    const reply = await asMe.post(`/agent/disputes/${disputeId}`, { body: "Receipt attached to the office email" });
    expect(reply.status).toBe(302);
    expect(textOf((await asMe.get(`/agent/disputes/${disputeId}`)).text)).toContain("Receipt attached to the office email");

    expect((await asStranger.get(`/agent/disputes/${disputeId}`)).status).toBe(404);
    expect((await asStranger.post(`/agent/disputes/${disputeId}`, { body: "Sneaking in" })).status).toBe(404);
    const messages = await ownerDb().selectFrom("commission_dispute_messages").select("body").where("dispute_id", "=", disputeId).execute();
    expect(messages.map((m) => m.body)).not.toContain("Sneaking in");

    const list = textOf((await asMe.get("/agent/disputes")).text);
    expect(list).toContain("The base should be RM200, not RM150");
    expect(textOf((await asStranger.get("/agent/disputes")).text)).toContain("You have not disputed any commission");
  });

  it("cannot dispute a paid entry", async () => {
    const res = await asMe.get(`/agent/disputes?entry=${ids.prev}`);
    expect(textOf(res.text)).toContain("This commission cannot be disputed here");
    const post = await asMe.post("/agent/disputes?index", { entryId: ids.prev, reason: "Paid twice? Please check" });
    expect(post.status).toBe(400);
    const entry = await ownerDb()
      .selectFrom("commission_entry_states")
      .select("status")
      .where("id", "=", ids.prev)
      .executeTakeFirstOrThrow();
    expect(entry.status).toBe("paid");
  });
});

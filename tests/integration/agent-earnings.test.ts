import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { Frequency } from "~db/schema";
import { formatMoney } from "~/lib/money";
import { issueTokens } from "~/modules/auth/api-tokens.server";
import { seedCommissionRules } from "~/modules/commissions/seed.server";
import { saveRules, type TierInput } from "~/modules/commissions/rules.server";
import { createAgent } from "~/modules/network/agents.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { createUser, eventually, latestMessage, ownerDb, tokenFrom } from "../support/db";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import { insertChain, khholdingsNetwork, KL } from "./commissions-support";
import { memberTenant, orderFromRedirect, registeredMember, sellHibah, type MemberTenant } from "./members-support";

/**
 * Agents see what they earn before they sell (issue 16 §5), over real HTTP: the sell wizard's
 * split of the sale is the admin preview's and the very cents the ledger writes once the member
 * pays; /agent/commission-structure and the agent app's /api/v1 show the agency's rules, and only
 * its own; an agent who would not earn is told why.
 */

const RM = (minor: number) => formatMoney(minor, "MYR", "en-MY").replace(/\s/g, " ");
// The plan's worked example: Hibah Gold 270 monthly on RM150 — T1 11.11%, T2 2.22%, T3 2.22%, T4 1.11%, T5 0.83%.
const HIBAH_MONTHLY = [16_67, 3_33, 3_33, 1_67, 1_25];
const body = (text: string) => JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function withKhhRules(): Promise<MemberTenant> {
  const tenant = await memberTenant();
  await withTenant(tenant.id, (db) => seedCommissionRules(db, khholdingsNetwork().rules, { timeZone: KL }));
  return tenant;
}

/** A signed-in agent whose sponsor heads a chain of `uplines` agents, with a bearer token for the app. */
async function sellingAgent(tenant: MemberTenant, uplines: number, status: "active" | "suspended" = "active") {
  const chain = uplines > 0 ? await insertChain(tenant.id, uplines) : [];
  const user = await createUser(tenant.id, { roles: ["agent"], name: "Agent Earner" });
  const agent = await withTenant(tenant.id, (db) => createAgent(db, { userId: user.id, sponsorId: chain[0] ?? null, status }));
  const { tokens } = await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, user.id, { name: "earnings test" }));
  const browser = status === "active" ? await signIn(tenant.host, user.email) : new Browser(tenant.host);
  return { agent, uplines: chain, browser, bearer: { authorization: `Bearer ${tokens.accessToken}` } };
}

const productId = async (tenantId: string, slug: string) =>
  (await ownerDb().selectFrom("products").select("id").where("tenant_id", "=", tenantId).where("slug", "=", slug).executeTakeFirstOrThrow())
    .id;

const tiers = (...rows: Partial<TierInput>[]): TierInput[] =>
  rows.map((r, i) => ({
    tier: i + 1,
    kind: "fixed",
    amountMinor: 0,
    rateBp: null,
    capMinor: null,
    requiresActive: true,
    minPersonalSales: 0,
    ...r,
  }));

async function newRules(tenantId: string, slug: string, frequency: Frequency, rows: TierInput[], local?: string) {
  const id = await productId(tenantId, slug);
  const saved = await withTenant(tenantId, (db) =>
    saveRules(db, {
      productId: id,
      frequency,
      start: local ? { kind: "at", local, timeZone: KL } : { kind: "now" },
      tiers: rows,
      actorUserId: null,
    }),
  );
  expect(saved.ok).toBe(true);
  return id;
}

/** The cells of the sell wizard's commission table, row by row. */
function commissionRows(html: string): string[][] {
  const section = /<section[^>]*sale-commission[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1]!).trim()));
}

describe("the sell wizard shows what the sale earns", () => {
  it("splits Hibah Gold 270 monthly as the admin preview does, and the ledger writes those very cents once the member pays", async () => {
    const tenant = await withKhhRules();
    const seller = await sellingAgent(tenant, 4);
    const member = await registeredMember(seller.browser);
    const orderId = await sellHibah(seller.browser, member.memberId, member, "monthly");

    const page = await seller.browser.get(`/agent/members/${member.memberId}/sell?order=${orderId}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("What this sale earns");
    // Each tier: its share of the first payment and of each later instalment (both RM150).
    const rows = commissionRows(page.text);
    expect(rows.map((r) => r[0])).toEqual(["You (tier 1)", "Tier 2 upline", "Tier 3 upline", "Tier 4 upline", "Tier 5 upline"]);
    expect(rows.map((r) => r.slice(1))).toEqual(HIBAH_MONTHLY.map((m) => [RM(m), RM(m)]));
    // No upline is named: the portal shows the agent nobody above them.
    expect(textOf(page.text)).not.toContain("Test Agent");

    // The admin preview of the same product and frequency prices the same sale the same way.
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const adminBrowser = await signIn(tenant.host, admin.email);
    const hibah = await productId(tenant.id, "hibah-senior-care-gold-270");
    const preview = textOf((await adminBrowser.get(`/admin/commission-rules/${hibah}?frequency=monthly&base=150.00`)).text);
    expect(preview).toContain(HIBAH_MONTHLY.map((m, i) => `T${i + 1} ${RM(m)}`).join(", "));

    // The member pays through the sandbox; the ledger's entries are the wizard's figures, tier by tier.
    expect((await seller.browser.post(`/agent/members/${member.memberId}/sell?order=${orderId}`, { intent: "link" })).status).toBe(302);
    const invite = await latestMessage(tenant.id, member.email, "member_invite");
    const set = await new Browser(tenant.host).post("/reset-password", {
      token: tokenFrom(invite!.body_text),
      password: "Member#2026pass",
      confirmPassword: "Member#2026pass",
    });
    expect(set.status).toBe(302);
    const memberBrowser = await signIn(tenant.host, member.email, "Member#2026pass");
    const started = await memberBrowser.post(`/checkout/${orderId}/pay`, { method: "card", amount: "1" });
    const ref = /^\/sandbox\/pay\/(.+)$/.exec(started.location ?? "")?.[1];
    expect(ref).toBeTruthy();
    expect(await playSandboxChoice(tenant, ref!, "approve")).toMatchObject({ ok: true });
    const entries = await eventually(async () => {
      const rows = await ownerDb()
        .selectFrom("commission_entries as e")
        .innerJoin("transactions as t", "t.id", "e.transaction_id")
        .select(["e.tier", "e.agent_id", "e.amount_minor"])
        .where("t.order_id", "=", orderId)
        .orderBy("e.tier")
        .execute();
      return rows.length === HIBAH_MONTHLY.length ? rows : undefined;
    });
    expect(entries.map((e) => e.amount_minor)).toEqual(HIBAH_MONTHLY);
    expect(entries.map((e) => e.agent_id)).toEqual([seller.agent.id, ...seller.uplines]);
  });

  it("tells an agent below the rule's minimum of own sales how many more they need, and says when a product pays nothing", async () => {
    const tenant = await memberTenant();
    // Medical Card pays T1 RM10 only to agents with 3 own sales this month; nothing else has rules.
    await newRules(tenant.id, "medical-card", "annual", tiers({ amountMinor: 10_00, minPersonalSales: 3 }, { amountMinor: 2_00 }));
    const seller = await sellingAgent(tenant, 1);
    const member = await registeredMember(seller.browser);
    const base = `/agent/members/${member.memberId}/sell`;
    const card = orderFromRedirect(await seller.browser.post(`${base}?product=medical-card`, { intent: "quote", frequency: "annual" }));
    const cardPage = textOf((await seller.browser.get(`${base}?order=${card}`)).text);
    expect(cardPage).toContain("You would not earn on this sale now");
    // This sale is the first: two more before it is paid make three.
    expect(cardPage).toContain("You need 2 more sales this month to earn on this product.");
    expect(commissionRows((await seller.browser.get(`${base}?order=${card}`)).text)).toEqual([
      ["You (tier 1)", RM(10_00)],
      ["Tier 2 upline", RM(2_00)],
    ]);

    const hibah = orderFromRedirect(
      await seller.browser.post(`${base}?product=hibah-senior-care-gold-270`, { intent: "quote", frequency: "monthly" }),
    );
    const hibahPage = textOf((await seller.browser.get(`${base}?order=${hibah}`)).text);
    expect(hibahPage).toContain("Hibah Senior Care Gold 270 (Monthly) pays no commission");
    expect(hibahPage).not.toContain("You would not earn");

    // The app's preview says the same, and why.
    const preview = await new Browser(tenant.host).get(
      `/api/v1/agent/commission-preview?productId=${await productId(tenant.id, "medical-card")}&frequency=annual`,
      seller.bearer,
    );
    expect(preview.status, preview.text).toBe(200);
    expect(body(preview.text).preview).toMatchObject({
      premiumMinor: expect.any(Number),
      paysCommission: true,
      tiers: [
        { tier: 1, kind: "fixed", amountMinor: 10_00, minPersonalSales: 3, earnsMinor: 10_00 },
        { tier: 2, earnsMinor: 2_00 },
      ],
      you: { qualifies: false, reason: "personal_sales", salesThisMonth: 0, salesNeeded: 2 },
    });
  });

  it("tells the agent what is left of their monthly cap, and that the rest of their share would be withheld", async () => {
    const tenant = await memberTenant();
    const cardId = await newRules(
      tenant.id,
      "medical-card",
      "annual",
      tiers({ amountMinor: 10_00, capMinor: 25_00 }, { amountMinor: 2_00 }),
    );
    const seller = await sellingAgent(tenant, 1);
    const member = await registeredMember(seller.browser);
    const base = `/agent/members/${member.memberId}/sell`;
    const card = orderFromRedirect(await seller.browser.post(`${base}?product=medical-card`, { intent: "quote", frequency: "annual" }));
    const preview = () =>
      new Browser(tenant.host).get(`/api/v1/agent/commission-preview?productId=${cardId}&frequency=annual`, seller.bearer);
    // Nothing paid yet: the whole share fits.
    expect(textOf((await seller.browser.get(`${base}?order=${card}`)).text)).not.toContain("monthly cap on this product");
    expect(body((await preview()).text).preview.you).toMatchObject({ qualifies: true, capLeftMinor: 25_00 });

    // The ledger has paid RM18 under this rule this month (running caps): RM7 is left.
    await withTenant(tenant.id, async (db) => {
      const rule = await db
        .selectFrom("commission_rules as r")
        .innerJoin("commission_rule_versions as v", "v.id", "r.version_id")
        .select("r.id")
        .where("v.product_id", "=", cardId)
        .where("r.tier", "=", 1)
        .executeTakeFirstOrThrow();
      await db
        .insertInto("commission_cap_usage")
        .values({
          month: sql<string>`date_trunc('month', now() at time zone ${KL})::date`,
          agent_id: seller.agent.id,
          rule_id: rule.id,
          paid_minor: 18_00,
        })
        .execute();
    });
    const page = textOf((await seller.browser.get(`${base}?order=${card}`)).text);
    expect(page).toContain(`${RM(7_00)} is left of your ${RM(25_00)} monthly cap on this product`);
    expect(body((await preview()).text).preview.you).toMatchObject({ capLeftMinor: 7_00 });
  });
});

describe("the commission structure page and API", () => {
  it("shows every product's tiers with an example on its price, scheduled versions, and the empty state without rules", async () => {
    const tenant = await memberTenant();
    const seller = await sellingAgent(tenant, 0);

    // No rules at all: the empty state, and the API says so.
    const empty = await seller.browser.get("/agent/commission-structure");
    expect(empty.status).toBe(200);
    expect(textOf(empty.text)).toContain("The agency has not set any commission rules yet.");
    expect(textOf((await seller.browser.get("/agent")).text)).toContain("Commission structure");
    const none = body((await new Browser(tenant.host).get("/api/v1/agent/commission-structure", seller.bearer)).text);
    expect(none.hasRules).toBe(false);
    expect(none.products.every((p: { frequencies: { current: unknown }[] }) => p.frequencies.every((f) => f.current === null))).toBe(true);

    await withTenant(tenant.id, (db) => seedCommissionRules(db, khholdingsNetwork().rules, { timeZone: KL }));
    // Road tax changes on 1 January 2030: T1 40% from then on.
    await newRules(
      tenant.id,
      "road-tax",
      "annual",
      tiers({ kind: "percent", amountMinor: null, rateBp: 4000, capMinor: 500_00 }),
      "2030-01-01T00:00",
    );

    const page = await seller.browser.get("/agent/commission-structure");
    const text = textOf(page.text);
    expect(text).toContain("Hibah Senior Care Gold 270");
    expect(text).toContain("11.11%");
    expect(text).toContain(`On ${RM(150_00)}`);
    for (const m of HIBAH_MONTHLY) expect(text).toContain(RM(m));
    expect(text).toContain("From ");
    expect(text).toContain("40%");
    expect(text).toContain(`${RM(500_00)} a month`);
    // Travel PA has no rules: it is listed, paying nothing.
    expect(text).toContain("No commission at this frequency.");

    const api = body((await new Browser(tenant.host).get("/api/v1/agent/commission-structure", seller.bearer)).text);
    expect(api.hasRules).toBe(true);
    const hibah = api.products.find((p: { slug: string }) => p.slug === "hibah-senior-care-gold-270");
    const monthly = hibah.frequencies.find((f: { frequency: string }) => f.frequency === "monthly");
    expect(monthly.exampleMinor).toBe(150_00);
    expect(monthly.current.tiers.map((t: { exampleMinor: number }) => t.exampleMinor)).toEqual(HIBAH_MONTHLY);
    const road = api.products.find((p: { slug: string }) => p.slug === "road-tax").frequencies[0];
    expect(road.current.tiers.map((t: { rateBp: number }) => t.rateBp)).toEqual([5000, 1000, 1000]);
    expect(road.scheduled).toHaveLength(1);
    expect(road.scheduled[0].tiers[0]).toMatchObject({ rateBp: 4000, capMinor: 500_00 });
    expect(new Date(road.scheduled[0].effectiveAt).toISOString()).toBe("2029-12-31T16:00:00.000Z");
    const travel = api.products.find((p: { slug: string }) => p.slug === "travel-pa");
    expect(travel.frequencies.every((f: { current: unknown }) => f.current === null)).toBe(true);
  });

  it("never shows another agency's products, and a suspended agent is told they would not earn", async () => {
    const mine = await withKhhRules();
    const theirs = await withKhhRules();
    const seller = await sellingAgent(mine, 0, "suspended");
    const api = new Browser(mine.host);

    const structure = body((await api.get("/api/v1/agent/commission-structure", seller.bearer)).text);
    const shown = structure.products.map((p: { id: string }) => p.id);
    const ownIds = (await ownerDb().selectFrom("products").select("id").where("tenant_id", "=", mine.id).execute()).map((p) => p.id);
    const theirIds = (await ownerDb().selectFrom("products").select("id").where("tenant_id", "=", theirs.id).execute()).map((p) => p.id);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((id: string) => ownIds.includes(id))).toBe(true);
    expect(shown.some((id: string) => theirIds.includes(id))).toBe(false);

    const theirHibah = await productId(theirs.id, "hibah-senior-care-gold-270");
    const refused = await api.get(`/api/v1/agent/commission-preview?productId=${theirHibah}&frequency=monthly`, seller.bearer);
    expect(refused.status).toBe(404);
    expect(body(refused.text)).toMatchObject({ status: "error", code: "NOT_FOUND" });

    const ownHibah = await productId(mine.id, "hibah-senior-care-gold-270");
    const preview = await api.get(
      `/api/v1/agent/commission-preview?productId=${ownHibah}&frequency=monthly&premiumMinor=15000`,
      seller.bearer,
    );
    expect(preview.status, preview.text).toBe(200);
    expect(body(preview.text).preview).toMatchObject({
      premiumMinor: 150_00,
      tiers: HIBAH_MONTHLY.map((earnsMinor, i) => ({ tier: i + 1, earnsMinor })),
      you: { qualifies: false, reason: "inactive", salesNeeded: null },
    });

    // Bad input is a field-level 400, not a 500.
    const bad = await api.get(`/api/v1/agent/commission-preview?productId=${ownHibah}&frequency=weekly&premiumMinor=-5`, seller.bearer);
    expect(bad.status).toBe(400);
    expect(Object.keys(body(bad.text).errors).sort()).toEqual(["frequency", "premiumMinor"]);
    const notSold = await api.get(
      `/api/v1/agent/commission-preview?productId=${await productId(mine.id, "medical-card")}&frequency=monthly`,
      seller.bearer,
    );
    expect(notSold.status).toBe(400);
    expect(body(notSold.text).errors).toHaveProperty("frequency");
  });
});

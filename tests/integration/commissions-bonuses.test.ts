import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { bonusRuleSchema, type BonusRuleInput } from "~/modules/commissions/bonus-forms";
import { saveBonusVersion } from "~/modules/commissions/bonus-rules.server";
import { writeMonthBonuses } from "~/modules/commissions/bonuses.server";
import { clawbackRefund } from "~/modules/commissions/clawback.server";
import { closeMonth, previewClose } from "~/modules/commissions/close.server";
import { statementData } from "~/modules/commissions/statements.server";
import { renderStatementPdf } from "~/modules/documents/statement.server";
import { addRank, setAgentRank } from "~/modules/network/agent-ranks.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import { createUser, ownerDb } from "../support/db";
import { readPdf } from "../support/pdf";
import { hostOf, signIn } from "./accounts-support";
import { completedRefund, insertAgent, insertChain, insertSale, KL, networkTenant, product, TENANT_CONTEXT } from "./commissions-support";

/**
 * Bonuses at the close (issue 16, decision 048): performance and team bonuses, written once,
 * on the statement, and taken back in proportion when a counted payment's money goes back.
 */
const NOW = new Date("2026-11-21T04:00:00Z");
const OCTOBER = "2026-10-01";
const at = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day, 4));
const close = (tenantId: string, month = OCTOBER, now = NOW) =>
  withTenant(tenantId, (db) => closeMonth(db, { month, actorUserId: null, ...TENANT_CONTEXT }, now));

function bonus(input: Partial<BonusRuleInput> & Pick<BonusRuleInput, "kind">): BonusRuleInput {
  return {
    seriesId: null,
    name: input.kind === "team" ? "Team bonus" : "Star seller",
    effectiveFrom: OCTOBER,
    stopped: false,
    thresholdMinor: null,
    amountMinor: null,
    rateBp: null,
    rankId: null,
    levels: null,
    ...input,
  };
}

async function saveBonus(tenantId: string, input: BonusRuleInput): Promise<string> {
  const result = await withTenant(tenantId, (db) => saveBonusVersion(db, input, { userId: null }));
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.id;
}

async function sell(tenantId: string, productId: string, agentId: string, amountMinor: number, when = at(10, 5)) {
  return (await insertSale(tenantId, { agentId, productId, frequency: "annual", amountMinor, at: when })).transactionId;
}

async function bonusesOf(tenantId: string) {
  const rows = await withTenant(tenantId, (db) =>
    db
      .selectFrom("commission_entry_states")
      .select(["id", "kind", "agent_id", "amount_minor", "base_minor", "rate_bp", "bonus_rule_id", "bonus_levels", "status", "month"])
      .where("kind", "in", ["performance_bonus", "team_bonus"])
      .execute(),
  );
  return rows;
}

const amountFor = (rows: Awaited<ReturnType<typeof bonusesOf>>, agentId: string, ruleId: string) =>
  rows.filter((r) => r.agent_id === agentId && r.bonus_rule_id === ruleId).map((r) => [r.amount_minor, r.base_minor]);

describe("performance bonuses", () => {
  it("pay a fixed amount or a rate of own sales at or over the threshold, nothing under it, once", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    const [under, atThreshold, over] = [
      await insertAgent(tenant.id, null),
      await insertAgent(tenant.id, null),
      await insertAgent(tenant.id, null),
    ];
    await sell(tenant.id, productId, under, 999_99);
    await sell(tenant.id, productId, atThreshold, 1_000_00);
    await sell(tenant.id, productId, over, 1_000_00);
    await sell(tenant.id, productId, over, 500_00, at(10, 20));
    // Another month's sale counts in that month only.
    await sell(tenant.id, productId, under, 5_000_00, at(9, 20));
    const fixed = await saveBonus(tenant.id, bonus({ kind: "performance", thresholdMinor: 1_000_00, amountMinor: 50_00 }));
    const rate = await saveBonus(tenant.id, bonus({ kind: "performance", name: "Rate", thresholdMinor: 1_000_00, rateBp: 1000 }));

    const preview = await withTenant(tenant.id, (db) => previewClose(db, { month: OCTOBER, ...TENANT_CONTEXT }, NOW));
    expect(preview.bonuses.map((b) => b.amountMinor).sort((a, b) => a - b)).toEqual([50_00, 50_00, 100_00, 150_00]);

    expect(await close(tenant.id, "2026-09-01")).toMatchObject({ ok: true });
    expect(await close(tenant.id)).toMatchObject({ ok: true });
    const rows = await bonusesOf(tenant.id);
    expect(rows.filter((r) => r.month === OCTOBER)).toHaveLength(4);
    expect(amountFor(rows, under, fixed)).toEqual([]);
    expect(amountFor(rows, atThreshold, fixed)).toEqual([[50_00, 1_000_00]]);
    expect(amountFor(rows, atThreshold, rate)).toEqual([[100_00, 1_000_00]]);
    expect(amountFor(rows, over, fixed)).toEqual([[50_00, 1_500_00]]);
    expect(amountFor(rows, over, rate)).toEqual([[150_00, 1_500_00]]);
    // September's 5,000 sale counted in neither month: the bonuses start in October.
    expect(rows.filter((r) => r.month === "2026-09-01")).toEqual([]);

    // A retried close writes nothing (the month is closed); the bonus statement itself, run again, neither.
    expect(await close(tenant.id)).toMatchObject({ ok: false });
    expect(await withTenant(tenant.id, (db) => writeMonthBonuses(db, { month: OCTOBER, ...TENANT_CONTEXT, now: NOW }))).toBe(0);
    expect(await bonusesOf(tenant.id)).toHaveLength(4);
  });
});

describe("team bonuses", () => {
  it("pay a rank's holders a rate of their downline's sales within the levels, and nobody without the rank", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    // seller → sponsor → grand → top: top sees grand at depth 1, sponsor at 2, seller at 3.
    const [seller, sponsor, grand, top] = await insertChain(tenant.id, 4);
    const leader = await withTenant(tenant.id, (db) => addRank(db, { code: "leader", name: "Team Leader", position: 2 }));
    if (!leader.ok) throw new Error("rank");
    await withTenant(tenant.id, (db) => setAgentRank(db, { agentId: top!, rankId: leader.id }));
    await sell(tenant.id, productId, seller!, 1_000_00);
    await sell(tenant.id, productId, sponsor!, 200_00);
    await sell(tenant.id, productId, grand!, 30_00);
    await sell(tenant.id, productId, top!, 7_00);
    const oneLevel = await saveBonus(tenant.id, bonus({ kind: "team", rankId: leader.id, levels: 1, rateBp: 1000 }));
    const threeLevels = await saveBonus(tenant.id, bonus({ kind: "team", name: "Deep", rankId: leader.id, levels: 3, rateBp: 1000 }));
    const twoLevels = await saveBonus(tenant.id, bonus({ kind: "team", name: "Two", rankId: leader.id, levels: 2, rateBp: 1000 }));

    expect(await close(tenant.id)).toMatchObject({ ok: true });
    const rows = await bonusesOf(tenant.id);
    expect(amountFor(rows, top!, oneLevel)).toEqual([[3_00, 30_00]]);
    expect(amountFor(rows, top!, twoLevels)).toEqual([[23_00, 230_00]]);
    expect(amountFor(rows, top!, threeLevels)).toEqual([[123_00, 1_230_00]]);
    expect(rows.find((r) => r.bonus_rule_id === threeLevels)?.bonus_levels).toBe(3);
    // Without the rank: nothing, however large the downline.
    expect(rows.filter((r) => r.agent_id !== top)).toEqual([]);
  });
});

describe("bonuses on the statement and clawed back", () => {
  it("list the bonus, and take back bonus × refunded share of its base: two half refunds = one full refund", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    const [halves, whole, , top] = [
      await insertAgent(tenant.id, null),
      await insertAgent(tenant.id, null),
      null,
      await insertAgent(tenant.id, null),
    ];
    const leader = await withTenant(tenant.id, (db) => addRank(db, { code: "leader", name: "Team Leader", position: 1 }));
    if (!leader.ok) throw new Error("rank");
    const [recruit] = [await insertAgent(tenant.id, top)];
    await withTenant(tenant.id, (db) => setAgentRank(db, { agentId: top, rankId: leader.id }));
    const a1 = await sell(tenant.id, productId, halves, 1_000_00);
    await sell(tenant.id, productId, halves, 500_00);
    const b1 = await sell(tenant.id, productId, whole, 1_000_00);
    await sell(tenant.id, productId, whole, 500_00);
    const r1 = await sell(tenant.id, productId, recruit, 600_00);
    await sell(tenant.id, productId, recruit, 200_00);
    const perf = await saveBonus(tenant.id, bonus({ kind: "performance", thresholdMinor: 0, rateBp: 1000 }));
    await saveBonus(tenant.id, bonus({ kind: "team", rankId: leader.id, levels: 1, rateBp: 500 }));
    expect(await close(tenant.id)).toMatchObject({ ok: true });

    const info = (await tenantById(tenant.id))!;
    const statement = await withTenant(tenant.id, (db) =>
      db.selectFrom("commission_statements").select("id").where("agent_id", "=", halves).executeTakeFirstOrThrow(),
    );
    const data = (await withTenant(tenant.id, (db) => statementData(db, info, statement.id)))!;
    expect(data.entries.map((e) => [e.kind, e.amountMinor, e.baseMinor, e.rateBp])).toEqual([
      ["performance_bonus", 150_00, 1_500_00, 1000],
    ]);
    expect(data.totals.earnedMinor).toBe(150_00);
    const pdf = await readPdf(await renderStatementPdf(data));
    expect(pdf.text).toMatch(
      /Performance bonus: Star seller .*your own sales this month.*RM 1,500\.00.*10%.*RM 150\.00.*Total bonuses RM 150\.00/,
    );
    const topStatement = await withTenant(tenant.id, (db) =>
      db.selectFrom("commission_statements").select("id").where("agent_id", "=", top).executeTakeFirstOrThrow(),
    );
    const topPdf = await readPdf(
      await renderStatementPdf((await withTenant(tenant.id, (db) => statementData(db, info, topStatement.id)))!),
    );
    expect(topPdf.text).toMatch(/Team bonus: Team bonus .*downline sales, 1 level.*RM 800\.00.*5%.*RM 40\.00/);

    const refund = async (transactionId: string, amountMinor: number, day: number) => {
      const id = await completedRefund(tenant.id, transactionId, amountMinor, at(11, 21 + day));
      return withTenant(tenant.id, (db) => clawbackRefund(db, id, KL));
    };
    await refund(a1, 500_00, 1);
    await refund(a1, 500_00, 2);
    await refund(b1, 1_000_00, 3);
    // A team bonus counts the recruit's sale: a quarter of its 800 base back.
    await refund(r1, 200_00, 4);
    // Again (a retried job): nothing more.
    const again = await withTenant(tenant.id, (db) =>
      db.selectFrom("refunds").select("id").where("transaction_id", "=", a1).orderBy("completed_at").execute(),
    );
    for (const r of again) await withTenant(tenant.id, (db) => clawbackRefund(db, r.id, KL));

    const clawbacks = await withTenant(tenant.id, (db) =>
      db
        .selectFrom("commission_entries as c")
        .innerJoin("commission_entries as b", "b.id", "c.reverses_entry_id")
        .select(["c.agent_id", "c.amount_minor", "c.month", "b.kind"])
        .where("c.kind", "=", "clawback")
        .where("b.kind", "in", ["performance_bonus", "team_bonus"])
        .execute(),
    );
    const takenFrom = (agentId: string, kind: string) =>
      clawbacks.filter((c) => c.agent_id === agentId && c.kind === kind).map((c) => c.amount_minor);
    expect(takenFrom(halves, "performance_bonus")).toEqual([-50_00, -50_00]);
    expect(takenFrom(whole, "performance_bonus")).toEqual([-100_00]);
    expect(takenFrom(top, "team_bonus")).toEqual([-10_00]);
    expect(takenFrom(recruit, "performance_bonus")).toEqual([-20_00]);
    expect(new Set(clawbacks.map((c) => c.month))).toEqual(new Set(["2026-11-01"]));
    expect(perf).toBeTruthy();
  });

  it("never take back more than the bonus, and leave alone refunds made before the close (netted out of the base)", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    const agent = await insertAgent(tenant.id, null);
    const t1 = await sell(tenant.id, productId, agent, 1_000_00);
    await sell(tenant.id, productId, agent, 1_000_00);
    // Half of t1 back before the close: the base is 1,500.
    const early = await completedRefund(tenant.id, t1, 500_00, at(10, 25));
    await withTenant(tenant.id, (db) => clawbackRefund(db, early, KL));
    await saveBonus(tenant.id, bonus({ kind: "performance", thresholdMinor: 0, amountMinor: 30_00 }));
    expect(await close(tenant.id)).toMatchObject({ ok: true });
    expect((await bonusesOf(tenant.id)).map((r) => [r.amount_minor, r.base_minor])).toEqual([[30_00, 1_500_00]]);
    const late = await completedRefund(tenant.id, t1, 500_00, at(11, 23));
    await withTenant(tenant.id, (db) => clawbackRefund(db, late, KL));
    const taken = await withTenant(tenant.id, (db) =>
      db
        .selectFrom("commission_entries")
        .select("amount_minor")
        .where("kind", "=", "clawback")
        .where("bonus_rule_id", "is not", null)
        .execute(),
    );
    // 30 × 500 / 1,500.
    expect(taken.map((r) => r.amount_minor)).toEqual([-10_00]);
  });
});

describe("the bonus editor", () => {
  const parse = (fields: Record<string, unknown>) =>
    bonusRuleSchema("MYR").safeParse({ name: "Star", effectiveFrom: "2026-12", ...fields });
  const errorsOf = (fields: Record<string, unknown>) => {
    const result = parse(fields);
    return result.success ? {} : result.error.flatten().fieldErrors;
  };

  it("refuses negative amounts, rates over 100%, levels outside 1 to 10 and a negative threshold, field by field", () => {
    expect(errorsOf({ kind: "performance", threshold: "-1", pays: "fixed", amount: "10" })).toEqual({
      threshold: ["The threshold cannot be negative."],
    });
    expect(errorsOf({ kind: "performance", threshold: "100", pays: "fixed", amount: "-5" })).toEqual({
      amount: ["The amount cannot be negative."],
    });
    expect(errorsOf({ kind: "performance", threshold: "100", pays: "rate", rate: "100.01" })).toEqual({
      rate: ["A rate is at most 100%."],
    });
    const rank = "00000000-0000-4000-8000-000000000000";
    expect(errorsOf({ kind: "team", rankId: rank, levels: 0, rate: "5" })).toEqual({
      levels: ["Enter a whole number of levels from 1 to 10."],
    });
    expect(errorsOf({ kind: "team", rankId: rank, levels: 11, rate: "5" })).toEqual({
      levels: ["Enter a whole number of levels from 1 to 10."],
    });
    expect(errorsOf({ kind: "team", levels: 3, rate: "101" })).toEqual({ rankId: ["Choose a rank."], rate: ["A rate is at most 100%."] });
    expect(parse({ kind: "team", rankId: rank, levels: 10, rate: "2.5" })).toMatchObject({
      success: true,
      data: { levels: 10, rateBp: 250 },
    });
  });

  it("saves nothing for a closed month, an unknown rank or a month the bonus already starts in", async () => {
    const tenant = await networkTenant();
    await insertAgent(tenant.id, null);
    expect(await close(tenant.id)).toMatchObject({ ok: true });
    const save = (input: BonusRuleInput) => withTenant(tenant.id, (db) => saveBonusVersion(db, input, { userId: null }));
    expect(await save(bonus({ kind: "performance", thresholdMinor: 0, amountMinor: 1 }))).toEqual({
      ok: false,
      fieldErrors: { effectiveFrom: ["That month is closed: choose a later month."] },
    });
    expect(
      await save(
        bonus({ kind: "team", effectiveFrom: "2026-11-01", rankId: "00000000-0000-4000-8000-000000000000", levels: 1, rateBp: 1 }),
      ),
    ).toEqual({ ok: false, fieldErrors: { rankId: ["Choose a rank."] } });
    const first = await save(bonus({ kind: "performance", effectiveFrom: "2026-11-01", thresholdMinor: 0, amountMinor: 1 }));
    if (!first.ok) throw new Error("first");
    const seriesId = (await withTenant(tenant.id, (db) =>
      db.selectFrom("commission_bonus_rules").select("series_id").executeTakeFirstOrThrow(),
    ))!.series_id;
    expect(
      await save(bonus({ kind: "performance", seriesId, effectiveFrom: "2026-11-01", thresholdMinor: 0, amountMinor: 2 })),
    ).toMatchObject({
      ok: false,
      fieldErrors: { effectiveFrom: [expect.stringContaining("already starts")] },
    });
    expect(await withTenant(tenant.id, (db) => db.selectFrom("commission_bonus_rules").select("id").execute())).toHaveLength(1);
  });
});

describe("the bonuses page", () => {
  it("answers field errors and saves nothing for bad input; adds ranks, gives one to an agent, and saves a bonus", async () => {
    const tenant = await networkTenant();
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(tenant), admin.email);
    const agent = await insertAgent(tenant.id, null);
    const empty = await browser.get("/admin/commissions/bonuses");
    expect(empty.status).toBe(200);
    expect(empty.text).toContain("No ranks yet.");

    const bad = await browser.post("/admin/commissions/bonuses", {
      intent: "bonus",
      name: "Star",
      kind: "performance",
      effectiveFrom: "2027-01",
      threshold: "-5",
      pays: "fixed",
      amount: "-1",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("The threshold cannot be negative.");
    expect(bad.text).toContain("The amount cannot be negative.");
    const team = await browser.post("/admin/commissions/bonuses", {
      intent: "bonus",
      name: "Team",
      kind: "team",
      effectiveFrom: "2027-01",
      levels: "11",
      rate: "150",
    });
    expect(team.status).toBe(400);
    expect(team.text).toContain("Enter a whole number of levels from 1 to 10.");
    expect(team.text).toContain("A rate is at most 100%.");
    expect(await ownerDb().selectFrom("commission_bonus_rules").select("id").where("tenant_id", "=", tenant.id).execute()).toEqual([]);

    expect(
      (await browser.post("/admin/commissions/bonuses", { intent: "rank", code: "bad code!", name: "Leader", position: "1" })).status,
    ).toBe(400);
    expect(
      (await browser.post("/admin/commissions/bonuses", { intent: "rank", code: "Leader", name: "Team Leader", position: "1" })).status,
    ).toBe(302);
    const twice = await browser.post("/admin/commissions/bonuses", { intent: "rank", code: "leader", name: "Again", position: "2" });
    expect(twice.text).toContain("Another rank has this code.");
    const rank = await ownerDb()
      .selectFrom("agent_ranks")
      .select(["id", "code"])
      .where("tenant_id", "=", tenant.id)
      .executeTakeFirstOrThrow();
    expect(rank.code).toBe("leader");

    expect((await browser.post(`/admin/agents/${agent}`, { intent: "rank", rankId: "not-a-rank" })).status).toBe(400);
    expect((await browser.post(`/admin/agents/${agent}`, { intent: "rank", rankId: rank.id })).status).toBe(302);
    expect((await ownerDb().selectFrom("agents").select("rank_id").where("id", "=", agent).executeTakeFirstOrThrow()).rank_id).toBe(
      rank.id,
    );
    const held = await browser.post("/admin/commissions/bonuses", { intent: "removeRank", rankId: rank.id });
    expect(held.status).toBe(409);

    const saved = await browser.post("/admin/commissions/bonuses", {
      intent: "bonus",
      name: "Team",
      kind: "team",
      effectiveFrom: "2027-01",
      rankId: rank.id,
      levels: "3",
      rate: "2.5",
    });
    expect(saved.status).toBe(302);
    const page = await browser.get("/admin/commissions/bonuses");
    expect(page.text).toContain("2.5% of the downline");
  });
});

import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createUser } from "../support/db";
import { hostOf, signIn, textOf } from "./accounts-support";
import { parseCsv } from "./admin-payments-fixtures";
import { addAgent } from "./network-support";
import { clawbackRefund } from "~/modules/commissions/clawback.server";
import { closeMonth, previewClose } from "~/modules/commissions/close.server";
import {
  entriesOf,
  insertChain,
  insertRules,
  insertSale,
  KL,
  networkTenant,
  product,
  record,
  setStatus,
  TENANT_CONTEXT,
  tiers,
  completedRefund,
} from "./commissions-support";

/**
 * Issue 16, running caps (decision 011): an earning over the agent's monthly cap for its rule is
 * written at what is left of the cap, the rest withheld with the reason, so the ledger, portal and
 * statements agree at every moment; the month pays exactly what the close-time cap used to leave.
 */

const NOW = new Date("2026-11-21T04:00:00Z");
const at = (month: number, day: number, hour = 4) => new Date(Date.UTC(2026, month - 1, day, hour));

async function earnings(tenantId: string, agentId: string) {
  return withTenant(tenantId, (db) =>
    db
      .selectFrom("commission_entries as e")
      .innerJoin("transactions as t", "t.id", "e.transaction_id")
      .select(["e.id", "e.kind", "e.amount_minor", "e.withheld_minor", "e.withheld_reason", "e.month", "t.completed_at"])
      .where("e.agent_id", "=", agentId)
      .orderBy("t.completed_at")
      .orderBy("e.kind", "desc")
      .execute(),
  );
}

async function usage(tenantId: string, agentId: string) {
  return withTenant(tenantId, (db) =>
    db.selectFrom("commission_cap_usage").select(["month", "paid_minor"]).where("agent_id", "=", agentId).orderBy("month").execute(),
  );
}

describe("running caps", () => {
  it("writes the earning that reaches the cap at what is left and withholds the rest, from that moment on", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00, capMinor: 25_00 }, { fixedMinor: 2_00 }));
    const [seller, sponsor] = await insertChain(tenant.id, 2);
    const sales = [];
    for (const day of [3, 12, 25, 27])
      sales.push(await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, day) }));

    // Before the third sale is recorded the agent has earned 20 and sees 20: nothing is over.
    await record(tenant.id, [sales[0]!.transactionId, sales[1]!.transactionId]);
    expect((await earnings(tenant.id, seller!)).map((e) => [e.amount_minor, e.withheld_minor])).toEqual([
      [10_00, null],
      [10_00, null],
    ]);
    // The third reaches the cap: 5 paid, 5 withheld; the fourth is withheld whole.
    await record(tenant.id, [sales[2]!.transactionId]);
    await record(tenant.id, [sales[3]!.transactionId]);
    expect((await earnings(tenant.id, seller!)).map((e) => [e.amount_minor, e.withheld_minor, e.withheld_reason])).toEqual([
      [10_00, null, null],
      [10_00, null, null],
      [5_00, 5_00, "cap"],
      [0, 10_00, "cap"],
    ]);
    expect(await usage(tenant.id, seller!)).toEqual([{ month: "2026-09-01", paid_minor: 25_00 }]);
    // The uncapped tier is untouched.
    expect((await earnings(tenant.id, sponsor!)).map((e) => e.amount_minor)).toEqual([2_00, 2_00, 2_00, 2_00]);

    // The close's preview reports what the cap took; the close writes no correcting entry and pays 25.
    const before = await withTenant(tenant.id, (db) => previewClose(db, { month: "2026-09-01", ...TENANT_CONTEXT }, NOW));
    expect(before.capCuts).toEqual([expect.objectContaining({ agentId: seller, earnedMinor: 40_00, capMinor: 25_00, cutMinor: 15_00 })]);
    expect(before.payouts).toEqual(expect.arrayContaining([expect.objectContaining({ agentId: seller, payableMinor: 25_00 })]));
    const closed = await withTenant(tenant.id, (db) => closeMonth(db, { month: "2026-09-01", actorUserId: null, ...TENANT_CONTEXT }, NOW));
    expect(closed).toMatchObject({ ok: true });
    expect((await entriesOf(tenant.id)).filter((e) => e.kind === "cap")).toEqual([]);
    const statement = await withTenant(tenant.id, (db) =>
      db.selectFrom("commission_statements").select(["earned_minor"]).where("agent_id", "=", seller!).executeTakeFirstOrThrow(),
    );
    expect(statement.earned_minor).toBe(25_00);

    // A new month starts a new cap.
    const october = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(10, 2) });
    await record(tenant.id, [october.transactionId]);
    expect((await earnings(tenant.id, seller!)).at(-1)).toMatchObject({ amount_minor: 10_00, withheld_minor: null, month: "2026-10-01" });
  });

  it("pays exactly the close-time cap whatever the order and concurrency of the payments, and a second worker writes nothing", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    // A rate with a cap that falls mid-payment: amounts that do not divide the cap.
    await insertRules(tenant.id, productId, "annual", tiers({ rateBp: 1111, capMinor: 100_00 }, { rateBp: 222, capMinor: 15_00 }));
    const [seller, sponsor] = await insertChain(tenant.id, 2);
    const amounts = [150_00, 270_00, 99_99, 310_00, 120_50, 88_00, 415_00, 60_00, 199_00, 250_00, 73_33, 330_00];
    const sales = [];
    for (const [i, amountMinor] of amounts.entries())
      sales.push(await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor, at: at(9, 1 + i, 3) }));
    const earnedT1 = amounts.reduce((sum, a) => sum + Math.round((a * 1111) / 10000), 0);
    const earnedT2 = amounts.reduce((sum, a) => sum + Math.round((a * 222) / 10000), 0);
    expect(earnedT1).toBeGreaterThan(100_00);
    expect(earnedT2).toBeGreaterThan(15_00);

    // Racing workers: every payment's job at once, each payment twice, in a shuffled order, plus a
    // backfill of the whole month on its own connection.
    const jobs = [...sales, ...sales].map((s) => s.transactionId).sort(() => Math.random() - 0.5);
    await Promise.all([
      ...jobs.map((id) => record(tenant.id, [id])),
      record(
        tenant.id,
        sales.slice(3, 9).map((s) => s.transactionId),
      ),
    ]);

    for (const [agentId, earned, cap] of [
      [seller!, earnedT1, 100_00],
      [sponsor!, earnedT2, 15_00],
    ] as const) {
      const rows = await earnings(tenant.id, agentId);
      expect(rows).toHaveLength(amounts.length);
      const paid = rows.reduce((sum, e) => sum + e.amount_minor, 0);
      const withheld = rows.reduce((sum, e) => sum + (e.withheld_minor ?? 0), 0);
      expect(paid).toBe(Math.min(earned, cap));
      expect(paid + withheld).toBe(earned);
      expect(rows.every((e) => e.amount_minor >= 0)).toBe(true);
      expect(await usage(tenant.id, agentId)).toEqual([{ month: "2026-09-01", paid_minor: paid }]);
    }
    // Once more, everything: nothing new.
    expect(
      await record(
        tenant.id,
        sales.map((s) => s.transactionId),
      ),
    ).toBe(0);
  });

  it("never claws back more than a capped earning paid", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00, capMinor: 25_00 }));
    const [seller] = await insertChain(tenant.id, 1);
    const sales = [];
    for (const day of [3, 12, 25])
      sales.push(await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, day) }));
    await record(
      tenant.id,
      sales.map((s) => s.transactionId),
    );
    // The third sale earned 10 but paid 5: refunding it in full takes back 5, not 10.
    const refundId = await completedRefund(tenant.id, sales[2]!.transactionId, 150_00, at(9, 28));
    expect(await withTenant(tenant.id, (db) => clawbackRefund(db, refundId, KL))).toBe(1);
    const rows = await earnings(tenant.id, seller!);
    expect(rows.filter((e) => e.kind === "clawback").map((e) => e.amount_minor)).toEqual([-5_00]);
    expect(rows.reduce((sum, e) => sum + e.amount_minor, 0)).toBe(20_00);
  });

  it("caps the agent a compressed chain moved into the tier, and says both why the share moved and what the cap kept", async () => {
    const tenant = await networkTenant({ unqualifiedShare: "compress" });
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00 }, { fixedMinor: 4_00, capMinor: 10_00 }));
    const [seller, suspended, above] = await insertChain(tenant.id, 3);
    await setStatus(tenant.id, suspended!, "suspended");
    const sales = [];
    for (const day of [3, 4, 5])
      sales.push(await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, day) }));
    await record(
      tenant.id,
      sales.map((s) => s.transactionId),
    );
    const rows = await withTenant(tenant.id, (db) =>
      db
        .selectFrom("commission_entries")
        .select(["amount_minor", "withheld_minor", "passed_from_agent_id", "moved_reason"])
        .where("agent_id", "=", above!)
        .orderBy("earned_at")
        .execute(),
    );
    expect(rows.map((r) => [r.amount_minor, r.withheld_minor, r.passed_from_agent_id, r.moved_reason])).toEqual([
      [4_00, null, suspended, "inactive"],
      [4_00, null, suspended, "inactive"],
      [2_00, 2_00, suspended, "inactive"],
    ]);
  });

  it("shows the agent and the back office what the cap withheld, on the page and in the CSV", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers({ fixedMinor: 10_00, capMinor: 15_00 }));
    const seller = await addAgent(tenant.id, { name: "Chong Seller" });
    for (const day of [3, 4]) {
      const sale = await insertSale(tenant.id, {
        agentId: seller.id,
        productId,
        frequency: "monthly",
        amountMinor: 100_00,
        at: at(9, day),
      });
      await record(tenant.id, [sale.transactionId]);
    }
    const csvRows = (body: string) => {
      const [header, ...rows] = parseCsv(body.replace(/^\uFEFF/, ""));
      return rows
        .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])))
        .sort((a, b) => Number(b["Amount"]) - Number(a["Amount"]));
    };

    const admin = await signIn(hostOf(tenant), (await createUser(tenant.id, { roles: ["admin"] })).email);
    expect(textOf((await admin.get("/admin/commissions")).text)).toContain("RM 5.00 withheld: monthly cap reached");
    const ledger = csvRows((await admin.get("/admin/commissions.csv")).text);
    expect(ledger.map((r) => [r["Amount"], r["Withheld by cap"]])).toEqual([
      ["10.00", ""],
      ["5.00", "5.00"],
    ]);

    const agent = await signIn(hostOf(tenant), seller.email);
    expect(textOf((await agent.get("/agent/commissions")).text)).toContain("RM 5.00 withheld: you reached this rule's monthly cap");
    const mine = csvRows((await agent.get("/agent/commissions.csv")).text);
    expect(mine.map((r) => [r["Amount"], r["Withheld by cap"]])).toEqual([
      ["10.00", ""],
      ["5.00", "5.00"],
    ]);
  });
});

import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { closeCommissionMonthTenantTask } from "~/jobs/commissions";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { quoteDateIn } from "~/modules/rating/dates";
import { clawbackRefund } from "~/modules/commissions/clawback.server";
import { closeMonth, payBatch, payoutCsv, previewClose } from "~/modules/commissions/close.server";
import { tellPayoutsPaid } from "~/modules/commissions/payout-notices.server";
import { adjustDispute, disputeThread, openDispute, rejectDispute } from "~/modules/commissions/disputes.server";
import { encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { createUser, eventually, ownerDb } from "../support/db";
import {
  entriesOf,
  entriesForTransaction,
  insertChain,
  insertRules,
  insertSale,
  KL,
  networkTenant,
  product,
  record,
  TENANT_CONTEXT,
  tiers,
  completedRefund,
} from "./commissions-support";

const NOW = new Date("2026-11-21T04:00:00Z");
const at = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day, 4));

function close(tenantId: string, month: string, now = NOW) {
  return withTenant(tenantId, (db) => closeMonth(db, { month, actorUserId: null, ...TENANT_CONTEXT }, now));
}
function preview(tenantId: string, month: string) {
  return withTenant(tenantId, (db) => previewClose(db, { month, ...TENANT_CONTEXT }, NOW));
}

async function giveBankAccount(tenantId: string, agentId: string, account = "5140 1234 5678") {
  const key = piiKeysFromEnv();
  await withTenant(tenantId, (db) =>
    db
      .updateTable("agents")
      .set({
        bank_name: "Maybank",
        bank_account_holder: "Test Agent",
        bank_account_ciphertext: encryptPii(account.replace(/\s/g, ""), { key, context: piiContext(tenantId, "bank_account") }),
        bank_account_masked: "********5678",
      })
      .where("id", "=", agentId)
      .execute(),
  );
}

describe("the monthly close", () => {
  it("reports a cap reached mid-month, approves, writes statements and one payout batch, and closes once", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00, capMinor: 25_00 }, { fixedMinor: 2_00 }));
    const [seller, sponsor] = await insertChain(tenant.id, 2);
    await giveBankAccount(tenant.id, seller!);
    const sales = [];
    for (const day of [3, 12, 25])
      sales.push(await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, day) }));
    await record(
      tenant.id,
      sales.map((s) => s.transactionId),
    );

    const before = await preview(tenant.id, "2026-09-01");
    // The cap bit as the third sale was written (running caps): 5 of its 10 were withheld.
    expect(before).toMatchObject({ closed: false, canClose: true, counts: { pending: 6 }, earnedMinor: 31_00 });
    expect(before.capCuts).toEqual([expect.objectContaining({ agentId: seller, earnedMinor: 30_00, capMinor: 25_00, cutMinor: 5_00 })]);
    expect(before.payouts).toEqual([
      expect.objectContaining({ agentId: seller, payableMinor: 25_00, held: null }),
      expect.objectContaining({ agentId: sponsor, payableMinor: 6_00, held: "No bank details" }),
    ]);
    expect(before.payoutTotalMinor).toBe(25_00);

    expect(await close(tenant.id, "2026-11-01")).toEqual({
      ok: false,
      reason: "November 2026 has not ended yet. Close September 2026 first.",
      blockers: [
        { code: "not_ended", month: "2026-11-01" },
        { code: "close_earlier", month: "2026-09-01" },
      ],
    });
    const closed = await close(tenant.id, "2026-09-01");
    expect(closed).toEqual({ ok: true, statements: 2, payouts: 1, totalMinor: 25_00, batchId: expect.any(String) });
    expect(await close(tenant.id, "2026-09-01")).toEqual({
      ok: false,
      reason: "September 2026 is already closed.",
      blockers: [{ code: "closed", month: "2026-09-01" }],
    });

    const entries = await entriesOf(tenant.id);
    expect(entries.filter((e) => e.kind === "cap")).toEqual([]);
    expect(entries.every((e) => e.status === "approved")).toBe(true);
    const statements = await withTenant(tenant.id, (db) =>
      db
        .selectFrom("commission_statements")
        .select(["agent_id", "earned_minor", "payable_minor", "entries_count"])
        .orderBy("earned_minor", "desc")
        .execute(),
    );
    expect(statements).toEqual([
      { agent_id: seller, earned_minor: 25_00, payable_minor: 25_00, entries_count: 3 },
      { agent_id: sponsor, earned_minor: 6_00, payable_minor: 6_00, entries_count: 3 },
    ]);
    const after = await preview(tenant.id, "2026-09-01");
    expect(after).toMatchObject({
      closed: true,
      canClose: false,
      payoutsCount: 1,
      payoutTotalMinor: 25_00,
      batch: { status: "open", totalMinor: 25_00 },
    });

    // The bank file carries the account number in full; paying the batch pays its entries, once.
    const csv = await withTenant(tenant.id, (db) => payoutCsv(db, { batchId: closed.ok ? closed.batchId! : "", tenantId: tenant.id }));
    expect(csv![1]).toEqual([
      "PAY-2026-09-" + csv![1]![1],
      csv![1]![1],
      expect.any(String),
      "Maybank",
      "Test Agent",
      "514012345678",
      "25.00",
      "MYR",
    ]);
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const batchId = closed.ok ? closed.batchId! : "";
    const unpaid = (await entriesOf(tenant.id)).filter((e) => e.agentId === seller);
    expect(unpaid.map((e) => e.status)).toEqual(["approved", "approved", "approved"]);
    // Paying the batch pays its entries in the same instant: their state is the batch's (decision 011).
    expect(await withTenant(tenant.id, (db) => payBatch(db, { batchId, actorUserId: admin.id }))).toEqual({ ok: true, payouts: 1 });
    expect(await withTenant(tenant.id, (db) => payBatch(db, { batchId, actorUserId: admin.id }))).toEqual({
      ok: false,
      reason: "This batch is already marked paid.",
    });
    const paid = (await entriesOf(tenant.id)).filter((e) => e.agentId === seller);
    expect(paid.every((e) => e.status === "paid")).toBe(true);
    // The sponsor, without bank details, is carried to the next close.
    expect((await entriesOf(tenant.id)).filter((e) => e.agentId === sponsor).every((e) => e.status === "approved")).toBe(true);

    // The paid agent hears of it once, by email and in the app, however often the notices run (the job runs them too).
    await tellPayoutsPaid(tenant.id, batchId, "https://agency.test");
    expect(await tellPayoutsPaid(tenant.id, batchId, "https://agency.test")).toBe(1);
    const told = await eventually(async () => {
      const rows = await ownerDb()
        .selectFrom("messages")
        .select(["channel", "body_text"])
        .where("tenant_id", "=", tenant.id)
        .where("event", "=", "payout_paid")
        .orderBy("channel")
        .execute();
      return rows.length ? rows : undefined;
    });
    expect(told.map((m) => m.channel)).toEqual(["email", "in_app"]);
    expect(told[0]!.body_text).toContain("25.00");
    expect(told[0]!.body_text).toContain("PAY-2026-09");
  });

  it("lands entries of a payment made after its month closed in the next open month", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00 }));
    const [seller] = await insertChain(tenant.id, 1);
    expect(await close(tenant.id, "2026-09-01")).toMatchObject({ ok: true, statements: 0, payouts: 0 });
    const late = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, 30) });
    await record(tenant.id, [late.transactionId]);
    expect((await entriesForTransaction(tenant.id, late.transactionId)).map((e) => e.month)).toEqual(["2026-10-01"]);
    // Months close in order.
    const novemberSale = await insertSale(tenant.id, {
      agentId: seller!,
      productId,
      frequency: "annual",
      amountMinor: 150_00,
      at: at(11, 2),
    });
    await record(tenant.id, [novemberSale.transactionId]);
    expect(await close(tenant.id, "2026-11-01", new Date("2026-12-02T04:00:00Z"))).toEqual({
      ok: false,
      reason: "Close October 2026 first.",
      blockers: [{ code: "close_earlier", month: "2026-10-01" }],
    });
  });

  it("claws back a refund made after the month closed in the next month, netting it against the next payout", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1111, 222));
    const [seller, sponsor] = await insertChain(tenant.id, 2);
    await giveBankAccount(tenant.id, seller!);
    await giveBankAccount(tenant.id, sponsor!);
    const sale = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "monthly", amountMinor: 150_00, at: at(9, 10) });
    await record(tenant.id, [sale.transactionId]);
    expect(await close(tenant.id, "2026-09-01")).toMatchObject({ ok: true, payouts: 2, totalMinor: 16_67 + 3_33 });

    // Two half refunds in October take back exactly what one full refund would.
    const first = await completedRefund(tenant.id, sale.transactionId, 75_00, at(10, 5));
    expect(await withTenant(tenant.id, (db) => clawbackRefund(db, first, KL))).toBe(2);
    expect(await withTenant(tenant.id, (db) => clawbackRefund(db, first, KL))).toBe(0);
    const second = await completedRefund(tenant.id, sale.transactionId, 75_00, at(10, 6));
    await withTenant(tenant.id, (db) => clawbackRefund(db, second, KL));
    const clawbacks = (await entriesForTransaction(tenant.id, sale.transactionId)).filter((e) => e.kind === "clawback");
    // Which refund's entry carries the odd cent is not an order the ledger promises: compare as sets.
    expect(clawbacks.map((e) => [e.agentId, e.amountMinor, e.month])).toEqual(
      expect.arrayContaining([
        [seller, -8_34, "2026-10-01"],
        [seller, -8_33, "2026-10-01"],
        [sponsor, -1_67, "2026-10-01"],
        [sponsor, -1_66, "2026-10-01"],
      ]),
    );
    expect(clawbacks).toHaveLength(4);
    // October: nothing earned, everything clawed back → negative balances carried, no payout.
    const october = await preview(tenant.id, "2026-10-01");
    expect(october.payouts.map((p) => [p.agentId, p.payableMinor, p.held])).toEqual(
      expect.arrayContaining([
        [seller, -16_67, "Balance not positive: carried to the next month"],
        [sponsor, -3_33, "Balance not positive: carried to the next month"],
      ]),
    );
    expect(await close(tenant.id, "2026-10-01")).toMatchObject({ ok: true, payouts: 0, batchId: null });
  });

  it("reverses only a declined policy's entries when its refund names the policy", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00 }));
    const [seller] = await insertChain(tenant.id, 1);
    const sale = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(11, 2) });
    await record(tenant.id, [sale.transactionId]);
    const refundId = await completedRefund(tenant.id, sale.transactionId, 10_00, at(11, 3));
    await withTenant(tenant.id, (db) => clawbackRefund(db, refundId, KL));
    // A 10-ringgit partial refund of 150 takes back 10/150 of RM10.
    expect((await entriesForTransaction(tenant.id, sale.transactionId)).map((e) => e.amountMinor)).toEqual([-67, 10_00]);
  });
});

/** A seller with bank details and two September sales of RM10 commission each, recorded; their user and a staff member. */
async function twoSalesOfOneSeller() {
  const tenant = await networkTenant();
  const productId = await product(tenant.id);
  await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00 }));
  const [seller] = await insertChain(tenant.id, 1);
  await giveBankAccount(tenant.id, seller!);
  const agentUser = await withTenant(tenant.id, (db) =>
    db.selectFrom("agents").select("user_id").where("id", "=", seller!).executeTakeFirstOrThrow(),
  );
  const staff = await createUser(tenant.id, { roles: ["staff"] });
  const a = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, 2) });
  const b = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, 3) });
  await record(tenant.id, [a.transactionId, b.transactionId]);
  return { tenant, seller: seller!, agentUser, staff, a, b };
}

describe("disputes", () => {
  it("holds a disputed entry out of the close; an adjustment replaces it in the next month, a rejection lets it stand", async () => {
    const { tenant, seller, agentUser, staff, a, b } = await twoSalesOfOneSeller();
    const [other] = await insertChain(tenant.id, 1);
    const entryOf = (txId: string) =>
      withTenant(tenant.id, (db) =>
        db.selectFrom("commission_entries").select("id").where("transaction_id", "=", txId).executeTakeFirstOrThrow(),
      );
    const entryA = (await entryOf(a.transactionId)).id;
    const entryB = (await entryOf(b.transactionId)).id;

    const dispute = (entryId: string, agentId = seller!) =>
      withTenant(tenant.id, (db) =>
        openDispute(db, { entryId, agentId, userId: agentUser.user_id, reason: "The sale was RM180, not RM150" }),
      );
    expect(await dispute(entryA, other!)).toEqual({ ok: false, reason: "There is no such commission entry." });
    const opened = await dispute(entryA);
    expect(opened).toEqual({ ok: true, disputeId: expect.any(String) });
    expect(await dispute(entryA)).toEqual({ ok: false, reason: "This commission is already disputed." });
    const openedB = await dispute(entryB);

    expect(await close(tenant.id, "2026-09-01")).toMatchObject({ ok: true, payouts: 0 });
    const adjusted = await withTenant(tenant.id, (db) =>
      adjustDispute(db, {
        disputeId: opened.ok ? opened.disputeId : "",
        userId: staff.id,
        resolution: "Corrected to the RM12 rate",
        correctedAmountMinor: 12_00,
      }),
    );
    expect(adjusted).toEqual({ ok: true, adjustingEntryId: expect.any(String) });
    expect(
      await withTenant(tenant.id, (db) =>
        rejectDispute(db, { disputeId: openedB.ok ? openedB.disputeId : "", userId: staff.id, resolution: "The rule pays RM10 flat" }),
      ),
    ).toEqual({ ok: true });

    const thread = await withTenant(tenant.id, (db) => disputeThread(db, opened.ok ? opened.disputeId : ""));
    expect(thread).toMatchObject({ status: "adjusted", entry: { status: "adjusted" }, adjustingEntry: { amountMinor: 12_00 } });
    expect(thread!.messages.map((m) => [m.authorIsAgent, m.body])).toEqual([
      [true, "The sale was RM180, not RM150"],
      [false, "Corrected to the RM12 rate"],
    ]);
    const entries = await entriesOf(tenant.id);
    expect(entries.find((e) => e.kind === "adjustment")).toMatchObject({ amountMinor: 12_00, month: "2026-10-01", status: "pending" });
    // October's close pays the adjustment and the entry that stood: RM12 + RM10.
    expect(await close(tenant.id, "2026-10-01")).toMatchObject({ ok: true, payouts: 1, totalMinor: 22_00 });
  });

  it("holds an entry disputed at the close back from its month's payout and pays it in the next one once the dispute is rejected", async () => {
    const { tenant, seller, agentUser, staff, a, b } = await twoSalesOfOneSeller();
    const state = (txId: string) =>
      withTenant(tenant.id, (db) =>
        db
          .selectFrom("commission_entry_states")
          .select(["id", "status", "payout_id"])
          .where("transaction_id", "=", txId)
          .executeTakeFirstOrThrow(),
      );
    const entryA = await state(a.transactionId);
    const opened = await withTenant(tenant.id, (db) =>
      openDispute(db, { entryId: entryA.id, agentId: seller!, userId: agentUser.user_id, reason: "The sale was RM180, not RM150" }),
    );
    if (!opened.ok) throw new Error(opened.reason);

    // September pays B alone; A, under dispute, is held back from that payout.
    const september = await close(tenant.id, "2026-09-01");
    expect(september).toMatchObject({ ok: true, payouts: 1, totalMinor: 10_00 });
    const payBy = async (batchId: string) => withTenant(tenant.id, (db) => payBatch(db, { batchId, actorUserId: staff.id }));
    await payBy(september.ok ? september.batchId! : "");
    expect(await state(b.transactionId)).toMatchObject({ status: "paid", payout_id: expect.any(String) });
    expect(await state(a.transactionId)).toEqual({ id: entryA.id, status: "disputed", payout_id: null });
    // Paid entries cannot be disputed; nor can an entry twice.
    const bId = (await state(b.transactionId)).id;
    expect(
      await withTenant(tenant.id, (db) =>
        openDispute(db, { entryId: bId, agentId: seller!, userId: agentUser.user_id, reason: "Paid twice?" }),
      ),
    ).toEqual({ ok: false, reason: "This commission is already in a payout batch; contact the office about it." });

    // Rejected in October: A stands, approved and unpaid, until October's close pays it.
    await withTenant(tenant.id, (db) =>
      rejectDispute(db, { disputeId: opened.disputeId, userId: staff.id, resolution: "The rule pays RM10 flat" }),
    );
    expect(await state(a.transactionId)).toEqual({ id: entryA.id, status: "approved", payout_id: null });
    expect(
      await withTenant(tenant.id, (db) =>
        openDispute(db, { entryId: entryA.id, agentId: seller!, userId: agentUser.user_id, reason: "Again, please" }),
      ),
    ).toEqual({ ok: false, reason: "This commission was disputed before and the dispute is resolved; contact the office about it." });
    const october = await close(tenant.id, "2026-10-01");
    expect(october).toMatchObject({ ok: true, payouts: 1, totalMinor: 10_00 });
    const inOctober = await state(a.transactionId);
    expect(inOctober.status).toBe("approved");
    expect(inOctober.payout_id).not.toBe((await state(b.transactionId)).payout_id);
    await payBy(october.ok ? october.batchId! : "");
    expect(await state(a.transactionId)).toMatchObject({ status: "paid", payout_id: inOctober.payout_id });
    // November has nothing left to pay: nothing is paid twice.
    const november = await close(tenant.id, "2026-11-01", new Date("2026-12-02T04:00:00Z"));
    expect(november).toMatchObject({ ok: true, payouts: 0, totalMinor: 0 });
  });

  it("refuses to edit a ledger entry's amount or delete it", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00 }));
    const [seller] = await insertChain(tenant.id, 1);
    const sale = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: at(9, 2) });
    await record(tenant.id, [sale.transactionId]);
    await expect(
      withTenant(tenant.id, (db) => db.updateTable("commission_entries").set({ amount_minor: 99_00 }).execute()),
    ).rejects.toThrow(/append-only/);
    await expect(withTenant(tenant.id, (db) => db.deleteFrom("commission_entries").execute())).rejects.toThrow(/append-only/);
  });
});

describe("the hourly close job", () => {
  const helpers = { logger: { info: () => {} } } as unknown as Parameters<typeof closeCommissionMonthTenantTask>[1];
  const now = new Date();
  const lastMonth = addMonthsTo(monthOf(now, KL), -1);
  const monthBefore = addMonthsTo(lastMonth, -1);
  const midMonth = (month: string) => new Date(`${month.slice(0, 7)}-15T04:00:00Z`);

  async function salesInTheLastTwoMonths() {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "annual", tiers({ fixedMinor: 10_00 }));
    const [seller] = await insertChain(tenant.id, 1);
    const sales = [];
    for (const month of [monthBefore, lastMonth])
      sales.push(
        await insertSale(tenant.id, { agentId: seller!, productId, frequency: "annual", amountMinor: 150_00, at: midMonth(month) }),
      );
    await record(
      tenant.id,
      sales.map((s) => s.transactionId),
    );
    return tenant;
  }

  const closedMonths = (tenantId: string) =>
    withTenant(tenantId, async (db) =>
      (
        await db
          .selectFrom("commission_months")
          .select(sql<string>`to_char(month, 'YYYY-MM-DD')`.as("month"))
          .orderBy("month")
          .execute()
      ).map((m) => m.month),
    );

  it("closes every ended month with pending entries, oldest first, once", async () => {
    const tenant = await salesInTheLastTwoMonths();
    await closeCommissionMonthTenantTask({ tenantId: tenant.id }, helpers);
    expect(await closedMonths(tenant.id)).toEqual([monthBefore, lastMonth]);
    await closeCommissionMonthTenantTask({ tenantId: tenant.id }, helpers);
    expect(await closedMonths(tenant.id)).toEqual([monthBefore, lastMonth]);
    expect((await entriesOf(tenant.id)).every((e) => e.status === "approved")).toBe(true);
  });

  it("leaves the months alone when the agency closes by hand, or before its close day", async () => {
    const byHand = await salesInTheLastTwoMonths();
    await withTenant(byHand.id, (db) => db.updateTable("network_settings").set({ auto_close: false }).execute());
    await closeCommissionMonthTenantTask({ tenantId: byHand.id }, helpers);
    expect(await closedMonths(byHand.id)).toEqual([]);

    const later = await salesInTheLastTwoMonths();
    const today = Number(quoteDateIn(KL, now).slice(8, 10));
    if (today < 28) {
      await withTenant(later.id, (db) =>
        db
          .updateTable("network_settings")
          .set({ close_day: today + 1 })
          .execute(),
      );
      await closeCommissionMonthTenantTask({ tenantId: later.id }, helpers);
      expect(await closedMonths(later.id)).toEqual([]);
    }
  });
});

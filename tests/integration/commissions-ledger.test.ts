import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTenant, type TenantDb } from "~db/client";
import { cancelScheduledVersion, saveRules, type VersionStart } from "~/modules/commissions/rules.server";
import { moveAgent } from "~/modules/network/upline.server";
import {
  entriesForTransaction,
  insertAgent,
  insertChain,
  insertRules,
  insertSale,
  KL,
  networkTenant,
  product,
  record,
  setStatus,
  setUnqualifiedShare,
  tiers,
} from "./commissions-support";

const SEPT = (day: number, hourUtc = 4) => new Date(Date.UTC(2026, 8, day, hourUtc));
const HIBAH = tiers(1111, 222, 222, 111, 83);

describe("the commission ledger", () => {
  it("pays ten tiers up a chain deeper than ten, and nobody beyond the tenth", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000, 900, 800, 700, 600, 500, 400, 300, 200, 100));
    const chain = await insertChain(tenant.id, 12);
    const sale = await insertSale(tenant.id, { agentId: chain[0]!, productId, frequency: "monthly", amountMinor: 100_00, at: SEPT(10) });
    await record(tenant.id, [sale.transactionId]);
    const entries = await entriesForTransaction(tenant.id, sale.transactionId);
    expect(entries.map((e) => [e.tier, e.amountMinor])).toEqual([
      [1, 10_00],
      [2, 9_00],
      [3, 8_00],
      [4, 7_00],
      [5, 6_00],
      [6, 5_00],
      [7, 4_00],
      [8, 3_00],
      [9, 2_00],
      [10, 1_00],
    ]);
    expect(entries.map((e) => e.agentId)).toEqual(chain.slice(0, 10));
  });

  it("pays only the tiers the tenant's setting allows", async () => {
    const tenant = await networkTenant({ tiers: 3 });
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", HIBAH);
    const chain = await insertChain(tenant.id, 6);
    const sale = await insertSale(tenant.id, { agentId: chain[0]!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(10) });
    await record(tenant.id, [sale.transactionId]);
    expect((await entriesForTransaction(tenant.id, sale.transactionId)).map((e) => e.amountMinor)).toEqual([16_67, 3_33, 3_33]);
  });

  it("skips an inactive upline's share, or passes it to the next qualified upline, as the tenant chooses", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", HIBAH);
    const chain = await insertChain(tenant.id, 6);
    await setStatus(tenant.id, chain[1]!, "suspended");

    const skipped = await insertSale(tenant.id, { agentId: chain[0]!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(10) });
    await record(tenant.id, [skipped.transactionId]);
    const skip = await entriesForTransaction(tenant.id, skipped.transactionId);
    expect(skip.map((e) => [e.tier, e.agentId, e.amountMinor])).toEqual([
      [1, chain[0], 16_67],
      [3, chain[2], 3_33],
      [4, chain[3], 1_67],
      [5, chain[4], 1_25],
    ]);

    await setUnqualifiedShare(tenant.id, "pass_up");
    const passed = await insertSale(tenant.id, { agentId: chain[0]!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(11) });
    await record(tenant.id, [passed.transactionId]);
    const pass = await entriesForTransaction(tenant.id, passed.transactionId);
    expect(pass.map((e) => [e.tier, e.agentId, e.amountMinor, e.passedFrom])).toEqual([
      [1, chain[0], 16_67, null],
      [2, chain[2], 3_33, chain[1]],
      [3, chain[2], 3_33, null],
      [4, chain[3], 1_67, null],
      [5, chain[4], 1_25, null],
    ]);
  });

  it("pays an upline who needs personal sales only once they have made them in the month (both settings)", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1111, { rateBp: 222, minPersonalSales: 1 }, 222));
    const [seller, sponsor, top] = await insertChain(tenant.id, 3);

    const before = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(5) });
    await record(tenant.id, [before.transactionId]);
    expect((await entriesForTransaction(tenant.id, before.transactionId)).map((e) => [e.tier, e.agentId])).toEqual([
      [1, seller],
      [3, top],
    ]);

    await setUnqualifiedShare(tenant.id, "pass_up");
    const passed = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(6) });
    await record(tenant.id, [passed.transactionId]);
    // The top agent qualifies for tier 2's rule? It needs one personal sale too: nobody does, so it is not paid.
    expect((await entriesForTransaction(tenant.id, passed.transactionId)).map((e) => [e.tier, e.agentId])).toEqual([
      [1, seller],
      [3, top],
    ]);

    // The sponsor sells on the 7th; from then on they earn tier 2 on their recruit's sales.
    await insertSale(tenant.id, { agentId: sponsor!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(7) });
    const after = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(8) });
    await record(tenant.id, [after.transactionId]);
    expect((await entriesForTransaction(tenant.id, after.transactionId)).map((e) => [e.tier, e.agentId, e.passedFrom])).toEqual([
      [1, seller, null],
      [2, sponsor, null],
      [3, top, null],
    ]);
    // Qualification is counted in the month: a sale in October starts from nothing again.
    const october = await insertSale(tenant.id, {
      agentId: seller!,
      productId,
      frequency: "monthly",
      amountMinor: 150_00,
      at: new Date("2026-10-02T04:00:00Z"),
    });
    await setUnqualifiedShare(tenant.id, "skip");
    await record(tenant.id, [october.transactionId]);
    expect((await entriesForTransaction(tenant.id, october.transactionId)).map((e) => e.tier)).toEqual([1, 3]);
  });

  it("passes a share up to a qualified upline when the unqualified one needs sales the top agent has", async () => {
    const tenant = await networkTenant({ unqualifiedShare: "pass_up" });
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000, { rateBp: 500, minPersonalSales: 1 }));
    const [seller, sponsor, top] = await insertChain(tenant.id, 3);
    await insertSale(tenant.id, { agentId: top!, productId, frequency: "monthly", amountMinor: 100_00, at: SEPT(1) });
    const sale = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "monthly", amountMinor: 100_00, at: SEPT(2) });
    await record(tenant.id, [sale.transactionId]);
    expect(
      (await entriesForTransaction(tenant.id, sale.transactionId)).map((e) => [e.tier, e.agentId, e.amountMinor, e.passedFrom]),
    ).toEqual([
      [1, seller, 10_00, null],
      [2, top, 5_00, sponsor],
    ]);
  });

  it("keeps old payments on the rules they were earned under when the rules change mid-month", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000, 500), "2026-01-01");
    await insertRules(tenant.id, productId, "monthly", tiers(2000), "2026-09-15");
    const [seller, sponsor] = await insertChain(tenant.id, 2);
    // 23:30 on the 14th in Kuala Lumpur is still the old rules' day (15:30 UTC).
    const old = await insertSale(tenant.id, {
      agentId: seller!,
      productId,
      frequency: "monthly",
      amountMinor: 100_00,
      at: new Date("2026-09-14T15:30:00Z"),
    });
    const late = await insertSale(tenant.id, {
      agentId: seller!,
      productId,
      frequency: "monthly",
      amountMinor: 100_00,
      at: new Date("2026-09-14T16:30:00Z"),
    });
    await record(tenant.id, [late.transactionId, old.transactionId]);
    expect((await entriesForTransaction(tenant.id, old.transactionId)).map((e) => [e.agentId, e.amountMinor])).toEqual([
      [seller, 10_00],
      [sponsor, 5_00],
    ]);
    expect((await entriesForTransaction(tenant.id, late.transactionId)).map((e) => [e.agentId, e.amountMinor])).toEqual([[seller, 20_00]]);
  });

  it("starts a version now or later, replaces what was scheduled after it, and never changes one that has started", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000, 500));
    const save = (start: VersionStart, list = tiers(1200, 600, 100), replaces?: string) =>
      withTenant(tenant.id, (db) => saveRules(db, { productId, frequency: "monthly", start, tiers: list, actorUserId: null, replaces }));
    const at = (local: string): VersionStart => ({ kind: "at", local, timeZone: KL });
    const versions = () =>
      withTenant(tenant.id, (db) =>
        db
          .selectFrom("commission_rule_versions as v")
          .leftJoin("commission_rules as r", "r.version_id", "v.id")
          .select([
            "v.id",
            "v.effective_at",
            sql<number[]>`coalesce(array_agg(r.rate_bp order by r.tier) filter (where r.id is not null), '{}')`.as("rates"),
          ])
          .groupBy(["v.id", "v.effective_at"])
          .orderBy("v.effective_at")
          .execute(),
      );

    expect(await save(at("2020-06-01T09:00"))).toEqual({ ok: false, field: "start", message: expect.stringMatching(/passed/) });
    const december = await save(at("2099-12-01T09:00"));
    expect(december).toMatchObject({ ok: true, created: 3, withdrawn: 0, effectiveAt: new Date("2099-12-01T01:00:00Z") });
    if (!december.ok) throw new Error("not saved");
    // Another version at the same instant is refused (that version is changed, never overwritten by
    // accident); changing it at the same instant replaces it, and so does changing it to another time.
    expect(await save(at("2099-12-01T09:00"), tiers(1300))).toMatchObject({
      ok: false,
      field: "start",
      message: expect.stringMatching(/already starts/),
    });
    expect(await save(at("2099-12-01T09:00"), tiers(1300), december.versionId)).toMatchObject({ ok: true, created: 1, withdrawn: 1 });
    const [, scheduled] = await versions();
    expect(await save(at("2099-12-05T00:00"), tiers(1400), scheduled!.id)).toMatchObject({ ok: true, withdrawn: 1 });
    expect((await versions()).map((v) => [v.effective_at.toISOString(), v.rates])).toEqual([
      ["2025-12-31T16:00:00.000Z", [1000, 500]],
      ["2099-12-04T16:00:00.000Z", [1400]],
    ]);

    // From now: the version in force stays as it was; everything scheduled after now is withdrawn.
    const before = Date.now();
    const now = await save({ kind: "now" }, []);
    expect(now).toMatchObject({ ok: true, created: 0, withdrawn: 1 });
    if (!now.ok) throw new Error("not saved");
    expect(now.effectiveAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await versions()).map((v) => v.rates)).toEqual([[1000, 500], []]);

    // The database keeps history as it was: a version that has started, or its tiers, cannot change.
    const [first] = await versions();
    const refused = (work: (db: TenantDb) => Promise<unknown>) =>
      withTenant(tenant.id, work).then(
        () => "changed",
        (e: Error) => e.message,
      );
    expect(await refused((db) => db.deleteFrom("commission_rules").where("version_id", "=", first!.id).execute())).toMatch(/has started/);
    expect(await refused((db) => db.deleteFrom("commission_rule_versions").where("id", "=", first!.id).execute())).toMatch(/has started/);
    expect(
      await refused((db) => db.updateTable("commission_rules").set({ rate_bp: 1 }).where("version_id", "=", first!.id).execute()),
    ).toMatch(/append-only/);
    expect(
      await refused((db) =>
        db
          .insertInto("commission_rules")
          .values({ version_id: first!.id, product_id: productId, frequency: "monthly", tier: 3, kind: "percent", rate_bp: 100 })
          .execute(),
      ),
    ).toMatch(/has started/);
    expect(await save(at("2099-01-01T00:00"), tiers(900), first!.id)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/has started/),
    });

    // A scheduled version can be cancelled; the one before it stays in force.
    const later = await save(at("2099-01-01T00:00"), tiers(900));
    if (!later.ok) throw new Error("not saved");
    expect(await withTenant(tenant.id, (db) => cancelScheduledVersion(db, { productId, versionId: later.versionId }))).toMatchObject({
      ok: true,
    });
    expect((await versions()).map((v) => v.rates)).toEqual([[1000, 500], []]);
    expect(await withTenant(tenant.id, (db) => cancelScheduledVersion(db, { productId, versionId: first!.id }))).toEqual({
      ok: false,
      message: expect.stringMatching(/has started/),
    });
  });

  it("writes one set of entries however often, and however concurrently, a payment is processed", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", HIBAH);
    const chain = await insertChain(tenant.id, 5);
    const sale = await insertSale(tenant.id, { agentId: chain[0]!, productId, frequency: "monthly", amountMinor: 150_00, at: SEPT(10) });
    const counts = await Promise.all([1, 2, 3, 4].map(() => record(tenant.id, [sale.transactionId])));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(await record(tenant.id, [sale.transactionId])).toBe(0);
    expect(await entriesForTransaction(tenant.id, sale.transactionId)).toHaveLength(5);
  });

  it("credits later sales to the new upline after a move; entries already earned stay where they were", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000, 500, 250));
    const [seller, oldSponsor, oldTop] = await insertChain(tenant.id, 3);
    const newSponsor = await insertAgent(tenant.id, null);
    const first = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "monthly", amountMinor: 100_00, at: SEPT(3) });
    await record(tenant.id, [first.transactionId]);

    const moved = await withTenant(tenant.id, (db) =>
      moveAgent(db, { agentId: seller!, newSponsorId: newSponsor, reason: "Asked to join Aminah's team", actorUserId: null }),
    );
    expect(moved).toEqual({ ok: true });
    const second = await insertSale(tenant.id, { agentId: seller!, productId, frequency: "monthly", amountMinor: 100_00, at: SEPT(4) });
    await record(tenant.id, [second.transactionId]);

    expect((await entriesForTransaction(tenant.id, first.transactionId)).map((e) => e.agentId)).toEqual([seller, oldSponsor, oldTop]);
    expect((await entriesForTransaction(tenant.id, second.transactionId)).map((e) => e.agentId)).toEqual([seller, newSponsor]);
  });

  it("refuses a move that would make a loop", async () => {
    const tenant = await networkTenant();
    const [bottom, middle, top] = await insertChain(tenant.id, 3);
    const move = (agentId: string, newSponsorId: string) =>
      withTenant(tenant.id, (db) => moveAgent(db, { agentId, newSponsorId, reason: "test", actorUserId: null }));
    expect(await move(top!, bottom!)).toEqual({ ok: false, reason: expect.stringMatching(/loop/) });
    expect(await move(top!, middle!)).toEqual({ ok: false, reason: expect.stringMatching(/loop/) });
    expect(await move(middle!, middle!)).toEqual({ ok: false, reason: expect.stringMatching(/themselves/) });
  });

  it("takes the premium out of a payment that carries levies, and pays nothing for a sale no agent made", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000));
    const [seller] = await insertChain(tenant.id, 1);
    const levied = await insertSale(tenant.id, {
      agentId: seller!,
      productId,
      frequency: "monthly",
      amountMinor: 100_00,
      leviesMinor: 6_00,
      at: SEPT(3),
    });
    const direct = await insertSale(tenant.id, { agentId: null, productId, frequency: "monthly", amountMinor: 100_00, at: SEPT(3) });
    await record(tenant.id, [levied.transactionId, direct.transactionId]);
    expect((await entriesForTransaction(tenant.id, levied.transactionId)).map((e) => e.amountMinor)).toEqual([10_00]);
    expect(await entriesForTransaction(tenant.id, direct.transactionId)).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { wallClockIn } from "~/lib/dates";
import { clawbackRefund } from "~/modules/commissions/clawback.server";
import { lockRuleVersions, saveRules } from "~/modules/commissions/rules.server";
import { createUser, eventually, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { insertProduct } from "./admin-payments-fixtures";
import {
  entriesForTransaction,
  insertChain,
  insertRules,
  insertSale,
  KL,
  networkTenant,
  record,
  seenOf,
  tierFields,
  tiers,
} from "./commissions-support";

/**
 * A rule version takes effect at an instant (the save, or a scheduled time), and a payment is paid
 * by the version in force at the instant it completed — whenever its ledger job runs: after a
 * worker backlog, a retry or a backfill, a rate saved meanwhile must not reach back (issue 11).
 */
const HIBAH = JSON.parse(readFileSync("tenants/khholdings/catalogue.json", "utf8")).products.find(
  (p: { slug: string }) => p.slug === "hibah-senior-care-gold-270",
) as { name: string; rating: unknown };

const text = (html: string) => textOf(html).replace(/\u00a0/g, " ");
const MINUTE = 60_000;

/** The editor's fields for percentage tiers ("12", "2.22" …), as the browser posts them. */
const percentTiers = (...rates: string[]) => tierFields(rates.map((rate) => ({ kind: "percent" as const, rate })));

/** A KHHoldings-like agency: Hibah Gold 270 at 11.11/2.22/2.22/1.11/0.83% since 2020, a five-deep chain, an admin signed in. */
async function hibahAgency() {
  const tenant = await networkTenant();
  const admin = await createUser(tenant.id, { roles: ["admin"] });
  const productId = (await insertProduct(tenant.id, { name: HIBAH.name })).id;
  await ownerDb()
    .updateTable("products")
    .set({ rating: JSON.stringify(HIBAH.rating) })
    .where("id", "=", productId)
    .execute();
  await insertRules(tenant.id, productId, "monthly", tiers(1111, 222, 222, 111, 83), "2020-01-01");
  const chain = await insertChain(tenant.id, 5);
  const browser = await signIn(hostOf(tenant), admin.email);
  const sale = (at: Date) => insertSale(tenant.id, { agentId: chain[0]!, productId, frequency: "monthly", amountMinor: 150_00, at });
  const amounts = async (transactionId: string) => (await entriesForTransaction(tenant.id, transactionId)).map((e) => e.amountMinor);
  return { tenant, productId, chain, browser, sale, amounts };
}

/** A save from the editor as the admin sees it now (its `seen` read from the page, unless given). */
const save = async (browser: Browser, productId: string, fields: Record<string, string>) =>
  browser.post(`/admin/commission-rules/${productId}`, {
    intent: "save",
    frequency: "monthly",
    seen: fields.seen ?? (await seenOf(browser, productId)),
    ...fields,
  });

describe("a rule change and a payment whose ledger job runs late", () => {
  it("pays the payment at the rate in force when it completed, not the one saved before its job ran", async () => {
    const { tenant, productId, browser, sale, amounts } = await hibahAgency();

    // A RM150 monthly sale completes; its ledger job is held back (nothing is queued here).
    const early = await sale(new Date(Date.now() - 2 * MINUTE));

    // Meanwhile an admin raises tier 1 from 11.11% to 12%, from now on.
    const saved = await save(browser, productId, { start: "now", ...percentTiers("12", "2.22", "2.22", "1.11", "0.83") });
    expect(saved.status).toBe(302);
    const late = await sale(new Date());

    // The job is released: the payment made before the change keeps 11.11%; one made after earns 12%.
    await record(tenant.id, [early.transactionId, late.transactionId]);
    expect(await amounts(early.transactionId)).toEqual([16_67, 3_33, 3_33, 1_67, 1_25]);
    expect(await amounts(late.transactionId)).toEqual([18_00, 3_33, 3_33, 1_67, 1_25]);

    // Refunded, the early payment takes back exactly what it earned, at the rate it was earned at.
    const refundId = await withTenant(tenant.id, async (db) => {
      const refund = await db
        .insertInto("refunds")
        .values({
          transaction_id: early.transactionId,
          amount_minor: 150_00,
          reason: "Cooling-off",
          status: "completed",
          completed_at: new Date(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .updateTable("transactions")
        .set({ status: "refunded", refunded_minor: 150_00 })
        .where("id", "=", early.transactionId)
        .execute();
      return refund.id;
    });
    expect(await withTenant(tenant.id, (db) => clawbackRefund(db, refundId, KL))).toBe(5);
    const clawbacks = (await entriesForTransaction(tenant.id, early.transactionId)).filter((e) => e.kind === "clawback");
    expect(clawbacks.map((e) => e.amountMinor)).toEqual([-16_67, -3_33, -3_33, -1_67, -1_25]);
  });

  it("pays by a scheduled version only from its instant, previews it beside the one in force, and cancels one before it starts", async () => {
    const { tenant, productId, browser, sale, amounts } = await hibahAgency();
    // The next whole minute but one, in Kuala Lumpur (UTC+8, no daylight saving).
    const local = wallClockIn(KL, new Date(Date.now() + 2 * MINUTE));
    const startsAt = new Date(`${local}:00+08:00`);
    const scheduled = await save(browser, productId, {
      start: "later",
      startsAt: local,
      ...percentTiers("12", "2.22", "2.22", "1.11", "0.83"),
    });
    expect(scheduled.status, text(scheduled.text).slice(0, 400)).toBe(302);

    const page = text((await browser.get(`/admin/commission-rules/${productId}?frequency=monthly`)).text);
    expect(page).toContain("In force now · Monthly T1 11.11%");
    expect(page).toMatch(
      /pays T1 RM 16\.67, T2 RM 3\.33, T3 RM 3\.33, T4 RM 1\.67, T5 RM 1\.25\..*Scheduled from .*pays T1 RM 18\.00, T2 RM 3\.33/,
    );
    expect(page).toMatch(/T1 12% · T2 2\.22% .*Scheduled.*T1 11\.11% · T2 2\.22% .*In force/);

    // Payments completed before the instant keep 11.11%, from it on 12%, in whatever order the jobs run.
    const now = await sale(new Date());
    const justBefore = await sale(new Date(startsAt.getTime() - 1));
    const atTheInstant = await sale(startsAt);
    const after = await sale(new Date(startsAt.getTime() + MINUTE));
    await record(tenant.id, [after.transactionId, atTheInstant.transactionId, justBefore.transactionId, now.transactionId]);
    expect(await amounts(now.transactionId)).toEqual([16_67, 3_33, 3_33, 1_67, 1_25]);
    expect(await amounts(justBefore.transactionId)).toEqual([16_67, 3_33, 3_33, 1_67, 1_25]);
    expect(await amounts(atTheInstant.transactionId)).toEqual([18_00, 3_33, 3_33, 1_67, 1_25]);
    expect(await amounts(after.transactionId)).toEqual([18_00, 3_33, 3_33, 1_67, 1_25]);

    // A version scheduled for the next day can be changed or cancelled until it starts.
    const tomorrow = wallClockIn(KL, new Date(startsAt.getTime() + 24 * 60 * MINUTE));
    expect((await save(browser, productId, { start: "later", startsAt: tomorrow, ...percentTiers("13") })).status).toBe(302);
    const [next] = await ownerDb()
      .selectFrom("commission_rule_versions")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("effective_at", "=", new Date(`${tomorrow}:00+08:00`))
      .execute();
    const change = text((await browser.get(`/admin/commission-rules/${productId}?frequency=monthly&change=${next!.id}`)).text);
    expect(change).toContain("Change the version scheduled from");
    const cancelled = await browser.post(`/admin/commission-rules/${productId}`, { intent: "cancel", versionId: next!.id });
    expect(cancelled.status).toBe(302);
    expect(cancelled.location).toBe(`/admin/commission-rules/${productId}?frequency=monthly&cancelled=1`);
    expect(await auditRows(tenant.id, "commission.rules_cancelled", productId)).toHaveLength(1);
    const later = await sale(new Date(startsAt.getTime() + 25 * 60 * MINUTE));
    await record(tenant.id, [later.transactionId]);
    expect(await amounts(later.transactionId)).toEqual([18_00, 3_33, 3_33, 1_67, 1_25]);

    // Once a version has been earned under, it is history: it can be neither cancelled nor replaced.
    const [earned] = await ownerDb()
      .selectFrom("commission_rule_versions")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("effective_at", "=", startsAt)
      .execute();
    const refused = await browser.post(`/admin/commission-rules/${productId}`, { intent: "cancel", versionId: earned!.id });
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain("That version has started: it is history now");
  });

  it("starts a version saved now only once the ledger runs in flight are done, so none of them can have missed it", async () => {
    const tenant = await networkTenant();
    const productId = (await insertProduct(tenant.id, { name: HIBAH.name })).id;
    await insertRules(tenant.id, productId, "monthly", tiers(1111), "2020-01-01");

    // A ledger run in flight holds the lock as recordCommissions does, until the test lets it finish.
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const ledger = withTenant(tenant.id, async (db) => {
      await lockRuleVersions(db, "ledger");
      holding();
      await finished;
      return (await sql<{ at: string }>`select clock_timestamp()::text as at`.execute(db)).rows[0]!.at;
    });
    await held;

    // An admin saves "now" meanwhile: the save waits for the run (its connection is seen waiting on the lock) …
    let savingPid = 0;
    const saving = withTenant(tenant.id, async (db) => {
      savingPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
      return saveRules(db, { productId, frequency: "monthly", start: { kind: "now" }, tiers: tiers(1200), actorUserId: null });
    });
    await eventually(async () => {
      const waiting = await sql<{ pid: number }>`
        select pid from pg_stat_activity where pid = ${savingPid} and wait_event_type = 'Lock' and wait_event = 'advisory'
      `.execute(ownerDb());
      return waiting.rows.length > 0;
    });
    finish();
    const ledgerDone = await ledger;
    const saved = await saving;
    if (!saved.ok) throw new Error(saved.message);

    // … and its version starts after the run ended: payments that run paid all completed before it.
    const starts = await sql<{ later: boolean }>`
      select effective_at > ${ledgerDone}::timestamptz as later from commission_rule_versions where id = ${saved.versionId}
    `.execute(ownerDb());
    expect(starts.rows).toEqual([{ later: true }]);
  });
});

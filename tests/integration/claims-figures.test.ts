/**
 * Claims figures over real HTTP (issue 12 item 9), against a small dataset whose numbers are worked
 * out by hand below: open claims by stage and age, time to settle, the claims ratio (claims paid over
 * premium earned, pro rata of the annual premium over the days of cover) and rejection reasons, on
 * the page and in the CSV files, in the agency's time zone (Nairobi, UTC+3).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { Browser } from "../support/http";
import { textOf } from "./accounts-support";
import { browsersFor, claimsAgency, fileTestClaim, type ClaimsAgency } from "./claims-office-fixtures";
import { insertPolicy } from "./customer-policies-fixtures";

const DAY = 86_400_000;
const PERIOD = "from=2026-01-01&to=2026-03-31";

let f: ClaimsAgency;
let as: Record<"manager" | "assessor", Browser>;

/*
 * Premium earned, 1 Jan – 31 Mar 2026 (KES; 1 day of cover = annual premium / 365):
 *   P1 motor, 1 Jan – 31 Dec, KES 365,000 a year (1,000/day):       Jan 31,000  Feb 28,000  Mar 31,000
 *   P3 motor, same, lapsed on 1 Feb (cover to 31 Jan):                Jan 31,000
 *   P5 motor, same, cancelled on 10 Jan (cover to 10 Jan):            Jan 10,000
 *   P4 motor, declined (never issued):                                 —
 *   P2 medical, 15 Feb 2026 – 14 Feb 2027, KES 730,000 (2,000/day):               Feb 28,000  Mar 62,000
 * Claims paid (settlements paid, by the day in Nairobi):
 *   motor KES 14,000 on 10 Feb; medical KES 31,000 at 23:30 on 31 Mar;
 *   not counted: KES 9,999.99 at 01:00 on 1 Apr (still 31 Mar in UTC), a pending one in Feb.
 * Ratios: motor Jan 0.0%, Feb 50.0%, Mar 0.0%, period 14,000/131,000 = 10.7%;
 *         medical Jan —, Feb 0.0%, Mar 50.0%, period 31,000/90,000 = 34.4%;
 *         all 45,000/221,000 = 20.4%.
 * Settled in the period: a motor claim in 10 days, a medical one in 5 (mean 7.5).
 * Rejected in the period: [not_covered, waiting_period] and [not_covered]; one in April is not counted.
 * Open now: two at Assessment (filed today and 10 days ago), one at Decision (filed 40 days ago).
 */
beforeAll(async () => {
  f = await claimsAgency();
  const motor = f.policy.policyId;
  const medical = f.policy2.policyId;
  const p3 = await insertPolicy(f.tenant.id, f.customer.id, { startDate: "2026-01-01", status: "lapsed" });
  const p4 = await insertPolicy(f.tenant.id, f.customer.id, { status: "declined" });
  const p5 = await insertPolicy(f.tenant.id, f.customer.id, { startDate: "2026-01-01", status: "cancelled" });
  await withTenant(f.tenant.id, async (db) => {
    await db
      .updateTable("policies")
      .set({ annual_premium_minor: 36_500_000, start_date: "2026-01-01", end_date: "2026-12-31" })
      .where("id", "in", [motor, p3.policyId, p4.policyId, p5.policyId])
      .execute();
    await db.updateTable("policies").set({ start_date: null, end_date: null }).where("id", "=", p4.policyId).execute();
    await db.updateTable("policies").set({ lapsed_on: "2026-02-01" }).where("id", "=", p3.policyId).execute();
    await db
      .updateTable("policies")
      .set({ annual_premium_minor: 73_000_000, start_date: "2026-02-15", end_date: "2027-02-14" })
      .where("id", "=", medical)
      .execute();
    await db
      .insertInto("state_changes")
      .values({
        entity: "policy",
        entity_id: p5.policyId,
        from_state: "active",
        to_state: "cancelled",
        event: "cancel",
        created_at: new Date("2026-01-10T12:00:00+03:00"),
      })
      .execute();
  });

  const claim = (policyId: string, filedAt: Date) =>
    fileTestClaim(f.tenant.id, { policyId, claimantUserId: policyId === medical ? f.customer2.id : f.customer.id, filedAt });
  const settledMotor = await claim(motor, new Date("2026-02-01T00:00:00+03:00"));
  const settledMedical = await claim(medical, new Date("2026-03-01T12:00:00+03:00"));
  const settledLate = await claim(medical, new Date("2026-03-20T12:00:00+03:00"));
  const pending = await claim(motor, new Date("2026-02-02T12:00:00+03:00"));
  const rejected1 = await claim(motor, new Date("2026-01-20T12:00:00+03:00"));
  const rejected2 = await claim(medical, new Date("2026-03-01T12:00:00+03:00"));
  const rejectedLate = await claim(motor, new Date("2026-03-25T12:00:00+03:00"));
  await claim(motor, new Date());
  await claim(medical, new Date(Date.now() - 10 * DAY));
  const atDecision = await claim(motor, new Date(Date.now() - 40 * DAY));

  await withTenant(f.tenant.id, async (db) => {
    const settle = async (claimId: string, reference: string, amount: number, paidAt: string, status: "paid" | "pending" = "paid") => {
      await db.updateTable("claims").set({ status: "settled" }).where("id", "=", claimId).execute();
      await db
        .insertInto("claim_settlements")
        .values({
          claim_id: claimId,
          reference,
          method: "manual",
          amount_minor: amount,
          currency: "KES",
          status,
          payee_name: "Payee",
          paid_at: status === "paid" ? new Date(paidAt) : null,
        })
        .execute();
    };
    await settle(settledMotor.id, "SET-1", 1_400_000, "2026-02-10T10:00:00+03:00");
    await settle(settledMedical.id, "SET-2", 3_100_000, "2026-03-31T23:30:00+03:00");
    await settle(settledLate.id, "SET-3", 999_999, "2026-04-01T01:00:00+03:00");
    await settle(pending.id, "SET-4", 500_000, "2026-02-12T10:00:00+03:00", "pending");
    const settledAt = (claimId: string, at: string) =>
      db
        .insertInto("state_changes")
        .values({
          entity: "claim",
          entity_id: claimId,
          from_state: "approved",
          to_state: "settled",
          event: "settle",
          created_at: new Date(at),
        })
        .execute();
    await settledAt(settledMotor.id, "2026-02-11T00:00:00+03:00");
    await settledAt(settledMedical.id, "2026-03-06T12:00:00+03:00");
    await settledAt(settledLate.id, "2026-04-02T12:00:00+03:00");

    const reject = (claimId: string, codes: string[], at: string) =>
      db
        .updateTable("claims")
        .set({ status: "rejected", decision: "rejected", reason_codes: codes, decided_at: new Date(at) })
        .where("id", "=", claimId)
        .execute();
    await reject(rejected1.id, ["not_covered", "waiting_period"], "2026-02-05T10:00:00+03:00");
    await reject(rejected2.id, ["not_covered"], "2026-03-10T10:00:00+03:00");
    await reject(rejectedLate.id, ["misrepresentation"], "2026-04-05T10:00:00+03:00");

    await db.updateTable("claims").set({ status: "assessment_complete" }).where("id", "=", atDecision.id).execute();
    await db
      .updateTable("workflow_instances")
      .set({ current_stage: "decision" })
      .where("subject", "=", "claim")
      .where("subject_id", "=", atDecision.id)
      .execute();
  });
  as = await browsersFor(f.tenant.host, { manager: f.manager, assessor: f.assessor });
});

async function csv(query: string) {
  const res = await as.manager.get(`/admin/claims/figures.csv?${query}`);
  expect(res.status, res.text).toBe(200);
  expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
  expect(res.text.startsWith("\uFEFF")).toBe(true);
  return res.text.slice(1).split("\r\n").filter(Boolean);
}

describe("claims figures", () => {
  it("shows the hand-computed figures on the page", async () => {
    const res = await as.manager.get(`/admin/claims/figures?${PERIOD}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Over the period: 20.4%");
    expect(text).toMatch(/Motor Comprehensive Ksh 14,000\.00 Ksh 131,000\.00 10\.7%/);
    expect(text).toMatch(/Family Medical Ksh 31,000\.00 Ksh 90,000\.00 34\.4%/);
    expect(text).toContain("7.5 days on average from filing to settlement, over 2 claims settled in the period.");
    expect(text).toContain("2 claims rejected in the period.");
    expect(text).toMatch(/Assessment 1 0 1 0 0 2/);
    expect(text).toMatch(/Decision 0 0 0 0 1 1/);
  });

  it("gives the claims ratio by product and month as CSV", async () => {
    expect(await csv(`table=ratio&${PERIOD}`)).toEqual([
      "Product,Month,Claims paid (KES),Premium earned (KES),Claims ratio (%)",
      "Family Medical,2026-01,0.00,0.00,",
      "Family Medical,2026-02,0.00,28000.00,0.0",
      "Family Medical,2026-03,31000.00,62000.00,50.0",
      "Family Medical,Period,31000.00,90000.00,34.4",
      "Motor Comprehensive,2026-01,0.00,72000.00,0.0",
      "Motor Comprehensive,2026-02,14000.00,28000.00,50.0",
      "Motor Comprehensive,2026-03,0.00,31000.00,0.0",
      "Motor Comprehensive,Period,14000.00,131000.00,10.7",
      "All products,Period,45000.00,221000.00,20.4",
    ]);
  });

  it("gives open claims by stage and age, time to settle and rejection reasons as CSV", async () => {
    expect(await csv(`table=open&${PERIOD}`)).toEqual([
      "Stage,0–2 days,3–7 days,8–14 days,15–30 days,Over 30 days,Total",
      "Assessment,1,0,1,0,0,2",
      "Decision,0,0,0,0,1,1",
    ]);
    expect(await csv(`table=settle&${PERIOD}`)).toEqual([
      "Product,Claims settled,Average days from filing to settlement",
      "Family Medical,1,5.0",
      "Motor Comprehensive,1,10.0",
      "All products,2,7.5",
    ]);
    expect(await csv(`table=reasons&${PERIOD}`)).toEqual([
      "Reason,Code,Claims",
      "Not covered by the policy,not_covered,2",
      "Within the waiting period,waiting_period,1",
      "Claims rejected,,2",
    ]);
  });

  it("narrows every figure to a product or a category", async () => {
    expect(await csv(`table=reasons&${PERIOD}&product=family-medical`)).toEqual([
      "Reason,Code,Claims",
      "Not covered by the policy,not_covered,1",
      "Claims rejected,,1",
    ]);
    expect(await csv(`table=open&${PERIOD}&category=motor`)).toEqual([
      "Stage,0–2 days,3–7 days,8–14 days,15–30 days,Over 30 days,Total",
      "Assessment,1,0,0,0,0,1",
      "Decision,0,0,0,0,1,1",
    ]);
    const ratio = await csv(`table=ratio&${PERIOD}&category=medical`);
    expect(ratio.at(-1)).toBe("All products,Period,31000.00,90000.00,34.4");
    const none = textOf((await as.manager.get(`/admin/claims/figures?${PERIOD}&category=travel`)).text);
    expect(none).toContain("No open claims.");
    expect(none).toContain("No claim was settled in this period.");
  });

  it("refuses a CSV of a table it does not have or a filter it cannot read, before any byte", async () => {
    const table = await as.manager.get(`/admin/claims/figures.csv?table=everything&${PERIOD}`);
    expect(table.status).toBe(400);
    expect(table.text).toContain("This export was not started.");
    const date = await as.manager.get("/admin/claims/figures.csv?table=ratio&from=2026-02-30");
    expect(date.status).toBe(400);
    expect(date.text).toContain("From: Enter a date like 2026-06-01.");
    const page = await as.manager.get("/admin/claims/figures?from=yesterday");
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Part of this search was ignored");
    const far = await as.manager.get("/admin/claims/figures?from=0100-01-01&to=9999-12-31");
    expect(far.status).toBe(200);
    expect(textOf(far.text)).toContain("Enter a date between 2000 and 2099.");
    const long = await as.manager.get("/admin/claims/figures?from=2020-01-01&to=2026-06-30");
    expect(textOf(long.text)).toContain("at most 36 months are shown, so the period starts on 2023-07-01");
  });

  it("is the claims managers' and admins' page, not the assessors'", async () => {
    expect((await as.assessor.get(`/admin/claims/figures?${PERIOD}`)).status).toBe(403);
    expect((await as.assessor.get(`/admin/claims/figures.csv?table=ratio&${PERIOD}`)).status).toBe(403);
  });
});

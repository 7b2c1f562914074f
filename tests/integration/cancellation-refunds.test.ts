/**
 * What a cancellation returns, to the cent, for each kind of product the demo agencies sell (their
 * own catalogues, tenants/*): within the free look, pro rata mid-term, by a short-rate scale, and
 * with a claim paid taken off. Dates are chosen by the test (`on`), never today's.
 *
 * Pro rata: unearned = term premium × days left (both ends counted) ÷ days in the term, rounded
 * half-up once (decision 027); the refund is what was paid less what was earned.
 */
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { quoteCancellation } from "~/modules/cancellations/quote.server";
import { createUser } from "../support/db";
import { bowmanStore, issuedPolicy, paidClaim, setLifecycle } from "./cancellations-support";
import { memberTenant } from "./members-support";

const quote = (tenant: { id: string; timeZone: string }, policyId: string, on: string) =>
  withTenant(tenant.id, async (db) => {
    const q = await quoteCancellation(db, tenant, policyId, { on });
    if (!q.ok) throw new Error(q.message);
    return q.quote;
  });

describe("cancellation refunds by product", () => {
  it("motor, paid annually: everything in the free look, then pro rata, then less a paid claim", async () => {
    const tenant = await bowmanStore();
    const user = await createUser(tenant.id);
    // KES 45,000.00 for 1 Mar 2026 – 28 Feb 2027 (365 days), issued 1 Mar: free look to 15 Mar.
    const policy = await issuedPolicy(tenant, {
      userId: user.id,
      productSlug: "savannah-private-comprehensive",
      frequency: "annual",
      start: "2026-03-01",
      firstMinor: 4_500_000,
    });

    const inFreeLook = await quote(tenant, policy.policyId, "2026-03-15");
    expect(inFreeLook).toMatchObject({
      method: "free_look",
      paidMinor: 4_500_000,
      earnedMinor: 0,
      returnMinor: 4_500_000,
      freeLookEndsOn: "2026-03-15",
    });
    expect(inFreeLook.refunds).toEqual([
      expect.objectContaining({ transactionId: policy.transactionIds[0], amountMinor: 4_500_000, byAgency: false }),
    ]);

    // 1 Sep: 181 days left (Sep 30 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28) → 4,500,000 × 181 / 365 = 2,231,506.85 → 2,231,507.
    const midTerm = await quote(tenant, policy.policyId, "2026-09-01");
    expect(midTerm).toMatchObject({
      method: "pro_rata",
      termPremiumMinor: 4_500_000,
      earnedMinor: 2_268_493,
      returnMinor: 2_231_507,
      daysInForce: 184,
      termDays: 365,
    });
    expect((await quote(tenant, policy.policyId, "2026-03-16")).method).toBe("pro_rata");

    await paidClaim(tenant.id, policy.policyId, user.id, 1_000_000, "2026-06-01");
    expect(await quote(tenant, policy.policyId, "2026-09-01")).toMatchObject({ claimsPaidMinor: 1_000_000, returnMinor: 1_231_507 });
    // A claim larger than the unearned premium leaves nothing to return, never less.
    await paidClaim(tenant.id, policy.policyId, user.id, 2_000_000, "2026-07-01");
    expect(await quote(tenant, policy.policyId, "2026-09-01")).toMatchObject({ claimsPaidMinor: 3_000_000, returnMinor: 0, refunds: [] });
  });

  it("motor on a short-rate scale keeps the insurer's share for the days in force", async () => {
    const tenant = await bowmanStore();
    const user = await createUser(tenant.id);
    await setLifecycle(tenant.id, "savannah-private-comprehensive", {
      refundMethod: "short_rate",
      // Out of order on purpose: the scale is read ascending.
      shortRate: [
        { upToDays: 270, retainedBp: 8000 },
        { upToDays: 30, retainedBp: 2000 },
        { upToDays: 90, retainedBp: 4000 },
        { upToDays: 180, retainedBp: 6000 },
      ],
    });
    const policy = await issuedPolicy(tenant, {
      userId: user.id,
      productSlug: "savannah-private-comprehensive",
      frequency: "annual",
      start: "2026-03-01",
      firstMinor: 4_500_000,
    });
    // 184 days in force → the 270-day step: 80% of 4,500,000 kept = 3,600,000; 900,000 back.
    expect(await quote(tenant, policy.policyId, "2026-09-01")).toMatchObject({
      method: "short_rate",
      retainedBp: 8000,
      earnedMinor: 3_600_000,
      returnMinor: 900_000,
    });
    // 60 days in force → the 90-day step: 40% kept.
    expect(await quote(tenant, policy.policyId, "2026-04-30")).toMatchObject({
      method: "short_rate",
      retainedBp: 4000,
      earnedMinor: 1_800_000,
      returnMinor: 2_700_000,
    });
    // Past the last step: the insurer keeps everything.
    expect(await quote(tenant, policy.policyId, "2027-01-01")).toMatchObject({
      method: "short_rate",
      earnedMinor: 4_500_000,
      returnMinor: 0,
    });
  });

  it("medical paid monthly: what was paid less the premium earned so far, from the newest payment", async () => {
    const tenant = await bowmanStore();
    const user = await createUser(tenant.id);
    // 15 Jan 2026 – 14 Jan 2027; KES 12,500.50 first (stamp duty on it), then KES 12,500.00 a month; three paid.
    const policy = await issuedPolicy(tenant, {
      userId: user.id,
      productSlug: "zawadi-family-health",
      frequency: "monthly",
      start: "2026-01-15",
      firstMinor: 1_250_050,
      laterMinor: 1_250_000,
      paid: 3,
    });
    // Term premium 1,250,050 + 11 × 1,250,000 = 15,000,050; paid 3,750,050. 20 Mar: 301 days left
    // (12 in March, then 30 31 30 31 31 30 31 30 31, and 14 in January) → 15,000,050 × 301 / 365 =
    // 12,369,904.04 → 12,369,904 unearned; earned 2,630,146; back 3,750,050 − 2,630,146 = 1,119,904.
    const q = await quote(tenant, policy.policyId, "2026-03-20");
    expect(q).toMatchObject({
      method: "pro_rata",
      termPremiumMinor: 15_000_050,
      paidMinor: 3_750_050,
      earnedMinor: 2_630_146,
      returnMinor: 1_119_904,
    });
    // All of it from the newest payment (the third instalment's), which has 1,250,000 to give.
    expect(q.refunds).toEqual([expect.objectContaining({ transactionId: policy.transactionIds[2], amountMinor: 1_119_904 })]);
    // 14 Apr: 89 days in force earn 3,657,546 of the 3,750,050 paid: 92,504 back. 20 Apr: more earned than paid, nothing.
    expect(await quote(tenant, policy.policyId, "2026-04-14")).toMatchObject({ earnedMinor: 3_657_546, returnMinor: 92_504 });
    expect(await quote(tenant, policy.policyId, "2026-04-20")).toMatchObject({ returnMinor: 0, refunds: [] });
    // In the free look: every payment back, newest first.
    const freeLook = await quote(tenant, policy.policyId, "2026-01-20");
    expect(freeLook.refunds.map((r) => [r.transactionId, r.amountMinor])).toEqual([
      [policy.transactionIds[2], 1_250_000],
      [policy.transactionIds[1], 1_250_000],
      [policy.transactionIds[0], 1_250_050],
    ]);
  });

  it("life (Hibah, KHHoldings) pro rata, and Bowman term life on a short-rate scale", async () => {
    const khh = await memberTenant();
    const member = await createUser(khh.id);
    // RM270.00 a month from 1 Feb 2026 (to 31 Jan 2027, 365 days), two paid: RM540.00.
    const hibah = await issuedPolicy(khh, {
      userId: member.id,
      productSlug: "hibah-senior-care-gold-270",
      frequency: "monthly",
      start: "2026-02-01",
      firstMinor: 27_000,
      paid: 2,
    });
    // 10 Mar: 328 days left → 324,000 × 328 / 365 = 291,156.16 → 291,156 unearned; earned 32,844; back 21,156.
    expect(await quote(khh, hibah.policyId, "2026-03-10")).toMatchObject({
      method: "pro_rata",
      termPremiumMinor: 324_000,
      paidMinor: 54_000,
      earnedMinor: 32_844,
      returnMinor: 21_156,
    });

    const bowman = await bowmanStore();
    const user = await createUser(bowman.id);
    await setLifecycle(bowman.id, "ngao-term-life", {
      refundMethod: "short_rate",
      shortRate: [
        { upToDays: 30, retainedBp: 2500 },
        { upToDays: 90, retainedBp: 4000 },
        { upToDays: 180, retainedBp: 5500 },
        { upToDays: 365, retainedBp: 10_000 },
      ],
    });
    // KES 6,000.00 a quarter from 1 Jan 2026, three quarters paid (18,000.00); 120 days in force on 1 May → 55% of 24,000.00 kept.
    const life = await issuedPolicy(bowman, {
      userId: user.id,
      productSlug: "ngao-term-life",
      frequency: "quarterly",
      start: "2026-01-01",
      firstMinor: 600_000,
      paid: 3,
    });
    expect(await quote(bowman, life.policyId, "2026-05-01")).toMatchObject({
      method: "short_rate",
      retainedBp: 5500,
      earnedMinor: 1_320_000,
      returnMinor: 480_000,
    });
  });

  it("travel for one trip: the free look, before the trip starts, and part-way through", async () => {
    const tenant = await bowmanStore();
    const user = await createUser(tenant.id);
    // Bought 20 May for a 14-day trip from 10 Jun to 23 Jun: KES 3,500.00. Free look to 3 Jun.
    const trip = await issuedPolicy(tenant, {
      userId: user.id,
      productSlug: "savannah-east-africa-travel",
      frequency: "annual",
      start: "2026-06-10",
      end: "2026-06-23",
      issuedOn: "2026-05-20",
      firstMinor: 350_000,
    });
    expect(await quote(tenant, trip.policyId, "2026-06-03")).toMatchObject({ method: "free_look", returnMinor: 350_000 });
    // After the free look but before the trip: nothing earned yet.
    expect(await quote(tenant, trip.policyId, "2026-06-05")).toMatchObject({ method: "pro_rata", earnedMinor: 0, returnMinor: 350_000 });
    // 15 Jun: 9 of 14 days left → 350,000 × 9 / 14 = 225,000.
    expect(await quote(tenant, trip.policyId, "2026-06-15")).toMatchObject({
      method: "pro_rata",
      termDays: 14,
      daysInForce: 5,
      earnedMinor: 125_000,
      returnMinor: 225_000,
    });
    // 17 Jun: 7 of 14 left → 175,000; with odd cents: 350,001 would round 175,000.5 up.
    expect(await quote(tenant, trip.policyId, "2026-06-17")).toMatchObject({ returnMinor: 175_000 });
    const odd = await issuedPolicy(tenant, {
      userId: user.id,
      productSlug: "savannah-east-africa-travel",
      frequency: "annual",
      start: "2026-06-10",
      end: "2026-06-23",
      issuedOn: "2026-05-20",
      firstMinor: 350_001,
    });
    expect(await quote(tenant, odd.policyId, "2026-06-17")).toMatchObject({ earnedMinor: 175_000, returnMinor: 175_001 });
    // After the trip there is nothing to cancel.
    expect(await withTenant(tenant.id, (db) => quoteCancellation(db, tenant, trip.policyId, { on: "2026-06-24" }))).toMatchObject({
      ok: false,
      code: "not_cancellable",
    });
  });
});

/**
 * A cancellation's refund takes its commissions back in proportion (decision 030), through the
 * existing clawback when the provider says the money went back: on a KHHoldings Hibah sold by an
 * agent with an upline, each tier gives back the refunded share of what it earned on that payment,
 * and nothing of other policies paid by the same order.
 */
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { cancelPolicy } from "~/modules/cancellations/cancel.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import { createUser, eventually } from "../support/db";
import { hibahGoldProduct, insertChain, insertRules, networkTenant, record, tiers } from "./commissions-support";
import { issuedPolicy, refundsOf } from "./cancellations-support";
import { ownerDb } from "../support/db";

const entriesOf = (transactionId: string) =>
  ownerDb()
    .selectFrom("commission_entries")
    .select(["kind", "tier", "agent_id", "amount_minor", "refund_id"])
    .where("transaction_id", "=", transactionId)
    .orderBy("kind", "desc")
    .orderBy("tier")
    .execute();

describe("commissions on a cancelled policy", () => {
  it("are clawed back in proportion to the refund, tier by tier, once it completes", async () => {
    const store = await networkTenant({ tiers: 5 });
    await withTenant(store.id, (db) => ensureSandbox(db, store.id));
    const tenant = (await tenantById(store.id))!;
    const [seller, sponsor, top] = await insertChain(tenant.id, 3);
    const productId = await hibahGoldProduct(tenant.id);
    // KHHoldings' Hibah Gold tiers: 11.11%, 2.22%, 2.22% (the rest of the chain is not there).
    await insertRules(tenant.id, productId, "monthly", tiers(1111, 222, 222, 111, 83));
    const member = await createUser(tenant.id);
    // RM270.00 a month from 1 Nov 2026, the first paid with the order, sold by the seller.
    const policy = await issuedPolicy(tenant, {
      userId: member.id,
      productSlug: "",
      productId,
      frequency: "monthly",
      start: "2026-11-01",
      firstMinor: 27_000,
      agentId: seller!,
    });
    const payment = policy.transactionIds[0]!;
    expect(await record(tenant.id, [payment])).toBe(3);
    // 27,000 × 11.11% = 2,999.7 → 3,000; × 2.22% = 599.4 → 599.
    expect((await entriesOf(payment)).map((e) => [e.kind, e.tier, e.agent_id, e.amount_minor])).toEqual([
      ["earning", 1, seller, 3_000],
      ["earning", 2, sponsor, 599],
      ["earning", 3, top, 599],
    ]);

    // Cancelled by staff on 20 Nov, after the free look: 346 of 365 days left of a 324,000 term →
    // 307,134 unearned, 16,866 earned of the 27,000 paid: 10,134 back (37.53%).
    const staff = await createUser(tenant.id, { roles: ["admin"] });
    const done = await withTenant(tenant.id, (db) =>
      cancelPolicy(db, tenant, {
        policyId: policy.policyId,
        reason: "At the customer's request",
        actorUserId: staff.id,
        by: "staff",
        today: "2026-11-20",
      }),
    );
    expect(done).toMatchObject({ ok: true, quote: { method: "pro_rata", returnMinor: 10_134 } });
    const [refund] = await eventually(async () => {
      const rows = await refundsOf(policy.policyId);
      return rows.length === 1 && rows[0]!.status === "completed" && rows;
    }, 20_000);
    // Each tier gives back 10,134 / 27,000 of what it earned: 3,000 → 1,126; 599 → 224.82 → 225.
    const clawbacks = await eventually(async () => {
      const rows = (await entriesOf(payment)).filter((e) => e.kind === "clawback");
      return rows.length === 3 && rows;
    }, 20_000);
    expect(clawbacks.map((e) => [e.tier, e.agent_id, e.amount_minor, e.refund_id])).toEqual([
      [1, seller, -1_126, refund!.id],
      [2, sponsor, -225, refund!.id],
      [3, top, -225, refund!.id],
    ]);
  });
});

import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { closeMonth } from "~/modules/commissions/close.server";
import { openDispute } from "~/modules/commissions/disputes.server";
import { createUser } from "../support/db";
import { hostOf, signIn } from "./accounts-support";
import { addAgent } from "./network-support";
import { insertAgent, insertRules, insertSale, networkTenant, product, record, TENANT_CONTEXT, tiers } from "./commissions-support";

/**
 * Every agent-network page that takes an id, asked by an admin and by an agent of another agency
 * for agency A's rows: each answers 404, exactly as for an id that does not exist (docs/architecture.md §2).
 */
type Tenant = Awaited<ReturnType<typeof networkTenant>>;

async function agentLogin(tenant: Tenant) {
  const agent = await addAgent(tenant.id);
  return signIn(hostOf(tenant), agent.email);
}

let ids: Record<string, string>;
let tenantB: Tenant;

beforeAll(async () => {
  const a = await networkTenant();
  tenantB = await networkTenant();
  const productId = await product(a.id);
  await insertRules(a.id, productId, "annual", tiers({ fixedMinor: 10_00 }));
  const agentId = await insertAgent(a.id, null);
  await withTenant(a.id, (db) =>
    db.updateTable("agents").set({ bank_account_ciphertext: "x", bank_name: "Maybank" }).where("id", "=", agentId).execute(),
  );
  const sale = await insertSale(a.id, {
    agentId,
    productId,
    frequency: "annual",
    amountMinor: 150_00,
    at: new Date("2026-09-10T04:00:00Z"),
  });
  await record(a.id, [sale.transactionId]);
  ids = await withTenant(a.id, async (db) => {
    const agent = await db.selectFrom("agents").select(["user_id", "referral_code"]).where("id", "=", agentId).executeTakeFirstOrThrow();
    const entry = await db.selectFrom("commission_entries").select("id").executeTakeFirstOrThrow();
    const member = await db
      .insertInto("members")
      .values({
        agent_id: agentId,
        user_id: (await db.selectFrom("orders").select("user_id").where("id", "=", sale.orderId).executeTakeFirstOrThrow()).user_id,
        name: "Member of A",
        nric_ciphertext: "x",
        nric_blind_index: randomBytes(8).toString("hex"),
        nric_masked: "******-**-1234",
        race: "Malay",
        relationship_with_agent: "Friend",
        emergency_contact_name: "Someone",
        emergency_contact_phone: "+60123456789",
        emergency_contact_relationship: "Sibling",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const dispute = await openDispute(db, { entryId: entry.id, agentId, userId: agent.user_id, reason: "Not what I expected" });
    return {
      agentId,
      productId,
      memberId: member.id,
      disputeId: dispute.ok ? dispute.disputeId : "",
      referralCode: agent.referral_code,
      entryId: entry.id,
    };
  });
  // A's closes give statements and (October: the September entry is disputed) a payout batch to ask for.
  const other = await insertSale(a.id, {
    agentId,
    productId,
    frequency: "annual",
    amountMinor: 150_00,
    at: new Date("2026-10-10T04:00:00Z"),
  });
  await record(a.id, [other.transactionId]);
  for (const month of ["2026-09-01", "2026-10-01"])
    await withTenant(a.id, (db) => closeMonth(db, { month, actorUserId: null, ...TENANT_CONTEXT }, new Date("2026-11-21T00:00:00Z")));
  const closed = await withTenant(a.id, async (db) => {
    const statement = await db.selectFrom("commission_statements").select("id").executeTakeFirstOrThrow();
    const batch = await db.selectFrom("payout_batches").select("id").executeTakeFirst();
    return { statementId: statement.id, batchId: batch?.id ?? "" };
  });
  ids = { ...ids, ...closed };
});

describe("agent network pages across agencies", () => {
  it("answer 404 to another agency's admin for every id of agency A", async () => {
    const admin = await createUser(tenantB.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(tenantB), admin.email);
    const paths = [
      `/admin/agents/${ids.agentId}`,
      `/admin/commission-rules/${ids.productId}`,
      `/admin/commissions/disputes/${ids.disputeId}`,
      `/admin/commissions/payouts/${ids.batchId}.csv`,
    ];
    for (const path of paths) expect((await browser.get(path)).status, path).toBe(404);
    expect(ids.batchId).not.toBe("");
    // The agents CSV takes no id: searched for agency A's agent, it lists only agency B's own (none here).
    for (const path of ["/admin/agents.csv", `/admin/agents.csv?q=${ids.referralCode}`]) {
      const csv = await browser.get(path);
      expect(csv.status, path).toBe(200);
      expect(csv.text, path).not.toContain(ids.referralCode);
      expect(csv.text, path).not.toContain("Maybank");
    }
  });

  it("answer 404 to another agency's agent for every id of agency A, and its referral code does not work there", async () => {
    const browser = await agentLogin(tenantB);
    const paths = [
      `/agent/members/${ids.memberId}`,
      `/agent/members/${ids.memberId}/sell`,
      `/agent/disputes/${ids.disputeId}`,
      `/agent/disputes?entry=${ids.entryId}`,
      `/agent/statements/${ids.statementId}/download`,
      `/join/${ids.referralCode}`,
    ];
    for (const path of paths) expect((await browser.get(path)).status, path).toBe(404);
  });
});

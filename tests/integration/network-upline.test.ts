import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createAgent } from "~/modules/network/agents.server";
import { downlineCounts, isInDownline, moveAgent, uplinesOf } from "~/modules/network/upline.server";
import { nextAgentNumber } from "~/modules/tenancy/numbers.server";
import { createUser, ownerDb } from "../support/db";
import { addAgent, addChain, agentNetworkTenant, expectClosureMatchesSponsors } from "./network-support";

/** The referral tree as a closure table: reads, moves with whole subtrees, loops refused. */
let tenant: { id: string; slug: string };
beforeAll(async () => {
  tenant = await agentNetworkTenant();
});

const history = (agentId: string) =>
  ownerDb().selectFrom("agent_sponsor_changes").selectAll().where("agent_id", "=", agentId).orderBy("created_at").execute();
const sponsorOf = async (agentId: string) =>
  (await ownerDb().selectFrom("agents").select("sponsor_id").where("id", "=", agentId).executeTakeFirstOrThrow()).sponsor_id;

describe("numbers and codes", () => {
  it("numbers agents 10001, 10002 … per tenant, with unambiguous 8-character referral codes", async () => {
    const other = await agentNetworkTenant();
    const a = await addAgent(other.id);
    const b = await addAgent(other.id, { sponsorId: a.id });
    expect([a.agentNumber, b.agentNumber]).toEqual(["10001", "10002"]);
    for (const code of [a.referralCode, b.referralCode]) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(a.referralCode).not.toBe(b.referralCode);
  });

  it("refuses a seventh digit with a clear error", async () => {
    const other = await agentNetworkTenant();
    await ownerDb().insertInto("counters").values({ tenant_id: other.id, series: "agent", period: "", value: 999_998 }).execute();
    expect(await withTenant(other.id, (db) => nextAgentNumber(db))).toBe("999999");
    await expect(withTenant(other.id, (db) => nextAgentNumber(db))).rejects.toThrow(/Agent numbers are used up/);
  });

  it("gives one agent per account", async () => {
    const user = await createUser(tenant.id, { roles: ["agent"] });
    await withTenant(tenant.id, (db) => createAgent(db, { userId: user.id, sponsorId: null }));
    await expect(withTenant(tenant.id, (db) => createAgent(db, { userId: user.id, sponsorId: null }))).rejects.toThrow(/unique|duplicate/i);
  });
});

describe("a chain twelve deep", () => {
  it("answers the ten nearest uplines in order, and the downline per level", async () => {
    const chain = await addChain(tenant.id, 12);
    const last = chain[11]!;
    const ups = await withTenant(tenant.id, (db) => uplinesOf(db, last.id));
    expect(ups.map((u) => u.id)).toEqual(
      chain
        .slice(1, 11)
        .reverse()
        .map((a) => a.id),
    );
    expect(ups.map((u) => u.depth)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ups[0]!.agentNumber).toBe(chain[10]!.agentNumber);

    const counts = await withTenant(tenant.id, (db) => downlineCounts(db, chain[0]!.id));
    expect(counts).toEqual(Array.from({ length: 10 }, (_, i) => ({ level: i + 1, agents: 1 })));
    const fromMiddle = await withTenant(tenant.id, (db) => downlineCounts(db, chain[8]!.id));
    expect(fromMiddle.map((l) => l.agents)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    // The eleventh level down is beyond what the root sees.
    expect(await withTenant(tenant.id, (db) => isInDownline(db, chain[0]!.id, chain[10]!.id))).toBe(true);
    expect(await withTenant(tenant.id, (db) => isInDownline(db, chain[0]!.id, chain[11]!.id))).toBe(false);
    expect(await withTenant(tenant.id, (db) => isInDownline(db, chain[11]!.id, chain[0]!.id))).toBe(false);
    await expectClosureMatchesSponsors(tenant.id);
  });
});

describe("moving agents", () => {
  it("moves an agent with their whole subtree, keeping the closure exact and the history", async () => {
    const t = await agentNetworkTenant();
    const [r1, a, b, c] = await addChain(t.id, 4); // r1 → a → b → c
    const d = await addAgent(t.id, { sponsorId: b!.id }); // b has two recruits
    const [r2, x] = await addChain(t.id, 2); // r2 → x
    const admin = await createUser(t.id, { roles: ["admin"] });
    await expectClosureMatchesSponsors(t.id);

    const moved = await withTenant(t.id, (db) =>
      moveAgent(db, { agentId: b!.id, newSponsorId: x!.id, reason: "Team change", actorUserId: admin.id }),
    );
    expect(moved).toEqual({ ok: true });
    expect(await sponsorOf(b!.id)).toBe(x!.id);
    await expectClosureMatchesSponsors(t.id);
    const cUps = await withTenant(t.id, (db) => uplinesOf(db, c!.id));
    expect(cUps.map((u) => u.id)).toEqual([b!.id, x!.id, r2!.id]);
    expect((await withTenant(t.id, (db) => downlineCounts(db, a!.id))).every((l) => l.agents === 0)).toBe(true);
    expect((await withTenant(t.id, (db) => downlineCounts(db, r2!.id))).slice(0, 4).map((l) => l.agents)).toEqual([1, 1, 2, 0]);

    const rows = await history(b!.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ from_sponsor_id: a!.id, to_sponsor_id: x!.id, reason: "Team change", changed_by: admin.id });

    // To the top of the network, and back under the first root.
    expect(
      await withTenant(t.id, (db) => moveAgent(db, { agentId: b!.id, newSponsorId: null, reason: "Own team", actorUserId: null })),
    ).toEqual({
      ok: true,
    });
    await expectClosureMatchesSponsors(t.id);
    expect(await withTenant(t.id, (db) => uplinesOf(db, d.id))).toHaveLength(1);
    expect(
      await withTenant(t.id, (db) => moveAgent(db, { agentId: b!.id, newSponsorId: r1!.id, reason: "Back", actorUserId: null })),
    ).toEqual({
      ok: true,
    });
    await expectClosureMatchesSponsors(t.id);
    expect((await history(b!.id)).map((h) => h.to_sponsor_id)).toEqual([x!.id, null, r1!.id]);
  });

  it("refuses a move that would make a loop: onto itself, a direct recruit, or someone deep below", async () => {
    const t = await agentNetworkTenant();
    const chain = await addChain(t.id, 7);
    const before = await expectClosureMatchesSponsors(t.id);
    const top = chain[1]!;
    for (const target of [top, chain[2]!, chain[6]!]) {
      const result = await withTenant(t.id, (db) =>
        moveAgent(db, { agentId: top.id, newSponsorId: target.id, reason: "Try", actorUserId: null }),
      );
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.reason).toMatch(target === top ? /cannot sponsor themselves/ : /own downline: the move would create a loop/);
    }
    expect(await sponsorOf(top.id)).toBe(chain[0]!.id);
    expect(await expectClosureMatchesSponsors(t.id)).toBe(before);
    expect(await history(top.id)).toHaveLength(0);
    // A reason is required, and a move to the same sponsor is not a move.
    const noReason = await withTenant(t.id, (db) =>
      moveAgent(db, { agentId: chain[3]!.id, newSponsorId: chain[0]!.id, reason: " ", actorUserId: null }),
    );
    expect(noReason).toEqual({ ok: false, reason: "Moving an agent needs a reason" });
    const same = await withTenant(t.id, (db) =>
      moveAgent(db, { agentId: chain[3]!.id, newSponsorId: chain[2]!.id, reason: "x", actorUserId: null }),
    );
    expect(same.ok).toBe(false);
  });

  it("keeps each tenant's tree to itself", async () => {
    const other = await agentNetworkTenant();
    const foreign = await addAgent(other.id);
    const mine = await addAgent(tenant.id);
    // Another tenant's agent does not exist here: neither as the one moved nor as the new sponsor.
    const asSponsor = await withTenant(tenant.id, (db) =>
      moveAgent(db, { agentId: mine.id, newSponsorId: foreign.id, reason: "x", actorUserId: null }),
    );
    expect(asSponsor).toEqual({ ok: false, reason: "There is no such sponsor" });
    const asAgent = await withTenant(tenant.id, (db) =>
      moveAgent(db, { agentId: foreign.id, newSponsorId: mine.id, reason: "x", actorUserId: null }),
    );
    expect(asAgent).toEqual({ ok: false, reason: "There is no such agent" });
    expect(await withTenant(tenant.id, (db) => uplinesOf(db, foreign.id))).toEqual([]);
  });
});

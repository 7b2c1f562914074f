import { expect } from "vitest";
import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import type { AgentStatus } from "~db/schema";
import { monthOf } from "~/modules/commissions/months";
import { createAgent } from "~/modules/network/agents.server";
import { createTenant, createUser, ownerDb } from "../support/db";

/** Fixtures for the agent and upline tests (not a test file itself). */

/** A fresh agency that runs an agent network (Malaysian, as KHHoldings). */
export async function agentNetworkTenant() {
  const tenant = await createTenant();
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({
        currency: "MYR",
        locale: "en-MY",
        time_zone: "Asia/Kuala_Lumpur",
        features: JSON.stringify({ marketplace: true, agentNetwork: true }),
      })
      .where("id", "=", tenant.id)
      .execute(),
  );
  return tenant;
}

/** An account with the agent role and its agent, under a sponsor (or at the top). */
export async function addAgent(
  tenantId: string,
  options: { sponsorId?: string | null; status?: Extract<AgentStatus, "pending" | "active" | "suspended">; name?: string } = {},
) {
  const user = await createUser(tenantId, { roles: ["agent"], name: options.name ?? "Test Agent" });
  const agent = await withTenant(tenantId, (db) =>
    createAgent(db, { userId: user.id, sponsorId: options.sponsorId ?? null, status: options.status ?? "active" }),
  );
  return { ...agent, userId: user.id, email: user.email };
}

/**
 * An agent with a recruit and this month's earnings on two tiers (RM16.67 and RM3.33): enough for
 * the agent portal's charts to draw.
 */
export async function agentWithEarnings(tenantId: string, names: { agent: string; recruit: string }) {
  const agent = await addAgent(tenantId, { name: names.agent });
  await addAgent(tenantId, { sponsorId: agent.id, name: names.recruit });
  const month = monthOf(new Date(), "Asia/Kuala_Lumpur");
  await withTenant(tenantId, (db) =>
    db
      .insertInto("commission_entries")
      .values([
        { kind: "adjustment", agent_id: agent.id, month, amount_minor: 1667, currency: "MYR", tier: 1, earned_at: new Date() },
        { kind: "adjustment", agent_id: agent.id, month, amount_minor: 333, currency: "MYR", tier: 2, earned_at: new Date() },
      ])
      .execute(),
  );
  return agent;
}

/** A chain top-down: index 0 is the root, each next one recruited by the one before. */
export async function addChain(tenantId: string, length: number) {
  const chain: Awaited<ReturnType<typeof addAgent>>[] = [];
  for (let i = 0; i < length; i++) chain.push(await addAgent(tenantId, { sponsorId: chain[i - 1]?.id ?? null, name: `Chain ${i}` }));
  return chain;
}

type ClosureRow = { agent_id: string; upline_id: string; depth: number };
const key = (r: ClosureRow) => `${r.agent_id}>${r.upline_id}@${r.depth}`;

/** The closure table as stored, and as it must be when recomputed from sponsor_id alone. */
export async function expectClosureMatchesSponsors(tenantId: string) {
  const stored = await ownerDb()
    .selectFrom("agent_uplines")
    .select(["agent_id", "upline_id", "depth"])
    .where("tenant_id", "=", tenantId)
    .execute();
  const recomputed = await sql<ClosureRow>`
    with recursive up(agent_id, upline_id, depth) as (
      select id, sponsor_id, 1 from agents where tenant_id = ${tenantId} and sponsor_id is not null
      union all
      select up.agent_id, a.sponsor_id, up.depth + 1
      from up join agents a on a.tenant_id = ${tenantId} and a.id = up.upline_id
      where a.sponsor_id is not null and up.depth < 1000
    )
    select agent_id, upline_id, depth from up
  `.execute(ownerDb());
  expect(stored.map(key).sort()).toEqual(recomputed.rows.map(key).sort());
  return stored.length;
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { AgentStatus } from "~db/schema";

/**
 * The referral tree as a closure table (`agent_uplines`): one row per agent and each of their
 * ancestors, with the distance (1 = sponsor). "My ten uplines" and "my downline per level" are each
 * one range of an index; a sale's tiers are one join. Changes to the tree are serialised per tenant
 * (a transaction-scoped advisory lock) so two moves can never race each other into a cycle.
 */

/** How far up a sale pays, and how far down an agent sees: the plan's ten levels. */
export const NETWORK_LEVELS = 10;

async function lockTree(db: TenantDb): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('agent_tree:' || current_tenant_id()::text, 0))`.execute(db);
}

/** Gives a new agent their place under a sponsor (or none: a root of the network). */
export async function attachToSponsor(db: TenantDb, agentId: string, sponsorId: string | null): Promise<void> {
  if (!sponsorId) return;
  await lockTree(db);
  await sql`
    insert into agent_uplines (agent_id, upline_id, depth)
    select ${agentId}::uuid, ${sponsorId}::uuid, 1
    union all
    select ${agentId}::uuid, upline_id, depth + 1 from agent_uplines where agent_id = ${sponsorId}::uuid
  `.execute(db);
}

export interface UplineAgent {
  id: string;
  depth: number;
  agentNumber: string;
  name: string;
  status: AgentStatus;
}

/** An agent's uplines, nearest first, up to `levels` of them. */
export async function uplinesOf(db: TenantDb, agentId: string, levels = NETWORK_LEVELS): Promise<UplineAgent[]> {
  const rows = await db
    .selectFrom("agent_uplines as u")
    .innerJoin("agents as a", "a.id", "u.upline_id")
    .innerJoin("users", "users.id", "a.user_id")
    .select(["a.id", "u.depth", "a.agent_number", "users.name", "a.status"])
    .where("u.agent_id", "=", agentId)
    .where("u.depth", "<=", levels)
    .orderBy("u.depth")
    .execute();
  return rows.map((r) => ({ id: r.id, depth: r.depth, agentNumber: r.agent_number, name: r.name, status: r.status }));
}

/** How many agents sit at each level below this one (1 = recruited directly), levels with none included. */
export async function downlineCounts(db: TenantDb, agentId: string, levels = NETWORK_LEVELS): Promise<{ level: number; agents: number }[]> {
  const rows = await db
    .selectFrom("agent_uplines")
    .select(["depth", (eb) => eb.fn.countAll<number>().as("agents")])
    .where("upline_id", "=", agentId)
    .where("depth", "<=", levels)
    .groupBy("depth")
    .execute();
  const byLevel = new Map(rows.map((r) => [r.depth, Number(r.agents)]));
  return Array.from({ length: levels }, (_, i) => ({ level: i + 1, agents: byLevel.get(i + 1) ?? 0 }));
}

/** Whether `agentId` is somewhere below `uplineId` (within the levels an agent may see). */
export async function isInDownline(db: TenantDb, uplineId: string, agentId: string, levels = NETWORK_LEVELS): Promise<boolean> {
  const row = await db
    .selectFrom("agent_uplines")
    .select("depth")
    .where("agent_id", "=", agentId)
    .where("upline_id", "=", uplineId)
    .where("depth", "<=", levels)
    .executeTakeFirst();
  return row !== undefined;
}

export type MoveResult = { ok: true } | { ok: false; reason: string };

/**
 * Moves an agent, with everyone below them, under another sponsor (or to the top). Refused when
 * the new sponsor is the agent or one of their own downline: the tree would become a loop. The
 * old and new sponsor are kept in `agent_sponsor_changes`.
 */
export async function moveAgent(
  db: TenantDb,
  input: { agentId: string; newSponsorId: string | null; reason: string; actorUserId: string | null },
): Promise<MoveResult> {
  const { agentId, newSponsorId } = input;
  if (input.reason.trim() === "") return { ok: false, reason: "Moving an agent needs a reason" };
  await lockTree(db);
  const agent = await db.selectFrom("agents").select(["id", "sponsor_id"]).where("id", "=", agentId).forUpdate().executeTakeFirst();
  if (!agent) return { ok: false, reason: "There is no such agent" };
  if (agent.sponsor_id === newSponsorId) return { ok: false, reason: "The agent is already under this sponsor" };
  if (newSponsorId !== null) {
    if (newSponsorId === agentId) return { ok: false, reason: "An agent cannot sponsor themselves" };
    const sponsor = await db.selectFrom("agents").select("id").where("id", "=", newSponsorId).executeTakeFirst();
    if (!sponsor) return { ok: false, reason: "There is no such sponsor" };
    const below = await db
      .selectFrom("agent_uplines")
      .select("depth")
      .where("agent_id", "=", newSponsorId)
      .where("upline_id", "=", agentId)
      .executeTakeFirst();
    if (below) return { ok: false, reason: "The new sponsor is in this agent's own downline: the move would create a loop" };
  }

  // Cut the subtree (the agent and everyone below) from the agent's old ancestors …
  await sql`
    delete from agent_uplines
    where upline_id in (select upline_id from agent_uplines where agent_id = ${agentId}::uuid)
      and (agent_id = ${agentId}::uuid or agent_id in (select agent_id from agent_uplines where upline_id = ${agentId}::uuid))
  `.execute(db);
  // … and hang it under the new sponsor and the sponsor's ancestors.
  if (newSponsorId !== null) {
    await sql`
      insert into agent_uplines (agent_id, upline_id, depth)
      select sub.agent_id, sup.upline_id, sub.depth + sup.depth + 1
      from (
        select ${agentId}::uuid as agent_id, 0 as depth
        union all
        select agent_id, depth from agent_uplines where upline_id = ${agentId}::uuid
      ) sub
      cross join (
        select ${newSponsorId}::uuid as upline_id, 0 as depth
        union all
        select upline_id, depth from agent_uplines where agent_id = ${newSponsorId}::uuid
      ) sup
    `.execute(db);
  }
  await db.updateTable("agents").set({ sponsor_id: newSponsorId, updated_at: new Date() }).where("id", "=", agentId).execute();
  await db
    .insertInto("agent_sponsor_changes")
    .values({
      agent_id: agentId,
      from_sponsor_id: agent.sponsor_id,
      to_sponsor_id: newSponsorId,
      reason: input.reason.trim(),
      changed_by: input.actorUserId,
    })
    .execute();
  return { ok: true };
}

import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";

/**
 * The agency's own ranks (decision 048): a code, a name and an order, set by an admin, and the
 * rank each agent holds now. A team bonus pays the holders of its rank at the close. (The portal's
 * motivational ladder, `ranks.ts`, is a different, fixed thing that pays nothing.)
 */
export interface AgentRank {
  id: string;
  code: string;
  name: string;
  position: number;
  agents: number;
}

export async function listRanks(db: TenantDb): Promise<AgentRank[]> {
  const rows = await db
    .selectFrom("agent_ranks as r")
    .leftJoin("agents as a", "a.rank_id", "r.id")
    .select(["r.id", "r.code", "r.name", "r.position", (eb) => eb.fn.count<number>("a.id").as("agents")])
    .groupBy(["r.id", "r.code", "r.name", "r.position"])
    .orderBy("r.position")
    .orderBy("r.name")
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, position: r.position, agents: Number(r.agents) }));
}

export type RankResult = { ok: true; id: string } | { ok: false; fieldErrors: Record<string, string[]> };

export async function addRank(db: TenantDb, input: { code: string; name: string; position: number }, actor?: Actor): Promise<RankResult> {
  const row = await db
    .insertInto("agent_ranks")
    .values(input)
    .onConflict((oc) => oc.columns(["tenant_id", "code"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) return { ok: false, fieldErrors: { code: ["Another rank has this code."] } };
  if (actor) await recordAudit(db, actor, { action: "agent.rank_added", details: { ...input } });
  return { ok: true, id: row.id };
}

/** Removes a rank nobody holds and no bonus names; otherwise says why on the form. */
export async function removeRank(db: TenantDb, rankId: string, actor?: Actor): Promise<{ ok: true } | { ok: false; reason: string }> {
  const [held, named] = await Promise.all([
    db.selectFrom("agents").select("id").where("rank_id", "=", rankId).limit(1).executeTakeFirst(),
    db.selectFrom("commission_bonus_rules").select("id").where("rank_id", "=", rankId).limit(1).executeTakeFirst(),
  ]);
  if (held) return { ok: false, reason: "Agents hold this rank: give them another rank first." };
  if (named) return { ok: false, reason: "A bonus names this rank, so it stays in the history." };
  const gone = await db.deleteFrom("agent_ranks").where("id", "=", rankId).executeTakeFirst();
  if (Number(gone.numDeletedRows) === 0) return { ok: false, reason: "There is no such rank." };
  if (actor) await recordAudit(db, actor, { action: "agent.rank_removed", details: { rankId } });
  return { ok: true };
}

/** Gives an agent a rank (or none); a rank of another agency or none that exists is refused. */
export async function setAgentRank(
  db: TenantDb,
  input: { agentId: string; rankId: string | null },
  actor?: Actor,
): Promise<{ ok: true } | { ok: false; fieldErrors: Record<string, string[]> }> {
  if (input.rankId) {
    const rank = await db.selectFrom("agent_ranks").select("id").where("id", "=", input.rankId).executeTakeFirst();
    if (!rank) return { ok: false, fieldErrors: { rankId: ["Choose a rank."] } };
  }
  const updated = await db.updateTable("agents").set({ rank_id: input.rankId }).where("id", "=", input.agentId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return { ok: false, fieldErrors: { rankId: ["There is no such agent."] } };
  if (actor) await recordAudit(db, actor, { action: "agent.rank_set", details: { ...input } });
  return { ok: true };
}

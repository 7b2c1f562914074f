import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { AgentStatus } from "~db/schema";
import { likeContains } from "~/modules/auth/users.server";
import { timelineOf } from "~/modules/workflows/timeline.server";
import { downlineCounts, uplinesOf } from "./upline.server";

/** The back office's reads of the network: the agents list, one agent, and the tree level by level. */

export const AGENTS_PAGE_SIZE = 25;

export interface AgentFilters {
  q?: string;
  status?: AgentStatus;
  page: number;
}

/** Agents, pending applications first, then newest; searched by name, email, agent number or referral code. */
export async function listAgents(db: TenantDb, filters: AgentFilters) {
  let query = db
    .selectFrom("agents as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .leftJoin("agents as s", "s.id", "a.sponsor_id")
    .leftJoin("users as su", "su.id", "s.user_id");
  if (filters.q) {
    const pattern = likeContains(filters.q);
    const code = filters.q.replace(/[\s-]/g, "").toUpperCase();
    query = query.where((eb) =>
      eb.or([
        eb("u.name", "ilike", pattern),
        eb("u.email", "ilike", pattern),
        eb("a.agent_number", "=", filters.q!),
        eb("a.referral_code", "=", code),
      ]),
    );
  }
  if (filters.status) query = query.where("a.status", "=", filters.status);
  const rows = await query
    .select([
      "a.id",
      "a.agent_number",
      "a.referral_code",
      "a.status",
      "a.created_at",
      "u.name",
      "u.email",
      "s.id as sponsor_id",
      "s.agent_number as sponsor_number",
      "su.name as sponsor_name",
    ])
    .orderBy(sql`a.status = 'pending'`, "desc")
    .orderBy("a.created_at", "desc")
    .orderBy("a.id")
    .limit(AGENTS_PAGE_SIZE + 1)
    .offset((filters.page - 1) * AGENTS_PAGE_SIZE)
    .execute();
  const total = await query.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return { rows: rows.slice(0, AGENTS_PAGE_SIZE), hasMore: rows.length > AGENTS_PAGE_SIZE, total: total.n };
}

/** How many agents are in each status (every status present, zeros included). */
export async function agentCountsByStatus(db: TenantDb): Promise<Record<AgentStatus, number>> {
  const rows = await db
    .selectFrom("agents")
    .select(["status", sql<number>`count(*)::int`.as("n")])
    .groupBy("status")
    .execute();
  const counts: Record<AgentStatus, number> = { pending: 0, active: 0, suspended: 0, rejected: 0, terminated: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** Everything the agent page shows, or undefined (absent here — including another tenant's id). */
export async function getAgentDetail(db: TenantDb, agentId: string) {
  const agent = await db
    .selectFrom("agents as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .leftJoin("agents as s", "s.id", "a.sponsor_id")
    .leftJoin("users as su", "su.id", "s.user_id")
    .select([
      "a.id",
      "a.user_id",
      "a.agent_number",
      "a.referral_code",
      "a.status",
      "a.status_reason",
      "a.phone",
      "a.phone_verified_at",
      "a.bank_name",
      "a.bank_account_masked",
      "a.bank_account_holder",
      "a.approved_at",
      "a.created_at",
      "u.name",
      "u.email",
      "u.email_verified_at",
      "s.id as sponsor_id",
      "s.agent_number as sponsor_number",
      "su.name as sponsor_name",
    ])
    .where("a.id", "=", agentId)
    .executeTakeFirst();
  if (!agent) return undefined;
  const [uplines, downline, history, timeline] = await Promise.all([
    uplinesOf(db, agentId),
    downlineCounts(db, agentId),
    sponsorHistory(db, agentId),
    timelineOf(db, "agent", agentId),
  ]);
  return { ...agent, uplines, downline, history, timeline };
}

/** Every change of sponsor, oldest first, with the agents' numbers and who made it. */
export async function sponsorHistory(db: TenantDb, agentId: string) {
  return db
    .selectFrom("agent_sponsor_changes as c")
    .leftJoin("agents as f", "f.id", "c.from_sponsor_id")
    .leftJoin("users as fu", "fu.id", "f.user_id")
    .leftJoin("agents as t", "t.id", "c.to_sponsor_id")
    .leftJoin("users as tu", "tu.id", "t.user_id")
    .leftJoin("users as cb", "cb.id", "c.changed_by")
    .select([
      "c.id",
      "c.reason",
      "c.created_at",
      "f.agent_number as from_number",
      "fu.name as from_name",
      "t.agent_number as to_number",
      "tu.name as to_name",
      "cb.name as changed_by_name",
    ])
    .where("c.agent_id", "=", agentId)
    .orderBy("c.created_at")
    .execute();
}

/**
 * One level of the tree: the roots (no parent) or the direct recruits of `parentId`, each with
 * their own direct recruits and whole downline counted from the closure table.
 */
export async function networkLevel(db: TenantDb, input: { parentId: string | null; page: number }) {
  let query = db.selectFrom("agents as a").innerJoin("users as u", "u.id", "a.user_id");
  query = input.parentId === null ? query.where("a.sponsor_id", "is", null) : query.where("a.sponsor_id", "=", input.parentId);
  const rows = await query
    .select([
      "a.id",
      "a.agent_number",
      "a.status",
      "a.created_at",
      "u.name",
      sql<number>`(select count(*)::int from agent_uplines d where d.upline_id = a.id and d.depth = 1)`.as("recruits"),
      sql<number>`(select count(*)::int from agent_uplines d where d.upline_id = a.id)`.as("downline"),
    ])
    .orderBy("a.agent_number")
    .limit(AGENTS_PAGE_SIZE + 1)
    .offset((input.page - 1) * AGENTS_PAGE_SIZE)
    .execute();
  const total = await query.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return { rows: rows.slice(0, AGENTS_PAGE_SIZE), hasMore: rows.length > AGENTS_PAGE_SIZE, total: total.n };
}

/** The agent a network page is opened at, with the path from the top (for breadcrumbs). */
export async function networkParent(db: TenantDb, agentId: string) {
  const agent = await db
    .selectFrom("agents as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select(["a.id", "a.agent_number", "a.status", "u.name"])
    .where("a.id", "=", agentId)
    .executeTakeFirst();
  if (!agent) return undefined;
  const [uplines, downline] = await Promise.all([uplinesOf(db, agentId, 1000), downlineCounts(db, agentId)]);
  return { ...agent, path: uplines.reverse(), downline };
}

/** The whole network's size: agents, roots, and how many are active. */
export async function networkTotals(db: TenantDb) {
  return db
    .selectFrom("agents")
    .select([
      sql<number>`count(*)::int`.as("agents"),
      sql<number>`(count(*) filter (where sponsor_id is null))::int`.as("roots"),
      sql<number>`(count(*) filter (where status = 'active'))::int`.as("active"),
    ])
    .executeTakeFirstOrThrow();
}

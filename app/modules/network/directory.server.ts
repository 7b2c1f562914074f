import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { AgentStatus } from "~db/schema";
import { csvLine, csvStream, nextCsvCursor, type CsvBatch, type CsvCursor } from "~/lib/csv.server";
import { likeContains } from "~/modules/auth/users.server";
import { timelineOf } from "~/modules/workflows/timeline.server";
import { AGENT_STATUS_LABELS, type AgentFilterValues } from "./agent-schemas";
import { downlineCounts, uplinesOf } from "./upline.server";

/** The back office's reads of the network: the agents list, one agent, and the tree level by level. */

export const AGENTS_PAGE_SIZE = 25;

export interface AgentFilters extends AgentFilterValues {
  page: number;
}

/**
 * The agents a filter set selects, with their account and sponsor joined: the one place the list
 * page and its CSV decide which agents match (name, email, agent number or referral code; status).
 */
function filteredAgents(db: TenantDb, filters: AgentFilterValues) {
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
  return query;
}

/** Agents, pending applications first, then newest; searched by name, email, agent number or referral code. */
export async function listAgents(db: TenantDb, filters: AgentFilters) {
  const query = filteredAgents(db, filters);
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

// ---------------------------------------------------------------------------------------------
// Agents CSV: the list's filter, every agent (not one page), newest first, batch by batch.

export const AGENTS_CSV_BATCH = 1000;

export function agentsCsvHeader(timeZone: string): string {
  return csvLine([
    "Agent number",
    "Name",
    "Email",
    "Phone",
    "Phone verified",
    "Status",
    "Referral code",
    "Sponsor agent number",
    "Sponsor name",
    "Level (1 = top of the network)",
    "Direct recruits",
    "Downline total",
    `Joined (${timeZone})`,
    "Bank name",
    "Bank account (masked)",
    "Account holder",
  ]);
}

/**
 * One batch of the agents CSV, keyset-paged on (joined, id), newest first. The bank account is the
 * stored mask the admin pages show; the ciphertext is never selected (only the payout file may hold
 * full account numbers). Level, recruits and downline are index ranges of the closure table.
 */
export async function agentsCsvBatch(
  db: TenantDb,
  filters: AgentFilterValues,
  options: { timeZone: string; cursor: CsvCursor | null; limit?: number },
): Promise<CsvBatch> {
  const limit = options.limit ?? AGENTS_CSV_BATCH;
  let query = filteredAgents(db, filters);
  if (options.cursor)
    query = query.where(sql<boolean>`(a.created_at, a.id) < (${options.cursor.at}::timestamptz, ${options.cursor.id}::uuid)`);
  const rows = await query
    .select([
      "a.id",
      sql<string>`a.created_at::text`.as("cursor_at"),
      "a.agent_number",
      "u.name",
      "u.email",
      "a.phone",
      "a.phone_verified_at",
      "a.status",
      "a.referral_code",
      "s.agent_number as sponsor_number",
      "su.name as sponsor_name",
      sql<number>`1 + (select count(*)::int from agent_uplines up where up.tenant_id = a.tenant_id and up.agent_id = a.id)`.as("level"),
      sql<number>`(select count(*)::int from agent_uplines d where d.tenant_id = a.tenant_id and d.upline_id = a.id and d.depth = 1)`.as(
        "recruits",
      ),
      sql<number>`(select count(*)::int from agent_uplines d where d.tenant_id = a.tenant_id and d.upline_id = a.id)`.as("downline"),
      sql<string>`to_char(a.created_at at time zone ${options.timeZone}, 'YYYY-MM-DD')`.as("joined_local"),
      "a.bank_name",
      "a.bank_account_masked",
      "a.bank_account_holder",
    ])
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(limit)
    .execute();
  const lines = rows
    .map((r) =>
      csvLine([
        r.agent_number,
        r.name,
        r.email,
        r.phone,
        r.phone === null ? null : r.phone_verified_at === null ? "No" : "Yes",
        AGENT_STATUS_LABELS[r.status],
        r.referral_code,
        r.sponsor_number,
        r.sponsor_name,
        r.level,
        r.recruits,
        r.downline,
        r.joined_local,
        r.bank_name,
        r.bank_account_masked,
        r.bank_account_holder,
      ]),
    )
    .join("");
  return { lines, next: nextCsvCursor(rows, limit) };
}

/** Every agent the list's filters select, as a CSV stream (one short tenant transaction per batch). */
export function agentsCsvStream(
  filters: AgentFilterValues,
  timeZone: string,
  inTenant: <T>(fn: (db: TenantDb) => Promise<T>) => Promise<T>,
): ReadableStream<Uint8Array> {
  return csvStream(agentsCsvHeader(timeZone), (cursor) => inTenant((db) => agentsCsvBatch(db, filters, { timeZone, cursor })));
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

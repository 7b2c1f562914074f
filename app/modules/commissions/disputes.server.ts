import type { TenantDb } from "~db/client";
import type { DisputeStatus } from "~db/schema";
import { commissionEntryMachine, transition } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { openMonthFor } from "./ledger.server";

/**
 * Disputes: an agent questions one of their entries with a reason; staff answer in the same
 * thread and resolve it by rejecting (the entry stands) or by adjusting (a new entry with the
 * corrected amount replaces it; the ledger is never edited). An entry already in a payout batch
 * cannot be disputed here: it is being paid.
 */
type Result<T = object> = ({ ok: true } & T) | { ok: false; reason: string };

const PAGE_SIZE = 25;

export async function openDispute(
  db: TenantDb,
  input: { entryId: string; agentId: string; userId: string; reason: string },
): Promise<Result<{ disputeId: string }>> {
  const reason = input.reason.trim();
  if (reason.length < 5) return { ok: false, reason: "Say what is wrong with this commission (at least a few words)." };
  const entry = await db
    .selectFrom("commission_entry_states")
    .select(["id", "status", "agent_id", "payout_id"])
    .where("id", "=", input.entryId)
    .executeTakeFirst();
  // Another agent's entry is "not found", exactly like a missing one.
  if (!entry || entry.agent_id !== input.agentId) return { ok: false, reason: "There is no such commission entry." };
  if (entry.payout_id) return { ok: false, reason: "This commission is already in a payout batch; contact the office about it." };
  const moved = transition(commissionEntryMachine, entry.status, "dispute", { reason });
  if (!moved.ok) return { ok: false, reason: entry.status === "disputed" ? "This commission is already disputed." : moved.reason };
  // An entry is disputed once (its state hangs on that one dispute): a second question about a
  // resolved one goes to the office. The unique index settles two agents' tabs racing.
  const earlier = await db.selectFrom("commission_disputes").select("id").where("entry_id", "=", entry.id).executeTakeFirst();
  if (earlier)
    return { ok: false, reason: "This commission was disputed before and the dispute is resolved; contact the office about it." };
  const dispute = await db
    .insertInto("commission_disputes")
    .values({ entry_id: entry.id, agent_id: input.agentId, reason })
    .onConflict((oc) => oc.columns(["tenant_id", "entry_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!dispute) return { ok: false, reason: "This commission is already disputed." };
  await db
    .insertInto("commission_dispute_messages")
    .values({ dispute_id: dispute.id, author_user_id: input.userId, body: reason })
    .execute();
  await recordStateChange(db, {
    entity: "commission_entry",
    entityId: entry.id,
    from: entry.status,
    to: "disputed",
    event: "dispute",
    reason,
    actorUserId: input.userId,
  });
  return { ok: true, disputeId: dispute.id };
}

export async function addDisputeMessage(
  db: TenantDb,
  input: { disputeId: string; userId: string; body: string; agentId?: string },
): Promise<Result> {
  const body = input.body.trim();
  if (body === "") return { ok: false, reason: "Write a message." };
  if (body.length > 4000) return { ok: false, reason: "Keep a message under 4,000 characters." };
  const dispute = await db
    .selectFrom("commission_disputes")
    .select(["id", "agent_id"])
    .where("id", "=", input.disputeId)
    .executeTakeFirst();
  if (!dispute || (input.agentId !== undefined && dispute.agent_id !== input.agentId))
    return { ok: false, reason: "There is no such dispute." };
  await db.insertInto("commission_dispute_messages").values({ dispute_id: dispute.id, author_user_id: input.userId, body }).execute();
  return { ok: true };
}

async function lockOpenDispute(db: TenantDb, disputeId: string) {
  return db
    .selectFrom("commission_disputes")
    .innerJoin("commission_entry_states as e", "e.id", "commission_disputes.entry_id")
    .select([
      "commission_disputes.id",
      "commission_disputes.status",
      "commission_disputes.entry_id",
      "e.status as entry_status",
      "e.agent_id",
      "e.month",
      "e.currency",
      "e.product_id",
      "e.frequency",
      "e.tier",
      "e.earned_at",
    ])
    .where("commission_disputes.id", "=", disputeId)
    .forUpdate("commission_disputes")
    .executeTakeFirst();
}

/**
 * The entry stands as it was: approved again, or pending while its month is still open (its state
 * is its agent-month's once no dispute holds it); the agent is told why in the thread.
 */
export async function rejectDispute(db: TenantDb, input: { disputeId: string; userId: string; resolution: string }): Promise<Result> {
  const resolution = input.resolution.trim();
  if (resolution === "") return { ok: false, reason: "Tell the agent why the commission stands." };
  const d = await lockOpenDispute(db, input.disputeId);
  if (!d) return { ok: false, reason: "There is no such dispute." };
  if (d.status !== "open") return { ok: false, reason: "This dispute is already resolved." };
  const moved = transition(commissionEntryMachine, d.entry_status, "resolve", {});
  if (!moved.ok) return { ok: false, reason: moved.reason };
  await db
    .updateTable("commission_disputes")
    .set({ status: "rejected", resolution, resolved_by: input.userId, resolved_at: new Date() })
    .where("id", "=", d.id)
    .execute();
  await db.insertInto("commission_dispute_messages").values({ dispute_id: d.id, author_user_id: input.userId, body: resolution }).execute();
  const stands = await db.selectFrom("commission_entry_states").select("status").where("id", "=", d.entry_id).executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "commission_entry",
    entityId: d.entry_id,
    from: d.entry_status,
    to: stands.status,
    event: "resolve",
    reason: resolution,
    actorUserId: input.userId,
  });
  return { ok: true };
}

/** A new entry with the corrected amount replaces the disputed one, in the first open month. */
export async function adjustDispute(
  db: TenantDb,
  input: { disputeId: string; userId: string; resolution: string; correctedAmountMinor: number },
): Promise<Result<{ adjustingEntryId: string }>> {
  const resolution = input.resolution.trim();
  if (resolution === "") return { ok: false, reason: "Tell the agent what was corrected." };
  if (!Number.isSafeInteger(input.correctedAmountMinor) || input.correctedAmountMinor < 0)
    return { ok: false, reason: "The corrected amount must be zero or more." };
  const d = await lockOpenDispute(db, input.disputeId);
  if (!d) return { ok: false, reason: "There is no such dispute." };
  if (d.status !== "open") return { ok: false, reason: "This dispute is already resolved." };
  const month = await openMonthFor(db, d.month);
  const adjusting = await db
    .insertInto("commission_entries")
    .values({
      kind: "adjustment",
      agent_id: d.agent_id,
      month,
      amount_minor: input.correctedAmountMinor,
      currency: d.currency,
      product_id: d.product_id,
      frequency: d.frequency,
      tier: d.tier,
      reverses_entry_id: d.entry_id,
      earned_at: d.earned_at,
      note: resolution,
      created_by: input.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const moved = transition(commissionEntryMachine, d.entry_status, "adjust", { adjustingEntryId: adjusting.id });
  if (!moved.ok) throw new Error(moved.reason);
  await db
    .updateTable("commission_disputes")
    .set({ status: "adjusted", resolution, adjusting_entry_id: adjusting.id, resolved_by: input.userId, resolved_at: new Date() })
    .where("id", "=", d.id)
    .execute();
  await db.insertInto("commission_dispute_messages").values({ dispute_id: d.id, author_user_id: input.userId, body: resolution }).execute();
  await recordStateChange(db, {
    entity: "commission_entry",
    entityId: d.entry_id,
    from: d.entry_status,
    to: "adjusted",
    event: "adjust",
    reason: resolution,
    actorUserId: input.userId,
  });
  return { ok: true, adjustingEntryId: adjusting.id };
}

export interface DisputeThread {
  id: string;
  status: DisputeStatus;
  reason: string;
  resolution: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  agentId: string;
  agentName: string;
  agentNumber: string;
  entry: {
    id: string;
    kind: string;
    amountMinor: number;
    currency: string;
    month: string;
    tier: number | null;
    productName: string | null;
    status: string;
  };
  adjustingEntry: { id: string; amountMinor: number } | null;
  messages: { id: string; authorName: string; authorIsAgent: boolean; body: string; createdAt: Date }[];
}

export async function disputeThread(db: TenantDb, disputeId: string): Promise<DisputeThread | null> {
  const d = await db
    .selectFrom("commission_disputes as d")
    .innerJoin("commission_entry_states as e", "e.id", "d.entry_id")
    .innerJoin("agents as a", "a.id", "d.agent_id")
    .innerJoin("users as au", "au.id", "a.user_id")
    .leftJoin("products as p", "p.id", "e.product_id")
    .leftJoin("commission_entries as adj", "adj.id", "d.adjusting_entry_id")
    .select([
      "d.id",
      "d.status",
      "d.reason",
      "d.resolution",
      "d.created_at",
      "d.resolved_at",
      "d.agent_id",
      "a.user_id as agent_user_id",
      "a.agent_number",
      "au.name as agent_name",
      "e.id as entry_id",
      "e.kind",
      "e.amount_minor",
      "e.currency",
      "e.month",
      "e.tier",
      "e.status as entry_status",
      "p.name as product_name",
      "adj.id as adj_id",
      "adj.amount_minor as adj_amount",
    ])
    .where("d.id", "=", disputeId)
    .executeTakeFirst();
  if (!d) return null;
  const messages = await db
    .selectFrom("commission_dispute_messages as m")
    .innerJoin("users", "users.id", "m.author_user_id")
    .select(["m.id", "m.body", "m.created_at", "m.author_user_id", "users.name"])
    .where("m.dispute_id", "=", d.id)
    .orderBy("m.created_at")
    .execute();
  return {
    id: d.id,
    status: d.status,
    reason: d.reason,
    resolution: d.resolution,
    createdAt: d.created_at,
    resolvedAt: d.resolved_at,
    agentId: d.agent_id,
    agentName: d.agent_name,
    agentNumber: d.agent_number,
    entry: {
      id: d.entry_id,
      kind: d.kind,
      amountMinor: d.amount_minor,
      currency: d.currency,
      month: d.month,
      tier: d.tier,
      productName: d.product_name,
      status: d.entry_status,
    },
    adjustingEntry: d.adj_id ? { id: d.adj_id, amountMinor: d.adj_amount! } : null,
    messages: messages.map((m) => ({
      id: m.id,
      authorName: m.name,
      authorIsAgent: m.author_user_id === d.agent_user_id,
      body: m.body,
      createdAt: m.created_at,
    })),
  };
}

export interface DisputeRow {
  id: string;
  status: DisputeStatus;
  reason: string;
  createdAt: Date;
  resolvedAt: Date | null;
  agentId: string;
  agentName: string;
  agentNumber: string;
  entryAmountMinor: number;
  currency: string;
  month: string;
  productName: string | null;
  tier: number | null;
}

/** Disputes, open first then newest; one agent's when `agentId` is given. */
export async function listDisputes(
  db: TenantDb,
  input: { agentId?: string; status?: DisputeStatus; page: number },
): Promise<{ rows: DisputeRow[]; total: number; pageSize: number }> {
  let query = db
    .selectFrom("commission_disputes as d")
    .innerJoin("commission_entries as e", "e.id", "d.entry_id")
    .innerJoin("agents as a", "a.id", "d.agent_id")
    .innerJoin("users as au", "au.id", "a.user_id")
    .leftJoin("products as p", "p.id", "e.product_id");
  if (input.agentId) query = query.where("d.agent_id", "=", input.agentId);
  if (input.status) query = query.where("d.status", "=", input.status);
  const count = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const page = Math.max(1, Math.floor(input.page) || 1);
  const rows = await query
    .select([
      "d.id",
      "d.status",
      "d.reason",
      "d.created_at",
      "d.resolved_at",
      "d.agent_id",
      "au.name as agent_name",
      "a.agent_number",
      "e.amount_minor",
      "e.currency",
      "e.month",
      "e.tier",
      "p.name as product_name",
    ])
    .orderBy((eb) => eb.case().when("d.status", "=", "open").then(0).else(1).end())
    .orderBy("d.created_at", "desc")
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return {
    total: Number(count.n),
    pageSize: PAGE_SIZE,
    rows: rows.map((r) => ({
      id: r.id,
      status: r.status,
      reason: r.reason,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
      agentId: r.agent_id,
      agentName: r.agent_name,
      agentNumber: r.agent_number,
      entryAmountMinor: r.amount_minor,
      currency: r.currency,
      month: r.month,
      productName: r.product_name,
      tier: r.tier,
    })),
  };
}

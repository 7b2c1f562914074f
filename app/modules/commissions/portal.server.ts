import { sql } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import type { AgentStatus, CommissionEntryKind, CommissionEntryStatus, DisputeStatus, Frequency, MovedReason } from "~db/schema";
import { csvLine, csvStream, minorToMajorText, nextCsvCursor, type CsvBatch, type CsvCursor } from "~/lib/csv.server";
import { likeContains } from "~/modules/auth/users.server";
import { downlineCounts, NETWORK_LEVELS } from "~/modules/network/upline.server";
import {
  clawbackSource,
  entryKindLabel,
  ENTRY_KINDS,
  ENTRY_STATUS_LABELS,
  ENTRY_STATUSES,
  FREQUENCY_LABELS,
  MOVED_REASON_LABELS,
  type ClawbackSource,
} from "./labels";
import { addMonthsTo, isMonth, type Month } from "./months";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";

/**
 * The agent portal's reads: one agent's own earnings, sales, downline, ledger entries, statements
 * and disputes — nobody else's. Every query here is pinned to the agent's id (the caller passes
 * the signed-in user's own agent, from requireAgent), under the tenant's row-level security.
 */

export const PORTAL_PAGE_SIZE = 25;

/** The first moment of a month in a time zone, as SQL (a timestamptz). */
const monthStart = (month: Month, timeZone: string) => sql<Date>`(${month}::date::timestamp at time zone ${timeZone})`;

// ---------------------------------------------------------------------------------------------
// Dashboard

export interface Dashboard {
  month: Month;
  total: number;
  byTier: { tier: number | null; amountMinor: number; entries: number }[];
  byStatus: { status: CommissionEntryStatus; amountMinor: number; entries: number }[];
  /** Oldest first, the last of them being `month`; months without entries are 0. */
  lastMonths: { month: Month; amountMinor: number }[];
  sales: { items: number; amountMinor: number };
  downline: { level: number; agents: number }[];
}

/** This month's figures of one agent: earnings by tier and status, 12 months, own sales, downline. */
export async function agentDashboard(db: TenantDb, agentId: string, options: { month: Month; timeZone: string }): Promise<Dashboard> {
  const { month, timeZone } = options;
  const from = addMonthsTo(month, -11);
  const tiers = await db
    .selectFrom("commission_entries")
    .select(["tier", sql<number>`coalesce(sum(amount_minor), 0)::bigint`.as("amount"), sql<number>`count(*)::int`.as("n")])
    .where("agent_id", "=", agentId)
    .where("month", "=", month)
    .groupBy("tier")
    .orderBy(sql`tier nulls last`)
    .execute();
  const statuses = await db
    .selectFrom("commission_entry_states")
    .select(["status", sql<number>`coalesce(sum(amount_minor), 0)::bigint`.as("amount"), sql<number>`count(*)::int`.as("n")])
    .where("agent_id", "=", agentId)
    .where("month", "=", month)
    .groupBy("status")
    .execute();
  const months = await db
    .selectFrom("commission_entries")
    .select([sql<string>`to_char(month, 'YYYY-MM-DD')`.as("month"), sql<number>`coalesce(sum(amount_minor), 0)::bigint`.as("amount")])
    .where("agent_id", "=", agentId)
    .where("month", ">=", from)
    .where("month", "<=", month)
    .groupBy("month")
    .execute();
  const sales = await db
    .selectFrom("orders as o")
    .innerJoin("order_items as oi", "oi.order_id", "o.id")
    .select([sql<number>`count(*)::int`.as("items"), sql<number>`coalesce(sum(oi.first_payment_minor), 0)::bigint`.as("amount")])
    .where("o.agent_id", "=", agentId)
    .where("o.paid_at", ">=", monthStart(month, timeZone))
    .where("o.paid_at", "<", monthStart(addMonthsTo(month, 1), timeZone))
    .executeTakeFirstOrThrow();
  const byMonth = new Map(months.map((m) => [m.month, Number(m.amount)]));
  const order: CommissionEntryStatus[] = ["pending", "approved", "disputed", "adjusted", "paid"];
  return {
    month,
    total: tiers.reduce((sum, t) => sum + Number(t.amount), 0),
    byTier: tiers.map((t) => ({ tier: t.tier, amountMinor: Number(t.amount), entries: t.n })),
    byStatus: statuses
      .map((s) => ({ status: s.status, amountMinor: Number(s.amount), entries: s.n }))
      .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status)),
    lastMonths: Array.from({ length: 12 }, (_, i) => {
      const m = addMonthsTo(from, i);
      return { month: m, amountMinor: byMonth.get(m) ?? 0 };
    }),
    sales: { items: sales.items, amountMinor: Number(sales.amount) },
    downline: await downlineCounts(db, agentId),
  };
}

// ---------------------------------------------------------------------------------------------
// Sales

export interface SaleRow {
  itemId: string;
  orderId: string;
  orderReference: string;
  paidAt: Date;
  productName: string;
  frequency: Frequency | null;
  firstPaymentMinor: number;
  annualPremiumMinor: number | null;
  currency: string;
  customerName: string;
  /** paid_at as Postgres prints it (microseconds kept), for the API's cursor. */
  cursorAt: string;
}

/**
 * The agent's own sales, as the dashboard counts them: each item of a paid order credited to them,
 * newest first by (paid_at, item id), `limit + 1` after `after`, paid between two days of the
 * agency's calendar (inclusive).
 */
export async function mySalesAfter(
  db: TenantDb,
  agentId: string,
  range: { from?: string; to?: string; timeZone: string },
  after: { at: string; id: string } | null,
  limit: number,
): Promise<SaleRow[]> {
  let query = db
    .selectFrom("orders as o")
    .innerJoin("order_items as oi", "oi.order_id", "o.id")
    .innerJoin("products as p", "p.id", "oi.product_id")
    .innerJoin("users as u", "u.id", "o.user_id")
    .select([
      "oi.id",
      "o.id as order_id",
      "o.reference",
      "o.paid_at",
      "o.currency",
      "p.name as product_name",
      "oi.frequency",
      "oi.first_payment_minor",
      "oi.annual_premium_minor",
      "u.name as customer_name",
      sql<string>`o.paid_at::text`.as("cursor_at"),
    ])
    .where("o.agent_id", "=", agentId)
    .where("o.paid_at", "is not", null);
  if (range.from) query = query.where("o.paid_at", ">=", sql<Date>`(${range.from}::date::timestamp at time zone ${range.timeZone})`);
  if (range.to) query = query.where("o.paid_at", "<", sql<Date>`((${range.to}::date + 1)::timestamp at time zone ${range.timeZone})`);
  if (after) query = query.where(sql<boolean>`(o.paid_at, oi.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query
    .orderBy("o.paid_at", "desc")
    .orderBy("oi.id", "desc")
    .limit(limit + 1)
    .execute();
  return rows.map((r) => ({
    itemId: r.id,
    orderId: r.order_id,
    orderReference: r.reference,
    paidAt: r.paid_at!,
    productName: r.product_name,
    frequency: r.frequency,
    firstPaymentMinor: Number(r.first_payment_minor ?? 0),
    annualPremiumMinor: r.annual_premium_minor === null ? null : Number(r.annual_premium_minor),
    currency: r.currency,
    customerName: r.customer_name,
    cursorAt: r.cursor_at,
  }));
}

// ---------------------------------------------------------------------------------------------
// Downline

export interface DownlineQuery {
  /** 1 = recruited directly; ignored when searching (a search covers the whole downline). */
  level: number;
  q?: string;
  page: number;
}

export const downlineQuerySchema = z.object({
  level: z.coerce.number().int().min(1).max(NETWORK_LEVELS).default(1),
  q: lineText().min(1).max(100).optional(),
});

/** The page's level and search from its URL; a bad value is ignored and said (`readFilters`). */
export function downlineQueryFrom(params: URLSearchParams, page: number): { query: DownlineQuery; ignored: string[] } {
  const { filters, ignored } = readFilters(downlineQuerySchema, params, { q: "Search", level: "Level" });
  return { query: { ...filters, page }, ignored };
}

export interface DownlineRow {
  id: string;
  level: number;
  name: string;
  agentNumber: string;
  status: AgentStatus;
  joinedAt: Date;
  sponsorName: string | null;
  sponsorNumber: string | null;
  downlineSize: number;
}

/** Agents below this one (one level, or a search over every level they can see), with their details. */
function downlineRows(db: TenantDb, agentId: string, query: Pick<DownlineQuery, "level" | "q">) {
  let base = db
    .selectFrom("agent_uplines as u")
    .innerJoin("agents as a", "a.id", "u.agent_id")
    .innerJoin("users as au", "au.id", "a.user_id")
    .where("u.upline_id", "=", agentId);
  if (query.q) {
    const q = query.q;
    base = base
      .where("u.depth", "<=", NETWORK_LEVELS)
      .where((eb) => eb.or([eb("au.name", "ilike", likeContains(q)), eb("a.agent_number", "=", q)]));
  } else {
    base = base.where("u.depth", "=", query.level);
  }
  const rows = base
    .leftJoin("agents as s", "s.id", "a.sponsor_id")
    .leftJoin("users as su", "su.id", "s.user_id")
    .select([
      "a.id",
      "u.depth",
      "au.name",
      "a.agent_number",
      "a.status",
      "a.created_at",
      "su.name as sponsor_name",
      "s.agent_number as sponsor_number",
      (eb) =>
        eb
          .selectFrom("agent_uplines as d")
          .select(sql<number>`count(*)::int`.as("n"))
          .whereRef("d.upline_id", "=", "a.id")
          .where("d.depth", "<=", NETWORK_LEVELS)
          .as("downline_size"),
    ])
    .orderBy("u.depth")
    .orderBy("au.name")
    .orderBy("a.id");
  return { base, rows };
}

type DownlineRecord = Awaited<ReturnType<ReturnType<typeof downlineRows>["rows"]["execute"]>>[number];

const downlineRow = (r: DownlineRecord): DownlineRow => ({
  id: r.id,
  level: r.depth,
  name: r.name,
  agentNumber: r.agent_number,
  status: r.status,
  joinedAt: r.created_at,
  sponsorName: r.sponsor_name,
  sponsorNumber: r.sponsor_number,
  downlineSize: r.downline_size ?? 0,
});

/** Agents below this one: one level, or a search by name or number over every level they can see. */
export async function listDownline(
  db: TenantDb,
  agentId: string,
  query: DownlineQuery,
): Promise<{ rows: DownlineRow[]; hasMore: boolean; total: number }> {
  const { base, rows: ordered } = downlineRows(db, agentId, query);
  const rows = await ordered
    .limit(PORTAL_PAGE_SIZE + 1)
    .offset((query.page - 1) * PORTAL_PAGE_SIZE)
    .execute();
  const total = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return {
    rows: rows.slice(0, PORTAL_PAGE_SIZE).map(downlineRow),
    hasMore: rows.length > PORTAL_PAGE_SIZE,
    total: total.n,
  };
}

/**
 * The same downline for the API's cursor pages: `limit + 1` rows after the row whose sort key
 * (level, name, id) is `after`, so a page never repeats or skips an agent (decision 045).
 */
export async function downlineAfter(
  db: TenantDb,
  agentId: string,
  query: Pick<DownlineQuery, "level" | "q">,
  after: { level: number; name: string; id: string } | null,
  limit: number,
): Promise<DownlineRow[]> {
  let { rows } = downlineRows(db, agentId, query);
  if (after) rows = rows.where(sql<boolean>`(u.depth, au.name, a.id) > (${after.level}, ${after.name}, ${after.id}::uuid)`);
  return (await rows.limit(limit + 1).execute()).map(downlineRow);
}

// ---------------------------------------------------------------------------------------------
// Ledger entries

/** Filters from a shareable URL: a bad value is ignored and said, never refused. */
export const entryFiltersSchema = z.object({
  month: lineText()
    .refine((v) => isMonth(v), "Choose a month like 2026-06-01.")
    .optional(),
  kind: z.enum(ENTRY_KINDS).optional(),
  status: z.enum(ENTRY_STATUSES).optional(),
  tier: z.coerce.number().int().min(1).max(NETWORK_LEVELS).optional(),
  product: lineText().uuid().optional(),
});

export type EntryFilters = z.infer<typeof entryFiltersSchema>;

export function entryFiltersFrom(params: URLSearchParams): { filters: EntryFilters; ignored: string[] } {
  return readFilters(entryFiltersSchema, params);
}

export function entryFiltersQuery(filters: EntryFilters): string {
  const params = new URLSearchParams();
  for (const key of ["month", "kind", "status", "tier", "product"] as const) {
    const v = filters[key];
    if (v !== undefined) params.set(key, String(v));
  }
  return params.toString();
}

function filteredEntries(db: TenantDb, agentId: string, filters: EntryFilters) {
  let query = db.selectFrom("commission_entry_states as e").where("e.agent_id", "=", agentId);
  if (filters.month) query = query.where("e.month", "=", filters.month);
  if (filters.kind) query = query.where("e.kind", "=", filters.kind);
  if (filters.status) query = query.where("e.status", "=", filters.status);
  if (filters.tier) query = query.where("e.tier", "=", filters.tier);
  if (filters.product) query = query.where("e.product_id", "=", filters.product);
  return query;
}

function withDetails(db: TenantDb, agentId: string, filters: EntryFilters) {
  return filteredEntries(db, agentId, filters)
    .leftJoin("products as p", "p.id", "e.product_id")
    .leftJoin("agents as sa", "sa.id", "e.seller_agent_id")
    .leftJoin("users as su", "su.id", "sa.user_id")
    .leftJoin("agents as pa", "pa.id", "e.passed_from_agent_id")
    .leftJoin("users as pu", "pu.id", "pa.user_id")
    .select([
      "e.id",
      "e.kind",
      "e.month",
      "e.amount_minor",
      "e.currency",
      "e.status",
      "e.frequency",
      "e.tier",
      "e.base_minor",
      "e.rate_bp",
      "e.earned_at",
      "e.payout_id",
      "e.note",
      "e.refund_id",
      "e.chargeback_id",
      "e.seller_agent_id",
      "p.name as product_name",
      "su.name as seller_name",
      "sa.agent_number as seller_number",
      "pu.name as passed_from_name",
      "pa.agent_number as passed_from_number",
      "e.moved_reason",
      "e.withheld_minor",
    ]);
}

export interface EntryRow {
  id: string;
  kind: CommissionEntryKind;
  /** A clawback's reason: the sale was refunded, or charged back. */
  clawbackSource: ClawbackSource | null;
  month: Month;
  amountMinor: number;
  currency: string;
  status: CommissionEntryStatus;
  frequency: Frequency | null;
  tier: number | null;
  baseMinor: number | null;
  rateBp: number | null;
  earnedAt: Date;
  note: string | null;
  productName: string | null;
  /** The downline agent who made the sale, for tier 2 and up (tier 1 is the agent themselves). */
  seller: { name: string; agentNumber: string } | null;
  passedFrom: { name: string; agentNumber: string } | null;
  /** Why the share went past `passedFrom` (entries written before migration 0034 have none). */
  movedReason: MovedReason | null;
  /** What the rule's monthly cap kept back from this earning (running caps, migration 0036). */
  withheldMinor: number | null;
  /** The entry's latest dispute, if any. */
  dispute: { id: string; status: DisputeStatus } | null;
  /** Pending or approved, not in a payout, and no open dispute. */
  disputable: boolean;
}

/** The entries with their details and their latest dispute's id and status (null without one). */
function withLatestDispute(db: TenantDb, agentId: string, filters: EntryFilters) {
  return withDetails(db, agentId, filters).select((eb) => [
    eb
      .selectFrom("commission_disputes as d")
      .select("d.id")
      .whereRef("d.entry_id", "=", "e.id")
      .orderBy("d.created_at", "desc")
      .limit(1)
      .as("dispute_id"),
    eb
      .selectFrom("commission_disputes as d")
      .select("d.status")
      .whereRef("d.entry_id", "=", "e.id")
      .orderBy("d.created_at", "desc")
      .limit(1)
      .as("dispute_status"),
  ]);
}

type EntryRecord = Awaited<ReturnType<ReturnType<typeof withLatestDispute>["execute"]>>[number];

function entryRow(r: EntryRecord, agentId: string): EntryRow {
  return {
    id: r.id,
    kind: r.kind,
    clawbackSource: clawbackSource(r),
    month: r.month,
    amountMinor: r.amount_minor,
    currency: r.currency,
    status: r.status,
    frequency: r.frequency,
    tier: r.tier,
    baseMinor: r.base_minor,
    rateBp: r.rate_bp,
    earnedAt: r.earned_at,
    note: r.note,
    productName: r.product_name,
    seller:
      r.seller_agent_id && r.seller_agent_id !== agentId && r.seller_name && r.seller_number
        ? { name: r.seller_name, agentNumber: r.seller_number }
        : null,
    passedFrom: r.passed_from_name && r.passed_from_number ? { name: r.passed_from_name, agentNumber: r.passed_from_number } : null,
    movedReason: r.moved_reason,
    withheldMinor: r.withheld_minor,
    dispute: r.dispute_id && r.dispute_status ? { id: r.dispute_id, status: r.dispute_status } : null,
    disputable: (r.status === "pending" || r.status === "approved") && r.payout_id === null && r.dispute_status !== "open",
  };
}

/** One agent's own ledger entries, newest first, a page at a time, with the filter's totals. */
export async function listMyEntries(db: TenantDb, agentId: string, filters: EntryFilters, page: number) {
  const rows = await withLatestDispute(db, agentId, filters)
    .orderBy("e.earned_at", "desc")
    .orderBy("e.created_at", "desc")
    .orderBy("e.id", "desc")
    .limit(PORTAL_PAGE_SIZE + 1)
    .offset((page - 1) * PORTAL_PAGE_SIZE)
    .execute();
  return {
    rows: rows.slice(0, PORTAL_PAGE_SIZE).map((r) => entryRow(r, agentId)),
    hasMore: rows.length > PORTAL_PAGE_SIZE,
    totals: await myEntryTotals(db, agentId, filters),
  };
}

/** How many entries the filter matches and their sum (in minor units). */
export async function myEntryTotals(db: TenantDb, agentId: string, filters: EntryFilters) {
  const totals = await filteredEntries(db, agentId, filters)
    .select([sql<number>`count(*)::int`.as("n"), sql<number>`coalesce(sum(e.amount_minor), 0)::bigint`.as("amount")])
    .executeTakeFirstOrThrow();
  return { count: totals.n, amountMinor: Number(totals.amount) };
}

/**
 * The same entries for the API's cursor pages: newest first by (earned_at, id), `limit + 1` after
 * `after`. `cursorAt` is earned_at as Postgres prints it, keeping the microseconds a Date would lose.
 */
export async function myEntriesAfter(
  db: TenantDb,
  agentId: string,
  filters: EntryFilters,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<(EntryRow & { cursorAt: string })[]> {
  let query = withLatestDispute(db, agentId, filters).select(sql<string>`e.earned_at::text`.as("cursor_at"));
  if (after) query = query.where(sql<boolean>`(e.earned_at, e.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query
    .orderBy("e.earned_at", "desc")
    .orderBy("e.id", "desc")
    .limit(limit + 1)
    .execute();
  return rows.map((r) => ({ ...entryRow(r, agentId), cursorAt: r.cursor_at }));
}

/** The choices of the filters: months and products that occur in this agent's ledger. */
export async function myEntryOptions(db: TenantDb, agentId: string) {
  const months = await db
    .selectFrom("commission_entries")
    .select(sql<string>`to_char(month, 'YYYY-MM-DD')`.as("month"))
    .distinct()
    .where("agent_id", "=", agentId)
    .orderBy("month", "desc")
    .execute();
  const products = await db
    .selectFrom("products as p")
    .select(["p.id", "p.name"])
    .where((eb) =>
      eb.exists(
        eb.selectFrom("commission_entries as e").select("e.id").whereRef("e.product_id", "=", "p.id").where("e.agent_id", "=", agentId),
      ),
    )
    .orderBy("p.name")
    .execute();
  return { months: months.map((m) => m.month), products };
}

/** One of this agent's own entries (to open a dispute on), or undefined for anyone else's. */
export async function myEntry(db: TenantDb, agentId: string, entryId: string): Promise<EntryRow | undefined> {
  const r = await withLatestDispute(db, agentId, {}).where("e.id", "=", entryId).executeTakeFirst();
  return r ? entryRow(r, agentId) : undefined;
}

// CSV export of the same filter: every row, in batches (keyset on earned_at, id). Unlike the back
// office's ledger CSV, a negative amount is written as a plain number.

export const ENTRIES_CSV_BATCH = 1000;

export function entriesCsvHeader(timeZone: string): string {
  return csvLine([
    `Date (${timeZone})`,
    "Month",
    "Kind",
    "Product",
    "Frequency",
    "Tier",
    "Seller",
    "Seller number",
    "Base",
    "Rate (%)",
    "Amount",
    "Currency",
    "Status",
    "Passed up from",
    "Note",
    "Moved because",
    "Withheld by cap",
  ]);
}

async function entriesCsvBatch(
  db: TenantDb,
  agentId: string,
  filters: EntryFilters,
  options: { timeZone: string; cursor: CsvCursor | null },
): Promise<CsvBatch> {
  let query = withDetails(db, agentId, filters);
  const cursor = options.cursor;
  if (cursor) query = query.where(sql<boolean>`(e.earned_at, e.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  const rows = await query
    .select([
      sql<string>`e.earned_at::text`.as("cursor_at"),
      sql<string>`to_char(e.earned_at at time zone ${options.timeZone}, 'YYYY-MM-DD HH24:MI:SS')`.as("local_time"),
    ])
    .orderBy("e.earned_at", "desc")
    .orderBy("e.id", "desc")
    .limit(ENTRIES_CSV_BATCH)
    .execute();
  const lines = rows
    .map((r) => {
      const seller = r.seller_agent_id && r.seller_agent_id !== agentId;
      // Plain numbers stay numbers: a clawback's "-16.67" is money, not a formula.
      return csvLine(
        [
          r.local_time,
          r.month.slice(0, 7),
          entryKindLabel(r.kind, clawbackSource(r)),
          r.product_name,
          r.frequency ? FREQUENCY_LABELS[r.frequency] : null,
          r.tier,
          seller ? r.seller_name : null,
          seller ? r.seller_number : null,
          r.base_minor === null ? null : minorToMajorText(r.base_minor, r.currency),
          r.rate_bp === null ? null : (r.rate_bp / 100).toFixed(2),
          minorToMajorText(r.amount_minor, r.currency),
          r.currency,
          ENTRY_STATUS_LABELS[r.status],
          r.passed_from_name ? `${r.passed_from_name} (${r.passed_from_number})` : null,
          r.note,
          r.moved_reason ? MOVED_REASON_LABELS[r.moved_reason] : null,
          r.withheld_minor === null ? null : minorToMajorText(r.withheld_minor, r.currency),
        ],
        { plainNumbers: true },
      );
    })
    .join("");
  return { lines, next: nextCsvCursor(rows, ENTRIES_CSV_BATCH) };
}

/** The agent's filtered entries as a CSV stream, one short tenant transaction per batch. */
export function myEntriesCsvStream(
  agentId: string,
  filters: EntryFilters,
  timeZone: string,
  inTenant: <T>(work: (db: TenantDb) => Promise<T>) => Promise<T>,
): ReadableStream<Uint8Array> {
  return csvStream(entriesCsvHeader(timeZone), (cursor) => inTenant((db) => entriesCsvBatch(db, agentId, filters, { timeZone, cursor })));
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface StatementRow {
  id: string;
  month: Month;
  earnedMinor: number;
  payableMinor: number;
  entries: number;
  fileKey: string | null;
  createdAt: Date;
}

function statements(db: TenantDb, agentId: string) {
  return db
    .selectFrom("commission_statements")
    .select(["id", "month", "earned_minor", "payable_minor", "entries_count", "file_key", "created_at"])
    .where("agent_id", "=", agentId);
}

function statementRow(r: Awaited<ReturnType<ReturnType<typeof statements>["execute"]>>[number]): StatementRow {
  return {
    id: r.id,
    month: r.month,
    earnedMinor: r.earned_minor,
    payableMinor: r.payable_minor,
    entries: r.entries_count,
    fileKey: r.file_key,
    createdAt: r.created_at,
  };
}

export async function listMyStatements(db: TenantDb, agentId: string, page: number) {
  const rows = await statements(db, agentId)
    .orderBy("month", "desc")
    .limit(PORTAL_PAGE_SIZE + 1)
    .offset((page - 1) * PORTAL_PAGE_SIZE)
    .execute();
  return {
    rows: rows.slice(0, PORTAL_PAGE_SIZE).map(statementRow),
    hasMore: rows.length > PORTAL_PAGE_SIZE,
  };
}

/** The API's cursor pages of the same statements: newest month first, `limit + 1` before `before`. */
export async function myStatementsBefore(db: TenantDb, agentId: string, before: Month | null, limit: number) {
  let query = statements(db, agentId);
  if (before) query = query.where("month", "<", before);
  const rows = await query
    .orderBy("month", "desc")
    .limit(limit + 1)
    .execute();
  return rows.map(statementRow);
}

/** This agent's own statement of a month, or undefined. */
export async function myStatementOf(db: TenantDb, agentId: string, month: Month): Promise<StatementRow | undefined> {
  const r = await statements(db, agentId).where("month", "=", month).executeTakeFirst();
  return r ? statementRow(r) : undefined;
}

/** One of this agent's own statements, or undefined (someone else's is as missing as none). */
export async function myStatement(db: TenantDb, agentId: string, statementId: string): Promise<StatementRow | undefined> {
  const r = await statements(db, agentId).where("id", "=", statementId).executeTakeFirst();
  return r ? statementRow(r) : undefined;
}

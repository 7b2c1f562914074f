import type { TFunction } from "i18next";
import { sql } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import type { CommissionEntryKind, CommissionEntryStatus, Frequency, MovedReason } from "~db/schema";
import { csvLine, csvStream, minorToMajorText, nextCsvCursor, type CsvBatch, type CsvCursor } from "~/lib/csv.server";
import { applyRate, formatMoney } from "~/lib/money";
import { likeContains } from "~/modules/auth/users.server";
import { FREQUENCIES } from "~/modules/rating/rules";
import {
  clawbackSource,
  entryKindLabel,
  ENTRY_KINDS,
  ENTRY_STATUS_LABELS,
  ENTRY_STATUSES,
  MOVED_REASON_LABELS,
  type ClawbackSource,
} from "./labels";
import { formatRate } from "./calculate";
import { isMonth } from "./months";
import { rulesAt, type RuleRow, type RuleVersion } from "./rules.server";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";

/**
 * The commissions back office's read side: the rules overview and editor's data, the ledger with
 * its filters, totals and CSV export. The writes (rules, closes, payouts, disputes) live in the
 * engine's modules (rules.server, close.server, disputes.server); routes audit them.
 */

export const LEDGER_PAGE_SIZE = 25;

// ---------------------------------------------------------------------------------------------
// Rules

export interface RuleProduct {
  id: string;
  name: string;
  slug: string;
  active: boolean;
  /** The frequencies the product is sold at (its rating's), in FREQUENCIES order. */
  offered: Frequency[];
  /** The price of one instalment at each frequency, where the product has fixed prices. */
  prices: Partial<Record<Frequency, number>>;
  startingPriceMinor: number;
  /** Multipliers (basis points of the annual premium) for products priced by a quote. */
  multipliers: Partial<Record<Frequency, number>>;
}

type FrequencyPrice = { price?: unknown; multiplierBp?: unknown };

function pricing(rating: unknown): Pick<RuleProduct, "offered" | "prices" | "multipliers"> {
  const declared = (rating && typeof rating === "object" ? (rating as { frequencies?: unknown }).frequencies : undefined) ?? {
    annual: { multiplierBp: 10_000 },
  };
  const prices: Partial<Record<Frequency, number>> = {};
  const multipliers: Partial<Record<Frequency, number>> = {};
  const offered: Frequency[] = [];
  for (const f of FREQUENCIES) {
    const p = (declared as Record<string, FrequencyPrice | undefined>)[f];
    if (!p || typeof p !== "object") continue;
    offered.push(f);
    if (typeof p.price === "number") prices[f] = p.price;
    if (typeof p.multiplierBp === "number") multipliers[f] = p.multiplierBp;
  }
  return { offered: offered.length ? offered : ["annual"], prices, multipliers };
}

export function toRuleProduct(r: {
  id: string;
  name: string;
  slug: string;
  active: boolean;
  rating: unknown;
  starting_price_minor: number;
}): RuleProduct {
  return { id: r.id, name: r.name, slug: r.slug, active: r.active, startingPriceMinor: r.starting_price_minor, ...pricing(r.rating) };
}

/** One product as the rules editor needs it, or undefined (missing, or another tenant's). */
export async function ruleProduct(db: TenantDb, productId: string): Promise<RuleProduct | undefined> {
  const row = await db
    .selectFrom("products")
    .select(["id", "name", "slug", "active", "rating", "starting_price_minor"])
    .where("id", "=", productId)
    .executeTakeFirst();
  return row ? toRuleProduct(row) : undefined;
}

/**
 * The preview's default sale: the product's price at that frequency when it has fixed prices
 * (Hibah Gold 270 monthly: RM150), else its starting (annual) price times the frequency's share.
 */
export function defaultBaseMinor(product: RuleProduct, frequency: Frequency): number {
  const price = product.prices[frequency];
  if (price !== undefined) return price;
  const multiplier = product.multipliers[frequency] ?? (frequency === "annual" ? 10_000 : undefined);
  return multiplier !== undefined ? applyRate(product.startingPriceMinor, multiplier) : product.startingPriceMinor;
}

/** Every product (active first) with the rules in force now, per frequency. */
export async function rulesOverview(db: TenantDb): Promise<(RuleProduct & { rules: { frequency: Frequency; tiers: RuleRow[] }[] })[]> {
  const [products, rules] = await Promise.all([
    db
      .selectFrom("products")
      .select(["id", "name", "slug", "active", "rating", "starting_price_minor"])
      .orderBy("active", "desc")
      .orderBy("name")
      .execute(),
    rulesAt(db),
  ]);
  return products.map((p) => {
    const mine = rules.filter((r) => r.productId === p.id);
    return {
      ...toRuleProduct(p),
      rules: FREQUENCIES.flatMap((frequency) => {
        const tiers = mine.filter((r) => r.frequency === frequency);
        return tiers.length ? [{ frequency, tiers }] : [];
      }),
    };
  });
}

export type VersionState = "ended" | "in_force" | "scheduled";

/** Where a version stands at an instant: ended (a later one has started), in force, or scheduled. */
export function versionState(version: Pick<RuleVersion, "effectiveAt" | "endsAt">, now: Date): VersionState {
  if (version.effectiveAt > now) return "scheduled";
  return version.endsAt !== null && version.endsAt <= now ? "ended" : "in_force";
}

/** "T1 RM10.00" or "T1 11.11%", with a cap and qualification when the tier has them. */
export function describeTier(
  rule: Pick<RuleRow, "tier" | "kind" | "amountMinor" | "rateBp" | "capMinor" | "requiresActive" | "minPersonalSales">,
  currency: string,
  locale: string,
  // The back office's words (`serverT(language, "admin-network")`): conditions are read in the page's language.
  t: TFunction,
): { short: string; conditions: string[] } {
  const pays = rule.kind === "fixed" ? formatMoney(rule.amountMinor ?? 0, currency, locale) : formatRate(rule.rateBp ?? 0);
  const conditions: string[] = [];
  if (rule.capMinor !== null) conditions.push(t("rules.cappedAt", { amount: formatMoney(rule.capMinor, currency, locale) }));
  if (!rule.requiresActive) conditions.push(t("rules.anyStatus"));
  if (rule.minPersonalSales > 0) conditions.push(t("rules.ownSales", { count: rule.minPersonalSales }));
  return { short: `T${rule.tier} ${pays}`, conditions };
}

// ---------------------------------------------------------------------------------------------
// Ledger filters (from shareable URLs: a bad value is ignored and said, never a 500)

const monthFilter = lineText()
  .transform((v) => (/^\d{4}-\d{2}$/.test(v) ? `${v}-01` : v))
  .refine((v) => isMonth(v), "Choose a month like 2026-06.");

export const ledgerFiltersSchema = z.object({
  month: monthFilter.optional(),
  agent: lineText().min(1).max(100).optional(),
  kind: z.enum(ENTRY_KINDS).optional(),
  status: z.enum(ENTRY_STATUSES).optional(),
  tier: z.coerce.number().int().min(1).max(10).optional(),
  product: lineText().uuid().optional(),
});
export type LedgerFilters = z.infer<typeof ledgerFiltersSchema>;

const FILTER_KEYS = ["month", "agent", "kind", "status", "tier", "product"] as const;

export function ledgerFiltersFrom(params: URLSearchParams): { filters: LedgerFilters; ignored: string[] } {
  return readFilters(ledgerFiltersSchema, params);
}

/** The query string of a filter set (for the CSV link and pagination). */
export function ledgerFiltersQuery(filters: LedgerFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return params.toString();
}

function filteredEntries(db: TenantDb, filters: LedgerFilters) {
  let query = db
    .selectFrom("commission_entry_states as e")
    .innerJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "e.tenant_id").onRef("a.id", "=", "e.agent_id"))
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "a.tenant_id").onRef("u.id", "=", "a.user_id"))
    .leftJoin("products as p", (j) => j.onRef("p.tenant_id", "=", "e.tenant_id").onRef("p.id", "=", "e.product_id"))
    .leftJoin("agents as s", (j) => j.onRef("s.tenant_id", "=", "e.tenant_id").onRef("s.id", "=", "e.seller_agent_id"))
    .leftJoin("agents as pf", (j) => j.onRef("pf.tenant_id", "=", "e.tenant_id").onRef("pf.id", "=", "e.passed_from_agent_id"));
  if (filters.month) query = query.where("e.month", "=", filters.month);
  if (filters.kind) query = query.where("e.kind", "=", filters.kind);
  if (filters.status) query = query.where("e.status", "=", filters.status);
  if (filters.tier) query = query.where("e.tier", "=", filters.tier);
  if (filters.product) query = query.where("e.product_id", "=", filters.product);
  if (filters.agent) {
    const agent = filters.agent;
    // An agent number matches exactly; anything else searches names and emails.
    query = /^\d{5,6}$/.test(agent)
      ? query.where("a.agent_number", "=", agent)
      : query.where((eb) => eb.or([eb("u.name", "ilike", likeContains(agent)), eb("u.email", "ilike", likeContains(agent))]));
  }
  return query;
}

export interface LedgerRow {
  id: string;
  kind: CommissionEntryKind;
  /** A clawback's reason: a refund or a lost chargeback. */
  clawbackSource: ClawbackSource | null;
  status: CommissionEntryStatus;
  month: string;
  amountMinor: number;
  currency: string;
  tier: number | null;
  frequency: Frequency | null;
  baseMinor: number | null;
  rateBp: number | null;
  note: string | null;
  earnedAt: Date;
  createdAt: Date;
  agentId: string;
  agentNumber: string;
  agentName: string;
  productName: string | null;
  sellerNumber: string | null;
  passedFromNumber: string | null;
  /** Why the share went past `passedFromNumber` (entries written before migration 0034 have none). */
  movedReason: MovedReason | null;
  /** What the rule's monthly cap kept back from this earning (running caps, migration 0036). */
  withheldMinor: number | null;
  transactionId: string | null;
  disputeId: string | null;
}

export interface LedgerTotals {
  count: number;
  byCurrency: {
    currency: string;
    count: number;
    totalMinor: number;
    byKind: { kind: CommissionEntryKind; count: number; totalMinor: number }[];
  }[];
}

export async function listLedger(
  db: TenantDb,
  filters: LedgerFilters,
  options: { page: number; pageSize?: number },
): Promise<{ rows: LedgerRow[]; hasMore: boolean; totals: LedgerTotals }> {
  const pageSize = options.pageSize ?? LEDGER_PAGE_SIZE;
  const base = filteredEntries(db, filters);
  const [rows, sums] = await Promise.all([
    base
      .select([
        "e.id",
        "e.kind",
        "e.status",
        "e.month",
        "e.amount_minor",
        "e.currency",
        "e.tier",
        "e.frequency",
        "e.base_minor",
        "e.rate_bp",
        "e.note",
        "e.earned_at",
        "e.created_at",
        "e.transaction_id",
        "e.refund_id",
        "e.chargeback_id",
        "a.id as agent_id",
        "a.agent_number",
        "u.name as agent_name",
        "p.name as product_name",
        "s.agent_number as seller_number",
        "pf.agent_number as passed_from_number",
        "e.moved_reason",
        "e.withheld_minor",
      ])
      .select((eb) =>
        eb
          .selectFrom("commission_disputes as d")
          .select("d.id")
          .whereRef("d.entry_id", "=", "e.id")
          .orderBy("d.created_at", "desc")
          .limit(1)
          .as("dispute_id"),
      )
      .orderBy("e.created_at", "desc")
      .orderBy("e.id", "desc")
      .limit(pageSize + 1)
      .offset((options.page - 1) * pageSize)
      .execute(),
    base
      .select([
        "e.currency",
        "e.kind",
        sql<number>`count(*)::int`.as("count"),
        sql<number>`coalesce(sum(e.amount_minor), 0)::bigint`.as("total"),
      ])
      .groupBy(["e.currency", "e.kind"])
      .orderBy("e.currency")
      .execute(),
  ]);
  const currencies = [...new Set(sums.map((s) => s.currency))];
  return {
    rows: rows.slice(0, pageSize).map((r) => ({
      id: r.id,
      kind: r.kind,
      clawbackSource: clawbackSource(r),
      status: r.status,
      month: r.month,
      amountMinor: r.amount_minor,
      currency: r.currency,
      tier: r.tier,
      frequency: r.frequency,
      baseMinor: r.base_minor,
      rateBp: r.rate_bp,
      note: r.note,
      earnedAt: r.earned_at,
      createdAt: r.created_at,
      agentId: r.agent_id,
      agentNumber: r.agent_number,
      agentName: r.agent_name,
      productName: r.product_name,
      sellerNumber: r.seller_number,
      passedFromNumber: r.passed_from_number,
      movedReason: r.moved_reason,
      withheldMinor: r.withheld_minor,
      transactionId: r.transaction_id,
      disputeId: r.dispute_id,
    })),
    hasMore: rows.length > pageSize,
    totals: {
      count: sums.reduce((n, s) => n + s.count, 0),
      byCurrency: currencies.map((currency) => {
        const mine = sums.filter((s) => s.currency === currency);
        return {
          currency,
          count: mine.reduce((n, s) => n + s.count, 0),
          totalMinor: mine.reduce((n, s) => n + s.total, 0),
          byKind: ENTRY_KINDS.flatMap((kind) => {
            const row = mine.find((s) => s.kind === kind);
            return row ? [{ kind, count: row.count, totalMinor: row.total }] : [];
          }),
        };
      }),
    },
  };
}

/** What the ledger's filters offer: the months with entries (newest first) and the products. */
export async function ledgerFilterOptions(db: TenantDb): Promise<{ months: string[]; products: { id: string; name: string }[] }> {
  const [months, products] = await Promise.all([
    db.selectFrom("commission_entries").select("month").distinct().orderBy("month", "desc").execute(),
    db.selectFrom("products").select(["id", "name"]).orderBy("name").execute(),
  ]);
  return { months: months.map((m) => m.month), products };
}

// ---------------------------------------------------------------------------------------------
// Ledger CSV

export const LEDGER_CSV_BATCH = 1000;

export function ledgerCsvHeader(timeZone: string): string {
  return csvLine([
    "Entry id",
    "Month",
    `Created at (${timeZone})`,
    `Earned at (${timeZone})`,
    "Agent number",
    "Agent name",
    "Kind",
    "Status",
    "Tier",
    "Product",
    "Frequency",
    "Base",
    "Rate (%)",
    "Amount",
    "Currency",
    "Seller agent number",
    "Passed up from agent number",
    "Transaction id",
    "Note",
    "Moved because",
    "Withheld by cap",
  ]);
}

export async function ledgerCsvBatch(
  db: TenantDb,
  filters: LedgerFilters,
  options: { timeZone: string; cursor: CsvCursor | null; limit?: number },
): Promise<CsvBatch> {
  const limit = options.limit ?? LEDGER_CSV_BATCH;
  let query = filteredEntries(db, filters);
  if (options.cursor)
    query = query.where(sql<boolean>`(e.created_at, e.id) < (${options.cursor.at}::timestamptz, ${options.cursor.id}::uuid)`);
  const tz = options.timeZone;
  const rows = await query
    .select([
      "e.id",
      sql<string>`e.created_at::text`.as("cursor_at"),
      sql<string>`to_char(e.month, 'YYYY-MM')`.as("month_text"),
      sql<string>`to_char(e.created_at at time zone ${tz}, 'YYYY-MM-DD HH24:MI:SS')`.as("created_local"),
      sql<string>`to_char(e.earned_at at time zone ${tz}, 'YYYY-MM-DD HH24:MI:SS')`.as("earned_local"),
      "e.kind",
      "e.status",
      "e.tier",
      "e.frequency",
      "e.base_minor",
      "e.rate_bp",
      "e.amount_minor",
      "e.currency",
      "e.transaction_id",
      "e.refund_id",
      "e.chargeback_id",
      "e.note",
      "a.agent_number",
      "u.name as agent_name",
      "p.name as product_name",
      "s.agent_number as seller_number",
      "pf.agent_number as passed_from_number",
      "e.moved_reason",
      "e.withheld_minor",
    ])
    .orderBy("e.created_at", "desc")
    .orderBy("e.id", "desc")
    .limit(limit)
    .execute();
  const lines = rows
    .map((r) =>
      csvLine([
        r.id,
        r.month_text,
        r.created_local,
        r.earned_local,
        r.agent_number,
        r.agent_name,
        entryKindLabel(r.kind, clawbackSource(r)),
        ENTRY_STATUS_LABELS[r.status],
        r.tier,
        r.product_name,
        r.frequency,
        r.base_minor === null ? null : minorToMajorText(r.base_minor, r.currency),
        r.rate_bp === null ? null : (r.rate_bp / 100).toFixed(2),
        minorToMajorText(r.amount_minor, r.currency),
        r.currency,
        r.seller_number,
        r.passed_from_number,
        r.transaction_id,
        r.note,
        r.moved_reason ? MOVED_REASON_LABELS[r.moved_reason] : null,
        r.withheld_minor === null ? null : minorToMajorText(r.withheld_minor, r.currency),
      ]),
    )
    .join("");
  return { lines, next: nextCsvCursor(rows, limit) };
}

/** The whole filtered ledger as a CSV stream, batch by batch (one short transaction per batch). */
export function ledgerCsvStream(
  filters: LedgerFilters,
  timeZone: string,
  inTenant: <T>(fn: (db: TenantDb) => Promise<T>) => Promise<T>,
): ReadableStream<Uint8Array> {
  return csvStream(ledgerCsvHeader(timeZone), (cursor) => inTenant((db) => ledgerCsvBatch(db, filters, { timeZone, cursor })));
}

// ---------------------------------------------------------------------------------------------
// Months

/** A month in a URL ("2026-11", or "2026-11-01") as a Month, or a 404. */
export function monthParam(value: string | undefined): string {
  const month = value && /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
  if (!month || !isMonth(month)) throw new Response("Not found", { status: 404 });
  return month;
}

/** "2026-11-01" → "2026-11", for URLs. */
export const monthSlug = (month: string) => month.slice(0, 7);

export interface ClosedMonthInfo {
  closedAt: Date;
  closedBy: string | null;
  entriesCount: number;
  agentsCount: number;
  totalMinor: number;
  currency: string;
  statements: number;
  statementsRendered: number;
}

/** How a closed month was closed, and its statements (their PDFs are made by a job after the close). */
export async function closedMonthInfo(db: TenantDb, month: string): Promise<ClosedMonthInfo | undefined> {
  const row = await db
    .selectFrom("commission_months as m")
    .leftJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "m.tenant_id").onRef("u.id", "=", "m.closed_by"))
    .select(["m.closed_at", "u.name as closed_by", "m.entries_count", "m.agents_count", "m.total_minor", "m.currency"])
    .select((eb) => [
      eb
        .selectFrom("commission_statements as s")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("s.month", "=", "m.month")
        .as("statements"),
      eb
        .selectFrom("commission_statements as s")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("s.month", "=", "m.month")
        .where("s.file_key", "is not", null)
        .as("rendered"),
    ])
    .where("m.month", "=", month)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    entriesCount: row.entries_count,
    agentsCount: row.agents_count,
    totalMinor: row.total_minor,
    currency: row.currency,
    statements: row.statements ?? 0,
    statementsRendered: row.rendered ?? 0,
  };
}

/** A payout batch's month (for its page and its file's name), or undefined (missing, or another tenant's). */
export async function payoutBatch(db: TenantDb, batchId: string) {
  return db
    .selectFrom("payout_batches")
    .select(["id", "month", "reference", "status", "total_minor", "payouts_count"])
    .where("id", "=", batchId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Disputes

/** The agent with this number, for the disputes filter (undefined when none). */
export async function agentIdByNumber(db: TenantDb, agentNumber: string): Promise<string | undefined> {
  if (!/^\d{5,6}$/.test(agentNumber)) return undefined;
  const row = await db.selectFrom("agents").select("id").where("agent_number", "=", agentNumber).executeTakeFirst();
  return row?.id;
}

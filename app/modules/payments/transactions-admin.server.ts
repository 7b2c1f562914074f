import { sql } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import type { ChargebackStatus, TransactionMethod, TransactionProvider, TransactionStatus } from "~db/schema";
import { csvLine, csvStream, minorToMajorText, nextCsvCursor, type CsvBatch, type CsvCursor } from "~/lib/csv.server";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";
import { likeContains } from "~/modules/auth/users.server";
import { isIsoDate } from "~/modules/rating/dates";
import { TRANSACTION_STATES } from "~/modules/workflows/transaction";
import { PROVIDER_NAMES } from "./providers/types";
import { METHOD_LABELS, PROVIDER_LABELS } from "./settings.server";

/**
 * The back office's transactions list: labels, filters in the URL, a page with totals, and the CSV
 * export in batches. Reads only.
 */
export const TRANSACTIONS_PAGE_SIZE = 25;
export { METHOD_LABELS, PROVIDER_LABELS };

export const TRANSACTION_STATUS_LABELS: Record<TransactionStatus, string> = {
  pending: "Pending",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "Expired",
  partially_refunded: "Partly refunded",
  refunded: "Refunded",
};

export const CHARGEBACK_STATUS_LABELS: Record<ChargebackStatus, string> = {
  open: "Open",
  won: "Won",
  lost: "Lost",
};

/** A provider's dispute reason as staff read it: "product_not_received" → "Product not received". */
export function chargebackReasonLabel(reason: string | null): string | null {
  if (!reason) return null;
  const words = reason.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Filters (from shareable URLs: a bad value is ignored and said, never a 500)

const isoDate = lineText().refine((v) => isIsoDate(v), "Enter a date like 2026-06-01.");

export const transactionFiltersSchema = z.object({
  status: z.enum(TRANSACTION_STATES).optional(),
  method: z.enum(["mpesa", "card", "cash", "bank_transfer"]).optional(),
  provider: z.enum([...PROVIDER_NAMES, "offline"]).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: lineText().min(1).max(100).optional(),
});
export type TransactionFilters = z.infer<typeof transactionFiltersSchema>;

/** The filters in a URL's query (what was ignored, said); from/to are swapped when given the wrong way round. */
export function transactionFiltersFrom(params: URLSearchParams): { filters: TransactionFilters; ignored: string[] } {
  const { filters, ignored } = readFilters(transactionFiltersSchema, params);
  if (filters.from && filters.to && filters.from > filters.to) [filters.from, filters.to] = [filters.to, filters.from];
  return { filters, ignored };
}

/** The query string of a filter set (for the CSV link and pagination). */
export function transactionFiltersQuery(filters: TransactionFilters): string {
  const params = new URLSearchParams();
  for (const key of ["q", "status", "method", "provider", "from", "to"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

/**
 * Transactions with their order (directly, or through the instalment's policy) and customer,
 * narrowed by the filters. Dates are calendar days in the tenant's time zone: `to` includes its
 * whole day.
 */
export function filteredTransactions(db: TenantDb, filters: TransactionFilters, timeZone: string) {
  let query = db
    .selectFrom("transactions as t")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "t.tenant_id").onRef("u.id", "=", "t.user_id"))
    .leftJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "t.tenant_id").onRef("o.id", "=", "t.order_id"))
    .leftJoin("instalments as i", (j) => j.onRef("i.tenant_id", "=", "t.tenant_id").onRef("i.id", "=", "t.instalment_id"))
    .leftJoin("policies as ip", (j) => j.onRef("ip.tenant_id", "=", "i.tenant_id").onRef("ip.id", "=", "i.policy_id"))
    .leftJoin("orders as io", (j) => j.onRef("io.tenant_id", "=", "ip.tenant_id").onRef("io.id", "=", "ip.order_id"));
  if (filters.status) query = query.where("t.status", "=", filters.status);
  if (filters.method) query = query.where("t.method", "=", filters.method);
  if (filters.provider) query = query.where("t.provider", "=", filters.provider);
  if (filters.from) query = query.where(sql<boolean>`t.created_at >= (${filters.from}::date::timestamp at time zone ${timeZone})`);
  if (filters.to) query = query.where(sql<boolean>`t.created_at < ((${filters.to}::date + 1)::timestamp at time zone ${timeZone})`);
  if (filters.q) {
    const pattern = likeContains(filters.q);
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`coalesce(o.reference, io.reference)`, "ilike", pattern),
        eb("t.provider_ref", "ilike", pattern),
        eb("t.provider_receipt", "ilike", pattern),
      ]),
    );
  }
  return query;
}

export const orderReference = sql<string | null>`coalesce(o.reference, io.reference)`;
export const orderIdOf = sql<string | null>`coalesce(o.id, io.id)`;

export interface TransactionRow {
  id: string;
  createdAt: Date;
  status: TransactionStatus;
  provider: TransactionProvider;
  method: TransactionMethod;
  mode: "test" | "live";
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  providerRef: string | null;
  providerReceipt: string | null;
  failureMessage: string | null;
  orderId: string | null;
  orderReference: string | null;
  customerName: string;
  customerEmail: string;
}

export interface TransactionTotals {
  count: number;
  /** Per currency (an agency normally has one). Net = completed money less refunds. */
  byCurrency: { currency: string; count: number; amountMinor: number; refundedMinor: number; netMinor: number }[];
}

export async function listTransactions(
  db: TenantDb,
  filters: TransactionFilters,
  options: { page: number; timeZone: string; pageSize?: number },
): Promise<{ rows: TransactionRow[]; hasMore: boolean; totals: TransactionTotals }> {
  const pageSize = options.pageSize ?? TRANSACTIONS_PAGE_SIZE;
  const base = filteredTransactions(db, filters, options.timeZone);
  const rows = await base
    .select([
      "t.id",
      "t.created_at",
      "t.status",
      "t.provider",
      "t.method",
      "t.mode",
      "t.amount_minor",
      "t.refunded_minor",
      "t.currency",
      "t.provider_ref",
      "t.provider_receipt",
      "t.failure_message",
      "u.name as customer_name",
      "u.email as customer_email",
    ])
    .select([orderReference.as("order_reference"), orderIdOf.as("order_id")])
    .orderBy("t.created_at", "desc")
    .orderBy("t.id", "desc")
    .limit(pageSize + 1)
    .offset((options.page - 1) * pageSize)
    .execute();
  const sums = await base
    .select([
      "t.currency",
      sql<number>`count(*)::int`.as("count"),
      sql<number>`coalesce(sum(t.amount_minor), 0)::bigint`.as("amount"),
      sql<number>`coalesce(sum(t.refunded_minor), 0)::bigint`.as("refunded"),
      sql<number>`coalesce(sum(t.amount_minor - t.refunded_minor) filter (where t.status in ('completed', 'partially_refunded', 'refunded')), 0)::bigint`.as(
        "net",
      ),
    ])
    .groupBy("t.currency")
    .orderBy("t.currency")
    .execute();
  return {
    rows: rows.slice(0, pageSize).map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      status: r.status,
      provider: r.provider,
      method: r.method,
      mode: r.mode,
      amountMinor: r.amount_minor,
      refundedMinor: r.refunded_minor,
      currency: r.currency,
      providerRef: r.provider_ref,
      providerReceipt: r.provider_receipt,
      failureMessage: r.failure_message,
      orderId: r.order_id,
      orderReference: r.order_reference,
      customerName: r.customer_name,
      customerEmail: r.customer_email,
    })),
    hasMore: rows.length > pageSize,
    totals: {
      count: sums.reduce((n, s) => n + s.count, 0),
      byCurrency: sums.map((s) => ({
        currency: s.currency,
        count: s.count,
        amountMinor: s.amount,
        refundedMinor: s.refunded,
        netMinor: s.net,
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV export

export const TRANSACTIONS_CSV_BATCH = 500;

export function transactionsCsvHeader(timeZone: string): string {
  return csvLine([
    `Created at (${timeZone})`,
    "Order reference",
    "Customer email",
    "Provider",
    "Method",
    "Mode",
    "Status",
    "Amount",
    "Currency",
    "Refunded",
    "Provider ref",
    "Receipt",
    "Failure message",
  ]);
}

/** One batch of CSV lines after `cursor` (newest first), and the cursor for the next batch (null at the end). */
export async function transactionsCsvBatch(
  db: TenantDb,
  filters: TransactionFilters,
  options: { timeZone: string; cursor: CsvCursor | null; limit?: number },
): Promise<CsvBatch> {
  const limit = options.limit ?? TRANSACTIONS_CSV_BATCH;
  let query = filteredTransactions(db, filters, options.timeZone);
  const cursor = options.cursor;
  if (cursor) query = query.where(sql<boolean>`(t.created_at, t.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  const rows = await query
    .select([
      "t.id",
      sql<string>`t.created_at::text`.as("cursor_at"),
      sql<string>`to_char(t.created_at at time zone ${options.timeZone}, 'YYYY-MM-DD HH24:MI:SS')`.as("local_time"),
      "t.status",
      "t.provider",
      "t.method",
      "t.mode",
      "t.amount_minor",
      "t.refunded_minor",
      "t.currency",
      "t.provider_ref",
      "t.provider_receipt",
      "t.failure_message",
      "u.email as customer_email",
    ])
    .select(orderReference.as("order_reference"))
    .orderBy("t.created_at", "desc")
    .orderBy("t.id", "desc")
    .limit(limit)
    .execute();
  const lines = rows
    .map((r) =>
      csvLine([
        r.local_time,
        r.order_reference,
        r.customer_email,
        PROVIDER_LABELS[r.provider],
        METHOD_LABELS[r.method],
        r.mode,
        TRANSACTION_STATUS_LABELS[r.status],
        minorToMajorText(r.amount_minor, r.currency),
        r.currency,
        minorToMajorText(r.refunded_minor, r.currency),
        r.provider_ref,
        r.provider_receipt,
        r.failure_message,
      ]),
    )
    .join("");
  return { lines, next: nextCsvCursor(rows, limit) };
}

/**
 * The whole filtered set as a CSV stream, batch by batch (one short database transaction per
 * batch, none held open while the client reads). `inTenant` runs a function in withTenant.
 */
export function transactionsCsvStream(
  filters: TransactionFilters,
  timeZone: string,
  inTenant: <T>(fn: (db: TenantDb) => Promise<T>) => Promise<T>,
): ReadableStream<Uint8Array> {
  return csvStream(transactionsCsvHeader(timeZone), (cursor) => inTenant((db) => transactionsCsvBatch(db, filters, { timeZone, cursor })));
}

// ---------------------------------------------------------------------------------------------
// One transaction

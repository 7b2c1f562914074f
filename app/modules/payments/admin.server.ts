import { sql } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import type {
  ChargebackStatus,
  GatewayLogKind,
  ProviderEventKind,
  ProviderName,
  RefundStatus,
  TransactionMethod,
  TransactionProvider,
  TransactionStatus,
} from "~db/schema";
import { csvLine, csvStream, minorToMajorText, nextCsvCursor, type CsvBatch, type CsvCursor } from "~/lib/csv.server";
import { formatMoney, minorDigits } from "~/lib/money";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { likeContains } from "~/modules/auth/users.server";
import { retryIssuance } from "~/modules/policies/issuance.server";
import { parseMajorToMinor } from "~/modules/rating";
import { isIsoDate } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { timelineOf, type TimelineEntry } from "~/modules/workflows/timeline.server";
import { TRANSACTION_STATES } from "~/modules/workflows/transaction";
import { REFUND_REASON_MAX } from "./admin-forms";
import { chargebacksOf, type ChargebackView } from "./chargebacks.server";
import { PROVIDER_NAMES } from "./providers/types";
import { requestRefund } from "./refunds.server";
import {
  listProviderSettings,
  METHOD_LABELS,
  PROVIDER_LABELS,
  providerConfig,
  saveProviderSettings,
  SECRET_FIELDS,
} from "./settings.server";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";

/**
 * The back office's view of payments: the transactions list (filters, totals, CSV), one
 * transaction with its raw gateway log, staff refunds and issuance retries, and the tenant's
 * payment provider settings. Reads here; money moves only through refunds.server and issuance
 * through issuance.server, each audited from here.
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
function filteredTransactions(db: TenantDb, filters: TransactionFilters, timeZone: string) {
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

const orderReference = sql<string | null>`coalesce(o.reference, io.reference)`;
const orderIdOf = sql<string | null>`coalesce(o.id, io.id)`;

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

export interface GatewayLogView {
  id: string;
  kind: GatewayLogKind;
  provider: string;
  request: unknown;
  response: unknown;
  rawBody: string | null;
  durationMs: number | null;
  createdAt: Date;
}

export interface TransactionDetail extends TransactionRow {
  instalmentId: string | null;
  instalmentSequence: number | null;
  userId: string;
  customerPhone: string | null;
  phoneMasked: string | null;
  failureCode: string | null;
  completedAt: Date | null;
  orderStatus: string | null;
  orderPaidAt: Date | null;
  itemCount: number;
  policies: {
    id: string;
    policyNumber: string | null;
    status: string;
    productName: string;
    hasCertificate: boolean;
    instalmentMinor: number;
    frequency: string;
  }[];
  receipt: { number: string; hasFile: boolean } | null;
  gatewayLog: GatewayLogView[];
  events: {
    id: string;
    providerEventId: string;
    kind: ProviderEventKind;
    deliveries: number;
    receivedAt: Date;
    processedAt: Date | null;
    outcome: string | null;
  }[];
  refunds: {
    id: string;
    amountMinor: number;
    reason: string;
    status: RefundStatus;
    providerRefundRef: string | null;
    failureMessage: string | null;
    requestedBy: string | null;
    policyNumber: string | null;
    createdAt: Date;
    completedAt: Date | null;
  }[];
  /** Cardholders' disputes of this payment, oldest first. */
  chargebacks: ChargebackView[];
  /** The payment's state changes and its chargebacks', in order. */
  timeline: TimelineEntry[];
  /** Refunds asked for and not settled yet (requested or pending): not in refundedMinor, but spoken for. */
  refundsInFlightMinor: number;
  /** What can still be refunded: amount − refunded − refunds in flight (0 when not refundable). */
  refundableMinor: number;
  /** Paid order whose issuance is incomplete: fewer policies than items, or documents missing. */
  issuanceIncomplete: boolean;
}

const REFUNDABLE: TransactionStatus[] = ["completed", "partially_refunded"];

export async function getTransactionDetail(db: TenantDb, transactionId: string): Promise<TransactionDetail | undefined> {
  const row = await filteredTransactions(db, {}, "UTC")
    .selectAll("t")
    .select([
      "u.name as customer_name",
      "u.email as customer_email",
      "u.phone as customer_phone",
      "i.sequence as instalment_sequence",
      sql<string | null>`coalesce(o.status, io.status)`.as("order_status"),
      sql<Date | null>`coalesce(o.paid_at, io.paid_at)`.as("order_paid_at"),
    ])
    .select([orderReference.as("order_reference"), orderIdOf.as("resolved_order_id")])
    .where("t.id", "=", transactionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const orderId = row.resolved_order_id;

  const [gatewayLog, events, refunds, receipt, timeline] = [
    await db
      .selectFrom("gateway_log")
      .select(["id", "kind", "provider", "request", "response", "raw_body", "duration_ms", "created_at"])
      .where("transaction_id", "=", transactionId)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    await db
      .selectFrom("provider_events")
      .select(["id", "provider_event_id", "kind", "deliveries", "received_at", "processed_at", "outcome"])
      .where("transaction_id", "=", transactionId)
      .orderBy("received_at")
      .orderBy("id")
      .execute(),
    await db
      .selectFrom("refunds as r")
      .leftJoin("users as ru", (j) => j.onRef("ru.tenant_id", "=", "r.tenant_id").onRef("ru.id", "=", "r.requested_by"))
      .leftJoin("policies as rp", (j) => j.onRef("rp.tenant_id", "=", "r.tenant_id").onRef("rp.id", "=", "r.policy_id"))
      .select([
        "r.id",
        "r.amount_minor",
        "r.reason",
        "r.status",
        "r.provider_refund_ref",
        "r.failure_message",
        "r.created_at",
        "r.completed_at",
        "ru.name as requested_by",
        "rp.policy_number",
      ])
      .where("r.transaction_id", "=", transactionId)
      .orderBy("r.created_at")
      .orderBy("r.id")
      .execute(),
    await db.selectFrom("receipts").select(["receipt_number", "file_key"]).where("transaction_id", "=", transactionId).executeTakeFirst(),
    await timelineOf(db, "transaction", transactionId),
  ];
  const disputes = await chargebacksOf(db, transactionId);

  let policies: TransactionDetail["policies"] = [];
  let itemCount = 0;
  if (orderId) {
    const policyRows = await db
      .selectFrom("policies as p")
      .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
      .select([
        "p.id",
        "p.policy_number",
        "p.status",
        "p.certificate_file_key",
        "p.instalment_minor",
        "p.frequency",
        "pr.name as product_name",
      ])
      .where("p.order_id", "=", orderId)
      .orderBy("p.created_at")
      .orderBy("p.id")
      .execute();
    policies = policyRows.map((p) => ({
      id: p.id,
      policyNumber: p.policy_number,
      status: p.status,
      productName: p.product_name,
      hasCertificate: p.certificate_file_key !== null,
      instalmentMinor: p.instalment_minor,
      frequency: p.frequency,
    }));
    const items = await db
      .selectFrom("order_items")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("order_id", "=", orderId)
      .executeTakeFirstOrThrow();
    itemCount = items.n;
  }

  const refundsInFlightMinor = refunds
    .filter((r) => r.status === "requested" || r.status === "pending")
    .reduce((sum, r) => sum + r.amount_minor, 0);
  const refundableMinor = REFUNDABLE.includes(row.status) ? Math.max(0, row.amount_minor - row.refunded_minor - refundsInFlightMinor) : 0;
  const paid = row.order_id !== null && row.order_status === "paid" && REFUNDABLE.includes(row.status);
  const documentsMissing =
    policies.some((p) => (p.status === "active" || p.status === "grace") && !p.hasCertificate) || !receipt || receipt.file_key === null;
  const issuanceIncomplete = paid && (policies.length < itemCount || documentsMissing);

  return {
    id: row.id,
    createdAt: row.created_at,
    status: row.status,
    provider: row.provider,
    method: row.method,
    mode: row.mode,
    amountMinor: row.amount_minor,
    refundedMinor: row.refunded_minor,
    currency: row.currency,
    providerRef: row.provider_ref,
    providerReceipt: row.provider_receipt,
    failureMessage: row.failure_message,
    failureCode: row.failure_code,
    orderId,
    orderReference: row.order_reference,
    orderStatus: row.order_status,
    orderPaidAt: row.order_paid_at,
    instalmentId: row.instalment_id,
    instalmentSequence: row.instalment_sequence,
    userId: row.user_id,
    customerName: row.customer_name,
    customerEmail: row.customer_email,
    customerPhone: row.customer_phone,
    phoneMasked: row.phone_masked,
    completedAt: row.completed_at,
    itemCount,
    policies,
    receipt: receipt ? { number: receipt.receipt_number, hasFile: receipt.file_key !== null } : null,
    gatewayLog: gatewayLog.map((g) => ({
      id: g.id,
      kind: g.kind,
      provider: g.provider,
      request: g.request,
      response: g.response,
      rawBody: g.raw_body,
      durationMs: g.duration_ms,
      createdAt: g.created_at,
    })),
    events: events.map((e) => ({
      id: e.id,
      providerEventId: e.provider_event_id,
      kind: e.kind,
      deliveries: e.deliveries,
      receivedAt: e.received_at,
      processedAt: e.processed_at,
      outcome: e.outcome,
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      amountMinor: r.amount_minor,
      reason: r.reason,
      status: r.status,
      providerRefundRef: r.provider_refund_ref,
      failureMessage: r.failure_message,
      requestedBy: r.requested_by,
      policyNumber: r.policy_number,
      createdAt: r.created_at,
      completedAt: r.completed_at,
    })),
    chargebacks: disputes.chargebacks,
    timeline: [...timeline, ...disputes.timeline].sort((x, y) => x.at.getTime() - y.at.getTime()),
    refundsInFlightMinor,
    refundableMinor,
    issuanceIncomplete,
  };
}

/** JSON as staff read it in the gateway log: indented, or the text itself when it is a string. */
export function prettyJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch (_error) {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

// ---------------------------------------------------------------------------------------------
// Refunds

export type RefundCheck =
  | { ok: true; amountMinor: number; reason: string; detail: TransactionDetail }
  | { ok: false; errors: Record<string, string[]>; notFound?: true };

/**
 * A staff refund as typed: the amount in major units ("1500", "1,500.50") parsed exactly to minor
 * units, more than zero and no more than what is left to refund, and a reason. Field errors are
 * keyed `amount`, `reason` or `form`.
 */
export async function checkRefund(
  db: TenantDb,
  transactionId: string,
  input: { amount: string | undefined; reason: string | undefined },
  locale: string,
): Promise<RefundCheck> {
  const detail = await getTransactionDetail(db, transactionId);
  if (!detail) return { ok: false, errors: {}, notFound: true };
  const errors: Record<string, string[]> = {};
  const money = (minor: number) => formatMoney(minor, detail.currency, locale);
  if (!REFUNDABLE.includes(detail.status)) {
    errors.form = [
      detail.status === "refunded"
        ? "This payment has been refunded in full already."
        : "Only a completed payment can be refunded: this one did not take the customer's money.",
    ];
    return { ok: false, errors };
  }
  const reason = (input.reason ?? "").trim();
  if (!reason) errors.reason = ["Give the reason for this refund (the customer and the audit log see it)."];
  else if (reason.length > REFUND_REASON_MAX) errors.reason = [`Keep the reason under ${REFUND_REASON_MAX} characters.`];

  let amountMinor = 0;
  const amountText = (input.amount ?? "").trim();
  if (!amountText) errors.amount = ["Enter the amount to refund."];
  else {
    const parsed = parseMajorToMinor(amountText, detail.currency);
    if (!parsed.ok) {
      const digits = minorDigits(detail.currency);
      errors.amount = [
        parsed.reason === "decimals"
          ? digits === 0
            ? `${detail.currency} amounts have no decimals.`
            : `${detail.currency} amounts have at most ${digits} decimal places.`
          : parsed.reason === "negative"
            ? "Enter an amount more than zero."
            : parsed.reason === "too_large"
              ? `At most ${money(detail.refundableMinor)} is left to refund.`
              : "Enter an amount such as 1500 or 1,500.50.",
      ];
    } else if (parsed.minor <= 0) {
      errors.amount = ["Enter an amount more than zero."];
    } else if (parsed.minor > detail.refundableMinor) {
      errors.amount = [
        detail.refundableMinor === 0
          ? "Nothing is left to refund on this payment."
          : `That is more than is left to refund: at most ${money(detail.refundableMinor)}${
              detail.refundsInFlightMinor > 0 ? ` (${money(detail.refundsInFlightMinor)} is already being refunded)` : ""
            }.`,
      ];
    } else amountMinor = parsed.minor;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, amountMinor, reason, detail };
}

/** Checks again (the confirmation may be stale), asks the provider through requestRefund, audits. */
export async function refundTransaction(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "locale">,
  transactionId: string,
  input: { amount: string | undefined; reason: string | undefined },
  actor: Actor & { userId: string },
): Promise<
  | { ok: true; refundId: string; amountMinor: number; currency: string; offline: boolean }
  | { ok: false; errors: Record<string, string[]>; notFound?: true }
> {
  const check = await checkRefund(db, transactionId, input, tenant.locale);
  if (!check.ok) return check;
  const result = await requestRefund(db, tenant.id, {
    transactionId,
    amountMinor: check.amountMinor,
    reason: check.reason,
    userId: actor.userId,
  });
  if (!result.ok) return { ok: false, errors: { [result.field ?? "form"]: [result.message] } };
  await recordAudit(db, actor, {
    // An offline payment's refund is recorded as paid back at once (refunds.server): staff return the money themselves.
    action: check.detail.provider === "offline" ? "payment.offline_refund_recorded" : "payment.refund_requested",
    targetType: "transaction",
    targetId: transactionId,
    details: { refundId: result.refundId, amountMinor: check.amountMinor, currency: check.detail.currency, reason: check.reason },
  });
  return {
    ok: true,
    refundId: result.refundId,
    amountMinor: check.amountMinor,
    currency: check.detail.currency,
    offline: check.detail.provider === "offline",
  };
}

/** Issues what a paid order is missing (policies, certificates, receipt) again; audited. */
export async function retryTransactionIssuance(
  db: TenantDb,
  tenantId: string,
  transactionId: string,
  actor: Actor,
): Promise<{ ok: true } | { ok: false; message: string; notFound?: true }> {
  const detail = await getTransactionDetail(db, transactionId);
  if (!detail) return { ok: false, message: "Not found", notFound: true };
  if (!detail.orderId || !detail.issuanceIncomplete) {
    return { ok: false, message: "Nothing to retry: every policy of this order is issued with its documents." };
  }
  const result = await retryIssuance(db, tenantId, detail.orderId);
  if (!result.ok) return result;
  await recordAudit(db, actor, {
    action: "payment.issuance_retried",
    targetType: "transaction",
    targetId: transactionId,
    details: { orderId: detail.orderId, orderReference: detail.orderReference },
  });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Provider settings

export interface ProviderFieldDef {
  name: string;
  label: string;
  hint?: string;
  secret: boolean;
  required: boolean;
  options?: { value: string; label: string }[];
}

/** The form of each provider, in the words of its dashboard (fields of the zod schemas in providers/types.ts). */
export const PROVIDER_FIELDS: Record<ProviderName, ProviderFieldDef[]> = {
  mpesa: [
    { name: "consumerKey", label: "Consumer key", hint: "Daraja portal → your app → Keys.", secret: true, required: true },
    { name: "consumerSecret", label: "Consumer secret", secret: true, required: true },
    {
      name: "shortcode",
      label: "Business short code",
      hint: "The paybill, or the store (head office) number for Buy Goods: 5 to 7 digits.",
      secret: false,
      required: true,
    },
    { name: "passkey", label: "Lipa na M-Pesa Online passkey", secret: true, required: true },
    {
      name: "transactionType",
      label: "Transaction type",
      secret: false,
      required: true,
      options: [
        { value: "CustomerPayBillOnline", label: "Paybill (CustomerPayBillOnline)" },
        { value: "CustomerBuyGoodsOnline", label: "Buy Goods / till (CustomerBuyGoodsOnline)" },
      ],
    },
    {
      name: "tillNumber",
      label: "Till number",
      hint: "Buy Goods only: the till that receives the money. Defaults to the short code.",
      secret: false,
      required: false,
    },
    {
      name: "initiatorName",
      label: "Initiator name",
      hint: "For refunds (reversals): the API operator's user name.",
      secret: false,
      required: false,
    },
    {
      name: "securityCredential",
      label: "Security credential",
      hint: "For refunds: the initiator password encrypted with Safaricom's certificate, as the Daraja portal issues it.",
      secret: true,
      required: false,
    },
    {
      name: "b2cShortcode",
      label: "B2C short code",
      hint: "For claim payouts (B2C): the disbursement short code the money leaves from. Defaults to the short code; uses the initiator above.",
      secret: false,
      required: false,
    },
    {
      name: "b2cCommand",
      label: "B2C payment type",
      secret: false,
      required: false,
      options: [
        { value: "BusinessPayment", label: "Business payment (BusinessPayment)" },
        { value: "PromotionPayment", label: "Promotion payment (PromotionPayment)" },
      ],
    },
  ],
  paystack: [
    {
      name: "secretKey",
      label: "Secret key",
      hint: "Settings → API keys & webhooks: sk_test_… or sk_live_…",
      secret: true,
      required: true,
    },
    { name: "publicKey", label: "Public key", hint: "pk_test_… or pk_live_…", secret: false, required: true },
  ],
  stripe: [
    {
      name: "secretKey",
      label: "Secret key",
      hint: "Developers → API keys: sk_test_… / sk_live_… (or a restricted rk_ key).",
      secret: true,
      required: true,
    },
    { name: "publishableKey", label: "Publishable key", hint: "pk_test_… or pk_live_…", secret: false, required: true },
    {
      name: "webhookSecret",
      label: "Webhook signing secret",
      hint: "Developers → Webhooks → your endpoint: whsec_…",
      secret: true,
      required: true,
    },
  ],
  sandbox: [
    {
      name: "secret",
      label: "Signing secret",
      hint: "Signs the sandbox payment page's results: any random text of at least 16 characters.",
      secret: true,
      required: true,
    },
  ],
};

/** Write-only fields: settings.server's SECRET_FIELDS decides (the form's `secret` flags must agree). */
const isSecret = (field: ProviderFieldDef) => field.secret || SECRET_FIELDS.has(field.name);

export interface ProviderSettingsView {
  provider: ProviderName;
  label: string;
  enabled: boolean;
  mode: "test" | "live";
  configured: boolean;
  fields: (ProviderFieldDef & { value: string; isSet: boolean; masked: string | null })[];
}

/** Each provider with its form: non-secret values as saved, secrets only as "set" (never their value). */
export async function providerSettingsView(db: TenantDb, tenantId: string): Promise<ProviderSettingsView[]> {
  const settings = await listProviderSettings(db, tenantId);
  return settings.map((s) => ({
    provider: s.provider,
    label: PROVIDER_LABELS[s.provider],
    enabled: s.enabled,
    mode: s.mode,
    configured: s.configured,
    fields: PROVIDER_FIELDS[s.provider].map((f) => {
      const summary = s.summary[f.name];
      const secret = isSecret(f);
      return {
        ...f,
        secret,
        value: secret ? "" : (summary ?? (f.name === "transactionType" ? "CustomerPayBillOnline" : "")),
        isSet: summary !== undefined,
        masked: secret && summary !== undefined ? summary : null,
      };
    }),
  }));
}

export interface ProviderForm {
  enabled: boolean;
  mode: "test" | "live";
  /** Typed values; a blank secret keeps the saved one. */
  values: Record<string, string | undefined>;
  /** Optional secrets to forget ("Remove the saved value"). */
  clear: string[];
}

/**
 * Saves one provider from its form. Secrets are write-only: a blank secret field keeps the stored
 * value, so the whole configuration handed to saveProviderSettings is the stored one with the
 * typed changes on top. Errors come back keyed by field name (`form` for the rest). Audited
 * with the names of the fields that changed, never their values.
 */
export async function saveProviderForm(
  db: TenantDb,
  tenantId: string,
  provider: ProviderName,
  form: ProviderForm,
  actor: Actor,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  const stored = await providerConfig(db, tenantId, provider);
  const before = stored?.config ?? {};
  const config: Record<string, unknown> = { mode: form.mode };
  const changed: string[] = [];
  for (const field of PROVIDER_FIELDS[provider]) {
    const typed = form.values[field.name]?.trim();
    let value: unknown;
    if (isSecret(field) && form.clear.includes(field.name) && !field.required) value = undefined;
    else if (typed) value = typed;
    else if (isSecret(field)) value = before[field.name];
    else value = undefined;
    if (value !== undefined) config[field.name] = value;
    if (value !== before[field.name]) changed.push(field.name);
  }
  const result = await saveProviderSettings(db, tenantId, provider, { enabled: form.enabled, config });
  if (!result.ok) return { ok: false, errors: providerErrors(provider, config, result.errors) };
  await recordAudit(db, actor, {
    action: "payment.provider_updated",
    targetType: "payment_provider",
    targetId: provider,
    details: {
      provider,
      enabled: form.enabled,
      mode: form.mode,
      wasEnabled: stored?.enabled ?? null,
      wasMode: stored?.mode ?? null,
      changedFields: changed,
    },
  });
  return { ok: true };
}

/** saveProviderSettings' zod errors in the form's words, on the field they are about. */
function providerErrors(provider: ProviderName, config: Record<string, unknown>, raw: Record<string, string[]>): Record<string, string[]> {
  const defs = PROVIDER_FIELDS[provider];
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);
  for (const [key, messages] of Object.entries(raw)) {
    const def = defs.find((f) => f.name === key);
    if (provider === "mpesa" && key === "securityCredential" && config.initiatorName === undefined) {
      add("initiatorName", "Required with a security credential (both are needed for refunds).");
    } else if (provider === "mpesa" && key === "securityCredential" && config.securityCredential === undefined) {
      add("securityCredential", "Required with an initiator name (both are needed for refunds).");
    } else if (def && config[key] === undefined) {
      add(key, "Required.");
    } else if (def || key === "mode") {
      for (const m of messages) add(key, sentence(m));
    } else {
      for (const m of messages) add("form", `${key}: ${m}`);
    }
  }
  return errors;
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

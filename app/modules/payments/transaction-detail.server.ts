import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { GatewayLogKind, ProviderEventKind, RefundStatus, TransactionStatus } from "~db/schema";
import { formatMoney, minorDigits } from "~/lib/money";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { retryIssuance } from "~/modules/policies/issuance.server";
import { parseMajorToMinor } from "~/modules/rating";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { timelineOf, type TimelineEntry } from "~/modules/workflows/timeline.server";
import { REFUND_REASON_MAX } from "./admin-forms";
import { chargebacksOf, type ChargebackView } from "./chargebacks.server";
import { requestRefund } from "./refunds.server";
import { filteredTransactions, orderIdOf, orderReference, type TransactionRow } from "./transactions-admin.server";

/**
 * One transaction as staff see it: its raw gateway log, chargebacks and timeline, and what staff may
 * do to it: a refund (money moves only through refunds.server) and an issuance retry (through
 * issuance.server), each audited here.
 */
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
  /** What the provider converted (PayPal: rate, amount received), as it reported it. */
  providerDetails: Record<string, string> | null;
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
    providerDetails: row.provider_details,
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

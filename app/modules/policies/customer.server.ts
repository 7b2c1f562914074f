import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { exactTime, olderThan, type Position } from "~/lib/keyset.server";
import type { Frequency, InstalmentStatus, PolicyStatus, TransactionMethod, TransactionProvider, TransactionStatus } from "~db/schema";

/**
 * The customer's own side of policies and payments (issue 4 §7): "My policies", one policy with its
 * schedule, documents and payments, and the payment history. Every query is scoped twice: RLS keeps
 * it inside the tenant, and `user_id = userId` keeps it inside the account. Another customer's
 * policy is not "forbidden" here — it simply does not exist (the routes answer 404).
 *
 * Files are returned as keys; routes turn them into signed, short-lived links for this user.
 */

export const MY_POLICIES_PAGE_SIZE = 20;
export const MY_PAYMENTS_PAGE_SIZE = 20;

/** Instalments still to pay. Due dates follow the sequence, so the earliest open one is always due, overdue or the next scheduled. */
const OPEN: InstalmentStatus[] = ["scheduled", "due", "overdue"];
const PAYABLE_POLICY: PolicyStatus[] = ["active", "grace"];

export interface NextInstalment {
  id: string;
  sequence: number;
  dueDate: string;
  amountMinor: number;
  status: InstalmentStatus;
}

export interface MyPolicyRow {
  id: string;
  policyNumber: string | null;
  status: PolicyStatus;
  declineReason: string | null;
  productName: string;
  insurerName: string;
  categoryName: string;
  orderReference: string;
  frequency: Frequency;
  instalmentMinor: number;
  currency: string;
  startDate: string | null;
  endDate: string | null;
  createdAt: Date;
  nextInstalment: NextInstalment | null;
}

function policiesQuery(db: TenantDb) {
  return db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("insurers as i", (j) => j.onRef("i.tenant_id", "=", "pr.tenant_id").onRef("i.id", "=", "pr.insurer_id"))
    .innerJoin("categories as c", (j) => j.onRef("c.tenant_id", "=", "pr.tenant_id").onRef("c.id", "=", "pr.category_id"))
    .innerJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "p.tenant_id").onRef("o.id", "=", "p.order_id"))
    .select([
      "p.id",
      "p.policy_number",
      "p.status",
      "p.decline_reason",
      "p.order_id",
      "p.frequency",
      "p.instalment_minor",
      "p.annual_premium_minor",
      "p.discount_minor",
      "p.currency",
      "p.start_date",
      "p.end_date",
      "p.issued_at",
      "p.created_at",
      "p.certificate_file_key",
      "pr.name as product_name",
      "pr.slug as product_slug",
      "i.name as insurer_name",
      "c.name as category_name",
      "o.reference as order_reference",
      "o.holder as holder",
    ]);
}

/** The next instalment of each policy that is still to pay: the earliest open one. */
async function nextInstalments(db: TenantDb, policyIds: string[]): Promise<Map<string, NextInstalment>> {
  const next = new Map<string, NextInstalment>();
  if (policyIds.length === 0) return next;
  const rows = await db
    .selectFrom("instalments")
    .select(["id", "policy_id", "sequence", "due_date", "amount_minor", "status"])
    .where("policy_id", "in", policyIds)
    .where("status", "in", OPEN)
    .orderBy("policy_id")
    .orderBy("sequence")
    .execute();
  for (const row of rows) {
    // Rows come in sequence order: the first of each policy is its next one.
    if (!next.has(row.policy_id)) {
      next.set(row.policy_id, {
        id: row.id,
        sequence: row.sequence,
        dueDate: row.due_date,
        amountMinor: row.amount_minor,
        status: row.status,
      });
    }
  }
  return next;
}

type PolicyListRow = Awaited<ReturnType<ReturnType<typeof policiesQuery>["execute"]>>[number];

async function withNextInstalments(db: TenantDb, rows: PolicyListRow[]): Promise<MyPolicyRow[]> {
  const next = await nextInstalments(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    policyNumber: r.policy_number,
    status: r.status,
    declineReason: r.decline_reason,
    productName: r.product_name,
    insurerName: r.insurer_name,
    categoryName: r.category_name,
    orderReference: r.order_reference,
    frequency: r.frequency,
    instalmentMinor: r.instalment_minor,
    currency: r.currency,
    startDate: r.start_date,
    endDate: r.end_date,
    createdAt: r.created_at,
    nextInstalment: next.get(r.id) ?? null,
  }));
}

/** `limit` of the customer's policies after `after` (newest first), for the API's cursor pages. */
export async function myPoliciesAfter(
  db: TenantDb,
  userId: string,
  after: Position | undefined,
  limit: number,
): Promise<(MyPolicyRow & { cursorAt: string })[]> {
  let query = policiesQuery(db).select(exactTime("p.created_at").as("cursor_at")).where("p.user_id", "=", userId);
  if (after) query = query.where(olderThan("p.created_at", "p.id", after));
  const rows = await query.orderBy("p.created_at", "desc").orderBy("p.id", "desc").limit(limit).execute();
  const policies = await withNextInstalments(db, rows);
  return policies.map((p, i) => ({ ...p, cursorAt: rows[i]!.cursor_at }));
}

/** The signed-in customer's policies, newest first, a page at a time. */
export async function listMyPolicies(
  db: TenantDb,
  userId: string,
  options: { page: number; pageSize?: number },
): Promise<{ rows: MyPolicyRow[]; hasMore: boolean; total: number }> {
  const pageSize = options.pageSize ?? MY_POLICIES_PAGE_SIZE;
  const rows = await policiesQuery(db)
    .where("p.user_id", "=", userId)
    .orderBy("p.created_at", "desc")
    .orderBy("p.id")
    .limit(pageSize + 1)
    .offset((options.page - 1) * pageSize)
    .execute();
  const page = rows.slice(0, pageSize);
  const total = await db
    .selectFrom("policies")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return {
    rows: await withNextInstalments(db, page),
    hasMore: rows.length > pageSize,
    total: total.n,
  };
}

export interface MyInstalment {
  id: string;
  sequence: number;
  dueDate: string;
  amountMinor: number;
  status: InstalmentStatus;
  paidAt: Date | null;
  /** The payment in flight for this instalment, when there is one. */
  pendingTransactionId: string | null;
}

export interface MyPayment {
  id: string;
  createdAt: Date;
  status: TransactionStatus;
  method: TransactionMethod;
  provider: TransactionProvider;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  providerReceipt: string | null;
  /** What the payment was for: the order's reference, or the policy (and instalment) it paid. */
  orderId: string | null;
  orderReference: string | null;
  policyId: string | null;
  policyNumber: string | null;
  instalmentSequence: number | null;
  /** The version of the policy whose additional premium it paid (a change of cover). */
  policyVersion: number | null;
  receipt: { id: string; number: string; fileKey: string | null } | null;
}

export interface MyPolicyDetail {
  id: string;
  policyNumber: string | null;
  status: PolicyStatus;
  declineReason: string | null;
  productName: string;
  productSlug: string;
  insurerName: string;
  categoryName: string;
  orderId: string;
  orderReference: string;
  frequency: Frequency;
  instalmentMinor: number;
  annualPremiumMinor: number;
  discountMinor: number;
  currency: string;
  startDate: string | null;
  endDate: string | null;
  issuedAt: Date | null;
  createdAt: Date;
  certificateFileKey: string | null;
  holder: { name: string | null; email: string | null; phone: string | null; identifiers: { kind: string; masked: string }[] };
  beneficiaries: { name: string; relationship: string; shareBp: number }[];
  instalments: MyInstalment[];
  /** The instalment the customer may pay now, if any (see `payableInstalment`). */
  payable: MyInstalment | null;
  payments: MyPayment[];
}

/**
 * The one instalment that may be paid now: the earliest still open (due, overdue, or else the next
 * scheduled one, paid early) — and only while the policy is in force (active or in grace). The
 * payments core applies the same rule when the payment starts. Pure.
 */
export function payableInstalment<T extends { sequence: number; status: InstalmentStatus }>(
  policyStatus: PolicyStatus,
  instalments: T[],
): T | null {
  if (!PAYABLE_POLICY.includes(policyStatus)) return null;
  return [...instalments].sort((a, b) => a.sequence - b.sequence).find((i) => OPEN.includes(i.status)) ?? null;
}

/** Payments with what they paid: an order, an instalment, or a version of a policy (a change of cover's additional premium, issue 13). */
function paymentsQuery(db: TenantDb) {
  return db
    .selectFrom("transactions as t")
    .leftJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "t.tenant_id").onRef("o.id", "=", "t.order_id"))
    .leftJoin("instalments as ins", (j) => j.onRef("ins.tenant_id", "=", "t.tenant_id").onRef("ins.id", "=", "t.instalment_id"))
    .leftJoin("policy_versions as pv", (j) => j.onRef("pv.tenant_id", "=", "t.tenant_id").onRef("pv.id", "=", "t.policy_version_id"))
    .leftJoin("policies as p", (j) =>
      j.onRef("p.tenant_id", "=", "t.tenant_id").on(sql<boolean>`p.id = coalesce(ins.policy_id, pv.policy_id)`),
    )
    .leftJoin("receipts as r", (j) => j.onRef("r.tenant_id", "=", "t.tenant_id").onRef("r.transaction_id", "=", "t.id"))
    .select([
      "t.id",
      "t.created_at",
      "t.status",
      "t.method",
      "t.provider",
      "t.amount_minor",
      "t.refunded_minor",
      "t.currency",
      "t.provider_receipt",
      "t.order_id",
      "o.reference as order_reference",
      "p.id as policy_id",
      "p.policy_number",
      "ins.sequence as instalment_sequence",
      "pv.version as policy_version",
      "r.id as receipt_id",
      "r.receipt_number",
      "r.file_key as receipt_file_key",
    ]);
}

type PaymentRow = Awaited<ReturnType<ReturnType<typeof paymentsQuery>["execute"]>>[number];

function toPayment(r: PaymentRow): MyPayment {
  return {
    id: r.id,
    createdAt: r.created_at,
    status: r.status,
    method: r.method,
    provider: r.provider,
    amountMinor: r.amount_minor,
    refundedMinor: r.refunded_minor,
    currency: r.currency,
    providerReceipt: r.provider_receipt,
    orderId: r.order_id,
    orderReference: r.order_reference,
    policyId: r.policy_id,
    policyNumber: r.policy_number,
    instalmentSequence: r.instalment_sequence,
    policyVersion: r.policy_version,
    receipt: r.receipt_id && r.receipt_number ? { id: r.receipt_id, number: r.receipt_number, fileKey: r.receipt_file_key } : null,
  };
}

/** One of the customer's policies with everything its page shows, or undefined (not theirs, or none). */
export async function getMyPolicy(db: TenantDb, userId: string, policyId: string): Promise<MyPolicyDetail | undefined> {
  const p = await policiesQuery(db).where("p.user_id", "=", userId).where("p.id", "=", policyId).executeTakeFirst();
  if (!p) return undefined;
  // One transaction is one connection: these run one after the other anyway.
  const identifiers = await db
    .selectFrom("personal_identifiers")
    .select(["kind", "masked"])
    .where("order_id", "=", p.order_id)
    .orderBy("kind")
    .execute();
  const beneficiaries = await db
    .selectFrom("beneficiaries")
    .select(["name", "relationship", "share_bp"])
    .where("order_id", "=", p.order_id)
    .orderBy("position")
    .execute();
  const instalmentRows = await db
    .selectFrom("instalments as ins")
    .leftJoin("transactions as t", (j) =>
      j
        .onRef("t.tenant_id", "=", "ins.tenant_id")
        .onRef("t.instalment_id", "=", "ins.id")
        .on("t.status", "=", "pending")
        .on("t.user_id", "=", userId),
    )
    .select(["ins.id", "ins.sequence", "ins.due_date", "ins.amount_minor", "ins.status", "ins.paid_at", "t.id as pending_transaction_id"])
    .where("ins.policy_id", "=", policyId)
    .orderBy("ins.sequence")
    .execute();
  const instalments: MyInstalment[] = instalmentRows.map((i) => ({
    id: i.id,
    sequence: i.sequence,
    dueDate: i.due_date,
    amountMinor: i.amount_minor,
    status: i.status,
    paidAt: i.paid_at,
    pendingTransactionId: i.pending_transaction_id,
  }));
  // The order's payment (it may have paid several policies at once) and this policy's instalment payments.
  const payments = await paymentsQuery(db)
    .where("t.user_id", "=", userId)
    .where((eb) => eb.or([eb("t.order_id", "=", p.order_id), eb("ins.policy_id", "=", policyId), eb("pv.policy_id", "=", policyId)]))
    .orderBy("t.created_at", "desc")
    .orderBy("t.id")
    .execute();
  const holder = p.holder ?? {};
  return {
    id: p.id,
    policyNumber: p.policy_number,
    status: p.status,
    declineReason: p.decline_reason,
    productName: p.product_name,
    productSlug: p.product_slug,
    insurerName: p.insurer_name,
    categoryName: p.category_name,
    orderId: p.order_id,
    orderReference: p.order_reference,
    frequency: p.frequency,
    instalmentMinor: p.instalment_minor,
    annualPremiumMinor: p.annual_premium_minor,
    discountMinor: p.discount_minor,
    currency: p.currency,
    startDate: p.start_date,
    endDate: p.end_date,
    issuedAt: p.issued_at,
    createdAt: p.created_at,
    certificateFileKey: p.certificate_file_key,
    holder: {
      name: holder.name ?? null,
      email: holder.email ?? null,
      phone: holder.phone ?? null,
      identifiers: identifiers.map((i) => ({ kind: i.kind, masked: i.masked })),
    },
    beneficiaries: beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, shareBp: b.share_bp })),
    instalments,
    payable: payableInstalment(p.status, instalments),
    payments: payments.map(toPayment),
  };
}

/** The customer's payments, newest first, a page at a time. */
export async function listMyPayments(
  db: TenantDb,
  userId: string,
  options: { page: number; pageSize?: number },
): Promise<{ rows: MyPayment[]; hasMore: boolean }> {
  const pageSize = options.pageSize ?? MY_PAYMENTS_PAGE_SIZE;
  const rows = await paymentsQuery(db)
    .where("t.user_id", "=", userId)
    .orderBy("t.created_at", "desc")
    .orderBy("t.id")
    .limit(pageSize + 1)
    .offset((options.page - 1) * pageSize)
    .execute();
  return { rows: rows.slice(0, pageSize).map(toPayment), hasMore: rows.length > pageSize };
}

/** `limit` of the customer's payments after `after` (newest first), for the API's cursor pages. */
export async function myPaymentsAfter(
  db: TenantDb,
  userId: string,
  after: Position | undefined,
  limit: number,
): Promise<(MyPayment & { cursorAt: string })[]> {
  let query = paymentsQuery(db).select(exactTime("t.created_at").as("cursor_at")).where("t.user_id", "=", userId);
  if (after) query = query.where(olderThan("t.created_at", "t.id", after));
  const rows = await query.orderBy("t.created_at", "desc").orderBy("t.id", "desc").limit(limit).execute();
  return rows.map((r) => ({ ...toPayment(r), cursorAt: r.cursor_at }));
}

/** One of the customer's payments as its history row (policy, receipt), or undefined. */
export async function getMyPaymentSummary(db: TenantDb, userId: string, transactionId: string): Promise<MyPayment | undefined> {
  const row = await paymentsQuery(db).where("t.user_id", "=", userId).where("t.id", "=", transactionId).executeTakeFirst();
  return row ? toPayment(row) : undefined;
}

/**
 * Whether this customer may pay this instalment of this policy now: the policy is theirs and in
 * force, and the instalment is the one `payableInstalment` picks. Answers why not otherwise.
 */
export async function checkInstalmentPayable(
  db: TenantDb,
  userId: string,
  policyId: string,
  instalmentId: string,
): Promise<{ ok: true; pendingTransactionId: string | null } | { ok: false; code: "not_found" | "not_payable"; message: string }> {
  const policy = await db
    .selectFrom("policies")
    .select(["id", "status"])
    .where("id", "=", policyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!policy) return { ok: false, code: "not_found", message: "There is no such policy." };
  const instalments = await db
    .selectFrom("instalments as ins")
    .leftJoin("transactions as t", (j) =>
      j.onRef("t.tenant_id", "=", "ins.tenant_id").onRef("t.instalment_id", "=", "ins.id").on("t.status", "=", "pending"),
    )
    .select(["ins.id", "ins.sequence", "ins.status", "t.id as pending_transaction_id"])
    .where("ins.policy_id", "=", policyId)
    .execute();
  const target = instalments.find((i) => i.id === instalmentId);
  if (!target) return { ok: false, code: "not_found", message: "There is no such instalment." };
  const payable = payableInstalment(policy.status, instalments);
  if (!payable || payable.id !== instalmentId) {
    return {
      ok: false,
      code: "not_payable",
      message:
        target.status === "paid"
          ? "This instalment is already paid."
          : PAYABLE_POLICY.includes(policy.status)
            ? "Please pay the earlier instalment first."
            : "Instalments can only be paid while the policy is in force.",
    };
  }
  return { ok: true, pendingTransactionId: target.pending_transaction_id };
}

/** The policy a payment belongs to (an instalment's or a change of cover's payment), for the status page's links. */
export async function policyOfPayment(db: TenantDb, userId: string, transactionId: string): Promise<string | null> {
  const row = await db
    .selectFrom("transactions as t")
    .leftJoin("instalments as ins", (j) => j.onRef("ins.tenant_id", "=", "t.tenant_id").onRef("ins.id", "=", "t.instalment_id"))
    .leftJoin("policy_versions as pv", (j) => j.onRef("pv.tenant_id", "=", "t.tenant_id").onRef("pv.id", "=", "t.policy_version_id"))
    .select(sql<string | null>`coalesce(ins.policy_id, pv.policy_id)`.as("policy_id"))
    .where("t.id", "=", transactionId)
    .where("t.user_id", "=", userId)
    .executeTakeFirst();
  return row?.policy_id ?? null;
}

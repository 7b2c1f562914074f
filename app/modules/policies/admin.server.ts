import { sql } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import type { Frequency, OrderHolder, PolicyStatus, TransactionStatus } from "~db/schema";
import type { Actor } from "~/modules/audit/audit.server";
import { likeContains } from "~/modules/auth/users.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { describeQuoteInputs } from "~/modules/quotes/form";
import { describeInputs } from "~/modules/rating";
import { addDays } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { timelineOf, type TimelineEntry } from "~/modules/workflows/timeline.server";
import { POLICY_STATES } from "~/modules/workflows/policy";
import { approvePolicy, declinePolicy, referPolicy } from "./underwriting.server";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";

/**
 * The back office's view of policies: every policy (filters, search) and the underwriting queue
 * with what an underwriter needs to decide (the risk as quoted, the holder's masked identifiers,
 * the uploaded documents through signed links). Approving and declining go through
 * underwriting.server, audited from here.
 */

export const POLICIES_PAGE_SIZE = 25;
export const UNDERWRITING_PAGE_SIZE = 20;

export const POLICY_STATUS_LABELS: Record<PolicyStatus, string> = {
  quoted: "Quoted",
  pending_payment: "Awaiting payment",
  pending_underwriting: "Awaiting underwriting",
  active: "Active",
  grace: "In grace period",
  lapsed: "Lapsed",
  declined: "Declined",
  cancelled: "Cancelled",
  expired: "Expired",
};

export const IDENTIFIER_LABELS: Record<string, string> = {
  national_id: "National ID",
  kra_pin: "KRA PIN",
  nric: "MyKad (NRIC)",
  bank_account: "Bank account",
};

const PAID: TransactionStatus[] = ["completed", "partially_refunded", "refunded"];

export const policyFiltersSchema = z.object({
  status: z.enum(POLICY_STATES).optional(),
  /** In force, ending within 30 days and not renewed yet (decision 028). */
  ending: z.literal("soon").optional(),
  q: lineText().min(1).max(100).optional(),
});
export type PolicyFilters = z.infer<typeof policyFiltersSchema>;

export function policyFiltersFrom(params: URLSearchParams): { filters: PolicyFilters; ignored: string[] } {
  return readFilters(policyFiltersSchema, params);
}

function policiesWithParties(db: TenantDb) {
  return db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("insurers as ins", (j) => j.onRef("ins.tenant_id", "=", "pr.tenant_id").onRef("ins.id", "=", "pr.insurer_id"))
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "p.tenant_id").onRef("u.id", "=", "p.user_id"))
    .innerJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "p.tenant_id").onRef("o.id", "=", "p.order_id"))
    .innerJoin("order_items as oi", (j) => j.onRef("oi.tenant_id", "=", "p.tenant_id").onRef("oi.id", "=", "p.order_item_id"))
    .select((eb) =>
      // The payment that paid for the order (its latest successful one).
      eb
        .selectFrom("transactions as pt")
        .select("pt.id")
        .whereRef("pt.tenant_id", "=", "p.tenant_id")
        .whereRef("pt.order_id", "=", "p.order_id")
        .where("pt.status", "in", PAID)
        .orderBy("pt.created_at", "desc")
        .limit(1)
        .as("paid_transaction_id"),
    )
    .select((eb) =>
      eb
        .selectFrom("transactions as pt")
        .select("pt.amount_minor")
        .whereRef("pt.tenant_id", "=", "p.tenant_id")
        .whereRef("pt.order_id", "=", "p.order_id")
        .where("pt.status", "in", PAID)
        .orderBy("pt.created_at", "desc")
        .limit(1)
        .as("paid_amount_minor"),
    );
}

export interface PolicyRow {
  id: string;
  policyNumber: string | null;
  status: PolicyStatus;
  productName: string;
  insurerName: string;
  customerName: string;
  customerEmail: string;
  orderId: string;
  orderReference: string;
  paidTransactionId: string | null;
  /** What the order's payment took (all its items together). */
  orderPaidMinor: number | null;
  /** This policy's share of that payment (its first payment, after its discount share): what a decline refunds. */
  firstPaymentMinor: number | null;
  instalmentMinor: number;
  annualPremiumMinor: number;
  frequency: Frequency;
  currency: string;
  startDate: string | null;
  endDate: string | null;
  createdAt: Date;
}

const POLICY_COLUMNS = [
  "p.id",
  "p.policy_number",
  "p.status",
  "p.instalment_minor",
  "p.annual_premium_minor",
  "p.frequency",
  "p.currency",
  "p.start_date",
  "p.end_date",
  "p.created_at",
  "p.order_id",
  "pr.name as product_name",
  "ins.name as insurer_name",
  "u.name as customer_name",
  "u.email as customer_email",
  "o.reference as order_reference",
  "oi.first_payment_minor",
] as const;

type PolicyQueryRow = {
  id: string;
  policy_number: string | null;
  status: PolicyStatus;
  instalment_minor: number;
  annual_premium_minor: number;
  frequency: Frequency;
  currency: string;
  start_date: string | null;
  end_date: string | null;
  created_at: Date;
  order_id: string;
  product_name: string;
  insurer_name: string;
  customer_name: string;
  customer_email: string;
  order_reference: string;
  paid_transaction_id: string | null;
  paid_amount_minor: number | null;
  first_payment_minor: number | null;
};

function toPolicyRow(r: PolicyQueryRow): PolicyRow {
  return {
    id: r.id,
    policyNumber: r.policy_number,
    status: r.status,
    productName: r.product_name,
    insurerName: r.insurer_name,
    customerName: r.customer_name,
    customerEmail: r.customer_email,
    orderId: r.order_id,
    orderReference: r.order_reference,
    paidTransactionId: r.paid_transaction_id,
    orderPaidMinor: r.paid_amount_minor,
    firstPaymentMinor: r.first_payment_minor,
    instalmentMinor: r.instalment_minor,
    annualPremiumMinor: r.annual_premium_minor,
    frequency: r.frequency,
    currency: r.currency,
    startDate: r.start_date,
    endDate: r.end_date,
    createdAt: r.created_at,
  };
}

/** Every policy of the tenant, newest first; search by policy number, customer email or order reference. */
export async function listPolicies(db: TenantDb, filters: PolicyFilters & { page: number; today?: string }) {
  let query = policiesWithParties(db);
  if (filters.status) query = query.where("p.status", "=", filters.status);
  if (filters.ending && filters.today)
    query = query
      .where("p.status", "in", ["active", "grace"])
      .where("p.end_date", ">=", filters.today)
      .where("p.end_date", "<=", addDays(filters.today, 30))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom("policies as r").select("r.id").whereRef("r.renewal_of_policy_id", "=", "p.id"))),
      );
  if (filters.q) {
    const pattern = likeContains(filters.q);
    query = query.where((eb) =>
      eb.or([eb("p.policy_number", "ilike", pattern), eb("u.email", "ilike", pattern), eb("o.reference", "ilike", pattern)]),
    );
  }
  const rows = await query
    .select(POLICY_COLUMNS)
    .orderBy("p.created_at", "desc")
    .orderBy("p.id", "desc")
    .limit(POLICIES_PAGE_SIZE + 1)
    .offset((filters.page - 1) * POLICIES_PAGE_SIZE)
    .execute();
  const total = await query
    .clearSelect()
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return { rows: rows.slice(0, POLICIES_PAGE_SIZE).map(toPolicyRow), hasMore: rows.length > POLICIES_PAGE_SIZE, total: total.n };
}

// ---------------------------------------------------------------------------------------------
// Underwriting

export interface UploadView {
  id: string;
  requirement: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  /** A signed, short-lived link for this staff member only. */
  href: string;
}

export interface UnderwritingRow extends PolicyRow {
  uploads: UploadView[];
  identifiers: { kind: string; label: string; masked: string }[];
}

type Signer = { tenantId: string; userId: string };

async function uploadsAndIdentifiers(db: TenantDb, orderIds: string[], signer: Signer) {
  if (!orderIds.length) return { uploads: new Map<string, UploadView[]>(), identifiers: new Map<string, UnderwritingRow["identifiers"]>() };
  const uploadRows = await db
    .selectFrom("uploads")
    .select(["id", "order_id", "requirement", "filename", "content_type", "size_bytes", "file_key"])
    .where("order_id", "in", orderIds)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const identifierRows = await db
    .selectFrom("personal_identifiers")
    .select(["order_id", "kind", "masked"])
    .where("order_id", "in", orderIds)
    .orderBy("kind")
    .execute();
  const uploads = new Map<string, UploadView[]>();
  for (const u of uploadRows) {
    const list = uploads.get(u.order_id) ?? [];
    list.push({
      id: u.id,
      requirement: u.requirement,
      filename: u.filename,
      contentType: u.content_type,
      sizeBytes: u.size_bytes,
      href: signDownload({ tenantId: signer.tenantId, fileKey: u.file_key, userId: signer.userId, filename: u.filename }),
    });
    uploads.set(u.order_id, list);
  }
  const identifiers = new Map<string, UnderwritingRow["identifiers"]>();
  for (const i of identifierRows) {
    const list = identifiers.get(i.order_id) ?? [];
    list.push({ kind: i.kind, label: IDENTIFIER_LABELS[i.kind] ?? i.kind, masked: i.masked });
    identifiers.set(i.order_id, list);
  }
  return { uploads, identifiers };
}

/** Policies waiting for an underwriter, oldest first (first come, first decided). */
export async function underwritingQueue(db: TenantDb, options: { page: number; signer: Signer }) {
  const base = policiesWithParties(db).where("p.status", "=", "pending_underwriting");
  const rows = await base
    .select(POLICY_COLUMNS)
    .orderBy("p.created_at", "asc")
    .orderBy("p.id", "asc")
    .limit(UNDERWRITING_PAGE_SIZE + 1)
    .offset((options.page - 1) * UNDERWRITING_PAGE_SIZE)
    .execute();
  const total = await base
    .clearSelect()
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  const page = rows.slice(0, UNDERWRITING_PAGE_SIZE).map(toPolicyRow);
  const { uploads, identifiers } = await uploadsAndIdentifiers(db, [...new Set(page.map((p) => p.orderId))], options.signer);
  return {
    rows: page.map((p): UnderwritingRow => ({
      ...p,
      uploads: uploads.get(p.orderId) ?? [],
      identifiers: identifiers.get(p.orderId) ?? [],
    })),
    hasMore: rows.length > UNDERWRITING_PAGE_SIZE,
    total: total.n,
  };
}

export interface UnderwritingCase extends UnderwritingRow {
  declineReason: string | null;
  holder: OrderHolder;
  customerPhone: string | null;
  beneficiaries: { name: string; relationship: string; shareBp: number }[];
  /** The risk as the customer described it when quoting, in the quote form's words. */
  risk: { label: string; value: string }[];
  quoteReference: string | null;
  timeline: TimelineEntry[];
}

/** One policy with everything an underwriter looks at, or undefined (absent, or another tenant's). */
export async function getUnderwritingCase(
  db: TenantDb,
  policyId: string,
  options: { signer: Signer; tenant: Pick<TenantInfo, "locale">; money: (minor: number, currency: string) => string },
): Promise<UnderwritingCase | undefined> {
  const row = await policiesWithParties(db)
    .select(POLICY_COLUMNS)
    .select(["p.decline_reason", "p.quote_id", "o.holder", "u.phone as customer_phone"])
    .where("p.id", "=", policyId)
    .executeTakeFirst();
  if (!row) return undefined;
  const policy = toPolicyRow(row);
  const { uploads, identifiers } = await uploadsAndIdentifiers(db, [policy.orderId], options.signer);
  const beneficiaries = await db
    .selectFrom("beneficiaries")
    .select(["name", "relationship", "share_bp"])
    .where("order_id", "=", policy.orderId)
    .orderBy("position")
    .execute();
  const quote = await db
    .selectFrom("quotes as q")
    .innerJoin("products as qp", (j) => j.onRef("qp.tenant_id", "=", "q.tenant_id").onRef("qp.id", "=", "q.product_id"))
    .select(["q.reference", "q.inputs", "q.currency", "qp.rating", sql<string | null>`q.breakdown ->> 'quoteDate'`.as("quote_date")])
    .where("q.id", "=", row.quote_id)
    .executeTakeFirst();
  let risk: { label: string; value: string }[] = [];
  if (quote) {
    const inputs = (quote.inputs ?? {}) as Record<string, unknown>;
    try {
      const fields = describeInputs(quote.rating, {
        currency: quote.currency,
        locale: options.tenant.locale,
        quoteDate: quote.quote_date ?? row.created_at.toISOString().slice(0, 10),
      });
      risk = describeQuoteInputs(fields, inputs, (minor) => options.money(minor, quote.currency));
    } catch (_error) {
      // A product whose rating changed shape since: the raw inputs rather than nothing.
      risk = Object.entries(inputs).map(([label, value]) => ({ label, value: typeof value === "string" ? value : JSON.stringify(value) }));
    }
  }
  return {
    ...policy,
    uploads: uploads.get(policy.orderId) ?? [],
    identifiers: identifiers.get(policy.orderId) ?? [],
    declineReason: row.decline_reason,
    holder: row.holder ?? {},
    customerPhone: row.customer_phone,
    beneficiaries: beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, shareBp: b.share_bp })),
    risk,
    quoteReference: quote?.reference ?? null,
    timeline: await timelineOf(db, "policy", policyId),
  };
}

/**
 * Approves a policy waiting for underwriting (it is then issued). underwriting.server records the
 * state change and the audit entry; this only checks the policy is this tenant's.
 */
export async function approveUnderwriting(
  db: TenantDb,
  tenant: TenantInfo,
  policyId: string,
  actor: Actor & { userId: string },
): Promise<{ ok: true } | { ok: false; message: string; notFound?: true }> {
  if (!(await policyExists(db, policyId))) return { ok: false, message: "Not found", notFound: true };
  return approvePolicy(db, tenant, policyId, actor.userId);
}

/** Declines a policy waiting for underwriting, with the reason; its share of the payment is refunded (underwriting.server). */
export async function declineUnderwriting(
  db: TenantDb,
  tenant: TenantInfo,
  policyId: string,
  reason: string,
  actor: Actor & { userId: string },
): Promise<{ ok: true } | { ok: false; message: string; notFound?: true }> {
  if (!(await policyExists(db, policyId))) return { ok: false, message: "Not found", notFound: true };
  return declinePolicy(db, tenant, policyId, actor.userId, reason);
}

async function policyExists(db: TenantDb, policyId: string): Promise<boolean> {
  return Boolean(await db.selectFrom("policies").select("id").where("id", "=", policyId).executeTakeFirst());
}

/** Refers a policy in underwriting to its workflow's next stage, with a note (underwriting.server). */
export async function referUnderwriting(
  db: TenantDb,
  tenant: TenantInfo,
  policyId: string,
  note: string,
  actor: Actor & { userId: string },
): Promise<{ ok: true } | { ok: false; message: string; notFound?: true }> {
  if (!(await policyExists(db, policyId))) return { ok: false, message: "Not found", notFound: true };
  return referPolicy(db, tenant, policyId, actor.userId, note);
}

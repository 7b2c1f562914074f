import type { TenantDb } from "~db/client";
import type { ClaimStatus, InstalmentStatus, PolicyStatus, PolicyVersionKind, TransactionMethod, TransactionStatus } from "~db/schema";
import type { Frequency } from "~/modules/rating";

/**
 * One policy as the back office sees it (issue 13): who holds it, what it covers and costs, its
 * instalments, payments and claims, the policy it renews and the one renewing it, and what can be
 * done with it now. Versions come from `policyTimelineItems`.
 */
export interface StaffPolicy {
  id: string;
  policyNumber: string | null;
  status: PolicyStatus;
  productName: string;
  insurerName: string;
  holder: { name: string; email: string; phone: string | null };
  accountEmail: string;
  orderId: string;
  orderReference: string;
  frequency: Frequency;
  annualPremiumMinor: number;
  instalmentMinor: number;
  currency: string;
  startDate: string | null;
  endDate: string | null;
  issuedAt: Date | null;
  lapsedOn: string | null;
  cancelledOn: string | null;
  cancellationReason: string | null;
  renewalOf: { id: string; policyNumber: string | null } | null;
  renewedBy: { id: string; policyNumber: string | null; status: PolicyStatus } | null;
  instalments: { id: string; sequence: number; dueDate: string; amountMinor: number; status: InstalmentStatus }[];
  payments: {
    id: string;
    createdAt: Date;
    status: TransactionStatus;
    method: TransactionMethod;
    amountMinor: number;
    refundedMinor: number;
    what: string;
  }[];
  claims: { id: string; claimNumber: string; status: ClaimStatus; claimedMinor: number; incidentDate: string }[];
  /** The latest applied version, and whether it is a change that can be reversed. */
  latest: { version: number; kind: PolicyVersionKind } | null;
  pendingVersion: { version: number; deltaMinor: number } | null;
}

export async function staffPolicy(db: TenantDb, policyId: string): Promise<StaffPolicy | undefined> {
  const p = await db
    .selectFrom("policies as p")
    .innerJoin("products as pr", "pr.id", "p.product_id")
    .innerJoin("insurers as i", "i.id", "pr.insurer_id")
    .innerJoin("orders as o", "o.id", "p.order_id")
    .innerJoin("users as u", "u.id", "p.user_id")
    .leftJoin("policies as prev", (j) => j.onRef("prev.tenant_id", "=", "p.tenant_id").onRef("prev.id", "=", "p.renewal_of_policy_id"))
    .leftJoin("policies as next", (j) => j.onRef("next.tenant_id", "=", "p.tenant_id").onRef("next.renewal_of_policy_id", "=", "p.id"))
    .select([
      "p.id",
      "p.policy_number",
      "p.status",
      "p.frequency",
      "p.annual_premium_minor",
      "p.instalment_minor",
      "p.currency",
      "p.start_date",
      "p.end_date",
      "p.issued_at",
      "p.lapsed_on",
      "p.cancelled_on",
      "p.cancellation_reason",
      "p.order_id",
      "pr.name as product_name",
      "i.name as insurer_name",
      "o.reference as order_reference",
      "o.holder",
      "u.email as account_email",
      "u.name as account_name",
      "prev.id as prev_id",
      "prev.policy_number as prev_number",
      "next.id as next_id",
      "next.policy_number as next_number",
      "next.status as next_status",
    ])
    .where("p.id", "=", policyId)
    .executeTakeFirst();
  if (!p) return undefined;
  const instalments = await db
    .selectFrom("instalments")
    .select(["id", "sequence", "due_date", "amount_minor", "status"])
    .where("policy_id", "=", policyId)
    .orderBy("sequence")
    .execute();
  const payments = await db
    .selectFrom("transactions as t")
    .leftJoin("instalments as ins", (j) => j.onRef("ins.tenant_id", "=", "t.tenant_id").onRef("ins.id", "=", "t.instalment_id"))
    .leftJoin("policy_versions as pv", (j) => j.onRef("pv.tenant_id", "=", "t.tenant_id").onRef("pv.id", "=", "t.policy_version_id"))
    .select(["t.id", "t.created_at", "t.status", "t.method", "t.amount_minor", "t.refunded_minor", "ins.sequence", "pv.version"])
    .where((eb) => eb.or([eb("t.order_id", "=", p.order_id), eb("ins.policy_id", "=", policyId), eb("pv.policy_id", "=", policyId)]))
    .orderBy("t.created_at", "desc")
    .execute();
  const claims = await db
    .selectFrom("claims")
    .select(["id", "claim_number", "status", "claimed_minor", "incident_date"])
    .where("policy_id", "=", policyId)
    .orderBy("created_at", "desc")
    .execute();
  const versions = await db
    .selectFrom("policy_versions")
    .select(["version", "kind", "status", "premium_delta_minor"])
    .where("policy_id", "=", policyId)
    .where("status", "in", ["applied", "pending"])
    .orderBy("version", "desc")
    .execute();
  const latest = versions.find((v) => v.status === "applied");
  const pending = versions.find((v) => v.status === "pending");
  return {
    id: p.id,
    policyNumber: p.policy_number,
    status: p.status,
    productName: p.product_name,
    insurerName: p.insurer_name,
    holder: { name: p.holder?.name || p.account_name || "", email: p.holder?.email ?? p.account_email, phone: p.holder?.phone ?? null },
    accountEmail: p.account_email,
    orderId: p.order_id,
    orderReference: p.order_reference,
    frequency: p.frequency,
    annualPremiumMinor: Number(p.annual_premium_minor),
    instalmentMinor: Number(p.instalment_minor),
    currency: p.currency,
    startDate: p.start_date,
    endDate: p.end_date,
    issuedAt: p.issued_at,
    lapsedOn: p.lapsed_on,
    cancelledOn: p.cancelled_on,
    cancellationReason: p.cancellation_reason,
    renewalOf: p.prev_id ? { id: p.prev_id, policyNumber: p.prev_number } : null,
    renewedBy: p.next_id ? { id: p.next_id, policyNumber: p.next_number, status: p.next_status! } : null,
    instalments: instalments.map((i) => ({
      id: i.id,
      sequence: i.sequence,
      dueDate: i.due_date,
      amountMinor: Number(i.amount_minor),
      status: i.status,
    })),
    payments: payments.map((t) => ({
      id: t.id,
      createdAt: t.created_at,
      status: t.status,
      method: t.method,
      amountMinor: Number(t.amount_minor),
      refundedMinor: Number(t.refunded_minor),
      what: t.sequence ? `Instalment ${t.sequence}` : t.version ? `Change of cover, version ${t.version}` : `Order ${p.order_reference}`,
    })),
    claims: claims.map((c) => ({
      id: c.id,
      claimNumber: c.claim_number,
      status: c.status,
      claimedMinor: Number(c.claimed_minor),
      incidentDate: c.incident_date,
    })),
    latest: latest ? { version: latest.version, kind: latest.kind } : null,
    pendingVersion: pending ? { version: pending.version, deltaMinor: Number(pending.premium_delta_minor) } : null,
  };
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { ClaimStatus, InstalmentStatus, PolicyStatus } from "~db/schema";
import { OPEN_CLAIM_STATUSES } from "~/modules/claims/labels";
import { listMyPolicies, type MyPolicyRow } from "~/modules/policies/customer.server";
import { addDays } from "~/modules/rating/dates";

/**
 * The customer's overview (issue 13 item 6, docs/decisions/032-customer-self-service.md): what
 * they hold, what they owe next, what needs doing, their open claims and what happened lately.
 * Every query is scoped to the account (`user_id` / `claimant_user_id`) on top of RLS, as
 * app/modules/policies/customer.server.ts does.
 */

export const ACTIVITY_PAGE_SIZE = 10;
const LIVE: PolicyStatus[] = ["active", "grace", "pending_payment", "pending_underwriting"];
const IN_FORCE: PolicyStatus[] = ["active", "grace"];
const OWED: InstalmentStatus[] = ["scheduled", "due", "overdue"];

export type Todo =
  | {
      kind: "instalment";
      policyId: string;
      policyNumber: string | null;
      productName: string;
      dueDate: string;
      amountMinor: number;
      currency: string;
      overdue: boolean;
    }
  | { kind: "grace"; policyId: string; policyNumber: string | null; productName: string }
  | { kind: "claim_documents"; claimId: string; claimNumber: string; askedAt: Date }
  | { kind: "renewal"; policyId: string; policyNumber: string | null; productName: string; endDate: string }
  | { kind: "confirm_email"; email: string };

export interface NextPayment {
  policyId: string;
  policyNumber: string | null;
  productName: string;
  sequence: number;
  dueDate: string;
  amountMinor: number;
  currency: string;
  status: InstalmentStatus;
}

export interface OpenClaim {
  id: string;
  claimNumber: string;
  status: ClaimStatus;
  productName: string;
  claimedMinor: number;
  currency: string;
  createdAt: Date;
}

/** Instalments still owed on policies in force: overdue ones first, then by due date. */
async function owedInstalments(db: TenantDb, userId: string) {
  return db
    .selectFrom("instalments as i")
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "i.tenant_id").onRef("p.id", "=", "i.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select([
      "p.id as policy_id",
      "p.policy_number",
      "pr.name as product_name",
      "i.sequence",
      "i.due_date",
      "i.amount_minor",
      "i.status",
      "p.currency",
    ])
    .where("p.user_id", "=", userId)
    .where("p.status", "in", IN_FORCE)
    .where("i.status", "in", OWED)
    .orderBy(sql`i.status = 'overdue'`, "desc")
    .orderBy("i.due_date")
    .orderBy("i.sequence")
    .execute();
}

async function openClaims(db: TenantDb, userId: string): Promise<OpenClaim[]> {
  const rows = await db
    .selectFrom("claims as c")
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select(["c.id", "c.claim_number", "c.status", "pr.name as product_name", "c.claimed_minor", "c.currency", "c.created_at"])
    .where("c.claimant_user_id", "=", userId)
    .where("c.status", "in", [...OPEN_CLAIM_STATUSES])
    .orderBy("c.created_at", "desc")
    .limit(10)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    claimNumber: r.claim_number,
    status: r.status,
    productName: r.product_name,
    claimedMinor: r.claimed_minor,
    currency: r.currency,
    createdAt: r.created_at,
  }));
}

/** Claims where an assessor's request for documents is still unanswered. */
async function claimsWaitingForDocuments(db: TenantDb, userId: string) {
  return db
    .selectFrom("claim_requests as r")
    .innerJoin("claims as c", (j) => j.onRef("c.tenant_id", "=", "r.tenant_id").onRef("c.id", "=", "r.claim_id"))
    .select(["c.id", "c.claim_number", sql<Date>`min(r.created_at)`.as("asked_at")])
    .where("c.claimant_user_id", "=", userId)
    .where("r.answered_at", "is", null)
    .where("c.status", "in", [...OPEN_CLAIM_STATUSES])
    .groupBy(["c.id", "c.claim_number"])
    .orderBy("asked_at")
    .execute();
}

/** Policies in force that end within the renewal window and have no renewal yet. */
async function endingSoon(db: TenantDb, userId: string, today: string, windowDays: number) {
  return db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select(["p.id", "p.policy_number", "pr.name as product_name", "p.end_date"])
    .where("p.user_id", "=", userId)
    .where("p.status", "in", IN_FORCE)
    .where("p.end_date", ">=", today)
    .where("p.end_date", "<=", addDays(today, windowDays))
    .where((eb) => eb.not(eb.exists(eb.selectFrom("policies as r").select("r.id").whereRef("r.renewal_of_policy_id", "=", "p.id"))))
    .orderBy("p.end_date")
    .execute();
}

export async function accountOverview(
  db: TenantDb,
  user: { id: string; email: string; emailVerified: boolean },
  options: { today: string; renewalWindowDays: number },
) {
  const [policies, owed, claims, waiting, ending] = await Promise.all([
    listMyPolicies(db, user.id, { page: 1, pageSize: 20 }),
    owedInstalments(db, user.id),
    openClaims(db, user.id),
    claimsWaitingForDocuments(db, user.id),
    endingSoon(db, user.id, options.today, options.renewalWindowDays),
  ]);
  const live: MyPolicyRow[] = policies.rows.filter((p) => LIVE.includes(p.status)).slice(0, 4);
  const first = owed[0];
  const nextPayment: NextPayment | null = first
    ? {
        policyId: first.policy_id,
        policyNumber: first.policy_number,
        productName: first.product_name,
        sequence: first.sequence,
        dueDate: first.due_date,
        amountMinor: first.amount_minor,
        currency: first.currency,
        status: first.status,
      }
    : null;

  const todo: Todo[] = [];
  if (!user.emailVerified) todo.push({ kind: "confirm_email", email: user.email });
  for (const i of owed.filter((i) => i.status === "due" || i.status === "overdue"))
    todo.push({
      kind: "instalment",
      policyId: i.policy_id,
      policyNumber: i.policy_number,
      productName: i.product_name,
      dueDate: i.due_date,
      amountMinor: i.amount_minor,
      currency: i.currency,
      overdue: i.status === "overdue",
    });
  for (const p of policies.rows.filter((p) => p.status === "grace"))
    todo.push({ kind: "grace", policyId: p.id, policyNumber: p.policyNumber, productName: p.productName });
  for (const c of waiting) todo.push({ kind: "claim_documents", claimId: c.id, claimNumber: c.claim_number, askedAt: c.asked_at });
  for (const p of ending)
    todo.push({ kind: "renewal", policyId: p.id, policyNumber: p.policy_number, productName: p.product_name, endDate: p.end_date! });

  return { policies: live, totalPolicies: policies.total, nextPayment, todo, claims };
}

export interface ActivityEntry {
  id: string;
  entity: "policy" | "claim" | "transaction" | "instalment";
  entityId: string;
  /** What it belongs to, in the customer's words: a policy or claim number. */
  subject: string;
  /** The policy or claim the entry links to. */
  link: string | null;
  from: string | null;
  to: string;
  event: string;
  reason: string | null;
  at: Date;
}

/**
 * The timeline entries of the account's policies, their instalments, its claims and its payments,
 * newest first, a page at a time. Reasons written by staff for staff are not on this timeline: only
 * policy entries keep theirs (cancellation reasons, beneficiary changes), claims show their event.
 */
export async function recentActivity(db: TenantDb, userId: string, page: number): Promise<{ rows: ActivityEntry[]; hasMore: boolean }> {
  const rows = await sql<{
    id: string;
    entity: ActivityEntry["entity"];
    entity_id: string;
    subject: string | null;
    link: string | null;
    from_state: string | null;
    to_state: string;
    event: string;
    reason: string | null;
    created_at: Date;
  }>`
    with mine as (
      select 'policy'::text as entity, p.id, coalesce(p.policy_number, pr.name) as subject, '/account/policies/' || p.id as link
        from policies p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
        where p.user_id = ${userId}
      union all
      select 'instalment', i.id, coalesce(p.policy_number, pr.name) || ', instalment ' || i.sequence, '/account/policies/' || p.id
        from instalments i
        join policies p on p.tenant_id = i.tenant_id and p.id = i.policy_id
        join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
        where p.user_id = ${userId}
      union all
      select 'claim', c.id, c.claim_number, '/account/claims/' || c.id from claims c where c.claimant_user_id = ${userId}
      union all
      select 'transaction', t.id, 'Payment', '/account/payments/' || t.id from transactions t where t.user_id = ${userId}
    )
    select s.id, s.entity, s.entity_id, m.subject, m.link, s.from_state, s.to_state, s.event,
           case when s.entity = 'policy' then s.reason end as reason, s.created_at
      from state_changes s join mine m on m.entity = s.entity and m.id = s.entity_id
      order by s.created_at desc, s.id desc
      limit ${ACTIVITY_PAGE_SIZE + 1} offset ${(page - 1) * ACTIVITY_PAGE_SIZE}
  `.execute(db);
  return {
    hasMore: rows.rows.length > ACTIVITY_PAGE_SIZE,
    rows: rows.rows.slice(0, ACTIVITY_PAGE_SIZE).map((r) => ({
      id: r.id,
      entity: r.entity,
      entityId: r.entity_id,
      subject: r.subject ?? "",
      link: r.link,
      from: r.from_state,
      to: r.to_state,
      event: r.event,
      reason: r.reason,
      at: r.created_at,
    })),
  };
}

import { sql, type Selectable } from "kysely";
import type { TenantDb } from "~db/client";
import type { ClaimDocumentsTable, ClaimRequestsTable, ClaimSettlementsTable, ClaimStatus } from "~db/schema";
import { workflowOf, type InstanceState } from "~/modules/workflows/engine.server";
import { addDays } from "~/modules/rating/dates";
import { standingOnClaim, type ClaimActor, type Standing } from "./access.server";
import { benefitLeft, claimPolicy, type BenefitLeft, type ClaimPolicy } from "./eligibility.server";
import { claimSettings } from "./settings.server";
import { CLAIM_EVENT_LABELS } from "./labels";
import type { Claim } from "./transition.server";

/**
 * What the claimant and their agent see of a claim (issue 12 item 3): their list, and one claim
 * with a customer-safe timeline (no internal notes, no assessor-only detail), what it is waiting
 * for and from whom, the requests to answer, the documents, the settlement and the benefit left.
 */

export const CLAIMS_PAGE_SIZE = 20;

export type ClaimScope = { claimantUserId: string } | { agentUserId: string };

export interface ClaimListFilters {
  status?: ClaimStatus;
  policy?: string;
  from?: string;
  to?: string;
}

export interface ClaimListRow {
  id: string;
  claimNumber: string;
  status: ClaimStatus;
  claimType: string;
  claimFamily: string | null;
  productName: string;
  policyNumber: string | null;
  policyId: string;
  claimantName: string;
  incidentDate: string;
  claimedMinor: number;
  payableMinor: number | null;
  currency: string;
  createdAt: Date;
}

export async function listClaims(
  db: TenantDb,
  scope: ClaimScope,
  filters: ClaimListFilters,
  page: { offset?: number; after?: { createdAt: Date; id: string } | null; limit?: number } = {},
): Promise<{ rows: ClaimListRow[]; hasMore: boolean }> {
  const limit = page.limit ?? CLAIMS_PAGE_SIZE;
  let query = db
    .selectFrom("claims as c")
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("categories as cat", (j) => j.onRef("cat.tenant_id", "=", "pr.tenant_id").onRef("cat.id", "=", "pr.category_id"))
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "c.tenant_id").onRef("u.id", "=", "c.claimant_user_id"))
    .select([
      "c.id",
      "c.claim_number",
      "c.status",
      "c.claim_type",
      "cat.claim_family",
      "pr.name as product_name",
      "p.policy_number",
      "p.id as policy_id",
      "u.name as claimant_name",
      "c.incident_date",
      "c.claimed_minor",
      "c.payable_minor",
      "c.currency",
      "c.created_at",
    ]);
  if ("claimantUserId" in scope) query = query.where("c.claimant_user_id", "=", scope.claimantUserId);
  else
    query = query.where("c.member_id", "in", (eb) =>
      eb
        .selectFrom("members as m")
        .innerJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "m.tenant_id").onRef("a.id", "=", "m.agent_id"))
        .select("m.id")
        .where("a.user_id", "=", scope.agentUserId),
    );
  if (filters.status) query = query.where("c.status", "=", filters.status);
  if (filters.policy) query = query.where("c.policy_id", "=", filters.policy);
  if (filters.from) query = query.where("c.incident_date", ">=", filters.from);
  if (filters.to) query = query.where("c.incident_date", "<=", filters.to);
  if (page.after) {
    const { createdAt, id } = page.after;
    query = query.where(sql<boolean>`(c.created_at, c.id) < (${createdAt}, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy("c.created_at", "desc")
    .orderBy("c.id", "desc")
    .limit(limit + 1)
    .offset(page.after ? 0 : (page.offset ?? 0))
    .execute();
  return {
    hasMore: rows.length > limit,
    rows: rows.slice(0, limit).map((r) => ({
      id: r.id,
      claimNumber: r.claim_number,
      status: r.status,
      claimType: r.claim_type,
      claimFamily: r.claim_family,
      productName: r.product_name,
      policyNumber: r.policy_number,
      policyId: r.policy_id,
      claimantName: r.claimant_name,
      incidentDate: r.incident_date,
      claimedMinor: r.claimed_minor,
      payableMinor: r.payable_minor,
      currency: r.currency,
      createdAt: r.created_at,
    })),
  };
}

export interface TimelineItem {
  at: Date;
  /** The timeline event ("approve", "document_added"): pages translate the title by it. */
  event: string;
  title: string;
  detail: string | null;
  by: "you" | "agent" | "us" | null;
}

/** What the claim waits for, and from whom, in plain words. */
export interface WaitingFor {
  who: "you" | "agent" | "us" | "nobody";
  what: string;
  /** `what` as a key of the claims namespace (`waiting.<key>`), with its date when it has one. */
  key: string;
  appealUntil?: string;
  dueAt: Date | null;
}

export type ClaimDocument = Selectable<ClaimDocumentsTable>;
export type ClaimRequest = Selectable<ClaimRequestsTable>;

export interface ClaimView {
  claim: Claim;
  standing: Standing;
  policy: ClaimPolicy;
  claimantName: string;
  facility: { name: string; city: string; panel: boolean } | null;
  documents: ClaimDocument[];
  requests: ClaimRequest[];
  timeline: TimelineItem[];
  workflow: InstanceState | undefined;
  waitingFor: WaitingFor;
  settlement: Selectable<ClaimSettlementsTable> | undefined;
  benefit: BenefitLeft | undefined;
  /** The last day a rejection may be appealed (inclusive), when rejected. */
  appealUntil: string | null;
  appealOpen: boolean;
  canWithdraw: boolean;
}

/** One claim as its claimant or their member's agent may see it; undefined for anyone else (a 404). */
export async function claimForClaimant(db: TenantDb, actor: ClaimActor, claimId: string, today: string): Promise<ClaimView | undefined> {
  const claim = await db.selectFrom("claims").selectAll().where("id", "=", claimId).executeTakeFirst();
  if (!claim) return undefined;
  const standing = await standingOnClaim(db, actor, claim);
  if (!standing) return undefined;
  const policy = (await claimPolicy(db, claim.policy_id))!;
  const [claimant, facility, documents, requests, changes, workflow, settlement, settings] = await Promise.all([
    db.selectFrom("users").select("name").where("id", "=", claim.claimant_user_id).executeTakeFirstOrThrow(),
    claim.facility_id
      ? db.selectFrom("facilities").select(["name", "city", "panel"]).where("id", "=", claim.facility_id).executeTakeFirst()
      : Promise.resolve(undefined),
    db.selectFrom("claim_documents").selectAll().where("claim_id", "=", claim.id).orderBy("created_at").execute(),
    db.selectFrom("claim_requests").selectAll().where("claim_id", "=", claim.id).orderBy("created_at").execute(),
    db
      .selectFrom("state_changes")
      .select(["event", "reason", "actor_user_id", "created_at"])
      .where("entity", "=", "claim")
      .where("entity_id", "=", claim.id)
      .orderBy("created_at")
      .execute(),
    workflowOf(db, "claim", claim.id),
    db.selectFrom("claim_settlements").selectAll().where("claim_id", "=", claim.id).executeTakeFirst(),
    claimSettings(db),
  ]);
  const agentUserId = await memberAgentUserId(db, claim.member_id);
  const whoActed = (userId: string | null): TimelineItem["by"] =>
    userId === null ? null : userId === claim.claimant_user_id ? "you" : userId === agentUserId ? "agent" : "us";

  const timeline: TimelineItem[] = [
    ...changes.map((c) => ({
      at: c.created_at,
      event: c.event,
      title: CLAIM_EVENT_LABELS[c.event] ?? c.event.replace(/_/g, " "),
      // Reasons the claimant is meant to read: theirs, a request's message, a rejection's reason.
      detail: CUSTOMER_REASONS.has(c.event) ? c.reason : null,
      by: whoActed(c.actor_user_id),
    })),
    ...documents.map((d) => ({
      at: d.created_at,
      event: "document_added",
      title: "Document added",
      detail: d.filename,
      by: whoActed(d.uploaded_by),
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  const appealUntil = claim.status === "rejected" && claim.decided_at ? addDays(isoDay(claim.decided_at), settings.appealDays) : null;
  return {
    claim,
    standing,
    policy,
    claimantName: claimant.name,
    facility: facility ?? null,
    documents,
    requests,
    timeline,
    workflow,
    waitingFor: waitingFor(claim.status, workflow, appealUntil),
    settlement,
    benefit: await benefitLeft(db, claim.policy_id, today),
    appealUntil,
    appealOpen: appealUntil !== null && today <= appealUntil,
    canWithdraw: WITHDRAWABLE.includes(claim.status),
  };
}

const CUSTOMER_REASONS = new Set(["create", "request_documents", "reject", "appeal", "withdraw", "agent_reviewed"]);
const WITHDRAWABLE: readonly ClaimStatus[] = ["submitted", "under_review", "documents_requested", "assessment_complete", "appealed"];

function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

async function memberAgentUserId(db: TenantDb, memberId: string | null): Promise<string | null> {
  if (!memberId) return null;
  const row = await db
    .selectFrom("members")
    .innerJoin("agents", (j) => j.onRef("agents.tenant_id", "=", "members.tenant_id").onRef("agents.id", "=", "members.agent_id"))
    .select("agents.user_id")
    .where("members.id", "=", memberId)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** Who acts next: the claim's status says when it is the claimant; otherwise the workflow's stage. */
export function waitingFor(status: ClaimStatus, workflow: InstanceState | undefined, appealUntil: string | null): WaitingFor {
  if (status === "documents_requested")
    return { who: "you", key: "documents", what: "The documents we asked for. Upload them below and we will carry on.", dueAt: null };
  if (status === "settled") return { who: "nobody", key: "paid", what: "Nothing: this claim is paid.", dueAt: null };
  if (status === "withdrawn") return { who: "nobody", key: "withdrawn", what: "Nothing: this claim was withdrawn.", dueAt: null };
  if (status === "rejected")
    return appealUntil
      ? { who: "nobody", key: "appeal", appealUntil, what: `Nothing, unless you appeal the decision by ${appealUntil}.`, dueAt: null }
      : { who: "nobody", key: "closed", what: "Nothing: this claim is closed.", dueAt: null };
  const stage = workflow?.status === "active" ? workflow.stage : null;
  const dueAt = workflow?.task?.dueAt ?? null;
  if (stage?.kind === "manual" && stage.role === "agent")
    return { who: "agent", key: "agent", what: "Your agent to review the claim and send it to our assessors.", dueAt };
  if (status === "approved") return { who: "us", key: "payment", what: "The payment to be made to you.", dueAt };
  if (status === "assessment_complete") return { who: "us", key: "decision", what: "A decision on the claim.", dueAt };
  return { who: "us", key: "assessor", what: "Our assessor to review the claim.", dueAt };
}

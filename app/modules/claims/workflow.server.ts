import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { StageContext, WorkflowHandlers } from "~/modules/workflows/engine.server";
import { CLAIM_EVENTS } from "~/modules/workflows/claim";
import type { ClaimEvent } from "~/modules/workflows/claim";
import { notifyClaimEvent } from "./notifications.server";
import { createSettlement } from "./settlement.server";
import type { Claim } from "./transition.server";
import type { WorkflowDefinition, WorkflowVocabulary } from "~/modules/workflows/templates";

/**
 * How claims run on the workflow engine (decision 020). The claim machine says what a claim's
 * status may become; the tenant's claim workflow says who acts next and by when. Domain code moves
 * the claim first (transition + timeline), then tells the workflow the same event with
 * `advanceWorkflow(db, claimWorkflow(…), …)`.
 *
 * Events beyond the machine's: `agent_reviewed` (a KHHoldings agent has reviewed their member's
 * claim; the claim's status does not change).
 */
export const CLAIM_WORKFLOW_EVENTS = [...CLAIM_EVENTS, "agent_reviewed"] as const;

/** Roles a claim stage can be given to ("agent" means the member's own agent, through `member_agent`). */
export const CLAIM_WORKFLOW_ROLES = ["assessor", "claims_manager", "admin", "agent"] as const;

export function claimVocabulary(actions: readonly string[]): WorkflowVocabulary {
  return { events: CLAIM_WORKFLOW_EVENTS, actions, roles: CLAIM_WORKFLOW_ROLES, assigners: ["round_robin", "member_agent"] };
}

/**
 * The default: Bowman's stages (plan, phase 7). A tenant with an agent network starts with the
 * agent's review first, as KHHoldings' plan has it ("agent reviews and approves").
 */
export function defaultClaimTemplate(agentReview: boolean): { name: string; definition: WorkflowDefinition } {
  const review = agentReview
    ? [
        {
          key: "agent_review",
          name: "Agent review",
          kind: "manual" as const,
          role: "agent",
          assign: "member_agent",
          slaHours: 48,
          next: { agent_reviewed: "assessment", request_documents: "awaiting_documents" },
        },
      ]
    : [];
  return {
    name: agentReview ? "Claims with agent review" : "Claims",
    definition: {
      stages: [
        ...review,
        {
          key: "assessment",
          name: "Assessment",
          kind: "manual",
          role: "assessor",
          assign: "round_robin",
          slaHours: 48,
          next: { request_documents: "awaiting_documents", complete_assessment: "decision" },
        },
        {
          key: "awaiting_documents",
          name: "Waiting for documents",
          kind: "waiting",
          timeoutHours: 7 * 24,
          timeoutAction: "remind_claimant",
          next: { documents_received: "assessment" },
        },
        {
          key: "decision",
          name: "Decision",
          kind: "manual",
          role: "claims_manager",
          slaHours: 24,
          next: { approve: "settlement", reject: "rejected" },
        },
        { key: "settlement", name: "Settlement", kind: "manual", role: "claims_manager", slaHours: 72, next: { settle: "settled" } },
        {
          key: "rejected",
          name: "Open to appeal",
          kind: "waiting",
          timeoutHours: 30 * 24,
          timeoutNext: "closed",
          next: { appeal: "assessment" },
        },
        { key: "settled", name: "Settled", kind: "terminal", actions: [] },
        { key: "closed", name: "Closed", kind: "terminal", actions: [] },
        { key: "withdrawn", name: "Withdrawn", kind: "terminal", actions: [] },
      ],
      always: { withdraw: "withdrawn" },
    },
  };
}

const OPEN_STATUSES = ["submitted", "under_review", "documents_requested", "assessment_complete", "appealed"] as const;

/**
 * Round-robin by claim type and workload: the active assessor with the fewest open claims; among
 * equals, the one who was given a claim of this type longest ago (or never).
 */
export async function nextAssessor(db: TenantDb, claimId: string): Promise<string | null> {
  const claim = await db.selectFrom("claims").select("claim_type").where("id", "=", claimId).executeTakeFirst();
  if (!claim) return null;
  const row = await db
    .selectFrom("users")
    .innerJoin("user_roles", (j) => j.onRef("user_roles.tenant_id", "=", "users.tenant_id").onRef("user_roles.user_id", "=", "users.id"))
    .select("users.id")
    .where("user_roles.role", "=", "assessor")
    .where("users.status", "=", "active")
    .orderBy(
      (eb) =>
        eb
          .selectFrom("claims")
          .select(sql<number>`count(*)`.as("n"))
          .whereRef("claims.assessor_user_id", "=", "users.id")
          .where("claims.status", "in", OPEN_STATUSES),
      "asc",
    )
    .orderBy(
      (eb) =>
        eb
          .selectFrom("claims")
          .select(sql<Date>`max(claims.created_at)`.as("last"))
          .whereRef("claims.assessor_user_id", "=", "users.id")
          .where("claims.claim_type", "=", claim.claim_type),
      (ob) => ob.asc().nullsFirst(),
    )
    .orderBy("users.id")
    .executeTakeFirst();
  return row?.id ?? null;
}

async function assignRoundRobin(db: TenantDb, ctx: StageContext): Promise<string | null> {
  const current = await db.selectFrom("claims").select("assessor_user_id").where("id", "=", ctx.subjectId).executeTakeFirst();
  // A claim coming back to assessment (documents received, an appeal) stays with its assessor.
  if (current?.assessor_user_id) return current.assessor_user_id;
  const settings = await db.selectFrom("claim_settings").select("auto_assign").executeTakeFirst();
  if (settings && !settings.auto_assign) return null;
  const assessor = await nextAssessor(db, ctx.subjectId);
  if (assessor) await db.updateTable("claims").set({ assessor_user_id: assessor }).where("id", "=", ctx.subjectId).execute();
  return assessor;
}

/** The agent who registered the claim's member: they, and only they, review it. */
async function assignMemberAgent(db: TenantDb, ctx: StageContext): Promise<string | null> {
  const row = await db
    .selectFrom("claims")
    .innerJoin("members", (j) => j.onRef("members.tenant_id", "=", "claims.tenant_id").onRef("members.id", "=", "claims.member_id"))
    .innerJoin("agents", (j) => j.onRef("agents.tenant_id", "=", "members.tenant_id").onRef("agents.id", "=", "members.agent_id"))
    .select("agents.user_id")
    .where("claims.id", "=", ctx.subjectId)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** The claims workflow of one tenant, with the tenant and its address (emails and letters need both). */
export interface ClaimWorkflow extends WorkflowHandlers {
  tenant: TenantInfo;
  origin: string;
  /**
   * What follows every move of a claim, in its transaction (`moveClaim` calls it): the claimant and
   * their agent hear of it, an approval gets its settlement. A hook rather than an import keeps
   * transition.server free of what depends on it (settlements move claims).
   */
  afterMove: (db: TenantDb, claim: Claim, event: ClaimEvent, actorUserId: string | null) => Promise<void>;
}

/** The claims workflow for one tenant: its actions need the agency's name and address for emails. */
export function claimWorkflow(tenant: TenantInfo, origin: string): ClaimWorkflow {
  const actions: WorkflowHandlers["actions"] = {
    remind_claimant: async (db, ctx) => {
      const row = await db
        .selectFrom("claims")
        .innerJoin("users", (j) => j.onRef("users.tenant_id", "=", "claims.tenant_id").onRef("users.id", "=", "claims.claimant_user_id"))
        .select(["claims.id", "claims.claim_number", "users.id as user_id"])
        .where("claims.id", "=", ctx.subjectId)
        .executeTakeFirstOrThrow();
      await notify(db, tenant.id, {
        event: "claim_documents_reminder",
        to: { userId: row.user_id },
        vars: { claimNumber: row.claim_number, link: `${origin}/account/claims/${row.id}` },
        dedupeKey: `claim_reminder:${ctx.taskId}`,
      });
    },
    // For templates with an automatic settlement stage: the approval already made it, so this finds it.
    create_settlement: async (db, ctx) => {
      await createSettlement(db, workflow, ctx.subjectId, null);
    },
  };
  const workflow: ClaimWorkflow = {
    tenant,
    origin,
    subject: "claim",
    vocabulary: claimVocabulary(Object.keys(actions)),
    defaultTemplate: () => defaultClaimTemplate(tenant.features.agentNetwork),
    actions,
    assigners: { round_robin: assignRoundRobin, member_agent: assignMemberAgent },
    afterMove: (db, claim, event, actorUserId) => notifyClaimEvent(db, workflow, claim, event, actorUserId),
    lockSubject: async (db, claimId) => {
      await db.selectFrom("claims").select("id").where("id", "=", claimId).forUpdate().execute();
    },
    // Whoever takes an assessment is the claim's assessor (as round-robin would have made them).
    assigned: async (db, ctx, userId) => {
      if (ctx.stage.kind === "manual" && ctx.stage.role === "assessor")
        await db.updateTable("claims").set({ assessor_user_id: userId }).where("id", "=", ctx.subjectId).execute();
    },
  };
  return workflow;
}

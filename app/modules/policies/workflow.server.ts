import type { TenantDb } from "~db/client";
import type { Role } from "~db/schema";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { workflowOf, type WorkflowHandlers } from "~/modules/workflows/engine.server";
import { words, type WorkflowDefinition, type WorkflowVocabulary } from "~/modules/workflows/templates";

/**
 * Underwriting on the workflow engine (decision 020, docs/decisions/026-underwriting-and-my-tasks.md).
 * The policy machine says what a policy's status may become (pending_underwriting → active |
 * declined); the tenant's underwriting workflow, one per category if it wants, says who decides
 * and by when. A policy that enters underwriting starts its workflow (issuance); the underwriter's
 * decision moves the policy first, then tells the workflow the same event.
 *
 * Events: the policy machine's `approve`, `decline` and `cancel`, and `refer` (an underwriter hands
 * the case to the next stage, say a senior's review; the policy's status does not change).
 */
export const POLICY_WORKFLOW_EVENTS = ["approve", "decline", "refer", "cancel"] as const;
export type PolicyWorkflowEvent = (typeof POLICY_WORKFLOW_EVENTS)[number];

/** Who can work an underwriting stage. */
export const POLICY_WORKFLOW_ROLES = ["underwriter", "admin"] as const;

export const policyVocabulary: WorkflowVocabulary = {
  events: POLICY_WORKFLOW_EVENTS,
  actions: [],
  roles: POLICY_WORKFLOW_ROLES,
  assigners: [],
};

/** The default: one underwriter decides within a day. */
export function defaultUnderwritingTemplate(): { name: string; definition: WorkflowDefinition } {
  return {
    name: "Underwriting",
    definition: {
      stages: [
        {
          key: "underwriting",
          name: "Underwriting",
          kind: "manual",
          role: "underwriter",
          slaHours: 24,
          next: { approve: "accepted", decline: "declined" },
        },
        { key: "accepted", name: "Accepted", kind: "terminal", actions: [] },
        { key: "declined", name: "Declined", kind: "terminal", actions: [] },
        { key: "cancelled", name: "Cancelled", kind: "terminal", actions: [] },
      ],
      always: { cancel: "cancelled" },
    },
  };
}

/** The underwriting workflow of one tenant (its templates are per category slug). */
export function policyWorkflow(tenant: Pick<TenantInfo, "id">): WorkflowHandlers & { tenantId: string } {
  return {
    tenantId: tenant.id,
    subject: "policy",
    vocabulary: policyVocabulary,
    defaultTemplate: defaultUnderwritingTemplate,
    actions: {},
    assigners: {},
    lockSubject: async (db, policyId) => {
      await db.selectFrom("policies").select("id").where("id", "=", policyId).forUpdate().execute();
    },
  };
}

const ROLE_WORDS: Record<string, string> = { underwriter: "an underwriter", admin: "an administrator" };

/**
 * May this person do `event` to the policy now, as its workflow stands? A policy with no workflow
 * (decided before underwriting moved onto the engine) is decided as it always was. Otherwise the
 * current stage must expect the event, and a manual stage's role is needed (an administrator may
 * act at any stage).
 */
export async function underwritingGate(
  db: TenantDb,
  policyId: string,
  userId: string,
  event: PolicyWorkflowEvent,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const state = await workflowOf(db, "policy", policyId);
  if (!state || state.status !== "active") return { ok: true };
  if (!state.expects.includes(event))
    return {
      ok: false,
      message: `This policy's underwriting is at "${state.stage.name}", which does not take "${words(event)}": it waits for ${
        state.expects.map(words).join(" or ") || "nothing a person does"
      }.`,
    };
  const role = state.task?.requiredRole;
  if (!role) return { ok: true };
  const roles = (await db.selectFrom("user_roles").select("role").where("user_id", "=", userId).execute()).map((r) => r.role as Role);
  if (roles.includes(role as Role) || roles.includes("admin")) return { ok: true };
  return { ok: false, message: `"${state.stage.name}" is for ${ROLE_WORDS[role] ?? role}: you cannot decide it.` };
}

import { sql } from "kysely";
import { withTenant } from "~db/client";
import type { ClaimStatus } from "~db/schema";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { saveTemplate, startWorkflow } from "~/modules/workflows/engine.server";
import type { WorkflowDefinition } from "~/modules/workflows/templates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { ORIGIN, paymentsTenant } from "../support/checkout";
import { createUser, ownerDb, uniqueSlug } from "../support/db";
import { insertPolicy } from "./customer-policies-fixtures";

/**
 * Claims and their workflows written straight into the tables (not a test file itself): the
 * engine, its timers and My tasks are tested apart from the claim pages that file and move claims.
 */

export interface ClaimsSetup {
  tenant: TenantInfo;
  claimant: { id: string; email: string };
  policyId: string;
}

export async function claimsSetup(): Promise<ClaimsSetup> {
  const tenant = await paymentsTenant();
  const claimant = await createUser(tenant.id, { roles: ["customer"], name: "Wanjiru Claimant" });
  const policy = await insertPolicy(tenant.id, claimant.id);
  return { tenant, claimant, policyId: policy.policyId };
}

/** A claim row as filing would leave it (no workflow yet). */
export async function insertClaim(
  setup: ClaimsSetup,
  options: { claimType?: string; status?: ClaimStatus; assessorId?: string } = {},
): Promise<string> {
  return withTenant(setup.tenant.id, async (db) => {
    const row = await db
      .insertInto("claims")
      .values({
        claim_number: `TST-CLM-${uniqueSlug("c").toUpperCase()}`,
        policy_id: setup.policyId,
        claimant_user_id: setup.claimant.id,
        filed_by_user_id: setup.claimant.id,
        claim_type: options.claimType ?? "accident",
        incident_date: new Date().toISOString().slice(0, 10),
        incident_place: "Waiyaki Way, Nairobi",
        description: "Rear-ended at the lights",
        claimed_minor: 5_000_000,
        currency: "KES",
        status: options.status ?? "submitted",
        policy_year_start: new Date().toISOString().slice(0, 10),
        assessor_user_id: options.assessorId ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export const claimHandlers = (setup: ClaimsSetup) => claimWorkflow(setup.tenant, ORIGIN);

/** A claim with its workflow started on the template that applies to (motor, claimType). */
export async function claimWithWorkflow(
  setup: ClaimsSetup,
  options: { claimType?: string; status?: ClaimStatus; scopes?: string[] } = {},
): Promise<string> {
  const claimId = await insertClaim(setup, options);
  await withTenant(setup.tenant.id, (db) =>
    startWorkflow(db, claimHandlers(setup), {
      subjectId: claimId,
      scopes: options.scopes ?? ["motor"],
      claimType: options.claimType ?? "accident",
    }),
  );
  return claimId;
}

export async function saveClaimTemplate(
  setup: ClaimsSetup,
  scope: string,
  claimType: string,
  definition: WorkflowDefinition,
  name = "Test",
) {
  const saved = await withTenant(setup.tenant.id, (db) =>
    saveTemplate(db, claimHandlers(setup), { scope, claimType, name, definition, createdBy: null }),
  );
  if (!saved.ok) throw new Error(saved.problems.map((p) => p.message).join("; "));
  return saved.template;
}

export async function instanceOf(tenantId: string, subjectId: string) {
  return ownerDb()
    .selectFrom("workflow_instances")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("subject_id", "=", subjectId)
    .executeTakeFirstOrThrow();
}

export async function tasksOf(tenantId: string, subjectId: string) {
  const instance = await instanceOf(tenantId, subjectId);
  return ownerDb()
    .selectFrom("workflow_tasks")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("instance_id", "=", instance.id)
    .orderBy("started_at")
    .orderBy("completed_at", (ob) => ob.asc().nullsLast())
    .execute();
}

export async function openTaskOf(tenantId: string, subjectId: string) {
  return (await tasksOf(tenantId, subjectId)).find((t) => t.status === "open");
}

/** The pending graphile-worker job with this key, or undefined. */
export async function jobWithKey(key: string) {
  const { rows } = await sql<{ run_at: Date; attempts: number; locked_at: Date | null }>`
    select run_at, attempts, locked_at from graphile_worker._private_jobs where key = ${key}
  `.execute(ownerDb());
  return rows[0];
}

/**
 * Time passes for one timer: its task is due a minute ago, and its job (found by its key, so the
 * one the engine scheduled, not another) runs now. Nothing in the app is told: the worker finds it.
 */
export async function timePassesFor(tenantId: string, subject: "claim" | "policy", taskId: string): Promise<void> {
  await ownerDb()
    .updateTable("workflow_tasks")
    .set({ due_at: sql`now() - interval '1 minute'` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", taskId)
    .execute();
  await runTimerNow(tenantId, subject, taskId);
}

/** The timer job of a task, (re)queued to run now under its own key, as the engine queues it. */
export async function runTimerNow(tenantId: string, subject: "claim" | "policy", taskId: string): Promise<void> {
  await sql`
    select graphile_worker.add_job('workflow_timeout', json_build_object('tenantId', ${tenantId}::text, 'subject', ${subject}::text, 'taskId', ${taskId}::text),
      run_at := now(), job_key := ${`workflow_timeout:${tenantId}:${taskId}`})
  `.execute(ownerDb());
}

/** No job left for this key (run and gone). */
export async function jobDone(key: string): Promise<boolean> {
  return (await jobWithKey(key)) === undefined;
}

export async function remindersFor(tenantId: string, taskId: string) {
  return ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("dedupe_key", "=", `claim_reminder:${taskId}:email`)
    .execute();
}

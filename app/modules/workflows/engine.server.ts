import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import type { WorkflowSubject } from "~db/schema";
import {
  definitionSchema,
  expectedEvents,
  nextStageFor,
  stageOf,
  templateProblems,
  type Stage,
  type WorkflowDefinition,
  type WorkflowVocabulary,
} from "./templates";

/**
 * The workflow engine (decision 020). A subject (a claim, a policy in underwriting) runs on the
 * template version it started on; the engine keeps one open task per instance (a unique index),
 * enters stages, hands manual stages to people, and leaves the slow or timed parts to jobs:
 * automatic stages run in `workflow_automatic`, waiting stages time out in `workflow_timeout`
 * (graphile-worker jobs with a job key per task, so a repeat never doubles them).
 *
 * The engine knows nothing about claims or policies: the subject's module passes its
 * `WorkflowHandlers` (its vocabulary, its default template, its actions and assigners). The
 * domain still decides what a change means (the claim machine, four-eyes …) and then tells the
 * engine which event happened with `advanceWorkflow`, in the same transaction.
 */

export interface StageContext {
  tenantId: string;
  subjectId: string;
  instanceId: string;
  taskId: string;
  stage: Stage;
}

export interface WorkflowHandlers {
  subject: WorkflowSubject;
  vocabulary: WorkflowVocabulary;
  /** The template a tenant starts with when it has saved none for a scope. */
  defaultTemplate: (scope: TemplateScope) => { name: string; definition: WorkflowDefinition };
  /** Idempotent: a job may run an action again after a crash. */
  actions: Record<string, (db: TenantDb, ctx: StageContext) => Promise<void>>;
  /** The person a manual stage is handed to, or null to leave it to anyone with the role. */
  assigners: Record<string, (db: TenantDb, ctx: StageContext) => Promise<string | null>>;
  /**
   * Locks the subject's row. Jobs call it before they lock the instance, so that they take locks
   * in the same order as the domain code that moves the subject and then advances its workflow
   * (a timer and a person acting at once wait for each other instead of deadlocking).
   */
  lockSubject?: (db: TenantDb, subjectId: string) => Promise<void>;
  /** Told when a person takes or is given a manual task (claims: the assessor of the claim). */
  assigned?: (db: TenantDb, ctx: StageContext, userId: string) => Promise<void>;
}

/** Which template applies: `scope` is '*' or a category (claim family or slug); `claimType` '*' or a claim type. */
export interface TemplateScope {
  scope: string;
  claimType: string;
}

export interface TemplateRow {
  id: string;
  subject: WorkflowSubject;
  scope: string;
  claimType: string;
  version: number;
  name: string;
  definition: WorkflowDefinition;
  createdAt: Date;
}

function toTemplate(row: {
  id: string;
  subject: WorkflowSubject;
  scope: string;
  claim_type: string;
  version: number;
  name: string;
  definition: unknown;
  created_at: Date;
}): TemplateRow {
  return {
    id: row.id,
    subject: row.subject,
    scope: row.scope,
    claimType: row.claim_type,
    version: row.version,
    name: row.name,
    definition: definitionSchema.parse(row.definition),
    createdAt: row.created_at,
  };
}

/** The saved template that applies (most specific scope, latest version), or undefined. */
export async function savedTemplateFor(
  db: TenantDb,
  subject: WorkflowSubject,
  scopes: readonly string[],
  claimType = "*",
): Promise<TemplateRow | undefined> {
  const candidates = [...new Set([...scopes, "*"])];
  const types = [...new Set([claimType, "*"])];
  const rows = await db
    .selectFrom("workflow_templates")
    .selectAll()
    .where("subject", "=", subject)
    .where("scope", "in", candidates)
    .where("claim_type", "in", types)
    .execute();
  const rank = (r: { scope: string; claim_type: string }) => candidates.indexOf(r.scope) * 2 + types.indexOf(r.claim_type);
  const best = rows.sort((a, b) => rank(a) - rank(b) || b.version - a.version)[0];
  return best ? toTemplate(best) : undefined;
}

/**
 * The template a new instance starts on: the latest version of the most specific scope saved
 * (an exact claim type beats '*', the first of `scopes` beats the later ones). When the tenant has
 * none at all, the subject's default is saved as version 1 of '*' first, so every instance points
 * at a row that never changes.
 */
export async function templateFor(
  db: TenantDb,
  handlers: WorkflowHandlers,
  scopes: readonly string[],
  claimType = "*",
): Promise<TemplateRow> {
  const saved = await savedTemplateFor(db, handlers.subject, scopes, claimType);
  if (saved) return saved;

  const fallback = handlers.defaultTemplate({ scope: "*", claimType: "*" });
  await db
    .insertInto("workflow_templates")
    .values({
      subject: handlers.subject,
      scope: "*",
      claim_type: "*",
      version: 1,
      name: fallback.name,
      definition: JSON.stringify(fallback.definition),
    })
    .onConflict((oc) => oc.columns(["tenant_id", "subject", "scope", "claim_type", "version"]).doNothing())
    .execute();
  const row = await db
    .selectFrom("workflow_templates")
    .selectAll()
    .where("subject", "=", handlers.subject)
    .where("scope", "=", "*")
    .where("claim_type", "=", "*")
    .orderBy("version", "desc")
    .executeTakeFirstOrThrow();
  return toTemplate(row);
}

export type SaveTemplateResult =
  { ok: true; template: TemplateRow } | { ok: false; problems: { stage: string | null; message: string }[]; conflict?: { latest: number } };

const SCOPE = /^(\*|[a-z][a-z0-9_-]{0,79})$/;

/**
 * Saves a template as the next version of its scope (versions are never edited: instances in
 * flight keep theirs). Refused, with every problem, when it does not validate; refused as a
 * conflict when `basedOn` (the version the editor started from, null for a scope with none yet)
 * is no longer the latest, so that one admin's save never silently undoes another's.
 */
export async function saveTemplate(
  db: TenantDb,
  handlers: WorkflowHandlers,
  input: TemplateScope & { name: string; definition: unknown; createdBy: string | null; basedOn?: number | null },
): Promise<SaveTemplateResult> {
  if (!SCOPE.test(input.scope) || !SCOPE.test(input.claimType))
    return { ok: false, problems: [{ stage: null, message: "Choose what the workflow applies to" }] };
  if (handlers.subject !== "claim" && input.claimType !== "*")
    return { ok: false, problems: [{ stage: null, message: "Only claims have workflows per claim type" }] };
  const parsed = definitionSchema.safeParse(input.definition);
  if (!parsed.success)
    return { ok: false, problems: parsed.error.issues.map((i) => ({ stage: null, message: `${i.path.join(".")}: ${i.message}` })) };
  const problems = templateProblems(parsed.data, handlers.vocabulary);
  if (problems.length > 0) return { ok: false, problems };
  // One save per scope at a time (until this transaction ends): the second waits, then numbers
  // its version after the first's, or is told the first one came in between.
  await sql`select pg_advisory_xact_lock(hashtext(${`workflow_template:${handlers.subject}:${input.scope}:${input.claimType}`}))`.execute(
    db,
  );
  const latest = await db
    .selectFrom("workflow_templates")
    .select(sql<number | null>`max(version)`.as("v"))
    .where("subject", "=", handlers.subject)
    .where("scope", "=", input.scope)
    .where("claim_type", "=", input.claimType)
    .executeTakeFirstOrThrow();
  const current = latest.v ?? 0;
  if (input.basedOn !== undefined && (input.basedOn ?? 0) !== current) {
    return {
      ok: false,
      problems: [{ stage: null, message: `Version ${current} was saved while you were editing. Open it and make your change again.` }],
      conflict: { latest: current },
    };
  }
  const row = await db
    .insertInto("workflow_templates")
    .values({
      subject: handlers.subject,
      scope: input.scope,
      claim_type: input.claimType,
      version: current + 1,
      name: input.name,
      definition: JSON.stringify(parsed.data),
      created_by: input.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, template: toTemplate(row) };
}

export interface InstanceState {
  instanceId: string;
  templateId: string;
  status: "active" | "completed" | "cancelled";
  stage: Stage;
  definition: WorkflowDefinition;
  /** The open task (none once the instance has ended). */
  task: { id: string; assignedUserId: string | null; requiredRole: string | null; dueAt: Date | null; startedAt: Date } | null;
  /** The events that move the instance on from here. */
  expects: string[];
}

/** Where a subject's workflow stands, or undefined when it has none. `lock` when about to advance it. */
export async function workflowOf(
  db: TenantDb,
  subject: WorkflowSubject,
  subjectId: string,
  lock = false,
): Promise<InstanceState | undefined> {
  let query = db
    .selectFrom("workflow_instances as i")
    .innerJoin("workflow_templates as t", (j) => j.onRef("t.tenant_id", "=", "i.tenant_id").onRef("t.id", "=", "i.template_id"))
    .select(["i.id", "i.template_id", "i.status", "i.current_stage", "t.definition"])
    .where("i.subject", "=", subject)
    .where("i.subject_id", "=", subjectId);
  if (lock) query = query.forUpdate("i");
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const definition = definitionSchema.parse(row.definition);
  const stage = stageOf(definition, row.current_stage);
  if (!stage) throw new Error(`Workflow ${row.id} stands in "${row.current_stage}", which its template does not have`);
  const task = await db
    .selectFrom("workflow_tasks")
    .select(["id", "assigned_user_id", "required_role", "due_at", "started_at"])
    .where("instance_id", "=", row.id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return {
    instanceId: row.id,
    templateId: row.template_id,
    status: row.status,
    stage,
    definition,
    task: task
      ? {
          id: task.id,
          assignedUserId: task.assigned_user_id,
          requiredRole: task.required_role,
          dueAt: task.due_at,
          startedAt: task.started_at,
        }
      : null,
    expects: row.status === "active" ? expectedEvents(definition, stage) : [],
  };
}

/**
 * Starts a subject's workflow on the template that applies now, and enters its first stage. A
 * subject has one workflow: starting it again (a retried job) returns the one it has.
 */
export async function startWorkflow(
  db: TenantDb,
  handlers: WorkflowHandlers,
  input: { subjectId: string; scopes: readonly string[]; claimType?: string },
): Promise<InstanceState> {
  const template = await templateFor(db, handlers, input.scopes, input.claimType);
  const first = template.definition.stages[0]!;
  const instance = await db
    .insertInto("workflow_instances")
    .values({ template_id: template.id, subject: handlers.subject, subject_id: input.subjectId, current_stage: first.key })
    .onConflict((oc) => oc.columns(["tenant_id", "subject", "subject_id"]).doNothing())
    .returning(["id", "tenant_id"])
    .executeTakeFirst();
  if (instance)
    await enterStage(db, handlers, { instanceId: instance.id, tenantId: instance.tenant_id, subjectId: input.subjectId }, first);
  return (await workflowOf(db, handlers.subject, input.subjectId))!;
}

export type AdvanceResult = { moved: true; from: string; to: string } | { moved: false; reason: "no_workflow" | "ended" | "not_expected" };

/**
 * Tells the workflow that `event` happened to its subject. When the current stage expects it, the
 * open task is completed (by `actorUserId`, with the event as its outcome) and the next stage is
 * entered; otherwise nothing changes and the reason is returned (the domain decides whether that
 * is an error). The caller has locked the subject (and so goes subject, then instance, like the jobs).
 */
export async function advanceWorkflow(
  db: TenantDb,
  handlers: WorkflowHandlers,
  input: { subjectId: string; event: string; actorUserId?: string | null; notes?: string | null },
): Promise<AdvanceResult> {
  const state = await workflowOf(db, handlers.subject, input.subjectId, true);
  if (!state) return { moved: false, reason: "no_workflow" };
  if (state.status !== "active") return { moved: false, reason: "ended" };
  const to = nextStageFor(state.definition, state.stage, input.event);
  if (!to) return { moved: false, reason: "not_expected" };
  if (state.task) await closeTask(db, state.task.id, "completed", input.event, input.actorUserId ?? null, input.notes ?? null);
  const tenantId = await tenantIdOf(db, state.instanceId);
  await enterStage(db, handlers, { instanceId: state.instanceId, tenantId, subjectId: input.subjectId }, stageOf(state.definition, to)!);
  return { moved: true, from: state.stage.key, to };
}

/** Hands the open task to a person (or back to the role, with null). */
export async function assignTask(db: TenantDb, taskId: string, userId: string | null): Promise<boolean> {
  const result = await db
    .updateTable("workflow_tasks")
    .set({ assigned_user_id: userId })
    .where("id", "=", taskId)
    .where("status", "=", "open")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type TakeResult = { ok: true } | { ok: false; reason: "not_found" | "not_open" | "taken" | "not_your_role" };

/**
 * "Take it": a person takes an open manual task that waits, unassigned, for a role they have. Two
 * people taking one task at once: the conditional update lets exactly one of them have it.
 */
export async function takeTask(
  db: TenantDb,
  handlers: WorkflowHandlers,
  taskId: string,
  user: { id: string; roles: readonly string[] },
): Promise<TakeResult> {
  const task = await db
    .selectFrom("workflow_tasks as k")
    .innerJoin("workflow_instances as i", (j) => j.onRef("i.tenant_id", "=", "k.tenant_id").onRef("i.id", "=", "k.instance_id"))
    .select(["k.tenant_id", "k.status", "k.kind", "k.required_role", "k.assigned_user_id", "i.id as instance_id", "i.subject_id"])
    .where("k.id", "=", taskId)
    .where("i.subject", "=", handlers.subject)
    .executeTakeFirst();
  if (!task) return { ok: false, reason: "not_found" };
  if (task.status !== "open" || task.kind !== "manual") return { ok: false, reason: "not_open" };
  if (!task.required_role || !user.roles.includes(task.required_role)) return { ok: false, reason: "not_your_role" };
  const taken = await db
    .updateTable("workflow_tasks")
    .set({ assigned_user_id: user.id })
    .where("id", "=", taskId)
    .where("status", "=", "open")
    .where("assigned_user_id", "is", null)
    .executeTakeFirst();
  if (taken.numUpdatedRows === 0n) return { ok: false, reason: task.status === "open" ? "taken" : "not_open" };
  if (handlers.assigned) {
    const state = await workflowOf(db, handlers.subject, task.subject_id);
    if (state)
      await handlers.assigned(
        db,
        { tenantId: task.tenant_id, subjectId: task.subject_id, instanceId: task.instance_id, taskId, stage: state.stage },
        user.id,
      );
  }
  return { ok: true };
}

/**
 * Runs an automatic stage's actions and moves on (the `workflow_automatic` job). Safe to run
 * again: a task no longer open is left alone.
 */
export async function runAutomaticStage(db: TenantDb, handlers: WorkflowHandlers, taskId: string): Promise<"ran" | "not_open"> {
  const ctx = await lockedTask(db, handlers, taskId);
  if (!ctx) return "not_open";
  const { state, task } = ctx;
  const stage = state.stage;
  if (stage.kind !== "automatic" && stage.kind !== "terminal") return "not_open";
  const stageCtx: StageContext = { tenantId: task.tenant_id, subjectId: task.subject_id, instanceId: state.instanceId, taskId, stage };
  for (const action of stage.actions) await actionOf(handlers, action)(db, stageCtx);
  if (stage.kind === "terminal") {
    await closeTask(db, taskId, "completed", "ended", null, null);
    return "ran";
  }
  await closeTask(db, taskId, "completed", "done", null, null);
  await enterStage(
    db,
    handlers,
    { instanceId: state.instanceId, tenantId: task.tenant_id, subjectId: task.subject_id },
    stageOf(state.definition, stage.next)!,
  );
  return "ran";
}

export type TimeoutResult = "fired" | "not_due" | "not_open" | "already_fired";

/**
 * A waiting stage's timeout (the `workflow_timeout` job, run at the task's due time): runs the
 * timeout action, then moves to `timeoutNext` when there is one, else keeps waiting with the timer
 * spent (a reminder goes once). A task no longer open (completed before its timer) is left alone;
 * a job that runs before the task's due time (the database's clock ahead of ours) puts itself back
 * at that time rather than losing the timer.
 */
export async function fireTimeout(db: TenantDb, handlers: WorkflowHandlers, taskId: string, now = new Date()): Promise<TimeoutResult> {
  const ctx = await lockedTask(db, handlers, taskId);
  if (!ctx) return "not_open";
  const { state, task } = ctx;
  const stage = state.stage;
  if (stage.kind !== "waiting") return "not_open";
  if (!task.due_at) return "already_fired";
  if (task.due_at > now) {
    await scheduleTimeout(db, handlers, task.tenant_id, taskId, task.due_at);
    return "not_due";
  }
  const stageCtx: StageContext = { tenantId: task.tenant_id, subjectId: task.subject_id, instanceId: state.instanceId, taskId, stage };
  if (stage.timeoutAction) await actionOf(handlers, stage.timeoutAction)(db, stageCtx);
  if (stage.timeoutNext) {
    await closeTask(db, taskId, "timed_out", "timeout", null, null);
    await enterStage(
      db,
      handlers,
      { instanceId: state.instanceId, tenantId: task.tenant_id, subjectId: task.subject_id },
      stageOf(state.definition, stage.timeoutNext)!,
    );
  } else {
    await db
      .updateTable("workflow_tasks")
      .set({ due_at: null, notes: `Timed out ${now.toISOString()}` })
      .where("id", "=", taskId)
      .execute();
  }
  return "fired";
}

// ---------------------------------------------------------------------------------------------

async function enterStage(
  db: TenantDb,
  handlers: WorkflowHandlers,
  where: { instanceId: string; tenantId: string; subjectId: string },
  stage: Stage,
): Promise<void> {
  const now = Date.now();
  const dueAt =
    stage.kind === "manual"
      ? new Date(now + stage.slaHours * 3_600_000)
      : stage.kind === "waiting"
        ? new Date(now + stage.timeoutHours * 3_600_000)
        : null;
  await db
    .updateTable("workflow_instances")
    .set({
      current_stage: stage.key,
      ...(stage.kind === "terminal" ? { status: "completed" as const, completed_at: new Date(now) } : {}),
    })
    .where("id", "=", where.instanceId)
    .execute();
  const task = await db
    .insertInto("workflow_tasks")
    .values({
      instance_id: where.instanceId,
      stage: stage.key,
      kind: stage.kind,
      required_role: stage.kind === "manual" ? stage.role : null,
      // The clock the due time is counted from (not the transaction's start, which may be earlier).
      started_at: new Date(now),
      due_at: dueAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const ctx: StageContext = { tenantId: where.tenantId, subjectId: where.subjectId, instanceId: where.instanceId, taskId: task.id, stage };
  const payload = { tenantId: where.tenantId, subject: handlers.subject, taskId: task.id };
  switch (stage.kind) {
    case "manual":
      if (stage.assign) {
        const assignee = await assignerOf(handlers, stage.assign)(db, ctx);
        if (assignee) await assignTask(db, task.id, assignee);
      }
      break;
    case "waiting":
      await scheduleTimeout(db, handlers, where.tenantId, task.id, dueAt!);
      break;
    case "automatic":
      await addJob(db, "workflow_automatic", payload, { jobKey: `workflow_automatic:${where.tenantId}:${task.id}` });
      break;
    case "terminal":
      if (stage.actions.length > 0)
        await addJob(db, "workflow_automatic", payload, { jobKey: `workflow_automatic:${where.tenantId}:${task.id}` });
      else await closeTask(db, task.id, "completed", "ended", null, null);
      break;
  }
}

async function closeTask(
  db: TenantDb,
  taskId: string,
  status: "completed" | "timed_out" | "cancelled",
  outcome: string,
  by: string | null,
  notes: string | null,
): Promise<void> {
  await db
    .updateTable("workflow_tasks")
    .set({ status, outcome, completed_by: by, completed_at: new Date(), ...(notes ? { notes } : {}) })
    .where("id", "=", taskId)
    .where("status", "=", "open")
    .execute();
}

/** The job key of a task's timer: adding it again moves the pending job instead of adding one. */
export const timeoutJobKey = (tenantId: string, taskId: string) => `workflow_timeout:${tenantId}:${taskId}`;

async function scheduleTimeout(db: TenantDb, handlers: WorkflowHandlers, tenantId: string, taskId: string, at: Date): Promise<void> {
  await addJob(
    db,
    "workflow_timeout",
    { tenantId, subject: handlers.subject, taskId },
    { runAt: at, jobKey: timeoutJobKey(tenantId, taskId) },
  );
}

/** An open task with its instance locked (and its subject before it), or undefined once it is closed. */
async function lockedTask(db: TenantDb, handlers: WorkflowHandlers, taskId: string) {
  const task = await db
    .selectFrom("workflow_tasks as k")
    .innerJoin("workflow_instances as i", (j) => j.onRef("i.tenant_id", "=", "k.tenant_id").onRef("i.id", "=", "k.instance_id"))
    .select(["k.tenant_id", "k.status", "i.subject", "i.subject_id"])
    .where("k.id", "=", taskId)
    .executeTakeFirst();
  if (!task || task.status !== "open" || task.subject !== handlers.subject) return undefined;
  await handlers.lockSubject?.(db, task.subject_id);
  const state = await workflowOf(db, task.subject, task.subject_id, true);
  // Re-read under the locks: another job or request may have moved it meanwhile.
  if (!state || state.task?.id !== taskId) return undefined;
  return { state, task: { tenant_id: task.tenant_id, subject_id: task.subject_id, due_at: state.task.dueAt } };
}

async function tenantIdOf(db: TenantDb, instanceId: string): Promise<string> {
  const row = await db.selectFrom("workflow_instances").select("tenant_id").where("id", "=", instanceId).executeTakeFirstOrThrow();
  return row.tenant_id;
}

function actionOf(handlers: WorkflowHandlers, name: string) {
  const action = handlers.actions[name];
  if (!action) throw new Error(`The ${handlers.subject} workflow has no action "${name}"`);
  return action;
}

function assignerOf(handlers: WorkflowHandlers, name: string) {
  const assigner = handlers.assigners[name];
  if (!assigner) throw new Error(`The ${handlers.subject} workflow has no assigner "${name}"`);
  return assigner;
}

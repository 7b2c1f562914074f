import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { Role, WorkflowSubject } from "~db/schema";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { takeTask, type TakeResult } from "./engine.server";
import { workflowHandlers } from "./handlers.server";
import { definitionSchema, stageOf, words } from "./templates";

/**
 * My tasks (decision 026): every open manual task a person may work, across claims and
 * underwriting — those handed to them, and those that wait, unassigned, for a role they have —
 * oldest first. The same function serves the back office's page and the agent portal (an agent's
 * tasks are the member-claim reviews handed to them).
 *
 * Only staff roles pool: an unassigned task for the `agent` role (a member whose agent could not
 * be found) belongs to no agent in particular, so no agent sees it.
 */
const POOLED_ROLES: readonly Role[] = ["assessor", "claims_manager", "underwriter", "admin", "staff"];

export const TASKS_PAGE_SIZE = 50;

export interface TaskFilters {
  subject?: WorkflowSubject;
  stage?: string;
  /** Only tasks past their due time. */
  breached?: boolean;
  page?: number;
}

export interface TaskRow {
  id: string;
  subject: WorkflowSubject;
  subjectId: string;
  stage: string;
  stageName: string;
  requiredRole: string | null;
  assignedUserId: string | null;
  assigneeName: string | null;
  startedAt: Date;
  dueAt: Date | null;
  /** Past its due time (the SLA is breached). */
  breached: boolean;
  /** Less than a quarter of its SLA left. */
  dueSoon: boolean;
  /** What the task is about: a claim's number, a policy's product. */
  title: string;
  /** For whom: the claimant, the policyholder. */
  party: string;
  /** A claim's type, a policy's order reference. */
  detail: string;
}

type Person = { id: string; roles: readonly Role[] };

function mine(person: Person) {
  const pooled = person.roles.filter((r) => POOLED_ROLES.includes(r));
  return sql<boolean>`(k.assigned_user_id = ${person.id}${
    pooled.length ? sql` or (k.assigned_user_id is null and k.required_role in (${sql.join(pooled)}))` : sql``
  })`;
}

function openTasks(db: TenantDb, person: Person, filters: TaskFilters, now: Date) {
  let q = db
    .selectFrom("workflow_tasks as k")
    .innerJoin("workflow_instances as i", (j) => j.onRef("i.tenant_id", "=", "k.tenant_id").onRef("i.id", "=", "k.instance_id"))
    .where("k.status", "=", "open")
    .where("k.kind", "=", "manual")
    .where(mine(person));
  if (filters.subject) q = q.where("i.subject", "=", filters.subject);
  if (filters.stage) q = q.where("k.stage", "=", filters.stage);
  if (filters.breached) q = q.where("k.due_at", "<", now);
  return q;
}

/** A person's open tasks, oldest first, a page at a time, with how many there are in all. */
export async function tasksFor(
  db: TenantDb,
  person: Person,
  filters: TaskFilters = {},
  now = new Date(),
): Promise<{ rows: TaskRow[]; hasMore: boolean; total: number }> {
  const page = filters.page ?? 1;
  const rows = await openTasks(db, person, filters, now)
    .leftJoin("claims as c", (j) =>
      j.onRef("c.tenant_id", "=", "i.tenant_id").onRef("c.id", "=", "i.subject_id").on("i.subject", "=", "claim"),
    )
    .leftJoin("users as cu", (j) => j.onRef("cu.tenant_id", "=", "c.tenant_id").onRef("cu.id", "=", "c.claimant_user_id"))
    .leftJoin("policies as p", (j) =>
      j.onRef("p.tenant_id", "=", "i.tenant_id").onRef("p.id", "=", "i.subject_id").on("i.subject", "=", "policy"),
    )
    .leftJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .leftJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "p.tenant_id").onRef("o.id", "=", "p.order_id"))
    .leftJoin("users as pu", (j) => j.onRef("pu.tenant_id", "=", "p.tenant_id").onRef("pu.id", "=", "p.user_id"))
    .leftJoin("users as a", (j) => j.onRef("a.tenant_id", "=", "k.tenant_id").onRef("a.id", "=", "k.assigned_user_id"))
    .select([
      "k.id",
      "k.stage",
      "k.required_role",
      "k.assigned_user_id",
      "k.started_at",
      "k.due_at",
      "i.subject",
      "i.subject_id",
      "i.template_id",
      "a.name as assignee_name",
      "c.claim_number",
      "c.claim_type",
      "cu.name as claimant_name",
      "pr.name as product_name",
      "o.reference as order_reference",
      "pu.name as customer_name",
    ])
    .orderBy("k.started_at")
    .orderBy("k.id")
    .limit(TASKS_PAGE_SIZE + 1)
    .offset((page - 1) * TASKS_PAGE_SIZE)
    .execute();
  const count = await openTasks(db, person, filters, now)
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  const names = await stageNames(db, [...new Set(rows.map((r) => r.template_id))]);
  return {
    rows: rows.slice(0, TASKS_PAGE_SIZE).map((r): TaskRow => {
      const due = r.due_at;
      const breached = due !== null && due < now;
      return {
        id: r.id,
        subject: r.subject,
        subjectId: r.subject_id,
        stage: r.stage,
        stageName: names.get(r.template_id)?.get(r.stage) ?? words(r.stage),
        requiredRole: r.required_role,
        assignedUserId: r.assigned_user_id,
        assigneeName: r.assignee_name,
        startedAt: r.started_at,
        dueAt: due,
        breached,
        dueSoon: !breached && due !== null && due.getTime() - now.getTime() < (due.getTime() - r.started_at.getTime()) / 4,
        title: r.subject === "claim" ? (r.claim_number ?? "Claim") : (r.product_name ?? "Policy"),
        party: (r.subject === "claim" ? r.claimant_name : r.customer_name) ?? "",
        detail: r.subject === "claim" ? words(r.claim_type ?? "") : (r.order_reference ?? ""),
      };
    }),
    hasMore: rows.length > TASKS_PAGE_SIZE,
    total: count.n,
  };
}

/** The stages a person's open tasks stand in (for the filter), with their names. */
export async function taskStages(db: TenantDb, person: Person): Promise<{ subject: WorkflowSubject; stage: string; name: string }[]> {
  const rows = await openTasks(db, person, {}, new Date())
    .select(["i.subject", "k.stage", sql<string>`min(i.template_id::text)`.as("template_id")])
    .groupBy(["i.subject", "k.stage"])
    .orderBy("i.subject")
    .orderBy("k.stage")
    .execute();
  const names = await stageNames(db, [...new Set(rows.map((r) => r.template_id))]);
  return rows.map((r) => ({ subject: r.subject, stage: r.stage, name: names.get(r.template_id)?.get(r.stage) ?? words(r.stage) }));
}

/** Stage key → name, per template version. */
async function stageNames(db: TenantDb, templateIds: string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  if (templateIds.length === 0) return out;
  const templates = await db.selectFrom("workflow_templates").select(["id", "definition"]).where("id", "in", templateIds).execute();
  for (const t of templates) {
    const parsed = definitionSchema.safeParse(t.definition);
    if (parsed.success) out.set(t.id, new Map(parsed.data.stages.map((s) => [s.key, s.name])));
  }
  return out;
}

export interface HistoryRow {
  id: string;
  stage: string;
  stageName: string;
  kind: string;
  status: "open" | "completed" | "timed_out" | "cancelled" | "failed";
  requiredRole: string | null;
  assigneeName: string | null;
  startedAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  completedByName: string | null;
  outcome: string | null;
  notes: string | null;
}

/**
 * A subject's workflow as it went: every stage entered, who had it, how it ended and the notes
 * left (a referral's reason). For staff pages beside the subject's own timeline.
 */
export async function workflowHistory(
  db: TenantDb,
  subject: WorkflowSubject,
  subjectId: string,
): Promise<{ templateId: string; version: number; name: string; rows: HistoryRow[] } | undefined> {
  const instance = await db
    .selectFrom("workflow_instances as i")
    .innerJoin("workflow_templates as t", (j) => j.onRef("t.tenant_id", "=", "i.tenant_id").onRef("t.id", "=", "i.template_id"))
    .select(["i.id", "i.template_id", "t.version", "t.name", "t.definition"])
    .where("i.subject", "=", subject)
    .where("i.subject_id", "=", subjectId)
    .executeTakeFirst();
  if (!instance) return undefined;
  const definition = definitionSchema.parse(instance.definition);
  const rows = await db
    .selectFrom("workflow_tasks as k")
    .leftJoin("users as a", (j) => j.onRef("a.tenant_id", "=", "k.tenant_id").onRef("a.id", "=", "k.assigned_user_id"))
    .leftJoin("users as b", (j) => j.onRef("b.tenant_id", "=", "k.tenant_id").onRef("b.id", "=", "k.completed_by"))
    .select([
      "k.id",
      "k.stage",
      "k.kind",
      "k.status",
      "k.required_role",
      "k.started_at",
      "k.due_at",
      "k.completed_at",
      "k.outcome",
      "k.notes",
      "a.name as assignee_name",
      "b.name as completed_by_name",
    ])
    .where("k.instance_id", "=", instance.id)
    .orderBy("k.started_at")
    .orderBy("k.completed_at")
    .execute();
  return {
    templateId: instance.template_id,
    version: instance.version,
    name: instance.name,
    rows: rows.map((r) => ({
      id: r.id,
      stage: r.stage,
      stageName: stageOf(definition, r.stage)?.name ?? words(r.stage),
      kind: r.kind,
      status: r.status,
      requiredRole: r.required_role,
      assigneeName: r.assignee_name,
      startedAt: r.started_at,
      dueAt: r.due_at,
      completedAt: r.completed_at,
      completedByName: r.completed_by_name,
      outcome: r.outcome,
      notes: r.notes,
    })),
  };
}

/**
 * "Take it" from My tasks: the task's subject decides whose handlers run (a claim's assessment
 * taken makes the taker its assessor). Refused for a task that is gone, taken, or not for this
 * person's roles.
 */
export async function takeOpenTask(db: TenantDb, tenant: TenantInfo, taskId: string, person: Person): Promise<TakeResult> {
  const row = await db
    .selectFrom("workflow_tasks as k")
    .innerJoin("workflow_instances as i", (j) => j.onRef("i.tenant_id", "=", "k.tenant_id").onRef("i.id", "=", "k.instance_id"))
    .select("i.subject")
    .where("k.id", "=", taskId)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "not_found" };
  // Only staff roles take from the pool (see POOLED_ROLES).
  const roles = person.roles.filter((r) => POOLED_ROLES.includes(r));
  return takeTask(db, await workflowHandlers(row.subject, tenant), taskId, { id: person.id, roles });
}

export interface OpenTaskSummary {
  taskId: string;
  stageName: string;
  requiredRole: string | null;
  assigneeName: string | null;
  dueAt: Date | null;
  breached: boolean;
}

/** The open task of each of these subjects (a queue's rows), by subject id. */
export async function openTasksOf(
  db: TenantDb,
  subject: WorkflowSubject,
  subjectIds: string[],
  now = new Date(),
): Promise<Map<string, OpenTaskSummary>> {
  const out = new Map<string, OpenTaskSummary>();
  if (subjectIds.length === 0) return out;
  const rows = await db
    .selectFrom("workflow_instances as i")
    .innerJoin("workflow_tasks as k", (j) =>
      j.onRef("k.tenant_id", "=", "i.tenant_id").onRef("k.instance_id", "=", "i.id").on("k.status", "=", "open"),
    )
    .leftJoin("users as a", (j) => j.onRef("a.tenant_id", "=", "k.tenant_id").onRef("a.id", "=", "k.assigned_user_id"))
    .select(["i.subject_id", "i.template_id", "k.id", "k.stage", "k.required_role", "k.due_at", "a.name as assignee_name"])
    .where("i.subject", "=", subject)
    .where("i.subject_id", "in", subjectIds)
    .execute();
  const names = await stageNames(db, [...new Set(rows.map((r) => r.template_id))]);
  for (const r of rows)
    out.set(r.subject_id, {
      taskId: r.id,
      stageName: names.get(r.template_id)?.get(r.stage) ?? words(r.stage),
      requiredRole: r.required_role,
      assigneeName: r.assignee_name,
      dueAt: r.due_at,
      breached: r.due_at !== null && r.due_at < now,
    });
  return out;
}

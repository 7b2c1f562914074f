import { sql, type Kysely } from "kysely";

/**
 * Underwriting moves onto the workflow engine, and My tasks reads the tasks of every subject
 * (issue 12, decision 026).
 *
 * - Indexes for what the new pages ask: a workflow's task history (by instance), how many
 *   subjects run on each template version, and the open tasks that wait, unassigned, for a role
 *   (My tasks' pool; the tasks handed to a person use `workflow_tasks_by_assignee`).
 * - Policies already waiting for underwriting get the workflow they would have started with: the
 *   default underwriting template as the tenant's version 1, an instance in its first stage and the
 *   open task, due a day after the policy entered the queue. The definition is copied here as it
 *   was when this migration was written (app/modules/policies/workflow.server.ts may change later).
 */
const UNDERWRITING_V1 = {
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
};

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index workflow_tasks_by_instance on workflow_tasks (tenant_id, instance_id, started_at)`.execute(db);
  await sql`create index workflow_instances_running on workflow_instances (tenant_id, template_id) where status = 'active'`.execute(db);
  await sql`
    create index workflow_tasks_pool on workflow_tasks (tenant_id, required_role, started_at)
      where status = 'open' and kind = 'manual' and assigned_user_id is null
  `.execute(db);
  // Superseded by workflow_tasks_pool: an assigned task is found through its assignee.
  await sql`drop index workflow_tasks_my_tasks`.execute(db);

  // The backfill reads and writes every tenant's rows as the owner, which forced RLS would hide.
  const tables = ["policies", "workflow_templates", "workflow_instances", "workflow_tasks"];
  for (const table of tables) await sql`alter table ${sql.table(table)} no force row level security`.execute(db);
  await sql`
    insert into workflow_templates (tenant_id, subject, scope, claim_type, version, name, definition)
    select distinct p.tenant_id, 'policy', '*', '*', 1, 'Underwriting', ${JSON.stringify(UNDERWRITING_V1)}::jsonb
    from policies p
    where p.status = 'pending_underwriting'
    on conflict (tenant_id, subject, scope, claim_type, version) do nothing
  `.execute(db);
  await sql`
    insert into workflow_instances (tenant_id, template_id, subject, subject_id, current_stage, started_at)
    select p.tenant_id, t.id, 'policy', p.id, t.definition -> 'stages' -> 0 ->> 'key', p.created_at
    from policies p
    join workflow_templates t
      on t.tenant_id = p.tenant_id and t.subject = 'policy' and t.scope = '*' and t.claim_type = '*' and t.version = 1
    where p.status = 'pending_underwriting'
      and t.definition -> 'stages' -> 0 ->> 'kind' = 'manual'
    on conflict (tenant_id, subject, subject_id) do nothing
  `.execute(db);
  await sql`
    insert into workflow_tasks (tenant_id, instance_id, stage, kind, required_role, due_at, started_at)
    select i.tenant_id, i.id, i.current_stage, 'manual', s ->> 'role',
           i.started_at + make_interval(hours => (s ->> 'slaHours')::int), i.started_at
    from workflow_instances i
    join workflow_templates t on t.tenant_id = i.tenant_id and t.id = i.template_id
    cross join lateral (select t.definition -> 'stages' -> 0 as s) first
    where i.subject = 'policy' and i.status = 'active'
      and not exists (select 1 from workflow_tasks k where k.tenant_id = i.tenant_id and k.instance_id = i.id)
  `.execute(db);
  for (const table of tables) await sql`alter table ${sql.table(table)} force row level security`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only (docs/architecture.md §4)");
}

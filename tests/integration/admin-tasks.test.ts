import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { policyWorkflow } from "~/modules/policies/workflow.server";
import { advanceWorkflow, assignTask, saveTemplate, startWorkflow } from "~/modules/workflows/engine.server";
import { tasksFor } from "~/modules/workflows/tasks.server";
import type { WorkflowDefinition } from "~/modules/workflows/templates";
import { createTenant, createUser, ownerDb } from "../support/db";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { insertOrder, insertPolicy, insertProduct, insertTransaction } from "./admin-payments-fixtures";
import { claimHandlers, claimsSetup, insertClaim, openTaskOf, saveClaimTemplate, type ClaimsSetup } from "./workflows-support";

/**
 * My tasks over HTTP (decision 026): a person's open tasks across claims and underwriting, handed
 * to them or waiting for a role they have, oldest first, overdue and due-soon ones marked, filters
 * in the URL, "take it"; and underwriting on the engine: the queue and the case show the workflow,
 * a referral moves it to a senior's stage, whose role then decides.
 */

type User = { id: string; email: string };
let setup: ClaimsSetup;
let assessorA: User, assessorB: User, manager: User, underwriter: User, staff: User;
let claimMine: string, claimPool: string, claimDecision: string, policyId: string;

const rowsOf = (html: string) =>
  [...html.matchAll(/<tr( class="(task-[a-z]+)")?>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => ({ cls: m[2] ?? "", text: textOf(m[3]!) }));
const setTask = (taskId: string, values: { started: string; due: string }) =>
  ownerDb()
    .updateTable("workflow_tasks")
    .set({ started_at: sql`now() - ${values.started}::interval`, due_at: sql`now() + ${values.due}::interval` })
    .where("id", "=", taskId)
    .execute();

async function underwritingPolicy(tenantId: string, customerId: string): Promise<string> {
  const product = await insertProduct(tenantId, { name: "Underwritten Motor Cover", requiresUnderwriting: true });
  const order = await insertOrder(tenantId, customerId, product.id, { firstPaymentMinor: 60_000 });
  const id = await insertPolicy(tenantId, customerId, product.id, order, 0, { status: "pending_underwriting" });
  await insertTransaction(tenantId, { orderId: order.orderId, userId: customerId, amountMinor: 60_000 });
  await withTenant(tenantId, (db) => startWorkflow(db, policyWorkflow({ id: tenantId }), { subjectId: id, scopes: [] }));
  return id;
}

beforeAll(async () => {
  setup = await claimsSetup();
  [assessorA, assessorB, manager, underwriter, staff] = await Promise.all([
    createUser(setup.tenant.id, { roles: ["assessor"], name: "Asha Assessor" }),
    createUser(setup.tenant.id, { roles: ["assessor"], name: "Baraka Assessor" }),
    createUser(setup.tenant.id, { roles: ["claims_manager"], name: "Mercy Manager" }),
    createUser(setup.tenant.id, { roles: ["underwriter"], name: "Una Underwriter" }),
    createUser(setup.tenant.id, { roles: ["staff"] }),
  ]);
  // Assessments are not handed out by themselves here: unassigned ones wait for anyone to take them.
  await withTenant(setup.tenant.id, (db) => db.insertInto("claim_settings").values({ auto_assign: false }).execute());
  const start = async (claimId: string) =>
    withTenant(setup.tenant.id, (db) =>
      startWorkflow(db, claimHandlers(setup), { subjectId: claimId, scopes: ["motor"], claimType: "accident" }),
    );
  claimMine = await insertClaim(setup, { assessorId: assessorA.id });
  claimPool = await insertClaim(setup);
  claimDecision = await insertClaim(setup);
  for (const id of [claimMine, claimPool, claimDecision]) await start(id);
  await withTenant(setup.tenant.id, (db) =>
    advanceWorkflow(db, claimHandlers(setup), { subjectId: claimDecision, event: "complete_assessment" }),
  );
  // Asha's own is overdue (48 h SLA, started 50 h ago); the pooled one has 8 of its 48 hours left.
  await setTask((await openTaskOf(setup.tenant.id, claimMine))!.id, { started: "50 hours", due: "-2 hours" });
  await setTask((await openTaskOf(setup.tenant.id, claimPool))!.id, { started: "40 hours", due: "8 hours" });
  policyId = await underwritingPolicy(setup.tenant.id, setup.claimant.id);
});

describe("My tasks", () => {
  it("lists what is mine and what waits for my role, oldest first, overdue and due soon marked", async () => {
    const browser = await signIn(hostOf(setup.tenant), assessorA.email);
    const page = await browser.get("/admin/tasks");
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("2 tasks waiting for you or your role, oldest first.");
    const rows = rowsOf(page.text);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ cls: "task-breached" });
    expect(rows[0]!.text).toMatch(/Overdue · 2 h overdue/);
    expect(rows[0]!.text).toContain("Yours");
    expect(rows[1]).toMatchObject({ cls: "task-soon" });
    expect(rows[1]!.text).toMatch(/Due soon · in 8 h/);
    expect(rows[1]!.text).toContain("Take it");
    for (const row of rows) expect(row.text).toContain("Assessment");
    expect(rows[0]!.text).toContain("Wanjiru Claimant");
    expect(page.text).toContain(`href="/admin/claims/${claimMine}"`);
    expect(page.text).toContain(`href="/admin/claims/${claimPool}"`);
    expect(page.text).not.toContain(claimDecision);
    expect(page.text).not.toContain(policyId);
  });

  it("filters by work, stage and overdue in the URL, and says which filter it ignored", async () => {
    const browser = await signIn(hostOf(setup.tenant), assessorA.email);
    const overdue = await browser.get("/admin/tasks?breached=1");
    expect(rowsOf(overdue.text)).toHaveLength(1);
    expect(overdue.text).toContain(claimMine);
    expect(textOf((await browser.get("/admin/tasks?subject=policy")).text)).toContain("No task matches these filters");
    expect(rowsOf((await browser.get("/admin/tasks?stage=assessment&subject=claim")).text)).toHaveLength(2);
    const bad = await browser.get("/admin/tasks?stage=NOT%20A%20STAGE&subject=boats");
    expect(bad.status).toBe(200);
    expect(textOf(bad.text)).toContain("Part of this search was ignored");
    expect(rowsOf(bad.text)).toHaveLength(2);

    const asManager = await signIn(hostOf(setup.tenant), manager.email);
    const managers = await asManager.get("/admin/tasks");
    expect(rowsOf(managers.text)).toHaveLength(1);
    expect(rowsOf(managers.text)[0]!.text).toContain("Decision");
    expect(managers.text).toContain(claimDecision);

    const asUnderwriter = await signIn(hostOf(setup.tenant), underwriter.email);
    const policies = await asUnderwriter.get("/admin/tasks?subject=policy");
    expect(rowsOf(policies.text)).toHaveLength(1);
    expect(rowsOf(policies.text)[0]!.text).toContain("Underwritten Motor Cover");
    expect(policies.text).toContain(`href="/admin/underwriting/${policyId}"`);
  });

  it("lets one person take an unassigned task of their role, and tells the next one", async () => {
    const asB = await signIn(hostOf(setup.tenant), assessorB.email);
    const taskId = (await openTaskOf(setup.tenant.id, claimPool))!.id;
    const taken = await asB.post("/admin/tasks", { taskId, back: "?stage=assessment" });
    expect(taken.status).toBe(302);
    expect(taken.location).toBe("/admin/tasks?stage=assessment&taken=1");
    expect((await openTaskOf(setup.tenant.id, claimPool))!.assigned_user_id).toBe(assessorB.id);
    const claim = await ownerDb().selectFrom("claims").select("assessor_user_id").where("id", "=", claimPool).executeTakeFirstOrThrow();
    expect(claim.assessor_user_id).toBe(assessorB.id);
    expect(await auditRows(setup.tenant.id, "workflow.task_taken", taskId)).toHaveLength(1);
    const page = await asB.get("/admin/tasks?stage=assessment&taken=1");
    expect(textOf(page.text)).toContain("The task is yours now.");
    expect(rowsOf(page.text)[0]!.text).toContain("Yours");

    const asA = await signIn(hostOf(setup.tenant), assessorA.email);
    const late = await asA.post("/admin/tasks", { taskId });
    expect(late.status).toBe(409);
    expect(textOf(late.text)).toContain("Someone else took this task first.");
    expect(rowsOf((await asA.get("/admin/tasks")).text)).toHaveLength(1);
    // A task of another role, a malformed id, and another agency's task.
    const decisionTask = (await openTaskOf(setup.tenant.id, claimDecision))!.id;
    expect((await asA.post("/admin/tasks", { taskId: decisionTask })).status).toBe(409);
    expect((await asA.post("/admin/tasks", { taskId: "nope" })).status).toBe(400);
    const other = await claimsSetup();
    const foreignClaim = await insertClaim(other);
    await withTenant(other.tenant.id, (db) => startWorkflow(db, claimHandlers(other), { subjectId: foreignClaim, scopes: [] }));
    const foreignTask = (await openTaskOf(other.tenant.id, foreignClaim))!.id;
    expect((await asA.post("/admin/tasks", { taskId: foreignTask })).status).toBe(404);
    expect((await openTaskOf(other.tenant.id, foreignClaim))!.assigned_user_id).toBeNull();
  });

  it("is for people who work tasks", async () => {
    for (const user of [staff, setup.claimant]) {
      const browser = await signIn(hostOf(setup.tenant), user.email);
      expect((await browser.get("/admin/tasks")).status).toBe(403);
      expect((await browser.post("/admin/tasks", { taskId: (await openTaskOf(setup.tenant.id, claimDecision))!.id })).status).toBe(403);
    }
  });

  it("gives an agent the member reviews handed to them, never the unassigned ones", async () => {
    const own = await claimsSetup();
    const agent = await createUser(own.tenant.id, { roles: ["agent"] });
    const review: WorkflowDefinition = {
      stages: [
        { key: "agent_review", name: "Agent review", kind: "manual", role: "agent", slaHours: 48, next: { agent_reviewed: "done" } },
        { key: "done", name: "Done", kind: "terminal", actions: [] },
      ],
      always: {},
    };
    await saveClaimTemplate(own, "*", "*", review);
    const [handed, nobodys] = [await insertClaim(own), await insertClaim(own)];
    for (const id of [handed, nobodys])
      await withTenant(own.tenant.id, (db) => startWorkflow(db, claimHandlers(own), { subjectId: id, scopes: [] }));
    const agentTasks = () => withTenant(own.tenant.id, (db) => tasksFor(db, { id: agent.id, roles: ["agent"] }));
    expect((await agentTasks()).total).toBe(0);
    await withTenant(own.tenant.id, async (db) => assignTask(db, (await openTaskOf(own.tenant.id, handed))!.id, agent.id));
    const mine = await agentTasks();
    expect(mine.rows.map((r) => [r.subjectId, r.stageName])).toEqual([[handed, "Agent review"]]);
  });
});

describe("underwriting on the workflow engine", () => {
  it("shows the stage in the queue and the case, refers to a senior, and lets only that stage's role decide", async () => {
    const tenant = await createTenant();
    const [uw, admin, customer] = [
      await createUser(tenant.id, { roles: ["underwriter"], name: "Una Underwriter" }),
      await createUser(tenant.id, { roles: ["admin"], name: "Sam Senior" }),
      await createUser(tenant.id, { roles: ["customer"] }),
    ];
    const twoLevels: WorkflowDefinition = {
      stages: [
        {
          key: "underwriting",
          name: "Underwriting",
          kind: "manual",
          role: "underwriter",
          slaHours: 24,
          next: { approve: "accepted", decline: "declined", refer: "senior" },
        },
        {
          key: "senior",
          name: "Senior review",
          kind: "manual",
          role: "admin",
          slaHours: 8,
          next: { approve: "accepted", decline: "declined" },
        },
        { key: "accepted", name: "Accepted", kind: "terminal", actions: [] },
        { key: "declined", name: "Declined", kind: "terminal", actions: [] },
      ],
      always: {},
    };
    const saved = await withTenant(tenant.id, (db) =>
      saveTemplate(db, policyWorkflow(tenant), {
        scope: "*",
        claimType: "*",
        name: "Two levels",
        definition: twoLevels,
        createdBy: admin.id,
      }),
    );
    expect(saved.ok).toBe(true);
    const policy = await underwritingPolicy(tenant.id, customer.id);

    const asUw = await signIn(hostOf(tenant), uw.email);
    const queue = textOf((await asUw.get("/admin/underwriting")).text);
    expect(queue).toContain("Underwriting · any underwriter");
    // (textOf leaves a space where a tag ended; "Underwriting ," reads as "Underwriting,".)
    const pageText = async () => textOf((await asUw.get(`/admin/underwriting/${policy}`)).text).replace(/ ([,.])/g, "$1");
    const casePage = await pageText();
    expect(casePage).toContain("Underwriting workflow");
    expect(casePage).toContain("At Underwriting, for any underwriter");
    expect(casePage).toContain("Refer");

    const empty = await asUw.post(`/admin/underwriting/${policy}`, { intent: "refer", note: " " });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Say why you refer it");
    const referred = await asUw.post(`/admin/underwriting/${policy}`, { intent: "refer", note: "Sum insured is above my limit" });
    expect(referred.status).toBe(302);
    expect(referred.location).toBe("/admin/underwriting?notice=referred");
    expect(await auditRows(tenant.id, "policy.referred", policy)).toHaveLength(1);
    const after = await pageText();
    expect(after).toContain("At Senior review, for any administrator");
    expect(after).toContain("Underwriting → Refer by Una Underwriter — Sum insured is above my limit");
    expect(after).not.toContain("Why you refer it");

    // The underwriter may not decide the senior's stage; nothing changes.
    const refused = await asUw.post(`/admin/underwriting/${policy}`, { intent: "approve" });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain('"Senior review" is for an administrator: you cannot decide it.');
    const status = async () =>
      (await ownerDb().selectFrom("policies").select("status").where("id", "=", policy).executeTakeFirstOrThrow()).status;
    expect(await status()).toBe("pending_underwriting");

    // The senior finds it in My tasks, takes it and approves.
    const asAdmin = await signIn(hostOf(tenant), admin.email);
    const tasks = await asAdmin.get("/admin/tasks");
    expect(rowsOf(tasks.text)).toHaveLength(1);
    expect(rowsOf(tasks.text)[0]!.text).toContain("Senior review");
    const taskId = (await openTaskOf(tenant.id, policy))!.id;
    expect((await asAdmin.post("/admin/tasks", { taskId })).status).toBe(302);
    expect((await asAdmin.post(`/admin/underwriting/${policy}`, { intent: "approve" })).status).toBe(302);
    expect(await status()).toBe("active");
    const instance = await ownerDb()
      .selectFrom("workflow_instances")
      .selectAll()
      .where("subject_id", "=", policy)
      .executeTakeFirstOrThrow();
    expect(instance).toMatchObject({ status: "completed", current_stage: "accepted" });
    expect(rowsOf((await asAdmin.get("/admin/tasks")).text)).toHaveLength(0);
  });
});

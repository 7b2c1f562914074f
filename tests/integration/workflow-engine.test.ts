import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { defaultClaimTemplate } from "~/modules/claims/workflow.server";
import { advanceWorkflow, saveTemplate, startWorkflow, takeTask, templateFor, workflowOf } from "~/modules/workflows/engine.server";
import type { WorkflowDefinition } from "~/modules/workflows/templates";
import { createUser, ownerDb } from "../support/db";
import {
  claimHandlers,
  claimsSetup,
  claimWithWorkflow,
  insertClaim,
  instanceOf,
  openTaskOf,
  saveClaimTemplate,
  tasksOf,
  type ClaimsSetup,
} from "./workflows-support";

/**
 * The workflow engine against the real database (decision 020): which template a subject starts
 * on, versions that never change under a subject in flight, one open task per instance, moving
 * only on the events a stage expects, and taking a task.
 */

const twoStage = (first: string, role = "assessor"): WorkflowDefinition => ({
  stages: [
    { key: first, name: `Stage ${first}`, kind: "manual", role, slaHours: 8, next: { complete_assessment: "done" } },
    { key: "done", name: "Done", kind: "terminal", actions: [] },
  ],
  always: { withdraw: "gone" } as Record<string, string>,
});
const withGone = (def: WorkflowDefinition): WorkflowDefinition => ({
  ...def,
  stages: [...def.stages, { key: "gone", name: "Withdrawn", kind: "terminal", actions: [] }],
});

let setup: ClaimsSetup;
beforeAll(async () => {
  setup = await claimsSetup();
});

describe("which template a claim starts on", () => {
  it("saves the default as version 1 when the tenant has none, then prefers the most specific scope", async () => {
    const own = await claimsSetup();
    const db = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(own.tenant.id, work);
    const first = await db((tx) => templateFor(tx, claimHandlers(own), ["motor-comprehensive", "motor"], "theft"));
    expect(first).toMatchObject({ scope: "*", claimType: "*", version: 1, name: defaultClaimTemplate(false).name });
    // Asking again does not make another default.
    expect((await db((tx) => templateFor(tx, claimHandlers(own), ["motor"], "theft"))).id).toBe(first.id);

    const family = await saveClaimTemplate(own, "motor", "*", withGone(twoStage("family")));
    const familyTheft = await saveClaimTemplate(own, "motor", "theft", withGone(twoStage("family_theft")));
    const category = await saveClaimTemplate(own, "motor-comprehensive", "*", withGone(twoStage("category")));
    const anyTheft = await saveClaimTemplate(own, "*", "theft", withGone(twoStage("any_theft")));

    const pick = async (scopes: string[], claimType: string) =>
      (await db((tx) => templateFor(tx, claimHandlers(own), scopes, claimType))).id;
    // The category (first scope) beats the family, and within a scope an exact claim type beats '*'.
    expect(await pick(["motor-comprehensive", "motor"], "accident")).toBe(category.id);
    expect(await pick(["motor-comprehensive", "motor"], "theft")).toBe(category.id);
    expect(await pick(["motor-third-party", "motor"], "theft")).toBe(familyTheft.id);
    expect(await pick(["motor-third-party", "motor"], "windscreen")).toBe(family.id);
    expect(await pick(["home-cover", "home"], "theft")).toBe(anyTheft.id);
    expect(await pick(["home-cover", "home"], "fire")).toBe(first.id);

    // And a claim starts on it, in its first stage, with its task.
    const claimId = await insertClaim(own, { claimType: "theft" });
    const state = await db((tx) =>
      startWorkflow(tx, claimHandlers(own), { subjectId: claimId, scopes: ["motor-x", "motor"], claimType: "theft" }),
    );
    expect(state).toMatchObject({ templateId: familyTheft.id, status: "active", stage: { key: "family_theft" } });
    expect(state.task).toMatchObject({ requiredRole: "assessor" });
    // Starting it again (a retried job) keeps the one workflow.
    const again = await db((tx) => startWorkflow(tx, claimHandlers(own), { subjectId: claimId, scopes: ["motor"], claimType: "theft" }));
    expect(again.instanceId).toBe(state.instanceId);
    expect(await tasksOf(own.tenant.id, claimId)).toHaveLength(1);
  });
});

describe("versions", () => {
  it("numbers each save, keeps claims in flight on theirs, and starts new claims on the latest", async () => {
    const own = await claimsSetup();
    const v1 = await saveClaimTemplate(own, "motor", "*", withGone(twoStage("first_look")));
    const inFlight = await claimWithWorkflow(own);

    // Version 2 renames the first stage and adds a decision after it.
    const v2def: WorkflowDefinition = {
      stages: [
        { key: "triage", name: "Triage", kind: "manual", role: "claims_manager", slaHours: 4, next: { complete_assessment: "decision" } },
        { key: "decision", name: "Decision", kind: "manual", role: "claims_manager", slaHours: 4, next: { approve: "done" } },
        { key: "done", name: "Done", kind: "terminal", actions: [] },
        { key: "gone", name: "Withdrawn", kind: "terminal", actions: [] },
      ],
      always: { withdraw: "gone" },
    };
    const v2 = await saveClaimTemplate(own, "motor", "*", v2def);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const fresh = await claimWithWorkflow(own);

    expect((await instanceOf(own.tenant.id, inFlight)).template_id).toBe(v1.id);
    expect((await instanceOf(own.tenant.id, fresh)).template_id).toBe(v2.id);
    // The claim in flight still moves by version 1: complete_assessment ends it there.
    const moved = await withTenant(own.tenant.id, (db) =>
      advanceWorkflow(db, claimHandlers(own), { subjectId: inFlight, event: "complete_assessment" }),
    );
    expect(moved).toEqual({ moved: true, from: "first_look", to: "done" });
    expect(await instanceOf(own.tenant.id, inFlight)).toMatchObject({ status: "completed", current_stage: "done" });
    const movedFresh = await withTenant(own.tenant.id, (db) =>
      advanceWorkflow(db, claimHandlers(own), { subjectId: fresh, event: "complete_assessment" }),
    );
    expect(movedFresh).toEqual({ moved: true, from: "triage", to: "decision" });
    // Version 1 is as it was saved.
    const stored = await ownerDb().selectFrom("workflow_templates").select("definition").where("id", "=", v1.id).executeTakeFirstOrThrow();
    expect((stored.definition as WorkflowDefinition).stages[0]!.key).toBe("first_look");
  });

  it("refuses a template with problems, a stale version, and numbers saves made at the same time one after the other", async () => {
    const own = await claimsSetup();
    const save = (definition: unknown, basedOn?: number | null) =>
      withTenant(own.tenant.id, (db) =>
        saveTemplate(db, claimHandlers(own), {
          scope: "medical",
          claimType: "inpatient",
          name: "Inpatient",
          definition,
          createdBy: null,
          basedOn,
        }),
      );
    const broken = await save({ stages: [{ key: "a", name: "A", kind: "manual", role: "pilot", slaHours: 2, next: { fly: "b" } }] });
    expect(broken.ok).toBe(false);
    const unknown = await save({
      stages: [
        { key: "a", name: "A", kind: "manual", role: "pilot", slaHours: 2, next: { fly: "b" } },
        { key: "b", name: "B", kind: "terminal" },
      ],
    });
    expect(unknown).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([
        { stage: "a", message: '"fly" is not an event this workflow knows' },
        { stage: "a", message: '"pilot" is not a role that can work this stage' },
      ]),
    });
    const scope = await withTenant(own.tenant.id, (db) =>
      saveTemplate(db, claimHandlers(own), { scope: "Not A Scope", claimType: "*", name: "x", definition: twoStage("a"), createdBy: null }),
    );
    expect(scope.ok).toBe(false);
    expect(await ownerDb().selectFrom("workflow_templates").select("id").where("tenant_id", "=", own.tenant.id).execute()).toHaveLength(0);

    const good = withGone(twoStage("review"));
    expect(await save(good, null)).toMatchObject({ ok: true, template: { version: 1 } });
    // An editor that started from nothing (or from version 0) is told version 1 came in between.
    expect(await save(good, null)).toMatchObject({ ok: false, conflict: { latest: 1 } });
    expect(await save(good, 1)).toMatchObject({ ok: true, template: { version: 2 } });
    // Three saves at once, none of them naming a base: three versions, none lost, no error.
    const together = await Promise.all([save(good), save(good), save(good)]);
    expect(together.map((r) => (r.ok ? r.template.version : 0)).sort()).toEqual([3, 4, 5]);
  });
});

describe("moving a workflow", () => {
  it("keeps one open task, moves on expected events only, takes `always` events anywhere, and stops at an end", async () => {
    const claimId = await claimWithWorkflow(setup, { scopes: ["travel"] });
    const advance = (event: string) =>
      withTenant(setup.tenant.id, (db) => advanceWorkflow(db, claimHandlers(setup), { subjectId: claimId, event }));
    const start = await withTenant(setup.tenant.id, (db) => workflowOf(db, "claim", claimId));
    expect(start).toMatchObject({ stage: { key: "assessment" }, expects: ["request_documents", "complete_assessment", "withdraw"] });

    // Not expected here: nothing changes.
    expect(await advance("settle")).toEqual({ moved: false, reason: "not_expected" });
    expect(await advance("no_such_event")).toEqual({ moved: false, reason: "not_expected" });
    expect(await tasksOf(setup.tenant.id, claimId)).toMatchObject([{ stage: "assessment", status: "open" }]);

    expect(await advance("complete_assessment")).toEqual({ moved: true, from: "assessment", to: "decision" });
    const tasks = await tasksOf(setup.tenant.id, claimId);
    expect(tasks.map((t) => [t.stage, t.status, t.outcome])).toEqual([
      ["assessment", "completed", "complete_assessment"],
      ["decision", "open", null],
    ]);
    expect(tasks[1]).toMatchObject({ kind: "manual", required_role: "claims_manager" });
    expect(tasks[1]!.due_at!.getTime() - tasks[1]!.started_at.getTime()).toBe(24 * 3_600_000);

    // The database itself refuses a second open task for the instance.
    const instance = await instanceOf(setup.tenant.id, claimId);
    await expect(
      withTenant(setup.tenant.id, (db) =>
        db.insertInto("workflow_tasks").values({ instance_id: instance.id, stage: "settlement", kind: "manual" }).execute(),
      ),
    ).rejects.toThrow(/workflow_tasks_one_open/);

    // `always`: withdrawal from the decision stage ends the workflow.
    expect(await advance("withdraw")).toEqual({ moved: true, from: "decision", to: "withdrawn" });
    expect(await instanceOf(setup.tenant.id, claimId)).toMatchObject({ status: "completed", current_stage: "withdrawn" });
    expect(await openTaskOf(setup.tenant.id, claimId)).toBeUndefined();
    expect(await advance("withdraw")).toEqual({ moved: false, reason: "ended" });
    expect(
      await withTenant(setup.tenant.id, (db) => advanceWorkflow(db, claimHandlers(setup), { subjectId: setup.policyId, event: "x" })),
    ).toEqual({
      moved: false,
      reason: "no_workflow",
    });
  });

  it("hands a claim's assessment round-robin to the assessor with the least open work", async () => {
    const own = await claimsSetup();
    const [busy, free] = [
      await createUser(own.tenant.id, { roles: ["assessor"], name: "Busy Assessor" }),
      await createUser(own.tenant.id, { roles: ["assessor"], name: "Free Assessor" }),
    ];
    await insertClaim(own, { status: "under_review", assessorId: busy.id });
    const claimId = await claimWithWorkflow(own);
    expect(await openTaskOf(own.tenant.id, claimId)).toMatchObject({ stage: "assessment", assigned_user_id: free.id });
    expect(
      (await ownerDb().selectFrom("claims").select("assessor_user_id").where("id", "=", claimId).executeTakeFirstOrThrow())
        .assessor_user_id,
    ).toBe(free.id);
  });
});

describe("taking a task", () => {
  it("gives an unassigned task to one person with its role, once, and makes a claim's taker its assessor", async () => {
    const own = await claimsSetup();
    // No assessor existed when it was filed: the assessment waits for anyone with the role.
    const claimId = await insertClaim(own);
    await withTenant(own.tenant.id, (db) => startWorkflow(db, claimHandlers(own), { subjectId: claimId, scopes: ["motor"] }));
    const [manager, assessor, other, staff] = [
      await createUser(own.tenant.id, { roles: ["claims_manager"] }),
      await createUser(own.tenant.id, { roles: ["assessor"] }),
      await createUser(own.tenant.id, { roles: ["assessor"] }),
      await createUser(own.tenant.id, { roles: ["staff"] }),
    ];
    const task = (await openTaskOf(own.tenant.id, claimId))!;
    expect(task.assigned_user_id).toBeNull();
    const take = (user: { id: string }, roles: string[]) =>
      withTenant(own.tenant.id, (db) => takeTask(db, claimHandlers(own), task.id, { id: user.id, roles }));

    expect(await take(staff, ["staff"])).toEqual({ ok: false, reason: "not_your_role" });
    expect(await take(manager, ["claims_manager"])).toEqual({ ok: false, reason: "not_your_role" });
    const both = await Promise.all([take(assessor, ["assessor"]), take(other, ["assessor"])]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    const winner = both[0]!.ok ? assessor : other;
    expect((await openTaskOf(own.tenant.id, claimId))!.assigned_user_id).toBe(winner.id);
    expect(
      (await ownerDb().selectFrom("claims").select("assessor_user_id").where("id", "=", claimId).executeTakeFirstOrThrow())
        .assessor_user_id,
    ).toBe(winner.id);
  });
});

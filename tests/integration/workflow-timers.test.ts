import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { moveClaim } from "~/modules/claims/transition.server";
import { advanceWorkflow, fireTimeout, runAutomaticStage, timeoutJobKey } from "~/modules/workflows/engine.server";
import type { WorkflowDefinition } from "~/modules/workflows/templates";
import { eventually, ownerDb } from "../support/db";
import {
  claimHandlers,
  claimsSetup,
  claimWithWorkflow,
  instanceOf,
  jobWithKey,
  openTaskOf,
  remindersFor,
  runTimerNow,
  saveClaimTemplate,
  tasksOf,
  timePassesFor,
  type ClaimsSetup,
} from "./workflows-support";

/**
 * The engine's timers and automatic stages, run by the suite's real worker (decision 020): a
 * waiting stage's `workflow_timeout` job is queued for the task's due time; to let that time pass,
 * a test moves the task's due time and its job (found by the key the engine gave it) into the past
 * and leaves the rest to the worker. Each job is also run again, and raced with a person's action.
 */

let setup: ClaimsSetup;
beforeAll(async () => {
  setup = await claimsSetup();
});

const advance = (s: ClaimsSetup, claimId: string, event: string) =>
  withTenant(s.tenant.id, (db) => advanceWorkflow(db, claimHandlers(s), { subjectId: claimId, event }));

/** Runs `work` in a transaction and holds it open (its locks with it) until `release` is called. */
function held<T>(tenantId: string, work: Parameters<typeof withTenant<T>>[1]) {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const ready = new Promise<void>((r) => (reached = r));
  const done = withTenant(tenantId, async (db) => {
    const result = await work(db);
    reached();
    await gate;
    return result;
  });
  return { ready, release, done };
}

/** Some app connection waits for a row lock (so the second transaction really is behind the first). */
async function someoneWaitsForALock(): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity where application_name = 'covera-app' and wait_event_type = 'Lock'
  `.execute(ownerDb());
  return rows[0]!.n > 0;
}

describe("a waiting stage's timeout", () => {
  it("is a job queued for the due time that reminds the claimant once, and only once however often it runs", async () => {
    const claimId = await claimWithWorkflow(setup);
    await advance(setup, claimId, "request_documents");
    const task = (await openTaskOf(setup.tenant.id, claimId))!;
    expect(task).toMatchObject({ stage: "awaiting_documents", kind: "waiting" });
    expect(task.due_at!.getTime() - task.started_at.getTime()).toBe(7 * 24 * 3_600_000);
    const key = timeoutJobKey(setup.tenant.id, task.id);
    expect((await jobWithKey(key))?.run_at.getTime()).toBe(task.due_at!.getTime());

    await timePassesFor(setup.tenant.id, "claim", task.id);
    const [reminder] = await eventually(async () => {
      const sent = await remindersFor(setup.tenant.id, task.id);
      return sent.length > 0 ? sent : undefined;
    });
    expect(reminder).toMatchObject({ template: "claim_documents_reminder", recipient: setup.claimant.email });
    await eventually(async () => (await jobWithKey(key)) === undefined);
    // Still waiting for the documents, with the timer spent.
    const after = (await openTaskOf(setup.tenant.id, claimId))!;
    expect(after).toMatchObject({ id: task.id, stage: "awaiting_documents", due_at: null });
    expect(after.notes).toMatch(/^Timed out /);

    // The job again (a retry, a duplicate): nothing more.
    await runTimerNow(setup.tenant.id, "claim", task.id);
    await eventually(async () => (await jobWithKey(key)) === undefined);
    expect(await withTenant(setup.tenant.id, (db) => fireTimeout(db, claimHandlers(setup), task.id))).toBe("already_fired");
    expect(await remindersFor(setup.tenant.id, task.id)).toHaveLength(1);
    expect(await tasksOf(setup.tenant.id, claimId)).toHaveLength(2);
  });

  it("moves the workflow on with `timeoutNext` (an unappealed rejection closes)", async () => {
    const claimId = await claimWithWorkflow(setup);
    for (const event of ["complete_assessment", "reject"]) await advance(setup, claimId, event);
    const waiting = (await openTaskOf(setup.tenant.id, claimId))!;
    expect(waiting).toMatchObject({ stage: "rejected", kind: "waiting" });
    expect(waiting.due_at!.getTime() - waiting.started_at.getTime()).toBe(30 * 24 * 3_600_000);

    await timePassesFor(setup.tenant.id, "claim", waiting.id);
    await eventually(async () => (await instanceOf(setup.tenant.id, claimId)).status === "completed");
    expect(await instanceOf(setup.tenant.id, claimId)).toMatchObject({ current_stage: "closed" });
    const tasks = await tasksOf(setup.tenant.id, claimId);
    expect(tasks.slice(-2).map((t) => [t.stage, t.status, t.outcome])).toEqual([
      ["rejected", "timed_out", "timeout"],
      ["closed", "completed", "ended"],
    ]);
    // Run again: the task is no longer open, so nothing happens.
    expect(await withTenant(setup.tenant.id, (db) => fireTimeout(db, claimHandlers(setup), waiting.id))).toBe("not_open");
    expect(await tasksOf(setup.tenant.id, claimId)).toHaveLength(tasks.length);
  });

  it("leaves a task completed before its timer alone", async () => {
    const claimId = await claimWithWorkflow(setup);
    await advance(setup, claimId, "request_documents");
    const waiting = (await openTaskOf(setup.tenant.id, claimId))!;
    await advance(setup, claimId, "documents_received");
    // The timer's job is still queued; when its time comes it finds its task closed.
    expect(await jobWithKey(timeoutJobKey(setup.tenant.id, waiting.id))).toBeDefined();
    await timePassesFor(setup.tenant.id, "claim", waiting.id);
    await eventually(async () => (await jobWithKey(timeoutJobKey(setup.tenant.id, waiting.id))) === undefined);
    expect(await remindersFor(setup.tenant.id, waiting.id)).toHaveLength(0);
    expect(await openTaskOf(setup.tenant.id, claimId)).toMatchObject({ stage: "assessment" });
    expect((await tasksOf(setup.tenant.id, claimId)).filter((t) => t.status === "open")).toHaveLength(1);
  });

  it("puts back a job that runs before its task is due, instead of losing the timer", async () => {
    const claimId = await claimWithWorkflow(setup);
    await advance(setup, claimId, "request_documents");
    const waiting = (await openTaskOf(setup.tenant.id, claimId))!;
    const key = timeoutJobKey(setup.tenant.id, waiting.id);
    await runTimerNow(setup.tenant.id, "claim", waiting.id);
    // It ran, found the task not yet due, and queued itself again for the due time.
    await eventually(async () => {
      const job = await jobWithKey(key);
      return job && job.locked_at === null && job.run_at.getTime() === waiting.due_at!.getTime();
    });
    expect(await remindersFor(setup.tenant.id, waiting.id)).toHaveLength(0);
    expect(await openTaskOf(setup.tenant.id, claimId)).toMatchObject({ id: waiting.id, due_at: waiting.due_at });
  });
});

describe("automatic stages", () => {
  it("run their actions in the workflow_automatic job and move on, once", async () => {
    const own = await claimsSetup();
    const def: WorkflowDefinition = {
      stages: [
        { key: "nudge", name: "Nudge the claimant", kind: "automatic", actions: ["remind_claimant"], next: "assessment" },
        { key: "assessment", name: "Assessment", kind: "manual", role: "assessor", slaHours: 48, next: { complete_assessment: "done" } },
        { key: "done", name: "Done", kind: "terminal", actions: ["remind_claimant"] },
        { key: "withdrawn", name: "Withdrawn", kind: "terminal", actions: [] },
      ],
      always: { withdraw: "withdrawn" },
    };
    await saveClaimTemplate(own, "*", "*", def);
    const claimId = await claimWithWorkflow(own);
    const nudge = (await tasksOf(own.tenant.id, claimId))[0]!;
    expect(nudge).toMatchObject({ stage: "nudge", kind: "automatic" });
    await eventually(async () => (await openTaskOf(own.tenant.id, claimId))?.stage === "assessment");
    expect(await remindersFor(own.tenant.id, nudge.id)).toHaveLength(1);
    expect(await withTenant(own.tenant.id, (db) => runAutomaticStage(db, claimHandlers(own), nudge.id))).toBe("not_open");
    expect(await tasksOf(own.tenant.id, claimId)).toHaveLength(2);

    // An end with actions runs them in a job too, then closes.
    await advance(own, claimId, "complete_assessment");
    expect(await instanceOf(own.tenant.id, claimId)).toMatchObject({ status: "completed", current_stage: "done" });
    const end = (await tasksOf(own.tenant.id, claimId)).at(-1)!;
    await eventually(async () => (await tasksOf(own.tenant.id, claimId)).at(-1)!.status === "completed");
    expect(await remindersFor(own.tenant.id, end.id)).toHaveLength(1);
  });
});

describe("a person and a timer at once", () => {
  const escalating: WorkflowDefinition = {
    stages: [
      {
        key: "assessment",
        name: "Assessment",
        kind: "manual",
        role: "assessor",
        slaHours: 48,
        next: { request_documents: "awaiting_documents", complete_assessment: "done" },
      },
      {
        key: "awaiting_documents",
        name: "Waiting for documents",
        kind: "waiting",
        timeoutHours: 72,
        timeoutAction: "remind_claimant",
        timeoutNext: "chase",
        next: { documents_received: "assessment" },
      },
      {
        key: "chase",
        name: "Chase by phone",
        kind: "manual",
        role: "claims_manager",
        slaHours: 24,
        next: { documents_received: "assessment" },
      },
      { key: "done", name: "Done", kind: "terminal", actions: [] },
      { key: "withdrawn", name: "Withdrawn", kind: "terminal", actions: [] },
    ],
    always: { withdraw: "withdrawn" },
  };

  async function claimWaitingForDocuments(own: ClaimsSetup) {
    const claimId = await claimWithWorkflow(own, { status: "documents_requested", scopes: ["racing"] });
    await advance(own, claimId, "request_documents");
    const waiting = (await openTaskOf(own.tenant.id, claimId))!;
    await ownerDb()
      .updateTable("workflow_tasks")
      .set({ due_at: sql`now() - interval '1 minute'` })
      .where("id", "=", waiting.id)
      .execute();
    return { claimId, waiting };
  }

  async function expectOneConsistentState(own: ClaimsSetup, claimId: string) {
    const open = (await tasksOf(own.tenant.id, claimId)).filter((t) => t.status === "open");
    expect(open).toHaveLength(1);
    expect((await instanceOf(own.tenant.id, claimId)).current_stage).toBe(open[0]!.stage);
    return open[0]!;
  }

  let own: ClaimsSetup;
  beforeAll(async () => {
    own = await claimsSetup();
    await saveClaimTemplate(own, "racing", "*", escalating);
  });

  it("the documents arrive first: the timer then finds its task closed", async () => {
    const { claimId, waiting } = await claimWaitingForDocuments(own);
    const person = held(own.tenant.id, (db) =>
      moveClaim(db, claimHandlers(own), { claimId, event: "documents_received", actorUserId: own.claimant.id }),
    );
    await person.ready;
    const timer = withTenant(own.tenant.id, (db) => fireTimeout(db, claimHandlers(own), waiting.id));
    await eventually(someoneWaitsForALock);
    person.release();
    const [moved, fired] = await Promise.all([person.done, timer]);
    expect(moved.workflow).toEqual({ moved: true, from: "awaiting_documents", to: "assessment" });
    expect(fired).toBe("not_open");
    expect((await expectOneConsistentState(own, claimId)).stage).toBe("assessment");
    expect(await remindersFor(own.tenant.id, waiting.id)).toHaveLength(0);
  });

  it("the timer fires first: the documents then find the workflow moved on", async () => {
    const { claimId, waiting } = await claimWaitingForDocuments(own);
    const timer = held(own.tenant.id, (db) => fireTimeout(db, claimHandlers(own), waiting.id));
    await timer.ready;
    const person = withTenant(own.tenant.id, (db) =>
      moveClaim(db, claimHandlers(own), { claimId, event: "documents_received", actorUserId: own.claimant.id }),
    );
    await eventually(someoneWaitsForALock);
    timer.release();
    const [fired, moved] = await Promise.all([timer.done, person]);
    expect(fired).toBe("fired");
    // The chase stage takes documents_received too: the person's event moves it back to assessment.
    expect(moved.workflow).toEqual({ moved: true, from: "chase", to: "assessment" });
    expect((await expectOneConsistentState(own, claimId)).stage).toBe("assessment");
    expect(await remindersFor(own.tenant.id, waiting.id)).toHaveLength(1);
    expect((await tasksOf(own.tenant.id, claimId)).map((t) => [t.stage, t.status])).toEqual([
      ["assessment", "completed"],
      ["awaiting_documents", "timed_out"],
      ["chase", "completed"],
      ["assessment", "open"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { claimVocabulary, defaultClaimTemplate } from "~/modules/claims/workflow.server";
import {
  definitionSchema,
  expectedEvents,
  nextStageFor,
  stageOf,
  templateProblems,
  workflowEdges,
  type WorkflowDefinition,
} from "./templates";

const vocabulary = claimVocabulary(["remind_claimant"]);

function problems(def: unknown) {
  return templateProblems(definitionSchema.parse(def), vocabulary).map((p) => p.message);
}

describe("workflow templates", () => {
  it.each([false, true])("ships defaults that validate (agent review: %s)", (agentReview) => {
    const { definition } = defaultClaimTemplate(agentReview);
    expect(templateProblems(definitionSchema.parse(definition), vocabulary)).toEqual([]);
    expect(definition.stages[0]!.key).toBe(agentReview ? "agent_review" : "assessment");
  });

  const base: WorkflowDefinition = {
    stages: [
      { key: "assessment", name: "Assessment", kind: "manual", role: "assessor", slaHours: 48, next: { approve: "done" } },
      { key: "done", name: "Done", kind: "terminal", actions: [] },
    ],
    always: {},
  };

  it("refuses a workflow without an end", () => {
    expect(problems({ stages: [base.stages[0], { ...base.stages[0], key: "done", name: "Done" }] })).toContain(
      "The workflow has no end (a terminal stage)",
    );
  });

  it("refuses a stage nothing leads to", () => {
    expect(problems({ ...base, stages: [...base.stages, { key: "orphan", name: "Orphan", kind: "terminal", actions: [] }] })).toEqual([
      'Nothing leads to "Orphan"',
    ]);
  });

  it("refuses a stage from which no end can be reached", () => {
    const loop = {
      stages: [
        { key: "a", name: "A", kind: "manual", role: "assessor", slaHours: 1, next: { approve: "b", reject: "done" } },
        { key: "b", name: "B", kind: "manual", role: "assessor", slaHours: 1, next: { approve: "b" } },
        { key: "done", name: "Done", kind: "terminal" },
      ],
    };
    expect(problems(loop)).toEqual(['No end can be reached from "B"']);
  });

  it("refuses names the code does not know", () => {
    const def = {
      stages: [
        { key: "a", name: "A", kind: "automatic", actions: ["launch_rocket"], next: "b" },
        {
          key: "b",
          name: "B",
          kind: "manual",
          role: "janitor",
          assign: "dice",
          slaHours: 1,
          next: { teleport: "done", approve: "nowhere" },
        },
        { key: "done", name: "Done", kind: "terminal" },
      ],
    };
    expect(problems(def)).toEqual([
      '"launch_rocket" is not an action this workflow knows',
      '"teleport" is not an event this workflow knows',
      'Goes to "nowhere", which is not a stage of this workflow',
      '"janitor" is not a role that can work this stage',
      '"dice" is not a way of assigning this workflow knows',
    ]);
  });

  it("refuses a wait with nothing to do when it times out, and two stages with one key", () => {
    const def = {
      stages: [
        { key: "a", name: "A", kind: "waiting", timeoutHours: 2, next: { documents_received: "done" } },
        { key: "done", name: "Done", kind: "terminal" },
        { key: "done", name: "Done again", kind: "terminal" },
      ],
    };
    expect(problems(def)).toEqual([
      'Two stages are called "done"',
      "Say what happens when the wait times out (an action, a next stage, or both)",
    ]);
  });

  it("refuses malformed stages at parse time, by field", () => {
    const parsed = definitionSchema.safeParse({
      stages: [
        { key: "Bad Key", name: "", kind: "manual", role: "assessor", slaHours: 0, next: {} },
        { key: "x", kind: "nope" },
      ],
    });
    expect(parsed.success).toBe(false);
  });

  it("moves on the stage's own events and on the template's always-events", () => {
    const def = definitionSchema.parse(defaultClaimTemplate(false).definition);
    const assessment = stageOf(def, "assessment")!;
    expect(nextStageFor(def, assessment, "complete_assessment")).toBe("decision");
    expect(nextStageFor(def, assessment, "withdraw")).toBe("withdrawn");
    expect(nextStageFor(def, assessment, "settle")).toBeNull();
    expect(expectedEvents(def, assessment)).toEqual(["request_documents", "complete_assessment", "withdraw"]);
    expect(expectedEvents(def, stageOf(def, "settled")!)).toEqual([]);
  });

  it("takes the always-events in an automatic stage too (a withdrawal while its actions are queued)", () => {
    const def = definitionSchema.parse({
      stages: [
        { key: "nudge", name: "Nudge", kind: "automatic", actions: ["remind_claimant"], next: "done" },
        { key: "done", name: "Done", kind: "terminal" },
        { key: "withdrawn", name: "Withdrawn", kind: "terminal" },
      ],
      always: { withdraw: "withdrawn" },
    });
    const nudge = stageOf(def, "nudge")!;
    expect(nextStageFor(def, nudge, "withdraw")).toBe("withdrawn");
    expect(nextStageFor(def, nudge, "settle")).toBeNull();
    expect(expectedEvents(def, nudge)).toEqual(["withdraw"]);
  });

  it("draws one arrow per pair of stages, events merged, with automatic moves and timeouts", () => {
    const def = definitionSchema.parse(defaultClaimTemplate(false).definition);
    const edges = workflowEdges(def);
    expect(edges).toContainEqual({ from: "assessment", to: "awaiting_documents", events: ["request_documents"], kind: "event" });
    expect(edges).toContainEqual({ from: "rejected", to: "closed", events: [], kind: "timeout" });
    expect(edges.filter((e) => e.from === "decision").map((e) => e.to)).toEqual(["settlement", "rejected"]);
    // `always` is said once, not drawn from every stage.
    expect(edges.some((e) => e.to === "withdrawn")).toBe(false);
    const merged = workflowEdges(
      definitionSchema.parse({
        stages: [
          { key: "a", name: "A", kind: "manual", role: "assessor", slaHours: 1, next: { approve: "b", settle: "b" } },
          { key: "b", name: "B", kind: "terminal" },
        ],
      }),
    );
    expect(merged).toEqual([{ from: "a", to: "b", events: ["approve", "settle"], kind: "event" }]);
  });
});

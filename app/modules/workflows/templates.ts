import { z } from "zod";
import { lineText } from "~/lib/text";

/**
 * Workflow templates as data (decision 020): what an agency configures about how a claim or a
 * policy moves — which stages, in what order, who works each one and by when. What a stage *means*
 * (approving pays, a document request waits for the claimant) stays in code: the template names
 * events, actions, roles and assigners from its subject's vocabulary, and validation refuses any
 * name the code does not know. Pure TypeScript: the back-office editor validates with the same
 * function the server saves with.
 *
 * Stages:
 * - automatic: runs its actions (in a job), then moves to `next`;
 * - waiting: waits for one of the events in `next`; after `timeoutHours` runs `timeoutAction`
 *   (a reminder, an escalation) and, when `timeoutNext` is set, moves there;
 * - manual: a task for a person with `role` (handed to someone by `assign` when set), due within
 *   `slaHours`; the events in `next` complete it;
 * - terminal: the end (its actions run when it is reached).
 * `always` lists events every non-terminal stage accepts (a claimant may withdraw at any point).
 * The first stage is where an instance starts.
 */

export const STAGE_KINDS = ["automatic", "waiting", "manual", "terminal"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** The names a subject's templates may use; the code behind each lives with the subject. */
export interface WorkflowVocabulary {
  events: readonly string[];
  actions: readonly string[];
  roles: readonly string[];
  assigners: readonly string[];
}

export const stageKey = lineText().regex(
  /^[a-z][a-z0-9_]{0,39}$/,
  "Use lower-case letters, digits and underscores (up to 40), starting with a letter",
);
export const stageName = lineText().min(1, "Give the stage a name").max(80, "Use at most 80 characters");
export const stageHours = z.coerce
  .number()
  .int("Whole hours")
  .min(1, "At least one hour")
  .max(24 * 365, "At most a year");
const transitions = z.record(stageKey, stageKey);

const automaticStage = z.object({
  key: stageKey,
  name: stageName,
  kind: z.literal("automatic"),
  actions: z.array(stageKey).min(1, "An automatic stage runs at least one action"),
  next: stageKey,
});
const waitingStage = z.object({
  key: stageKey,
  name: stageName,
  kind: z.literal("waiting"),
  timeoutHours: stageHours,
  timeoutAction: stageKey.optional(),
  timeoutNext: stageKey.optional(),
  next: transitions,
});
const manualStage = z.object({
  key: stageKey,
  name: stageName,
  kind: z.literal("manual"),
  role: stageKey,
  assign: stageKey.optional(),
  slaHours: stageHours,
  next: transitions,
});
const terminalStage = z.object({
  key: stageKey,
  name: stageName,
  kind: z.literal("terminal"),
  actions: z.array(stageKey).default([]),
});

export const stageSchema = z.discriminatedUnion("kind", [automaticStage, waitingStage, manualStage, terminalStage]);
export type Stage = z.infer<typeof stageSchema>;

export const definitionSchema = z.object({
  stages: z.array(stageSchema).min(2, "A workflow needs at least a first stage and an end").max(30, "At most 30 stages"),
  always: transitions.default({}),
});
export type WorkflowDefinition = z.infer<typeof definitionSchema>;

export interface TemplateProblem {
  /** The stage the problem is in, or null for the template as a whole. */
  stage: string | null;
  message: string;
}

/** Where a stage can go next (its transitions, its timeout, and the template's `always`). */
export function successors(def: WorkflowDefinition, stage: Stage): string[] {
  if (stage.kind === "terminal") return [];
  const out = new Set<string>(Object.values(def.always));
  if (stage.kind === "automatic") out.add(stage.next);
  else {
    for (const to of Object.values(stage.next)) out.add(to);
    if (stage.kind === "waiting" && stage.timeoutNext) out.add(stage.timeoutNext);
  }
  return [...out];
}

/**
 * Everything wrong with a template, or []: names the code does not know, stages nothing reaches,
 * stages from which no end can be reached, and the lack of an end.
 */
export function templateProblems(def: WorkflowDefinition, vocabulary: WorkflowVocabulary): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const byKey = new Map<string, Stage>();
  for (const stage of def.stages) {
    if (byKey.has(stage.key)) problems.push({ stage: stage.key, message: `Two stages are called "${stage.key}"` });
    byKey.set(stage.key, stage);
  }
  const known = (list: readonly string[], value: string) => list.includes(value);
  const checkTarget = (stage: string | null, to: string) => {
    if (!byKey.has(to)) problems.push({ stage, message: `Goes to "${to}", which is not a stage of this workflow` });
  };
  const checkEvent = (stage: string | null, event: string) => {
    if (!known(vocabulary.events, event)) problems.push({ stage, message: `"${event}" is not an event this workflow knows` });
  };
  const checkAction = (stage: string, action: string) => {
    if (!known(vocabulary.actions, action)) problems.push({ stage, message: `"${action}" is not an action this workflow knows` });
  };

  if (def.stages[0]?.kind === "terminal") problems.push({ stage: def.stages[0].key, message: "The first stage cannot be an end" });
  if (!def.stages.some((s) => s.kind === "terminal")) problems.push({ stage: null, message: "The workflow has no end (a terminal stage)" });
  for (const [event, to] of Object.entries(def.always)) {
    checkEvent(null, event);
    checkTarget(null, to);
  }

  for (const stage of def.stages) {
    switch (stage.kind) {
      case "automatic":
        stage.actions.forEach((a) => checkAction(stage.key, a));
        checkTarget(stage.key, stage.next);
        if (stage.next === stage.key) problems.push({ stage: stage.key, message: "An automatic stage cannot lead to itself" });
        break;
      case "waiting":
      case "manual":
        if (Object.keys(stage.next).length === 0)
          problems.push({ stage: stage.key, message: "Say which events end this stage and where each one leads" });
        for (const [event, to] of Object.entries(stage.next)) {
          checkEvent(stage.key, event);
          checkTarget(stage.key, to);
        }
        if (stage.kind === "waiting") {
          if (stage.timeoutAction) checkAction(stage.key, stage.timeoutAction);
          if (stage.timeoutNext) checkTarget(stage.key, stage.timeoutNext);
          if (!stage.timeoutAction && !stage.timeoutNext)
            problems.push({ stage: stage.key, message: "Say what happens when the wait times out (an action, a next stage, or both)" });
        } else {
          if (!known(vocabulary.roles, stage.role))
            problems.push({ stage: stage.key, message: `"${stage.role}" is not a role that can work this stage` });
          if (stage.assign && !known(vocabulary.assigners, stage.assign))
            problems.push({ stage: stage.key, message: `"${stage.assign}" is not a way of assigning this workflow knows` });
        }
        break;
      case "terminal":
        stage.actions.forEach((a) => checkAction(stage.key, a));
        break;
    }
  }
  if (problems.length > 0) return problems;

  // Every stage reachable from the first, and an end reachable from every stage.
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>([from]);
    const queue = [from];
    while (queue.length > 0) {
      const stage = byKey.get(queue.shift()!)!;
      for (const to of successors(def, stage)) {
        if (seen.has(to)) continue;
        seen.add(to);
        queue.push(to);
      }
    }
    return seen;
  };
  const reachable = reach(def.stages[0]!.key);
  for (const stage of def.stages) {
    if (!reachable.has(stage.key)) problems.push({ stage: stage.key, message: `Nothing leads to "${stage.name}"` });
    else if (stage.kind !== "terminal" && ![...reach(stage.key)].some((k) => byKey.get(k)!.kind === "terminal"))
      problems.push({ stage: stage.key, message: `No end can be reached from "${stage.name}"` });
  }
  return problems;
}

export function stageOf(def: WorkflowDefinition, key: string): Stage | undefined {
  return def.stages.find((s) => s.key === key);
}

/**
 * Where `event` takes an instance standing in `stage`, or null when this stage does not expect it.
 * An automatic stage moves on by itself, but takes the `always` events like every other stage
 * (a claimant may withdraw while its actions are still queued; the job then finds its task closed).
 */
export function nextStageFor(def: WorkflowDefinition, stage: Stage, event: string): string | null {
  if (stage.kind === "terminal") return null;
  if (stage.kind === "automatic") return def.always[event] ?? null;
  return stage.next[event] ?? def.always[event] ?? null;
}

/** The events that move an instance on from `stage` (for the UI and for gating domain actions). */
export function expectedEvents(def: WorkflowDefinition, stage: Stage): string[] {
  if (stage.kind === "terminal") return [];
  const own = stage.kind === "automatic" ? [] : Object.keys(stage.next);
  return [...new Set([...own, ...Object.keys(def.always)])];
}

/** One arrow of a workflow's diagram: every way from one stage to another, events merged. */
export interface WorkflowEdge {
  from: string;
  to: string;
  /** The events that take this way (empty for an automatic stage's `next` and a timeout). */
  events: string[];
  /** `event`: a transition; `next`: an automatic stage moving on; `timeout`: a waiting stage's timeout. */
  kind: "event" | "next" | "timeout";
}

/**
 * The arrows between stages, in stage order: a stage's own transitions (events to one target
 * merged), an automatic stage's next, a waiting stage's timeout. `always` is left out: it applies
 * from every stage, and a diagram says so once rather than with an arrow from each box.
 */
export function workflowEdges(def: WorkflowDefinition): WorkflowEdge[] {
  const edges: WorkflowEdge[] = [];
  for (const stage of def.stages) {
    if (stage.kind === "terminal") continue;
    if (stage.kind === "automatic") {
      edges.push({ from: stage.key, to: stage.next, events: [], kind: "next" });
      continue;
    }
    const byTarget = new Map<string, string[]>();
    for (const [event, to] of Object.entries(stage.next)) byTarget.set(to, [...(byTarget.get(to) ?? []), event]);
    for (const [to, events] of byTarget) edges.push({ from: stage.key, to, events, kind: "event" });
    if (stage.kind === "waiting" && stage.timeoutNext) edges.push({ from: stage.key, to: stage.timeoutNext, events: [], kind: "timeout" });
  }
  return edges;
}

/** A name from the code ("request_documents") in words ("request documents"). */
export function words(name: string): string {
  return name.replace(/_/g, " ");
}

/**
 * The histories the claims benchmark gives its claims, as the app would have written them: each
 * path is a list of claim events (who did each), played here through the real claim machine
 * (`transition`) and the tenant's real workflow template (`nextStageFor`), so the states, the
 * timeline rows and the workflow tasks the bench writes in bulk are the ones `moveClaim` and the
 * engine would have written one by one. A change to the machine or the default template that
 * breaks a path stops the bench with the reason instead of loading impossible data.
 *
 * Shares add up to 1: about 13% of claims are open in submitted, under review, documents requested
 * or assessment complete, 2% approved or appealed, the rest settled, rejected or withdrawn.
 */
import { claimMachine, transition, type ClaimContext, type ClaimEvent, type ClaimState, type TransitionResult } from "~/modules/workflows";
import { nextStageFor, stageOf, type Stage, type WorkflowDefinition } from "~/modules/workflows/templates";

export type Actor = "claimant" | "assessor" | "manager" | "none";

interface PathSpec {
  key: string;
  share: number;
  /** The events after filing, each with who did it; "timeout" is a waiting stage's timer firing. */
  events: [string, Actor][];
  /** The stage the workflow must stand in at the end (checked against the template). */
  endsIn: string;
}

const REVIEW: [string, Actor][] = [["start_review", "assessor"]];
const DOCUMENTS: [string, Actor][] = [
  ["request_documents", "assessor"],
  ["documents_received", "claimant"],
];
const ASSESSED: [string, Actor][] = [...REVIEW, ["complete_assessment", "assessor"]];

const SPECS: PathSpec[] = [
  { key: "submitted", share: 0.03, events: [], endsIn: "assessment" },
  { key: "under_review", share: 0.04, events: REVIEW, endsIn: "assessment" },
  { key: "under_review_again", share: 0.015, events: [...REVIEW, ...DOCUMENTS], endsIn: "assessment" },
  { key: "documents_requested", share: 0.025, events: [...REVIEW, ["request_documents", "assessor"]], endsIn: "awaiting_documents" },
  { key: "assessment_complete", share: 0.02, events: ASSESSED, endsIn: "decision" },
  { key: "approved", share: 0.015, events: [...ASSESSED, ["approve", "manager"]], endsIn: "settlement" },
  {
    key: "appealed",
    share: 0.005,
    events: [...ASSESSED, ["reject", "manager"], ["appeal", "claimant"]],
    endsIn: "assessment",
  },
  { key: "settled", share: 0.48, events: [...ASSESSED, ["approve", "manager"], ["settle", "manager"]], endsIn: "settled" },
  {
    key: "settled_after_documents",
    share: 0.1,
    events: [...REVIEW, ...DOCUMENTS, ["complete_assessment", "assessor"], ["approve", "manager"], ["settle", "manager"]],
    endsIn: "settled",
  },
  // Rejected claims stay open to appeal for the rejected stage's timeout, then close; which of the
  // two a rejected claim is depends on when it was decided (the bench picks by date).
  { key: "rejected", share: 0.2, events: [...ASSESSED, ["reject", "manager"], ["timeout", "none"]], endsIn: "closed" },
  { key: "rejected_open", share: 0, events: [...ASSESSED, ["reject", "manager"]], endsIn: "rejected" },
  { key: "withdrawn_at_once", share: 0.03, events: [["withdraw", "claimant"]], endsIn: "withdrawn" },
  { key: "withdrawn_in_review", share: 0.02, events: [...REVIEW, ["withdraw", "claimant"]], endsIn: "withdrawn" },
  {
    key: "withdrawn_for_documents",
    share: 0.02,
    events: [...REVIEW, ["request_documents", "assessor"], ["withdraw", "claimant"]],
    endsIn: "withdrawn",
  },
];

export interface PathStep {
  event: string;
  actor: Actor;
  /** The claim's status change, or null for a workflow-only step (a timeout). */
  from: ClaimState | null;
  to: ClaimState | null;
  /** When: at this fraction of the claim's span from filing to its last move, plus these hours. */
  frac: number;
  offsetHours: number;
}

export interface PathTask {
  stage: string;
  kind: Stage["kind"];
  role: string | null;
  startStep: number;
  endStep: number | null;
  status: "open" | "completed" | "timed_out";
  outcome: string | null;
  closer: Actor;
  /** Hours from the task's start to its due time (a manual stage's SLA, a waiting stage's timeout). */
  dueHours: number | null;
  /** Who the task is handed to: the claim's assessor (round-robin), sometimes a claims manager. */
  assign: "assessor" | "manager" | null;
}

export interface ClaimPath {
  key: string;
  share: number;
  status: ClaimState;
  steps: PathStep[];
  tasks: PathTask[];
  stage: string;
  /** The workflow ended (a terminal stage). */
  completed: boolean;
  /** For a claim still being worked: how far back its open task may have started (hours). */
  windowHours: number;
  /** Whether the open task started at filing (moves after it without a new stage: start_review) or at the last move. */
  openTaskFromFiling: boolean;
  /** The longest span from filing to the last move that keeps every waiting stage inside its timer. */
  maxSpanHours: number;
  /** Step index of each event that sets a claim column, or -1. */
  at: { assessed: number; decided: number; appealed: number; withdrawn: number };
}

/** Satisfies every guard of the claim machine (amounts, reasons, documents, an open appeal window). */
const GUARDS: Partial<ClaimContext> = {
  approvedAmount: 1,
  claimedAmount: 2,
  reason: "bench",
  requestedDocuments: ["bench"],
  appealReason: "bench",
  appealWindowOpen: true,
};

const MAX_SPAN_HOURS = 30 * 24;

export function claimPaths(def: WorkflowDefinition): ClaimPath[] {
  const total = SPECS.reduce((sum, s) => sum + s.share, 0);
  if (Math.abs(total - 1) > 1e-9) throw new Error(`claim path shares add up to ${total}, not 1`);
  return SPECS.map((spec) => playPath(def, spec));
}

function playPath(def: WorkflowDefinition, spec: PathSpec): ClaimPath {
  const fail = (why: string) => new Error(`Claim path "${spec.key}": ${why}`);
  const stageNamed = (key: string) => stageOf(def, key) ?? failWith(fail(`the template has no stage "${key}"`));
  const steps: PathStep[] = [{ event: "create", actor: "claimant", from: null, to: "submitted", frac: 0, offsetHours: 0 }];
  const tasks: PathTask[] = [];
  let status: ClaimState = "submitted";
  let stage = def.stages[0]!;
  const enter = (s: Stage, step: number) => {
    stage = s;
    const terminal = s.kind === "terminal";
    tasks.push({
      stage: s.key,
      kind: s.kind,
      role: s.kind === "manual" ? s.role : null,
      startStep: step,
      endStep: terminal ? step : null,
      status: terminal ? "completed" : "open",
      outcome: terminal ? "ended" : null,
      closer: "none",
      dueHours: s.kind === "manual" ? s.slaHours : s.kind === "waiting" ? s.timeoutHours : null,
      assign: s.kind !== "manual" ? null : s.assign === "round_robin" ? "assessor" : s.role === "claims_manager" ? "manager" : null,
    });
  };
  const close = (step: number, how: "completed" | "timed_out", outcome: string, closer: Actor) =>
    Object.assign(tasks[tasks.length - 1]!, { endStep: step, status: how, outcome, closer });

  enter(stage, 0);
  for (const [event, actor] of spec.events) {
    const i = steps.length;
    if (event === "timeout") {
      if (stage.kind !== "waiting" || !stage.timeoutNext) throw fail(`"${stage.key}" has no timeout that moves on`);
      steps.push({ event, actor, from: null, to: null, frac: 0, offsetHours: stage.timeoutHours });
      close(i, "timed_out", "timeout", "none");
      enter(stageNamed(stage.timeoutNext), i);
      continue;
    }
    const moved: TransitionResult<ClaimState, ClaimEvent> = transition(claimMachine, status, event as ClaimEvent, GUARDS);
    if (!moved.ok) throw fail(moved.reason);
    steps.push({ event, actor, from: status, to: moved.to, frac: 0, offsetHours: 0 });
    status = moved.to;
    const next = nextStageFor(def, stage, event);
    if (next) {
      close(i, "completed", event, actor);
      enter(stageNamed(next), i);
    }
  }
  if (stage.key !== spec.endsIn) throw fail(`the workflow ends in "${stage.key}", not "${spec.endsIn}"`);

  // Moves are spread evenly over the claim's span; a timeout fires its stage's hours after the move before it.
  const last = steps.reduce((n, s, i) => (s.event === "timeout" ? n : i), 0);
  steps.forEach((s, i) => (s.frac = s.event === "timeout" ? steps[i - 1]!.frac : last === 0 ? 0 : i / last));

  let maxSpanHours = MAX_SPAN_HOURS;
  for (const t of tasks) {
    if (t.kind !== "waiting" || t.endStep === null || t.status === "timed_out") continue;
    const share = steps[t.endStep]!.frac - steps[t.startStep]!.frac || 1;
    maxSpanHours = Math.min(maxSpanHours, (t.dueHours! * 0.9) / share);
  }
  const open = tasks[tasks.length - 1]!;
  const windowHours = open.status !== "open" ? 0 : open.kind === "manual" ? open.dueHours! * 1.4 : open.dueHours! * 0.9;
  const openStart = steps[open.startStep]!.frac;
  if (open.status === "open" && openStart !== 0 && openStart !== 1)
    throw fail("its open task starts between filing and the last move; the bench times only the two ends");
  const indexOf = (...events: string[]) => steps.reduce((found, s, i) => (events.includes(s.event) ? i : found), -1);
  return {
    key: spec.key,
    share: spec.share,
    status,
    steps,
    tasks,
    stage: stage.key,
    completed: stage.kind === "terminal",
    windowHours,
    openTaskFromFiling: open.status === "open" && openStart === 0,
    maxSpanHours,
    at: {
      assessed: indexOf("complete_assessment"),
      decided: indexOf("approve", "reject"),
      appealed: indexOf("appeal"),
      withdrawn: indexOf("withdraw"),
    },
  };
}

function failWith(error: Error): never {
  throw error;
}

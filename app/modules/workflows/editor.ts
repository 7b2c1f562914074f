import { z } from "zod";
import { lineText, multilineText } from "~/lib/text";
import {
  definitionSchema,
  STAGE_KINDS,
  stageHours,
  stageKey,
  stageName,
  templateProblems,
  type Stage,
  type WorkflowDefinition,
  type WorkflowVocabulary,
} from "./templates";

/**
 * The template editor's form (decision 026), shared by the server and the browser: one fieldset per
 * stage with the fields of every kind (the kind decides which count), transitions as rows of
 * event → stage, and the template's `always` rows. The same schema validates both sides, down to
 * `templateProblems`, whose findings land on the stage they are about.
 */

const transitionRow = z.object({ event: stageKey, to: stageKey });

const stageRow = z
  .object({
    key: stageKey,
    name: stageName,
    kind: z.enum(STAGE_KINDS, { errorMap: () => ({ message: "Choose what kind of stage this is" }) }),
    role: stageKey.optional(),
    assign: stageKey.optional(),
    slaHours: stageHours.optional(),
    timeoutHours: stageHours.optional(),
    timeoutAction: stageKey.optional(),
    timeoutNext: stageKey.optional(),
    actions: z.array(stageKey).max(10, "At most 10 actions").default([]),
    next: stageKey.optional(),
    transitions: z.array(transitionRow).max(12, "At most 12 events").default([]),
  })
  .superRefine((stage, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    if (stage.kind === "manual") {
      if (!stage.role) need("role", "Choose who works this stage");
      if (stage.slaHours === undefined) need("slaHours", "Say within how many hours it should be done");
    }
    if (stage.kind === "waiting" && stage.timeoutHours === undefined) need("timeoutHours", "Say how many hours to wait");
    if (stage.kind === "automatic") {
      if (!stage.next) need("next", "Say which stage follows");
      if (stage.actions.length === 0) need("actions", "Choose at least one action");
    }
    if (stage.kind === "manual" || stage.kind === "waiting") {
      const seen = new Set<string>();
      stage.transitions.forEach((t, i) => {
        if (seen.has(t.event))
          ctx.addIssue({ code: "custom", path: ["transitions", i, "event"], message: "This event is already used above" });
        seen.add(t.event);
      });
    }
  });

export type StageRow = z.infer<typeof stageRow>;
export type EditorValue = { name: string; stages: StageRow[]; always: { event: string; to: string }[] };

/** The editor's schema for a subject's vocabulary: shape first, then the template's own problems. */
export function editorSchema(vocabulary: WorkflowVocabulary) {
  return z
    .object({
      name: lineText("Give the workflow a name").max(80, "Use at most 80 characters"),
      stages: z.array(stageRow).min(2, "A workflow needs at least a first stage and an end").max(30, "At most 30 stages"),
      always: z.array(transitionRow).max(10, "At most 10").default([]),
    })
    .superRefine((value, ctx) => {
      const parsed = definitionSchema.safeParse(toDefinition(value));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: formPath(issue.path), message: issue.message });
        return;
      }
      for (const problem of templateProblems(parsed.data, vocabulary)) {
        const index = problem.stage === null ? -1 : stageIndex(value.stages, problem.stage, problem.message);
        ctx.addIssue({ code: "custom", path: index === -1 ? [] : ["stages", index], message: problem.message });
      }
    });
}

/** A problem about a stage key goes on that stage; of two stages with one key, on the second. */
function stageIndex(stages: { key: string }[], key: string, message: string): number {
  const indexes = stages.flatMap((s, i) => (s.key === key ? [i] : []));
  return (message.startsWith("Two stages") ? indexes[1] : indexes[0]) ?? -1;
}

/** definitionSchema's path (stages.2.next.approve) as the form's (stages[2].transitions). */
function formPath(path: (string | number)[]): (string | number)[] {
  if (path[0] === "stages" && typeof path[1] === "number")
    return path[2] === "next" ? ["stages", path[1], "transitions"] : ["stages", path[1]];
  return [];
}

const rowsToRecord = (rows: { event: string; to: string }[]) => Object.fromEntries(rows.map((r) => [r.event, r.to]));

/** The form's rows as a template definition (each stage keeps only its kind's fields). */
export function toDefinition(value: EditorValue): unknown {
  return {
    stages: value.stages.map((s): unknown => {
      const base = { key: s.key, name: s.name, kind: s.kind };
      switch (s.kind) {
        case "manual":
          return {
            ...base,
            role: s.role,
            ...(s.assign ? { assign: s.assign } : {}),
            slaHours: s.slaHours,
            next: rowsToRecord(s.transitions),
          };
        case "waiting":
          return {
            ...base,
            timeoutHours: s.timeoutHours,
            ...(s.timeoutAction ? { timeoutAction: s.timeoutAction } : {}),
            ...(s.timeoutNext ? { timeoutNext: s.timeoutNext } : {}),
            next: rowsToRecord(s.transitions),
          };
        case "automatic":
          return { ...base, actions: s.actions, next: s.next };
        case "terminal":
          return { ...base, actions: s.actions };
      }
    }),
    always: rowsToRecord(value.always),
  };
}

/** The form's text values of one stage (what the inputs start with). */
export interface StageInput {
  key?: string;
  name?: string;
  kind?: string;
  role?: string;
  assign?: string;
  slaHours?: string;
  timeoutHours?: string;
  timeoutAction?: string;
  timeoutNext?: string;
  actions?: string[];
  next?: string;
  transitions?: { event?: string; to?: string }[];
}

export function stageInput(stage: Stage): StageInput {
  const base = { key: stage.key, name: stage.name, kind: stage.kind };
  const rows = (next: Record<string, string>) => Object.entries(next).map(([event, to]) => ({ event, to }));
  switch (stage.kind) {
    case "manual":
      return { ...base, role: stage.role, assign: stage.assign, slaHours: String(stage.slaHours), transitions: rows(stage.next) };
    case "waiting":
      return {
        ...base,
        timeoutHours: String(stage.timeoutHours),
        timeoutAction: stage.timeoutAction,
        timeoutNext: stage.timeoutNext,
        transitions: rows(stage.next),
      };
    case "automatic":
      return { ...base, actions: stage.actions, next: stage.next };
    case "terminal":
      return { ...base, actions: stage.actions };
  }
}

export function editorInput(name: string, def: WorkflowDefinition) {
  return {
    name,
    stages: def.stages.map(stageInput),
    always: Object.entries(def.always).map(([event, to]) => ({ event, to })),
  };
}

/**
 * The definition as typed so far, for the live diagram: the rows that make sense, or null while
 * the form cannot make a template at all.
 */
export function draftDefinition(value: unknown): WorkflowDefinition | null {
  const form = (value ?? {}) as { stages?: unknown; always?: unknown };
  if (!Array.isArray(form.stages)) return null;
  const stages = form.stages.map((raw) => {
    const s = (raw ?? {}) as StageInput;
    const transitions = Array.isArray(s.transitions) ? s.transitions.filter((t) => t?.event && t?.to) : [];
    const actions = Array.isArray(s.actions) ? s.actions : typeof s.actions === "string" ? [s.actions] : [];
    return {
      key: s.key ?? "",
      name: s.name || s.key || "(unnamed)",
      kind: (STAGE_KINDS as readonly string[]).includes(s.kind ?? "") ? (s.kind as StageRow["kind"]) : "manual",
      role: s.role || "anyone",
      assign: s.assign || undefined,
      slaHours: Number(s.slaHours) || 1,
      timeoutHours: Number(s.timeoutHours) || 1,
      timeoutAction: s.timeoutAction || undefined,
      timeoutNext: s.timeoutNext || undefined,
      actions,
      next: s.next || "",
      transitions: transitions as { event: string; to: string }[],
    };
  });
  const always = Array.isArray(form.always) ? (form.always as { event?: string; to?: string }[]).filter((t) => t?.event && t?.to) : [];
  const parsed = definitionSchema.safeParse(
    toDefinition({
      name: "",
      stages: stages
        .filter((s) => /^[a-z][a-z0-9_]{0,39}$/.test(s.key))
        .map((s) => (s.kind === "automatic" && !s.next ? { ...s, kind: "manual" } : s)),
      always: always as { event: string; to: string }[],
    }),
  );
  return parsed.success ? parsed.data : null;
}

/** The advanced editor: the whole definition as JSON. */
export const jsonEditorSchema = z.object({
  name: lineText("Give the workflow a name").max(80, "Use at most 80 characters"),
  definition: multilineText("Paste the workflow's definition").max(50_000, "At most 50,000 characters"),
});

const LABELS: Record<string, string> = {
  assessor: "Assessor",
  claims_manager: "Claims manager",
  admin: "Administrator",
  agent: "The member's agent",
  underwriter: "Underwriter",
  round_robin: "Round-robin: the assessor with the least open work",
  member_agent: "The agent who registered the member",
};

/** A role, assigner, event or action in words ("claims_manager" → "Claims manager"). */
export function nameLabel(name: string): string {
  const label = LABELS[name];
  if (label) return label;
  const spaced = name.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export const KIND_CHOICES: { value: StageRow["kind"]; label: string }[] = [
  { value: "manual", label: "A person acts (manual)" },
  { value: "waiting", label: "Wait for something (waiting)" },
  { value: "automatic", label: "The system acts (automatic)" },
  { value: "terminal", label: "The end (terminal)" },
];

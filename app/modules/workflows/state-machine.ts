/**
 * Small, typed state machines (docs/architecture.md §3: every state machine is one function that refuses
 * illegal transitions, and every transition goes on a timeline).
 *
 * A machine is data: its states, its events and the transitions between them, each optionally
 * guarded. `transition` is the one function that decides; it never throws for an illegal move, it
 * answers `{ ok: false, reason }`. `timelineEntry` turns a transition that happened into the row a
 * timeline table stores. Pure TypeScript with no imports: runs on the server and in the browser
 * (the UI asks `allowedEvents` / `nextSteps` what can happen next; the server always re-decides
 * with `transition`).
 */

export interface TransitionDef<S extends string, E extends string, C> {
  from: S | readonly S[];
  event: E;
  to: S;
  /**
   * Why this transition is refused, or null to allow it. Gets whatever context the caller passed
   * (possibly nothing, hence `Partial`), so a guard must refuse when what it needs is missing.
   */
  guard?: (ctx: Partial<C>, from: S) => string | null;
}

export interface MachineDef<S extends string, E extends string, C> {
  /** What the machine is about; the timeline's `entity` column ("transaction", "policy" …). */
  name: string;
  states: readonly S[];
  events: readonly E[];
  /** The states a new record may start in. */
  initial: readonly S[];
  /**
   * When several transitions share a state and an event (a refund ends partially_refunded or
   * refunded, by amount), they are tried in order: the first whose guard allows wins; when all
   * refuse, the first one's reason is given.
   */
  transitions: readonly TransitionDef<S, E, C>[];
}

export interface Machine<S extends string, E extends string, C> extends MachineDef<S, E, C> {
  /** States no transition leaves (worked out from the transitions, never declared). */
  final: readonly S[];
}

/** Why a transition was refused, for callers that map refusals (409 for illegal, 422 for guard). */
export type RefusalCode = "unknown_state" | "unknown_event" | "final" | "illegal" | "guard" | "not_initial";

export interface Transitioned<S extends string = string, E extends string = string> {
  ok: true;
  entity: string;
  from: S;
  to: S;
  event: E;
}

export interface Refused<S extends string = string, E extends string = string> {
  ok: false;
  entity: string;
  from: S | null;
  event: E | typeof CREATE_EVENT;
  code: RefusalCode;
  reason: string;
}

export type TransitionResult<S extends string, E extends string> = Transitioned<S, E> | Refused<S, E>;

/** A record coming into being: the first timeline row, with no previous state. */
export interface Started<S extends string = string> {
  ok: true;
  entity: string;
  from: null;
  to: S;
  event: typeof CREATE_EVENT;
}

export const CREATE_EVENT = "create";

/**
 * Declares a machine and checks it once, at module load: a mistake in a declaration (an unknown
 * state, an event no transition uses, a state nothing reaches) is a programming error and throws
 * here, never later in `transition`.
 */
export function defineMachine<S extends string, E extends string, C = Record<string, never>>(def: MachineDef<S, E, C>): Machine<S, E, C> {
  const problems: string[] = [];
  const states = new Set<string>(def.states);
  const events = new Set<string>(def.events);
  if (states.size !== def.states.length) problems.push("a state is listed twice");
  if (events.size !== def.events.length) problems.push("an event is listed twice");
  if (def.initial.length === 0) problems.push("no initial state");
  for (const s of def.initial) if (!states.has(s)) problems.push(`initial state "${s}" is not a state`);
  for (const t of def.transitions) {
    for (const s of fromList(t)) if (!states.has(s)) problems.push(`"${t.event}" leaves unknown state "${s}"`);
    if (!states.has(t.to)) problems.push(`"${t.event}" leads to unknown state "${t.to}"`);
    if (!events.has(t.event)) problems.push(`transition on unknown event "${t.event}"`);
  }
  for (const e of def.events) if (!def.transitions.some((t) => t.event === e)) problems.push(`event "${e}" is never used`);
  const reached = new Set<string>(def.initial);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of def.transitions) {
      if (!reached.has(t.to) && fromList(t).some((s) => reached.has(s))) {
        reached.add(t.to);
        grew = true;
      }
    }
  }
  for (const s of def.states) if (!reached.has(s)) problems.push(`state "${s}" cannot be reached`);
  if (problems.length > 0) throw new Error(`State machine "${def.name}": ${problems.join("; ")}`);
  const final = def.states.filter((s) => !def.transitions.some((t) => fromList(t).includes(s)));
  return { ...def, final };
}

/**
 * The one function that decides. Guards always run, with `ctx` or with nothing; an illegal move
 * answers `{ ok: false, code, reason }` and never throws.
 */
export function transition<S extends string, E extends string, C>(
  machine: Machine<S, E, C>,
  state: S,
  event: E,
  ctx: Partial<C> = {},
): TransitionResult<S, E> {
  const refuse = (code: RefusalCode, reason: string): Refused<S, E> => ({
    ok: false,
    entity: machine.name,
    from: state,
    event,
    code,
    reason,
  });
  if (!isState(machine, state)) return refuse("unknown_state", `"${String(state)}" is not a ${machine.name} state`);
  if (!isEvent(machine, event)) {
    return refuse("unknown_event", `"${String(event)}" is not something that happens to a ${machine.name}`);
  }
  if (isFinal(machine, state)) return refuse("final", `A ${machine.name} that is ${state} is final: nothing more can happen to it`);
  const candidates = candidatesFor(machine, state, event);
  const first = candidates[0];
  if (!first) {
    const possible = allowedEvents(machine, state).join(", ");
    return refuse("illegal", `A ${machine.name} that is ${state} cannot take "${event}" (possible: ${possible})`);
  }
  for (const t of candidates) {
    if (refusal(t, ctx, state) === null) return { ok: true, entity: machine.name, from: state, to: t.to, event };
  }
  return refuse("guard", refusal(first, ctx, state) ?? "Refused");
}

export interface NextStep<S extends string, E extends string> {
  event: E;
  /** Where the event may lead: one state, or several when the context decides (refunds). */
  to: S[];
  /** Why the event is refused with this context; null when it is allowed (or no context given). */
  reason: string | null;
}

/**
 * What can happen next from `state`, in the machine's event order. Without `ctx` guards are not
 * run (what the state allows at all, for menus); with `ctx` each event says whether it would pass.
 */
export function nextSteps<S extends string, E extends string, C>(machine: Machine<S, E, C>, state: S, ctx?: Partial<C>): NextStep<S, E>[] {
  const steps: NextStep<S, E>[] = [];
  for (const event of machine.events) {
    const candidates = candidatesFor(machine, state, event);
    if (candidates.length === 0) continue;
    if (ctx === undefined) {
      steps.push({ event, to: unique(candidates.map((t) => t.to)), reason: null });
      continue;
    }
    const allowed = candidates.find((t) => refusal(t, ctx, state) === null);
    steps.push(
      allowed
        ? { event, to: [allowed.to], reason: null }
        : { event, to: unique(candidates.map((t) => t.to)), reason: refusal(candidates[0]!, ctx, state) },
    );
  }
  return steps;
}

/** The events possible from `state` (guards checked only when `ctx` is given, see `nextSteps`). */
export function allowedEvents<S extends string, E extends string, C>(machine: Machine<S, E, C>, state: S, ctx?: Partial<C>): E[] {
  return nextSteps(machine, state, ctx)
    .filter((step) => step.reason === null)
    .map((step) => step.event);
}

export function isFinal<S extends string, E extends string, C>(machine: Machine<S, E, C>, state: S): boolean {
  return machine.final.includes(state);
}

/** Narrows a value read from the database or a form to one of the machine's states. */
export function isState<S extends string, E extends string, C>(machine: Machine<S, E, C>, value: unknown): value is S {
  return typeof value === "string" && (machine.states as readonly string[]).includes(value);
}

export function isEvent<S extends string, E extends string, C>(machine: Machine<S, E, C>, value: unknown): value is E {
  return typeof value === "string" && (machine.events as readonly string[]).includes(value);
}

/** A new record starting in `state` (must be one of the machine's initial states). */
export function start<S extends string, E extends string, C>(machine: Machine<S, E, C>, state: S): Started<S> | Refused<S, E> {
  if (!machine.initial.includes(state)) {
    return {
      ok: false,
      entity: machine.name,
      from: null,
      event: CREATE_EVENT,
      code: "not_initial",
      reason: `A new ${machine.name} cannot start as ${String(state)} (it starts as ${machine.initial.join(" or ")})`,
    };
  }
  return { ok: true, entity: machine.name, from: null, to: state, event: CREATE_EVENT };
}

/** Who made a transition: a signed-in user (staff, customer or agent), a platform operator, a job, or a provider's callback. */
export type ActorType = "user" | "operator" | "system" | "provider";

export interface TimelineActor {
  type: ActorType;
  /** The user's or operator's id; null for system and provider (name them in `details`). */
  id?: string | null;
}

/** One timeline row, as a timeline/audit table stores it (the caller adds tenant_id and the entity's id). */
export interface TimelineEntry {
  entity: string;
  from_state: string | null;
  to_state: string;
  event: string;
  actor_type: ActorType;
  actor_id: string | null;
  note: string | null;
  details: Record<string, unknown>;
  occurred_at: Date;
}

export interface TimelineOptions {
  actor: TimelineActor;
  at: Date;
  note?: string | null;
  details?: Record<string, unknown>;
}

/** The timeline row for a transition that happened. Only a successful result is accepted. */
export function timelineEntry(result: Transitioned | Started, options: TimelineOptions): TimelineEntry {
  // The types already forbid a refusal; this catches untyped callers.
  if (!(result as { ok: boolean }).ok) throw new Error("Only a transition that happened goes on the timeline");
  const note = options.note?.trim() ?? "";
  return {
    entity: result.entity,
    from_state: result.from,
    to_state: result.to,
    event: result.event,
    actor_type: options.actor.type,
    actor_id: options.actor.id ?? null,
    note: note === "" ? null : note,
    details: options.details ?? {},
    occurred_at: options.at,
  };
}

function fromList<S extends string>(t: { from: S | readonly S[] }): readonly S[] {
  return typeof t.from === "string" ? [t.from as S] : (t.from as readonly S[]);
}

function candidatesFor<S extends string, E extends string, C>(machine: Machine<S, E, C>, state: S, event: E) {
  return machine.transitions.filter((t) => t.event === event && fromList(t).includes(state));
}

function refusal<S extends string, E extends string, C>(t: TransitionDef<S, E, C>, ctx: Partial<C>, from: S): string | null {
  return t.guard ? t.guard(ctx, from) : null;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

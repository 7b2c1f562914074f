import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  allowedEvents,
  defineMachine,
  isEvent,
  isFinal,
  isState,
  nextSteps,
  start,
  timelineEntry,
  transition,
  type MachineDef,
  type Transitioned,
} from "./state-machine";

type S = "draft" | "open" | "small" | "big" | "closed";
type E = "open" | "grow" | "close";
interface Ctx {
  size: number;
}

const door = defineMachine<S, E, Ctx>({
  name: "door",
  states: ["draft", "open", "small", "big", "closed"],
  events: ["open", "grow", "close"],
  initial: ["draft"],
  transitions: [
    { from: "draft", event: "open", to: "open" },
    {
      from: "open",
      event: "grow",
      to: "small",
      guard: (c) => (c.size === undefined ? "needs a size" : c.size < 10 ? null : "too big for small"),
    },
    {
      from: "open",
      event: "grow",
      to: "big",
      guard: (c) => (c.size === undefined ? "needs a size" : c.size >= 10 ? null : "too small for big"),
    },
    { from: ["open", "small", "big"], event: "close", to: "closed", guard: (_c, from) => (from === "big" ? "big doors stay open" : null) },
  ],
});

describe("defineMachine", () => {
  const base: MachineDef<"a" | "b", "go", object> = {
    name: "ab",
    states: ["a", "b"],
    events: ["go"],
    initial: ["a"],
    transitions: [{ from: "a", event: "go", to: "b" }],
  };

  it("works out the final states from the transitions", () => {
    expect(door.final).toEqual(["closed"]);
    expect(defineMachine(base).final).toEqual(["b"]);
  });

  it.each([
    ["an unknown target state", { transitions: [{ from: "a", event: "go", to: "c" }] }, /unknown state "c"/],
    ["an unknown source state", { transitions: [{ from: ["a", "x"], event: "go", to: "b" }] }, /unknown state "x"/],
    ["an unknown event", { transitions: [{ from: "a", event: "jump", to: "b" }] }, /unknown event "jump"/],
    ["an unused event", { events: ["go", "stop"] }, /event "stop" is never used/],
    ["an unreachable state", { states: ["a", "b", "c"] }, /state "c" cannot be reached/],
    ["a duplicate state", { states: ["a", "b", "b"] }, /listed twice/],
    ["an unknown initial state", { initial: ["z"] }, /initial state "z"/],
    ["no initial state", { initial: [] }, /no initial state/],
  ])("throws at declaration for %s", (_what, change, message) => {
    expect(() => defineMachine({ ...base, ...change } as MachineDef<"a" | "b", "go", object>)).toThrow(message);
  });
});

describe("transition", () => {
  it("moves along a legal transition", () => {
    expect(transition(door, "draft", "open")).toEqual({ ok: true, entity: "door", from: "draft", to: "open", event: "open" });
  });

  it("tries transitions sharing an event in order; the context picks the outcome", () => {
    expect(transition(door, "open", "grow", { size: 3 })).toMatchObject({ ok: true, to: "small" });
    expect(transition(door, "open", "grow", { size: 30 })).toMatchObject({ ok: true, to: "big" });
  });

  it("gives the first candidate's reason when every guard refuses", () => {
    expect(transition(door, "open", "grow")).toEqual({
      ok: false,
      entity: "door",
      from: "open",
      event: "grow",
      code: "guard",
      reason: "needs a size",
    });
  });

  it("runs guards even without a context, and passes them the state", () => {
    expect(transition(door, "small", "close")).toMatchObject({ ok: true, to: "closed" });
    expect(transition(door, "big", "close")).toMatchObject({ ok: false, code: "guard", reason: "big doors stay open" });
  });

  it("refuses an event the state does not allow, naming what is possible", () => {
    const result = transition(door, "draft", "close");
    expect(result).toMatchObject({ ok: false, code: "illegal" });
    expect(!result.ok && result.reason).toBe('A door that is draft cannot take "close" (possible: open)');
  });

  it("refuses anything from a final state", () => {
    expect(transition(door, "closed", "open")).toMatchObject({
      ok: false,
      code: "final",
      reason: "A door that is closed is final: nothing more can happen to it",
    });
  });

  it("refuses unknown states and events from untyped input, without throwing", () => {
    expect(transition(door, "ajar" as S, "open")).toMatchObject({ ok: false, code: "unknown_state", reason: '"ajar" is not a door state' });
    expect(transition(door, "open", "slam" as E)).toMatchObject({ ok: false, code: "unknown_event" });
    expect(transition(door, undefined as unknown as S, "open")).toMatchObject({ ok: false, code: "unknown_state" });
  });

  it("answers plain data (safe to return from a loader)", () => {
    const result = transition(door, "open", "grow");
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe("nextSteps and allowedEvents", () => {
  it("without a context lists what the state allows, guards unasked", () => {
    expect(nextSteps(door, "open")).toEqual([
      { event: "grow", to: ["small", "big"], reason: null },
      { event: "close", to: ["closed"], reason: null },
    ]);
    expect(allowedEvents(door, "open")).toEqual(["grow", "close"]);
    expect(allowedEvents(door, "big")).toEqual(["close"]);
  });

  it("with a context says which would pass, and why not", () => {
    expect(nextSteps(door, "open", { size: 12 })).toEqual([
      { event: "grow", to: ["big"], reason: null },
      { event: "close", to: ["closed"], reason: null },
    ]);
    expect(nextSteps(door, "big", {})).toEqual([{ event: "close", to: ["closed"], reason: "big doors stay open" }]);
    expect(allowedEvents(door, "big", {})).toEqual([]);
    expect(allowedEvents(door, "open", {})).toEqual(["close"]);
  });

  it("lists nothing for a final or unknown state", () => {
    expect(allowedEvents(door, "closed")).toEqual([]);
    expect(allowedEvents(door, "ajar" as S)).toEqual([]);
  });
});

describe("isFinal, isState, isEvent", () => {
  it("tells final states", () => {
    expect(isFinal(door, "closed")).toBe(true);
    expect(isFinal(door, "big")).toBe(false);
  });

  it("narrows values read from the database", () => {
    expect(isState(door, "open")).toBe(true);
    expect(isState(door, "ajar")).toBe(false);
    expect(isState(door, 3)).toBe(false);
    expect(isEvent(door, "grow")).toBe(true);
    expect(isEvent(door, "toString")).toBe(false);
  });
});

describe("start", () => {
  it("starts a record in an initial state", () => {
    expect(start(door, "draft")).toEqual({ ok: true, entity: "door", from: null, to: "draft", event: "create" });
  });

  it("refuses to start anywhere else", () => {
    expect(start(door, "open")).toMatchObject({
      ok: false,
      code: "not_initial",
      reason: "A new door cannot start as open (it starts as draft)",
    });
  });
});

describe("timelineEntry", () => {
  const at = new Date("2026-03-01T09:30:00Z");
  const moved = transition(door, "draft", "open") as Transitioned<S, E>;

  it("builds the row a timeline table stores", () => {
    expect(timelineEntry(moved, { actor: { type: "user", id: "u-1" }, at, note: "  opened by hand ", details: { size: 3 } })).toEqual({
      entity: "door",
      from_state: "draft",
      to_state: "open",
      event: "open",
      actor_type: "user",
      actor_id: "u-1",
      note: "opened by hand",
      details: { size: 3 },
      occurred_at: at,
    });
  });

  it("defaults the optional parts", () => {
    expect(timelineEntry(moved, { actor: { type: "system" }, at, note: "   " })).toMatchObject({ actor_id: null, note: null, details: {} });
  });

  it("writes the first row of a new record with no previous state", () => {
    const started = start(door, "draft");
    if (!started.ok) throw new Error("expected a start");
    expect(timelineEntry(started, { actor: { type: "provider" }, at })).toMatchObject({
      from_state: null,
      to_state: "draft",
      event: "create",
    });
  });

  it("refuses a refusal (untyped callers)", () => {
    const refused = transition(door, "closed", "open");
    expect(() => timelineEntry(refused as unknown as Transitioned, { actor: { type: "system" }, at })).toThrow(
      /Only a transition that happened/,
    );
  });
});

describe("the workflow module", () => {
  // `.server.ts` files (the timeline's database writer, the engine) never reach the browser bundle.
  // Templates parse with zod and the house text rules, both browser-safe.
  const BROWSER_SAFE = ["zod", "~/lib/text"];
  it("is browser-safe: its code imports nothing but its own files and browser-safe parsing", () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const sources = readdirSync(dir).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".server.ts") && f !== "test-helpers.ts",
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(path.join(dir, file), "utf8");
      const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']/gm)].map(
        (m) => m[1] ?? m[2],
      );
      expect(
        specifiers.filter((s) => !s?.startsWith("./") && !BROWSER_SAFE.includes(s!)),
        file,
      ).toEqual([]);
    }
  });
});

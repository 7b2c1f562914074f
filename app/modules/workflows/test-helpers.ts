/**
 * For the machines' tests only. A test writes down, independently of the machine, every legal move
 * (from, event, to, and a context that satisfies the guard); these helpers check them and then
 * check that every other (state, event) pair is refused.
 */
import { expect } from "vitest";
import { transition, type Machine } from "./state-machine";

export type Move<S extends string, E extends string, C> = readonly [from: S, event: E, to: S, ctx?: Partial<C>];

export function expectMove<S extends string, E extends string, C>(machine: Machine<S, E, C>, [from, event, to, ctx]: Move<S, E, C>) {
  expect(transition(machine, from, event, ctx)).toEqual({ ok: true, entity: machine.name, from, to, event });
}

/** Every (state, event) pair that the legal moves do not list. */
export function illegalPairs<S extends string, E extends string, C>(machine: Machine<S, E, C>, legal: readonly Move<S, E, C>[]): [S, E][] {
  const pairs: [S, E][] = [];
  for (const state of machine.states) {
    for (const event of machine.events) {
      if (!legal.some(([from, ev]) => from === state && ev === event)) pairs.push([state, event]);
    }
  }
  return pairs;
}

/** An illegal pair is refused by the state, whatever the context: no guard is even asked. */
export function expectIllegal<S extends string, E extends string, C>(machine: Machine<S, E, C>, state: S, event: E, anyCtx: Partial<C>) {
  for (const ctx of [undefined, anyCtx]) {
    const result = transition(machine, state, event, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(["illegal", "final"]).toContain(result.code);
    expect(result.reason).toContain(state);
    if (result.code === "illegal") expect(result.reason).toContain(event);
  }
}

/** Legal moves as named cases for `it.each` ("completed --refund--> refunded"). */
export function named<S extends string, E extends string, C>(legal: readonly Move<S, E, C>[]) {
  return legal.map((move) => ({ move, name: `${move[0]} --${move[1]}--> ${move[2]}` }));
}

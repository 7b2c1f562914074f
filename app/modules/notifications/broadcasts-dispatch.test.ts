import { describe, expect, it } from "vitest";
import { dispatchPlan } from "./broadcasts-dispatch.server";

describe("the broadcast dispatcher's pace", () => {
  it.each([
    [600, { intervalMs: 10_000, batch: 100 }],
    [6000, { intervalMs: 10_000, batch: 1000 }],
    [60, { intervalMs: 10_000, batch: 10 }],
    // Below six a minute: one message per run, runs spaced out.
    [2, { intervalMs: 30_000, batch: 1 }],
    [1, { intervalMs: 60_000, batch: 1 }],
  ])("at %i a minute: %o", (rate, plan) => {
    expect(dispatchPlan(rate)).toEqual(plan);
  });
});

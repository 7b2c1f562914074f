import { describe, expect, it } from "vitest";
import { broadcastMachine as m, type BroadcastEvent, type BroadcastState } from "./broadcast";
import { transition } from "./state-machine";
import { expectIllegal, expectMove, illegalPairs, named, type Move } from "./test-helpers";

const legal: Move<BroadcastState, BroadcastEvent, Record<string, never>>[] = [
  ["draft", "send", "queued", {}],
  ["queued", "expand", "sending", {}],
  ["sending", "finish", "sent", {}],
  ["queued", "cancel", "cancelled", {}],
  ["sending", "cancel", "cancelled", {}],
];

describe("broadcast machine", () => {
  it.each(named(legal))("$name", ({ move }) => expectMove(m, move));

  it.each(illegalPairs(m, legal))("refuses %s --%s-->", (state, event) => expectIllegal(m, state, event, {}));

  it("sends a broadcast once", () => {
    const result = transition(m, "sent", "send");
    expect(!result.ok && result.reason).toMatch(/sent is final/);
  });
});

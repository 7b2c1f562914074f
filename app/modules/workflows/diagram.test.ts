import { describe, expect, it } from "vitest";
import { defaultClaimTemplate } from "~/modules/claims/workflow.server";
import { layoutWorkflow } from "./diagram";
import { definitionSchema } from "./templates";

describe("the workflow diagram", () => {
  const def = definitionSchema.parse(defaultClaimTemplate(true).definition);
  const diagram = layoutWorkflow(def);

  it("draws every stage in order, one below the other, and every arrow between them", () => {
    expect(diagram.boxes.map((b) => b.key)).toEqual(def.stages.map((s) => s.key));
    for (let i = 1; i < diagram.boxes.length; i++)
      expect(diagram.boxes[i]!.y).toBeGreaterThan(diagram.boxes[i - 1]!.y + diagram.boxes[i - 1]!.height);
    expect(diagram.arrows.map((a) => `${a.from}>${a.to}`)).toEqual([
      "agent_review>assessment",
      "agent_review>awaiting_documents",
      "assessment>awaiting_documents",
      "assessment>decision",
      "awaiting_documents>assessment",
      "decision>settlement",
      "decision>rejected",
      "settlement>settled",
      "rejected>assessment",
      "rejected>closed",
    ]);
    expect(diagram.always).toEqual(["withdraw → Withdrawn"]);
    const box = diagram.boxes.find((b) => b.key === "awaiting_documents")!;
    expect(box.detail).toBe("waits 7 days, then remind claimant");
  });

  it("goes straight down to the next stage, and round by its own lane otherwise, lanes never overlapping", () => {
    const straight = diagram.arrows.find((a) => a.from === "agent_review" && a.to === "assessment")!;
    expect(straight.path).toMatch(/^M [\d.]+ [\d.]+ V [\d.]+$/);
    const round = diagram.arrows.filter((a) => a.path.includes(" H "));
    expect(round.length).toBeGreaterThan(3);
    const spans = round.map((a) => {
      const [, , y1, lane, y2] = a.path.match(/^M ([\d.]+) ([\d.]+) H ([\d.]+) V ([\d.]+)/)!.map(Number);
      return { lane: lane!, top: Math.min(y1!, y2!), bottom: Math.max(y1!, y2!) };
    });
    for (const a of spans)
      for (const b of spans)
        if (a !== b && a.lane === b.lane)
          expect(a.bottom < b.top || b.bottom < a.top, "two arrows share a lane where they overlap").toBe(true);
    // Timeouts are told apart (drawn dashed) and labelled.
    expect(diagram.arrows.find((a) => a.from === "rejected" && a.to === "closed")).toMatchObject({ kind: "timeout", label: "on timeout" });
    expect(diagram.width).toBeGreaterThan(diagram.boxes[0]!.width);
  });
});

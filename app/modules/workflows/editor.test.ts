import { describe, expect, it } from "vitest";
import { claimVocabulary, defaultClaimTemplate } from "~/modules/claims/workflow.server";
import { editorInput, editorSchema, toDefinition } from "./editor";
import { definitionSchema } from "./templates";

const vocabulary = claimVocabulary(["remind_claimant"]);
const schema = editorSchema(vocabulary);
const form = () => editorInput("Claims", defaultClaimTemplate(true).definition);

describe("the workflow editor's form", () => {
  it("round-trips a template: its stages as form rows and back", () => {
    const parsed = schema.safeParse(form());
    expect(parsed.success).toBe(true);
    expect(definitionSchema.parse(toDefinition(parsed.data!))).toEqual(definitionSchema.parse(defaultClaimTemplate(true).definition));
  });

  it("puts each problem on its stage (by position), and the template's on the form", () => {
    const value = form();
    value.stages[2] = { ...value.stages[2]!, role: undefined, kind: "manual", slaHours: undefined, transitions: [] };
    value.stages[4]!.transitions = [
      { event: "approve", to: "settlement" },
      { event: "approve", to: "rejected" },
    ];
    const shape = schema.safeParse(value);
    expect(shape.success).toBe(false);
    const issues = shape.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toContainEqual(["stages.2.role", "Choose who works this stage"]);
    expect(issues).toContainEqual(["stages.2.slaHours", "Say within how many hours it should be done"]);
    expect(issues).toContainEqual(["stages.4.transitions.1.event", "This event is already used above"]);

    const graph = form();
    graph.stages = graph.stages.filter((s) => !["settled", "closed", "withdrawn"].includes(s.key!));
    graph.always = [];
    const refused = schema.safeParse(graph);
    const messages = refused.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(messages).toContainEqual(["", "The workflow has no end (a terminal stage)"]);
    expect(messages.some(([path, m]) => path === "stages.4" && /not a stage of this workflow/.test(m!))).toBe(true);
  });
});

import { workflowEdges, words, type Stage, type StageKind, type WorkflowDefinition } from "./templates";

/**
 * A workflow's stages as a diagram (the template editor's picture; decision 026), laid out here and
 * drawn as plain SVG by app/components/admin/workflow-diagram.tsx, on the server and, while an
 * admin edits, in the browser from the same function. No graph library: a workflow is a short list
 * in an order its author chose, so the boxes stand in that order, top to bottom. An arrow to the
 * very next box goes straight down; every other arrow leaves the box's right side, runs down (or
 * up) its own lane and comes back in, lanes given out shortest arrow first so that none overlap.
 * Each arrow is labelled with its events where it leaves its box.
 */

export const BOX_WIDTH = 210;
const LEFT = 8;
const TOP = 8;
const GAP = 34;
const SLOT = 16;
const MIN_HEIGHT = 52;
const LABEL_WIDTH = 150;
const LANE = 12;
const CHAR = 6.2;

export interface DiagramBox {
  key: string;
  name: string;
  kind: StageKind;
  /** One line under the name: the role and SLA, the wait, the actions. */
  detail: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiagramArrow {
  id: string;
  from: string;
  to: string;
  kind: "event" | "next" | "timeout";
  /** The label as drawn (shortened to fit) and in full. */
  label: string;
  fullLabel: string;
  /** An SVG path ("M … V … H …"), ending at the arrowhead. */
  path: string;
  labelX: number;
  labelY: number;
}

export interface WorkflowDiagram {
  width: number;
  height: number;
  boxes: DiagramBox[];
  arrows: DiagramArrow[];
  /** "withdraw → Withdrawn": events every stage takes, said once. */
  always: string[];
}

export function stageDetail(stage: Stage, def: WorkflowDefinition): string {
  switch (stage.kind) {
    case "manual":
      return `${words(stage.role)}${stage.assign ? ` (${words(stage.assign)})` : ""} · ${hoursText(stage.slaHours)}`;
    case "waiting":
      return `waits ${hoursText(stage.timeoutHours)}${stage.timeoutAction ? `, then ${words(stage.timeoutAction)}` : ""}`;
    case "automatic":
      return stage.actions.map(words).join(", ");
    case "terminal":
      return stage.actions.length ? `end · ${stage.actions.map(words).join(", ")}` : def.stages[0]?.key === stage.key ? "start" : "end";
  }
}

/** 48 → "48 h", 168 → "7 days". */
export function hoursText(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? "" : "s"}` : `${hours} h`;
}

function fit(text: string, width: number): string {
  const max = Math.max(4, Math.floor(width / CHAR));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function layoutWorkflow(def: WorkflowDefinition): WorkflowDiagram {
  const index = new Map(def.stages.map((s, i) => [s.key, i] as const));
  const edges = workflowEdges(def).filter((e) => index.has(e.from) && index.has(e.to));
  // Straight down to the next box; everything else goes round by the right.
  const straight = (e: (typeof edges)[number]) => index.get(e.to) === index.get(e.from)! + 1;
  const ends = new Map<string, { edge: number; end: "from" | "to" }[]>();
  edges.forEach((e, i) => {
    if (straight(e)) return;
    ends.set(e.from, [...(ends.get(e.from) ?? []), { edge: i, end: "from" }]);
    ends.set(e.to, [...(ends.get(e.to) ?? []), { edge: i, end: "to" }]);
  });

  const boxes: DiagramBox[] = [];
  let y = TOP;
  for (const stage of def.stages) {
    const slots = ends.get(stage.key)?.length ?? 0;
    const height = Math.max(MIN_HEIGHT, SLOT * (slots + 1));
    boxes.push({
      key: stage.key,
      name: stage.name,
      kind: stage.kind,
      detail: stageDetail(stage, def),
      x: LEFT,
      y,
      width: BOX_WIDTH,
      height,
    });
    y += height + GAP;
  }
  const boxOf = new Map(boxes.map((b) => [b.key, b]));
  const right = LEFT + BOX_WIDTH;

  // Where each round arrow leaves and enters: its slot on the box's right side.
  const portY = new Map<string, number>();
  for (const [key, list] of ends) {
    const box = boxOf.get(key)!;
    // Outgoing first (their labels sit above them), then incoming.
    const ordered = [...list.filter((l) => l.end === "from"), ...list.filter((l) => l.end === "to")];
    ordered.forEach((l, k) => portY.set(`${l.edge}:${l.end}`, box.y + SLOT * (k + 1) + (box.height - SLOT * (ordered.length + 1)) / 2));
  }

  // Lanes, shortest arrow first, each arrow in the first lane free over its whole height.
  const round = edges.map((e, i) => ({ e, i })).filter(({ e }) => !straight(e));
  round.sort((a, b) => span(a.i) - span(b.i) || a.i - b.i);
  function span(i: number) {
    return Math.abs(portY.get(`${i}:from`)! - portY.get(`${i}:to`)!);
  }
  const lanes: [number, number][][] = [];
  const laneOf = new Map<number, number>();
  for (const { i } of round) {
    const a = Math.min(portY.get(`${i}:from`)!, portY.get(`${i}:to`)!) - 4;
    const b = Math.max(portY.get(`${i}:from`)!, portY.get(`${i}:to`)!) + 4;
    let lane = lanes.findIndex((taken) => taken.every(([c, d]) => b < c || a > d));
    if (lane === -1) lane = lanes.push([]) - 1;
    lanes[lane]!.push([a, b]);
    laneOf.set(i, lane);
  }

  const arrows: DiagramArrow[] = edges.map((e, i) => {
    const fullLabel = e.kind === "next" ? "then" : e.kind === "timeout" ? "on timeout" : e.events.map(words).join(", ");
    const from = boxOf.get(e.from)!;
    const to = boxOf.get(e.to)!;
    if (straight(e)) {
      const x = from.x + from.width / 2;
      return {
        id: `${e.from}-${e.to}-${e.kind}`,
        from: e.from,
        to: e.to,
        kind: e.kind,
        label: fit(fullLabel, LABEL_WIDTH),
        fullLabel,
        path: `M ${x} ${from.y + from.height} V ${to.y - 2}`,
        labelX: x + 8,
        labelY: from.y + from.height + GAP / 2 + 4,
      };
    }
    const y1 = portY.get(`${i}:from`)!;
    const y2 = portY.get(`${i}:to`)!;
    const laneX = right + LABEL_WIDTH + 10 + laneOf.get(i)! * LANE;
    // A stage that leads back to itself (a reminder that keeps waiting): out and in on its own slots.
    return {
      id: `${e.from}-${e.to}-${e.kind}`,
      from: e.from,
      to: e.to,
      kind: e.kind,
      label: fit(fullLabel, LABEL_WIDTH - 10),
      fullLabel,
      path: `M ${right} ${y1} H ${laneX} V ${y2} H ${right + 2}`,
      labelX: right + 6,
      labelY: y1 - 4,
    };
  });

  const always = Object.entries(def.always).map(([event, to]) => `${words(event)} → ${boxOf.get(to)?.name ?? to}`);
  const width = right + LABEL_WIDTH + 10 + Math.max(1, lanes.length) * LANE + 8;
  return { width, height: Math.max(y - GAP + TOP, MIN_HEIGHT + 2 * TOP), boxes, arrows, always };
}

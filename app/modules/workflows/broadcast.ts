import { defineMachine } from "./state-machine";

/**
 * A broadcast: one message to a segment (issue 14, docs/decisions/043-broadcasts-and-alerts.md).
 *
 *   draft → queued            (send: an admin confirmed it; the dispatcher will write its messages)
 *   queued → sending          (expand: every recipient's message is written)
 *   sending → sent            (finish: nothing is left queued)
 *   queued | sending → cancelled   (cancel: what was not sent yet never will be)
 *
 * sent and cancelled are final: a broadcast is sent once.
 */
// The statuses of broadcasts.status (db/schema.ts BroadcastsTable); this module imports nothing outside workflows.
export const BROADCAST_STATES = ["draft", "queued", "sending", "sent", "cancelled"] as const;
export type BroadcastState = (typeof BROADCAST_STATES)[number];

export const BROADCAST_EVENTS = ["send", "expand", "finish", "cancel"] as const;
export type BroadcastEvent = (typeof BROADCAST_EVENTS)[number];

export const broadcastMachine = defineMachine<BroadcastState, BroadcastEvent, Record<string, never>>({
  name: "broadcast",
  states: BROADCAST_STATES,
  events: BROADCAST_EVENTS,
  initial: ["draft"],
  transitions: [
    { from: "draft", event: "send", to: "queued" },
    { from: "queued", event: "expand", to: "sending" },
    { from: "sending", event: "finish", to: "sent" },
    { from: ["queued", "sending"], event: "cancel", to: "cancelled" },
  ],
});

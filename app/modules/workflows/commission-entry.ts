import { needsReason } from "./guards";
import { defineMachine } from "./state-machine";

/**
 * One entry in the commission ledger.
 *
 *   pending → approved → paid                 (approve → pay)
 *   pending | approved → disputed             (dispute, with a reason)
 *   disputed → approved | adjusted            (resolve: it stands | adjust: corrected by a new entry)
 *
 * paid and adjusted are final. There is no "reverse": the ledger is append-only (docs/architecture.md §3), so
 * a correction is a new reversing or adjusting entry, never a change to this one. `adjust` only
 * records that such an entry now supersedes this one, and needs its id.
 */
export const COMMISSION_ENTRY_STATES = ["pending", "approved", "disputed", "paid", "adjusted"] as const;
export type CommissionEntryState = (typeof COMMISSION_ENTRY_STATES)[number];

export const COMMISSION_ENTRY_EVENTS = ["approve", "pay", "dispute", "resolve", "adjust"] as const;
export type CommissionEntryEvent = (typeof COMMISSION_ENTRY_EVENTS)[number];

export interface CommissionEntryContext {
  /** dispute: what is wrong with the entry. */
  reason: string;
  /** adjust: the new entry that corrects this one. */
  adjustingEntryId: string;
}

export const commissionEntryMachine = defineMachine<CommissionEntryState, CommissionEntryEvent, CommissionEntryContext>({
  name: "commission_entry",
  states: COMMISSION_ENTRY_STATES,
  events: COMMISSION_ENTRY_EVENTS,
  initial: ["pending"],
  transitions: [
    { from: "pending", event: "approve", to: "approved" },
    { from: "approved", event: "pay", to: "paid" },
    { from: ["pending", "approved"], event: "dispute", to: "disputed", guard: (ctx) => needsReason(ctx.reason, "Disputing a commission") },
    { from: "disputed", event: "resolve", to: "approved" },
    {
      from: "disputed",
      event: "adjust",
      to: "adjusted",
      guard: ({ adjustingEntryId: id }) =>
        typeof id === "string" && id.trim() !== ""
          ? null
          : "Adjusting needs the new entry that corrects this one (the ledger is append-only)",
    },
  ],
});

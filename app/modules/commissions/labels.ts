import type { CommissionEntryKind, CommissionEntryStatus, DisputeStatus, Frequency } from "~db/schema";

/**
 * The commissions' names for people, one copy for the back office, the agent portal and their CSV
 * exports (browser-safe: no server code here).
 */

export const ENTRY_KINDS = ["earning", "clawback", "cap", "adjustment"] as const satisfies readonly CommissionEntryKind[];
export const ENTRY_STATUSES = ["pending", "approved", "disputed", "paid", "adjusted"] as const satisfies readonly CommissionEntryStatus[];

export const ENTRY_KIND_LABELS: Record<CommissionEntryKind, string> = {
  earning: "Earning",
  clawback: "Clawback",
  cap: "Cap",
  adjustment: "Adjustment",
};

export const ENTRY_STATUS_LABELS: Record<CommissionEntryStatus, string> = {
  pending: "Pending",
  approved: "Approved",
  disputed: "Disputed",
  paid: "Paid",
  adjusted: "Adjusted",
};

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, string> = {
  open: "Open",
  rejected: "Rejected",
  adjusted: "Adjusted",
};

/** A commission's payment frequency as the agent portal names it ("Half-yearly"). */
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  annual: "Annual",
  semi_annual: "Half-yearly",
  quarterly: "Quarterly",
  monthly: "Monthly",
};

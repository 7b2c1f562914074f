import type { CommissionEntryKind, CommissionEntryStatus, DisputeStatus, Frequency, MovedReason } from "~db/schema";

/**
 * The commissions' names for people, one copy for the back office, the agent portal and their CSV
 * exports (browser-safe: no server code here).
 */

export const ENTRY_KINDS = [
  "earning",
  "clawback",
  "cap",
  "adjustment",
  "performance_bonus",
  "team_bonus",
] as const satisfies readonly CommissionEntryKind[];
export const ENTRY_STATUSES = ["pending", "approved", "disputed", "paid", "adjusted"] as const satisfies readonly CommissionEntryStatus[];

export const ENTRY_KIND_LABELS: Record<CommissionEntryKind, string> = {
  earning: "Earning",
  clawback: "Clawback",
  cap: "Cap",
  adjustment: "Adjustment",
  performance_bonus: "Performance bonus",
  team_bonus: "Team bonus",
};

/** Why a clawback took commission back: the payment was refunded, or charged back (a lost chargeback). */
export type ClawbackSource = "refund" | "chargeback";

export const CLAWBACK_SOURCE_LABELS: Record<ClawbackSource, string> = {
  refund: "Refunded",
  chargeback: "Charged back",
};

/** A clawback's source from its entry's references (null for other kinds, or a clawback naming neither). */
export function clawbackSource(entry: {
  kind: CommissionEntryKind;
  chargeback_id: string | null;
  refund_id: string | null;
}): ClawbackSource | null {
  if (entry.kind !== "clawback") return null;
  return entry.chargeback_id ? "chargeback" : entry.refund_id ? "refund" : null;
}

/** An entry's kind as people read it, a clawback with why: "Clawback · Charged back". */
export function entryKindLabel(kind: CommissionEntryKind, source: ClawbackSource | null = null): string {
  return kind === "clawback" && source ? `${ENTRY_KIND_LABELS.clawback} · ${CLAWBACK_SOURCE_LABELS[source]}` : ENTRY_KIND_LABELS[kind];
}

export const ENTRY_STATUS_LABELS: Record<CommissionEntryStatus, string> = {
  pending: "Pending",
  approved: "Approved",
  disputed: "Disputed",
  paid: "Paid",
  adjusted: "Adjusted",
};

/** Why a share went past the agent in its tier's place (the CSV exports' words). */
export const MOVED_REASON_LABELS: Record<MovedReason, string> = {
  inactive: "Not active",
  below_min_sales: "Below the month's minimum personal sales",
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

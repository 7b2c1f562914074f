/** Badge tones of the agent portal's states (browser-safe). */
const TONES: Record<string, string> = {
  // agents
  active: "badge-active",
  pending: "badge-pending",
  suspended: "badge-suspended",
  rejected: "badge-failed",
  terminated: "badge-failed",
  // ledger entries
  approved: "badge-queued",
  disputed: "badge-pending",
  paid: "badge-active",
  adjusted: "badge-queued",
  // disputes
  open: "badge-pending",
};

export function PortalBadge({ status, label }: { status: string; label: string }) {
  const tone = TONES[status];
  return <span className={`badge${tone ? ` ${tone}` : ""}`}>{label}</span>;
}

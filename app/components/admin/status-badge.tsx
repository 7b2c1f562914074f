/**
 * Status badges of the back office's payment and policy pages: green for money in or cover on,
 * amber while waiting, blue for money going back, red for what did not happen.
 */
const TONES: Record<string, string> = {
  // transactions
  completed: "badge-active",
  pending: "badge-pending",
  partially_refunded: "badge-queued",
  refunded: "badge-queued",
  failed: "badge-failed",
  cancelled: "badge-failed",
  expired: "badge-failed",
  // policies
  active: "badge-active",
  grace: "badge-pending",
  pending_payment: "badge-pending",
  pending_underwriting: "badge-pending",
  quoted: "",
  lapsed: "badge-failed",
  declined: "badge-failed",
  // refunds
  requested: "badge-pending",
  refused: "badge-failed",
  // chargebacks
  open: "badge-pending",
  won: "badge-active",
  lost: "badge-failed",
  // agents
  suspended: "badge-suspended",
  rejected: "badge-failed",
  terminated: "badge-failed",
};

export function StatusBadge({ status, label }: { status: string; label: string }) {
  const tone = TONES[status];
  return <span className={`badge${tone ? ` ${tone}` : ""}`}>{label}</span>;
}

import { useTranslation } from "react-i18next";

/**
 * Status badges of the commissions pages: amber while waiting, green once settled, red for what
 * is contested, blue for what was corrected.
 */
const ENTRY_TONES: Record<string, string> = {
  pending: "badge-pending",
  approved: "badge-queued",
  paid: "badge-active",
  disputed: "badge-failed",
  adjusted: "badge-queued",
};

const DISPUTE_TONES: Record<string, string> = {
  open: "badge-pending",
  rejected: "badge-failed",
  adjusted: "badge-active",
};

const BATCH_TONES: Record<string, string> = {
  open: "badge-pending",
  paid: "badge-active",
};

function Badge({ tone, label }: { tone?: string; label: string }) {
  return <span className={`badge${tone ? ` ${tone}` : ""}`}>{label}</span>;
}

export function EntryStatusBadge({ status, label }: { status: string; label: string }) {
  return <Badge tone={ENTRY_TONES[status]} label={label} />;
}

export function DisputeStatusBadge({ status, label }: { status: string; label: string }) {
  return <Badge tone={DISPUTE_TONES[status]} label={label} />;
}

export function BatchStatusBadge({ status }: { status: "open" | "paid" }) {
  const { t } = useTranslation("admin-network");
  return <Badge tone={BATCH_TONES[status]} label={t(`batchStatus.${status}`)} />;
}

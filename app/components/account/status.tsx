import { useTranslation } from "react-i18next";
import type { InstalmentStatus, PolicyStatus, TransactionStatus } from "~db/schema";

/**
 * Customer-facing names and badge colours of policy, instalment and payment states (browser-safe:
 * the account pages and the verification page share them).
 */
type Tone = "active" | "pending" | "failed" | "neutral";

const TONE_CLASS: Record<Tone, string> = {
  active: "badge badge-active",
  pending: "badge badge-pending",
  failed: "badge badge-failed",
  neutral: "badge",
};

export const POLICY_STATUS: Record<PolicyStatus, { label: string; tone: Tone }> = {
  quoted: { label: "Quoted", tone: "neutral" },
  pending_payment: { label: "Awaiting payment", tone: "pending" },
  pending_underwriting: { label: "Awaiting underwriting", tone: "pending" },
  active: { label: "Active", tone: "active" },
  grace: { label: "Payment overdue", tone: "pending" },
  lapsed: { label: "Lapsed", tone: "failed" },
  declined: { label: "Declined", tone: "failed" },
  cancelled: { label: "Cancelled", tone: "failed" },
  expired: { label: "Expired", tone: "neutral" },
};

export const INSTALMENT_STATUS: Record<InstalmentStatus, { label: string; tone: Tone }> = {
  scheduled: { label: "Scheduled", tone: "neutral" },
  due: { label: "Due", tone: "pending" },
  overdue: { label: "Overdue", tone: "failed" },
  paid: { label: "Paid", tone: "active" },
  written_off: { label: "Written off", tone: "neutral" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const PAYMENT_STATUS: Record<TransactionStatus, { label: string; tone: Tone }> = {
  pending: { label: "Pending", tone: "pending" },
  completed: { label: "Paid", tone: "active" },
  failed: { label: "Failed", tone: "failed" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  expired: { label: "Timed out", tone: "neutral" },
  partially_refunded: { label: "Partly refunded", tone: "pending" },
  refunded: { label: "Refunded", tone: "neutral" },
};

export const FREQUENCY_NAMES: Record<string, string> = {
  annual: "Yearly",
  semi_annual: "Every six months",
  quarterly: "Quarterly",
  monthly: "Monthly",
};

function Badge({ label, tone }: { label: string; tone: Tone }) {
  return <span className={TONE_CLASS[tone]}>{label}</span>;
}

// The labels above are the English words (server code and the verification page use them); a badge
// says its state in the reader's language.
export function PolicyBadge({ status }: { status: PolicyStatus }) {
  const { t } = useTranslation("account");
  return <Badge tone={POLICY_STATUS[status].tone} label={t(`status.policy.${status}`)} />;
}

export function InstalmentBadge({ status }: { status: InstalmentStatus }) {
  const { t } = useTranslation("account");
  return <Badge tone={INSTALMENT_STATUS[status].tone} label={t(`status.instalment.${status}`)} />;
}

export function PaymentBadge({ status }: { status: TransactionStatus }) {
  const { t } = useTranslation("account");
  return <Badge tone={PAYMENT_STATUS[status].tone} label={t(`status.payment.${status}`)} />;
}

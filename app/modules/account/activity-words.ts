import type { TFunction } from "i18next";
import type { InstalmentStatus, PolicyStatus, TransactionStatus } from "~db/schema";
import { INSTALMENT_STATUS, PAYMENT_STATUS, POLICY_STATUS } from "~/components/account/status";
import { CLAIM_EVENT_LABELS } from "~/modules/claims/labels";

/**
 * One line of the overview's recent activity, in the customer's words (browser-safe). With `t`
 * (the `account` namespace) in the reader's language; without it, the English of the label tables.
 */
export function describeActivity(entry: { entity: string; event: string; to: string }, t?: TFunction): string {
  switch (entry.entity) {
    case "policy":
      if (entry.event === "change_beneficiaries") return t?.("activity.beneficiariesChanged") ?? "Beneficiaries changed";
      if (t && entry.to in POLICY_STATUS) return t(`status.policy.${entry.to}`);
      return POLICY_STATUS[entry.to as PolicyStatus]?.label ?? entry.to;
    case "instalment":
      if (t && entry.to in INSTALMENT_STATUS) return t(`activity.instalment.${entry.to}`);
      return `Instalment ${INSTALMENT_STATUS[entry.to as InstalmentStatus]?.label.toLowerCase() ?? entry.to}`;
    case "transaction":
      if (t && entry.to in PAYMENT_STATUS) return t(`activity.payment.${entry.to}`);
      return `Payment ${PAYMENT_STATUS[entry.to as TransactionStatus]?.label.toLowerCase() ?? entry.to}`;
    case "claim":
      return CLAIM_EVENT_LABELS[entry.event] ?? entry.event;
    default:
      return entry.event;
  }
}

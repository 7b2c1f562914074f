import type { InstalmentStatus, PolicyStatus, TransactionStatus } from "~db/schema";
import { INSTALMENT_STATUS, PAYMENT_STATUS, POLICY_STATUS } from "~/components/account/status";
import { CLAIM_EVENT_LABELS } from "~/modules/claims/labels";

/** One line of the overview's recent activity, in the customer's words (browser-safe). */
export function describeActivity(entry: { entity: string; event: string; to: string }): string {
  switch (entry.entity) {
    case "policy":
      if (entry.event === "change_beneficiaries") return "Beneficiaries changed";
      return POLICY_STATUS[entry.to as PolicyStatus]?.label ?? entry.to;
    case "instalment":
      return `Instalment ${INSTALMENT_STATUS[entry.to as InstalmentStatus]?.label.toLowerCase() ?? entry.to}`;
    case "transaction":
      return `Payment ${PAYMENT_STATUS[entry.to as TransactionStatus]?.label.toLowerCase() ?? entry.to}`;
    case "claim":
      return CLAIM_EVENT_LABELS[entry.event] ?? entry.event;
    default:
      return entry.event;
  }
}

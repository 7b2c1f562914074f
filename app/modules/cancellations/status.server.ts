import type { TenantDb } from "~db/client";
import type { RefundStatus } from "~db/schema";
import { agencyReturnsOwed } from "./cancel.server";
import type { RefundBasis } from "./quote.server";

/**
 * A cancelled policy's cancellation as its pages show it: when and why, the figures the refund was
 * worked out from, where each refund stands at the provider, what the agency still has to return,
 * and the letter once the job has drawn it.
 */
export interface CancellationView {
  versionId: string;
  cancelledOn: string;
  reason: string | null;
  basis: RefundBasis;
  refunds: { id: string; transactionId: string; amountMinor: number; status: RefundStatus; failureMessage: string | null }[];
  agencyOwedMinor: number;
  letterFileKey: string | null;
}

export async function cancellationOf(db: TenantDb, policyId: string): Promise<CancellationView | null> {
  const version = await db
    .selectFrom("policy_versions")
    .select(["id", "effective_date", "reason", "refund_basis", "letter_file_key"])
    .where("policy_id", "=", policyId)
    .where("kind", "=", "cancellation")
    .orderBy("version", "desc")
    .executeTakeFirst();
  if (!version || !version.refund_basis) return null;
  const refunds = await db
    .selectFrom("refunds")
    .select(["id", "transaction_id", "amount_minor", "status", "failure_message"])
    .where("policy_version_id", "=", version.id)
    .orderBy("created_at")
    .execute();
  const owed = await agencyReturnsOwed(db, policyId);
  return {
    versionId: version.id,
    cancelledOn: version.effective_date,
    reason: version.reason,
    basis: version.refund_basis as RefundBasis,
    refunds: refunds.map((r) => ({
      id: r.id,
      transactionId: r.transaction_id,
      amountMinor: r.amount_minor,
      status: r.status,
      failureMessage: r.failure_message,
    })),
    agencyOwedMinor: owed?.totalMinor ?? 0,
    letterFileKey: version.letter_file_key,
  };
}

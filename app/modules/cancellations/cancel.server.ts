import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { textProblem } from "~/lib/text";
import { requestRefund } from "~/modules/payments/refunds.server";
import { addPolicyVersion, inputsInForce, lockPolicy, movePolicy } from "~/modules/policies/versions.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { instalmentMachine, transition } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { policyPayments } from "./payments.server";
import { quoteCancellation, refundBasisOf, type CancellationQuote } from "./quote.server";
import { REASON_TEXT_MAX, type CancelledBy } from "./reasons";

/**
 * Cancelling a policy (issue 13, item 3; decision 030), in the caller's transaction and under the
 * policy's lock, all or nothing:
 *
 * 1. the quote again, under the lock (what the page showed may be stale; a second cancel finds the
 *    policy cancelled and changes nothing);
 * 2. the status through the policy machine (`movePolicy`: cancelled_on, the reason, the timeline);
 * 3. a `cancellation` version dated today that returns the refund (premium_delta_minor = −refund);
 * 4. the instalments not yet due cancelled (what fell due while the policy gave cover stays owed);
 * 5. one refund per payment it comes back from, newest first, through `requestRefund` with the
 *    version: the provider jobs send them and the commissions are clawed back when each completes.
 *    A payment collected offline is returned by the agency: staff who cancel record it at once; a
 *    customer's cancellation leaves it for staff ("to be returned by the agency");
 * 6. one job for the letter and the customer's notice.
 *
 * Claims are left as they are: an open claim goes on being assessed for the time the policy covered.
 */
export type CancelResult =
  | { ok: true; versionId: string; quote: CancellationQuote; refundIds: string[] }
  | { ok: false; code: "not_found" | "not_cancellable" | "invalid"; message: string; field?: "reason" };

export interface CancelInput {
  policyId: string;
  /** The reason in words (`reasonInWords`). */
  reason: string;
  actorUserId: string;
  by: CancelledBy;
  /** Today in the tenant's zone: the first day without cover. */
  today: string;
}

export async function cancelPolicy(db: TenantDb, tenant: Pick<TenantInfo, "id" | "timeZone">, input: CancelInput): Promise<CancelResult> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, code: "invalid", field: "reason", message: "Give a reason for cancelling." };
  if (reason.length > REASON_TEXT_MAX + 100 || textProblem(reason, "multiline"))
    return { ok: false, code: "invalid", field: "reason", message: "Give the reason as plain text, in a few words." };

  const locked = await lockPolicy(db, input.policyId);
  // A customer's own policies only; anyone else's is "not found", exactly like one that does not exist.
  if (!locked || (input.by === "customer" && locked.user_id !== input.actorUserId))
    return { ok: false, code: "not_found", message: "We could not find that policy." };
  const quoted = await quoteCancellation(db, tenant, input.policyId, { on: input.today });
  if (!quoted.ok) return quoted;
  const quote = quoted.quote;

  await sql`savepoint cancellation`.execute(db);
  const failed = async (message: string): Promise<CancelResult> => {
    await sql`rollback to savepoint cancellation`.execute(db);
    return { ok: false, code: "not_cancellable", message };
  };

  const moved = await movePolicy(db, input.policyId, "cancel", { today: input.today }, { reason, actorUserId: input.actorUserId });
  if (!moved.ok) return failed(moved.message);

  const version = await addPolicyVersion(db, {
    policyId: input.policyId,
    kind: "cancellation",
    effectiveDate: input.today,
    premiumDeltaMinor: -quote.returnMinor,
    annualPremiumMinor: locked.annual_premium_minor,
    currency: quote.currency,
    inputs: await inputsInForce(db, input.policyId),
    summary: `Cancelled ${input.by === "customer" ? "by the policyholder" : "by the agency"} from ${input.today}`,
    reason,
    createdBy: input.actorUserId,
  });
  await db
    .updateTable("policy_versions")
    .set({ refund_basis: JSON.stringify(refundBasisOf(quote, input.by)) })
    .where("id", "=", version.id)
    .execute();

  const scheduled = await db
    .selectFrom("instalments")
    .select(["id", "status"])
    .where("policy_id", "=", input.policyId)
    .where("status", "=", "scheduled")
    .execute();
  for (const instalment of scheduled) {
    const next = transition(instalmentMachine, instalment.status, "cancel", { reason });
    if (!next.ok) continue;
    await db.updateTable("instalments").set({ status: "cancelled" }).where("id", "=", instalment.id).execute();
    await recordStateChange(db, {
      entity: "instalment",
      entityId: instalment.id,
      from: instalment.status,
      to: "cancelled",
      event: "cancel",
      reason,
      actorUserId: input.actorUserId,
    });
  }

  const refundIds: string[] = [];
  for (const line of quote.refunds) {
    // The agency returns cash and bank-ins itself: only a staff member records that it did.
    if (line.byAgency && input.by === "customer") continue;
    const refund = await requestRefund(db, tenant.id, {
      transactionId: line.transactionId,
      amountMinor: line.amountMinor,
      reason: `Cancellation of policy ${quote.policyNumber}`,
      userId: input.actorUserId,
      policyId: input.policyId,
      policyVersionId: version.id,
    });
    if (!refund.ok) return failed(`The refund could not be set up: ${refund.message}`);
    refundIds.push(refund.refundId);
  }

  await addJob(
    db,
    "cancellation_documents",
    { tenantId: tenant.id, versionId: version.id },
    { jobKey: `cancellation_documents:${tenant.id}:${version.id}` },
  );
  await sql`release savepoint cancellation`.execute(db);
  return { ok: true, versionId: version.id, quote, refundIds };
}

/**
 * Staff record that the agency returned what a customer's cancellation left to it (cash and
 * bank-ins): one refund per such payment, for what the cancellation's version still has to return.
 */
export async function recordAgencyReturns(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id">,
  input: { policyId: string; actorUserId: string },
): Promise<{ ok: true; recorded: number } | { ok: false; message: string }> {
  const owed = await agencyReturnsOwed(db, input.policyId);
  if (!owed) return { ok: false, message: "Nothing is waiting to be returned by the agency on this policy." };
  let recorded = 0;
  await sql`savepoint agency_returns`.execute(db);
  for (const line of owed.lines) {
    const refund = await requestRefund(db, tenant.id, {
      transactionId: line.transactionId,
      amountMinor: line.amountMinor,
      reason: `Cancellation of policy ${owed.policyNumber}: returned by the agency`,
      userId: input.actorUserId,
      policyId: input.policyId,
      policyVersionId: owed.versionId,
    });
    if (!refund.ok) {
      await sql`rollback to savepoint agency_returns`.execute(db);
      return { ok: false, message: refund.message };
    }
    recorded += 1;
  }
  await sql`release savepoint agency_returns`.execute(db);
  return { ok: true, recorded };
}

/** What a cancellation still owes from payments collected offline (none once staff recorded it). */
export async function agencyReturnsOwed(db: TenantDb, policyId: string) {
  const version = await db
    .selectFrom("policy_versions")
    .innerJoin("policies", "policies.id", "policy_versions.policy_id")
    .select(["policy_versions.id", "policy_versions.premium_delta_minor", "policies.policy_number"])
    .where("policy_versions.policy_id", "=", policyId)
    .where("policy_versions.kind", "=", "cancellation")
    .orderBy("policy_versions.version", "desc")
    .executeTakeFirst();
  if (!version) return null;
  const sent = await db
    .selectFrom("refunds")
    .select(sql<string>`coalesce(sum(amount_minor), 0)::bigint`.as("sum"))
    .where("policy_version_id", "=", version.id)
    .where("status", "<>", "refused")
    .executeTakeFirstOrThrow();
  let left = -Number(version.premium_delta_minor) - Number(sent.sum);
  if (left <= 0) return null;
  const lines: { transactionId: string; amountMinor: number }[] = [];
  for (const payment of await policyPayments(db, policyId)) {
    if (!payment.offline || left <= 0) continue;
    const amountMinor = Math.min(left, payment.availableMinor);
    if (amountMinor <= 0) continue;
    lines.push({ transactionId: payment.transactionId, amountMinor });
    left -= amountMinor;
  }
  return lines.length
    ? { versionId: version.id, policyNumber: version.policy_number ?? "", lines, totalMinor: lines.reduce((s, l) => s + l.amountMinor, 0) }
    : null;
}

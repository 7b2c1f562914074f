import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { FieldErrors } from "~/modules/rating";
import { requestRefund } from "~/modules/payments/refunds.server";
import { endorsementDeltaMinor } from "~/modules/policies/lifecycle";
import { addPolicyVersion, lockPolicy } from "~/modules/policies/versions.server";
import { instalmentMachine, transition } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { versionApplied } from "./applied.server";
import { policyForChange, priceChange, type ChangeActor, type ChangeTenant, type PricedChange } from "./change.server";

/**
 * Confirming a change of cover, and reversing one (decisions 027 and 031). Runs in the caller's
 * transaction under the policy's lock: the version, its money and its follow-up job commit
 * together or not at all.
 *
 * - Additional premium: the version is `pending` until its payment completes (the payment carries
 *   `policy_version_id`; `applyPaymentStatus` applies the version).
 * - Returned premium: the version is applied now and the premium comes back from the policy's
 *   payments, newest first, one refund per payment (`requestRefund` with `policyVersionId`). What is
 *   more than has been paid so far comes off the next unpaid instalments instead (decision 031).
 * - Nothing either way: applied now.
 * Every applied version gets its certificate and the customer's notice by the job
 * `policy_version_applied`.
 */

export type ConfirmResult =
  | { ok: true; versionId: string; version: number; outcome: "applied" | "pending"; change: PricedChange }
  | { ok: false; notFound?: true; errors: FieldErrors };

export async function confirmChange(
  db: TenantDb,
  tenant: ChangeTenant,
  policyId: string,
  form: { effectiveDate: string; raw: unknown; reason?: string | null },
  who: { actor: ChangeActor; userId: string; today: string },
): Promise<ConfirmResult> {
  await lockPolicy(db, policyId);
  const policy = await policyForChange(db, tenant, policyId, who);
  if (!policy) return { ok: false, notFound: true, errors: { form: ["We could not find that policy."] } };
  const priced = priceChange(policy, tenant, form, who);
  if (!priced.ok) return priced;
  const { change } = priced;
  const outcome = change.deltaMinor > 0 ? "pending" : "applied";
  const v = await addPolicyVersion(db, {
    policyId,
    kind: "endorsement",
    effectiveDate: change.effectiveDate,
    premiumDeltaMinor: change.deltaMinor,
    annualPremiumMinor: change.newAnnualMinor,
    currency: policy.currency,
    inputs: change.inputs,
    summary: change.summary,
    reason: form.reason ?? null,
    status: outcome,
    createdBy: who.userId,
  });
  if (change.deltaMinor < 0)
    await returnPremium(db, tenant.id, policyId, v.id, -change.deltaMinor, who.userId, `Change of cover, version ${v.version}`);
  if (outcome === "applied") await versionApplied(db, tenant.id, v.id);
  return { ok: true, versionId: v.id, version: v.version, outcome, change };
}

/**
 * The returned premium of a version, from the policy's payments newest first: each payment gives
 * back at most what it paid for this policy and has not already given back. What the payments do
 * not cover (more is returned than has been paid so far) comes off the next unpaid instalments.
 */
export async function returnPremium(
  db: TenantDb,
  tenantId: string,
  policyId: string,
  versionId: string,
  amountMinor: number,
  userId: string,
  reason: string,
): Promise<{ refundedMinor: number; offInstalmentsMinor: number }> {
  const payments = await sql<{ id: string; available: string }>`
    select t.id, least(coalesce(paid.for_policy, t.amount_minor), t.amount_minor - t.refunded_minor - coalesce(flight.sum, 0)) as available
    from transactions t
    left join lateral (select sum(i.amount_minor) as for_policy from instalments i where i.transaction_id = t.id and i.policy_id = ${policyId}) paid on true
    left join lateral (select sum(r.amount_minor) as sum from refunds r where r.transaction_id = t.id and r.status in ('requested', 'pending')) flight on true
    where t.status in ('completed', 'partially_refunded')
      and (t.id in (select transaction_id from instalments where policy_id = ${policyId} and transaction_id is not null)
           or t.policy_version_id in (select id from policy_versions where policy_id = ${policyId}))
    order by t.completed_at desc nulls last, t.id
  `.execute(db);
  let left = amountMinor;
  let refundedMinor = 0;
  for (const p of payments.rows) {
    if (left <= 0) break;
    const take = Math.min(left, Number(p.available));
    if (take <= 0) continue;
    const refund = await requestRefund(db, tenantId, {
      transactionId: p.id,
      amountMinor: take,
      reason,
      userId,
      policyId,
      policyVersionId: versionId,
    });
    if (!refund.ok) continue;
    left -= take;
    refundedMinor += take;
  }
  const offInstalmentsMinor = left > 0 ? await reduceUnpaidInstalments(db, policyId, left) : 0;
  return { refundedMinor, offInstalmentsMinor };
}

/**
 * What the payments could not give back comes off the instalments not yet due, earliest first: one
 * that is wholly covered is cancelled (nothing is owed for it), the last one covered in part is
 * reduced.
 */
async function reduceUnpaidInstalments(db: TenantDb, policyId: string, amountMinor: number): Promise<number> {
  const open = await db
    .selectFrom("instalments")
    .select(["id", "amount_minor", "status"])
    .where("policy_id", "=", policyId)
    .where("status", "=", "scheduled")
    .orderBy("sequence")
    .forUpdate()
    .execute();
  let left = amountMinor;
  for (const i of open) {
    if (left <= 0) break;
    const amount = Number(i.amount_minor);
    if (left < amount) {
      await db
        .updateTable("instalments")
        .set({ amount_minor: amount - left })
        .where("id", "=", i.id)
        .execute();
      left = 0;
      break;
    }
    const moved = transition(instalmentMachine, i.status, "cancel");
    if (!moved.ok) continue;
    await db.updateTable("instalments").set({ status: "cancelled" }).where("id", "=", i.id).execute();
    await recordStateChange(db, {
      entity: "instalment",
      entityId: i.id,
      from: i.status,
      to: "cancelled",
      event: "cancel",
      reason: "Premium returned by a change of cover",
    });
    left -= amount;
  }
  return amountMinor - left;
}

export type ReverseResult =
  | { ok: true; versionId: string; version: number; outcome: "applied" | "pending"; deltaMinor: number }
  | { ok: false; notFound?: true; message: string };

/**
 * Staff undo the latest change of cover: a new version (kind 'reversal') restores the inputs and
 * annual premium of the version before it, from the same effective date, so its delta is the
 * change's own, the other way. History is appended, never rewritten.
 */
export async function reverseLatestChange(
  db: TenantDb,
  tenant: ChangeTenant,
  policyId: string,
  who: { userId: string; reason: string },
): Promise<ReverseResult> {
  const policy = await lockPolicy(db, policyId);
  if (!policy) return { ok: false, notFound: true, message: "We could not find that policy." };
  if (policy.status !== "active") return { ok: false, message: "Only a change to a policy in force can be reversed." };
  const versions = await db
    .selectFrom("policy_versions")
    .selectAll()
    .where("policy_id", "=", policyId)
    .orderBy("version", "desc")
    .execute();
  if (versions.some((v) => v.status === "pending"))
    return { ok: false, message: "A change is waiting for its payment: withdraw it instead of reversing it." };
  const applied = versions.filter((v) => v.status === "applied");
  const latest = applied[0];
  const before = applied[1];
  if (!latest || latest.kind !== "endorsement" || !before)
    return { ok: false, message: "The latest version of this policy is not a change of cover: there is nothing to reverse." };
  const annualNow = Number(latest.annual_premium_minor);
  const annualBefore = Number(before.annual_premium_minor);
  const deltaMinor = endorsementDeltaMinor(
    annualNow,
    annualBefore,
    { start: policy.start_date!, end: policy.end_date! },
    latest.effective_date,
  );
  const outcome = deltaMinor > 0 ? "pending" : "applied";
  const v = await addPolicyVersion(db, {
    policyId,
    kind: "reversal",
    effectiveDate: latest.effective_date,
    premiumDeltaMinor: deltaMinor,
    annualPremiumMinor: annualBefore,
    currency: latest.currency,
    inputs: before.inputs,
    summary: `Version ${latest.version} reversed: ${latest.summary}`,
    reason: who.reason,
    reversesVersion: latest.version,
    status: outcome,
    createdBy: who.userId,
  });
  if (deltaMinor < 0) await returnPremium(db, tenant.id, policyId, v.id, -deltaMinor, who.userId, `Reversal of version ${latest.version}`);
  if (outcome === "applied") await versionApplied(db, tenant.id, v.id);
  return { ok: true, versionId: v.id, version: v.version, outcome, deltaMinor };
}

/** Staff withdraw a change still waiting for its payment: the version is void and nothing is due. */
export async function withdrawPendingChange(
  db: TenantDb,
  policyId: string,
): Promise<{ ok: true; version: number } | { ok: false; message: string }> {
  await lockPolicy(db, policyId);
  const pending = await db
    .selectFrom("policy_versions")
    .select(["id", "version"])
    .where("policy_id", "=", policyId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (!pending) return { ok: false, message: "No change of this policy is waiting for payment." };
  const paying = await db
    .selectFrom("transactions")
    .select("id")
    .where("policy_version_id", "=", pending.id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (paying) return { ok: false, message: "The customer is paying for this change right now: wait for that payment's outcome." };
  await db.updateTable("policy_versions").set({ status: "void" }).where("id", "=", pending.id).execute();
  return { ok: true, version: pending.version };
}

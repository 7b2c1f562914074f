import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { OfflineMethod } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { applyPaymentStatus } from "~/modules/payments/apply.server";
import { policyRules, settleInstalment } from "~/modules/policies/premiums.server";
import { addPolicyVersion, inputsInForce, lockPolicy, movePolicy } from "~/modules/policies/versions.server";
import { daysBetween } from "~/modules/rating/dates";
import { versionApplied } from "./applied.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";

/**
 * Reinstating a lapsed policy (issue 13 item 5): staff only, within the tenant's reinstatement
 * window, once its arrears are paid. The arrears are the instalments that fell due and were not
 * paid; staff record the money they received for them (cash or a bank transfer, as an offline
 * payment confirmed at once, since the person recording it is the one who would confirm it). Then
 * the policy machine's `reinstate` moves the policy, and a version of kind 'reinstatement' dates it.
 * Any refusal leaves everything as it was: nothing is written before every check has passed.
 */

export interface Arrears {
  instalments: { id: string; sequence: number; dueDate: string; amountMinor: number; status: string }[];
  totalMinor: number;
}

/** The instalments of a lapsed policy that fell due (by `today`) and are not paid. */
export async function arrearsOf(db: TenantDb, policyId: string, today: string): Promise<Arrears> {
  const rows = await db
    .selectFrom("instalments")
    .select(["id", "sequence", "due_date", "amount_minor", "status"])
    .where("policy_id", "=", policyId)
    .where((eb) => eb.or([eb("status", "in", ["due", "overdue"]), eb.and([eb("status", "=", "scheduled"), eb("due_date", "<=", today)])]))
    .orderBy("sequence")
    .execute();
  const instalments = rows.map((r) => ({
    id: r.id,
    sequence: r.sequence,
    dueDate: r.due_date,
    amountMinor: Number(r.amount_minor),
    status: r.status,
  }));
  return { instalments, totalMinor: instalments.reduce((s, i) => s + i.amountMinor, 0) };
}

export type ReinstateCheck =
  { ok: true; daysSinceLapse: number; reinstatementDays: number; arrears: Arrears } | { ok: false; notFound?: true; message: string };

/** Whether the policy can be reinstated on `today`, and what is owed first. Reads only. */
export async function reinstatementCheck(db: TenantDb, tenantId: string, policyId: string, today: string): Promise<ReinstateCheck> {
  const policy = await db.selectFrom("policies").select(["status", "lapsed_on"]).where("id", "=", policyId).executeTakeFirst();
  if (!policy) return { ok: false, notFound: true, message: "We could not find that policy." };
  if (policy.status !== "lapsed") return { ok: false, message: "Only a lapsed policy can be reinstated." };
  const rules = await policyRules(db, tenantId);
  const daysSinceLapse = policy.lapsed_on ? Math.max(0, daysBetween(policy.lapsed_on, today)) : 0;
  if (daysSinceLapse > rules.reinstatementDays)
    return {
      ok: false,
      message: `This policy lapsed ${daysSinceLapse} days ago, past the ${rules.reinstatementDays}-day reinstatement window: it cannot be reinstated. Offer a new policy instead.`,
    };
  return { ok: true, daysSinceLapse, reinstatementDays: rules.reinstatementDays, arrears: await arrearsOf(db, policyId, today) };
}

export type ReinstateResult =
  { ok: true; version: number; arrearsMinor: number } | { ok: false; notFound?: true; message: string; field?: string };

/**
 * Reinstate: under the policy's lock, check the window, record the arrears as paid if staff say they
 * received them (`payment`), refuse while any remain unpaid, then move the policy and date it.
 */
export async function reinstatePolicy(
  db: TenantDb,
  tenantId: string,
  policyId: string,
  input: { today: string; userId: string; reason: string; payment: { method: OfflineMethod; reference: string } | null },
  actor: Actor,
): Promise<ReinstateResult> {
  const locked = await lockPolicy(db, policyId);
  if (!locked) return { ok: false, notFound: true, message: "We could not find that policy." };
  const check = await reinstatementCheck(db, tenantId, policyId, input.today);
  if (!check.ok) return check;
  const { arrears } = check;
  if (arrears.totalMinor > 0) {
    if (!input.payment)
      return {
        ok: false,
        field: "reference",
        message: "The arrears are not paid: record the payment received for them, with its reference.",
      };
    const reference = input.payment.reference.trim();
    const reused = await db
      .selectFrom("transactions")
      .select("id")
      .where("provider", "=", "offline")
      .where(sql<string>`lower(provider_receipt)`, "=", reference.toLowerCase())
      .where("status", "in", ["pending", "completed", "partially_refunded", "refunded"])
      .executeTakeFirst();
    if (reused)
      return {
        ok: false,
        field: "reference",
        message: "This reference was already recorded for another payment. Check the receipt or slip number.",
      };
    const paying = await db
      .selectFrom("transactions")
      .select("id")
      .where("status", "=", "pending")
      .where(
        "instalment_id",
        "in",
        arrears.instalments.map((i) => i.id),
      )
      .executeTakeFirst();
    if (paying) return { ok: false, message: "A payment for these instalments is in progress: wait for its outcome before reinstating." };
    const several = arrears.instalments.length > 1;
    for (const instalment of arrears.instalments)
      await payOffline(
        db,
        tenantId,
        { userId: locked.user_id, currency: locked.currency },
        instalment,
        input.payment.method,
        reference,
        input.userId,
        several,
      );
  }
  const moved = await movePolicy(
    db,
    policyId,
    "reinstate",
    { daysSinceLapse: check.daysSinceLapse, reinstatementDays: check.reinstatementDays, today: input.today },
    { actorUserId: input.userId, reason: input.reason },
  );
  // The checks above are the machine's own guards: a refusal here is a bug, and throwing rolls back the payments.
  if (!moved.ok) throw new Error(`reinstate refused after its checks passed: ${moved.message}`);
  const v = await addPolicyVersion(db, {
    policyId,
    kind: "reinstatement",
    effectiveDate: input.today,
    annualPremiumMinor: Number(locked.annual_premium_minor),
    currency: locked.currency,
    inputs: await inputsInForce(db, policyId),
    summary: arrears.totalMinor > 0 ? `Policy reinstated; ${arrears.instalments.length} overdue instalment(s) paid` : "Policy reinstated",
    reason: input.reason,
    createdBy: input.userId,
  });
  // A certificate for the policy as it now stands, and the customer told they are covered again.
  await versionApplied(db, tenantId, v.id);
  await recordAudit(db, actor, {
    action: "policy.reinstated",
    targetType: "policy",
    targetId: policyId,
    details: { version: v.version, arrearsMinor: arrears.totalMinor, reference: input.payment?.reference ?? null },
  });
  return { ok: true, version: v.version, arrearsMinor: arrears.totalMinor };
}

/**
 * One overdue instalment paid offline, as the offline-payment path records it (provider "offline",
 * live money) and completed through `applyPaymentStatus`, then settled now rather than by the job,
 * so the reinstatement that follows in this transaction sees it paid. The job that also follows
 * finds it paid already.
 */
async function payOffline(
  db: TenantDb,
  tenantId: string,
  policy: { userId: string; currency: string },
  instalment: Arrears["instalments"][number],
  method: OfflineMethod,
  reference: string,
  staffUserId: string,
  several: boolean,
): Promise<void> {
  const tx = await db
    .insertInto("transactions")
    .values({
      instalment_id: instalment.id,
      user_id: policy.userId,
      provider: "offline",
      method,
      mode: "live",
      amount_minor: instalment.amountMinor,
      currency: policy.currency,
      provider_receipt: several ? `${reference}/${instalment.sequence}` : reference,
      recorded_by: staffUserId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "transaction",
    entityId: tx.id,
    from: null,
    to: "pending",
    event: "record_offline",
    reason: reference,
    actorUserId: staffUserId,
  });
  await applyPaymentStatus(
    db,
    tenantId,
    tx,
    {
      providerRef: reference,
      outcome: "completed",
      final: true,
      amountMinor: tx.amount_minor,
      currency: tx.currency,
      receipt: tx.provider_receipt ?? undefined,
      raw: null,
    },
    { confirmedByProvider: true, actorUserId: staffUserId },
  );
  await settleInstalment(db, tenantId, tx.id);
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { PolicyStatus, PolicyVersionKind, PolicyVersionStatus } from "~db/schema";
import { policyMachine, transition, type PolicyContext, type PolicyEvent } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";

/**
 * A policy's life after the sale (issue 13, decision 027) is written through two functions:
 *
 * - `movePolicy`: the status change of renewal, expiry, cancellation and reinstatement, checked by
 *   the policy machine under a row lock, with the columns that go with it and a timeline entry.
 * - `addPolicyVersion`: a dated, priced change (version 1 at issue, then endorsements, cancellation,
 *   reinstatement, reversal), numbered under the same lock so two changes never share a number.
 *
 * Both run inside the caller's transaction (a `TenantDb` from `withTenant`): a change, its version,
 * its money and its notifications commit together or not at all.
 */

export type MoveResult = { ok: true; from: PolicyStatus; to: PolicyStatus } | { ok: false; message: string };

/** Lock the policy row (the one lock every change to a policy takes first) and read it. */
export async function lockPolicy(db: TenantDb, policyId: string) {
  return db.selectFrom("policies").selectAll().where("id", "=", policyId).forUpdate().executeTakeFirst();
}

export async function movePolicy(
  db: TenantDb,
  policyId: string,
  event: PolicyEvent,
  ctx: Partial<PolicyContext> & { today: string },
  options: { actorUserId?: string | null; reason?: string } = {},
): Promise<MoveResult> {
  const policy = await lockPolicy(db, policyId);
  if (!policy) return { ok: false, message: "We could not find that policy." };
  const moved = transition(policyMachine, policy.status, event, { reason: options.reason, ...ctx });
  if (!moved.ok) return { ok: false, message: moved.reason };
  const set: Record<string, unknown> = { status: moved.to, updated_at: new Date() };
  if (event === "cancel") {
    set.cancelled_on = ctx.today;
    set.cancellation_reason = options.reason ?? null;
  }
  if (event === "reinstate" || event === "pay_arrears") set.grace_started_on = null;
  if (event === "reinstate") set.lapsed_on = null;
  await db.updateTable("policies").set(set).where("id", "=", policyId).execute();
  await recordStateChange(db, {
    entity: "policy",
    entityId: policyId,
    from: policy.status,
    to: moved.to,
    event,
    reason: options.reason,
    actorUserId: options.actorUserId ?? null,
  });
  return { ok: true, from: policy.status, to: moved.to as PolicyStatus };
}

export interface NewPolicyVersion {
  policyId: string;
  kind: PolicyVersionKind;
  effectiveDate: string;
  premiumDeltaMinor?: number;
  annualPremiumMinor: number;
  currency: string;
  inputs: Record<string, unknown>;
  summary: string;
  reason?: string | null;
  reversesVersion?: number | null;
  /** `pending` until its premium is paid (an additional premium); applied otherwise. */
  status?: Exclude<PolicyVersionStatus, "void">;
  createdBy?: string | null;
}

/**
 * Add the policy's next version. The caller holds the policy's lock (`lockPolicy` or `movePolicy`
 * first); an applied version becomes the policy's current one.
 */
export async function addPolicyVersion(db: TenantDb, input: NewPolicyVersion): Promise<{ id: string; version: number }> {
  const last = await db
    .selectFrom("policy_versions")
    .select(sql<number>`coalesce(max(version), 0)::int`.as("n"))
    .where("policy_id", "=", input.policyId)
    .executeTakeFirstOrThrow();
  const version = last.n + 1;
  const status = input.status ?? "applied";
  const row = await db
    .insertInto("policy_versions")
    .values({
      policy_id: input.policyId,
      version,
      kind: input.kind,
      effective_date: input.effectiveDate,
      premium_delta_minor: input.premiumDeltaMinor ?? 0,
      annual_premium_minor: input.annualPremiumMinor,
      currency: input.currency,
      inputs: JSON.stringify(input.inputs),
      summary: input.summary,
      reason: input.reason ?? null,
      reverses_version: input.reversesVersion ?? null,
      status,
      created_by: input.createdBy ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (status === "applied") await applyVersion(db, input.policyId, version, input.annualPremiumMinor);
  return { id: row.id, version };
}

/** A pending version's premium arrived (or staff applied it): it is in force from its effective date. */
export async function applyPolicyVersion(db: TenantDb, versionId: string): Promise<boolean> {
  const v = await db.selectFrom("policy_versions").selectAll().where("id", "=", versionId).executeTakeFirst();
  if (!v) return false;
  await lockPolicy(db, v.policy_id);
  const updated = await db
    .updateTable("policy_versions")
    .set({ status: "applied" })
    .where("id", "=", versionId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  await applyVersion(db, v.policy_id, v.version, v.annual_premium_minor);
  return true;
}

async function applyVersion(db: TenantDb, policyId: string, version: number, annualPremiumMinor: number) {
  await db
    .updateTable("policies")
    .set({ current_version: version, annual_premium_minor: annualPremiumMinor, updated_at: new Date() })
    .where("id", "=", policyId)
    .where("current_version", "<", version)
    .execute();
}

export interface PolicyVersionView {
  id: string;
  version: number;
  kind: PolicyVersionKind;
  status: PolicyVersionStatus;
  effectiveDate: string;
  premiumDeltaMinor: number;
  annualPremiumMinor: number;
  currency: string;
  inputs: Record<string, unknown>;
  summary: string;
  reason: string | null;
  hasCertificate: boolean;
  createdAt: Date;
}

/** Every version of a policy, newest first (the policy's timeline). */
export async function policyVersions(db: TenantDb, policyId: string): Promise<PolicyVersionView[]> {
  const rows = await db.selectFrom("policy_versions").selectAll().where("policy_id", "=", policyId).orderBy("version", "desc").execute();
  return rows.map((v) => ({
    id: v.id,
    version: v.version,
    kind: v.kind,
    status: v.status,
    effectiveDate: v.effective_date,
    premiumDeltaMinor: Number(v.premium_delta_minor),
    annualPremiumMinor: Number(v.annual_premium_minor),
    currency: v.currency,
    inputs: v.inputs,
    summary: v.summary,
    reason: v.reason,
    hasCertificate: v.certificate_file_key !== null,
    createdAt: v.created_at,
  }));
}

/** The rating inputs in force now: the latest applied version's (the quote's for a policy issued before versions). */
export async function inputsInForce(db: TenantDb, policyId: string): Promise<Record<string, unknown>> {
  const v = await db
    .selectFrom("policy_versions")
    .select("inputs")
    .where("policy_id", "=", policyId)
    .where("status", "=", "applied")
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (v) return v.inputs;
  const q = await db
    .selectFrom("policies")
    .innerJoin("quotes", "quotes.id", "policies.quote_id")
    .select("quotes.inputs")
    .where("policies.id", "=", policyId)
    .executeTakeFirstOrThrow();
  return q.inputs;
}

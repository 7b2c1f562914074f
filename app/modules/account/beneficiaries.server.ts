import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { PolicyStatus } from "~db/schema";
import { formatShare } from "~/modules/checkout/schemas";
import { RELATIONSHIPS } from "~/modules/checkout/steps";
import { versionApplied } from "~/modules/endorsements/applied.server";
import { addPolicyVersion, inputsInForce, lockPolicy } from "~/modules/policies/versions.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { recordStateChange } from "~/modules/workflows/timeline.server";

/**
 * The customer edits who receives the benefit of their life or hibah cover (issue 13 item 6,
 * decision 032). Beneficiaries belong to the order (checkout saved them there), so every policy of
 * that order that pays out to beneficiaries shares them. A beneficiary change moves no premium; on
 * issued cover it is a new version of the policy (zero premium, a new certificate naming them, the
 * "changed" notice), and always a `change_beneficiaries` entry on the timeline (status unchanged).
 */

/** Cover that is still running (or about to start) can have its beneficiaries changed. */
const EDITABLE: PolicyStatus[] = ["active", "grace", "pending_payment", "pending_underwriting"];

export interface Beneficiary {
  name: string;
  relationship: string;
  shareBp: number;
}

export interface BeneficiaryPolicy {
  id: string;
  orderId: string;
  policyNumber: string | null;
  productName: string;
  status: PolicyStatus;
  beneficiaries: Beneficiary[];
}

/** The account's policies that pay out to beneficiaries: the product asks for them, or the order has some. */
function beneficiaryPoliciesQuery(db: TenantDb, userId: string) {
  return db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select(["p.id", "p.order_id", "p.policy_number", "p.status", "pr.name as product_name"])
    .where("p.user_id", "=", userId)
    .where("p.status", "in", EDITABLE)
    .where((eb) =>
      eb.or([
        sql<boolean>`coalesce((pr.requirements->>'beneficiaries')::boolean, false)`,
        eb.exists(eb.selectFrom("beneficiaries as b").select("b.id").whereRef("b.order_id", "=", "p.order_id")),
      ]),
    );
}

async function beneficiariesOf(db: TenantDb, orderIds: string[]): Promise<Map<string, Beneficiary[]>> {
  const byOrder = new Map<string, Beneficiary[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .selectFrom("beneficiaries")
    .select(["order_id", "name", "relationship", "share_bp"])
    .where("order_id", "in", orderIds)
    .orderBy("order_id")
    .orderBy("position")
    .execute();
  for (const r of rows) {
    const list = byOrder.get(r.order_id) ?? [];
    list.push({ name: r.name, relationship: r.relationship, shareBp: r.share_bp });
    byOrder.set(r.order_id, list);
  }
  return byOrder;
}

export async function beneficiaryPolicies(db: TenantDb, userId: string): Promise<BeneficiaryPolicy[]> {
  const rows = await beneficiaryPoliciesQuery(db, userId).orderBy("p.created_at", "desc").execute();
  const byOrder = await beneficiariesOf(db, [...new Set(rows.map((r) => r.order_id))]);
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    policyNumber: r.policy_number,
    productName: r.product_name,
    status: r.status,
    beneficiaries: byOrder.get(r.order_id) ?? [],
  }));
}

/** One of the account's policies with its beneficiaries; undefined when it is not theirs or has none to edit (a 404). */
export async function beneficiaryPolicy(db: TenantDb, userId: string, policyId: string): Promise<BeneficiaryPolicy | undefined> {
  const row = await beneficiaryPoliciesQuery(db, userId).where("p.id", "=", policyId).executeTakeFirst();
  if (!row) return undefined;
  const byOrder = await beneficiariesOf(db, [row.order_id]);
  return {
    id: row.id,
    orderId: row.order_id,
    policyNumber: row.policy_number,
    productName: row.product_name,
    status: row.status,
    beneficiaries: byOrder.get(row.order_id) ?? [],
  };
}

export function describeBeneficiaries(
  list: Beneficiary[],
  // The page passes the reader's words; the timeline keeps the English.
  label = (value: string) => RELATIONSHIPS.find((r) => r.value === value)?.label.toLowerCase() ?? value,
): string {
  return list.map((b) => `${b.name} (${label(b.relationship)}) ${formatShare(b.shareBp)}%`).join(", ");
}

/**
 * Replaces the beneficiaries (already checked: complete rows, shares summing to 10 000 bp) under the
 * policy's row lock, so two saves at once apply one after the other.
 */
export async function saveBeneficiaries(
  db: TenantDb,
  tenant: { id: string; timeZone: string },
  input: { userId: string; policyId: string; beneficiaries: Beneficiary[] },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const total = input.beneficiaries.reduce((sum, b) => sum + b.shareBp, 0);
  if (input.beneficiaries.length === 0 || total !== 10_000) return { ok: false, message: "The shares must add up to exactly 100%." };
  const editable = await beneficiaryPolicy(db, input.userId, input.policyId);
  if (!editable) return { ok: false, message: "We could not find that policy." };
  const policy = await lockPolicy(db, input.policyId);
  if (!policy || policy.user_id !== input.userId || !EDITABLE.includes(policy.status)) {
    return { ok: false, message: "The beneficiaries of this policy can no longer be changed." };
  }
  await db.deleteFrom("beneficiaries").where("order_id", "=", policy.order_id).execute();
  await db
    .insertInto("beneficiaries")
    .values(
      input.beneficiaries.map((b, position) => ({
        order_id: policy.order_id,
        position,
        name: b.name,
        relationship: b.relationship,
        share_bp: b.shareBp,
      })),
    )
    .execute();
  await recordStateChange(db, {
    entity: "policy",
    entityId: policy.id,
    from: policy.status,
    to: policy.status,
    event: "change_beneficiaries",
    reason: describeBeneficiaries(input.beneficiaries),
    actorUserId: input.userId,
  });
  // Issued cover gets a new version (decision 027): no premium moves, but the certificate names the
  // beneficiaries, so the new one is drawn and sent like any change of cover.
  if (policy.policy_number && (policy.status === "active" || policy.status === "grace")) {
    const version = await addPolicyVersion(db, {
      policyId: policy.id,
      kind: "endorsement",
      effectiveDate: quoteDateIn(tenant.timeZone),
      annualPremiumMinor: policy.annual_premium_minor,
      currency: policy.currency,
      inputs: await inputsInForce(db, policy.id),
      summary: `Beneficiaries: ${describeBeneficiaries(input.beneficiaries)}`,
      createdBy: input.userId,
    });
    await versionApplied(db, tenant.id, version.id);
  }
  return { ok: true };
}

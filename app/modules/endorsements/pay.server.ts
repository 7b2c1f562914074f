import { z } from "zod";
import type { TenantDb } from "~db/client";
import { lineText } from "~/lib/text";
import { checkMpesaPhone, payWithFields } from "~/components/policy/premium-schedule";

/** The customer pays a change's additional premium: which version, how, and the M-Pesa phone. */
export const payVersionSchema = z
  .object({ versionId: lineText().uuid("Choose the change to pay"), ...payWithFields })
  .superRefine(checkMpesaPhone);

/** The policy's change waiting for its additional premium, with the payment in flight for it, if any. */
export async function pendingVersionOf(db: TenantDb, policyId: string) {
  const v = await db
    .selectFrom("policy_versions as v")
    .leftJoin("transactions as t", (j) =>
      j.onRef("t.tenant_id", "=", "v.tenant_id").onRef("t.policy_version_id", "=", "v.id").on("t.status", "=", "pending"),
    )
    .select(["v.id", "v.version", "v.premium_delta_minor", "v.summary", "v.effective_date", "t.id as payment_id"])
    .where("v.policy_id", "=", policyId)
    .where("v.status", "=", "pending")
    .executeTakeFirst();
  return v
    ? {
        id: v.id,
        version: v.version,
        deltaMinor: Number(v.premium_delta_minor),
        summary: v.summary,
        effectiveDate: v.effective_date,
        paymentId: v.payment_id,
      }
    : null;
}

import type { TenantDb } from "~db/client";
import { productLifecycle } from "~/modules/policies/lifecycle";

/** Statuses in which cover can be changed mid-term: the policy is in force. */
export const CHANGEABLE_STATUSES = ["active"] as const;

/**
 * Whether the customer may change this policy's cover themselves: it is in force and its product
 * names at least one input a customer may change (`lifecycle.endorsableInputs`).
 */
export async function customerMayChange(db: TenantDb, policyId: string): Promise<boolean> {
  const row = await db
    .selectFrom("policies")
    .innerJoin("products", "products.id", "policies.product_id")
    .select(["policies.status", "products.lifecycle"])
    .where("policies.id", "=", policyId)
    .executeTakeFirst();
  if (!row || !(CHANGEABLE_STATUSES as readonly string[]).includes(row.status)) return false;
  return productLifecycle(row.lifecycle).endorsableInputs.length > 0;
}

import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { addDays } from "~/modules/rating/dates";
import { quoteDateIn } from "~/modules/rating";
import { lockPolicy } from "~/modules/policies/versions.server";
import { tenantOrigin, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { queueRenewed } from "./notices.server";

/**
 * What issuance (app/modules/policies/issuance.server.ts) asks about an order item whose quote is a
 * renewal: whether the predecessor may still be renewed, and its auto-renew. A policy renewed
 * already (a second renewal order paid in a race) is not renewed again: its payment goes back in full.
 */
export async function renewalTerm(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "timeZone">,
  predecessorId: string,
  paymentId: string,
): Promise<{ ok: true; autoRenew: boolean } | { ok: false }> {
  const previous = await lockPolicy(db, predecessorId);
  const taken = await db.selectFrom("policies").select("id").where("renewal_of_policy_id", "=", predecessorId).executeTakeFirst();
  if (!previous?.end_date || taken) {
    await addJob(
      db,
      "refund_duplicate_payment",
      { tenantId: tenant.id, transactionId: paymentId },
      { jobKey: `refund_duplicate_payment:${tenant.id}:${paymentId}` },
    );
    return { ok: false };
  }
  return { ok: true, autoRenew: previous.auto_renew };
}

/** A renewal's first day (startCover): the day after its predecessor's end, or today once that has passed (never backdated). */
export function renewalStart(predecessorEnd: string, tenant: Pick<TenantInfo, "timeZone">): string {
  const dayAfter = addDays(predecessorEnd, 1);
  const today = quoteDateIn(tenant.timeZone);
  return dayAfter > today ? dayAfter : today;
}

/** The renewed policy is issued: tell the customer its new number. */
export async function renewalIssued(db: TenantDb, tenant: TenantInfo, policyId: string, origin: string | null) {
  const row = await db
    .selectFrom("policies")
    .innerJoin("policies as prev", "prev.id", "policies.renewal_of_policy_id")
    .select(["prev.policy_number", "policies.policy_number as number"])
    .where("policies.id", "=", policyId)
    .executeTakeFirst();
  // Waiting for underwriting: no number yet, and the certificate's email tells it later.
  if (!row?.number) return;
  await queueRenewed(db, tenant, { policyId, previousNumber: row.policy_number ?? "", origin: origin ?? (await tenantOrigin(tenant)) });
}

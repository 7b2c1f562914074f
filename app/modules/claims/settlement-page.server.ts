import type { TenantDb } from "~db/client";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { timelineOf } from "~/modules/workflows/timeline.server";
import { payoutOptions } from "./settlement.server";

/** Everything the settlement page shows about one claim's settlement (read under the tenant's RLS). */
export async function settlementPage(db: TenantDb, tenant: Pick<TenantInfo, "id" | "currency">, claimId: string) {
  const claim = await db
    .selectFrom("claims as c")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "c.tenant_id").onRef("u.id", "=", "c.claimant_user_id"))
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select([
      "c.id",
      "c.claim_number",
      "c.status",
      "c.claimed_minor",
      "c.approved_minor",
      "c.excess_minor",
      "c.payable_minor",
      "c.currency",
      "c.decision_letter_file_key",
      "u.name as claimant_name",
      "u.email as claimant_email",
      "p.policy_number",
      "pr.name as product",
    ])
    .where("c.id", "=", claimId)
    .executeTakeFirst();
  if (!claim) return undefined;
  const settlement = await db.selectFrom("claim_settlements").selectAll().where("claim_id", "=", claimId).executeTakeFirst();
  if (!settlement) return { claim, settlement: null, timeline: [], gatewayLog: [], events: [], options: [], bankQueue: 0 };
  const [timeline, gatewayLog, events, options, bankQueue] = [
    await timelineOf(db, "settlement", settlement.id),
    await db
      .selectFrom("gateway_log")
      .select(["id", "kind", "provider", "request", "response", "raw_body", "duration_ms", "created_at"])
      .where("settlement_id", "=", settlement.id)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    await db
      .selectFrom("provider_events")
      .select(["id", "provider_event_id", "deliveries", "received_at", "processed_at", "outcome"])
      .where("settlement_id", "=", settlement.id)
      .orderBy("received_at")
      .orderBy("id")
      .execute(),
    await payoutOptions(db, tenant, settlement),
    await db
      .selectFrom("claim_settlements")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("method", "=", "bank_transfer")
      .where("status", "=", "processing")
      .executeTakeFirstOrThrow(),
  ];
  return { claim, settlement, timeline, gatewayLog, events, options, bankQueue: Number(bankQueue.n) };
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { openMonthFor } from "./ledger.server";
import { monthOf } from "./months";

/**
 * Money that goes back takes its commissions with it, as reversing entries (never edits):
 *
 * - A refund for one policy (a declined underwriting) reverses that policy's entries in full.
 * - Any other refund reverses every entry of the payment in proportion to what has been refunded
 *   so far, less what earlier refunds already took back — so two half refunds take back exactly
 *   what one full refund would, to the cent.
 *
 * A clawback lands in the month of the refund, or the first open month when that one is closed;
 * if the commission was already paid, it is netted against the agent's next payout. One clawback
 * per (refund, entry): a repeat changes nothing.
 */
export async function clawbackRefund(db: TenantDb, refundId: string, timeZone: string): Promise<number> {
  const refund = await db
    .selectFrom("refunds")
    .innerJoin("transactions as t", "t.id", "refunds.transaction_id")
    .select([
      "refunds.id",
      "refunds.status",
      "refunds.policy_id",
      "refunds.completed_at",
      "refunds.transaction_id",
      "t.amount_minor as paid_minor",
    ])
    .where("refunds.id", "=", refundId)
    .executeTakeFirst();
  if (!refund || refund.status !== "completed" || !refund.completed_at) return 0;
  // Clawbacks of one payment are worked out one refund at a time.
  await db.selectFrom("transactions").select("id").where("id", "=", refund.transaction_id).forNoKeyUpdate().execute();

  const month = await openMonthFor(db, monthOf(refund.completed_at, timeZone));
  const policyItem = refund.policy_id
    ? await db.selectFrom("policies").select("order_item_id").where("id", "=", refund.policy_id).executeTakeFirst()
    : undefined;

  const result = await sql`
    with refunded as (
      select coalesce(sum(amount_minor), 0) as so_far from refunds
      where transaction_id = ${refund.transaction_id}::uuid and status = 'completed' and policy_id is null
        and (completed_at, id) <= (${refund.completed_at}::timestamptz, ${refund.id}::uuid)
    ),
    targets as (
      select e.id, e.agent_id, e.amount_minor, e.currency, e.product_id, e.frequency, e.tier, e.rule_id, e.transaction_id, e.order_item_id, e.earned_at,
             coalesce((select -sum(c.amount_minor) from commission_entries c where c.kind = 'clawback' and c.reverses_entry_id = e.id), 0) as taken
      from commission_entries e
      where e.kind = 'earning' and e.transaction_id = ${refund.transaction_id}::uuid
        and (${policyItem?.order_item_id ?? null}::uuid is null or e.order_item_id = ${policyItem?.order_item_id ?? null}::uuid)
    ),
    -- What this refund takes back from each entry: all of a declined policy's, or the share refunded so far less what was taken.
    due as (
      select t.*,
             case when ${policyItem ? true : false} then t.amount_minor - t.taken
                  else least(t.amount_minor, round(t.amount_minor::numeric * (select so_far from refunded) / ${refund.paid_minor}))::bigint - t.taken end as due
      from targets t
    )
    insert into commission_entries (kind, agent_id, month, amount_minor, currency, status, transaction_id, order_item_id, product_id, frequency, tier, rule_id,
                                    refund_id, reverses_entry_id, earned_at, note)
    select 'clawback', d.agent_id, ${month}::date, -d.due, d.currency, 'pending', d.transaction_id, d.order_item_id, d.product_id, d.frequency, d.tier, d.rule_id,
           ${refund.id}::uuid, d.id, d.earned_at, 'Refunded: commission taken back'
    from due d
    where d.due > 0
    on conflict (tenant_id, refund_id, reverses_entry_id) where kind = 'clawback' do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

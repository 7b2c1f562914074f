import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { bonusClawbacks } from "./bonuses.server";
import { openMonthFor } from "./ledger.server";
import { monthOf } from "./months";

/**
 * Money that goes back takes its commissions with it, as reversing entries (never edits):
 *
 * - A refund for one policy (a declined underwriting) reverses that policy's entries in full.
 * - A refund of a policy version's returned premium (a cancellation, an endorsement that lowers the
 *   premium; decision 030) reverses that policy's entries of the payment in proportion to the
 *   policy's part of the payment gone back so far: its item's first payment on an order's payment
 *   (shared with the order's other policies, whose entries it leaves alone), the whole payment else.
 * - Any other refund, and a lost chargeback, reverses every entry of the payment in proportion to
 *   the money gone so far — completed refunds (but a declined policy's) and lost chargebacks, in the
 *   order they happened, up to and including this one — less what was already taken back. So two
 *   half refunds take back exactly what one full refund would, and a refund and a chargeback of the
 *   rest together take back exactly what was earned, to the cent: never more than an entry, in
 *   whatever order their jobs run.
 *
 * A clawback lands in the month of the refund (or of the chargeback's loss), or the first open
 * month when that one is closed; if the commission was already paid, it is netted against the
 * agent's next payout. One clawback per (refund, entry) and per (chargeback, entry): a repeat
 * changes nothing. Bonuses whose base counted the payment are taken back alongside, in proportion
 * to the payment's money gone (`bonusClawbacks`).
 */
export async function clawbackRefund(db: TenantDb, refundId: string, timeZone: string): Promise<number> {
  const refund = await db
    .selectFrom("refunds")
    .innerJoin("transactions as t", "t.id", "refunds.transaction_id")
    .select([
      "refunds.id",
      "refunds.status",
      "refunds.policy_id",
      "refunds.policy_version_id",
      "refunds.completed_at",
      "refunds.transaction_id",
      "t.amount_minor as paid_minor",
      "t.currency as paid_currency",
      "t.order_id as paid_order_id",
      "t.instalment_id as paid_instalment_id",
    ])
    .where("refunds.id", "=", refundId)
    .executeTakeFirst();
  if (!refund || refund.status !== "completed" || !refund.completed_at) return 0;
  const policyItem = refund.policy_id
    ? await db
        .selectFrom("policies")
        .innerJoin("order_items", "order_items.id", "policies.order_item_id")
        .select(["policies.order_item_id", "policies.order_id", "order_items.first_payment_minor"])
        .where("policies.id", "=", refund.policy_id)
        .executeTakeFirst()
    : undefined;
  // A version's refund: the policy's part of this payment (its item's first payment on the order's own payment).
  const versionShare =
    refund.policy_version_id && refund.policy_id && policyItem
      ? {
          policyId: refund.policy_id,
          shareMinor:
            refund.paid_order_id === policyItem.order_id && !refund.paid_instalment_id && policyItem.first_payment_minor
              ? Math.min(policyItem.first_payment_minor, refund.paid_minor)
              : refund.paid_minor,
        }
      : null;
  return takeBack(db, {
    source: "refund",
    id: refund.id,
    at: refund.completed_at,
    transactionId: refund.transaction_id,
    paidMinor: versionShare?.shareMinor ?? refund.paid_minor,
    currency: refund.paid_currency,
    orderItemId: policyItem?.order_item_id ?? null,
    versionOfPolicyId: versionShare?.policyId ?? null,
    timeZone,
  });
}

/** A lost chargeback: the money is gone as surely as by a full or partial refund of its amount. */
export async function clawbackChargeback(db: TenantDb, chargebackId: string, timeZone: string): Promise<number> {
  const chargeback = await db
    .selectFrom("chargebacks")
    .innerJoin("transactions as t", "t.id", "chargebacks.transaction_id")
    .select([
      "chargebacks.id",
      "chargebacks.status",
      "chargebacks.closed_at",
      "chargebacks.currency",
      "chargebacks.transaction_id",
      "t.amount_minor as paid_minor",
      "t.currency as paid_currency",
    ])
    .where("chargebacks.id", "=", chargebackId)
    .executeTakeFirst();
  if (!chargeback || chargeback.status !== "lost" || !chargeback.closed_at) return 0;
  if (chargeback.currency !== chargeback.paid_currency) return 0;
  return takeBack(db, {
    source: "chargeback",
    id: chargeback.id,
    at: chargeback.closed_at,
    transactionId: chargeback.transaction_id,
    paidMinor: chargeback.paid_minor,
    currency: chargeback.paid_currency,
    orderItemId: null,
    versionOfPolicyId: null,
    timeZone,
  });
}

const NOTES = {
  refund: "Refunded: commission taken back",
  chargeback: "Charged back: commission taken back",
} as const;

interface MoneyBack {
  source: keyof typeof NOTES;
  id: string;
  /** When the money went (a refund's completion, a chargeback's loss): orders the share taken so far. */
  at: Date;
  transactionId: string;
  paidMinor: number;
  currency: string;
  /** A policy's refund: only that item's entries (in full for a declined policy's). */
  orderItemId: string | null;
  /** A version's refund (decision 030): the policy's entries in proportion to its part of the payment (`paidMinor`). */
  versionOfPolicyId: string | null;
  timeZone: string;
}

/** The one statement for both: what each entry of the payment owes back now, as clawback entries. */
async function takeBack(db: TenantDb, m: MoneyBack): Promise<number> {
  // Clawbacks of one payment are worked out one refund or chargeback at a time.
  await db.selectFrom("transactions").select("id").where("id", "=", m.transactionId).forNoKeyUpdate().execute();
  const month = await openMonthFor(db, monthOf(m.at, m.timeZone));
  const refundId = m.source === "refund" ? m.id : null;
  const chargebackId = m.source === "chargeback" ? m.id : null;
  const sourceColumn = sql.ref(m.source === "refund" ? "refund_id" : "chargeback_id");

  const inFull = m.orderItemId !== null && m.versionOfPolicyId === null;
  // What has gone back that this share is of: the payment's own refunds and lost chargebacks, or the policy's version refunds.
  const moneyBack =
    m.versionOfPolicyId === null
      ? sql`
        select amount_minor, completed_at as at, id from refunds
        where transaction_id = ${m.transactionId}::uuid and status = 'completed' and policy_id is null
        union all
        select amount_minor, closed_at as at, id from chargebacks
        where transaction_id = ${m.transactionId}::uuid and status = 'lost' and currency = ${m.currency}`
      : sql`
        select amount_minor, completed_at as at, id from refunds
        where transaction_id = ${m.transactionId}::uuid and status = 'completed'
          and policy_id = ${m.versionOfPolicyId}::uuid and policy_version_id is not null`;

  const result = await sql`
    with gone as (
      select coalesce(sum(amount_minor), 0) as so_far from (${moneyBack}) money_back
      where (at, id) <= (${m.at}::timestamptz, ${m.id}::uuid)
    ),
    targets as (
      select e.id, e.agent_id, e.amount_minor, e.currency, e.product_id, e.frequency, e.tier, e.rule_id, e.transaction_id, e.order_item_id, e.earned_at,
             coalesce((select -sum(c.amount_minor) from commission_entries c where c.kind = 'clawback' and c.reverses_entry_id = e.id), 0) as taken
      from commission_entries e
      where e.kind = 'earning' and e.transaction_id = ${m.transactionId}::uuid
        and (${m.orderItemId}::uuid is null or e.order_item_id = ${m.orderItemId}::uuid)
    ),
    -- What this takes back from each entry: all of a declined policy's, or the share gone so far less what was taken.
    due as (
      select t.*,
             case when ${inFull} then t.amount_minor - t.taken
                  else least(t.amount_minor, round(t.amount_minor::numeric * (select so_far from gone) / ${m.paidMinor}))::bigint - t.taken end as due
      from targets t
    )
    insert into commission_entries (kind, agent_id, month, amount_minor, currency, transaction_id, order_item_id, product_id, frequency, tier, rule_id,
                                    refund_id, chargeback_id, reverses_entry_id, earned_at, note)
    select 'clawback', d.agent_id, ${month}::date, -d.due, d.currency, d.transaction_id, d.order_item_id, d.product_id, d.frequency, d.tier, d.rule_id,
           ${refundId}::uuid, ${chargebackId}::uuid, d.id, d.earned_at, ${NOTES[m.source]}
    from due d
    where d.due > 0
    on conflict (tenant_id, ${sourceColumn}, reverses_entry_id) where kind = 'clawback' do nothing
  `.execute(db);
  // Bonuses count the whole payment, whichever policy a refund is for (decision 048).
  const bonuses = await bonusClawbacks(db, { ...m, refundId, chargebackId, month, note: NOTES[m.source] });
  return Number(result.numAffectedRows ?? 0) + bonuses;
}

import { sql, type RawBuilder } from "kysely";
import type { TenantDb } from "~db/client";
import type { Month } from "./months";

/**
 * Bonuses (issue 16, docs/decisions/048-commission-bonuses.md), written by the monthly close:
 *
 * - A **performance bonus** pays an agent whose own sales in the month reach its threshold a fixed
 *   amount or a rate of those sales.
 * - A **team bonus** pays each holder of its rank (at the close) a rate of the sales of their
 *   downline within its levels (depth 1 = their own recruits).
 *
 * "Sales" are the completed payments of the month (the month of their completion in the agency's
 * zone, the month their earnings land in), credited to the order's agent as the ledger credits
 * them, less money already gone back (completed refunds, lost chargebacks) when the close runs:
 * what goes back later is a clawback, in proportion (`bonusClawbacks`). Each bonus is one entry
 * per month, agent and bonus version, recording its base, rate and (team) levels.
 */

export const BONUS_ENTRY_KINDS = ["performance_bonus", "team_bonus"] as const;

export interface MonthBonusInput {
  month: Month;
  timeZone: string;
  currency: string;
  now: Date;
}

/** The seller of payment `t`: the order's agent, or for an instalment its policy's order's agent. */
function paymentsWithSeller(where: RawBuilder<boolean>, tz: string): RawBuilder<unknown> {
  return sql`
    select t.id as transaction_id, t.amount_minor, t.currency, t.completed_at, coalesce(po.agent_id, o.agent_id) as seller_id,
           date_trunc('month', t.completed_at at time zone ${tz})::date as month
    from transactions t
    left join orders o on o.id = t.order_id
    left join instalments i on i.id = t.instalment_id
    left join policies pol on pol.id = i.policy_id
    left join orders po on po.id = pol.order_id
    where ${where}
      and t.status in ('completed', 'partially_refunded', 'refunded') and t.completed_at is not null
      and coalesce(po.agent_id, o.agent_id) is not null
      -- A second payment of an already paid order is refunded, never commissioned (as the ledger).
      and not exists (
        select 1 from transactions t2
        where t.order_id is not null and t2.order_id = t.order_id and t2.id <> t.id
          and t2.status in ('completed', 'partially_refunded', 'refunded')
          and (t2.completed_at, t2.id) < (t.completed_at, t.id)
      )`;
}

/** Money gone back from payment `transaction` (completed refunds, lost chargebacks in its currency): rows (amount_minor, at, id). */
function moneyBack(transaction: RawBuilder<unknown>, currency: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select amount_minor, completed_at as at, id from refunds where transaction_id = ${transaction} and status = 'completed'
    union all
    select amount_minor, closed_at as at, id from chargebacks where transaction_id = ${transaction} and status = 'lost' and currency = ${currency}`;
}

/** Every bonus the month earns, before anything is written: rows of one entry each. */
function monthBonuses(input: MonthBonusInput): RawBuilder<{
  kind: "performance_bonus" | "team_bonus";
  agent_id: string;
  bonus_rule_id: string;
  name: string;
  levels: number | null;
  base_minor: number;
  rate_bp: number | null;
  amount_minor: number;
}> {
  const tz = input.timeZone;
  const inMonth = sql<boolean>`t.completed_at >= (${input.month}::date::timestamp at time zone ${tz})
    and t.completed_at < ((${input.month}::date + interval '1 month')::timestamp at time zone ${tz})
    and t.currency = ${input.currency}`;
  return sql`
    with in_force as (
      select * from (
        select distinct on (series_id) * from commission_bonus_rules
        where effective_from <= ${input.month}::date
        order by series_id, effective_from desc
      ) v where not stopped
    ),
    sales as materialized (
      select p.seller_id, sum(greatest(p.amount_minor - (
               select coalesce(sum(b.amount_minor), 0) from (${moneyBack(sql`p.transaction_id`, sql`p.currency`)}) b where b.at <= ${input.now}
             ), 0))::bigint as sold_minor
      from (${paymentsWithSeller(inMonth, tz)}) p
      group by p.seller_id
    ),
    earned as (
      select 'performance_bonus' as kind, s.seller_id as agent_id, r.id as bonus_rule_id, r.name, null::int as levels,
             s.sold_minor as base_minor, r.rate_bp, r.amount_minor as fixed_minor
      from sales s cross join in_force r
      where r.kind = 'performance' and s.sold_minor > 0 and s.sold_minor >= r.threshold_minor
      union all
      select 'team_bonus', a.id, r.id, r.name, r.levels, sum(s.sold_minor)::bigint, r.rate_bp, null
      from in_force r
      join agents a on a.rank_id = r.rank_id
      join agent_uplines u on u.upline_id = a.id and u.depth between 1 and r.levels
      join sales s on s.seller_id = u.agent_id
      where r.kind = 'team'
      group by a.id, r.id, r.name, r.levels, r.rate_bp
    )
    select kind, agent_id, bonus_rule_id, name, levels, base_minor, rate_bp,
           coalesce(fixed_minor, round(base_minor::numeric * rate_bp / 10000)::bigint) as amount_minor
    from earned
  `;
}

/**
 * Whether any bonus is in force in the month: an agency without bonuses (the benchmark's) never
 * pays for adding up the month's sales.
 */
async function anyBonusInForce(db: TenantDb, month: Month): Promise<boolean> {
  const row = await sql<{ n: number }>`
    select count(*)::int as n from (
      select distinct on (series_id) stopped from commission_bonus_rules
      where effective_from <= ${month}::date order by series_id, effective_from desc
    ) v where not stopped
  `.execute(db);
  return (row.rows[0]?.n ?? 0) > 0;
}

/**
 * Writes the month's bonuses, once: one statement, the unique (month, agent, bonus version) key
 * making a retried close write nothing twice. Called by the close inside its transaction.
 */
export async function writeMonthBonuses(db: TenantDb, input: MonthBonusInput): Promise<number> {
  if (!(await anyBonusInForce(db, input.month))) return 0;
  const result = await sql`
    insert into commission_entries (kind, agent_id, month, amount_minor, currency, base_minor, rate_bp, bonus_rule_id, bonus_levels, earned_at, note)
    select b.kind, b.agent_id, ${input.month}::date, b.amount_minor, ${input.currency}, b.base_minor, b.rate_bp, b.bonus_rule_id, b.levels,
           ${input.now}, b.name
    from (${monthBonuses(input)}) b
    where b.amount_minor > 0
    on conflict (tenant_id, month, agent_id, bonus_rule_id) where kind in ('performance_bonus', 'team_bonus') do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface BonusLine {
  kind: "performance_bonus" | "team_bonus";
  agentId: string;
  agentNumber: string;
  agentName: string;
  bonusName: string;
  levels: number | null;
  baseMinor: number;
  amountMinor: number;
}

/**
 * What the close would pay in bonuses, per agent (agent_id, amount_minor), for the preview's
 * balances; null when no bonus is in force.
 */
export async function bonusesToPay(
  db: TenantDb,
  input: MonthBonusInput,
): Promise<RawBuilder<{ agent_id: string; amount_minor: number }> | null> {
  if (!(await anyBonusInForce(db, input.month))) return null;
  return sql`select agent_id, amount_minor from (${monthBonuses(input)}) x where amount_minor > 0`;
}

/** The month's bonuses for the close's page: those written when it is closed, else those the close would write. */
export async function monthBonusLines(db: TenantDb, input: MonthBonusInput & { closed: boolean }): Promise<BonusLine[]> {
  if (!input.closed && !(await anyBonusInForce(db, input.month))) return [];
  const bonuses = input.closed
    ? sql`
        select e.kind, e.agent_id, r.name, e.bonus_levels as levels, e.base_minor, e.amount_minor
        from commission_entries e join commission_bonus_rules r on r.id = e.bonus_rule_id
        where e.month = ${input.month}::date and e.kind in ('performance_bonus', 'team_bonus')`
    : sql`select kind, agent_id, name, levels, base_minor, amount_minor from (${monthBonuses(input)}) x where amount_minor > 0`;
  const rows = await sql<{
    kind: BonusLine["kind"];
    agent_id: string;
    agent_number: string;
    agent_name: string;
    name: string;
    levels: number | null;
    base_minor: number;
    amount_minor: number;
  }>`
    select b.kind, b.agent_id, a.agent_number, u.name as agent_name, b.name, b.levels, b.base_minor, b.amount_minor
    from (${bonuses}) b join agents a on a.id = b.agent_id join users u on u.id = a.user_id
    order by a.agent_number, b.kind, b.name limit 200
  `.execute(db);
  return rows.rows.map((r) => ({
    kind: r.kind,
    agentId: r.agent_id,
    agentNumber: r.agent_number,
    agentName: r.agent_name,
    bonusName: r.name,
    levels: r.levels,
    baseMinor: Number(r.base_minor),
    amountMinor: Number(r.amount_minor),
  }));
}

export interface BonusMoneyBack {
  /** The refund or lost chargeback, and when the money went. */
  refundId: string | null;
  chargebackId: string | null;
  id: string;
  at: Date;
  transactionId: string;
  currency: string;
  /** Where the clawback lands: the refund's month or the first open one. */
  month: Month;
  timeZone: string;
  note: string;
}

/**
 * Takes back the bonuses a payment's money counted in, in proportion to what has gone back since
 * each bonus was written (what went before was never in its base), cumulatively: bonus × gone ÷
 * base, less what this payment's earlier refunds or chargebacks took, and never more than is left
 * of the bonus. The payment counted in a performance bonus of its seller for its month, and in the
 * team bonuses of the seller's uplines within each bonus's recorded levels (the upline as it is
 * now: a move after the close changes whose bonus a later refund reaches). One statement, run with
 * the earnings' clawback; one clawback per (refund or chargeback, bonus).
 */
export async function bonusClawbacks(db: TenantDb, m: BonusMoneyBack): Promise<number> {
  const sourceColumn = sql.ref(m.refundId ? "refund_id" : "chargeback_id");
  const result = await sql`
    with pay as (${paymentsWithSeller(sql<boolean>`t.id = ${m.transactionId}::uuid`, m.timeZone)}),
    bonuses as (
      select e.* from pay p
      join commission_entries e on e.agent_id = p.seller_id and e.month = p.month and e.kind = 'performance_bonus'
      where e.earned_at > p.completed_at
      union all
      select e.* from pay p
      join agent_uplines u on u.agent_id = p.seller_id
      join commission_entries e on e.agent_id = u.upline_id and e.month = p.month and e.kind = 'team_bonus' and u.depth <= e.bonus_levels
      where e.earned_at > p.completed_at
    ),
    due as (
      select b.*,
             least(
               b.amount_minor - coalesce((select -sum(c.amount_minor) from commission_entries c where c.kind = 'clawback' and c.reverses_entry_id = b.id), 0),
               round(b.amount_minor::numeric * (
                 select coalesce(sum(g.amount_minor), 0) from (${moneyBack(sql`${m.transactionId}::uuid`, sql`${m.currency}`)}) g
                 where g.at > b.earned_at and (g.at, g.id) <= (${m.at}::timestamptz, ${m.id}::uuid)
               ) / b.base_minor)::bigint
               - coalesce((select -sum(c.amount_minor) from commission_entries c
                           where c.kind = 'clawback' and c.reverses_entry_id = b.id and c.transaction_id = ${m.transactionId}::uuid), 0)
             ) as due
      from bonuses b
      where b.currency = ${m.currency}
    )
    insert into commission_entries (kind, agent_id, month, amount_minor, currency, transaction_id, base_minor, rate_bp, bonus_rule_id, bonus_levels,
                                    refund_id, chargeback_id, reverses_entry_id, earned_at, note)
    select 'clawback', d.agent_id, ${m.month}::date, -d.due, d.currency, ${m.transactionId}::uuid, d.base_minor, d.rate_bp, d.bonus_rule_id, d.bonus_levels,
           ${m.refundId}::uuid, ${m.chargebackId}::uuid, d.id, d.earned_at, ${m.note}
    from due d
    where d.due > 0
    on conflict (tenant_id, ${sourceColumn}, reverses_entry_id) where kind = 'clawback' do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

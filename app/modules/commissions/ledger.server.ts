import { sql, type RawBuilder } from "kysely";
import type { TenantDb } from "~db/client";
import type { UnqualifiedShare } from "~db/schema";
import { faultPoint } from "~/jobs/faults";
import { networkSettings } from "~/modules/network/settings.server";
import { NETWORK_LEVELS } from "~/modules/network/upline.server";
import { lockRuleVersions } from "./rules.server";

/**
 * The commission ledger's writer. One set-based statement turns completed payments into one
 * entry per tier that earns — for one payment (the job after each payment) or a million (a
 * backfill, the benchmark) alike — so the rules live in one place:
 *
 * - A payment pays for items: an order's first payment pays each item's first instalment, an
 *   instalment payment pays its policy. Each item is a sale of a product at a frequency, credited
 *   to the order's agent (tier 1), whose uplines are tiers 2, 3, … up to the tenant's tiers.
 * - The base is the premium in what was paid (levies taken out pro rata; KHHoldings has none).
 * - The rule is the tier of the version in force at the instant the payment completed: from the
 *   version's start until the next version's, whenever this runs (decision 016).
 * - A fixed rule pays its amount; a rate pays base × rate, rounded half-up to the cent (SQL's
 *   numeric round, the same as `applyRate`).
 * - To earn, an agent must be active (when the rule says so) and have made the rule's minimum
 *   personal sales in the payment's month up to that payment. An unqualified agent's share is
 *   skipped, passed to the nearest qualified upline above, or the chain closes up past them
 *   (compression) — the tenant's setting, searching up to ten levels; `distributeShares` is the
 *   same rule in TypeScript. A share that moved names the agent it went past and why.
 * - An entry lands in the payment's month, or the first month still open when that one is closed.
 *
 * Exactly once: the unique (transaction, item, tier) key with ON CONFLICT DO NOTHING; a second
 * worker on the same payment waits for the first's commit and then writes nothing.
 */
export interface LedgerSettings {
  timeZone: string;
  currency: string;
  tiers: number;
  unqualifiedShare: UnqualifiedShare;
  /** Whether any of the tenant's rules has a monthly cap: only then does the ledger cap as it writes. */
  capped: boolean;
}

export type PaymentSelection = { transactionIds: string[] } | { completedFrom: Date; completedTo: Date };

function selectPayments(selection: PaymentSelection): RawBuilder<unknown> {
  if ("transactionIds" in selection) return sql`t.id = any(${selection.transactionIds}::uuid[])`;
  return sql`t.completed_at >= ${selection.completedFrom} and t.completed_at < ${selection.completedTo}`;
}

/**
 * Whether agent `a` (an `agents` row) may earn under the rule on the line `t` (with the rule's
 * requires_active and min_personal_sales, and the payment's month_start and completed_at): active
 * when required, and enough own sales in the payment's month up to the payment. The count only
 * runs for rules that ask for sales.
 */
function qualified(a: RawBuilder<unknown>, t: RawBuilder<unknown>, line: RawBuilder<unknown> = t): RawBuilder<boolean> {
  return sql<boolean>`(
    (not ${t}.requires_active or ${a}.status = 'active')
    and (${t}.min_personal_sales = 0 or (
      select count(*) from orders o2 join order_items oi2 on oi2.order_id = o2.id
      where o2.agent_id = ${a}.id and o2.paid_at >= ${line}.month_start and o2.paid_at <= ${line}.completed_at
    ) >= ${t}.min_personal_sales)
  )`;
}

/** Why an agent (of this status) who does not qualify under rule `r` may not earn: the entry's moved_reason. */
function disqualification(status: RawBuilder<unknown>, r: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case when ${r}.requires_active and ${status} <> 'active' then 'inactive' else 'below_min_sales' end`;
}

/** Writes the earnings of the selected completed payments; returns how many entries were new. */
export async function recordCommissions(db: TenantDb, settings: LedgerSettings, selection: PaymentSelection): Promise<number> {
  if ("transactionIds" in selection && selection.transactionIds.length === 0) return 0;
  await lockRuleVersions(db, "ledger");
  if (!settings.capped) {
    const result = await ledgerStatement(settings, selection).execute(db);
    faultPoint("record_commissions:before_commit");
    return Number(result.numAffectedRows ?? 0);
  }
  // The cap rows this run will lock must exist before the statement that locks them starts: a row
  // inserted by a worker still running is invisible to that statement's snapshot.
  await capUsageRows(settings, selection).execute(db);
  const result = await ledgerStatement(settings, selection).execute(db);
  faultPoint("record_commissions:before_commit");
  return Number((result.rows[0] as { written: number } | undefined)?.written ?? 0);
}

/**
 * The ledger's one statement (exported for the benchmark's EXPLAIN). Without capped rules it is a
 * plain insert; with them, the earnings are capped as they are written (`cappedInsert`).
 */
export function ledgerStatement(settings: LedgerSettings, selection: PaymentSelection): RawBuilder<unknown> {
  return sql`${earnings(settings, selection)} ${settings.capped ? cappedInsert(settings) : plainInsert(settings)}`;
}

/**
 * Every earning the selected payments make, before caps: the `with` list that ends in `amounts`
 * (one row per tier that earns, with its amount, the rule's cap and the month the entry lands in).
 */
function earnings(settings: LedgerSettings, selection: PaymentSelection): RawBuilder<unknown> {
  const tz = settings.timeZone;
  const compress = settings.unqualifiedShare === "compress";
  return sql`
    with ${compress ? sql`recursive` : sql``} payments as (
      select t.id, t.order_id, t.instalment_id, t.completed_at,
             date_trunc('month', t.completed_at at time zone ${tz})::date as month,
             (date_trunc('month', t.completed_at at time zone ${tz}) at time zone ${tz}) as month_start
      from transactions t
      where ${selectPayments(selection)}
        and t.status in ('completed', 'partially_refunded', 'refunded')
        and t.completed_at is not null
        -- A second payment of an already paid order is refunded, never commissioned.
        and not exists (
          select 1 from transactions t2
          where t.order_id is not null and t2.order_id = t.order_id and t2.id <> t.id
            and t2.status in ('completed', 'partially_refunded', 'refunded')
            and (t2.completed_at, t2.id) < (t.completed_at, t.id)
        )
    ),
    sales as (
      select p.id as transaction_id, p.completed_at, p.month, p.month_start,
             oi.id as order_item_id, oi.product_id, oi.frequency, o.agent_id as seller_id,
             oi.first_payment_minor as paid_minor, oi.annual_premium_minor, oi.levies_minor
      from payments p
      join orders o on o.id = p.order_id
      join order_items oi on oi.order_id = o.id
      where o.agent_id is not null and oi.frequency is not null
      union all
      select p.id, p.completed_at, p.month, p.month_start,
             oi.id, oi.product_id, oi.frequency, o.agent_id,
             i.amount_minor, oi.annual_premium_minor, oi.levies_minor
      from payments p
      join instalments i on i.id = p.instalment_id
      join policies pol on pol.id = i.policy_id
      join order_items oi on oi.id = pol.order_item_id
      join orders o on o.id = pol.order_id
      where o.agent_id is not null and oi.frequency is not null
    ),
    lines as materialized (
      select s.*,
             case when coalesce(s.levies_minor, 0) > 0 and coalesce(s.annual_premium_minor, 0) > 0
                  then round(s.paid_minor::numeric * s.annual_premium_minor / (s.annual_premium_minor + s.levies_minor))::bigint
                  else s.paid_minor end as base_minor
      from sales s
    ),
    open_from as (
      select (max(month) + interval '1 month')::date as month from commission_months
    ),
    -- Each sale's earning positions: the seller (tier 1) and their uplines (tier = depth + 1),
    -- read as one index range per seller, then the rule for each tier.
    chain as (
      select l.*, 1 as tier, l.seller_id as holder_id from lines l
      union all
      select l.*, u.depth + 1, u.upline_id from lines l
      join agent_uplines u on u.agent_id = l.seller_id and u.depth < ${settings.tiers}
    ),
    -- Every tier of every version with the span it is in force: from its start until the next
    -- version's of the same product and frequency (a handful of rows, read once by the index).
    rule_spans as (
      select r.id, r.product_id, r.frequency, r.tier, r.kind, r.amount_minor, r.rate_bp, r.cap_minor, r.requires_active, r.min_personal_sales,
             v.effective_at, v.ends_at
      from (
        select id, effective_at, lead(effective_at) over (partition by product_id, frequency order by effective_at) as ends_at
        from commission_rule_versions
      ) v
      join commission_rules r on r.version_id = v.id
    ),
    placed as (
      select c.*, r.id as rule_id, r.kind, r.amount_minor as fixed_minor, r.rate_bp, r.cap_minor, r.requires_active, r.min_personal_sales
      from chain c
      join rule_spans r
        on r.product_id = c.product_id and r.frequency = c.frequency and r.tier = c.tier
       and r.effective_at <= c.completed_at and (r.ends_at is null or r.ends_at > c.completed_at)
    ),
    judged as (
      select p.*, ${qualified(sql`a`, sql`p`)} as holder_qualified, a.status as holder_status
      from placed p join agents a on a.id = p.holder_id
    ),
    ${
      settings.unqualifiedShare === "pass_up"
        ? passedUp()
        : compress
          ? compressed(settings)
          : sql`earned as (select j.*, j.holder_id as earner_id, null::uuid as passed_from_id, null::text as moved_reason from judged j where j.holder_qualified),`
    }
    amounts as (
      select x.*, case when x.kind = 'fixed' then x.fixed_minor else round(x.base_minor::numeric * x.rate_bp / 10000)::bigint end as amount_minor,
             greatest(x.month, coalesce((select month from open_from), x.month)) as entry_month
      from earned x
    )
  `;
}

const ENTRY_COLUMNS = sql`
  kind, agent_id, month, amount_minor, currency, transaction_id, order_item_id, product_id, frequency,
  tier, rule_id, seller_agent_id, passed_from_agent_id, moved_reason, base_minor, rate_bp, earned_at, withheld_minor, withheld_reason
`;

/** An entry's values from an `amounts` row `x`, paying `paid` of what it earned. */
function entryValues(settings: LedgerSettings, paid: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    'earning', x.earner_id, x.entry_month, ${paid}, ${settings.currency}, x.transaction_id, x.order_item_id, x.product_id,
    x.frequency, x.tier, x.rule_id, x.seller_id, x.passed_from_id, x.moved_reason, x.base_minor, x.rate_bp,
    x.completed_at, nullif(x.amount_minor - ${paid}, 0), case when ${paid} < x.amount_minor then 'cap' end
  `;
}

function plainInsert(settings: LedgerSettings): RawBuilder<unknown> {
  return sql`
    insert into commission_entries (${ENTRY_COLUMNS})
    select ${entryValues(settings, sql`x.amount_minor`)}
    from amounts x
    where x.amount_minor > 0
    on conflict (tenant_id, transaction_id, order_item_id, tier) where kind = 'earning' do nothing
  `;
}

/**
 * Running caps (decision 011): an earning under a capped rule pays only what is left of the
 * agent's cap for that rule and month, and records the rest as withheld. What is left is read
 * from the month's `commission_cap_usage` row, locked here, so workers capping the same agent
 * take turns and the second reads what the first paid (a locked row is re-read at its latest
 * committed version). Within one run, earnings take what is left in the order they were paid.
 * Whatever the order or concurrency, an agent's month pays min(earned, cap) for each rule: what
 * the close's cap entry used to take off.
 *
 * Earnings already written are left out before anything is counted, and the usage grows by what
 * the insert actually wrote, so a second worker on the same payment changes nothing.
 */
function cappedInsert(settings: LedgerSettings): RawBuilder<unknown> {
  return sql`,
    fresh as (
      select x.* from amounts x
      where x.amount_minor > 0
        and not exists (
          select 1 from commission_entries e
          where e.kind = 'earning' and e.transaction_id = x.transaction_id and e.order_item_id = x.order_item_id and e.tier = x.tier
        )
    ),
    usage as materialized (
      select u.month, u.agent_id, u.rule_id, u.paid_minor
      from commission_cap_usage u
      where (u.month, u.agent_id, u.rule_id) in (select entry_month, earner_id, rule_id from fresh where cap_minor is not null)
      order by u.month, u.agent_id, u.rule_id
      for update of u
    ),
    running as (
      select f.*, u.paid_minor as paid_before,
             sum(f.amount_minor) over (
               partition by f.entry_month, f.earner_id, f.rule_id
               order by f.completed_at, f.transaction_id, f.order_item_id
               rows between unbounded preceding and current row
             ) as earned_to_here
      from fresh f
      left join usage u on u.month = f.entry_month and u.agent_id = f.earner_id and u.rule_id = f.rule_id
    ),
    x as (
      select r.*,
             case when r.cap_minor is null then r.amount_minor
                  else greatest(0, least(r.cap_minor, r.paid_before + r.earned_to_here)
                                   - least(r.cap_minor, r.paid_before + r.earned_to_here - r.amount_minor))
             end::bigint as pays_minor
      from running r
    ),
    written as (
      insert into commission_entries (${ENTRY_COLUMNS})
      select ${entryValues(settings, sql`x.pays_minor`)}
      from x
      on conflict (tenant_id, transaction_id, order_item_id, tier) where kind = 'earning' do nothing
      returning month, agent_id, rule_id, amount_minor
    ),
    used as (
      update commission_cap_usage u set paid_minor = u.paid_minor + w.paid
      from (select month, agent_id, rule_id, sum(amount_minor) as paid from written group by month, agent_id, rule_id) w
      where u.month = w.month and u.agent_id = w.agent_id and u.rule_id = w.rule_id
    )
    select count(*)::int as written from written
  `;
}

/** The cap rows the selected payments' capped earnings will count against, created if missing. */
function capUsageRows(settings: LedgerSettings, selection: PaymentSelection): RawBuilder<unknown> {
  return sql`${earnings(settings, selection)}
    insert into commission_cap_usage (month, agent_id, rule_id)
    select distinct entry_month, earner_id, rule_id from amounts
    where cap_minor is not null and amount_minor > 0
    order by 1, 2, 3
    on conflict do nothing
  `;
}

/**
 * An unqualified agent's share, when the tenant passes it up: to the nearest qualified upline
 * above (the `judged` rows are the ledger statement's).
 */
function passedUp(): RawBuilder<unknown> {
  return sql`
    passed as (
      select distinct on (j.transaction_id, j.order_item_id, j.tier) j.transaction_id, j.order_item_id, j.tier, u.upline_id as agent_id
      from judged j
      join agent_uplines u on u.agent_id = j.seller_id and u.depth > j.tier - 1 and u.depth < ${NETWORK_LEVELS}
      join agents a on a.id = u.upline_id
      where not j.holder_qualified and ${qualified(sql`a`, sql`j`)}
      order by j.transaction_id, j.order_item_id, j.tier, u.depth
    ),
    earned as (
      select j.*, case when j.holder_qualified then j.holder_id else p.agent_id end as earner_id,
             case when not j.holder_qualified then j.holder_id end as passed_from_id,
             case when not j.holder_qualified then ${disqualification(sql`j.holder_status`, sql`j`)} end as moved_reason
      from judged j
      left join passed p on p.transaction_id = j.transaction_id and p.order_item_id = j.order_item_id and p.tier = j.tier
      where j.holder_qualified or p.agent_id is not null
    ),`;
}

/**
 * Compression: the chain closes up past unqualified agents (the greedy walk `distributeShares`
 * describes), one step per tier. Each step takes the first upline above the last one placed who
 * qualifies under the next tier's rule in force, and remembers the nearest agent it went past and
 * why; steps after it carry that on. Tier 1 is always the seller's place, paid only if they
 * qualify. The `lines` and `rule_spans` rows are the ledger statement's.
 */
function compressed(settings: LedgerSettings): RawBuilder<unknown> {
  const ruleInForce = (w: RawBuilder<unknown>, tier: RawBuilder<unknown>) => sql`
    r.product_id = ${w}.product_id and r.frequency = ${w}.frequency and r.tier = ${tier}
    and r.effective_at <= ${w}.completed_at and (r.ends_at is null or r.ends_at > ${w}.completed_at)`;
  return sql`
    walk as (
      select l.transaction_id, l.order_item_id, l.seller_id, l.product_id, l.frequency, l.completed_at, l.month_start,
             1 as tier, 0 as depth, l.seller_id as earner_id, r.id as rule_id,
             (r.id is not null and ${qualified(sql`a`, sql`r`, sql`l`)}) as paid,
             null::uuid as passed_from_id, null::text as moved_reason
      from lines l
      join agents a on a.id = l.seller_id
      left join rule_spans r on ${ruleInForce(sql`l`, sql`1`)}
      union all
      select w.transaction_id, w.order_item_id, w.seller_id, w.product_id, w.frequency, w.completed_at, w.month_start,
             w.tier + 1, n.depth, n.upline_id, r.id, r.id is not null,
             coalesce(n.skipped_id, w.passed_from_id), coalesce(n.skipped_reason, w.moved_reason)
      from walk w
      left join rule_spans r on ${ruleInForce(sql`w`, sql`w.tier + 1`)}
      cross join lateral (
        select u.depth, u.upline_id, s.upline_id as skipped_id,
               case when s.upline_id is not null then ${disqualification(sql`sa.status`, sql`r`)} end as skipped_reason
        from agent_uplines u
        join agents a on a.id = u.upline_id
        left join agent_uplines s on s.agent_id = w.seller_id and s.depth = u.depth - 1 and s.depth > w.depth
        left join agents sa on sa.id = s.upline_id
        where u.agent_id = w.seller_id and u.depth > w.depth and u.depth < ${NETWORK_LEVELS}
          and (r.id is null or ${qualified(sql`a`, sql`r`, sql`w`)})
        order by u.depth
        limit 1
      ) n
      where w.tier < ${settings.tiers}
    ),
    earned as (
      select l.*, w.tier, w.earner_id, w.rule_id, r.kind, r.amount_minor as fixed_minor, r.rate_bp, r.cap_minor, w.passed_from_id, w.moved_reason
      from walk w
      join lines l on l.transaction_id = w.transaction_id and l.order_item_id = w.order_item_id
      join commission_rules r on r.id = w.rule_id
      where w.paid
    ),`;
}

/** The first month not yet closed, given the month a thing happened in. */
export async function openMonthFor(db: TenantDb, month: string): Promise<string> {
  const row = await db
    .selectFrom("commission_months")
    .select(sql<string | null>`to_char(max(month) + interval '1 month', 'YYYY-MM-DD')`.as("next"))
    .executeTakeFirst();
  return row?.next && row.next > month ? row.next : month;
}

/** The tenant's ledger settings: its zone and currency, and its network's tiers and unqualified-share rule. */
export async function ledgerSettingsFor(db: TenantDb, tenant: { timeZone: string; currency: string }): Promise<LedgerSettings> {
  const [network, capped] = await Promise.all([
    networkSettings(db),
    db.selectFrom("commission_rules").select("id").where("cap_minor", "is not", null).limit(1).executeTakeFirst(),
  ]);
  return {
    timeZone: tenant.timeZone,
    currency: tenant.currency,
    tiers: network.tiers,
    unqualifiedShare: network.unqualifiedShare,
    capped: capped !== undefined,
  };
}

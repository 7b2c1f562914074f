import { sql, type RawBuilder } from "kysely";
import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { decryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { bonusesToPay, monthBonusLines, writeMonthBonuses, type BonusLine } from "./bonuses.server";
import { addMonthsTo, monthLabel, monthOf, type Month } from "./months";

/**
 * The monthly close, all set-based so a month of a hundred thousand agents closes in one
 * transaction: caps are applied (a correcting "cap" entry per agent and rule over its cap), the
 * month's pending entries are approved, each agent gets a statement, and everyone with a positive
 * balance and bank details is put in one payout batch. A negative balance (clawbacks exceeding
 * earnings) or missing bank details carry over to the next close. A month closes once (its row's
 * primary key), only after it has ended, and only after the months before it.
 */

export interface MonthContext {
  timeZone: string;
  currency: string;
}

export interface PayoutLine {
  agentId: string;
  agentNumber: string;
  agentName: string;
  payableMinor: number;
  held: string | null;
}

/**
 * Why a month cannot be closed, with the month it names: the page words it in the reader's
 * language; `blockerText` is the English sentence (the close's refusal, logs).
 */
export interface CloseBlocker {
  code: "closed" | "not_ended" | "close_earlier" | "later_closed";
  month: Month;
}

export function blockerText(blocker: CloseBlocker): string {
  const month = monthLabel(blocker.month);
  switch (blocker.code) {
    case "closed":
      return `${month} is already closed.`;
    case "not_ended":
      return `${month} has not ended yet.`;
    case "close_earlier":
      return `Close ${month} first.`;
    case "later_closed":
      return `A later month (${month}) is already closed.`;
  }
}

export interface ClosePreview {
  month: Month;
  closed: boolean;
  canClose: boolean;
  blockers: CloseBlocker[];
  counts: { pending: number; approved: number; disputed: number; paid: number; adjusted: number };
  earnedMinor: number;
  capCuts: {
    agentId: string;
    agentNumber: string;
    agentName: string;
    productName: string;
    tier: number;
    earnedMinor: number;
    capMinor: number;
    cutMinor: number;
  }[];
  /** The month's bonuses: written, or what the close would write (decision 048). */
  bonuses: BonusLine[];
  payouts: PayoutLine[];
  payoutsCount: number;
  payoutTotalMinor: number;
  batch: { id: string; reference: string; status: "open" | "paid"; payoutsCount: number; totalMinor: number; paidAt: Date | null } | null;
  page: number;
  pageSize: number;
}

const PAGE_SIZE = 50;

async function isClosed(db: TenantDb, month: Month): Promise<boolean> {
  return (await db.selectFrom("commission_months").select("month").where("month", "=", month).executeTakeFirst()) !== undefined;
}

async function blockersFor(db: TenantDb, month: Month, closed: boolean, ctx: MonthContext, now: Date): Promise<CloseBlocker[]> {
  const blockers: CloseBlocker[] = [];
  if (closed) return [{ code: "closed", month }];
  if (month >= monthOf(now, ctx.timeZone)) blockers.push({ code: "not_ended", month });
  const last = await db
    .selectFrom("commission_months")
    .select(sql<string | null>`to_char(max(month), 'YYYY-MM-DD')`.as("m"))
    .executeTakeFirst();
  // Entries only land in open months: any before this one, after the last close, wait for a close.
  const earliestOpen = await db
    .selectFrom("commission_entries")
    .select(sql<string | null>`to_char(min(month), 'YYYY-MM-DD')`.as("m"))
    .where("month", "<", month)
    .where(sql<boolean>`month > coalesce((select max(month) from commission_months), '-infinity'::date)`)
    .executeTakeFirst();
  if (earliestOpen?.m) blockers.push({ code: "close_earlier", month: earliestOpen.m });
  if (last?.m && last.m > month) blockers.push({ code: "later_closed", month: last.m });
  return blockers;
}

/** Entry `e` was replaced by a dispute's adjusting entry: it counts for nothing any more. */
function replaced(e: RawBuilder<unknown>) {
  return sql<boolean>`exists (select 1 from commission_disputes d where d.entry_id = ${e}.id and d.status = 'adjusted')`;
}

/**
 * What a close of `month` pays, entry by entry (agent_id, amount_minor): the month's own entries
 * and those of agent-months carried over unpaid (their statement has no payout), less those a
 * dispute holds (open), replaced (adjusted) or held back from an earlier payout; plus held-back
 * entries whose dispute was since rejected and which no payout has taken yet. The workflow state
 * lives on statements and disputes (decision 011), so this reads no column of the entries but
 * their facts.
 */
function payableEntries(month: Month) {
  return sql<{ agent_id: string; amount_minor: number }>`
    select e.agent_id, e.amount_minor from (
      select e.id, e.agent_id, e.amount_minor from commission_entries e where e.month = ${month}
      union all
      select e.id, e.agent_id, e.amount_minor
      from commission_statements s
      join commission_entries e on e.agent_id = s.agent_id and e.month = s.month
      where s.payout_id is null and s.month < ${month}
    ) e
    where not exists (
      select 1 from commission_disputes d
      where d.entry_id = e.id and (d.status in ('open', 'adjusted') or d.held_from_payout_id is not null)
    )
    union all
    select e.agent_id, e.amount_minor
    from commission_disputes d join commission_entries e on e.id = d.entry_id
    where d.status = 'rejected' and d.held_from_payout_id is not null and d.payout_id is null and e.month <= ${month}
  `;
}

/**
 * Caps that bit this month, per agent and rule: what was earned under the rule before any cap
 * (disputed entries included: they may yet stand) and how much the cap took. Since running caps
 * (migration 0036) the ledger writes an earning at what is left of the cap and records the rest as
 * withheld (`withheld`); for earnings written before, the close still writes one correcting entry
 * for what is over the cap (`over`). The preview shows both and takes `over` off the balances.
 */
function capCuts(month: Month) {
  return sql<{
    agent_id: string;
    rule_id: string;
    product_id: string;
    frequency: string;
    tier: number;
    cap_minor: number;
    earned: number;
    over: number;
    cut: number;
  }>`
    select agent_id, rule_id, product_id, frequency, tier, cap_minor, earned, over, withheld + over as cut
    from (
      select e.agent_id, r.id as rule_id, r.product_id, r.frequency, r.tier, r.cap_minor,
             sum(e.amount_minor + coalesce(e.withheld_minor, 0))::bigint as earned,
             coalesce(sum(e.withheld_minor), 0)::bigint as withheld,
             greatest(sum(e.amount_minor) - r.cap_minor, 0)::bigint as over
      from commission_entries e join commission_rules r on r.id = e.rule_id
      where e.month = ${month} and e.kind = 'earning' and r.cap_minor is not null and not ${replaced(sql`e`)}
      group by e.agent_id, r.id, r.product_id, r.frequency, r.tier, r.cap_minor
    ) c
    where withheld > 0 or over > 0
  `;
}

/**
 * An agency that pays agents by M-Pesa B2C (decision 047) pays to the agent's phone: a phone is
 * enough to be in the batch there. Elsewhere only bank details are.
 */
const PAYS_BY_PHONE = sql<boolean>`exists (select 1 from payment_providers where provider = 'mpesa' and enabled)`;

export async function previewClose(
  db: TenantDb,
  input: { month: Month; page?: number } & MonthContext,
  now = new Date(),
): Promise<ClosePreview> {
  const { month } = input;
  const page = Math.max(1, Math.floor(input.page ?? 1) || 1);
  const closedRow = await isClosed(db, month);
  const blockers = await blockersFor(db, month, closedRow, input, now);
  const statusRows = await db
    .selectFrom("commission_entry_states")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n"), sql<number>`coalesce(sum(amount_minor), 0)::bigint`.as("total")])
    .where("month", "=", month)
    .groupBy("status")
    .execute();
  const counts = { pending: 0, approved: 0, disputed: 0, paid: 0, adjusted: 0 };
  let earnedMinor = 0;
  for (const r of statusRows) {
    counts[r.status] = Number(r.n);
    if (r.status !== "adjusted") earnedMinor += Number(r.total);
  }

  const cutRows = await sql<{
    agent_id: string;
    agent_number: string;
    name: string;
    product_name: string;
    tier: number;
    cap_minor: number;
    earned: number;
    cut: number;
  }>`
    select c.agent_id, a.agent_number, u.name, p.name as product_name, c.tier, c.cap_minor, c.earned, c.cut
    from (${capCuts(month)}) c join agents a on a.id = c.agent_id join users u on u.id = a.user_id join products p on p.id = c.product_id
    order by a.agent_number limit 200
  `.execute(db);
  const cuts: ClosePreview["capCuts"] = cutRows.rows.map((r) => ({
    agentId: r.agent_id,
    agentNumber: r.agent_number,
    agentName: r.name,
    productName: r.product_name,
    tier: r.tier,
    capMinor: Number(r.cap_minor),
    earnedMinor: Number(r.earned),
    cutMinor: Number(r.cut),
  }));
  const bonuses = await monthBonusLines(db, { ...input, closed: closedRow, now });

  const batchRow = await db.selectFrom("payout_batches").selectAll().where("month", "=", month).executeTakeFirst();
  let payouts: PayoutLine[];
  let payoutsCount: number;
  let payoutTotalMinor: number;
  if (closedRow) {
    const base = db
      .selectFrom("payouts as po")
      .innerJoin("payout_batches as b", "b.id", "po.batch_id")
      .innerJoin("agents as a", "a.id", "po.agent_id")
      .innerJoin("users as u", "u.id", "a.user_id")
      .where("b.month", "=", month);
    const totals = await base
      .select([(eb) => eb.fn.countAll<number>().as("n"), sql<number>`coalesce(sum(po.amount_minor), 0)::bigint`.as("total")])
      .executeTakeFirstOrThrow();
    const rows = await base
      .select(["po.agent_id", "a.agent_number", "u.name", "po.amount_minor"])
      .orderBy("a.agent_number")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute();
    payouts = rows.map((r) => ({
      agentId: r.agent_id,
      agentNumber: r.agent_number,
      agentName: r.name,
      payableMinor: r.amount_minor,
      held: null,
    }));
    payoutsCount = Number(totals.n);
    payoutTotalMinor = Number(totals.total);
  } else {
    // Bonuses are written by the close itself: the preview adds what it would write.
    const bonusesDue = await bonusesToPay(db, { ...input, now });
    const balances = sql`
      with cuts as (${capCuts(month)}),
      balances as (
        select agent_id, sum(amount_minor) as payable from (
          ${payableEntries(month)}
          union all
          select agent_id, -over from cuts where over > 0
          ${bonusesDue ? sql`union all ${bonusesDue}` : sql``}
        ) x group by agent_id
      )
      select b.agent_id, a.agent_number, u.name, b.payable::bigint as payable,
             case when b.payable <= 0 then 'Balance not positive: carried to the next month'
                  when a.bank_account_ciphertext is null and not (${PAYS_BY_PHONE} and a.phone is not null) then 'No bank details' end as held
      from balances b join agents a on a.id = b.agent_id join users u on u.id = a.user_id
    `;
    const totals = await sql<{ n: number; total: number }>`
      select count(*) filter (where held is null)::int as n, coalesce(sum(payable) filter (where held is null), 0)::bigint as total
      from (${balances}) q
    `.execute(db);
    const rows = await sql<{ agent_id: string; agent_number: string; name: string; payable: number; held: string | null }>`
      select * from (${balances}) q order by held nulls first, agent_number limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}
    `.execute(db);
    payouts = rows.rows.map((r) => ({
      agentId: r.agent_id,
      agentNumber: r.agent_number,
      agentName: r.name,
      payableMinor: Number(r.payable),
      held: r.held,
    }));
    payoutsCount = Number(totals.rows[0]?.n ?? 0);
    payoutTotalMinor = Number(totals.rows[0]?.total ?? 0);
  }

  return {
    month,
    closed: Boolean(closedRow),
    canClose: blockers.length === 0,
    blockers,
    counts,
    earnedMinor,
    capCuts: cuts,
    bonuses,
    payouts,
    payoutsCount,
    payoutTotalMinor,
    batch: batchRow
      ? {
          id: batchRow.id,
          reference: batchRow.reference,
          status: batchRow.status,
          payoutsCount: batchRow.payouts_count,
          totalMinor: batchRow.total_minor,
          paidAt: batchRow.paid_at,
        }
      : null,
    page,
    pageSize: PAGE_SIZE,
  };
}

export type CloseResult =
  | { ok: true; statements: number; payouts: number; totalMinor: number; batchId: string | null }
  | { ok: false; reason: string; blockers: CloseBlocker[] };

export async function closeMonth(
  db: TenantDb,
  input: { month: Month; actorUserId: string | null } & MonthContext,
  now = new Date(),
): Promise<CloseResult> {
  const { month } = input;
  await sql`select pg_advisory_xact_lock(hashtextextended('commission_close:' || current_tenant_id()::text, 0))`.execute(db);
  const blockers = await blockersFor(db, month, await isClosed(db, month), input, now);
  if (blockers.length > 0) return { ok: false, reason: blockers.map(blockerText).join(" "), blockers };
  await writeMonthBonuses(db, { ...input, now });

  // 1. Caps on earnings written before running caps: one correcting entry per agent and rule over its cap.
  await sql`
    insert into commission_entries (kind, agent_id, month, amount_minor, currency, rule_id, product_id, frequency, tier, earned_at, note)
    select 'cap', c.agent_id, ${month}::date, -c.over, ${input.currency}, c.rule_id, c.product_id, c.frequency, c.tier,
           ${now}, 'Monthly cap of this rule reached'
    from (${capCuts(month)}) c
    where c.over > 0
    on conflict (tenant_id, month, agent_id, rule_id) where kind = 'cap' do nothing
  `.execute(db);

  // 2. Per agent: the month's figures and everything payable up to this month (payableEntries).
  //    The statement and payout ids are drawn here, in an analysed temporary table, so every later
  //    step joins it by hash instead of probing tables written in this transaction.
  await sql`
    create temporary table close_agents on commit drop as
    with month_entries as (
      select e.agent_id, (sum(e.amount_minor) filter (where not ${replaced(sql`e`)}))::bigint as earned, count(*)::int as entries
      from commission_entries e where e.month = ${month} group by e.agent_id
    ),
    balances as (
      select agent_id, sum(amount_minor)::bigint as payable from (${payableEntries(month)}) p group by agent_id
    )
    select coalesce(m.agent_id, b.agent_id) as agent_id, coalesce(m.earned, 0) as earned, coalesce(m.entries, 0) as entries,
           coalesce(b.payable, 0) as payable, gen_random_uuid() as statement_id,
           case when b.payable > 0 and (a.bank_account_ciphertext is not null or (${PAYS_BY_PHONE} and a.phone is not null))
                then gen_random_uuid() end as payout_id
    from month_entries m
    full join balances b on b.agent_id = m.agent_id
    join agents a on a.id = coalesce(m.agent_id, b.agent_id)
  `.execute(db);
  await sql`analyze close_agents`.execute(db);

  const totals = await sql<{ entries: number; agents: number; total: number }>`
    select coalesce(sum(entries), 0)::int as entries, count(*) filter (where entries > 0)::int as agents, coalesce(sum(earned), 0)::bigint as total
    from close_agents
  `.execute(db);
  const t = totals.rows[0]!;
  await db
    .insertInto("commission_months")
    .values({
      month,
      closed_by: input.actorUserId,
      entries_count: t.entries,
      agents_count: t.agents,
      total_minor: Number(t.total),
      currency: input.currency,
    })
    .execute();

  // 3. The payout batch: positive balances of agents with bank details.
  const payable = await sql<{ n: number; total: number }>`
    select count(*)::int as n, coalesce(sum(payable), 0)::bigint as total from close_agents where payout_id is not null
  `.execute(db);
  let batchId: string | null = null;
  const p = payable.rows[0]!;
  if (p.n > 0) {
    const batch = await db
      .insertInto("payout_batches")
      .values({ month, reference: `PAY-${month.slice(0, 7)}`, payouts_count: p.n, total_minor: Number(p.total), currency: input.currency })
      .returning("id")
      .executeTakeFirstOrThrow();
    batchId = batch.id;
    await sql`
      insert into payouts (id, batch_id, agent_id, amount_minor)
      select payout_id, ${batchId}::uuid, agent_id, payable from close_agents where payout_id is not null
    `.execute(db);

    // 4. Disputes, before the statements move (they read which agent-months are unpaid): an entry a
    //    dispute holds while its agent-month goes into a payout is held back from it, and a
    //    held-back entry whose dispute was rejected goes into this one. A few rows, never the ledger.
    await sql`
      update commission_disputes d set held_from_payout_id = t.payout_id
      from commission_entries e, close_agents t
      where d.status = 'open' and d.held_from_payout_id is null and e.id = d.entry_id
        and t.agent_id = e.agent_id and t.payout_id is not null and e.month <= ${month}
        and (e.month = ${month} or exists (
          select 1 from commission_statements s where s.agent_id = e.agent_id and s.month = e.month and s.payout_id is null))
    `.execute(db);
    await sql`
      update commission_disputes d set payout_id = t.payout_id
      from commission_entries e, close_agents t
      where d.status = 'rejected' and d.held_from_payout_id is not null and d.payout_id is null and e.id = d.entry_id
        and e.month <= ${month} and t.agent_id = e.agent_id and t.payout_id is not null
    `.execute(db);
    // Agent-months carried over unpaid are paid by this payout now.
    await sql`
      update commission_statements s set payout_id = t.payout_id
      from close_agents t
      where s.agent_id = t.agent_id and t.payout_id is not null and s.payout_id is null and s.month < ${month}
    `.execute(db);
  }

  // 5. Statements: every agent with entries this month or a balance brought forward; the payout
  //    that pays the agent-month is its workflow state (no entry is written to).
  const statements = await sql`
    insert into commission_statements (id, month, agent_id, earned_minor, payable_minor, entries_count, payout_id)
    select statement_id, ${month}::date, agent_id, earned, payable, entries, payout_id from close_agents
  `.execute(db);

  // 6. Statement PDFs are made by jobs, a few hundred at a time.
  const tenant = await sql<{ id: string }>`select current_tenant_id() as id`.execute(db);
  const tenantId = tenant.rows[0]!.id;
  await addJob(db, "commission_statements", { tenantId, month }, { jobKey: `commission_statements:${tenantId}:${month}` });
  return {
    ok: true,
    statements: Number(statements.numAffectedRows ?? 0),
    payouts: p.n,
    totalMinor: Number(p.total),
    batchId,
  };
}

/**
 * Marks a payout batch paid (the bank transfer went out). Its entries are paid from that moment:
 * an entry's state is its agent-month's payout's batch (decision 011), so a batch of millions of
 * entries is one row written. A job (`commission_batch_paid`) then tells each agent.
 */
export async function payBatch(
  db: TenantDb,
  /** actorUserId null: paid by its payouts' results (agent-payouts.server.ts), not by a person. */
  input: { batchId: string; actorUserId: string | null },
): Promise<{ ok: true; payouts: number } | { ok: false; reason: string }> {
  const batch = await db
    .selectFrom("payout_batches")
    .select(["id", "status", "payouts_count"])
    .where("id", "=", input.batchId)
    .forUpdate()
    .executeTakeFirst();
  if (!batch) return { ok: false, reason: "There is no such payout batch." };
  if (batch.status === "paid") return { ok: false, reason: "This batch is already marked paid." };
  await db
    .updateTable("payout_batches")
    .set({ status: "paid", paid_at: new Date(), paid_by: input.actorUserId })
    .where("id", "=", batch.id)
    .execute();
  await recordStateChange(db, {
    entity: "payout_batch",
    entityId: batch.id,
    from: "open",
    to: "paid",
    event: "pay",
    actorUserId: input.actorUserId,
  });
  const tenant = await sql<{ id: string }>`select current_tenant_id() as id`.execute(db);
  const tenantId = tenant.rows[0]!.id;
  await addJob(db, "commission_batch_paid", { tenantId, batchId: batch.id }, { jobKey: `commission_batch_paid:${tenantId}:${batch.id}` });
  return { ok: true, payouts: batch.payouts_count };
}

/**
 * The ended months, up to `lastEnded`, that still have entries waiting for a close, oldest first
 * (what the monthly close closes). Only months after the last close can hold pending entries
 * (entries land in open months): one index probe per such month, never a scan of the closed
 * months' ledger.
 */
export async function monthsWaitingToClose(db: TenantDb, lastEnded: Month): Promise<Month[]> {
  const rows = await sql<{ month: string }>`
    select to_char(m, 'YYYY-MM-DD') as month
    from generate_series(
      coalesce((select max(month) + interval '1 month' from commission_months), (select min(month) from commission_entries)),
      ${lastEnded}::date, interval '1 month'
    ) m
    where exists (select 1 from commission_entries e where e.month = m::date)
    order by m
  `.execute(db);
  return rows.rows.map((r) => r.month);
}

/** The bank-transfer file of a batch: header and one row per agent, account numbers in full. */
export async function payoutCsv(db: TenantDb, input: { batchId: string; tenantId: string }): Promise<string[][] | null> {
  const batch = await db
    .selectFrom("payout_batches")
    .select(["id", "reference", "currency"])
    .where("id", "=", input.batchId)
    .executeTakeFirst();
  if (!batch) return null;
  const rows = await db
    .selectFrom("payouts as po")
    .innerJoin("agents as a", "a.id", "po.agent_id")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select(["a.agent_number", "u.name", "a.bank_name", "a.bank_account_holder", "a.bank_account_ciphertext", "po.amount_minor"])
    .where("po.batch_id", "=", batch.id)
    .orderBy("a.agent_number")
    .execute();
  const key = piiKeysFromEnv();
  const context = piiContext(input.tenantId, "bank_account");
  return [
    ["Reference", "Agent number", "Agent name", "Bank", "Account holder", "Account number", "Amount", "Currency"],
    ...rows.map((r) => [
      `${batch.reference}-${r.agent_number}`,
      r.agent_number,
      r.name,
      r.bank_name ?? "",
      r.bank_account_holder ?? "",
      r.bank_account_ciphertext ? decryptPii(r.bank_account_ciphertext, { key, context }) : "",
      (r.amount_minor / 100).toFixed(2),
      batch.currency,
    ]),
  ];
}

export interface CommissionMonthRow {
  month: Month;
  status: "open" | "closed";
  entries: number;
  totalMinor: number;
  closedAt: Date | null;
  batch: { id: string; reference: string; status: "open" | "paid"; totalMinor: number } | null;
}

/** Every month with commission activity or a close, newest first, plus the month that ended last if still open. */
export async function commissionMonths(db: TenantDb, input: { timeZone: string }, now = new Date()): Promise<CommissionMonthRow[]> {
  const rows = await sql<{
    month: string;
    entries: number;
    total: number;
    closed_at: Date | null;
    batch_id: string | null;
    reference: string | null;
    batch_status: "open" | "paid" | null;
    batch_total: number | null;
  }>`
    with activity as (
      select e.month, count(*)::int as entries, coalesce(sum(e.amount_minor) filter (where not ${replaced(sql`e`)}), 0)::bigint as total
      from commission_entries e group by e.month
    )
    select to_char(coalesce(a.month, m.month), 'YYYY-MM-DD') as month, coalesce(a.entries, 0) as entries, coalesce(a.total, 0) as total,
           m.closed_at, b.id as batch_id, b.reference, b.status as batch_status, b.total_minor as batch_total
    from activity a
    full join commission_months m on m.month = a.month
    left join payout_batches b on b.month = coalesce(a.month, m.month)
    order by 1 desc
  `.execute(db);
  const list: CommissionMonthRow[] = rows.rows.map((r) => ({
    month: r.month,
    status: r.closed_at ? "closed" : "open",
    entries: r.entries,
    totalMinor: Number(r.total),
    closedAt: r.closed_at,
    batch: r.batch_id ? { id: r.batch_id, reference: r.reference!, status: r.batch_status!, totalMinor: Number(r.batch_total) } : null,
  }));
  const lastEnded = addMonthsTo(monthOf(now, input.timeZone), -1);
  if (!list.some((r) => r.month === lastEnded))
    list.push({ month: lastEnded, status: "open", entries: 0, totalMinor: 0, closedAt: null, batch: null });
  return list.sort((a, b) => (a.month < b.month ? 1 : -1));
}

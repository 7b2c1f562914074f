import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { addMonths, coverEndDate } from "~/modules/policies/schedule";
import { addDays, daysBetween } from "~/modules/rating/dates";
import type { DemoClock } from "./clock.server";

/**
 * Why the demo history is moved back in time after it is played, and what moves.
 *
 * The stories run through the app's own modules, and those stamp the present: the database's now()
 * on a completed payment and a paid order, today's date as a policy's first day of cover. Giving
 * every one of them a clock to set would change payments, issuance and checkout for the sake of a
 * demo, so instead each story runs now and notes here when it really happened; then this one pass,
 * for demo data only, moves the rows it made back to those moments:
 *
 * - an order, and with it its quotes, cart, identifiers, uploads, payments (their provider events
 *   and receipts) and the policies it issued, by how far its payment moves;
 * - a later payment (an instalment, an offline payment confirmed days after it was recorded);
 * - a policy's cover: its first day becomes the day it was issued or approved, and its end and
 *   instalment due dates follow from it by the policy schedule's own rules (app/modules/policies/schedule.ts);
 * - people (accounts, members) and the emails their sign-up sent, to when they joined.
 *
 * What does not move: the append-only records (state_changes, audit_log, gateway_log refuse any
 * update, whoever asks), which keep the moment the seed ran, which is when those writes happened.
 * Commission entries are written after this pass (the ledger reads the payments' moved times), so
 * they need no moving but their created_at. The premium schedule runs after it too.
 */
export class HistoryTimes {
  readonly orders: { orderId: string; startedAt: Date; paidAt: Date | null }[] = [];
  readonly payments: { transactionId: string; at: Date; recordedAt?: Date }[] = [];
  readonly covers: { policyId: string; issuedAt: Date }[] = [];
  readonly people: { userId: string; at: Date }[] = [];
  readonly members: { memberId: string; at: Date }[] = [];
  readonly messages: { messageId: string; at: Date }[] = [];
  /** Each claim's steps: when the step was played (`real`) and when it happened in the story (`at`). */
  readonly claims: { claimId: string; marks: { real: Date; at: Date }[] }[] = [];
}

const ids = (list: string[]) => sql`${list}::uuid[]`;
const instants = (list: Date[]) => sql`${list.map((d) => d.toISOString())}::timestamptz[]`;

export async function applyHistoryTimes(db: TenantDb, clock: DemoClock, times: HistoryTimes): Promise<void> {
  await moveOrders(db, clock, times.orders);
  await movePayments(db, times.payments);
  await moveCovers(db, clock, times.covers);
  await movePeople(db, times);
}

async function moveOrders(db: TenantDb, clock: DemoClock, orders: HistoryTimes["orders"]): Promise<void> {
  if (orders.length === 0) return;
  // How far each order moves: its payment to when it was paid (an unpaid order: its start).
  await sql`
    create temporary table demo_order_shift on commit drop as
    select o.id as order_id, o.cart_id, m.started_at, m.paid_at,
           coalesce(m.paid_at - o.paid_at, m.started_at - o.created_at) as delta
    from unnest(${ids(orders.map((o) => o.orderId))}, ${instants(orders.map((o) => o.startedAt))},
                ${sql`${orders.map((o) => o.paidAt?.toISOString() ?? null)}::timestamptz[]`}) as m(id, started_at, paid_at)
    join orders o on o.id = m.id
  `.execute(db);
  // The customer priced and carted the cover a few minutes before starting checkout.
  await sql`
    update quotes q set created_at = s.started_at - interval '6 minutes',
           valid_until = s.started_at - interval '6 minutes' + (q.valid_until - q.created_at),
           breakdown = jsonb_set(q.breakdown, '{quoteDate}',
             to_jsonb(to_char((s.started_at - interval '6 minutes') at time zone ${clock.timeZone}, 'YYYY-MM-DD')))
    from order_items oi join demo_order_shift s on s.order_id = oi.order_id
    where q.id = oi.quote_id
  `.execute(db);
  await sql`
    update carts c set created_at = s.started_at - interval '6 minutes', updated_at = coalesce(s.paid_at, s.started_at)
    from demo_order_shift s where c.id = s.cart_id
  `.execute(db);
  await sql`update cart_items ci set added_at = s.started_at - interval '5 minutes' from demo_order_shift s where ci.cart_id = s.cart_id`.execute(
    db,
  );
  for (const table of ["personal_identifiers", "uploads"] as const) {
    await sql`
      update ${sql.table(table)} x set created_at = s.started_at + interval '1 minute' from demo_order_shift s where x.order_id = s.order_id
    `.execute(db);
  }
  // Payments and what hangs on them move with the order, keeping their minutes and seconds apart.
  await sql`
    update provider_events pe set received_at = pe.received_at + s.delta, processed_at = pe.processed_at + s.delta
    from transactions t join demo_order_shift s on s.order_id = t.order_id where pe.transaction_id = t.id
  `.execute(db);
  await sql`
    update receipts r set created_at = r.created_at + s.delta
    from transactions t join demo_order_shift s on s.order_id = t.order_id where r.transaction_id = t.id
  `.execute(db);
  await sql`
    update instalments i set paid_at = i.paid_at + s.delta
    from transactions t join demo_order_shift s on s.order_id = t.order_id where i.transaction_id = t.id
  `.execute(db);
  await sql`
    update transactions t set created_at = t.created_at + s.delta, updated_at = t.updated_at + s.delta,
           completed_at = t.completed_at + s.delta
    from demo_order_shift s where t.order_id = s.order_id
  `.execute(db);
  await sql`
    update policies p set created_at = p.created_at + s.delta, updated_at = p.updated_at + s.delta, issued_at = p.issued_at + s.delta
    from demo_order_shift s where p.order_id = s.order_id
  `.execute(db);
  await sql`
    update orders o set created_at = s.started_at,
           terms_accepted_at = case when o.terms_accepted_at is not null then s.started_at + interval '3 minutes' end,
           paid_at = s.paid_at, updated_at = coalesce(s.paid_at, s.started_at + interval '3 minutes')
    from demo_order_shift s where o.id = s.order_id
  `.execute(db);
}

async function movePayments(db: TenantDb, payments: HistoryTimes["payments"]): Promise<void> {
  if (payments.length === 0) return;
  await sql`
    create temporary table demo_payment_shift on commit drop as
    select t.id as transaction_id, m.recorded_at, m.at - coalesce(t.completed_at, t.created_at) as delta
    from unnest(${ids(payments.map((p) => p.transactionId))}, ${instants(payments.map((p) => p.at))},
                ${sql`${payments.map((p) => p.recordedAt?.toISOString() ?? null)}::timestamptz[]`}) as m(id, at, recorded_at)
    join transactions t on t.id = m.id
  `.execute(db);
  await sql`
    update provider_events pe set received_at = pe.received_at + s.delta, processed_at = pe.processed_at + s.delta
    from demo_payment_shift s where pe.transaction_id = s.transaction_id
  `.execute(db);
  await sql`update receipts r set created_at = r.created_at + s.delta from demo_payment_shift s where r.transaction_id = s.transaction_id`.execute(
    db,
  );
  await sql`update instalments i set paid_at = i.paid_at + s.delta from demo_payment_shift s where i.transaction_id = s.transaction_id`.execute(
    db,
  );
  await sql`
    update transactions t set created_at = coalesce(s.recorded_at, t.created_at + s.delta), updated_at = t.updated_at + s.delta,
           completed_at = t.completed_at + s.delta
    from demo_payment_shift s where t.id = s.transaction_id
  `.execute(db);
}

/** Cover starts on the day it was issued (or approved): its end and instalments follow by the schedule's rules. */
async function moveCovers(db: TenantDb, clock: DemoClock, covers: HistoryTimes["covers"]): Promise<void> {
  if (covers.length === 0) return;
  const rows = await db
    .selectFrom("policies as p")
    .innerJoin("order_items as oi", "oi.id", "p.order_item_id")
    .select(["p.id", "p.start_date", "p.end_date", "oi.instalments_per_year"])
    .where(
      "p.id",
      "in",
      covers.map((c) => c.policyId),
    )
    .execute();
  const issuedAt = new Map(covers.map((c) => [c.policyId, c.issuedAt]));
  const policyIds: string[] = [];
  const starts: string[] = [];
  const ends: string[] = [];
  const issued: Date[] = [];
  const instalments: { policyId: string; sequence: number; due: string }[] = [];
  for (const row of rows) {
    if (!row.start_date || !row.end_date) continue;
    const at = issuedAt.get(row.id)!;
    const start = clock.dayOf(at);
    // A year of cover stays a year (whatever February does); a trip keeps its days.
    const end =
      row.end_date === coverEndDate(row.start_date) ? coverEndDate(start) : addDays(start, daysBetween(row.start_date, row.end_date));
    policyIds.push(row.id);
    starts.push(start);
    ends.push(end);
    issued.push(at);
    const step = 12 / (row.instalments_per_year ?? 1);
    for (let sequence = 1; sequence <= (row.instalments_per_year ?? 1); sequence++)
      instalments.push({ policyId: row.id, sequence, due: addMonths(start, (sequence - 1) * step) });
  }
  await sql`
    update policies p set start_date = m.start_date, end_date = m.end_date, issued_at = m.issued_at, updated_at = m.issued_at
    from unnest(${ids(policyIds)}, ${starts}::date[], ${ends}::date[], ${instants(issued)}) as m(id, start_date, end_date, issued_at)
    where p.id = m.id
  `.execute(db);
  await sql`
    update instalments i set due_date = m.due_date
    from unnest(${ids(instalments.map((i) => i.policyId))}, ${instalments.map((i) => i.sequence)}::int[],
                ${instalments.map((i) => i.due)}::date[]) as m(policy_id, sequence, due_date)
    where i.policy_id = m.policy_id and i.sequence = m.sequence
  `.execute(db);
}

async function movePeople(db: TenantDb, times: HistoryTimes): Promise<void> {
  const { people, members, messages } = times;
  if (people.length) {
    await sql`
      create temporary table demo_people on commit drop as
      select * from unnest(${ids(people.map((p) => p.userId))}, ${instants(people.map((p) => p.at))}) as m(user_id, at)
    `.execute(db);
    await sql`update users u set created_at = m.at, updated_at = greatest(m.at, u.email_verified_at) from demo_people m where u.id = m.user_id`.execute(
      db,
    );
    await sql`update user_roles r set granted_at = m.at from demo_people m where r.user_id = m.user_id`.execute(db);
    await sql`update password_history h set created_at = m.at from demo_people m where h.user_id = m.user_id`.execute(db);
  }
  if (members.length) {
    await sql`
      update members x set created_at = m.at, updated_at = m.at
      from unnest(${ids(members.map((p) => p.memberId))}, ${instants(members.map((p) => p.at))}) as m(id, at) where x.id = m.id
    `.execute(db);
  }
  if (messages.length) {
    await sql`
      update messages x set created_at = m.at
      from unnest(${ids(messages.map((p) => p.messageId))}, ${instants(messages.map((p) => p.at))}) as m(id, at) where x.id = m.id
    `.execute(db);
  }
}

/**
 * Claims, played after the pass above, move step by step: whatever a step wrote (between its mark
 * and the next step's) moves to when that step happened, keeping its seconds from the mark. A task's
 * due time moves with its start, so an SLA reads as long as it is and a claim left waiting for days
 * is overdue. What the worker writes later (letters, emails) is not moved: it happens when it runs.
 */
const CLAIM_COLUMNS: { table: string; claim: string; columns: string[] }[] = [
  { table: "claims", claim: "id", columns: ["created_at", "updated_at", "assessed_at", "decided_at", "appealed_at", "withdrawn_at"] },
  { table: "claim_documents", claim: "claim_id", columns: ["created_at", "reviewed_at"] },
  { table: "claim_requests", claim: "claim_id", columns: ["created_at", "answered_at"] },
  { table: "claim_approvals", claim: "claim_id", columns: ["created_at"] },
  { table: "claim_notes", claim: "claim_id", columns: ["created_at"] },
  { table: "claim_settlements", claim: "claim_id", columns: ["created_at", "updated_at", "sent_at", "paid_at"] },
  { table: "workflow_instances", claim: "subject_id", columns: ["started_at", "completed_at"] },
];

export async function applyClaimTimes(db: TenantDb, claims: HistoryTimes["claims"]): Promise<void> {
  const segments = claims.flatMap(({ claimId, marks }) =>
    marks.map((m, i) => ({ claimId, from: m.real, to: marks[i + 1]?.real ?? null, at: m.at })),
  );
  if (segments.length === 0) return;
  await sql`
    create temporary table demo_claim_steps on commit drop as
    select * from unnest(${ids(segments.map((s) => s.claimId))}, ${instants(segments.map((s) => s.from))},
                         ${sql`${segments.map((s) => s.to?.toISOString() ?? null)}::timestamptz[]`},
                         ${instants(segments.map((s) => s.at))}) as m(claim_id, real_from, real_to, at)
  `.execute(db);
  const moved = (column: string) => sql`s.at + (x.${sql.ref(column)} - s.real_from)`;
  const within = (column: string) => sql`x.${sql.ref(column)} >= s.real_from and (s.real_to is null or x.${sql.ref(column)} < s.real_to)`;
  for (const { table, claim, columns } of CLAIM_COLUMNS) {
    for (const column of columns) {
      await sql`
        update ${sql.table(table)} x set ${sql.ref(column)} = ${moved(column)}
        from demo_claim_steps s where s.claim_id = x.${sql.ref(claim)} and ${within(column)}
          ${table === "workflow_instances" ? sql`and x.subject = 'claim'` : sql``}
      `.execute(db);
    }
  }
  // Tasks: the start moves and the due time with it; then when each was completed.
  const tasks = sql`workflow_tasks x join workflow_instances i on i.id = x.instance_id and i.subject = 'claim'`;
  await sql`
    update workflow_tasks k set started_at = m.started_at, due_at = k.due_at + (m.started_at - k.started_at)
    from (select x.id, ${moved("started_at")} as started_at from ${tasks}
          join demo_claim_steps s on s.claim_id = i.subject_id and ${within("started_at")}) m
    where k.id = m.id
  `.execute(db);
  await sql`
    update workflow_tasks k set completed_at = m.completed_at
    from (select x.id, ${moved("completed_at")} as completed_at from ${tasks}
          join demo_claim_steps s on s.claim_id = i.subject_id and ${within("completed_at")}) m
    where k.id = m.id
  `.execute(db);
}

/** A moment some minutes after another (one step of a story after the one before). */
export function minutesLater(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}

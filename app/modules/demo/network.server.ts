import { sql } from "kysely";
import { withTenant } from "~db/client";
import { checkoutRequirements } from "~/modules/checkout/details.server";
import { detailsSchema } from "~/modules/checkout/schemas";
import { saveWithUploads } from "~/modules/checkout/uploads.server";
import { closeMonth, monthsWaitingToClose, payBatch } from "~/modules/commissions/close.server";
import { ledgerSettingsFor, recordCommissions } from "~/modules/commissions/ledger.server";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { getMember, registerMember, type MemberAgent } from "~/modules/members/members.server";
import {
  confirmSaleTerms,
  recordSalePayment,
  reviewVersion,
  saleOrder,
  saveSaleDetails,
  sendPaymentLink,
  startSale,
  suggestedDateOfBirth,
} from "~/modules/members/sale.server";
import { memberSchema } from "~/modules/members/schemas";
import { moveMember } from "~/modules/members/status.server";
import { confirmOfflinePayment } from "~/modules/payments/offline.server";
import { addDays } from "~/modules/rating/dates";
import { between, officeHours } from "./clock.server";
import { buyOnStorefront, followCover, quoteInput, scans, type StoryContext } from "./cover.server";
import type { HistoryMember, HistorySale } from "./manifest";
import { issue, payThroughSandbox } from "./pay.server";
import { minutesLater } from "./retime.server";

/**
 * An agent network's year (KHHoldings): agents register their members and sell to them through the
 * agent portal's own functions (app/modules/members/sale.server.ts); members pay through the link
 * by card, or hand the agent cash or a bank-in slip that staff confirm; then, once the history has
 * been moved back in time, the ledger, the monthly closes and the payouts run as their jobs do.
 */
export interface NetworkContext extends StoryContext {
  /** The agency's agents by email. */
  agents: Map<string, MemberAgent>;
  /** Confirms offline payments (staff). */
  staffId: string;
  /** Marks payout batches paid (an admin). */
  adminId: string;
}

export async function agentsByEmail(tenantId: string): Promise<Map<string, MemberAgent>> {
  const rows = await withTenant(tenantId, (db) =>
    db.selectFrom("agents as a").innerJoin("users as u", "u.id", "a.user_id").select(["a.id", "a.user_id", "u.name", "u.email"]).execute(),
  );
  return new Map(rows.map((r) => [r.email, { id: r.id, userId: r.user_id, name: r.name }]));
}

/** One member's story: registered by their agent, then each sale, then cover they bought themselves. */
export async function playMember(ctx: NetworkContext, story: HistoryMember): Promise<void> {
  const { tenant, clock } = ctx;
  const agent = ctx.agents.get(story.agent);
  if (!agent) throw new Error(`Demo member ${story.email}: no agent ${story.agent}`);
  const registeredAt = clock.at(clock.day(story.registered), officeHours(ctx.random));
  const input = memberSchema.parse({
    name: story.name,
    email: story.email,
    phone: story.phone,
    nric: story.nric,
    race: story.race,
    relationshipWithAgent: story.relationshipWithAgent,
    emergencyContactName: story.emergencyContact.name,
    emergencyContactPhone: story.emergencyContact.phone,
    emergencyContactRelationship: story.emergencyContact.relationship,
  });
  const registered = await withTenant(tenant.id, async (db) => {
    const result = await registerMember(db, tenant, agent, input, { origin: ctx.origin, ip: null });
    if (!result.ok) throw new Error(`Demo member ${story.email}: ${JSON.stringify(result.errors)}`);
    const emails = await db.selectFrom("messages").select("id").where("recipient", "=", input.email).execute();
    for (const email of emails) ctx.times.messages.push({ messageId: email.id, at: registeredAt });
    return result;
  });
  // Someone who already had an account here had opened it a while before.
  const joinedAt = registered.linkedExistingAccount ? clock.at(addDays(clock.dayOf(registeredAt), -30), 20 * 60) : registeredAt;
  ctx.times.people.push({ userId: registered.userId, at: joinedAt });
  ctx.times.members.push({ memberId: registered.memberId, at: registeredAt });

  const member = (await withTenant(tenant.id, (db) => getMember(db, agent.id, registered.memberId)))!;
  const dateOfBirth = (await withTenant(tenant.id, (db) => suggestedDateOfBirth(db, tenant, member.id)))!;
  const payer = { userId: member.userId, email: member.email, method: "card" as const, origin: ctx.origin };
  for (const sale of story.sales) await sell(ctx, agent, member, { ...story, dateOfBirth }, sale, payer);
  for (const purchase of story.purchases) {
    await buyOnStorefront(
      ctx,
      {
        userId: member.userId,
        email: member.email,
        name: story.name,
        phone: story.phone,
        dateOfBirth,
        address: story.address,
        identifiers: { nric: story.nric },
        beneficiary: story.beneficiary,
      },
      purchase,
    );
  }
  if (story.suspended) {
    const { reason, words } = story.suspended;
    const actor = { as: "agent" as const, agentId: agent.id, userId: agent.userId, ip: null };
    const moved = await withTenant(tenant.id, (db) =>
      moveMember(db, tenant, member.id, { event: "suspend", reasonCode: reason, reasonText: words }, actor, ctx.origin),
    );
    if (!moved.ok) throw new Error(`Demo member ${story.email}: suspending: ${JSON.stringify(moved)}`);
  }
}

type Member = NonNullable<Awaited<ReturnType<typeof getMember>>>;

/** An agent's sale to a member, step by step as the sell page takes it, then its payment. */
async function sell(
  ctx: NetworkContext,
  agent: MemberAgent,
  member: Member,
  story: HistoryMember & { dateOfBirth: string },
  sale: HistorySale,
  payer: Parameters<typeof followCover>[3],
): Promise<void> {
  const { tenant, clock } = ctx;
  const actor = { userId: agent.userId, ip: null };
  const startedAt = clock.at(clock.day(sale.ago), officeHours(ctx.random));
  const orderId = await withTenant(tenant.id, async (db) => {
    const form = await quoteInput(db, sale.product, sale.input);
    const started = await startSale(db, tenant, agent, member, { productSlug: sale.product, form, frequency: sale.frequency }, actor);
    if (!started.ok) throw new Error(`Demo sale of ${sale.product}: ${JSON.stringify(started.errors)}`);
    return started.orderId;
  });

  const order = (await withTenant(tenant.id, (db) => saleOrder(db, agent.id, member, orderId)))!;
  const needs = checkoutRequirements(tenant, order.lines);
  const details = detailsSchema({ kinds: needs.kinds, stored: needs.kinds, beneficiaries: needs.beneficiaries, today: clock.today }).parse({
    name: story.name,
    email: member.email,
    phone: story.phone,
    dateOfBirth: story.dateOfBirth,
    address: story.address,
    beneficiaries: [{ name: story.beneficiary.name, relationship: story.beneficiary.relationship, share: "100" }],
  });
  const errors = await saveWithUploads(
    tenant.id,
    orderId,
    needs.documents.map((d) => d.key),
    scans(needs),
    (db) => saveSaleDetails(db, tenant, order, member, details),
  );
  if (Object.keys(errors).length) throw new Error(`Demo sale details: ${JSON.stringify(errors)}`);
  await withTenant(tenant.id, async (db) => {
    const reviewed = (await saleOrder(db, agent.id, member, orderId))!;
    const accepted = await confirmSaleTerms(db, tenant, reviewed, reviewVersion(reviewed), actor);
    if (!accepted.ok) throw new Error(`Demo sale terms: ${JSON.stringify(accepted.errors)}`);
  });

  if (sale.payment === "card") {
    // The member gets the link by email and pays it by card within the hour.
    await withTenant(tenant.id, async (db) => {
      const ready = (await saleOrder(db, agent.id, member, orderId))!;
      const sent = await sendPaymentLink(db, tenant, agent, member, ready, ctx.origin, actor);
      if (!sent.ok) throw new Error(`Demo payment link: ${JSON.stringify(sent.errors)}`);
      const link = await db
        .selectFrom("messages")
        .select("id")
        .where("recipient", "=", member.email)
        .where("template", "=", "member_payment_link")
        .orderBy("created_at", "desc")
        .executeTakeFirstOrThrow();
      ctx.times.messages.push({ messageId: link.id, at: minutesLater(startedAt, 4) });
    });
    await payThroughSandbox(tenant, { orderId }, payer);
    const paidAt = minutesLater(startedAt, between(ctx.random, 10, 55));
    ctx.times.orders.push({ orderId, startedAt, paidAt });
    await followCover(ctx, orderId, paidAt, payer, sale);
    return;
  }

  // Cash or a bank-in: the agent records it with the receipt or slip number; staff confirm it.
  const recordedAt = minutesLater(startedAt, between(ctx.random, 5, 20));
  const reference = `${sale.payment === "cash" ? "CR" : "BI"}-${between(ctx.random, 100_000, 999_999)}`;
  const recorded = await withTenant(tenant.id, async (db) => {
    const ready = (await saleOrder(db, agent.id, member, orderId))!;
    return recordSalePayment(db, tenant, agent, ready, { method: sale.payment as "cash" | "bank_transfer", reference }, actor);
  });
  if (!recorded.ok) throw new Error(`Demo offline payment: ${JSON.stringify(recorded.errors)}`);
  if (sale.awaitingConfirmation) {
    ctx.times.orders.push({ orderId, startedAt, paidAt: null });
    ctx.times.payments.push({ transactionId: recorded.transactionId, at: recordedAt, recordedAt });
    return;
  }
  const confirmedAt = clock.at(addDays(clock.dayOf(recordedAt), sale.confirmedAfterDays), officeHours(ctx.random));
  const staff = ctx.staffId;
  const confirmed = await withTenant(tenant.id, (db) => confirmOfflinePayment(db, tenant.id, recorded.transactionId, { userId: staff }));
  if (!confirmed.ok) throw new Error(`Demo offline confirmation: ${confirmed.message}`);
  await issue(tenant, orderId);
  const paidAt = confirmedAt > recordedAt ? confirmedAt : minutesLater(recordedAt, 30);
  ctx.times.orders.push({ orderId, startedAt, paidAt });
  ctx.times.payments.push({ transactionId: recorded.transactionId, at: paidAt, recordedAt });
  await followCover(ctx, orderId, paidAt, payer, sale);
}

/**
 * The demo agents joined the network before the year began: the first (the network's head) a year
 * ago, each next one a few days after, in the order they were added (sponsors first); an agent
 * still waiting for approval applied a few days ago.
 */
export async function backdateAgents(ctx: StoryContext): Promise<void> {
  const { clock } = ctx;
  await withTenant(ctx.tenant.id, async (db) => {
    const agents = await db.selectFrom("agents").select(["id", "user_id", "status"]).orderBy("agent_number").execute();
    for (const [index, agent] of agents.entries()) {
      const joinedAt =
        agent.status === "pending"
          ? clock.at(clock.day({ months: 0, days: 3 }), officeHours(ctx.random))
          : clock.at(clock.day({ months: 11, days: Math.max(0, 30 - 3 * index) }), officeHours(ctx.random));
      const approvedAt = minutesLater(joinedAt, 26 * 60);
      await sql`
        update agents set created_at = ${joinedAt}, updated_at = ${approvedAt},
               approved_at = case when approved_at is not null then ${approvedAt}::timestamptz end,
               phone_verified_at = case when phone_verified_at is not null then ${approvedAt}::timestamptz end
        where id = ${agent.id}
      `.execute(db);
      await sql`update users set created_at = ${joinedAt} where id = ${agent.user_id} and created_at > ${joinedAt}`.execute(db);
    }
  });
}

/**
 * The commission side of the year, once its payments stand at their real times: the ledger for
 * every payment (the statement the `record_commissions` job runs, over the year at once), the
 * monthly close of every ended month (on the close day, by itself, as the hourly job does), and
 * each month's payout batch marked paid by an admin a few days later.
 */
export async function runCommissions(ctx: NetworkContext): Promise<void> {
  const { tenant, clock } = ctx;
  await withTenant(tenant.id, async (db) => {
    const settings = await ledgerSettingsFor(db, tenant);
    await recordCommissions(db, settings, { completedFrom: clock.at(clock.day({ months: 12, days: 0 }), 0), completedTo: clock.now });
    // The job runs moments after each payment: the entry was written when it was earned.
    await sql`update commission_entries set created_at = earned_at where kind = 'earning' and created_at >= ${clock.now}`.execute(db);
  });

  const lastEnded = addMonthsTo(monthOf(clock.now, tenant.timeZone), -1);
  const months = await withTenant(tenant.id, (db) => monthsWaitingToClose(db, lastEnded));
  for (const month of months) {
    const closed = await withTenant(tenant.id, (db) =>
      closeMonth(db, { month, timeZone: tenant.timeZone, currency: tenant.currency, actorUserId: null }, clock.now),
    );
    if (!closed.ok) throw new Error(`Demo close of ${month}: ${closed.reason}`);
    const next = addMonthsTo(month, 1);
    const closedAt = clock.at(next, 17);
    const paidAt = clock.at(addDays(next, 4), officeHours(ctx.random));
    await withTenant(tenant.id, async (db) => {
      await sql`update commission_months set closed_at = ${closedAt} where month = ${month}`.execute(db);
      await sql`update commission_statements set created_at = ${closedAt} where month = ${month}`.execute(db);
      await sql`update payout_batches set created_at = ${closedAt} where month = ${month}`.execute(db);
      if (!closed.batchId) return;
      const paid = await payBatch(db, { batchId: closed.batchId, actorUserId: ctx.adminId });
      if (!paid.ok) throw new Error(`Demo payout of ${month}: ${paid.reason}`);
      await sql`update payout_batches set paid_at = ${paidAt} where id = ${closed.batchId}`.execute(db);
    });
  }
}

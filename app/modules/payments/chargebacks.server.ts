import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import type { ChargebackStatus, ProviderName } from "~db/schema";
import { formatDateTime } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { PERMISSIONS } from "~/modules/auth/permissions";
import { notify } from "~/modules/notifications/notify.server";
import { ROLES } from "~/modules/tenancy/manifest";
import { tenantById, tenantOrigin } from "~/modules/tenancy/resolve.server";
import { daysBetween, quoteDateIn } from "~/modules/rating/dates";
import { chargebackMachine, start, transition, type ChargebackEvent } from "~/modules/workflows";
import { recordStateChange, timelineOf, type TimelineEntry } from "~/modules/workflows/timeline.server";
import type { DisputeEvent } from "./providers/index.server";

/**
 * Chargebacks: a cardholder disputes a payment with their bank and the provider tells us, event by
 * event (Stripe charge.dispute.*, Paystack charge.dispute.*). Each dispute is one row, found by the
 * provider's dispute id, and moves forward only (workflows/chargeback.ts): open → won | lost. An
 * event that arrives late or out of order (an `updated` after the `closed`) never reopens it.
 *
 * A lost chargeback is money gone for good: the payment's commissions are taken back by a job
 * (`commission_clawback`, keyed by the chargeback), exactly as for a refund. Whoever may refund
 * payments gets an email when a chargeback opens (the provider's deadline runs) and when it is
 * lost; staff see it on the payment's page (its chargebacks and timeline), in the list of every
 * chargeback (listChargebacks, open ones by their deadline) and on the overview while any is open.
 */

const OUTCOME_EVENT: Record<Exclude<ChargebackStatus, "open">, ChargebackEvent> = { won: "win", lost: "lose" };

/** One dispute event for a payment we know, applied under the caller's lock on the provider event. */
export async function applyDisputeEvent(
  db: TenantDb,
  tenantId: string,
  transactionId: string,
  provider: ProviderName,
  event: DisputeEvent,
): Promise<string> {
  const tx = await db
    .selectFrom("transactions")
    .select(["id", "amount_minor", "currency"])
    .where("id", "=", transactionId)
    .executeTakeFirstOrThrow();
  const now = new Date();
  const occurredAt = validDate(event.occurredAt) ?? now;
  const currency = (event.currency ?? tx.currency).toUpperCase();
  const decided = event.outcome !== "open";

  const inserted = await db
    .insertInto("chargebacks")
    .values({
      transaction_id: tx.id,
      provider,
      provider_dispute_ref: event.disputeRef,
      amount_minor: event.amountMinor ?? tx.amount_minor,
      currency,
      reason: event.reason ?? null,
      status: event.outcome,
      provider_status: event.providerStatus,
      opened_at: validDate(event.openedAt) ?? occurredAt,
      respond_by: validDate(event.respondBy) ?? null,
      closed_at: decided ? occurredAt : null,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "provider", "provider_dispute_ref"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    const started = start(chargebackMachine, inserted.status);
    if (!started.ok) throw new Error(started.reason);
    await recordStateChange(db, {
      entity: "chargeback",
      entityId: inserted.id,
      from: null,
      to: inserted.status,
      event: started.event,
      reason: describe(inserted),
    });
    if (inserted.status !== "won") await tellStaff(db, tenantId, inserted);
    if (inserted.status === "lost") return lost(db, tenantId, inserted, tx.currency);
    return `chargeback_${inserted.status === "open" ? "opened" : inserted.status}`;
  }

  // Heard of before: lock it, so two events of one dispute are applied one after the other.
  const existing = await db
    .selectFrom("chargebacks")
    .selectAll()
    .where("provider", "=", provider)
    .where("provider_dispute_ref", "=", event.disputeRef)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (existing.status !== "open") return `ignored_chargeback_already_${existing.status}`;
  // Still open at the provider: keep its latest words (status, deadline, amount) for staff.
  if (!decided) {
    await db
      .updateTable("chargebacks")
      .set({
        provider_status: event.providerStatus,
        respond_by: validDate(event.respondBy) ?? existing.respond_by,
        amount_minor: event.amountMinor ?? existing.amount_minor,
        reason: event.reason ?? existing.reason,
        updated_at: now,
      })
      .where("id", "=", existing.id)
      .execute();
    return "chargeback_updated";
  }
  const moved = transition(chargebackMachine, existing.status, OUTCOME_EVENT[event.outcome as "won" | "lost"]);
  if (!moved.ok) return `refused_${moved.code}`;
  const updated = await db
    .updateTable("chargebacks")
    .set({
      status: moved.to,
      provider_status: event.providerStatus,
      // What a lost dispute took is the provider's last word on the amount.
      amount_minor: event.amountMinor ?? existing.amount_minor,
      currency,
      closed_at: occurredAt,
      updated_at: now,
    })
    .where("id", "=", existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "chargeback",
    entityId: updated.id,
    from: existing.status,
    to: updated.status,
    event: moved.event,
    reason: describe(updated),
  });
  if (updated.status === "lost") {
    await tellStaff(db, tenantId, updated);
    return lost(db, tenantId, updated, tx.currency);
  }
  return `chargeback_${updated.status}`;
}

/** Whoever may refund payments answers chargebacks: they hear of one when it opens, and when it is lost. */
const ANSWERING_ROLES = ROLES.filter((role) => (PERMISSIONS[role] as readonly string[]).includes("refund:transaction:any"));

async function tellStaff(
  db: TenantDb,
  tenantId: string,
  chargeback: {
    id: string;
    transaction_id: string;
    status: ChargebackStatus;
    amount_minor: number;
    currency: string;
    reason: string | null;
    respond_by: Date | null;
  },
) {
  if (chargeback.status === "won") return;
  const tenant = await tenantById(tenantId);
  if (!tenant) return;
  const staff = await db
    .selectFrom("users")
    .innerJoin("user_roles", "user_roles.user_id", "users.id")
    .select(["users.id", "users.email"])
    .distinct()
    .where("user_roles.role", "in", ANSWERING_ROLES)
    .where("users.status", "=", "active")
    .execute();
  if (staff.length === 0) return;
  const payment = await db
    .selectFrom("transactions as t")
    .leftJoin("orders as o", "o.id", "t.order_id")
    .select(["o.reference", "t.provider_ref"])
    .where("t.id", "=", chargeback.transaction_id)
    .executeTakeFirstOrThrow();
  const origin = await tenantOrigin(tenant);
  for (const person of staff) {
    const common = {
      payment: payment.reference ?? payment.provider_ref ?? "—",
      amount: (locale: string) => formatMoney(chargeback.amount_minor, chargeback.currency, locale),
      link: `${origin}/admin/transactions/${chargeback.transaction_id}`,
    };
    await notify(db, tenantId, {
      ...(chargeback.status === "open"
        ? {
            event: "chargeback_opened" as const,
            vars: {
              ...common,
              reason: chargeback.reason ?? "—",
              respondBy: chargeback.respond_by ? (locale: string) => formatDateTime(chargeback.respond_by!, locale, tenant.timeZone) : "—",
            },
          }
        : { event: "chargeback_lost" as const, vars: common }),
      to: { userId: person.id, email: person.email },
      dedupeKey: `chargeback_${chargeback.status}:${chargeback.id}:${person.email}`,
    });
  }
}

/** A lost chargeback takes the payment's commissions back (a job, once per chargeback). */
async function lost(db: TenantDb, tenantId: string, chargeback: { id: string; transaction_id: string; currency: string }, paidIn: string) {
  // A proportion of another currency means nothing: staff settle such a one by hand.
  if (chargeback.currency !== paidIn) return "chargeback_lost_currency_mismatch";
  await queueChargebackClawbacks(db, tenantId, chargeback.transaction_id, [chargeback.id]);
  return "chargeback_lost";
}

/**
 * Queues the clawback of lost chargebacks of a payment that earned commissions (all its lost ones
 * when `ids` is not given: the ledger ran after they were lost). The job key makes a repeat harmless.
 */
export async function queueChargebackClawbacks(db: TenantDb, tenantId: string, transactionId: string, ids?: string[]): Promise<void> {
  const earned = await db
    .selectFrom("commission_entries")
    .select("id")
    .where("transaction_id", "=", transactionId)
    .where("kind", "=", "earning")
    .executeTakeFirst();
  if (!earned) return;
  const chargebackIds =
    ids ??
    (
      await db.selectFrom("chargebacks").select("id").where("transaction_id", "=", transactionId).where("status", "=", "lost").execute()
    ).map((c) => c.id);
  for (const chargebackId of chargebackIds) {
    await addJob(db, "commission_clawback", { tenantId, chargebackId }, { jobKey: `commission_clawback:${tenantId}:${chargebackId}` });
  }
}

/** The timeline's words for a chargeback: which dispute, why, how much, and the provider's status. */
function describe(c: {
  provider_dispute_ref: string;
  reason: string | null;
  amount_minor: number;
  currency: string;
  provider_status: string | null;
}) {
  const reason = c.reason ? ` (${c.reason})` : "";
  const status = c.provider_status ? ` · ${c.provider_status}` : "";
  return `Chargeback ${c.provider_dispute_ref}${reason}: ${formatMoney(c.amount_minor, c.currency, "en")}${status}`;
}

function validDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface ChargebackView {
  id: string;
  providerDisputeRef: string;
  status: ChargebackStatus;
  providerStatus: string | null;
  amountMinor: number;
  currency: string;
  reason: string | null;
  openedAt: Date;
  respondBy: Date | null;
  closedAt: Date | null;
}

function toView(r: {
  id: string;
  provider_dispute_ref: string;
  status: ChargebackStatus;
  provider_status: string | null;
  amount_minor: number;
  currency: string;
  reason: string | null;
  opened_at: Date;
  respond_by: Date | null;
  closed_at: Date | null;
}): ChargebackView {
  return {
    id: r.id,
    providerDisputeRef: r.provider_dispute_ref,
    status: r.status,
    providerStatus: r.provider_status,
    amountMinor: r.amount_minor,
    currency: r.currency,
    reason: r.reason,
    openedAt: r.opened_at,
    respondBy: r.respond_by,
    closedAt: r.closed_at,
  };
}

/** A payment's chargebacks, oldest first, with their timelines (for the payment's page). */
export async function chargebacksOf(
  db: TenantDb,
  transactionId: string,
): Promise<{ chargebacks: ChargebackView[]; timeline: TimelineEntry[] }> {
  const rows = await db
    .selectFrom("chargebacks")
    .selectAll()
    .where("transaction_id", "=", transactionId)
    .orderBy("opened_at")
    .orderBy("id")
    .execute();
  const timeline: TimelineEntry[] = [];
  for (const r of rows) timeline.push(...(await timelineOf(db, "chargeback", r.id)));
  return {
    chargebacks: rows.map(toView),
    timeline,
  };
}

// ---------------------------------------------------------------------------------------------
// The back office's list: every payment's chargebacks, open ones by the deadline to answer

export const CHARGEBACKS_PAGE_SIZE = 25;
/** An open chargeback whose answer is due within this many days (in the agency's calendar) is flagged. */
export const ANSWER_SOON_DAYS = 3;

/** The list's status filter: one status, or every chargeback. */
export type ChargebackListStatus = ChargebackStatus | "all";

export interface ChargebackListRow extends ChargebackView {
  provider: ProviderName;
  transactionId: string;
  /** The paid order's reference (directly, or through the instalment's policy), when there is one. */
  orderReference: string | null;
  /** The payment's reference at the provider (PaymentIntent id, Paystack reference). */
  providerRef: string | null;
  customerName: string;
  customerEmail: string;
}

/**
 * Chargebacks of every payment, one page of them: open ones first, the soonest deadline first (those
 * without one last), then decided ones, the latest decision first.
 */
export async function listChargebacks(
  db: TenantDb,
  filters: { status: ChargebackListStatus; page: number; pageSize?: number },
): Promise<{ rows: ChargebackListRow[]; total: number; hasMore: boolean }> {
  const pageSize = filters.pageSize ?? CHARGEBACKS_PAGE_SIZE;
  const page = Math.max(1, Math.floor(filters.page) || 1);
  const status = filters.status === "all" ? undefined : filters.status;

  let counted = db.selectFrom("chargebacks").select((eb) => eb.fn.countAll<number>().as("n"));
  if (status) counted = counted.where("status", "=", status);
  const { n } = await counted.executeTakeFirstOrThrow();

  let query = db
    .selectFrom("chargebacks as c")
    .innerJoin("transactions as t", (j) => j.onRef("t.tenant_id", "=", "c.tenant_id").onRef("t.id", "=", "c.transaction_id"))
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "t.tenant_id").onRef("u.id", "=", "t.user_id"))
    .leftJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "t.tenant_id").onRef("o.id", "=", "t.order_id"))
    .leftJoin("instalments as i", (j) => j.onRef("i.tenant_id", "=", "t.tenant_id").onRef("i.id", "=", "t.instalment_id"))
    .leftJoin("policies as ip", (j) => j.onRef("ip.tenant_id", "=", "i.tenant_id").onRef("ip.id", "=", "i.policy_id"))
    .leftJoin("orders as io", (j) => j.onRef("io.tenant_id", "=", "ip.tenant_id").onRef("io.id", "=", "ip.order_id"));
  if (status) query = query.where("c.status", "=", status);
  const rows = await query
    .selectAll("c")
    .select([
      "t.provider_ref",
      "u.name as customer_name",
      "u.email as customer_email",
      sql<string | null>`coalesce(o.reference, io.reference)`.as("order_reference"),
    ])
    .orderBy(sql`c.status = 'open' desc`)
    .orderBy(sql`case when c.status = 'open' then c.respond_by end asc nulls last`)
    .orderBy(sql`c.closed_at desc nulls last`)
    .orderBy("c.opened_at", "desc")
    .orderBy("c.id")
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(n),
    hasMore: rows.length > pageSize,
    rows: rows.slice(0, pageSize).map((r) => ({
      ...toView(r),
      provider: r.provider,
      transactionId: r.transaction_id,
      orderReference: r.order_reference,
      providerRef: r.provider_ref,
      customerName: r.customer_name,
      customerEmail: r.customer_email,
    })),
  };
}

/** How many chargebacks are open, and the soonest deadline among them (null when none gives one). */
export async function openChargebacksSummary(db: TenantDb): Promise<{ count: number; firstRespondBy: Date | null }> {
  const row = await db
    .selectFrom("chargebacks")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("respond_by").as("first")])
    .where("status", "=", "open")
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), firstRespondBy: row.first ?? null };
}

export type AnswerDeadline = { state: "overdue" } | { state: "soon"; days: number } | { state: "later"; days: number };

/**
 * Where an open chargeback's deadline stands: passed (overdue), or how many calendar days away it
 * is in the agency's time zone (0: today), "soon" within ANSWER_SOON_DAYS.
 */
export function answerDeadline(respondBy: Date, timeZone: string, now: Date = new Date()): AnswerDeadline {
  if (respondBy.getTime() <= now.getTime()) return { state: "overdue" };
  const days = daysBetween(quoteDateIn(timeZone, now), quoteDateIn(timeZone, respondBy));
  return days <= ANSWER_SOON_DAYS ? { state: "soon", days } : { state: "later", days };
}

import { withTenant } from "~db/client";
import { applyPaymentStatus } from "./apply.server";
import { applyDisputeEvent } from "./chargebacks.server";
import { logExchange } from "./gateway-log.server";
import { applyMandateEvent } from "./mandates.server";
import { lockTransaction } from "./payments.server";
import type { PaymentEvent, ProviderEvent } from "./providers/index.server";
import { settleRefundEvent } from "./refunds.server";
import { transactionProvider } from "./settings.server";

/**
 * Processes one stored provider event, once. Runs in the `process_provider_event` job; the job key
 * keeps one job per event, and the event row's lock and `processed_at` keep two workers that race
 * anyway (a retried job, a second worker) from applying it twice.
 */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
  }
}

export async function processProviderEvent(tenantId: string, eventId: string): Promise<string> {
  const stored = await withTenant(tenantId, (db) =>
    db.selectFrom("provider_events").selectAll().where("id", "=", eventId).executeTakeFirst(),
  );
  if (!stored || stored.processed_at) return "already_processed";
  const event = stored.event as ProviderEvent;

  let confirmed = false;
  if (event.kind === "payment" && stored.transaction_id && event.outcome === "completed") {
    const check = await confirmSuccess(tenantId, stored.transaction_id, stored.provider, event);
    if (check !== "confirmed" && check !== "not_needed") return finish(tenantId, eventId, check);
    confirmed = check === "confirmed";
  }

  return withTenant(tenantId, async (db) => {
    const locked = await db
      .selectFrom("provider_events")
      .select(["processed_at"])
      .where("id", "=", eventId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.processed_at) return "already_processed";
    let outcome: string;
    // A mandate event names no transaction: it moves a mandate (decision 046).
    if (event.kind === "mandate") outcome = await applyMandateEvent(db, tenantId, stored.provider, event);
    else if (!stored.transaction_id) outcome = "unknown_transaction";
    else if (event.kind === "payment") {
      const tx = (await lockTransaction(db, stored.transaction_id))!;
      outcome = await applyPaymentStatus(db, tenantId, tx, event, { confirmedByProvider: confirmed });
    } else if (event.kind === "refund") {
      outcome = await settleRefundEvent(db, tenantId, stored.transaction_id, event);
    } else {
      outcome = await applyDisputeEvent(db, tenantId, stored.transaction_id, stored.provider, event);
    }
    await db.updateTable("provider_events").set({ processed_at: new Date(), outcome }).where("id", "=", eventId).execute();
    return outcome;
  });
}

async function finish(tenantId: string, eventId: string, outcome: string): Promise<string> {
  await withTenant(tenantId, (db) =>
    db
      .updateTable("provider_events")
      .set({ processed_at: new Date(), outcome })
      .where("id", "=", eventId)
      .where("processed_at", "is", null)
      .execute(),
  );
  return outcome;
}

/**
 * An unsigned M-Pesa success, or a success for a payment we gave up on, is confirmed with the
 * provider's status API before it is taken. Answers "confirmed", "not_needed", or an outcome that
 * ends the event (the provider said otherwise); throws RetryLater when the provider cannot say yet.
 */
async function confirmSuccess(tenantId: string, transactionId: string, providerName: string, event: PaymentEvent): Promise<string> {
  const tx = await withTenant(tenantId, (db) =>
    db
      .selectFrom("transactions")
      .select(["id", "status", "provider", "provider_ref"])
      .where("id", "=", transactionId)
      .executeTakeFirstOrThrow(),
  );
  const needed = tx.provider === "mpesa" || tx.status !== "pending";
  if (!needed) return "not_needed";
  if (tx.status !== "pending" && !["failed", "expired", "cancelled"].includes(tx.status)) return "not_needed";
  const provider = await withTenant(tenantId, (db) => transactionProvider(db, tenantId, tx));
  const result = await provider.query(event.providerRef);
  await withTenant(tenantId, (db) => logExchange(db, { transactionId, provider: providerName, kind: "query", exchange: result.exchange }));
  if (result.ok && result.status.outcome === "completed") return "confirmed";
  // The provider could not be asked (network, outage, credentials): that says nothing about the
  // money, so the event waits and is asked about again — a success is never dropped for it.
  if (!result.ok && result.reason === "error")
    throw new RetryLater(`${tx.provider} could not confirm ${event.providerRef}: ${result.message}`);
  const stillPending = result.ok && result.status.outcome === "pending";
  if (stillPending && tx.status === "pending") throw new RetryLater(`${tx.provider} has not confirmed ${event.providerRef} yet`);
  return result.ok ? `not_confirmed_${result.status.outcome}` : `not_confirmed_${result.reason}`;
}

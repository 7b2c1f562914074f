import { sql } from "kysely";
import { withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import { logger } from "~/lib/log.server";
import { logExchange } from "~/modules/payments/gateway-log.server";
import type { PayoutProvider, PayoutProviderName, PayoutResult, ProviderDeps } from "~/modules/payments/providers/index.server";
import { ProviderNotEnabledError } from "~/modules/payments/settings.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { payoutUrls, RetryPayoutLater, tenantPayoutProvider } from "./payout-links.server";
import { applyPayoutEvent } from "./payout-results.server";
import {
  failSettlement,
  isPayoutMethod,
  lockSettlement,
  markSettlementPaid,
  PAYOUT_PROVIDER_OF,
  type Settlement,
} from "./settlement.server";
import { claimWorkflow } from "./workflow.server";

/**
 * Payouts through a provider, exactly once (decision 025, decision 010's discipline):
 *
 * - `submitPayout` (job `submit_payout`, keyed by settlement and attempt) sends one attempt. The
 *   attempt is marked sent before the call, so a worker that dies after the provider acted does not
 *   send it again on retry: reconciliation asks the provider instead. A send that never reached the
 *   provider is unmarked and retried by the job; a retry of the same attempt carries the same
 *   idempotency key, which the provider refuses as a duplicate (M-Pesa's OriginatorConversationID).
 * - Results come back to per-settlement secret URLs and are applied once (payout-results.server.ts).
 * - `reconcileSettlements` (every few minutes, per tenant) asks the provider about payouts that have
 *   waited too long, and hands staff the ones nobody can answer for.
 */

const ASK_AFTER_MINUTES = 5;
const GIVE_UP_AFTER_MINUTES = 60;
const REQUEUE_AFTER_MINUTES = 5;

export { RetryPayoutLater };

/** Sends one payout attempt and records what the provider answered (job `submit_payout`: send, then record). */
export async function submitPayout(tenant: TenantInfo, settlementId: string, origin: string, deps: ProviderDeps = {}): Promise<string> {
  const sent = await sendPayout(tenant, settlementId, origin, deps);
  return "skipped" in sent ? sent.skipped : recordPayout(tenant, sent, origin);
}

export type SentPayout = { settlement: Settlement; provider: PayoutProviderName; result: PayoutResult } | { skipped: string };

/**
 * The one provider call of an attempt. Marked sent first (committed), so a retry after a worker
 * died past this point does not send it again: reconciliation asks the provider instead.
 */
export async function sendPayout(tenant: TenantInfo, settlementId: string, origin: string, deps: ProviderDeps = {}): Promise<SentPayout> {
  const loaded = await withTenant(tenant.id, async (db) => {
    const s = await lockSettlement(db, settlementId);
    if (!s || s.status !== "processing" || !isPayoutMethod(s.method)) return { kind: "skip" as const, skipped: "not_queued" };
    if (s.sent_at) return { kind: "skip" as const, skipped: "already_sent" };
    const name = PAYOUT_PROVIDER_OF[s.method];
    let provider: PayoutProvider;
    try {
      provider = await tenantPayoutProvider(db, tenant.id, name, deps);
    } catch (error) {
      if (!(error instanceof ProviderNotEnabledError)) throw error;
      await failSettlement(db, s, { code: "not_configured", message: `${name} is no longer enabled for this agency`, actorUserId: null });
      return { kind: "skip" as const, skipped: "provider_not_enabled" };
    }
    const sentAt = new Date();
    await db.updateTable("claim_settlements").set({ sent_at: sentAt }).where("id", "=", s.id).execute();
    const claim = await db.selectFrom("claims").select("claim_number").where("id", "=", s.claim_id).executeTakeFirstOrThrow();
    return { kind: "send" as const, s: { ...s, sent_at: sentAt }, name, claimNumber: claim.claim_number, provider };
  });
  if (loaded.kind === "skip") return { skipped: loaded.skipped };
  const { s, name, claimNumber, provider } = loaded;
  const { resultUrl, timeoutUrl } = payoutUrls(origin, name, tenant.id, s.id);
  const result = await provider.payout({
    tenantId: tenant.id,
    payoutId: s.id,
    // The attempt's key, set when staff pressed Pay: the same on every retry of this attempt.
    idempotencyKey: s.provider_ref!,
    reference: s.reference,
    amountMinor: s.amount_minor,
    currency: s.currency,
    payee: { name: s.payee_name, phone: s.payee_phone ?? undefined },
    description: `Claim ${claimNumber}`,
    resultUrl,
    timeoutUrl,
  });
  // Logged on its own: a failed try that is retried belongs in the raw log too.
  await withTenant(tenant.id, (db) =>
    logExchange(db, { transactionId: null, settlementId: s.id, provider: name, kind: "payout", exchange: result.exchange }),
  );
  return { settlement: s, provider: name, result };
}

/** What the provider answered, applied under the settlement's lock; a send to try again throws (the job retries). */
export async function recordPayout(tenant: TenantInfo, sent: Exclude<SentPayout, { skipped: string }>, origin: string): Promise<string> {
  const { settlement: s, provider: name, result } = sent;
  const outcome = await withTenant(tenant.id, async (db) => {
    const current = await lockSettlement(db, s.id);
    // Staff (or a result callback) acted meanwhile: what they did stands.
    if (!current || current.status !== "processing" || current.attempt !== s.attempt) return "moved_meanwhile";
    switch (result.status) {
      case "completed": {
        const paid = await markSettlementPaid(db, claimWorkflow(tenant, origin), current, {
          event: "confirm",
          reference: result.receipt,
          set: { provider_ref: result.providerRef, provider_receipt: result.receipt },
          actorUserId: null,
          reason: `Paid through ${name}: ${result.receipt}`,
        });
        return paid.ok ? "paid" : `refused: ${paid.reason}`;
      }
      case "pending":
        await db
          .updateTable("claim_settlements")
          .set({ provider_ref: result.providerRef, needs_attention: null, updated_at: new Date() })
          .where("id", "=", s.id)
          .execute();
        return "sent";
      case "failed":
        if (result.retryable) {
          // Never sent, or sent with a key the provider deduplicates: the job's retry sends it again.
          await db
            .updateTable("claim_settlements")
            .set({ sent_at: null, needs_attention: `Trying again: ${result.providerMessage ?? result.reasonCode}` })
            .where("id", "=", s.id)
            .execute();
          return "retry";
        }
        if (result.maybeSent) {
          await db
            .updateTable("claim_settlements")
            .set({
              needs_attention: `We could not tell whether ${name} paid this (${result.providerMessage ?? result.reasonCode}). Check the provider's statement, then mark it paid or failed.`,
              updated_at: new Date(),
            })
            .where("id", "=", s.id)
            .execute();
          return "unknown";
        }
        await failSettlement(db, current, {
          code: result.reasonCode,
          message: result.providerMessage ?? result.customerMessage,
          actorUserId: null,
        });
        return "failed";
    }
  });
  if (outcome === "retry" && result.status === "failed") {
    throw new RetryPayoutLater(`Payout ${s.reference}: ${result.providerMessage ?? result.reasonCode}`);
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Reconciliation

export interface SettlementReconcileRun {
  requeued: number;
  asked: number;
  settled: number;
  flagged: number;
  errors: number;
}

/**
 * Payouts nobody has heard back about (job `reconcile_tenant_settlements`, every five minutes):
 * one whose send never happened (a worker died before it) is queued again; one sent a while ago is
 * asked about with the provider's status API (M-Pesa answers later, to the status URL); after an
 * hour without an answer staff are asked to check the provider's statement.
 */
export async function reconcileSettlements(tenant: TenantInfo, origin: string, deps: ProviderDeps = {}): Promise<SettlementReconcileRun> {
  const run: SettlementReconcileRun = { requeued: 0, asked: 0, settled: 0, flagged: 0, errors: 0 };
  const stale = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("claim_settlements")
      .selectAll()
      .where("status", "=", "processing")
      .where("method", "in", ["mpesa_b2c", "sandbox"])
      .where((eb) =>
        eb.or([
          eb.and([eb("sent_at", "is", null), eb("updated_at", "<", sql<Date>`now() - make_interval(mins => ${REQUEUE_AFTER_MINUTES})`)]),
          eb("sent_at", "<", sql<Date>`now() - make_interval(mins => ${ASK_AFTER_MINUTES})`),
        ]),
      )
      .orderBy("updated_at")
      .limit(100)
      .execute(),
  );
  for (const s of stale) {
    if (!isPayoutMethod(s.method)) continue;
    if (!s.sent_at) {
      // The same key as the first: a waiting job is replaced, a dead worker's locked one is not waited for.
      await withTenant(tenant.id, (db) =>
        addJob(
          db,
          "submit_payout",
          { tenantId: tenant.id, settlementId: s.id, origin },
          { jobKey: `submit_payout:${tenant.id}:${s.id}:${s.attempt}` },
        ),
      );
      run.requeued += 1;
      continue;
    }
    run.asked += 1;
    try {
      const outcome = await askAboutPayout(tenant, s, origin, deps);
      if (outcome === "paid" || outcome === "late_success" || outcome === "failed") run.settled += 1;
      if (outcome === "flagged") run.flagged += 1;
    } catch (error) {
      run.errors += 1;
      logger.warn({ tenantId: tenant.id, settlementId: s.id, err: error }, "reconcile: asking about a payout failed");
    }
  }
  return run;
}

async function askAboutPayout(tenant: TenantInfo, stale: Settlement, origin: string, deps: ProviderDeps): Promise<string> {
  const name = PAYOUT_PROVIDER_OF[stale.method as "mpesa_b2c" | "sandbox"];
  const provider = await withTenant(tenant.id, (db) => tenantPayoutProvider(db, tenant.id, name, deps));
  const { statusUrl, timeoutUrl } = payoutUrls(origin, name, tenant.id, stale.id);
  const answer = await provider.queryPayout({
    providerRef: stale.provider_ref!,
    amountMinor: stale.amount_minor,
    currency: stale.currency,
    resultUrl: statusUrl,
    timeoutUrl,
  });
  return withTenant(tenant.id, async (db) => {
    await logExchange(db, { transactionId: null, settlementId: stale.id, provider: name, kind: "query", exchange: answer.exchange });
    const s = await lockSettlement(db, stale.id);
    if (!s || s.status !== "processing" || s.attempt !== stale.attempt) return "moved_meanwhile";
    if (answer.ok && answer.event) return applyPayoutEvent(db, claimWorkflow(tenant, origin), s, answer.event);
    const waited = Date.now() - (s.sent_at ?? s.updated_at).getTime();
    if (waited > GIVE_UP_AFTER_MINUTES * 60_000) {
      await db
        .updateTable("claim_settlements")
        .set({
          needs_attention: `No answer from ${name} for over an hour${answer.ok ? "" : ` (${answer.message})`}. Check the provider's statement, then mark it paid or failed.`,
        })
        .where("id", "=", s.id)
        .execute();
      return "flagged";
    }
    return answer.ok ? "asked" : "ask_failed";
  });
}

import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { apiError } from "~/lib/api.server";
import { logger } from "~/lib/log.server";
import { apiHandler, apiJson, apiTenant } from "~/modules/api/http.server";
import { logCallback, logExchange, tokenHash } from "~/modules/payments/gateway-log.server";
import {
  isPayoutProviderName,
  payoutProviderFor,
  type PayoutChannel,
  type PayoutEvent,
  type PayoutProvider,
  type PayoutProviderName,
  type PayoutResult,
  type ProviderDeps,
} from "~/modules/payments/providers/index.server";
import { providerConfig, ProviderNotEnabledError } from "~/modules/payments/settings.server";
import { readCallbackBody } from "~/modules/payments/webhook-http.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { payoutCallbackUrl, payoutToken } from "./payout-links.server";
import {
  failSettlement,
  isAttemptOf,
  isPayoutMethod,
  lockSettlement,
  markSettlementPaid,
  PAYOUT_PROVIDER_OF,
  type Settlement,
} from "./settlement.server";
import { claimWorkflow, type ClaimWorkflow } from "./workflow.server";

/**
 * Payouts through a provider, exactly once (decision 025, decision 010's discipline):
 *
 * - `submitPayout` (job `submit_payout`, keyed by settlement and attempt) sends one attempt. The
 *   attempt is marked sent before the call, so a worker that dies after the provider acted does not
 *   send it again on retry: reconciliation asks the provider instead. A send that never reached the
 *   provider is unmarked and retried by the job; a retry of the same attempt carries the same
 *   idempotency key, which the provider refuses as a duplicate (M-Pesa's OriginatorConversationID).
 * - Results come back to per-settlement secret URLs (`receivePayoutCallback`): verified by the
 *   token, logged raw, stored once under (provider, event id) in `provider_events`, processed by one
 *   job (`process_payout_event`) under the event's and the settlement's row locks.
 * - `applyPayoutEvent` lets the settlement machine decide: a success pays once (a duplicate, or a
 *   timeout after it, changes nothing); a failure fails only the attempt in flight; a queue timeout
 *   leaves it in flight for reconciliation to ask about (a success may still come).
 * - `reconcileSettlements` (every few minutes, per tenant) asks the provider about payouts that have
 *   waited too long, and hands staff the ones nobody can answer for.
 */

const ASK_AFTER_MINUTES = 5;
const GIVE_UP_AFTER_MINUTES = 60;
const REQUEUE_AFTER_MINUTES = 5;

export class RetryPayoutLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryPayoutLater";
  }
}

async function tenantPayoutProvider(db: TenantDb, tenantId: string, name: PayoutProviderName, deps: ProviderDeps = {}) {
  const stored = await providerConfig(db, tenantId, name);
  if (!stored?.enabled) throw new ProviderNotEnabledError(name);
  return payoutProviderFor(name, stored.config, deps);
}

function urls(origin: string, provider: PayoutProviderName, tenantId: string, settlementId: string) {
  const token = payoutToken(tenantId, settlementId);
  return {
    resultUrl: payoutCallbackUrl(origin, provider, token, "result"),
    timeoutUrl: payoutCallbackUrl(origin, provider, token, "timeout"),
    statusUrl: payoutCallbackUrl(origin, provider, token, "status"),
  };
}

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
  const { resultUrl, timeoutUrl } = urls(origin, name, tenant.id, s.id);
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
// Callbacks

const REJECTION_STATUS = { bad_signature: 401, bad_token: 401, wrong_mode: 400, malformed: 400 } as const;
const PAYOUT_CHANNELS: readonly PayoutChannel[] = ["result", "timeout", "status"];

/** POST /webhooks/payouts/<provider>/<token>[/timeout|/status]: a payout's result, as the STK callbacks are taken. */
export async function handlePayoutWebhook(
  request: Request,
  provider: string | undefined,
  token: string | undefined,
  channel: string,
): Promise<Response> {
  return apiHandler(async () => {
    if (request.method !== "POST") return apiError(405, "METHOD_NOT_ALLOWED", "Callbacks are POSTed");
    if (!provider || !isPayoutProviderName(provider) || !PAYOUT_CHANNELS.includes(channel as PayoutChannel)) {
      return apiError(404, "NOT_FOUND", "No such webhook");
    }
    const tenant = await apiTenant(request);
    const rawBody = await readCallbackBody(request);
    const answer = await receivePayoutCallback(tenant, provider, {
      headers: request.headers,
      rawBody,
      token: token ?? "",
      channel: channel as PayoutChannel,
    });
    return apiJson(answer.body, { status: answer.status });
  });
}

export async function receivePayoutCallback(
  tenant: Pick<TenantInfo, "id">,
  providerName: PayoutProviderName,
  input: { headers: Headers; rawBody: string; token: string; channel: PayoutChannel },
): Promise<{ status: number; body: unknown }> {
  return withTenant(tenant.id, async (db) => {
    let provider: PayoutProvider;
    try {
      provider = await tenantPayoutProvider(db, tenant.id, providerName);
    } catch (error) {
      if (error instanceof ProviderNotEnabledError)
        return { status: 404, body: { status: "error", code: "not_found", message: "No such webhook" } };
      throw error;
    }
    // The token in the URL names the settlement and proves the callback (M-Pesa's are unsigned).
    const s = input.token
      ? await db.selectFrom("claim_settlements").selectAll().where("callback_token_hash", "=", tokenHash(input.token)).executeTakeFirst()
      : undefined;
    const log = (kind: "payout_result" | "rejected_callback", note?: string) =>
      logCallback(db, {
        transactionId: null,
        settlementId: s?.id ?? null,
        provider: providerName,
        kind,
        headers: input.headers,
        rawBody: input.rawBody,
        note: note ? `${input.channel}: ${note}` : input.channel,
      });
    const parsed = await provider.parsePayoutResult({
      headers: input.headers,
      rawBody: input.rawBody,
      // A known token is compared with itself: the lookup by hash was the check.
      callbackToken: { expected: s ? input.token : "", received: input.token },
      channel: input.channel,
    });
    if (!parsed.ok) {
      await log("rejected_callback", `${parsed.reason}: ${parsed.detail}`);
      return { status: REJECTION_STATUS[parsed.reason], body: { status: "error", code: parsed.reason, message: "Callback rejected" } };
    }
    if (!parsed.event) {
      await log("payout_result", `ignored: ${parsed.ignored}`);
      return { status: 200, body: { ResultCode: 0, ResultDesc: "Accepted" } };
    }
    const event = parsed.event;
    // A token proves one settlement, not whatever payout the body names.
    if (!s || (event.providerRef !== null && !isAttemptOf(s, event.providerRef))) {
      await log(
        "rejected_callback",
        `bad_token: a result for ${event.providerRef} sent to the callback URL of ${s?.reference ?? "nothing"}`,
      );
      return { status: REJECTION_STATUS.bad_token, body: { status: "error", code: "bad_token", message: "Callback rejected" } };
    }
    await log("payout_result");
    const stored = await db
      .insertInto("provider_events")
      .values({
        provider: providerName,
        provider_event_id: event.providerEventId,
        kind: "payout",
        event: JSON.stringify({ ...event, raw: undefined }),
        transaction_id: null,
        settlement_id: s.id,
      })
      .onConflict((oc) =>
        oc.columns(["tenant_id", "provider", "provider_event_id"]).doUpdateSet({ deliveries: sql`provider_events.deliveries + 1` }),
      )
      .returning(["id", sql<boolean>`xmax = 0`.as("inserted")])
      .executeTakeFirstOrThrow();
    if (stored.inserted) {
      await addJob(
        db,
        "process_payout_event",
        { tenantId: tenant.id, eventId: stored.id },
        { jobKey: `process_payout_event:${tenant.id}:${stored.id}` },
      );
    }
    return { status: 200, body: { ResultCode: 0, ResultDesc: "Accepted" } };
  });
}

/** Processes one stored payout result, once (job `process_payout_event`). */
export async function processPayoutEvent(tenant: TenantInfo, eventId: string, origin: string): Promise<string> {
  return withTenant(tenant.id, async (db) => {
    const stored = await db.selectFrom("provider_events").selectAll().where("id", "=", eventId).forUpdate().executeTakeFirst();
    if (!stored || stored.processed_at) return "already_processed";
    let outcome = "unknown_settlement";
    const s = stored.settlement_id ? await lockSettlement(db, stored.settlement_id) : undefined;
    if (s) outcome = await applyPayoutEvent(db, claimWorkflow(tenant, origin), s, stored.event as PayoutEvent);
    await db.updateTable("provider_events").set({ processed_at: new Date(), outcome }).where("id", "=", eventId).execute();
    return outcome;
  });
}

/**
 * What a provider's word about a payout does to the settlement (the caller holds its row lock).
 * Money that went out is never ignored: a success for an earlier attempt, or after staff gave up,
 * is recorded, and one that would pay twice is put in front of staff.
 */
export async function applyPayoutEvent(db: TenantDb, workflow: ClaimWorkflow, s: Settlement, event: PayoutEvent): Promise<string> {
  const current = event.providerRef === null || event.providerRef === s.provider_ref;
  const attention = async (note: string) => {
    await db.updateTable("claim_settlements").set({ needs_attention: note, updated_at: new Date() }).where("id", "=", s.id).execute();
  };
  switch (event.outcome) {
    case "completed": {
      const receipt = event.receipt ?? event.providerRef ?? "";
      if (s.status === "paid") {
        if (s.provider_receipt === receipt || current) return "duplicate";
        await attention(
          `The provider also paid attempt ${event.providerRef} (receipt ${receipt}): the claimant was paid twice. Recover the second payment.`,
        );
        return "paid_twice";
      }
      if (event.amountMinor !== s.amount_minor || (event.currency && event.currency !== s.currency)) {
        await attention(
          `The provider reports paying ${event.amountMinor ?? "?"} ${event.currency ?? ""} (receipt ${receipt}), not this settlement's amount. Check it.`,
        );
        return "amount_mismatch";
      }
      if (s.status === "cancelled" || s.status === "pending") {
        await attention(`The provider paid this settlement (receipt ${receipt}) although it is ${s.status}. Check it.`);
        return `paid_while_${s.status}`;
      }
      const paid = await markSettlementPaid(db, workflow, s, {
        event: "confirm",
        reference: receipt,
        set: {
          provider_ref: event.providerRef ?? s.provider_ref,
          provider_receipt: receipt,
          needs_attention: current ? null : `Paid by an earlier attempt (${event.providerRef}).`,
        },
        actorUserId: null,
        reason: `Paid: ${receipt}${event.payeeName ? ` to ${event.payeeName}` : ""}`,
      });
      return paid.ok ? (s.status === "failed" ? "late_success" : "paid") : `refused: ${paid.reason}`;
    }
    case "failed": {
      if (!current) return "earlier_attempt";
      if (s.status !== "processing") return `ignored_${s.status}`;
      const failed = await failSettlement(db, s, {
        code: event.reasonCode ?? "failed",
        message: event.providerMessage ?? "The provider did not make the payment",
        actorUserId: null,
      });
      return failed.ok ? "failed" : `refused: ${failed.reason}`;
    }
    case "timeout":
      if (!current || s.status !== "processing") return `ignored_${s.status}`;
      // Not a failure: the payment may still happen. Reconciliation asks the provider.
      await attention(
        `The provider did not process the payment in time (${event.providerMessage ?? "queue timeout"}); we are asking it where the payment stands.`,
      );
      return "timed_out";
    case "unknown":
      if (!current || s.status !== "processing") return `ignored_${s.status}`;
      await attention(
        `The provider could not say the payment was made (${event.providerMessage ?? "no details"}). Check its statement, then mark it paid or failed.`,
      );
      return "status_unknown";
  }
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
  const { statusUrl, timeoutUrl } = urls(origin, name, tenant.id, stale.id);
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

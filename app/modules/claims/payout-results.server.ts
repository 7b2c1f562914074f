import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { apiError } from "~/lib/api.server";
import { apiHandler, apiJson, callbackTenant } from "~/modules/api/callbacks.server";
import { logCallback, tokenHash } from "~/modules/payments/gateway-log.server";
import {
  isPayoutProviderName,
  type PayoutChannel,
  type PayoutEvent,
  type PayoutProvider,
  type PayoutProviderName,
} from "~/modules/payments/providers/index.server";
import { ProviderNotEnabledError } from "~/modules/payments/settings.server";
import { readCallbackBody } from "~/modules/payments/webhook-http.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import {
  applyCommissionPayoutEvent,
  commissionPayoutByTokenHash,
  isCommissionAttempt,
  lockCommissionPayout,
} from "~/modules/commissions/agent-payouts.server";
import { tenantPayoutProvider } from "./payout-links.server";
import { failSettlement, isAttemptOf, lockSettlement, markSettlementPaid, type Settlement } from "./settlement.server";
import { claimWorkflow, type ClaimWorkflow } from "./workflow.server";

/**
 * A payout's results (decision 025): Daraja's result, queue timeout and status answer come to the
 * settlement's (or, decision 047, the commission payout's) secret URLs; each is verified by the token, logged raw (`payout_result`), stored once
 * under (provider, event id) in `provider_events` and processed by one job (`process_payout_event`)
 * under the event's and the settlement's row locks, where `applyPayoutEvent` lets the settlement
 * machine decide: a success pays once (a duplicate, or a timeout after it, changes nothing); a
 * failure fails only the attempt in flight; a queue timeout leaves it in flight for reconciliation
 * to ask about (a success may still come).
 */

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
    const tenant = await callbackTenant(request);
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
    // The token in the URL names the settlement (or commission payout) and proves the callback (M-Pesa's are unsigned).
    const s = input.token ? await payoutSubjectByToken(db, tokenHash(input.token)) : undefined;
    const log = (kind: "payout_result" | "rejected_callback", note?: string) =>
      logCallback(db, {
        transactionId: null,
        settlementId: s?.settlementId ?? null,
        payoutId: s?.payoutId ?? null,
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
    if (!s || (event.providerRef !== null && !s.isAttempt(event.providerRef))) {
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
        settlement_id: s.settlementId,
        payout_id: s.payoutId,
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

/** What a callback token proves: one settlement or one commission payout, and which attempts are its own. */
interface PayoutSubject {
  settlementId: string | null;
  payoutId: string | null;
  reference: string;
  isAttempt(providerRef: string): boolean;
}

async function payoutSubjectByToken(db: TenantDb, hash: string): Promise<PayoutSubject | undefined> {
  const s = await db.selectFrom("claim_settlements").selectAll().where("callback_token_hash", "=", hash).executeTakeFirst();
  if (s) return { settlementId: s.id, payoutId: null, reference: s.reference, isAttempt: (ref) => isAttemptOf(s, ref) };
  const p = await commissionPayoutByTokenHash(db, hash);
  if (p) return { settlementId: null, payoutId: p.id, reference: p.reference ?? "", isAttempt: (ref) => isCommissionAttempt(p, ref) };
  return undefined;
}

/** Processes one stored payout result, once (job `process_payout_event`). */
export async function processPayoutEvent(tenant: TenantInfo, eventId: string, origin: string): Promise<string> {
  return withTenant(tenant.id, async (db) => {
    const stored = await db.selectFrom("provider_events").selectAll().where("id", "=", eventId).forUpdate().executeTakeFirst();
    if (!stored || stored.processed_at) return "already_processed";
    let outcome = "unknown_settlement";
    const s = stored.settlement_id ? await lockSettlement(db, stored.settlement_id) : undefined;
    if (s) outcome = await applyPayoutEvent(db, claimWorkflow(tenant, origin), s, stored.event as PayoutEvent);
    const payout = stored.payout_id ? await lockCommissionPayout(db, stored.payout_id) : undefined;
    if (payout) outcome = await applyCommissionPayoutEvent(db, payout, stored.event as PayoutEvent);
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

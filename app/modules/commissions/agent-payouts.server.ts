import type { Selectable } from "kysely";
import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import type { PayoutsTable } from "~db/schema";
import { logger } from "~/lib/log.server";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { payoutToken, payoutUrls, RetryPayoutLater, tenantPayoutProvider } from "~/modules/claims/payout-links.server";
import { attemptKey, isAttemptOf, PAYOUT_PROVIDER_OF } from "~/modules/claims/settlement.server";
import { logExchange, tokenHash } from "~/modules/payments/gateway-log.server";
import type { PayoutEvent, PayoutProvider, PayoutResult, ProviderDeps } from "~/modules/payments/providers/index.server";
import { providerConfig, ProviderNotEnabledError } from "~/modules/payments/settings.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { commissionPayoutMachine, type CommissionPayoutEvent } from "~/modules/workflows/commission-payout";
import { transition } from "~/modules/workflows/state-machine";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { payBatch } from "./close.server";

/**
 * Agents' commission payouts through a payout provider (M-Pesa B2C for Kenyan agencies; decision
 * 047), one per agent line of a batch, with decision 025's guarantees and plumbing: the same
 * `PayoutProvider`, callback token and routes (`/webhooks/payouts/<provider>/<token>…`), raw log,
 * `provider_events` and `process_payout_event` job; only the record paid differs (`payouts`, not
 * `claim_settlements`).
 *
 * - Staff start the batch: every open or failed line with a phone moves to processing with a new
 *   attempt and its key (`<batch>-<agent>-<n>`, M-Pesa's OriginatorConversationID), and one job
 *   `submit_commission_payout:<tenant>:<payout>:<n>`.
 * - The job marks the attempt sent (committed) before the call: a worker that dies after Daraja
 *   acted never sends it again (reconciliation asks instead); a send that did not reach Daraja is
 *   unmarked and retried with the same key, which Daraja refuses to take twice.
 * - A result is applied once under the payout's row lock; the batch is paid (decision 011's
 *   `payBatch`, which moves the ledger) when its last line is paid, under the batch's row lock.
 */

export type CommissionPayout = Selectable<PayoutsTable>;
type PayoutMethod = "mpesa_b2c" | "sandbox";

const ASK_AFTER_MINUTES = 5;
const GIVE_UP_AFTER_MINUTES = 60;

export async function lockCommissionPayout(db: TenantDb, payoutId: string): Promise<CommissionPayout | undefined> {
  return db.selectFrom("payouts").selectAll().where("id", "=", payoutId).forUpdate().executeTakeFirst();
}

/** The commission payout a callback token belongs to (the lookup by hash is the check). */
export async function commissionPayoutByTokenHash(db: TenantDb, hash: string): Promise<CommissionPayout | undefined> {
  return db.selectFrom("payouts").selectAll().where("callback_token_hash", "=", hash).executeTakeFirst();
}

/** Whether a provider's reference names an attempt of this payout (the current one or an earlier one). */
export const isCommissionAttempt = (p: CommissionPayout, ref: string) =>
  p.reference !== null && isAttemptOf({ reference: p.reference, attempt: p.attempt, provider_ref: p.provider_ref }, ref);

/**
 * M-Pesa when the agency has it enabled, else none. Not the sandbox: agencies that take payments in
 * the sandbox (the Malaysian demo) do not pay their agents by M-Pesa, and the close puts agents in
 * the batch by phone only where M-Pesa is enabled (close.server.ts).
 */
export async function agentPayoutMethod(db: TenantDb, tenantId: string): Promise<PayoutMethod | null> {
  return (await providerConfig(db, tenantId, "mpesa"))?.enabled ? "mpesa_b2c" : null;
}

/** Moves a payout through its machine and the timeline, with the columns that go with the move. */
async function move(
  db: TenantDb,
  p: CommissionPayout,
  event: CommissionPayoutEvent,
  set: Partial<Omit<CommissionPayout, "id" | "tenant_id" | "status">>,
  reason: string,
  actorUserId: string | null,
): Promise<{ ok: true; payout: CommissionPayout } | { ok: false; reason: string }> {
  const step = transition(commissionPayoutMachine, p.status, event);
  if (!step.ok) return { ok: false, reason: step.reason };
  const payout = await db
    .updateTable("payouts")
    .set({ ...set, status: step.to, updated_at: new Date() })
    .where("id", "=", p.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStateChange(db, { entity: "commission_payout", entityId: p.id, from: p.status, to: step.to, event, reason, actorUserId });
  return { ok: true, payout };
}

export interface StartedPayouts {
  started: number;
  noPhone: string[];
}

/**
 * Staff start (or retry) the batch's payouts by M-Pesa: each open or failed line gets a new
 * attempt and one job. Lines already processing or paid are left alone, so pressing twice sends
 * nothing twice. Agents without a phone are named, not paid.
 */
export async function startAgentPayouts(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id">,
  input: { batchId: string; origin: string },
  actor: Actor & { userId: string },
): Promise<{ ok: true; result: StartedPayouts } | { ok: false; reason: string }> {
  const method = await agentPayoutMethod(db, tenant.id);
  if (!method) return { ok: false, reason: "No payout provider (M-Pesa) is enabled for this agency." };
  const batch = await db.selectFrom("payout_batches").selectAll().where("id", "=", input.batchId).forUpdate().executeTakeFirst();
  if (!batch) return { ok: false, reason: "There is no such payout batch." };
  if (batch.status === "paid") return { ok: false, reason: "This batch is already marked paid." };
  const lines = await db
    .selectFrom("payouts as p")
    .innerJoin("agents as a", "a.id", "p.agent_id")
    .selectAll("p")
    .select(["a.agent_number", "a.phone as agent_phone"])
    .where("p.batch_id", "=", batch.id)
    .where("p.status", "in", ["open", "failed"])
    .orderBy("a.agent_number")
    .forUpdate("p")
    .execute();
  const result: StartedPayouts = { started: 0, noPhone: [] };
  for (const line of lines) {
    if (!line.agent_phone) {
      result.noPhone.push(line.agent_number);
      continue;
    }
    const reference = `${batch.reference}-${line.agent_number}`;
    const attempt = line.attempt + 1;
    const moved = await move(
      db,
      line,
      "pay",
      {
        reference,
        method,
        attempt,
        provider_ref: attemptKey(reference, attempt),
        payee_phone: line.agent_phone,
        receipt: null,
        sent_at: null,
        failure_code: null,
        failure_message: null,
        needs_attention: null,
        // M-Pesa's results are unsigned: this payout's own secret URL is what proves them.
        callback_token_hash: tokenHash(payoutToken(tenant.id, line.id, "commission")),
      },
      `Attempt ${attempt} by ${method}`,
      actor.userId,
    );
    if (!moved.ok) continue;
    await addJob(
      db,
      "submit_commission_payout",
      { tenantId: tenant.id, payoutId: line.id, origin: input.origin },
      { jobKey: `submit_commission_payout:${tenant.id}:${line.id}:${attempt}` },
    );
    result.started += 1;
  }
  await recordAudit(db, actor, {
    action: "commission.payouts_started",
    targetType: "payout_batch",
    targetId: batch.id,
    details: { reference: batch.reference, method, started: result.started, noPhone: result.noPhone },
  });
  return { ok: true, result };
}

export type SentCommissionPayout = { payout: CommissionPayout; result: PayoutResult } | { skipped: string };

/** The one provider call of an attempt, marked sent first (committed) so a retry after a crash never sends it again. */
export async function sendCommissionPayout(
  tenant: Pick<TenantInfo, "id">,
  payoutId: string,
  origin: string,
  deps: ProviderDeps = {},
): Promise<SentCommissionPayout> {
  const loaded = await withTenant(tenant.id, async (db) => {
    const p = await lockCommissionPayout(db, payoutId);
    if (!p || p.status !== "processing" || !p.method) return { skipped: "not_queued" } as const;
    if (p.sent_at) return { skipped: "already_sent" } as const;
    let provider: PayoutProvider;
    try {
      provider = await tenantPayoutProvider(db, tenant.id, PAYOUT_PROVIDER_OF[p.method], deps);
    } catch (error) {
      if (!(error instanceof ProviderNotEnabledError)) throw error;
      await move(
        db,
        p,
        "fail",
        { failure_code: "not_configured", failure_message: "The payout provider is no longer enabled" },
        "not_configured",
        null,
      );
      return { skipped: "provider_not_enabled" } as const;
    }
    const sentAt = new Date();
    // Sent now: an earlier "trying again" note no longer says where it stands.
    await db.updateTable("payouts").set({ sent_at: sentAt, needs_attention: null }).where("id", "=", p.id).execute();
    const batch = await db
      .selectFrom("payout_batches")
      .select(["reference", "currency"])
      .where("id", "=", p.batch_id)
      .executeTakeFirstOrThrow();
    const name = await db
      .selectFrom("agents as a")
      .innerJoin("users as u", "u.id", "a.user_id")
      .select("u.name")
      .where("a.id", "=", p.agent_id)
      .executeTakeFirstOrThrow();
    return { p: { ...p, sent_at: sentAt }, provider, batch, payeeName: name.name } as const;
  });
  if ("skipped" in loaded) return { skipped: loaded.skipped! };
  const { p, provider, batch, payeeName } = loaded;
  const { resultUrl, timeoutUrl } = payoutUrls(origin, PAYOUT_PROVIDER_OF[p.method!], tenant.id, p.id, "commission");
  const result = await provider.payout({
    tenantId: tenant.id,
    payoutId: p.id,
    idempotencyKey: p.provider_ref!,
    reference: p.reference!,
    amountMinor: Number(p.amount_minor),
    currency: batch.currency,
    payee: { name: payeeName, phone: p.payee_phone ?? undefined },
    description: `Commission ${batch.reference}`,
    resultUrl,
    timeoutUrl,
  });
  await withTenant(tenant.id, (db) =>
    logExchange(db, {
      transactionId: null,
      payoutId: p.id,
      provider: PAYOUT_PROVIDER_OF[p.method!],
      kind: "payout",
      exchange: result.exchange,
    }),
  );
  return { payout: p, result };
}

/** What the provider answered to the send, applied under the payout's lock; a send to try again throws (the job retries). */
export async function recordCommissionPayout(tenant: Pick<TenantInfo, "id">, sent: Exclude<SentCommissionPayout, { skipped: string }>) {
  const { payout: p, result } = sent;
  const outcome = await withTenant(tenant.id, async (db) => {
    const current = await lockCommissionPayout(db, p.id);
    if (!current || current.status !== "processing" || current.attempt !== p.attempt) return "moved_meanwhile";
    switch (result.status) {
      case "completed":
        return markPaid(db, current, result.receipt, result.providerRef, null);
      case "pending":
        await db
          .updateTable("payouts")
          .set({ provider_ref: result.providerRef, needs_attention: null, updated_at: new Date() })
          .where("id", "=", p.id)
          .execute();
        return "sent";
      case "failed":
        if (result.retryable) {
          await db
            .updateTable("payouts")
            .set({ sent_at: null, needs_attention: `Trying again: ${result.providerMessage ?? result.reasonCode}` })
            .where("id", "=", p.id)
            .execute();
          return "retry";
        }
        if (result.maybeSent) {
          await attention(
            db,
            p.id,
            `We could not tell whether the provider paid this (${result.providerMessage ?? result.reasonCode}). Check its statement.`,
          );
          return "unknown";
        }
        await move(
          db,
          current,
          "fail",
          { failure_code: result.reasonCode, failure_message: result.providerMessage ?? result.customerMessage },
          result.reasonCode,
          null,
        );
        return "failed";
    }
  });
  if (outcome === "retry" && result.status === "failed")
    throw new RetryPayoutLater(`Payout ${p.reference}: ${result.providerMessage ?? result.reasonCode}`);
  return outcome;
}

async function attention(db: TenantDb, payoutId: string, note: string) {
  await db.updateTable("payouts").set({ needs_attention: note, updated_at: new Date() }).where("id", "=", payoutId).execute();
}

/**
 * Paid once; then, under the batch's row lock (so two last payouts finishing together cannot both
 * miss each other), the batch is paid when none of its lines is left unpaid.
 */
async function markPaid(db: TenantDb, p: CommissionPayout, receipt: string, providerRef: string | null, note: string | null) {
  const moved = await move(
    db,
    p,
    "confirm",
    { receipt, provider_ref: providerRef ?? p.provider_ref, needs_attention: note },
    `Paid: ${receipt}`,
    null,
  );
  if (!moved.ok) return `refused: ${moved.reason}`;
  await db.selectFrom("payout_batches").select("id").where("id", "=", p.batch_id).forUpdate().executeTakeFirst();
  const left = await db
    .selectFrom("payouts")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("batch_id", "=", p.batch_id)
    .where("status", "<>", "paid")
    .executeTakeFirstOrThrow();
  if (left.n === 0) {
    const paid = await payBatch(db, { batchId: p.batch_id, actorUserId: null });
    if (!paid.ok) logger.info({ batchId: p.batch_id }, `commission payouts: ${paid.reason}`);
  }
  return p.status === "failed" ? "late_success" : "paid";
}

/** A provider's word about a commission payout (the caller holds its row lock): decision 025's rules. */
export async function applyCommissionPayoutEvent(db: TenantDb, p: CommissionPayout, event: PayoutEvent): Promise<string> {
  const current = event.providerRef === null || event.providerRef === p.provider_ref;
  switch (event.outcome) {
    case "completed": {
      const receipt = event.receipt ?? event.providerRef ?? "";
      if (p.status === "paid") {
        if (p.receipt === receipt || current) return "duplicate";
        await attention(
          db,
          p.id,
          `The provider also paid attempt ${event.providerRef} (receipt ${receipt}): the agent was paid twice. Recover it.`,
        );
        return "paid_twice";
      }
      if (event.amountMinor !== Number(p.amount_minor)) {
        await attention(
          db,
          p.id,
          `The provider reports paying ${event.amountMinor ?? "?"} (receipt ${receipt}), not this payout's amount. Check it.`,
        );
        return "amount_mismatch";
      }
      if (p.status === "open") {
        await attention(db, p.id, `The provider paid this line (receipt ${receipt}) although it was never started. Check it.`);
        return "paid_while_open";
      }
      return markPaid(db, p, receipt, event.providerRef, current ? null : `Paid by an earlier attempt (${event.providerRef}).`);
    }
    case "failed": {
      if (!current) return "earlier_attempt";
      if (p.status !== "processing") return `ignored_${p.status}`;
      const failed = await move(
        db,
        p,
        "fail",
        { failure_code: event.reasonCode ?? "failed", failure_message: event.providerMessage ?? "The provider did not make the payment" },
        event.reasonCode ?? "failed",
        null,
      );
      return failed.ok ? "failed" : `refused: ${failed.reason}`;
    }
    case "timeout":
      if (!current || p.status !== "processing") return `ignored_${p.status}`;
      // Not a failure: the payment may still happen. Reconciliation asks the provider.
      await attention(
        db,
        p.id,
        `The provider did not process the payment in time (${event.providerMessage ?? "queue timeout"}); we are asking it.`,
      );
      return "timed_out";
    case "unknown":
      if (!current || p.status !== "processing") return `ignored_${p.status}`;
      await attention(
        db,
        p.id,
        `The provider could not say the payment was made (${event.providerMessage ?? "no details"}). Check its statement.`,
      );
      return "status_unknown";
  }
}

/**
 * Commission payouts nobody has heard back about (with the settlements' reconciliation, every five
 * minutes): one never sent is queued again (same job key), one sent a while ago is asked about
 * (Daraja answers later, to the status URL), and after an hour staff are asked to check.
 */
export async function reconcileAgentPayouts(tenant: Pick<TenantInfo, "id">, origin: string, deps: ProviderDeps = {}) {
  const run = { requeued: 0, asked: 0, flagged: 0, errors: 0 };
  const stale = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("payouts")
      .selectAll()
      .where("status", "=", "processing")
      .where((eb) =>
        eb.or([
          eb.and([eb("sent_at", "is", null), eb("updated_at", "<", sql<Date>`now() - make_interval(mins => ${ASK_AFTER_MINUTES})`)]),
          eb("sent_at", "<", sql<Date>`now() - make_interval(mins => ${ASK_AFTER_MINUTES})`),
        ]),
      )
      .orderBy("updated_at")
      .limit(100)
      .execute(),
  );
  for (const p of stale) {
    if (!p.method) continue;
    if (!p.sent_at) {
      await withTenant(tenant.id, (db) =>
        addJob(
          db,
          "submit_commission_payout",
          { tenantId: tenant.id, payoutId: p.id, origin },
          { jobKey: `submit_commission_payout:${tenant.id}:${p.id}:${p.attempt}` },
        ),
      );
      run.requeued += 1;
      continue;
    }
    run.asked += 1;
    try {
      if ((await askAboutPayout(tenant, p, origin, deps)) === "flagged") run.flagged += 1;
    } catch (error) {
      run.errors += 1;
      logger.warn({ tenantId: tenant.id, payoutId: p.id, err: error }, "reconcile: asking about a commission payout failed");
    }
  }
  return run;
}

async function askAboutPayout(tenant: Pick<TenantInfo, "id">, stale: CommissionPayout, origin: string, deps: ProviderDeps) {
  const name = PAYOUT_PROVIDER_OF[stale.method!];
  const provider = await withTenant(tenant.id, (db) => tenantPayoutProvider(db, tenant.id, name, deps));
  const { statusUrl, timeoutUrl } = payoutUrls(origin, name, tenant.id, stale.id, "commission");
  const batch = await withTenant(tenant.id, (db) =>
    db.selectFrom("payout_batches").select("currency").where("id", "=", stale.batch_id).executeTakeFirstOrThrow(),
  );
  const answer = await provider.queryPayout({
    providerRef: stale.provider_ref!,
    amountMinor: Number(stale.amount_minor),
    currency: batch.currency,
    resultUrl: statusUrl,
    timeoutUrl,
  });
  return withTenant(tenant.id, async (db) => {
    await logExchange(db, { transactionId: null, payoutId: stale.id, provider: name, kind: "query", exchange: answer.exchange });
    const p = await lockCommissionPayout(db, stale.id);
    if (!p || p.status !== "processing" || p.attempt !== stale.attempt) return "moved_meanwhile";
    if (answer.ok && answer.event) return applyCommissionPayoutEvent(db, p, answer.event);
    const waited = Date.now() - (p.sent_at ?? p.updated_at ?? new Date()).getTime();
    if (waited > GIVE_UP_AFTER_MINUTES * 60_000) {
      await attention(db, p.id, `No answer from ${name} for over an hour. Check the provider's statement.`);
      return "flagged";
    }
    return answer.ok ? "asked" : "ask_failed";
  });
}

/** The batch's payouts by status, and the lines staff must look at, for the month's page. */
export async function agentPayoutProgress(db: TenantDb, batchId: string) {
  const rows = await db
    .selectFrom("payouts as p")
    .innerJoin("agents as a", "a.id", "p.agent_id")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select([
      "p.id",
      "p.status",
      "p.amount_minor",
      "p.failure_message",
      "p.needs_attention",
      "p.receipt",
      "a.agent_number",
      "a.phone",
      "u.name",
    ])
    .where("p.batch_id", "=", batchId)
    .orderBy("a.agent_number")
    .execute();
  const counts = { open: 0, processing: 0, paid: 0, failed: 0 };
  for (const r of rows) counts[r.status] += 1;
  const waiting = rows.filter((r) => r.status === "open" || r.status === "failed");
  return {
    counts,
    lines: rows.filter((r) => r.status === "failed" || r.needs_attention),
    noPhone: waiting.filter((r) => !r.phone).map((r) => r.agent_number),
    toStart: waiting.filter((r) => r.phone).length,
  };
}

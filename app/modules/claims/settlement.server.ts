import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import type { ClaimSettlementsTable } from "~db/schema";
import { formatMoney } from "~/lib/money";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { tokenHash } from "~/modules/payments/gateway-log.server";
import { providerConfig } from "~/modules/payments/settings.server";
import { decryptPii, encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { maskIdentifier } from "~/modules/pii/identifiers";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { settlementMachine, transition, type SettlementMethodName } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { payoutToken } from "./payout-links.server";
import { SETTLEMENT_METHOD_LABELS } from "./settlement-forms";
import { lockClaim, moveClaim } from "./transition.server";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * Settling an approved claim: paying the claimant exactly once (decision 025, in decision 010's
 * discipline). One settlement per claim (unique), created when the claim is approved; staff with
 * `settle:claim:any` choose how it is paid on the settlement page; every move goes through the
 * settlement machine (app/modules/workflows/settlement.ts) under the settlement's row lock and onto
 * the one timeline; the settlement becoming paid settles the claim (`moveClaim(… "settle")`) in
 * the same transaction, which is what sends the letter and the email (notifications.server.ts).
 *
 * Payouts through a provider (M-Pesa B2C, the sandbox) are sent by a job (payouts.server.ts);
 * bank transfers go out in a bank file staff download and then mark paid with the bank's
 * reference; a payment made elsewhere (a cheque, an EFT) is recorded with its reference.
 */

export type Settlement = Selectable<ClaimSettlementsTable>;
export type PayoutMethod = "mpesa_b2c" | "sandbox";

export const PAYOUT_PROVIDER_OF: Record<PayoutMethod, "mpesa" | "sandbox"> = { mpesa_b2c: "mpesa", sandbox: "sandbox" };

export function isPayoutMethod(method: string | null): method is PayoutMethod {
  return method === "mpesa_b2c" || method === "sandbox";
}

/** An attempt's idempotency key: the reference and the attempt's number (M-Pesa's OriginatorConversationID). */
export function attemptKey(reference: string, attempt: number): string {
  return `${reference}-${attempt}`;
}

/** Whether a provider's reference names an attempt of this settlement (the current one or an earlier one). */
export function isAttemptOf(settlement: Pick<Settlement, "reference" | "attempt" | "provider_ref">, ref: string): boolean {
  if (ref === settlement.provider_ref) return true;
  const prefix = `${settlement.reference}-`;
  if (!ref.startsWith(prefix)) return false;
  const n = Number(ref.slice(prefix.length));
  return Number.isInteger(n) && n >= 1 && n <= settlement.attempt;
}

export type SettlementResult<T = object> =
  ({ ok: true } & T) | { ok: false; status: 404 | 409 | 422; message: string; errors?: Record<string, string[]> };

const notFound = { ok: false as const, status: 404 as const, message: "No such settlement" };

export async function lockSettlement(db: TenantDb, settlementId: string): Promise<Settlement | undefined> {
  return db.selectFrom("claim_settlements").selectAll().where("id", "=", settlementId).forUpdate().executeTakeFirst();
}

/**
 * The settlement of an approved claim, created once: a second call (a retried job, the workflow's
 * `create_settlement` action after the approval already made it) finds the first. The claim's row
 * lock (taken here, or already held by `moveClaim`) keeps two callers from both creating one.
 */
export async function createSettlement(
  db: TenantDb,
  workflow: ClaimWorkflow,
  claimId: string,
  actorUserId: string | null,
): Promise<SettlementResult<{ settlement: Settlement; created: boolean }>> {
  const claim = await lockClaim(db, claimId);
  if (!claim) return { ok: false, status: 404, message: "No such claim" };
  const existing = await db.selectFrom("claim_settlements").selectAll().where("claim_id", "=", claimId).executeTakeFirst();
  if (existing) return { ok: true, settlement: existing, created: false };
  if (claim.status !== "approved") return { ok: false, status: 409, message: "Only an approved claim is settled" };
  const amount = claim.payable_minor ?? claim.approved_minor ?? 0;
  if (amount <= 0) return { ok: false, status: 422, message: "Nothing is payable on this claim after the excess" };

  const payee = await db
    .selectFrom("users")
    .innerJoin("policies", (j) => j.on("policies.id", "=", claim.policy_id))
    .innerJoin("orders", "orders.id", "policies.order_id")
    .select(["users.name", "users.phone", "orders.holder"])
    .where("users.id", "=", claim.claimant_user_id)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const reference = await nextNumber(db, workflow.tenant.numberPrefix, "settlement", new Date().getFullYear());
  const settlement = await db
    .insertInto("claim_settlements")
    .values({
      id,
      claim_id: claimId,
      reference,
      method: null,
      amount_minor: amount,
      currency: claim.currency,
      payee_name: payee.holder.name || payee.name,
      payee_phone: payee.phone ?? payee.holder.phone ?? null,
      // M-Pesa's results are unsigned: this settlement's own secret URL is what proves them.
      callback_token_hash: tokenHash(payoutToken(workflow.tenant.id, id)),
      created_by: actorUserId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "settlement",
    entityId: id,
    from: null,
    to: "pending",
    event: "create",
    reason: `${reference} for claim ${claim.claim_number}`,
    actorUserId,
  });
  return { ok: true, settlement, created: true };
}

export interface PayoutOption {
  method: SettlementMethodName;
  label: string;
  /** Why it cannot be used for this settlement, or null. */
  unavailable: string | null;
}

/** How this agency can pay this settlement, in the order the page offers them. */
export async function payoutOptions(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "currency">,
  settlement: Pick<Settlement, "amount_minor" | "currency">,
): Promise<PayoutOption[]> {
  const mpesa = await providerConfig(db, tenant.id, "mpesa");
  const sandbox = await providerConfig(db, tenant.id, "sandbox");
  const mpesaProblem =
    settlement.currency !== "KES"
      ? "M-Pesa pays Kenya shillings only."
      : !mpesa?.enabled
        ? "M-Pesa is not set up for this agency (Payments settings)."
        : !mpesa.config.initiatorName || !mpesa.config.securityCredential
          ? "M-Pesa payouts need the initiator name and security credential in the Payments settings."
          : settlement.amount_minor % 100 !== 0
            ? "M-Pesa pays whole shillings and this amount has cents: pay it by bank transfer."
            : null;
  return [
    { method: "mpesa_b2c", label: SETTLEMENT_METHOD_LABELS.mpesa_b2c, unavailable: mpesaProblem },
    { method: "bank_transfer", label: SETTLEMENT_METHOD_LABELS.bank_transfer, unavailable: null },
    { method: "manual", label: SETTLEMENT_METHOD_LABELS.manual, unavailable: null },
    {
      method: "sandbox",
      label: SETTLEMENT_METHOD_LABELS.sandbox,
      unavailable: sandbox?.enabled ? null : "The sandbox is only for agencies in test mode.",
    },
  ];
}

export type PayInput =
  | { settlementId: string; method: "mpesa_b2c"; phone: string }
  | { settlementId: string; method: "sandbox" }
  | { settlementId: string; method: "bank_transfer"; payeeName: string; bank: string; account: string };

/**
 * Staff press "Pay": the settlement goes from pending (or failed) to processing, once. Two people
 * pressing at once queue on the row lock; the second finds it already being paid. A provider
 * payout gets the next attempt number (its idempotency key) and one job that sends it; a bank
 * transfer waits for the bank file.
 */
export async function paySettlement(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: PayInput,
  actor: Actor,
): Promise<SettlementResult<{ settlement: Settlement }>> {
  const s = await lockSettlement(db, input.settlementId);
  if (!s) return notFound;
  if (s.status === "processing") return { ok: false, status: 409, message: "This settlement is already being paid." };
  const option = (await payoutOptions(db, workflow.tenant, s)).find((o) => o.method === input.method);
  if (option?.unavailable) return { ok: false, status: 422, message: option.unavailable };
  const move = transition(settlementMachine, s.status, "pay", { method: input.method, payeeReady: true });
  if (!move.ok) return { ok: false, status: 409, message: move.reason };

  const payout = isPayoutMethod(input.method);
  const attempt = payout ? s.attempt + 1 : s.attempt;
  const payee =
    input.method === "bank_transfer"
      ? {
          payee_name: input.payeeName,
          payee_bank: input.bank,
          payee_account_ciphertext: encryptPii(input.account, {
            key: piiKeysFromEnv(),
            context: piiContext(workflow.tenant.id, "bank_account"),
          }),
          payee_account_masked: maskIdentifier("bank_account", input.account),
          exported_at: null,
        }
      : input.method === "mpesa_b2c"
        ? { payee_phone: input.phone }
        : {};
  const settlement = await db
    .updateTable("claim_settlements")
    .set({
      ...payee,
      status: move.to,
      method: input.method,
      attempt,
      provider_ref: payout ? attemptKey(s.reference, attempt) : null,
      provider_receipt: null,
      sent_at: null,
      failure_code: null,
      failure_message: null,
      needs_attention: null,
      updated_at: new Date(),
    })
    .where("id", "=", s.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "settlement",
    entityId: s.id,
    from: s.status,
    to: move.to,
    event: "pay",
    reason: payout ? `${SETTLEMENT_METHOD_LABELS[input.method]}, attempt ${attempt}` : SETTLEMENT_METHOD_LABELS[input.method],
    actorUserId: actor.userId ?? null,
  });
  await recordAudit(db, actor, {
    action: "claim.settlement_pay",
    targetType: "claim_settlement",
    targetId: s.id,
    details: { reference: s.reference, method: input.method, attempt },
  });
  if (payout) {
    await addJob(
      db,
      "submit_payout",
      { tenantId: workflow.tenant.id, settlementId: s.id, origin: workflow.origin },
      { jobKey: `submit_payout:${workflow.tenant.id}:${s.id}:${attempt}` },
    );
  }
  return { ok: true, settlement };
}

/**
 * The one way a settlement becomes paid: the machine's `record` (a payment made elsewhere) or
 * `confirm` (a provider's result, the bank's reference), then the claim is settled in the same
 * transaction. The caller holds the settlement's row lock. Answers the machine's refusal as is.
 */
export async function markSettlementPaid(
  db: TenantDb,
  workflow: ClaimWorkflow,
  s: Settlement,
  input: {
    event: "record" | "confirm";
    /** What the payment is known by: a receipt, a cheque number, the bank's reference. */
    reference: string;
    set: Partial<Pick<Settlement, "method" | "provider_ref" | "provider_receipt" | "manual_reference" | "needs_attention">>;
    actorUserId: string | null;
    reason: string;
  },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const move = transition(settlementMachine, s.status, input.event, { reference: input.reference });
  if (!move.ok) return { ok: false, reason: move.reason };
  const now = new Date();
  await db
    .updateTable("claim_settlements")
    .set({ needs_attention: null, ...input.set, status: "paid", paid_at: now, failure_code: null, failure_message: null, updated_at: now })
    .where("id", "=", s.id)
    .execute();
  await recordStateChange(db, {
    entity: "settlement",
    entityId: s.id,
    from: s.status,
    to: "paid",
    event: input.event,
    reason: input.reason,
    actorUserId: input.actorUserId,
  });
  const claim = await lockClaim(db, s.claim_id);
  if (claim?.status === "approved") {
    await moveClaim(db, workflow, {
      claimId: s.claim_id,
      event: "settle",
      actorUserId: input.actorUserId,
      reason: `${s.reference} paid (${input.reference})`,
    });
  }
  return { ok: true };
}

/** A payment made elsewhere (a cheque, an EFT): staff enter its reference, and the settlement is paid. */
export async function recordManualPayment(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: { settlementId: string; reference: string; note?: string },
  actor: Actor,
): Promise<SettlementResult> {
  const s = await lockSettlement(db, input.settlementId);
  if (!s) return notFound;
  if (s.status === "processing") {
    return { ok: false, status: 409, message: "This settlement is being paid: wait for the payment's result, or mark it failed first." };
  }
  const note = input.note?.trim();
  const paid = await markSettlementPaid(db, workflow, s, {
    event: "record",
    reference: input.reference,
    set: { method: "manual", manual_reference: input.reference, provider_ref: null, provider_receipt: null },
    actorUserId: actor.userId ?? null,
    reason: `Paid elsewhere: ${input.reference}${note ? ` — ${note}` : ""}`,
  });
  if (!paid.ok) return { ok: false, status: 409, message: paid.reason };
  await recordAudit(db, actor, {
    action: "claim.settlement_recorded",
    targetType: "claim_settlement",
    targetId: s.id,
    details: { reference: s.reference, paymentReference: input.reference },
  });
  return { ok: true };
}

/**
 * Staff confirm a payment under way: a bank transfer with the bank's reference, or a provider
 * payout whose answer never came, checked on the provider's statement (its receipt).
 */
export async function confirmSettlementPaid(
  db: TenantDb,
  workflow: ClaimWorkflow,
  input: { settlementId: string; reference: string },
  actor: Actor,
): Promise<SettlementResult> {
  const s = await lockSettlement(db, input.settlementId);
  if (!s) return notFound;
  const bank = s.method === "bank_transfer";
  const paid = await markSettlementPaid(db, workflow, s, {
    event: "confirm",
    reference: input.reference,
    set: bank ? { manual_reference: input.reference } : { provider_receipt: input.reference },
    actorUserId: actor.userId ?? null,
    reason: bank ? `The bank paid it: ${input.reference}` : `Confirmed on the provider's statement: ${input.reference}`,
  });
  if (!paid.ok) return { ok: false, status: 409, message: paid.reason };
  await recordAudit(db, actor, {
    action: "claim.settlement_confirmed",
    targetType: "claim_settlement",
    targetId: s.id,
    details: { reference: s.reference, paymentReference: input.reference },
  });
  return { ok: true };
}

/**
 * A settlement fails: the provider refused it (payouts.server.ts, reason code and message), or
 * staff found the bank returned the transfer or the provider never paid. It can be paid again.
 */
export async function failSettlement(
  db: TenantDb,
  s: Settlement,
  input: { code: string; message: string; actorUserId: string | null },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const move = transition(settlementMachine, s.status, "fail", { reason: input.message });
  if (!move.ok) return { ok: false, reason: move.reason };
  await db
    .updateTable("claim_settlements")
    .set({ status: "failed", failure_code: input.code, failure_message: input.message, needs_attention: null, updated_at: new Date() })
    .where("id", "=", s.id)
    .execute();
  await recordStateChange(db, {
    entity: "settlement",
    entityId: s.id,
    from: s.status,
    to: "failed",
    event: "fail",
    reason: input.message,
    actorUserId: input.actorUserId,
  });
  return { ok: true };
}

export async function markSettlementFailed(
  db: TenantDb,
  input: { settlementId: string; reason: string },
  actor: Actor,
): Promise<SettlementResult> {
  const s = await lockSettlement(db, input.settlementId);
  if (!s) return notFound;
  const failed = await failSettlement(db, s, { code: "staff", message: input.reason, actorUserId: actor.userId ?? null });
  if (!failed.ok) return { ok: false, status: 409, message: failed.reason };
  await recordAudit(db, actor, {
    action: "claim.settlement_failed",
    targetType: "claim_settlement",
    targetId: s.id,
    details: { reference: s.reference },
  });
  return { ok: true };
}

export async function cancelSettlement(
  db: TenantDb,
  input: { settlementId: string; reason: string },
  actor: Actor,
): Promise<SettlementResult> {
  const s = await lockSettlement(db, input.settlementId);
  if (!s) return notFound;
  const move = transition(settlementMachine, s.status, "cancel", { reason: input.reason });
  if (!move.ok) return { ok: false, status: 409, message: move.reason };
  await db.updateTable("claim_settlements").set({ status: "cancelled", updated_at: new Date() }).where("id", "=", s.id).execute();
  await recordStateChange(db, {
    entity: "settlement",
    entityId: s.id,
    from: s.status,
    to: "cancelled",
    event: "cancel",
    reason: input.reason,
    actorUserId: actor.userId ?? null,
  });
  await recordAudit(db, actor, {
    action: "claim.settlement_cancelled",
    targetType: "claim_settlement",
    targetId: s.id,
    details: { reference: s.reference },
  });
  return { ok: true };
}

/**
 * The bank file: every bank transfer waiting to be paid, account numbers in full (decrypted here,
 * for the bank), oldest first. The first download of each transfer is noted on it; every download
 * is in the audit log. Staff then mark each one paid with the bank's reference.
 */
export async function bankTransferFile(db: TenantDb, tenant: Pick<TenantInfo, "id" | "locale">, actor: Actor): Promise<string[][]> {
  const rows = await db
    .selectFrom("claim_settlements as s")
    .innerJoin("claims as c", (j) => j.onRef("c.tenant_id", "=", "s.tenant_id").onRef("c.id", "=", "s.claim_id"))
    .select([
      "s.id",
      "s.reference",
      "c.claim_number",
      "s.payee_name",
      "s.payee_bank",
      "s.payee_account_ciphertext",
      "s.amount_minor",
      "s.currency",
    ])
    .where("s.method", "=", "bank_transfer")
    .where("s.status", "=", "processing")
    .orderBy("s.updated_at")
    .orderBy("s.reference")
    .execute();
  const key = piiKeysFromEnv();
  const context = piiContext(tenant.id, "bank_account");
  if (rows.length) {
    await db
      .updateTable("claim_settlements")
      .set({ exported_at: new Date() })
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .where("exported_at", "is", null)
      .execute();
  }
  await recordAudit(db, actor, {
    action: "claim.bank_file_downloaded",
    targetType: "claim_settlement",
    details: { rows: rows.length, references: rows.map((r) => r.reference) },
  });
  return [
    ["Reference", "Claim", "Payee", "Bank", "Account number", "Amount", "Currency"],
    ...rows.map((r) => [
      r.reference,
      r.claim_number,
      r.payee_name,
      r.payee_bank ?? "",
      r.payee_account_ciphertext ? decryptPii(r.payee_account_ciphertext, { key, context }) : "",
      (r.amount_minor / 100).toFixed(2),
      r.currency,
    ]),
  ];
}

/** The amount as staff and claimants read it. */
export function settlementAmount(s: Pick<Settlement, "amount_minor" | "currency">, locale: string): string {
  return formatMoney(s.amount_minor, s.currency, locale);
}

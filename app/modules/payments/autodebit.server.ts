import type { TenantDb } from "~db/client";
import { withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import type { SavedMethodProvider as SavedMethodProviderName } from "~db/schema";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { notify } from "~/modules/notifications/notify.server";
import { tenantOrigin, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { applyPaymentStatus } from "./apply.server";
import { logExchange } from "./gateway-log.server";
import { failTransaction, instalmentDue, lockTransaction, orderDue } from "./payments.server";
import { savesMethods } from "./providers/index.server";
import { methodLabel, savedMethodReference } from "./saved-methods.server";
import { ProviderNotEnabledError, providerConfig, tenantProvider } from "./settings.server";

/**
 * Charging a saved card with nobody at the keyboard (decision 029): an instalment that falls due
 * on a policy paid automatically, or an order the renewals module renews. Exactly once per
 * instalment or order: the charge is a normal transaction that names the saved method, a unique
 * index allows one such transaction per instalment and per order, the target is locked while it
 * is written, and the provider gets the transaction id as its idempotency key (Stripe) or
 * reference (Paystack), so a retry after a lost answer asks again instead of charging again.
 * A completed charge goes down the usual path (settle_instalment, receipt; or issue_order).
 */

export type ChargeTarget = { orderId: string } | { instalmentId: string };

export type ChargeSavedMethodInput = { userId: string; methodId?: string } & ChargeTarget;

export type ChargeFailureReason =
  /** The customer has no saved method (or not the one named). */
  | "no_saved_method"
  /** The method's provider is switched off for the agency, or cannot charge saved cards. */
  | "provider_unavailable"
  /** The instalment or order is not payable by this customer now (paid, not theirs, not due …). */
  | "not_payable"
  /** The customer is paying it another way right now. */
  | "payment_in_progress"
  /** This instalment or order was charged to a saved card before, and that charge failed. */
  | "already_attempted"
  /** The provider declined (card_declined, authentication_required …): `code` says which. */
  | "declined"
  /** The provider could not be reached; nothing is known to be charged. Try again later. */
  | "unreachable"
  /** The method is a direct debit mandate that is not in force (pending, paused, ended: decision 046). */
  | "mandate_inactive";

export type ChargeSavedMethodResult =
  | { ok: true; transactionId: string; status: "completed" | "pending" }
  | { ok: false; reason: ChargeFailureReason; message: string; code?: string; transactionId?: string };

interface PreparedCharge {
  transactionId: string;
  provider: SavedMethodProviderName;
  method: Record<string, string>;
  amountMinor: number;
  reference: string;
  description: string;
}

/**
 * Starts an off-session payment of an order or an instalment with the customer's default saved
 * method (or `methodId`, one of theirs). `giveUp`: a provider that cannot be reached ends the
 * charge as failed instead of leaving it to be asked again (the job's last attempt).
 */
export async function chargeSavedMethod(
  tenant: TenantInfo,
  input: ChargeSavedMethodInput,
  options: { giveUp?: boolean } = {},
): Promise<ChargeSavedMethodResult> {
  const origin = await tenantOrigin(tenant);
  const prepared = await withTenant(tenant.id, (db) => prepareCharge(db, tenant, input, origin));
  if (!("transactionId" in prepared) || !("method" in prepared)) return prepared;

  let provider;
  try {
    provider = await withTenant(tenant.id, (db) => tenantProvider(db, tenant.id, prepared.provider));
  } catch (error) {
    if (!(error instanceof ProviderNotEnabledError)) throw error;
    provider = undefined;
  }
  if (!provider || !savesMethods(provider)) {
    const message = "Card payments are not available right now.";
    await withTenant(tenant.id, (db) => failTransaction(db, prepared.transactionId, "provider_unavailable", message));
    return { ok: false, reason: "provider_unavailable", message, transactionId: prepared.transactionId };
  }

  const result = await provider.chargeSaved({
    tenantId: tenant.id,
    transactionId: prepared.transactionId,
    reference: prepared.reference,
    amountMinor: prepared.amountMinor,
    currency: tenant.currency,
    description: prepared.description,
    method: prepared.method,
    idempotencyKey: prepared.transactionId,
  });

  return withTenant(tenant.id, async (db) => {
    await logExchange(db, { transactionId: prepared.transactionId, provider: provider.name, kind: "initiate", exchange: result.exchange });
    if (!result.ok) {
      if (result.retryable && !options.giveUp) {
        return {
          ok: false as const,
          reason: "unreachable" as const,
          message: result.customerMessage,
          transactionId: prepared.transactionId,
        };
      }
      await failTransaction(db, prepared.transactionId, result.reasonCode, result.customerMessage);
      return {
        ok: false as const,
        reason: result.retryable ? ("unreachable" as const) : ("declined" as const),
        code: result.reasonCode,
        message: result.customerMessage,
        transactionId: prepared.transactionId,
      };
    }
    await db
      .updateTable("transactions")
      .set({ provider_ref: result.status.providerRef, updated_at: new Date() })
      .where("id", "=", prepared.transactionId)
      .where("provider_ref", "is", null)
      .execute();
    const locked = (await lockTransaction(db, prepared.transactionId))!;
    // The provider's own answer to our call: as good as a confirmation from its status API.
    await applyPaymentStatus(db, tenant.id, locked, result.status, { confirmedByProvider: true });
    const after = await db
      .selectFrom("transactions")
      .select(["status", "failure_code", "failure_message"])
      .where("id", "=", prepared.transactionId)
      .executeTakeFirstOrThrow();
    if (after.status === "completed") return { ok: true as const, transactionId: prepared.transactionId, status: "completed" as const };
    if (after.status === "pending") return { ok: true as const, transactionId: prepared.transactionId, status: "pending" as const };
    return {
      ok: false as const,
      reason: "declined" as const,
      code: after.failure_code ?? "declined",
      message: after.failure_message ?? "The card payment did not go through.",
      transactionId: prepared.transactionId,
    };
  });
}

type Prepared = PreparedCharge | Extract<ChargeSavedMethodResult, { ok: true }> | Extract<ChargeSavedMethodResult, { ok: false }>;

async function prepareCharge(db: TenantDb, tenant: TenantInfo, input: ChargeSavedMethodInput, origin: string): Promise<Prepared> {
  // The target first, locked, in the order every payment writer keeps (lockTransaction).
  const target =
    "orderId" in input
      ? await db
          .selectFrom("orders")
          .select("id")
          .where("id", "=", input.orderId)
          .where("user_id", "=", input.userId)
          .forUpdate()
          .executeTakeFirst()
      : await db
          .selectFrom("instalments")
          .innerJoin("policies", "policies.id", "instalments.policy_id")
          .select("instalments.id")
          .where("instalments.id", "=", input.instalmentId)
          .where("policies.user_id", "=", input.userId)
          .forUpdate(["instalments"])
          .executeTakeFirst();
  if (!target) return { ok: false, reason: "not_payable", message: "We could not find that to pay." };

  const column = "orderId" in input ? "order_id" : "instalment_id";
  const earlier = await db
    .selectFrom("transactions")
    .select(["id", "status", "payment_method_id", "amount_minor", "failure_message", "failure_code"])
    .where(column, "=", target.id)
    .where((eb) => eb.or([eb("payment_method_id", "is not", null), eb("status", "=", "pending")]))
    .execute();
  const saved = earlier.find((t) => t.payment_method_id !== null);
  if (saved?.status === "completed") return { ok: true, transactionId: saved.id, status: "completed" };
  if (saved && saved.status !== "pending") {
    return {
      ok: false,
      reason: "already_attempted",
      code: saved.failure_code ?? undefined,
      message: saved.failure_message ?? "This was charged to a saved card before, and it did not go through.",
      transactionId: saved.id,
    };
  }
  if (saved) {
    // A charge whose answer never came back (a crash, the provider unreachable): ask again, same key.
    const method = await savedMethodReference(db, tenant.id, saved.payment_method_id!);
    const again = await describeTarget(db, input);
    if (!method) return { ok: false, reason: "no_saved_method", message: "The saved card was removed.", transactionId: saved.id };
    return { transactionId: saved.id, provider: method.provider, method: method.reference, amountMinor: saved.amount_minor, ...again };
  }
  if (earlier.some((t) => t.status === "pending")) {
    return { ok: false, reason: "payment_in_progress", message: "A payment of this is already in progress." };
  }

  const chosen = await db
    .selectFrom("payment_methods")
    .select("id")
    .where("user_id", "=", input.userId)
    .where("removed_at", "is", null)
    .$if(input.methodId !== undefined, (q) => q.where("id", "=", input.methodId!))
    .$if(input.methodId === undefined, (q) => q.where("is_default", "=", true))
    .executeTakeFirst();
  const method = chosen ? await savedMethodReference(db, tenant.id, chosen.id) : undefined;
  if (!method) return { ok: false, reason: "no_saved_method", message: "There is no saved card to charge." };
  // A mandate debits only while it is in force (decision 046).
  if (method.kind === "mandate" && method.mandateStatus !== "active") {
    return { ok: false, reason: "mandate_inactive", message: "The direct debit mandate is not in force." };
  }
  const settings = await providerConfig(db, tenant.id, method.provider);
  if (!settings?.enabled) return { ok: false, reason: "provider_unavailable", message: "Card payments are not available right now." };

  const due =
    "orderId" in input
      ? await orderDue(db, tenant, input.orderId, input.userId, origin, "card")
      : await instalmentDue(db, input.instalmentId, input.userId, "card", tenant.currency);
  if (!due.ok) return { ok: false, reason: "not_payable", message: due.message };
  if (method.kind === "mandate" && method.maxAmountMinor !== null && due.amountMinor > method.maxAmountMinor) {
    return {
      ok: false,
      reason: "declined",
      code: "over_mandate_limit",
      message: "This instalment is more than your direct debit mandate allows. Please pay it yourself.",
    };
  }

  const row = await db
    .insertInto("transactions")
    .values({
      order_id: "orderId" in input ? input.orderId : null,
      instalment_id: "instalmentId" in input ? input.instalmentId : null,
      user_id: input.userId,
      provider: method.provider,
      // A mandate debits the member's bank account (FPX direct debit), not a card.
      method: method.kind === "mandate" ? "fpx" : "card",
      mode: settings.mode,
      amount_minor: due.amountMinor,
      currency: tenant.currency,
      payment_method_id: method.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "transaction",
    entityId: row.id,
    from: null,
    to: "pending",
    event: "create",
    reason: "saved_method",
  });
  return {
    transactionId: row.id,
    provider: method.provider,
    method: method.reference,
    amountMinor: due.amountMinor,
    reference: due.reference,
    description: due.description,
  };
}

async function describeTarget(db: TenantDb, target: ChargeTarget): Promise<{ reference: string; description: string }> {
  if ("orderId" in target) {
    const order = await db.selectFrom("orders").select("reference").where("id", "=", target.orderId).executeTakeFirstOrThrow();
    return { reference: order.reference, description: `Insurance ${order.reference}` };
  }
  const row = await db
    .selectFrom("instalments")
    .innerJoin("policies", "policies.id", "instalments.policy_id")
    .select(["instalments.sequence", "policies.policy_number"])
    .where("instalments.id", "=", target.instalmentId)
    .executeTakeFirstOrThrow();
  return { reference: row.policy_number ?? "", description: `Instalment ${row.sequence} of ${row.policy_number}` };
}

/** The premium schedule's hook: an instalment of a policy paid automatically fell due. */
export async function queueAutoDebit(db: TenantDb, tenantId: string, instalmentId: string): Promise<void> {
  await addJob(
    db,
    "autodebit_instalment",
    { tenantId, instalmentId },
    { jobKey: `autodebit_instalment:${tenantId}:${instalmentId}`, maxAttempts: 4 },
  );
}

export type AutoDebitOutcome = "skipped" | "completed" | "pending" | "failed" | "retry";

/**
 * The job's work: charge the instalment to the policy's chosen card if it is still due and still
 * paid automatically. A failure is recorded on its transaction and the customer is told, with a
 * link to pay; the instalment stays due, so the schedule's reminder → overdue → grace → lapse path
 * takes over. `retry`: the provider was not reached and the job should run again.
 */
export async function autoDebitInstalment(
  tenant: TenantInfo,
  instalmentId: string,
  options: { giveUp?: boolean } = {},
): Promise<AutoDebitOutcome> {
  const found = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("instalments")
      .innerJoin("policies", "policies.id", "instalments.policy_id")
      .select(["instalments.status", "policies.user_id", "policies.autodebit_method_id", "policies.status as policy_status"])
      .where("instalments.id", "=", instalmentId)
      .executeTakeFirst(),
  );
  if (!found?.autodebit_method_id || !["due", "overdue"].includes(found.status)) return "skipped";
  const charged = await chargeSavedMethod(tenant, { userId: found.user_id, instalmentId, methodId: found.autodebit_method_id }, options);
  if (charged.ok) return charged.status;
  if (charged.reason === "unreachable" && !charged.code) return "retry";
  if (charged.reason === "payment_in_progress" || charged.reason === "not_payable") return "skipped";
  // A mandate that is not in force (paused, ended) debits nothing: its member was told when it stopped.
  if (charged.reason === "mandate_inactive") return "skipped";
  await withTenant(tenant.id, (db) => noticeAutoDebitFailed(db, tenant, instalmentId, found.autodebit_method_id!, charged.message));
  return "failed";
}

/** "We could not take your premium": once per instalment (dedupe key), with a link to pay it. */
async function noticeAutoDebitFailed(db: TenantDb, tenant: TenantInfo, instalmentId: string, methodId: string, reason: string) {
  const row = await db
    .selectFrom("instalments")
    .innerJoin("policies", "policies.id", "instalments.policy_id")
    .innerJoin("users", "users.id", "policies.user_id")
    .select([
      "instalments.amount_minor",
      "instalments.due_date",
      "policies.id as policy_id",
      "policies.policy_number",
      "users.id as user_id",
      "users.email",
      "users.name",
    ])
    .where("instalments.id", "=", instalmentId)
    .executeTakeFirstOrThrow();
  const method = await db
    .selectFrom("payment_methods")
    .select(["brand", "last4", "kind", "bank_name"])
    .where("id", "=", methodId)
    .executeTakeFirst();
  const origin = await tenantOrigin(tenant);
  await notify(db, tenant.id, {
    event: "autodebit_failed",
    to: { userId: row.user_id },
    vars: {
      policyNumber: row.policy_number ?? "",
      amount: (locale: string) => formatMoney(row.amount_minor, tenant.currency, locale),
      dueDate: (locale: string) => formatDate(row.due_date, locale, "UTC"),
      card: method ? (method.kind === "mandate" ? (method.bank_name ?? "FPX") : methodLabel(method)) : "—",
      reason,
      link: `${origin}/account/policies/${row.policy_id}`,
    },
    dedupeKey: `autodebit_failed:${instalmentId}`,
  });
}

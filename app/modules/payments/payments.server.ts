import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { withTenant } from "~db/client";
import type { PaymentMethod, ProviderName, TransactionMethod, TransactionProvider, TransactionStatus } from "~db/schema";
import { orderForPayment, type PayableOrder } from "~/modules/checkout/orders.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { transition, transactionMachine } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { logExchange, tokenHash } from "./gateway-log.server";
import { applyPaymentStatus } from "./apply.server";
import { isPayableBank } from "./banks.server";
import {
  capturesPayments,
  newCallbackToken,
  normaliseKenyanPhone,
  savesMethods,
  type CustomerAction,
  type PaymentProvider,
} from "./providers/index.server";
import { isSavedMethodProvider, stripeCustomerOf } from "./saved-methods.server";
import { paymentOptions, tenantProvider, transactionProvider } from "./settings.server";

/**
 * Starting a payment: the transaction is recorded before the provider hears of it (so nothing is
 * ever paid that we have no record of), the provider is called outside any database transaction,
 * and its answer is logged raw. At most one payment is in flight per order or instalment (a unique
 * index), so a double click or a second tab pays once.
 */
export type PayTarget = { orderId: string } | { instalmentId: string } | { policyVersionId: string };

/** The transactions column a target's payment is recorded under. */
function targetColumn(target: PayTarget) {
  if ("orderId" in target) return { column: "order_id" as const, id: target.orderId };
  if ("instalmentId" in target) return { column: "instalment_id" as const, id: target.instalmentId };
  return { column: "policy_version_id" as const, id: target.policyVersionId };
}

export type StartPaymentResult =
  | { ok: true; transactionId: string; customerAction: CustomerAction }
  | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> };

export interface StartPaymentInput {
  target: PayTarget;
  userId: string;
  method: PaymentMethod;
  phone?: string;
  email: string;
  /** The storefront's origin: callback and return URLs, and the certificates' verification links. */
  origin: string;
  /** "Save this card for future payments" (decision 029): card payments through Stripe, Paystack or the sandbox. */
  saveMethod?: boolean;
  /** FPX: the bank picked from the provider's list; e-wallets: the wallet (`payableBanks`). */
  bankCode?: string;
}

/** A pending attempt this old is replaced by a new one: an STK prompt lives about a minute. */
const STALE_ATTEMPT_MS = 3 * 60_000;
/** Longer than any provider call takes (adapters time out at 15 s): an attempt still without an answer is dead. */
const INITIATION_MS = 30_000;

/** The answer a first click got from the provider, for a second click that came meanwhile. */
async function awaitInitiation(tenantId: string, transactionId: string): Promise<StartPaymentResult> {
  const deadline = Date.now() + INITIATION_MS;
  for (;;) {
    const tx = await withTenant(tenantId, (db) =>
      db
        .selectFrom("transactions")
        .select(["status", "customer_action", "failure_code", "failure_message"])
        .where("id", "=", transactionId)
        .executeTakeFirst(),
    );
    if (tx?.customer_action) return { ok: true, transactionId, customerAction: tx.customer_action as CustomerAction };
    if (!tx || tx.status !== "pending") {
      const message = tx?.failure_message ?? "The payment could not be started. Please try again.";
      const code = tx?.failure_code ?? "not_started";
      return { ok: false, code, message, fieldErrors: code === "invalid_phone" ? { phone: [message] } : undefined };
    }
    if (Date.now() > deadline)
      return { ok: false, code: "in_progress", message: "Your payment is still being started. Wait a moment, then try again." };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function startPayment(tenant: TenantInfo, input: StartPaymentInput): Promise<StartPaymentResult> {
  const prepared = await withTenant(tenant.id, (db) => prepareTransaction(db, tenant, input));
  if (!prepared.ok) return prepared;
  if (prepared.existing) {
    if (prepared.customerAction) return { ok: true, transactionId: prepared.transactionId, customerAction: prepared.customerAction };
    // A second click while the first is still talking to the provider: wait for its answer.
    return awaitInitiation(tenant.id, prepared.transactionId);
  }

  const provider = await withTenant(tenant.id, (db) => tenantProvider(db, tenant.id, prepared.provider));
  const saving = prepared.saveMethod ? await customerToSaveFor(tenant, provider, prepared.transactionId, input) : undefined;
  const result = await provider.initiate({
    tenantId: tenant.id,
    transactionId: prepared.transactionId,
    reference: prepared.reference,
    amountMinor: prepared.amountMinor,
    currency: tenant.currency,
    phone: prepared.phone ?? undefined,
    ...(input.bankCode ? { bankCode: input.bankCode } : {}),
    email: input.email,
    description: prepared.description,
    callbackUrl: `${input.origin}/webhooks/mpesa/${prepared.callbackToken}`,
    returnUrl: prepared.returnUrl,
    idempotencyKey: prepared.transactionId,
    method: input.method,
    ...(prepared.bankCode ? { bankCode: prepared.bankCode } : {}),
    ...(saving ? { saveMethod: saving } : {}),
  });

  return withTenant(tenant.id, async (db) => {
    await logExchange(db, { transactionId: prepared.transactionId, provider: provider.name, kind: "initiate", exchange: result.exchange });
    if (result.status === "pending") {
      await db
        .updateTable("transactions")
        .set({ provider_ref: result.providerRef, customer_action: JSON.stringify(result.customerAction), updated_at: new Date() })
        .where("id", "=", prepared.transactionId)
        .execute();
      return { ok: true as const, transactionId: prepared.transactionId, customerAction: result.customerAction };
    }
    await closePending(db, prepared.transactionId, "fail", result.reasonCode, result.customerMessage);
    const fieldErrors = result.reasonCode === "invalid_phone" ? { phone: [result.customerMessage] } : undefined;
    return { ok: false as const, code: result.reasonCode, message: result.customerMessage, fieldErrors };
  });
}

type Prepared =
  | { ok: true; existing: true; transactionId: string; customerAction: CustomerAction | null }
  | {
      ok: true;
      existing: false;
      transactionId: string;
      customerAction?: undefined;
      provider: ProviderName;
      amountMinor: number;
      reference: string;
      description: string;
      phone: string | null;
      callbackToken: string;
      returnUrl: string;
      saveMethod: boolean;
      bankCode: string | null;
    }
  | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> };

async function prepareTransaction(db: TenantDb, tenant: TenantInfo, input: StartPaymentInput): Promise<Prepared> {
  const option = (await paymentOptions(db, tenant)).find((o) => o.method === input.method);
  if (!option)
    return {
      ok: false,
      code: "method_unavailable",
      message: "This payment method is not available.",
      fieldErrors: { method: ["Choose an available payment method."] },
    };
  let phone: string | null = null;
  if (input.method === "mpesa") {
    const normalised = normaliseKenyanPhone(input.phone ?? "");
    if (!normalised.ok)
      return { ok: false, code: "invalid_phone", message: normalised.message, fieldErrors: { phone: [normalised.message] } };
    phone = normalised.phone;
  }
  let bankCode: string | null = null;
  if (input.method === "fpx" || input.method === "ewallet") {
    // Offered from the provider's live list; a bank gone offline since the page was shown is refused here.
    if (!input.bankCode || !(await isPayableBank(db, tenant.id, option.provider, input.method, input.bankCode))) {
      const message = input.method === "fpx" ? "Choose a bank that is online now." : "Choose an e-wallet.";
      return { ok: false, code: "bank_unavailable", message, fieldErrors: { bankCode: [message] } };
    }
    bankCode = input.bankCode;
  }

  const due =
    "orderId" in input.target
      ? await orderDue(db, tenant, input.target.orderId, input.userId, input.origin, input.method)
      : "instalmentId" in input.target
        ? await instalmentDue(db, input.target.instalmentId, input.userId, input.method, tenant.currency)
        : await versionDue(db, input.target.policyVersionId, input.userId, input.method, tenant.currency);
  if (!due.ok) return due;
  const target = targetColumn(input.target);

  // One attempt in flight: lock the order/instalment's pending attempt, reuse or retire it.
  const pending = await db
    .selectFrom("transactions")
    .select(["id", "provider", "method", "created_at", "customer_action", "status", "phone_masked", "payment_method_id", "bank_code"])
    .where("status", "=", "pending")
    .where(target.column, "=", target.id)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (pending?.provider === "offline") {
    // Cash or a bank-in the agent collected, waiting for staff: paying again would pay twice.
    return {
      ok: false,
      code: "offline_payment_pending",
      message: "A payment your agent collected is waiting for confirmation by our staff. You do not need to pay again.",
    };
  }
  if (pending?.payment_method_id) {
    // A saved card is being charged for it (decision 029): a second payment now would pay twice.
    return {
      ok: false,
      code: "saved_card_charge_pending",
      message: "Your saved card is being charged for this right now. Check your payments again in a few minutes.",
    };
  }
  if (pending) {
    const age = Date.now() - pending.created_at.getTime();
    const action = (pending.customer_action as CustomerAction | null) ?? null;
    // Started (or still being started, by a first click) for the same method and phone: the same
    // attempt. An attempt that never got its provider's answer is dead after INITIATION_MS.
    const alive = action ? age < STALE_ATTEMPT_MS : age < INITIATION_MS;
    const samePayer =
      input.method !== "mpesa" ||
      (action?.type === "stk_push" ? action.phone === phone : pending.phone_masked === (phone ? maskPhone(phone) : null));
    if (alive && pending.method === input.method && samePayer && pending.bank_code === bankCode) {
      return { ok: true, existing: true, transactionId: pending.id, customerAction: action };
    }
    // The customer moved on (another method, or the prompt went unanswered). If money still
    // arrives for the old attempt, its late success is confirmed with the provider and taken.
    await expireTransaction(db, pending.id, "replaced", "A new payment attempt replaced this one.");
  }

  const callbackToken = newCallbackToken();
  const saveMethod = Boolean(input.saveMethod) && input.method === "card" && isSavedMethodProvider(option.provider);
  const row = await db
    .insertInto("transactions")
    .values({
      order_id: "orderId" in input.target ? input.target.orderId : null,
      instalment_id: "instalmentId" in input.target ? input.target.instalmentId : null,
      policy_version_id: "policyVersionId" in input.target ? input.target.policyVersionId : null,
      user_id: input.userId,
      provider: option.provider,
      method: input.method,
      mode: option.mode,
      amount_minor: due.amountMinor,
      currency: tenant.currency,
      callback_token_hash: tokenHash(callbackToken),
      phone_masked: phone ? maskPhone(phone) : null,
      save_method: saveMethod,
      bank_code: bankCode,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordStateChange(db, {
    entity: "transaction",
    entityId: row.id,
    from: null,
    to: "pending",
    event: "create",
    actorUserId: input.userId,
  });
  // PayPal brings the customer back to its own page first (the approved payment is captured there);
  // Curlec signs the customer's return, so it comes back through the route that checks it.
  const returnUrl =
    option.provider === "paypal"
      ? `${input.origin}${PAYPAL_RETURN_PATH}`
      : option.provider === "curlec"
        ? `${input.origin}/payments/curlec/return/${row.id}`
        : "orderId" in input.target
          ? `${input.origin}/checkout/${input.target.orderId}/pay/${row.id}`
          : `${input.origin}/account/payments/${row.id}`;
  return {
    ok: true,
    existing: false,
    transactionId: row.id,
    provider: option.provider,
    amountMinor: due.amountMinor,
    reference: due.reference,
    description: due.description,
    phone,
    callbackToken,
    returnUrl,
    saveMethod,
    bankCode,
  };
}

/**
 * Where a card to be saved is kept: Stripe keeps cards under a Customer (the customer's own, made
 * once and logged with this attempt); the others need nothing beforehand. A Customer that cannot
 * be made costs the saving, never the payment.
 */
async function customerToSaveFor(
  tenant: TenantInfo,
  provider: PaymentProvider,
  transactionId: string,
  input: StartPaymentInput,
): Promise<{ customerRef: string | null } | undefined> {
  if (!savesMethods(provider)) return undefined;
  if (!provider.createCustomer) return { customerRef: null };
  const known = await withTenant(tenant.id, (db) => stripeCustomerOf(db, tenant.id, input.userId));
  if (known) return { customerRef: known };
  const created = await provider.createCustomer({
    tenantId: tenant.id,
    userId: input.userId,
    email: input.email,
    idempotencyKey: `customer:${tenant.id}:${input.userId}`,
  });
  if (created.exchange) {
    const exchange = created.exchange;
    await withTenant(tenant.id, (db) => logExchange(db, { transactionId, provider: provider.name, kind: "initiate", exchange }));
  }
  return created.ok ? { customerRef: created.customerRef } : undefined;
}

type Due = { ok: true; amountMinor: number; reference: string; description: string } | { ok: false; code: string; message: string };

/** The order's amount due now, recomputed on the server and frozen onto its items. */
/**
 * M-Pesa moves whole shillings only. Rather than refuse a price with cents (levies and discounts
 * make most of them), the cents are waived: the amount is rounded down and the difference is a
 * discount on the order's first item, so the receipt's lines still add up to what was paid.
 */
export function mpesaRounding(amountMinor: number, method: PaymentMethod, currency: string): number {
  return method === "mpesa" && currency === "KES" ? amountMinor % 100 : 0;
}

export async function orderDue(
  db: TenantDb,
  tenant: TenantInfo,
  orderId: string,
  userId: string,
  origin: string,
  method: PaymentMethod,
): Promise<Due> {
  // Serialises attempts on one order (two tabs): the second waits, then finds the first's attempt.
  await db.selectFrom("orders").select("id").where("id", "=", orderId).forUpdate().executeTakeFirst();
  const payable = await orderForPayment(db, tenant, orderId, userId);
  if (!payable.ok) return { ok: false, code: "order_not_payable", message: payable.message };
  const { order } = payable;
  const rounding = mpesaRounding(order.dueNowMinor, method, order.currency);
  if (order.dueNowMinor - rounding <= 0) return { ok: false, code: "nothing_due", message: "There is nothing to pay on this order." };
  await freezeOrderAmounts(db, order, rounding);
  await db.updateTable("orders").set({ origin, updated_at: new Date() }).where("id", "=", orderId).execute();
  const names = order.items.map((i) => i.productName).join(", ");
  return {
    ok: true,
    amountMinor: order.dueNowMinor - rounding,
    reference: order.reference,
    description: `Insurance ${order.reference}: ${names}`,
  };
}

/**
 * Writes the order's amounts onto its items (frequency, instalments, first payment, levies,
 * discount) as they are charged now: what issuance, receipts and commissions read later. `waived`
 * (M-Pesa's cents) comes off the first item that can carry it, as a discount.
 */
export async function freezeOrderAmounts(db: TenantDb, order: Pick<PayableOrder, "items">, waived = 0): Promise<void> {
  const carrier = order.items.findIndex((i) => i.firstPaymentMinor >= waived);
  for (const [index, item] of order.items.entries()) {
    const off = index === carrier ? waived : 0;
    await db
      .updateTable("order_items")
      .set({
        frequency: item.frequency,
        instalments_per_year: item.instalmentsPerYear,
        first_payment_minor: item.firstPaymentMinor - off,
        later_instalment_minor: item.laterInstalmentMinor,
        annual_premium_minor: item.annualPremiumMinor,
        levies_minor: item.leviesMinor,
        discount_minor: item.discountMinor + off,
      })
      .where("id", "=", item.orderItemId)
      .execute();
  }
}

export async function instalmentDue(
  db: TenantDb,
  instalmentId: string,
  userId: string,
  method: PaymentMethod,
  currency: string,
): Promise<Due> {
  const row = await db
    .selectFrom("instalments")
    .innerJoin("policies", "policies.id", "instalments.policy_id")
    .select([
      "instalments.id",
      "instalments.status",
      "instalments.amount_minor",
      "instalments.sequence",
      "instalments.policy_id",
      "policies.policy_number",
      "policies.status as policy_status",
    ])
    .where("instalments.id", "=", instalmentId)
    .where("policies.user_id", "=", userId)
    .forUpdate(["instalments"])
    .executeTakeFirst();
  if (!row) return { ok: false, code: "not_found", message: "We could not find that instalment." };
  if (!["scheduled", "due", "overdue"].includes(row.status))
    return { ok: false, code: "not_payable", message: "This instalment is not open for payment." };
  if (!["active", "grace"].includes(row.policy_status))
    return { ok: false, code: "not_payable", message: "Instalments can be paid on active policies, or policies in grace, only." };
  const earlier = await db
    .selectFrom("instalments")
    .select("id")
    .where("policy_id", "=", row.policy_id)
    .where("sequence", "<", row.sequence)
    .where("status", "in", ["scheduled", "due", "overdue"])
    .executeTakeFirst();
  if (earlier) return { ok: false, code: "not_payable", message: "Pay the earlier instalment first." };
  const amountMinor = row.amount_minor - mpesaRounding(row.amount_minor, method, currency);
  if (amountMinor <= 0) return { ok: false, code: "nothing_due", message: "There is nothing to pay on this instalment." };
  return {
    ok: true,
    amountMinor,
    reference: row.policy_number ?? "",
    description: `Instalment ${row.sequence} of ${row.policy_number}`,
  };
}

/** A change of cover's additional premium (issue 13): due while its version waits for it and the policy is in force. */
async function versionDue(db: TenantDb, versionId: string, userId: string, method: PaymentMethod, currency: string): Promise<Due> {
  const row = await db
    .selectFrom("policy_versions")
    .innerJoin("policies", "policies.id", "policy_versions.policy_id")
    .select([
      "policy_versions.status",
      "policy_versions.version",
      "policy_versions.premium_delta_minor",
      "policies.policy_number",
      "policies.status as policy_status",
    ])
    .where("policy_versions.id", "=", versionId)
    .where("policies.user_id", "=", userId)
    .forUpdate(["policy_versions"])
    .executeTakeFirst();
  if (!row) return { ok: false, code: "not_found", message: "We could not find that change of cover." };
  if (row.status !== "pending") return { ok: false, code: "not_payable", message: "This change of cover has nothing left to pay." };
  if (!["active", "grace"].includes(row.policy_status))
    return { ok: false, code: "not_payable", message: "A change of cover can be paid on a policy in force only." };
  const delta = Number(row.premium_delta_minor);
  const amountMinor = delta - mpesaRounding(delta, method, currency);
  if (amountMinor <= 0) return { ok: false, code: "nothing_due", message: "There is nothing to pay for this change." };
  return {
    ok: true,
    amountMinor,
    reference: row.policy_number ?? "",
    description: `Change of cover of ${row.policy_number}, version ${row.version}`,
  };
}

/**
 * Ends a payment we are still waiting for (the provider refused it, or we stopped waiting), once:
 * the update only touches a pending row, and only a row it moved goes on the timeline.
 */
async function closePending(db: TenantDb, transactionId: string, event: "fail" | "expire", code: string, message: string): Promise<void> {
  const moved = transition(transactionMachine, "pending", event);
  if (!moved.ok) return;
  const result = await db
    .updateTable("transactions")
    .set({ status: moved.to, failure_code: code, failure_message: message, updated_at: new Date() })
    .where("id", "=", transactionId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return;
  await recordStateChange(db, { entity: "transaction", entityId: transactionId, from: "pending", to: moved.to, event, reason: code });
}

export function expireTransaction(db: TenantDb, transactionId: string, code: string, message: string): Promise<void> {
  return closePending(db, transactionId, "expire", code, message);
}

/** A payment the provider could not take and never will (a saved card's charge given up on). */
export function failTransaction(db: TenantDb, transactionId: string, code: string, message: string): Promise<void> {
  return closePending(db, transactionId, "fail", code, message);
}

/** 2547XXXXXXXX → +254 7** *** 678: enough for the customer to recognise, no more. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return `+${digits.slice(0, 3)} ${digits.slice(3, 4)}** *** ${digits.slice(-3)}`;
}

export interface PaymentView {
  id: string;
  status: TransactionStatus;
  method: TransactionMethod;
  provider: TransactionProvider;
  mode: "test" | "live";
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  providerRef: string | null;
  providerReceipt: string | null;
  failureMessage: string | null;
  customerAction: CustomerAction | null;
  orderId: string | null;
  orderReference: string | null;
  instalmentId: string | null;
  phoneMasked: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** One payment; with `userId`, only if it is that customer's. */
export async function getPayment(db: TenantDb, transactionId: string, userId?: string): Promise<PaymentView | undefined> {
  let query = db
    .selectFrom("transactions")
    .leftJoin("orders", "orders.id", "transactions.order_id")
    .selectAll("transactions")
    .select("orders.reference as order_reference")
    .where("transactions.id", "=", transactionId);
  if (userId) query = query.where("transactions.user_id", "=", userId);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    status: row.status,
    method: row.method,
    provider: row.provider,
    mode: row.mode,
    amountMinor: row.amount_minor,
    refundedMinor: row.refunded_minor,
    currency: row.currency,
    providerRef: row.provider_ref,
    providerReceipt: row.provider_receipt,
    failureMessage: row.failure_message,
    customerAction: (row.customer_action as CustomerAction | null) ?? null,
    orderId: row.order_id,
    orderReference: row.order_reference,
    instalmentId: row.instalment_id,
    phoneMasked: row.phone_masked,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

/** Pending this long, the status page may ask the provider itself (a late or lost callback). */
const QUERY_AFTER_MS = 30_000;

/** "Check again" on a pending payment: ask the provider's status API and apply what it says. */
export async function refreshPendingPayment(tenant: TenantInfo, transactionId: string): Promise<void> {
  const tx = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("transactions")
      .select(["id", "status", "provider", "provider_ref", "created_at"])
      .where("id", "=", transactionId)
      .executeTakeFirst(),
  );
  // An offline payment waits for staff, not for a provider.
  if (!tx || tx.status !== "pending" || tx.provider === "offline" || !tx.provider_ref) return;
  if (Date.now() - tx.created_at.getTime() < QUERY_AFTER_MS) return;
  await queryAndApply(tenant.id, tx.id);
}

/**
 * Asks the provider's status API about one transaction and applies the answer. Used by
 * reconciliation and by "Check again"; a query confirms, so a late success is taken.
 */
export async function queryAndApply(tenantId: string, transactionId: string): Promise<string> {
  const tx = await withTenant(tenantId, (db) =>
    db.selectFrom("transactions").select(["id", "provider", "provider_ref"]).where("id", "=", transactionId).executeTakeFirst(),
  );
  if (!tx?.provider_ref) return "no_provider_ref";
  const provider = await withTenant(tenantId, (db) => transactionProvider(db, tenantId, tx));
  const result = await provider.query(tx.provider_ref);
  await withTenant(tenantId, (db) =>
    logExchange(db, { transactionId: tx.id, provider: tx.provider, kind: "query", exchange: result.exchange }),
  );
  if (!result.ok) return `query_${result.reason}`;
  // Approved at PayPal but never brought back to us (a closed tab): the money is taken here.
  if (result.status.reasonCode === "approved" && capturesPayments(provider)) return captureAndApply(tenantId, tx.id);
  return withTenant(tenantId, async (db) => {
    const locked = await lockTransaction(db, tx.id);
    return applyPaymentStatus(db, tenantId, locked!, result.status, { confirmedByProvider: true });
  });
}

/** Where PayPal sends the customer back (approved, or cancelled with ?cancelled=1), with ?token=<order id>. */
export const PAYPAL_RETURN_PATH = "/payments/paypal/return";

/**
 * Takes the money of a payment its customer approved at the provider (PayPal's capture) and
 * applies the answer. The capture's idempotency key is per attempt, so a second return (a reload,
 * reconciliation at the same moment) captures once; the answer is PayPal's, so it confirms.
 */
export async function captureAndApply(tenantId: string, transactionId: string): Promise<string> {
  const tx = await withTenant(tenantId, (db) =>
    db.selectFrom("transactions").select(["id", "provider", "provider_ref", "status"]).where("id", "=", transactionId).executeTakeFirst(),
  );
  if (!tx?.provider_ref) return "no_provider_ref";
  if (tx.status !== "pending") return `ignored_already_${tx.status}`;
  const provider = await withTenant(tenantId, (db) => transactionProvider(db, tenantId, tx));
  if (!capturesPayments(provider)) return "not_captured_by_provider";
  const result = await provider.capture(tx.provider_ref, `capture:${tx.id}`);
  return withTenant(tenantId, async (db) => {
    await logExchange(db, { transactionId: tx.id, provider: tx.provider, kind: "capture", exchange: result.exchange });
    if (!result.ok) return `capture_${result.reason}`;
    const locked = await lockTransaction(db, tx.id);
    return applyPaymentStatus(db, tenantId, locked!, result.status, { confirmedByProvider: true });
  });
}

/**
 * Locks a payment for a change of its state, in the one lock order every writer keeps: the order
 * it pays for first (startPayment locks the order, then its attempt in flight; a success applied
 * here goes on to mark the order paid), then the payment. The other way round, a second click on
 * "Pay" while the success is being applied deadlocks with it.
 *
 * FOR NO KEY UPDATE, not FOR UPDATE: rows that point at the payment (a callback's gateway_log and
 * provider_events rows) take a key-share lock on it, and a FOR UPDATE here would wait for them
 * while they wait for the event row this job holds — a deadlock whenever a duplicate callback
 * arrives as its first delivery is being processed.
 */
export async function lockTransaction(db: TenantDb, transactionId: string) {
  const target = await db.selectFrom("transactions").select("order_id").where("id", "=", transactionId).executeTakeFirst();
  if (target?.order_id) await db.selectFrom("orders").select("id").where("id", "=", target.order_id).forUpdate().executeTakeFirst();
  return db.selectFrom("transactions").selectAll().where("id", "=", transactionId).forNoKeyUpdate().executeTakeFirst();
}

/**
 * Pending provider payments older than `minutes` (reconciliation). Offline payments are not among
 * them: no provider can be asked about cash an agent collected, and they wait for staff to confirm
 * or reject them however long that takes — never expired by the clock.
 */
export async function stalePendingTransactions(db: TenantDb, minutes: number) {
  return (
    db
      .selectFrom("transactions")
      .select(["id", "provider", "provider_ref", "created_at"])
      .where("status", "=", "pending")
      .where("provider", "!=", "offline")
      // Held for a wrong amount: for staff, not for the provider's status API.
      .where((eb) => eb.or([eb("failure_code", "is", null), eb("failure_code", "!=", "amount_mismatch")]))
      .where("created_at", "<", sql<Date>`now() - make_interval(mins => ${minutes})`)
      .orderBy("created_at")
      .limit(200)
      .execute()
  );
}

import { asRecord, str, type HttpCall, type HttpOutcome } from "./exchange.server";
import {
  checkAmount,
  CURRENCIES,
  curlecFailure,
  declineOf,
  FPX_MIN_SEN,
  paymentStatus,
  redirectOf,
  refusal,
  tokenEvent,
  tokenStatus,
  unavailable,
  UNAVAILABLE,
} from "./curlec-entities.server";
import type {
  ChargeSavedRequest,
  ChargeSavedResult,
  Exchange,
  Failure,
  MandateEvent,
  MandateRequest,
  MandateResult,
  PayableBank,
  QueryResult,
} from "./types";

/**
 * Curlec's e-mandates and their debits (decision 044, 046), for `CurlecProvider`: a customer
 * (`fail_existing: 0` hands back the existing one), an authorisation order with `token` limits, the
 * member authorises at their bank; token.* webhooks say where the mandate stands. Debits are a new
 * order plus /payments/create/recurring with the token. The FPX banks and wallets are listed here
 * too (the mandate picker and checkout share them).
 */

export interface OrderRequest {
  amountMinor: number;
  currency: string;
  receipt: string;
  notes: Record<string, string>;
  extra?: Record<string, unknown>;
}
export type OrderAnswer = { ok: true; id: string; created: boolean } | { ok: false; failure: Failure };

/** What these calls need of the adapter: its authenticated HTTP, its status query, its orders and clock. */
export interface CurlecApi {
  http(call: Omit<HttpCall, "headers">): Promise<HttpOutcome>;
  query(providerRef: string): Promise<QueryResult>;
  findOrCreateOrder(input: OrderRequest): Promise<OrderAnswer>;
  now(): Date;
}

/**
 * A debit on an active mandate. The order's receipt is the idempotency key: a retry finds the
 * order and answers from what Curlec holds for it, and only debits again when every earlier
 * attempt on that order failed (the instalment is still unpaid).
 */
export async function chargeSaved(api: CurlecApi, req: ChargeSavedRequest): Promise<ChargeSavedResult> {
  const refused = checkAmount(req.amountMinor, req.currency, "emandate");
  if (refused) return { ok: false, ...refused };
  // The mandate's reference as the mandates module keeps it (decision 046): Curlec's customer and token.
  const customerId = req.method.customerRef;
  const tokenId = req.method.mandate;
  if (!customerId || !tokenId) return { ok: false, ...refusal("mandate_missing", "This payment method cannot be debited any more.") };

  const order = await api.findOrCreateOrder({
    amountMinor: req.amountMinor,
    currency: req.currency,
    receipt: req.idempotencyKey,
    notes: { transactionId: req.transactionId, tenantId: req.tenantId, reference: req.reference },
  });
  if (!order.ok) return { ok: false, ...order.failure };
  if (!order.created) {
    const known = await api.query(order.id);
    if (!known.ok) {
      return {
        ok: false,
        reasonCode: "provider_unavailable",
        customerMessage: UNAVAILABLE,
        providerMessage: known.message,
        retryable: true,
        exchange: known.exchange,
      };
    }
    // Paid, or a debit still on its way: never a second one. Only failed attempts (or none) debit again.
    const settled =
      known.status.providerCode !== "no_payment" &&
      known.status.outcome !== "failed" &&
      known.status.outcome !== "cancelled" &&
      known.status.outcome !== "expired";
    if (settled) return { ok: true, status: known.status, exchange: known.exchange };
  }

  const outcome = await api.http({
    method: "POST",
    url: "/payments/create/recurring",
    body: {
      amount: req.amountMinor,
      currency: req.currency,
      order_id: order.id,
      customer_id: customerId,
      token: tokenId,
      recurring: "1",
      ...(req.method.email ? { email: req.method.email } : {}),
      ...(req.method.contact ? { contact: req.method.contact } : {}),
      description: req.description.slice(0, 255),
      notes: { transactionId: req.transactionId, reference: req.reference },
    },
  });
  if (outcome.kind === "response" && outcome.status === 200) {
    const paymentId = str(asRecord(outcome.body).razorpay_payment_id);
    const fetched = paymentId ? await api.http({ method: "GET", url: `/payments/${encodeURIComponent(paymentId)}` }) : null;
    if (fetched?.kind === "response" && fetched.status === 200) {
      const status = paymentStatus(order.id, asRecord(fetched.body), fetched.body);
      return { ok: true, status: status.outcome === "failed" ? { ...status, final: true } : status, exchange: fetched.exchange };
    }
    return {
      ok: true,
      status: {
        providerRef: order.id,
        outcome: "pending",
        final: false,
        ...(paymentId ? { receipt: paymentId } : {}),
        raw: outcome.body,
      },
      exchange: outcome.exchange,
    };
  }
  const failure = curlecFailure(outcome);
  // Curlec refused the debit itself (a declined account, an inactive token): a result, the
  // instalment stays due. An outage or our own fault is "nothing happened".
  if (outcome.kind === "response" && failure.reasonCode !== "provider_unavailable" && failure.reasonCode !== "provider_auth_failed") {
    const error = asRecord(asRecord(outcome.body).error);
    return {
      ok: true,
      status: {
        providerRef: order.id,
        ...declineOf(error),
        final: true,
        raw: outcome.body,
      },
      exchange: outcome.exchange,
    };
  }
  return { ok: false, ...failure };
}

export async function listBanks(
  api: CurlecApi,
  method: "fpx" | "ewallet",
): Promise<{ ok: true; banks: PayableBank[]; exchange: Exchange | null } | ({ ok: false } & Failure)> {
  const outcome = await api.http({ method: "GET", url: "/methods" });
  if (outcome.kind === "network_error") return { ok: false, ...unavailable(outcome.exchange, outcome.error) };
  if (outcome.status !== 200) return { ok: false, ...curlecFailure(outcome) };
  const body = asRecord(outcome.body);
  const listed = asRecord(method === "fpx" ? body.fpx : body.wallet);
  const banks: PayableBank[] = [];
  for (const [code, value] of Object.entries(listed)) {
    // B2B (corporate) FPX banks end in _C: the storefront takes personal accounts only.
    if (method === "fpx" && code.endsWith("_C")) continue;
    if (value === false) continue;
    const entry = asRecord(value);
    const name = typeof value === "string" ? value : (str(entry.name) ?? walletName(code));
    const status = str(entry.status)?.toLowerCase();
    const available = entry.available !== false && status !== "offline" && status !== "down" && status !== "inactive";
    banks.push({ code, name, available });
  }
  banks.sort((a, b) => a.name.localeCompare(b.name));
  return { ok: true, banks, exchange: outcome.exchange };
}

export async function createMandate(api: CurlecApi, req: MandateRequest): Promise<MandateResult> {
  if (!CURRENCIES.has(req.currency)) return { status: "failed", ...refusal("currency_not_supported", "Curlec takes ringgit (MYR) only.") };
  if (
    !Number.isSafeInteger(req.maxAmountMinor) ||
    req.maxAmountMinor <= 0 ||
    !Number.isSafeInteger(req.firstAmountMinor) ||
    req.firstAmountMinor < 0
  ) {
    return { status: "failed", ...refusal("invalid_amount", "This amount cannot be set up for automatic payment.") };
  }
  if (req.method === "fpx" && req.firstAmountMinor < FPX_MIN_SEN) {
    return { status: "failed", ...refusal("invalid_amount", "An FPX authorisation takes at least RM 1.00.") };
  }
  if (req.method === "fpx" && !req.bankCode) return { status: "failed", ...refusal("bank_required", "Choose your bank.") };
  const expireAt = Math.floor(new Date(req.expiresAt).getTime() / 1000);
  if (!Number.isFinite(expireAt) || expireAt * 1000 <= api.now().getTime()) {
    return { status: "failed", ...refusal("invalid_expiry", "The automatic payment must end in the future.") };
  }

  let customerId = req.customerRef ?? undefined;
  if (!customerId) {
    const customer = await api.http({
      method: "POST",
      url: "/customers",
      body: {
        name: req.customer.name.slice(0, 50),
        email: req.customer.email,
        ...(req.customer.phone ? { contact: req.customer.phone } : {}),
        // "0": hand back the customer Curlec already has for these details instead of failing.
        fail_existing: "0",
      },
    });
    customerId = customer.kind === "response" && customer.status === 200 ? str(asRecord(customer.body).id) : undefined;
    if (!customerId) return { status: "failed", ...curlecFailure(customer) };
  }

  const order = await api.findOrCreateOrder({
    amountMinor: req.firstAmountMinor,
    currency: req.currency,
    receipt: req.mandateId,
    notes: { mandateId: req.mandateId, tenantId: req.tenantId, reference: req.reference },
    extra: {
      customer_id: customerId,
      method: req.method,
      token: {
        max_amount: req.maxAmountMinor,
        expire_at: expireAt,
        frequency: "as_presented",
        notes: { mandateId: req.mandateId },
      },
    },
  });
  if (!order.ok) return { status: "failed", ...order.failure };

  const outcome = await api.http({
    method: "POST",
    url: "/payments/create/json",
    body: {
      amount: req.firstAmountMinor,
      currency: req.currency,
      order_id: order.id,
      customer_id: customerId,
      recurring: "1",
      method: req.method,
      ...(req.bankCode ? { bank: req.bankCode } : {}),
      email: req.customer.email,
      ...(req.customer.phone ? { contact: req.customer.phone } : {}),
      description: req.description.slice(0, 255),
      callback_url: req.returnUrl,
      callback_method: "get",
    },
  });
  const next = redirectOf(outcome);
  if (next) {
    return {
      status: "pending",
      providerRef: order.id,
      customerRef: customerId,
      customerAction: { type: "redirect", url: next.url },
      details: next.paymentId ? { paymentId: next.paymentId } : {},
      exchange: outcome.exchange,
    };
  }
  return { status: "failed", ...curlecFailure(outcome) };
}

export async function queryMandate(
  api: CurlecApi,
  ref: {
    customerRef: string;
    mandateRef: string | null;
    providerRef?: string | null;
  },
): Promise<{ ok: true; event: MandateEvent; exchange: Exchange } | ({ ok: false } & Failure)> {
  if (!ref.mandateRef) return queryAuthorisation(api, ref.customerRef, ref.providerRef ?? null);
  const outcome = await api.http({
    method: "GET",
    url: `/customers/${encodeURIComponent(ref.customerRef)}/tokens/${encodeURIComponent(ref.mandateRef)}`,
  });
  if (outcome.kind === "response" && outcome.status === 200) {
    const token = asRecord(outcome.body);
    const status = tokenStatus(token);
    const event = tokenEvent(
      { ...token, customer_id: str(token.customer_id) ?? ref.customerRef },
      `token.${status}`,
      outcome.body,
      `query:${ref.mandateRef}:${status}`,
    );
    if (event) return { ok: true, event, exchange: outcome.exchange };
  }
  return { ok: false, ...curlecFailure(outcome) };
}

/**
 * A mandate whose token we were never told about: its authorisation order's payments name the
 * token once the member authorised (then the token says where it stands); a failed payment and
 * no token is a rejected authorisation; no payment yet is still pending.
 */
async function queryAuthorisation(
  api: CurlecApi,
  customerRef: string,
  orderId: string | null,
): Promise<{ ok: true; event: MandateEvent; exchange: Exchange } | ({ ok: false } & Failure)> {
  if (!orderId) return { ok: false, ...refusal("mandate_missing", "This automatic debit cannot be looked up.") };
  const outcome = await api.http({ method: "GET", url: `/orders/${encodeURIComponent(orderId)}/payments` });
  if (outcome.kind !== "response" || outcome.status !== 200) return { ok: false, ...curlecFailure(outcome) };
  const items = Array.isArray(asRecord(outcome.body).items) ? (asRecord(outcome.body).items as unknown[]).map(asRecord) : [];
  const tokenId = items.map((p) => str(p.token_id)).find(Boolean);
  if (tokenId) {
    const found = await queryMandate(api, { customerRef, mandateRef: tokenId });
    return found.ok ? { ...found, event: { ...found.event, providerRef: found.event.providerRef ?? orderId } } : found;
  }
  const failed = items.length > 0 && items.every((p) => str(p.status) === "failed");
  const last = items[items.length - 1];
  const reason = last ? str(last.error_reason) : undefined;
  return {
    ok: true,
    exchange: outcome.exchange,
    event: {
      kind: "mandate",
      providerEventId: `query:${orderId}:${failed ? "rejected" : "pending"}`,
      providerRef: orderId,
      mandateRef: null,
      customerRef,
      status: failed ? "rejected" : "pending",
      ...(failed && reason ? { reasonCode: reason, providerMessage: str(last!.error_description) ?? reason } : {}),
      raw: outcome.body,
    },
  };
}

export async function cancelMandate(
  api: CurlecApi,
  ref: {
    customerRef: string;
    mandateRef: string;
  },
): Promise<{ ok: true; exchange: Exchange } | ({ ok: false } & Failure)> {
  const outcome = await api.http({
    method: "DELETE",
    url: `/customers/${encodeURIComponent(ref.customerRef)}/tokens/${encodeURIComponent(ref.mandateRef)}`,
  });
  // Already gone is what we wanted.
  if (outcome.kind === "response" && (outcome.status === 200 || outcome.status === 404)) return { ok: true, exchange: outcome.exchange };
  return { ok: false, ...curlecFailure(outcome) };
}

function walletName(code: string): string {
  const known: Record<string, string> = { grabpay: "GrabPay", touchngo: "Touch 'n Go eWallet", boost: "Boost", shopeepay: "ShopeePay" };
  return known[code] ?? code;
}

import { asRecord, str, type HttpOutcome } from "./exchange.server";
import type { Exchange, Failure, MandateEvent, MandateStatus, PaymentStatus, RefundEvent, RefundResult } from "./types";

/**
 * Curlec's (Razorpay's) entities in our words, shared by its one-off payments, Payment Links and
 * mandates (decision 044): payment and order statuses, declines by whose fault they were, refunds,
 * tokens, and its error answers.
 */

export const UNAVAILABLE =
  "Online banking payments are not answering right now. Please try again in a few minutes, or choose another payment method.";
export const NOT_STARTED = "We could not start the payment. Please try again, or choose another payment method.";

/** An order's payments (GET /orders/{id}/payments) as one PaymentStatus: a captured one wins, else the latest. */
export function orderStatus(orderId: string, payments: Record<string, unknown>[], raw: unknown): PaymentStatus {
  const paid = payments.find((p) => ["captured", "authorized", "refunded"].includes(str(p.status) ?? ""));
  if (paid) return paymentStatus(orderId, paid, raw);
  const latest = [...payments].sort((a, b) => Number(b.created_at ?? 0) - Number(a.created_at ?? 0))[0];
  if (latest) return paymentStatus(orderId, latest, raw);
  // The customer has not reached their bank yet (or left before choosing): nothing to say.
  return { providerRef: orderId, outcome: "pending", final: false, providerCode: "no_payment", raw };
}

/** A Curlec payment entity as our PaymentStatus. */
export function paymentStatus(orderId: string, payment: Record<string, unknown>, raw: unknown): PaymentStatus {
  const status = str(payment.status) ?? "unknown";
  const base = {
    providerRef: str(payment.order_id) ?? orderId,
    providerCode: status,
    ...(typeof payment.amount === "number" && Number.isSafeInteger(payment.amount) ? { amountMinor: payment.amount } : {}),
    ...(str(payment.currency) ? { currency: str(payment.currency)!.toUpperCase() } : {}),
    ...(str(payment.id) ? { receipt: str(payment.id) } : {}),
    ...(epochIso(payment.created_at) ? { occurredAt: epochIso(payment.created_at) } : {}),
    raw,
  };
  switch (status) {
    case "captured":
    case "authorized":
    case "refunded":
      // Orders are created with payment_capture: an authorised payment is captured by Curlec.
      return { ...base, outcome: "completed", final: true };
    case "failed": {
      // The customer may try again on the same order (another bank): a failure is not the last word.
      const decline = declineOf({
        code: payment.error_code,
        description: payment.error_description,
        source: payment.error_source,
        step: payment.error_step,
        reason: payment.error_reason,
      });
      return { ...base, ...decline, final: false };
    }
    default:
      return { ...base, outcome: "pending", final: false };
  }
}

/**
 * Curlec's error (code, description, source, step, reason) in our words. `source` says whose doing
 * it was — the customer, their bank, or Curlec's side — which decides what the customer is told.
 */
export function declineOf(error: Record<string, unknown>): Pick<
  PaymentStatus,
  "outcome" | "reasonCode" | "customerMessage" | "providerMessage"
> & {
  outcome: "failed" | "cancelled" | "expired";
} {
  const reason = str(error.reason) ?? "";
  const source = str(error.source) ?? "";
  const code = str(error.code) ?? "";
  const providerMessage = [
    code,
    str(error.description),
    reason && `reason=${reason}`,
    source && `source=${source}`,
    str(error.step) && `step=${str(error.step)}`,
  ]
    .filter(Boolean)
    .join(" · ");
  const said = providerMessage ? { providerMessage } : {};
  if (/cancel/.test(reason)) {
    return {
      outcome: "cancelled",
      reasonCode: "cancelled_by_customer",
      customerMessage: "You cancelled the payment at your bank.",
      ...said,
    };
  }
  if (/timed_out|timeout|expired/.test(reason)) {
    return {
      outcome: "expired",
      reasonCode: "timeout",
      customerMessage: "The payment was not completed in time. Please try again.",
      ...said,
    };
  }
  if (/insufficient/.test(reason)) {
    return {
      outcome: "failed",
      reasonCode: "insufficient_funds",
      customerMessage: "Your account did not have enough funds for this payment.",
      ...said,
    };
  }
  if (source === "customer") {
    return {
      outcome: "failed",
      reasonCode: "customer_declined",
      customerMessage: "The payment was not authorised at your bank. Please try again, or choose another bank.",
      ...said,
    };
  }
  if (source === "bank" || source === "issuer" || source === "business") {
    return {
      outcome: "failed",
      reasonCode: "bank_declined",
      customerMessage: "Your bank declined the payment. Please try another bank or payment method.",
      ...said,
    };
  }
  if (code === "GATEWAY_ERROR" || code === "SERVER_ERROR" || source === "gateway" || source === "internal") {
    return {
      outcome: "failed",
      reasonCode: "provider_error",
      customerMessage: "The payment could not be completed because of a problem on the payment network. Please try again.",
      ...said,
    };
  }
  return { outcome: "failed", reasonCode: "declined", customerMessage: "Your payment did not go through. Please try again.", ...said };
}

export function refundAnswer(refund: Record<string, unknown>, exchange: Exchange): RefundResult {
  const status = str(refund.status);
  if (status === "failed") {
    return {
      status: "refused",
      reasonCode: "refund_failed",
      customerMessage: "Curlec could not make the refund.",
      retryable: false,
      exchange,
    };
  }
  return { status: status === "processed" ? "completed" : "pending", refundRef: str(refund.id)!, exchange };
}

export function refundEvent(
  event: string,
  refund: Record<string, unknown>,
  payment: Record<string, unknown>,
  raw: unknown,
  eventId: (entityId: string) => string,
): RefundEvent | null {
  const refundId = str(refund.id);
  if (!refundId) return null;
  const outcome = event === "refund.processed" ? "completed" : event === "refund.failed" ? "failed" : "pending";
  return {
    kind: "refund",
    providerEventId: eventId(refundId),
    refundRef: refundId,
    providerRef: str(payment.order_id) ?? null,
    outcome,
    ...(typeof refund.amount === "number" && Number.isSafeInteger(refund.amount) ? { amountMinor: refund.amount } : {}),
    ...(str(refund.currency) ? { currency: str(refund.currency)!.toUpperCase() } : {}),
    ...(outcome === "failed" ? { reasonCode: "refund_failed" } : {}),
    ...(str(asRecord(refund.notes).reason) ? { message: str(asRecord(refund.notes).reason) } : {}),
    ...(epochIso(refund.created_at) ? { occurredAt: epochIso(refund.created_at) } : {}),
    raw,
  };
}

export const TOKEN_EVENTS: Record<string, MandateStatus> = {
  "token.confirmed": "active",
  "token.rejected": "rejected",
  "token.cancelled": "cancelled",
  "token.paused": "paused",
  "token.resumed": "active",
  "token.expired": "expired",
  "token.initiated": "pending",
  "token.pending": "pending",
};

/** Where a token stands, from its recurring_details (the tokens API) in Curlec's words. */
export function tokenStatus(token: Record<string, unknown>): string {
  const status = str(asRecord(token.recurring_details).status) ?? (token.recurring === true ? "confirmed" : "initiated");
  const expiredAt = Number(token.expired_at);
  if (status === "confirmed" && Number.isFinite(expiredAt) && expiredAt > 0 && expiredAt * 1000 < Date.now()) return "expired";
  return status;
}

export function tokenEvent(token: Record<string, unknown>, event: string, raw: unknown, providerEventId: string): MandateEvent | null {
  const status = TOKEN_EVENTS[event];
  if (!status) return null;
  const details = asRecord(token.recurring_details);
  const card = asRecord(token.card);
  const bank = str(token.bank);
  const failure = str(details.failure_reason);
  return {
    kind: "mandate",
    providerEventId,
    providerRef: str(token.order_id) ?? null,
    mandateRef: str(token.id) ?? null,
    customerRef: str(token.customer_id) ?? null,
    status,
    ...(typeof token.max_amount === "number" ? { maxAmountMinor: token.max_amount } : {}),
    ...(bank ? { bankName: bank } : {}),
    ...(str(card.network) ? { brand: str(card.network)!.toLowerCase() } : {}),
    ...(str(card.last4) ? { last4: str(card.last4) } : {}),
    ...(failure ? { reasonCode: failure.toLowerCase().replace(/[^a-z0-9]+/g, "_"), providerMessage: failure } : {}),
    ...(epochIso(token.created_at) ? { occurredAt: epochIso(token.created_at) } : {}),
    raw,
  };
}

export function epochIso(value: unknown): string | undefined {
  const seconds = typeof value === "number" ? value : Number(str(value));
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
}

export function refusal(reasonCode: string, customerMessage: string): Failure {
  return { reasonCode, customerMessage, retryable: false, exchange: null };
}

export function unavailable(exchange: Exchange, providerMessage: string): Failure {
  return { reasonCode: "provider_unavailable", customerMessage: UNAVAILABLE, providerMessage, retryable: true, exchange };
}

/** A Curlec error answer (`{ error: { code, description, source, step, reason } }`) or an outage. */
export function curlecFailure(outcome: HttpOutcome): Failure {
  if (outcome.kind === "network_error") return unavailable(outcome.exchange, outcome.error);
  const error = asRecord(asRecord(outcome.body).error);
  const providerMessage = [str(error.code), str(error.description)].filter(Boolean).join(": ") || `Curlec answered ${outcome.status}`;
  if (outcome.status >= 500 || outcome.status === 429 || str(error.code) === "SERVER_ERROR")
    return unavailable(outcome.exchange, providerMessage);
  if (outcome.status === 401) {
    return {
      reasonCode: "provider_auth_failed",
      customerMessage: "Online banking payments are not available right now. Please choose another payment method.",
      providerMessage,
      retryable: false,
      exchange: outcome.exchange,
    };
  }
  if (str(error.code) === "GATEWAY_ERROR") {
    return { reasonCode: "provider_error", customerMessage: UNAVAILABLE, providerMessage, retryable: true, exchange: outcome.exchange };
  }
  return { reasonCode: "rejected", customerMessage: NOT_STARTED, providerMessage, retryable: false, exchange: outcome.exchange };
}

/** Curlec takes Malaysian ringgit; other currencies are refused before an order is made. */
export const CURRENCIES = new Set(["MYR"]);
/** FPX's floor per payment (RM 1.00), in sen; Curlec's smallest payment of any kind is the same. */
export const FPX_MIN_SEN = 100;
const MIN_SEN = FPX_MIN_SEN;

export function checkAmount(amountMinor: number, currency: string, method: string): Failure | null {
  if (!CURRENCIES.has(currency)) return refusal("currency_not_supported", "Online banking payments here are in ringgit (MYR) only.");
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return refusal("invalid_amount", "This amount cannot be paid online.");
  if (method === "fpx" && amountMinor < FPX_MIN_SEN) return refusal("amount_too_small", "FPX takes payments of RM 1.00 or more.");
  if (method === "card" && amountMinor < MIN_SEN) return refusal("amount_too_small", "Card payments here take RM 1.00 or more.");
  return null;
}

/** The redirect Curlec's S2S JSON answer names (`next[].action = redirect`), with the payment's id. */
export function redirectOf(outcome: HttpOutcome): { url: string; paymentId?: string } | null {
  if (outcome.kind !== "response" || outcome.status !== 200) return null;
  const body = asRecord(outcome.body);
  const next = Array.isArray(body.next) ? body.next.map(asRecord) : [];
  const url = str(next.find((n) => n.action === "redirect")?.url);
  if (!url || !/^https:\/\//.test(url)) return null;
  const paymentId = str(body.razorpay_payment_id);
  return paymentId ? { url, paymentId } : { url };
}

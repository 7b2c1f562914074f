import { z } from "zod";
import { asRecord, callProvider, str, type HttpCall } from "./exchange.server";
import { hmacHex, safeEqual } from "./signatures.server";
import type {
  ChargeSavedRequest,
  ChargeSavedResult,
  DisputeEvent,
  DisputeOutcome,
  Exchange,
  Failure,
  InitiateRequest,
  InitiateResult,
  PaymentProvider,
  PaymentStatus,
  PaystackConfig,
  ProviderDeps,
  QueryResult,
  RefundEvent,
  RefundRequest,
  RefundResult,
  ReusableMethod,
  SavedMethodProvider,
  WebhookInput,
  WebhookResult,
} from "./types";
import { lineText } from "~/lib/text";

/**
 * Paystack: initialize a transaction and redirect to its checkout page, verify it, take its
 * webhooks, refund it.
 *
 * - Amounts go to Paystack in the currency's subunit, which is our minor unit (KES cents, NGN kobo).
 *   The currencies a merchant can take are Paystack's to decide: an unsupported one comes back as a
 *   refusal, not guessed at here.
 * - Our attempt id is Paystack's `reference`, so a retried initialize for the same attempt is
 *   refused as a duplicate instead of creating a second transaction (Paystack has no idempotency
 *   keys; the unique reference is the guard). `callback_url` is our return page; webhooks go to the
 *   URL set on the Paystack dashboard, not to `InitiateRequest.callbackUrl`.
 * - Webhooks: `x-paystack-signature` is the hex HMAC-SHA512 of the raw body keyed with the secret
 *   key, compared in constant time. Paystack sends no event id: charge events are identified by the
 *   transaction id, refund events by transaction reference plus the refund's id (or, when Paystack
 *   omits it, its processor reference or amount), dispute events by the dispute's id and state.
 * - Verify reports what Paystack holds (amount, currency, status); a different amount is reported,
 *   and the caller decides.
 * - Saved cards (decision 029): a successful card charge carries an `authorization`; one Paystack
 *   marks `reusable` is reported with the customer's email and code, and `chargeSaved` charges it
 *   with /transaction/charge_authorization under a reference per instalment or order. A repeat of
 *   that reference is refused as a duplicate, so the charge is looked up instead of made twice.
 */

export const PAYSTACK_BASE_URL = "https://api.paystack.co";

const UNAVAILABLE = "Card payments are not answering right now. Please try again in a few minutes, or choose another payment method.";
const NOT_STARTED = "We could not start the card payment. Please try again, or choose another payment method.";

export class PaystackProvider implements PaymentProvider, SavedMethodProvider {
  readonly name = "paystack" as const;
  readonly mode: PaystackConfig["mode"];

  constructor(
    private readonly config: PaystackConfig,
    private readonly deps: ProviderDeps = {},
  ) {
    this.mode = config.mode;
  }

  private http(call: Omit<HttpCall, "headers">) {
    return callProvider(
      { ...call, url: `${PAYSTACK_BASE_URL}${call.url}`, headers: { authorization: `Bearer ${this.config.secretKey}` } },
      { fetch: this.deps.fetch, timeoutMs: this.deps.timeoutMs, secrets: [this.config.secretKey] },
    );
  }

  async initiate(req: InitiateRequest): Promise<InitiateResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return { status: "failed", ...refusal("invalid_amount", "This amount cannot be paid by card.") };
    }
    if (!req.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(req.email)) {
      return { status: "failed", ...refusal("email_required", "Enter your email address to pay by card.") };
    }
    const outcome = await this.http({
      method: "POST",
      url: "/transaction/initialize",
      body: {
        email: req.email,
        amount: req.amountMinor,
        currency: req.currency,
        reference: req.transactionId,
        callback_url: req.returnUrl,
        metadata: {
          transactionId: req.transactionId,
          tenantId: req.tenantId,
          reference: req.reference,
          description: req.description,
          // Paystack's checkout shows a cancel link that returns here.
          cancel_action: req.returnUrl,
        },
      },
    });
    if (outcome.kind === "network_error") return { status: "failed", ...unavailable(outcome.exchange, outcome.error) };
    const body = asRecord(outcome.body);
    const data = asRecord(body.data);
    const url = str(data.authorization_url);
    if (outcome.status === 200 && body.status === true && url) {
      const accessCode = str(data.access_code);
      return {
        status: "pending",
        providerRef: str(data.reference) ?? req.transactionId,
        customerAction: { type: "redirect", url },
        details: accessCode ? { accessCode } : {},
        exchange: outcome.exchange,
      };
    }
    const message = str(body.message) ?? `Paystack answered ${outcome.status}`;
    if (/duplicate/i.test(message)) {
      return {
        status: "failed",
        reasonCode: "duplicate_reference",
        customerMessage: "This payment was already started. Please go back and start the payment again.",
        providerMessage: message,
        retryable: false,
        exchange: outcome.exchange,
      };
    }
    return { status: "failed", ...paystackError(outcome.status, message, outcome.exchange) };
  }

  async query(providerRef: string): Promise<QueryResult> {
    const outcome = await this.http({ method: "GET", url: `/transaction/verify/${encodeURIComponent(providerRef)}` });
    if (outcome.kind === "network_error")
      return { ok: false, reason: "error", message: outcome.error, retryable: true, exchange: outcome.exchange };
    const body = asRecord(outcome.body);
    if (outcome.status === 200 && body.status === true && body.data) {
      const status = transactionStatus(asRecord(body.data), providerRef, outcome.body);
      return { ok: true, status, exchange: outcome.exchange };
    }
    const message = str(body.message) ?? `Paystack answered ${outcome.status}`;
    if (outcome.status === 404 || body.code === "transaction_not_found" || /not found/i.test(message)) {
      return { ok: false, reason: "not_found", message, retryable: false, exchange: outcome.exchange };
    }
    return { ok: false, reason: "error", message, retryable: outcome.status >= 500 || outcome.status === 429, exchange: outcome.exchange };
  }

  async parseWebhook(input: WebhookInput): Promise<WebhookResult> {
    const signature = input.headers.get("x-paystack-signature");
    if (!signature) return { ok: false, reason: "bad_signature", detail: "no x-paystack-signature header" };
    const expected = hmacHex("sha512", this.config.secretKey, input.rawBody);
    if (!safeEqual(signature.trim().toLowerCase(), expected)) {
      return { ok: false, reason: "bad_signature", detail: "x-paystack-signature does not match the body" };
    }
    let json: unknown;
    try {
      json = JSON.parse(input.rawBody);
    } catch {
      return { ok: false, reason: "malformed", detail: "body is not JSON" };
    }
    const envelope = z.object({ event: lineText().min(1), data: z.record(z.unknown()) }).safeParse(json);
    if (!envelope.success) return { ok: false, reason: "malformed", detail: "expected { event, data }" };
    const { event, data } = envelope.data;
    const domain = str(data.domain);
    if ((domain === "test" || domain === "live") && domain !== this.mode) {
      return { ok: false, reason: "wrong_mode", detail: `a ${domain} event for a ${this.mode} configuration` };
    }

    if (event === "charge.success") {
      const reference = str(data.reference);
      if (!reference) return { ok: false, reason: "malformed", detail: "charge.success without data.reference" };
      const status = transactionStatus(data, reference, json);
      return { ok: true, event: { ...status, kind: "payment", providerEventId: `charge.success:${str(data.id) ?? reference}` } };
    }
    if (event.startsWith("refund.")) {
      const refund = refundEvent(event, data, json);
      return refund ? { ok: true, event: refund } : { ok: false, reason: "malformed", detail: `${event} without a transaction reference` };
    }
    if (DISPUTE_EVENTS.has(event)) {
      const dispute = disputeEvent(event, data, json);
      return dispute
        ? { ok: true, event: dispute }
        : { ok: false, reason: "malformed", detail: `${event} without a dispute id or transaction reference` };
    }
    return { ok: true, event: null, ignored: event };
  }

  async chargeSaved(req: ChargeSavedRequest): Promise<ChargeSavedResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return { ok: false, ...refusal("invalid_amount", "This amount cannot be paid by card.") };
    }
    const outcome = await this.http({
      method: "POST",
      url: "/transaction/charge_authorization",
      body: {
        authorization_code: req.method.authorizationCode,
        email: req.method.email,
        amount: req.amountMinor,
        currency: req.currency,
        reference: req.idempotencyKey,
        metadata: { transactionId: req.transactionId, tenantId: req.tenantId, reference: req.reference, description: req.description },
      },
    });
    if (outcome.kind === "network_error") return { ok: false, ...unavailable(outcome.exchange, outcome.error) };
    const body = asRecord(outcome.body);
    const message = str(body.message) ?? `Paystack answered ${outcome.status}`;
    if (outcome.status === 200 && body.status === true && body.data) {
      const status = transactionStatus(asRecord(body.data), req.idempotencyKey, outcome.body);
      // Anything but a result (send_otp, pay_offline …) wants the customer, who is not there.
      if (status.outcome === "pending" && str(asRecord(body.data).status) !== "pending") {
        return {
          ok: true,
          status: {
            ...status,
            outcome: "failed",
            final: true,
            reasonCode: "authentication_required",
            customerMessage: "Your bank asked to confirm the payment, and you were not there to do it.",
          },
          exchange: outcome.exchange,
        };
      }
      return { ok: true, status: status.outcome === "failed" ? { ...status, final: true } : status, exchange: outcome.exchange };
    }
    if (/duplicate/i.test(message)) {
      // Sent before (a retry after a lost answer): what Paystack holds for the reference is the answer.
      const verified = await this.query(req.idempotencyKey);
      if (verified.ok) return { ok: true, status: verified.status, exchange: verified.exchange };
      return {
        ok: false,
        reasonCode: "provider_unavailable",
        customerMessage: UNAVAILABLE,
        providerMessage: verified.message,
        retryable: true,
        exchange: verified.exchange,
      };
    }
    return { ok: false, ...paystackError(outcome.status, message, outcome.exchange) };
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return { status: "refused", ...refusal("invalid_amount", "The refund amount is not valid.") };
    }
    const outcome = await this.http({
      method: "POST",
      url: "/refund",
      body: {
        transaction: req.providerRef,
        amount: req.amountMinor,
        currency: req.currency,
        merchant_note: `${req.reason.trim() || "Refund"} (${req.idempotencyKey})`.slice(0, 200),
      },
    });
    if (outcome.kind === "network_error") return { status: "refused", ...unavailable(outcome.exchange, outcome.error) };
    const body = asRecord(outcome.body);
    const data = asRecord(body.data);
    const refundId = str(data.id);
    if (outcome.status === 200 && body.status === true && refundId) {
      // Paystack queues refunds; refund.processed / refund.failed webhooks settle them.
      return { status: str(data.status) === "processed" ? "completed" : "pending", refundRef: refundId, exchange: outcome.exchange };
    }
    const message = str(body.message) ?? `Paystack answered ${outcome.status}`;
    const failure = paystackError(outcome.status, message, outcome.exchange);
    if (failure.reasonCode === "rejected")
      return { status: "refused", ...failure, reasonCode: "refund_refused", customerMessage: `Paystack refused the refund: ${message}` };
    return { status: "refused", ...failure };
  }
}

/** A Paystack transaction (verify's data, charge.success's data) as our PaymentStatus. */
function transactionStatus(data: Record<string, unknown>, providerRef: string, raw: unknown): PaymentStatus {
  const status = str(data.status) ?? "unknown";
  const amount = typeof data.amount === "number" ? data.amount : Number(str(data.amount));
  const gatewayResponse = str(data.gateway_response);
  const base = {
    providerRef: str(data.reference) ?? providerRef,
    providerCode: status,
    ...(Number.isSafeInteger(amount) ? { amountMinor: amount } : {}),
    ...(str(data.currency) ? { currency: str(data.currency) } : {}),
    ...(str(data.receipt_number) ? { receipt: str(data.receipt_number) } : {}),
    ...(gatewayResponse ? { providerMessage: gatewayResponse } : {}),
    occurredAt: isoDate(data.paid_at ?? data.paidAt) ?? isoDate(data.created_at ?? data.createdAt),
    raw,
  };
  switch (status) {
    case "success": {
      const reusable = reusableOf(data);
      return { ...base, outcome: "completed", final: true, ...(reusable ? { reusable } : {}) };
    }
    case "reversed":
      // The money came in and was later returned: the payment stands, the reversal is a refund.
      return { ...base, outcome: "completed", final: true, reasonCode: "reversed" };
    case "failed":
      // The customer may try again on the same checkout page, so a failure is not the last word.
      return {
        ...base,
        outcome: "failed",
        final: false,
        reasonCode: "declined",
        customerMessage: "Your payment did not go through. Please try another card or payment method.",
      };
    case "abandoned":
      // Paystack's state for "opened but not paid": the checkout link still works.
      return { ...base, outcome: "pending", final: false, reasonCode: "abandoned" };
    default:
      return { ...base, outcome: "pending", final: false };
  }
}

/** The card a successful charge can charge again: Paystack says so with `authorization.reusable`. */
function reusableOf(data: Record<string, unknown>): ReusableMethod | undefined {
  const authorization = asRecord(data.authorization);
  const customer = asRecord(data.customer);
  const authorizationCode = str(authorization.authorization_code);
  const email = str(customer.email);
  if (authorization.reusable !== true || !authorizationCode || !email) return undefined;
  const last4 = str(authorization.last4);
  const expMonth = Number(str(authorization.exp_month));
  const expYear = Number(str(authorization.exp_year));
  const brand = str(authorization.brand) ?? str(authorization.card_type);
  return {
    reference: { email, customerCode: str(customer.customer_code) ?? "", authorizationCode },
    fingerprint: str(authorization.signature) ?? authorizationCode,
    ...(brand ? { brand: brand.trim().toLowerCase() } : {}),
    ...(last4 && /^\d{4}$/.test(last4) ? { last4 } : {}),
    ...(expMonth >= 1 && expMonth <= 12 ? { expMonth } : {}),
    ...(expYear >= 2000 && expYear <= 2100 ? { expYear } : {}),
  };
}

function refundEvent(event: string, data: Record<string, unknown>, raw: unknown): RefundEvent | null {
  const transactionReference = str(data.transaction_reference) ?? str(asRecord(data.transaction).reference);
  if (!transactionReference) return null;
  const status = str(data.status) ?? event.slice("refund.".length);
  const amount = typeof data.amount === "number" ? data.amount : Number(str(data.amount));
  const refundId = str(data.id);
  const discriminator = refundId ?? str(data.refund_reference) ?? (Number.isFinite(amount) ? String(amount) : "");
  const outcome = status === "processed" ? "completed" : status === "failed" ? "failed" : "pending";
  return {
    kind: "refund",
    providerEventId: `${event}:${transactionReference}:${discriminator}`,
    refundRef: refundId ?? null,
    providerRef: transactionReference,
    outcome,
    ...(Number.isSafeInteger(amount) ? { amountMinor: amount } : {}),
    ...(str(data.currency) ? { currency: str(data.currency) } : {}),
    ...(outcome === "completed" ? {} : { reasonCode: status.replace(/-/g, "_") }),
    ...(str(data.merchant_note) ? { message: str(data.merchant_note) } : {}),
    occurredAt: isoDate(data.updatedAt ?? data.createdAt),
    raw,
  };
}

const DISPUTE_EVENTS = new Set(["charge.dispute.create", "charge.dispute.remind", "charge.dispute.resolve"]);

/**
 * How a resolved Paystack dispute ended. The merchant accepted the claim, or did not answer in
 * time (`auto-accepted`): the customer is refunded `refund_amount`, the money is gone. The merchant
 * declined it with evidence: the money stays. A resolution we do not know leaves it open for staff.
 */
const DISPUTE_RESOLUTIONS: Record<string, DisputeOutcome> = {
  "merchant-accepted": "lost",
  "auto-accepted": "lost",
  declined: "won",
};

/**
 * A charge.dispute.* body (data: the dispute, with the disputed `transaction` inside). Paystack
 * sends no event id: the dispute's id and where it stands (status, resolution) name the event, so
 * a redelivery or a repeated reminder is the same event and a change of state is a new one.
 */
function disputeEvent(event: string, data: Record<string, unknown>, raw: unknown): DisputeEvent | null {
  const disputeId = str(data.id);
  const transaction = asRecord(data.transaction);
  const reference = str(transaction.reference) ?? str(data.transaction_reference);
  if (!disputeId || !reference) return null;
  const status = str(data.status) ?? "unknown";
  const resolution = str(data.resolution);
  const outcome: DisputeOutcome = status === "resolved" && resolution ? (DISPUTE_RESOLUTIONS[resolution] ?? "open") : "open";
  const amount = typeof data.refund_amount === "number" ? data.refund_amount : Number(str(data.refund_amount));
  const firstMessage = Array.isArray(data.messages) ? str(asRecord(data.messages[0]).body) : undefined;
  const reason = [str(data.category), firstMessage].filter(Boolean).join(": ");
  const currency = str(data.currency) ?? str(transaction.currency);
  const openedAt = isoDate(data.created_at ?? data.createdAt);
  const respondBy = isoDate(data.dueAt ?? data.due_at);
  return {
    kind: "dispute",
    providerEventId: `${event}:${disputeId}:${status}${resolution ? `:${resolution}` : ""}`,
    disputeRef: disputeId,
    providerRef: reference,
    outcome,
    providerStatus: resolution ? `${status}: ${resolution}` : status,
    ...(Number.isSafeInteger(amount) && amount >= 0 ? { amountMinor: amount } : {}),
    ...(currency ? { currency: currency.toUpperCase() } : {}),
    ...(reason ? { reason } : {}),
    ...(openedAt ? { openedAt } : {}),
    ...(respondBy ? { respondBy } : {}),
    occurredAt: isoDate(data.resolvedAt ?? data.resolved_at ?? data.updated_at ?? data.updatedAt),
    raw,
  };
}

function isoDate(value: unknown): string | undefined {
  const s = str(value);
  if (!s) return undefined;
  const date = new Date(s);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function refusal(reasonCode: string, customerMessage: string): Failure {
  return { reasonCode, customerMessage, retryable: false, exchange: null };
}

function unavailable(exchange: Exchange, providerMessage: string): Failure {
  return { reasonCode: "provider_unavailable", customerMessage: UNAVAILABLE, providerMessage, retryable: true, exchange };
}

function paystackError(status: number, providerMessage: string, exchange: Exchange): Failure {
  if (status >= 500 || status === 429) return unavailable(exchange, providerMessage);
  if (status === 401) {
    return {
      reasonCode: "provider_auth_failed",
      customerMessage: "Card payments are not available right now. Please choose another payment method.",
      providerMessage,
      retryable: false,
      exchange,
    };
  }
  return { reasonCode: "rejected", customerMessage: NOT_STARTED, providerMessage, retryable: false, exchange };
}

import Stripe from "stripe";
import { minorDigits } from "~/lib/money";
import { redact } from "./exchange.server";
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
  ProviderDeps,
  QueryResult,
  RefundEvent,
  RefundRequest,
  RefundResult,
  ReusableMethod,
  SavedMethodProvider,
  StripeConfig,
  WebhookInput,
  WebhookResult,
} from "./types";

/**
 * Stripe through its official SDK, on the SDK's fetch HTTP client (so it runs anywhere fetch does,
 * and msw intercepts it in tests).
 *
 * - PaymentIntents with automatic payment methods; the customer pays in the Payment Element with
 *   the returned client secret and the tenant's publishable key.
 * - Every create (PaymentIntent, Refund) carries the caller's idempotency key, so the SDK's retries
 *   and our job's retries cannot create a second one.
 * - Webhooks are verified by the SDK (`constructEventAsync`, signature and 5-minute tolerance);
 *   `event.id` is the event id. A test-mode event reaching a live configuration is refused.
 * - Amounts: Stripe's unit equals our minor unit for two-decimal currencies (KES, MYR …), zero-decimal
 *   ones (JPY) and three-decimal ones (KWD, in tens). Currencies Stripe represents differently from
 *   ISO 4217 (ISK, UGX, HUF, TWD) are refused rather than converted by guesswork.
 * - A `payment_intent.payment_failed` is reported as failed but not final: the customer may try
 *   another card on the same PaymentIntent, and its success arrives as a later event.
 * - `charge.dispute.*` events carry the dispute object; its status, not the event's type, says
 *   where the dispute stands (a late `updated` may arrive after `closed`: the caller keeps a
 *   decided dispute decided).
 * - Saved cards (decision 029): a payment the customer asked to keep is made for a Customer with
 *   setup_future_usage=off_session, and its success reports the Customer and PaymentMethod as
 *   reusable. `chargeSaved` confirms an off-session PaymentIntent at once; a decline or a card
 *   that wants authentication comes back as a card error carrying the PaymentIntent, reported as
 *   a failed payment (nobody is there to authenticate).
 */

const API = "https://api.stripe.com";
const UNAVAILABLE = "Card payments are not answering right now. Please try again in a few minutes, or choose another payment method.";
const NOT_STARTED = "We could not start the card payment. Please try again, or choose another payment method.";

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);
const SPECIAL_CASES = new Set(["ISK", "UGX", "HUF", "TWD"]);
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** Our minor units → Stripe's amount for the currency, or a reason it cannot be sent exactly. */
export function toStripeAmount(amountMinor: number, currency: string): { ok: true; amount: number } | { ok: false; reason: string } {
  const code = currency.toUpperCase();
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return { ok: false, reason: "invalid_amount" };
  if (SPECIAL_CASES.has(code) || !KNOWN_CURRENCIES.has(code)) return { ok: false, reason: "currency_not_supported" };
  const isoDigits = minorDigits(code);
  const stripeDigits = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  if (isoDigits !== stripeDigits) return { ok: false, reason: "currency_not_supported" };
  // Stripe takes three-decimal amounts in multiples of ten.
  if (stripeDigits === 3 && amountMinor % 10 !== 0) return { ok: false, reason: "invalid_amount" };
  return { ok: true, amount: amountMinor };
}

export class StripeProvider implements PaymentProvider, SavedMethodProvider {
  readonly name = "stripe" as const;
  readonly mode: StripeConfig["mode"];
  private readonly stripe: Stripe;

  constructor(
    private readonly config: StripeConfig,
    private readonly deps: ProviderDeps = {},
  ) {
    this.mode = config.mode;
    // Looked up per request, not captured: whatever fetch is installed then (msw's, in tests) is used.
    const lateFetch: typeof fetch = (...args) => (deps.fetch ?? globalThis.fetch)(...args);
    this.stripe = new Stripe(config.secretKey, {
      httpClient: Stripe.createFetchHttpClient(lateFetch),
      maxNetworkRetries: deps.stripeMaxNetworkRetries ?? 2,
      timeout: deps.timeoutMs ?? 15_000,
    });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private secrets(): string[] {
    return [this.config.secretKey, this.config.webhookSecret];
  }

  /** Runs one SDK call and records it as an Exchange (the SDK hides the wire; we log what we sent and got). */
  private async exchange<T extends object>(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    idempotencyKey: string | undefined,
    run: () => Promise<Stripe.Response<T>>,
  ): Promise<{ ok: true; value: Stripe.Response<T>; exchange: Exchange } | { ok: false; error: unknown; exchange: Exchange }> {
    const request: Exchange["request"] = {
      method,
      url: `${API}${path}`,
      ...(idempotencyKey ? { headers: { "idempotency-key": idempotencyKey } } : {}),
      ...(body !== undefined ? { body: redact(body, this.secrets()) } : {}),
    };
    const started = performance.now();
    try {
      const value = await run();
      const { lastResponse: _lastResponse, ...plain } = value;
      return {
        ok: true,
        value,
        exchange: {
          request,
          response: { status: value.lastResponse?.statusCode ?? 200, body: redact(plain, this.secrets()) },
          durationMs: Math.round(performance.now() - started),
        },
      };
    } catch (error) {
      const response: Exchange["response"] =
        error instanceof Stripe.errors.StripeError && error.statusCode
          ? { status: error.statusCode, body: redact(error.raw, this.secrets()) }
          : { error: redact(error instanceof Error ? error.message : String(error), this.secrets()) as string };
      return { ok: false, error, exchange: { request, response, durationMs: Math.round(performance.now() - started) } };
    }
  }

  async initiate(req: InitiateRequest): Promise<InitiateResult> {
    const amount = toStripeAmount(req.amountMinor, req.currency);
    if (!amount.ok) {
      return {
        status: "failed",
        reasonCode: amount.reason,
        customerMessage: "This amount cannot be paid by card. Please choose another payment method.",
        retryable: false,
        exchange: null,
      };
    }
    const params: Stripe.PaymentIntentCreateParams = {
      amount: amount.amount,
      currency: req.currency.toLowerCase(),
      automatic_payment_methods: { enabled: true },
      description: req.description.slice(0, 1000),
      metadata: { transactionId: req.transactionId, tenantId: req.tenantId, reference: req.reference },
      ...(req.email ? { receipt_email: req.email } : {}),
      ...(req.saveMethod
        ? { setup_future_usage: "off_session" as const, ...(req.saveMethod.customerRef ? { customer: req.saveMethod.customerRef } : {}) }
        : {}),
    };
    const call = await this.exchange("POST", "/v1/payment_intents", params, req.idempotencyKey, () =>
      this.stripe.paymentIntents.create(params, { idempotencyKey: req.idempotencyKey }),
    );
    if (!call.ok) return { status: "failed", ...stripeFailure(call.error, call.exchange) };
    const intent = call.value;
    if (!intent.client_secret) {
      return {
        status: "failed",
        reasonCode: "unexpected_response",
        customerMessage: NOT_STARTED,
        retryable: false,
        exchange: call.exchange,
      };
    }
    return {
      status: "pending",
      providerRef: intent.id,
      customerAction: { type: "client_secret", clientSecret: intent.client_secret, publishableKey: this.config.publishableKey },
      details: {},
      exchange: call.exchange,
    };
  }

  async query(providerRef: string): Promise<QueryResult> {
    const call = await this.exchange("GET", `/v1/payment_intents/${encodeURIComponent(providerRef)}`, undefined, undefined, () =>
      this.stripe.paymentIntents.retrieve(providerRef),
    );
    if (!call.ok) {
      const error = call.error;
      if (error instanceof Stripe.errors.StripeError && (error.code === "resource_missing" || error.statusCode === 404)) {
        return { ok: false, reason: "not_found", message: error.message, retryable: false, exchange: call.exchange };
      }
      const failure = stripeFailure(error, call.exchange);
      return {
        ok: false,
        reason: "error",
        message: failure.providerMessage ?? failure.reasonCode,
        retryable: failure.retryable,
        exchange: call.exchange,
      };
    }
    const { lastResponse: _lastResponse, ...intent } = call.value;
    return { ok: true, status: intentStatus(intent as Stripe.PaymentIntent, intent), exchange: call.exchange };
  }

  async parseWebhook(input: WebhookInput): Promise<WebhookResult> {
    const signature = input.headers.get("stripe-signature");
    if (!signature) return { ok: false, reason: "bad_signature", detail: "no Stripe-Signature header" };
    let event: Stripe.Event;
    try {
      event = await this.stripe.webhooks.constructEventAsync(
        input.rawBody,
        signature,
        this.config.webhookSecret,
        undefined,
        undefined,
        this.now().getTime(),
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        return { ok: false, reason: "bad_signature", detail: error.message };
      }
      return { ok: false, reason: "malformed", detail: "signed, but not a Stripe event" };
    }
    if (!event || typeof event.id !== "string" || typeof event.type !== "string" || !event.data?.object) {
      return { ok: false, reason: "malformed", detail: "signed, but not a Stripe event" };
    }
    if (event.livemode !== (this.mode === "live")) {
      return { ok: false, reason: "wrong_mode", detail: `a ${event.livemode ? "live" : "test"} event for a ${this.mode} configuration` };
    }
    const occurredAt = new Date(event.created * 1000).toISOString();
    const raw = JSON.parse(input.rawBody) as unknown;

    switch (event.type) {
      case "payment_intent.succeeded":
      case "payment_intent.payment_failed":
      case "payment_intent.canceled":
      case "payment_intent.processing": {
        const status = intentStatus(event.data.object, raw);
        return { ok: true, event: { ...status, occurredAt, kind: "payment", providerEventId: event.id } };
      }
      case "refund.created":
      case "refund.updated":
      case "refund.failed":
        return { ok: true, event: { ...refundObjectEvent(event.data.object), providerEventId: event.id, occurredAt, raw } };
      case "charge.refunded":
        return { ok: true, event: { ...chargeRefundedEvent(event.data.object), providerEventId: event.id, occurredAt, raw } };
      case "charge.dispute.created":
      case "charge.dispute.updated":
      case "charge.dispute.closed":
      case "charge.dispute.funds_withdrawn":
      case "charge.dispute.funds_reinstated":
        return { ok: true, event: { ...disputeEvent(event.data.object), providerEventId: event.id, occurredAt, raw } };
      default:
        return { ok: true, event: null, ignored: event.type };
    }
  }

  async createCustomer(req: { tenantId: string; userId: string; email: string; idempotencyKey: string }) {
    const params: Stripe.CustomerCreateParams = { email: req.email, metadata: { tenantId: req.tenantId, userId: req.userId } };
    const call = await this.exchange("POST", "/v1/customers", params, req.idempotencyKey, () =>
      this.stripe.customers.create(params, { idempotencyKey: req.idempotencyKey }),
    );
    if (!call.ok) return { ok: false as const, ...stripeFailure(call.error, call.exchange) };
    return { ok: true as const, customerRef: call.value.id, exchange: call.exchange };
  }

  async chargeSaved(req: ChargeSavedRequest): Promise<ChargeSavedResult> {
    const amount = toStripeAmount(req.amountMinor, req.currency);
    if (!amount.ok) {
      return {
        ok: false,
        reasonCode: amount.reason,
        customerMessage: "This amount cannot be paid by card.",
        retryable: false,
        exchange: null,
      };
    }
    const params: Stripe.PaymentIntentCreateParams = {
      amount: amount.amount,
      currency: req.currency.toLowerCase(),
      customer: req.method.customerId,
      payment_method: req.method.paymentMethodId,
      // No redirect can happen with nobody there: a method that would need one fails instead.
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
      off_session: true,
      confirm: true,
      description: req.description.slice(0, 1000),
      metadata: { transactionId: req.transactionId, tenantId: req.tenantId, reference: req.reference },
    };
    const call = await this.exchange("POST", "/v1/payment_intents", params, req.idempotencyKey, () =>
      this.stripe.paymentIntents.create(params, { idempotencyKey: req.idempotencyKey }),
    );
    if (call.ok) {
      const { lastResponse: _lastResponse, ...intent } = call.value;
      return { ok: true, status: intentStatus(intent as Stripe.PaymentIntent, intent), exchange: call.exchange };
    }
    const error = call.error;
    const intent =
      error instanceof Stripe.errors.StripeCardError ? (error.raw as { payment_intent?: Stripe.PaymentIntent }).payment_intent : undefined;
    if (error instanceof Stripe.errors.StripeCardError && intent?.id) {
      const code =
        error.code === "authentication_required" ? "authentication_required" : (error.decline_code ?? error.code ?? "card_declined");
      return {
        ok: true,
        status: {
          providerRef: intent.id,
          outcome: "failed",
          // Off session nobody retries on this PaymentIntent: the customer pays another way.
          final: true,
          amountMinor: intent.amount,
          currency: intent.currency.toUpperCase(),
          reasonCode: code,
          providerCode: code,
          customerMessage:
            code === "authentication_required"
              ? "Your bank asked to confirm the payment, and you were not there to do it."
              : (error.message ?? "Your card was declined."),
          providerMessage: error.message,
          raw: error.raw,
        },
        exchange: call.exchange,
      };
    }
    return { ok: false, ...stripeFailure(error, call.exchange) };
  }

  async describeSaved(method: Record<string, string>) {
    const id = method.paymentMethodId ?? "";
    const call = await this.exchange("GET", `/v1/payment_methods/${encodeURIComponent(id)}`, undefined, undefined, () =>
      this.stripe.paymentMethods.retrieve(id),
    );
    if (!call.ok) return { ok: false as const, ...stripeFailure(call.error, call.exchange) };
    return { ok: true as const, details: cardDetails(call.value.card), exchange: call.exchange };
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const amount = toStripeAmount(req.amountMinor, req.currency);
    if (!amount.ok) {
      return {
        status: "refused",
        reasonCode: amount.reason,
        customerMessage: "The refund amount is not valid.",
        retryable: false,
        exchange: null,
      };
    }
    const params: Stripe.RefundCreateParams = {
      payment_intent: req.providerRef,
      amount: amount.amount,
      reason: "requested_by_customer",
      metadata: { reason: req.reason.slice(0, 500) },
    };
    const call = await this.exchange("POST", "/v1/refunds", params, req.idempotencyKey, () =>
      this.stripe.refunds.create(params, { idempotencyKey: req.idempotencyKey }),
    );
    if (!call.ok) {
      const failure = stripeFailure(call.error, call.exchange);
      if (failure.reasonCode === "rejected" || failure.reasonCode === "card_declined") {
        return {
          status: "refused",
          ...failure,
          reasonCode: "refund_refused",
          customerMessage: `Stripe refused the refund: ${failure.providerMessage}`,
        };
      }
      return { status: "refused", ...failure };
    }
    const refund = call.value;
    if (refund.status === "failed" || refund.status === "canceled") {
      return {
        status: "refused",
        reasonCode: "refund_refused",
        customerMessage: `Stripe refused the refund${refund.failure_reason ? `: ${refund.failure_reason}` : ""}.`,
        providerMessage: refund.failure_reason ?? refund.status,
        retryable: false,
        exchange: call.exchange,
      };
    }
    return { status: refund.status === "succeeded" ? "completed" : "pending", refundRef: refund.id, exchange: call.exchange };
  }
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

function cardDetails(card: Stripe.PaymentMethod.Card | null | undefined): Omit<ReusableMethod, "reference" | "fingerprint"> {
  if (!card) return {};
  return { brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year };
}

/**
 * The card a succeeded PaymentIntent saved for later: only one made to keep it (setup_future_usage),
 * for a Customer. Webhooks name the PaymentMethod by id; its card shows when it is expanded.
 */
function reusableOf(intent: Stripe.PaymentIntent): ReusableMethod | undefined {
  const customerId = idOf(intent.customer);
  const paymentMethodId = idOf(intent.payment_method);
  if (intent.setup_future_usage !== "off_session" || !customerId || !paymentMethodId) return undefined;
  const expanded = typeof intent.payment_method === "object" && intent.payment_method ? intent.payment_method.card : undefined;
  return { reference: { customerId, paymentMethodId }, fingerprint: paymentMethodId, ...cardDetails(expanded) };
}

/** A PaymentIntent as our PaymentStatus. */
function intentStatus(intent: Stripe.PaymentIntent, raw: unknown): PaymentStatus {
  const base = {
    providerRef: intent.id,
    providerCode: intent.status,
    currency: intent.currency.toUpperCase(),
    raw,
  };
  const error = intent.last_payment_error;
  switch (intent.status) {
    case "succeeded": {
      const reusable = reusableOf(intent);
      return {
        ...base,
        outcome: "completed",
        final: true,
        amountMinor: intent.amount_received,
        ...(idOf(intent.latest_charge) ? { receipt: idOf(intent.latest_charge) as string } : {}),
        ...(reusable ? { reusable } : {}),
      };
    }
    case "canceled":
      return {
        ...base,
        outcome: "cancelled",
        final: true,
        amountMinor: intent.amount,
        reasonCode: intent.cancellation_reason ?? "canceled",
        customerMessage: "The card payment was cancelled.",
      };
    case "requires_payment_method":
      if (error) {
        return {
          ...base,
          outcome: "failed",
          final: false,
          amountMinor: intent.amount,
          reasonCode: error.decline_code ?? error.code ?? "payment_failed",
          providerCode: error.decline_code ?? error.code ?? intent.status,
          // Card errors are written for the cardholder; anything else gets our words.
          customerMessage:
            error.type === "card_error" && error.message
              ? error.message
              : "Your payment did not go through. Please try another card or payment method.",
          ...(error.message ? { providerMessage: error.message } : {}),
        };
      }
      return { ...base, outcome: "pending", final: false, amountMinor: intent.amount };
    default:
      // processing, requires_action, requires_confirmation, requires_capture
      return { ...base, outcome: "pending", final: false, amountMinor: intent.amount };
  }
}

function refundObjectEvent(refund: Stripe.Refund): Omit<RefundEvent, "providerEventId" | "occurredAt" | "raw"> {
  const outcome =
    refund.status === "succeeded" ? "completed" : refund.status === "failed" || refund.status === "canceled" ? "failed" : "pending";
  return {
    kind: "refund",
    refundRef: refund.id,
    providerRef: idOf(refund.payment_intent),
    outcome,
    amountMinor: refund.amount,
    currency: refund.currency.toUpperCase(),
    ...(outcome === "failed" ? { reasonCode: refund.failure_reason ?? refund.status ?? "failed" } : {}),
  };
}

function chargeRefundedEvent(charge: Stripe.Charge): Omit<RefundEvent, "providerEventId" | "occurredAt" | "raw"> {
  // Recent API versions do not embed the refunds list; when it is there, the newest comes first.
  const latest = (charge as { refunds?: { data?: Stripe.Refund[] } | null }).refunds?.data?.[0];
  return {
    kind: "refund",
    refundRef: latest?.id ?? null,
    providerRef: idOf(charge.payment_intent),
    outcome: "completed",
    ...(latest ? { amountMinor: latest.amount } : {}),
    totalRefundedMinor: charge.amount_refunded,
    currency: charge.currency.toUpperCase(),
  };
}

/**
 * A dispute's status in our words. Only `lost` means the money is gone: Stripe withdraws it when a
 * chargeback opens and reinstates it when the merchant wins, and an inquiry (`warning_*`) never
 * withdraws it. `prevented` is a dispute a prevention programme stopped before it became a
 * chargeback. Anything else (needs_response, under_review, the appeal states …) is still open.
 */
const DISPUTE_OUTCOMES: Record<string, DisputeOutcome> = {
  lost: "lost",
  won: "won",
  warning_closed: "won",
  prevented: "won",
};

function disputeEvent(dispute: Stripe.Dispute): Omit<DisputeEvent, "providerEventId" | "occurredAt" | "raw"> {
  const dueBy = dispute.evidence_details?.due_by;
  return {
    kind: "dispute",
    disputeRef: dispute.id,
    // Our providerRef is the PaymentIntent; the dispute names it next to the charge.
    providerRef: idOf(dispute.payment_intent),
    outcome: DISPUTE_OUTCOMES[dispute.status] ?? "open",
    providerStatus: dispute.status,
    // Stripe's unit is our minor unit for every currency we let Stripe take (toStripeAmount).
    amountMinor: dispute.amount,
    currency: dispute.currency.toUpperCase(),
    ...(dispute.reason ? { reason: dispute.reason } : {}),
    openedAt: new Date(dispute.created * 1000).toISOString(),
    ...(dueBy ? { respondBy: new Date(dueBy * 1000).toISOString() } : {}),
  };
}

function stripeFailure(error: unknown, exchange: Exchange): Failure {
  if (!(error instanceof Stripe.errors.StripeError)) {
    return { reasonCode: "provider_unavailable", customerMessage: UNAVAILABLE, providerMessage: String(error), retryable: true, exchange };
  }
  const providerMessage = error.message;
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    (error.statusCode ?? 0) >= 500
  ) {
    return { reasonCode: "provider_unavailable", customerMessage: UNAVAILABLE, providerMessage, retryable: true, exchange };
  }
  if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
    return {
      reasonCode: "provider_auth_failed",
      customerMessage: "Card payments are not available right now. Please choose another payment method.",
      providerMessage,
      retryable: false,
      exchange,
    };
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return { reasonCode: "idempotency_conflict", customerMessage: NOT_STARTED, providerMessage, retryable: false, exchange };
  }
  if (error instanceof Stripe.errors.StripeCardError) {
    return { reasonCode: "card_declined", customerMessage: error.message, providerMessage, retryable: false, exchange };
  }
  return { reasonCode: "rejected", customerMessage: NOT_STARTED, providerMessage, retryable: false, exchange };
}

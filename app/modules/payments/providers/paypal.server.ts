import { z } from "zod";
import { asRecord, callProvider, str, type HttpCall, type HttpOutcome } from "./exchange.server";
import { oauthClient, type AuthorisedOutcome, type OAuthClient } from "./token-cache.server";
import type {
  CapturingProvider,
  DisputeEvent,
  DisputeOutcome,
  Exchange,
  Failure,
  InitiateRequest,
  InitiateResult,
  PaymentProvider,
  PaymentStatus,
  PaypalConfig,
  ProviderDeps,
  QueryResult,
  RefundEvent,
  RefundRequest,
  RefundResult,
  WebhookInput,
  WebhookResult,
} from "./types";
import { minorDigits } from "~/lib/money";
import { lineText } from "~/lib/text";

/**
 * PayPal Checkout through the Orders v2 API (decision 044): create an order, send the customer to
 * PayPal to approve it, capture it when they come back, refund the capture.
 *
 * - OAuth2 client credentials: the token is cached per (environment, client id, secret hash) until
 *   a minute before it expires (token-cache.server.ts, as for Daraja); a token PayPal refuses is
 *   replaced once.
 * - Amounts go as PayPal's decimal strings in the order's currency. PayPal takes a fixed list of
 *   currencies (`PAYPAL_CURRENCIES`; not KES), some without decimals (HUF, JPY, TWD): an amount that
 *   cannot be written exactly in PayPal's form is refused, never rounded.
 * - Our attempt id is `custom_id`, the people-facing reference `invoice_id` (PayPal refuses a second
 *   completed payment with the same invoice id: a guard against paying an order twice), and the
 *   caller's idempotency key `PayPal-Request-Id`, so a retried create or capture returns the first.
 * - providerRef is the PayPal order id; the capture id is the receipt (what refunds and disputes name).
 * - Webhooks are verified by asking PayPal (POST /v1/notifications/verify-webhook-signature with the
 *   transmission headers, our webhook id and the event): anything but SUCCESS is a forged event. The
 *   event's own id (WH-…) is the providerEventId, the same on every redelivery.
 * - When the payer's money is converted (PayPal converts a buyer's other currency itself, and a
 *   seller account holding another currency receives a converted amount), the capture's
 *   `seller_receivable_breakdown` says so; its rate and received amount are reported as details.
 */

export const PAYPAL_BASE_URLS = {
  test: "https://api-m.sandbox.paypal.com",
  live: "https://api-m.paypal.com",
} as const;

/** The currencies PayPal's REST API takes, with the decimals it accepts in each (PayPal's currency codes page). */
export const PAYPAL_CURRENCIES: Readonly<Record<string, number>> = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  HKD: 2,
  HUF: 0,
  ILS: 2,
  JPY: 0,
  MYR: 2,
  MXN: 2,
  TWD: 0,
  NZD: 2,
  NOK: 2,
  PHP: 2,
  PLN: 2,
  GBP: 2,
  SGD: 2,
  SEK: 2,
  CHF: 2,
  THB: 2,
  USD: 2,
};

export function paypalTakes(currency: string): boolean {
  return Object.hasOwn(PAYPAL_CURRENCIES, currency);
}

const UNAVAILABLE = "PayPal is not answering right now. Please try again in a few minutes, or choose another payment method.";
const NOT_STARTED = "We could not start the PayPal payment. Please try again, or choose another payment method.";

/** Our minor units as PayPal's decimal string, or why not: never rounded. */
export function paypalAmount(amountMinor: number, currency: string): { ok: true; value: string } | { ok: false; failure: Failure } {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    return { ok: false, failure: refusal("invalid_amount", "This amount cannot be paid with PayPal.") };
  }
  const paypalDigits = PAYPAL_CURRENCIES[currency];
  if (paypalDigits === undefined || !paypalTakes(currency)) {
    return {
      ok: false,
      failure: refusal("currency_not_supported", "PayPal does not take payments in this currency. Please choose another payment method."),
    };
  }
  const ours = minorDigits(currency);
  let units = BigInt(amountMinor);
  if (ours > paypalDigits) {
    const factor = 10n ** BigInt(ours - paypalDigits);
    if (units % factor !== 0n) {
      return {
        ok: false,
        failure: refusal("amount_not_exact", "PayPal takes this currency in whole units only, and this amount has a fraction."),
      };
    }
    units /= factor;
  } else if (ours < paypalDigits) units *= 10n ** BigInt(paypalDigits - ours);
  if (paypalDigits === 0) return { ok: true, value: units.toString() };
  const scale = 10n ** BigInt(paypalDigits);
  return { ok: true, value: `${units / scale}.${(units % scale).toString().padStart(paypalDigits, "0")}` };
}

/** A PayPal decimal string as our minor units of `currency`, or undefined when it is not exact. */
export function minorFromPaypal(value: unknown, currency: string): number | undefined {
  const s = str(value);
  const m = s ? /^(-?)(\d+)(?:\.(\d+))?$/.exec(s) : null;
  if (!m) return undefined;
  const digits = minorDigits(currency);
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  if (fraction.length > digits) return undefined;
  const minor = Number(`${m[2]}${fraction.padEnd(digits, "0")}`);
  return Number.isSafeInteger(minor) ? (m[1] ? -minor : minor) : undefined;
}

/** PayPal's rates from the agency's currency, or why not: `refused` when the account may not ask. */
export type RateQuotes = { ok: true; rates: { currency: string; rate: string; expiresAt?: string }[] } | { ok: false; refused: boolean };

export class PaypalProvider implements PaymentProvider, CapturingProvider {
  readonly name = "paypal" as const;
  readonly mode: PaypalConfig["mode"];
  private readonly baseUrl: string;
  private readonly oauth: OAuthClient;

  constructor(
    private readonly config: PaypalConfig,
    private readonly deps: ProviderDeps = {},
  ) {
    this.mode = config.mode;
    this.baseUrl = PAYPAL_BASE_URLS[config.mode];
    this.oauth = oauthClient({
      baseUrl: this.baseUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      tokenCache: deps.tokenCache,
      now: () => this.now(),
      request: { method: "POST", url: `${this.baseUrl}/v1/oauth2/token`, form: { grant_type: "client_credentials" } },
      defaultLifetimeSeconds: 32_400,
      send: (call) => this.http(call),
      failure: tokenFailure,
    });
  }

  private now(): number {
    return (this.deps.now?.() ?? new Date()).getTime();
  }

  private http(call: HttpCall, token?: string, timeoutMs?: number): Promise<HttpOutcome> {
    const secrets = [this.config.clientSecret, this.oauth.basicAuth, token, this.oauth.currentToken()];
    return callProvider(call, {
      fetch: this.deps.fetch,
      timeoutMs: timeoutMs ?? this.deps.timeoutMs,
      secrets: secrets.filter((s): s is string => Boolean(s)),
    });
  }

  /** A call with the bearer token; a token PayPal refuses (401) is replaced once. */
  private call(method: "GET" | "POST", path: string, body?: unknown, requestId?: string, timeoutMs?: number): Promise<AuthorisedOutcome> {
    return this.oauth.authorised(
      (token) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (requestId) headers["paypal-request-id"] = requestId;
        return this.http({ method, url: `${this.baseUrl}${path}`, headers, body }, token, timeoutMs);
      },
      (outcome) => outcome.kind === "response" && outcome.status === 401,
    );
  }

  async initiate(req: InitiateRequest): Promise<InitiateResult> {
    const amount = paypalAmount(req.amountMinor, req.currency);
    if (!amount.ok) return { status: "failed", ...amount.failure };
    const outcome = await this.call(
      "POST",
      "/v2/checkout/orders",
      {
        intent: "CAPTURE",
        purchase_units: [
          {
            custom_id: req.transactionId,
            invoice_id: req.reference,
            description: req.description.slice(0, 127),
            amount: { currency_code: req.currency, value: amount.value },
          },
        ],
        payment_source: {
          paypal: {
            experience_context: {
              return_url: req.returnUrl,
              cancel_url: cancelUrlFor(req.returnUrl),
              user_action: "PAY_NOW",
              shipping_preference: "NO_SHIPPING",
            },
          },
        },
      },
      req.idempotencyKey,
    );
    if (outcome.kind === "token_failure") return { status: "failed", ...outcome.failure };
    if (outcome.kind === "network_error") return { status: "failed", ...unavailable(outcome.exchange, outcome.error) };
    const order = asRecord(outcome.body);
    const id = str(order.id);
    const approve = linkOf(order, "payer-action") ?? linkOf(order, "approve");
    if ((outcome.status === 200 || outcome.status === 201) && id && approve) {
      return {
        status: "pending",
        providerRef: id,
        customerAction: { type: "redirect", url: approve },
        details: { orderStatus: str(order.status) ?? "CREATED" },
        exchange: outcome.exchange,
      };
    }
    return { status: "failed", ...paypalError(outcome.status, order, outcome.exchange) };
  }

  /**
   * PayPal's exchange rates from `base` to each of `quotes` (Currency Exchange v2, POST
   * /v2/pricing/quote-exchange-rates, without an amount: rates only). PayPal opens this API only to
   * accounts it has enabled for it; a refusal (any 4xx) says so, an outage is only "not now".
   */
  async quoteRates(base: string, quotes: string[], timeoutMs?: number): Promise<RateQuotes> {
    const outcome = await this.call(
      "POST",
      "/v2/pricing/quote-exchange-rates",
      { quote_items: quotes.map((quote) => ({ base_currency: base, quote_currency: quote })) },
      undefined,
      timeoutMs,
    );
    if (outcome.kind === "token_failure") return { ok: false, refused: !outcome.failure.retryable };
    if (outcome.kind === "network_error") return { ok: false, refused: false };
    if (outcome.status !== 200) return { ok: false, refused: outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429 };
    const items = asRecord(outcome.body).exchange_rate_quotes;
    const rates: RateQuotes & { ok: true } = { ok: true, rates: [] };
    for (const item of Array.isArray(items) ? items : []) {
      const q = asRecord(item);
      const currency = str(asRecord(q.quote_amount).currency_code);
      const rate = str(q.exchange_rate);
      if (currency && rate && /^\d+(\.\d+)?$/.test(rate) && Number(rate) > 0 && quotes.includes(currency)) {
        rates.rates.push({ currency, rate, ...(isoDate(q.expiry_time) ? { expiresAt: isoDate(q.expiry_time) } : {}) });
      }
    }
    return rates;
  }

  async query(providerRef: string): Promise<QueryResult> {
    const outcome = await this.call("GET", `/v2/checkout/orders/${encodeURIComponent(providerRef)}`);
    return this.orderAnswer(outcome, providerRef);
  }

  /**
   * Takes the money of an order the customer approved. Refusals PayPal names are statuses (a
   * declined funding source is a failed payment the customer may retry; an order not approved yet
   * is still pending); an order captured before answers with what PayPal holds.
   */
  async capture(providerRef: string, idempotencyKey: string): Promise<QueryResult> {
    const outcome = await this.call("POST", `/v2/checkout/orders/${encodeURIComponent(providerRef)}/capture`, {}, idempotencyKey);
    if (outcome.kind === "response" && outcome.status === 422) {
      const { issue, message } = errorWords(outcome.body);
      const meaning = CAPTURE_REFUSALS[issue];
      if (issue === "ORDER_ALREADY_CAPTURED") return this.query(providerRef);
      if (meaning) {
        return {
          ok: true,
          status: { providerRef, providerCode: issue, providerMessage: message, raw: outcome.body, ...meaning },
          exchange: outcome.exchange,
        };
      }
    }
    return this.orderAnswer(outcome, providerRef);
  }

  private orderAnswer(outcome: AuthorisedOutcome, providerRef: string): QueryResult {
    if (outcome.kind === "token_failure") {
      const f = outcome.failure;
      return { ok: false, reason: "error", message: f.providerMessage ?? f.reasonCode, retryable: f.retryable, exchange: f.exchange };
    }
    if (outcome.kind === "network_error") {
      return { ok: false, reason: "error", message: outcome.error, retryable: true, exchange: outcome.exchange };
    }
    const body = asRecord(outcome.body);
    if ((outcome.status === 200 || outcome.status === 201) && str(body.id)) {
      return { ok: true, status: orderStatus(body, providerRef, outcome.body), exchange: outcome.exchange };
    }
    const { name, message } = errorWords(outcome.body);
    if (outcome.status === 404 || name === "RESOURCE_NOT_FOUND") {
      return { ok: false, reason: "not_found", message, retryable: false, exchange: outcome.exchange };
    }
    return { ok: false, reason: "error", message, retryable: outcome.status >= 500 || outcome.status === 429, exchange: outcome.exchange };
  }

  async parseWebhook(input: WebhookInput): Promise<WebhookResult> {
    const header = (name: string) => input.headers.get(`paypal-${name}`)?.trim() ?? "";
    const transmission = {
      transmission_id: header("transmission-id"),
      transmission_time: header("transmission-time"),
      transmission_sig: header("transmission-sig"),
      cert_url: header("cert-url"),
      auth_algo: header("auth-algo"),
    };
    const missing = Object.entries(transmission).find(([, v]) => !v);
    if (missing) return { ok: false, reason: "bad_signature", detail: `no paypal-${missing[0].replace(/_/g, "-")} header` };
    let json: unknown;
    try {
      json = JSON.parse(input.rawBody);
    } catch {
      return { ok: false, reason: "malformed", detail: "body is not JSON" };
    }
    const envelope = z
      .object({ id: lineText().min(1), event_type: lineText().min(1), resource: z.record(z.unknown()) })
      .passthrough()
      .safeParse(json);
    if (!envelope.success) return { ok: false, reason: "malformed", detail: "expected { id, event_type, resource }" };

    const verified = await this.call("POST", "/v1/notifications/verify-webhook-signature", {
      ...transmission,
      webhook_id: this.config.webhookId,
      webhook_event: json,
    });
    const status = verified.kind === "response" && verified.status === 200 ? str(asRecord(verified.body).verification_status) : undefined;
    if (status !== "SUCCESS") {
      const why =
        verified.kind === "token_failure"
          ? `could not ask PayPal: ${verified.failure.providerMessage ?? verified.failure.reasonCode}`
          : verified.kind === "network_error"
            ? `could not ask PayPal: ${verified.error}`
            : `PayPal answered ${verified.status} ${status ?? errorWords(verified.body).name}`;
      return { ok: false, reason: "bad_signature", detail: `verification failed (${why})` };
    }

    const { id, event_type: type, resource } = envelope.data;
    if (type === "PAYMENT.CAPTURE.COMPLETED" || type === "PAYMENT.CAPTURE.DENIED" || type === "PAYMENT.CAPTURE.PENDING") {
      const orderId = str(asRecord(asRecord(resource.supplementary_data).related_ids).order_id);
      if (!orderId) return { ok: false, reason: "malformed", detail: `${type} without supplementary_data.related_ids.order_id` };
      return { ok: true, event: { ...captureStatus(resource, orderId, json), kind: "payment", providerEventId: id } };
    }
    if (type === "CHECKOUT.ORDER.APPROVED") {
      const orderId = str(resource.id);
      if (!orderId) return { ok: false, reason: "malformed", detail: `${type} without the order id` };
      return { ok: true, event: { ...orderStatus(resource, orderId, json), kind: "payment", providerEventId: id } };
    }
    if (type === "PAYMENT.CAPTURE.REFUNDED" || type === "PAYMENT.CAPTURE.REVERSED") {
      return { ok: true, event: refundEvent(id, type, resource, json) };
    }
    if (type.startsWith("CUSTOMER.DISPUTE.")) {
      const dispute = disputeEvent(id, resource, json);
      return dispute ? { ok: true, event: dispute } : { ok: false, reason: "malformed", detail: `${type} without a dispute id` };
    }
    return { ok: true, event: null, ignored: type };
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const amount = paypalAmount(req.amountMinor, req.currency);
    if (!amount.ok) return { status: "refused", ...amount.failure, customerMessage: "The refund amount cannot be sent to PayPal." };
    let captureId = req.receipt;
    if (!captureId) {
      // The capture id is the receipt; a payment recorded without it is looked up on its order.
      const found = await this.query(req.providerRef);
      captureId = found.ok ? found.status.receipt : undefined;
      if (!captureId) {
        const exchange = found.exchange ?? null;
        return {
          status: "refused",
          reasonCode: "capture_unknown",
          customerMessage: "PayPal has no captured payment for this order to refund.",
          providerMessage: found.ok ? `order ${req.providerRef} has no capture` : found.message,
          retryable: !found.ok && found.retryable,
          exchange,
        };
      }
    }
    const outcome = await this.call(
      "POST",
      `/v2/payments/captures/${encodeURIComponent(captureId)}/refund`,
      {
        amount: { currency_code: req.currency, value: amount.value },
        note_to_payer: (req.reason.trim() || "Refund").slice(0, 255),
      },
      req.idempotencyKey,
    );
    if (outcome.kind === "token_failure") return { status: "refused", ...outcome.failure };
    if (outcome.kind === "network_error") return { status: "refused", ...unavailable(outcome.exchange, outcome.error) };
    const body = asRecord(outcome.body);
    const refundId = str(body.id);
    const status = str(body.status);
    if ((outcome.status === 200 || outcome.status === 201) && refundId && (status === "COMPLETED" || status === "PENDING")) {
      return { status: status === "COMPLETED" ? "completed" : "pending", refundRef: refundId, exchange: outcome.exchange };
    }
    if ((outcome.status === 200 || outcome.status === 201) && refundId) {
      return {
        status: "refused",
        reasonCode: "refund_refused",
        customerMessage: `PayPal did not make the refund (${status ?? "no status"}).`,
        providerMessage: str(asRecord(body.status_details).reason) ?? status,
        retryable: false,
        exchange: outcome.exchange,
      };
    }
    const failure = paypalError(outcome.status, body, outcome.exchange);
    if (failure.reasonCode === "rejected") {
      return {
        status: "refused",
        ...failure,
        reasonCode: "refund_refused",
        customerMessage: `PayPal refused the refund: ${failure.providerMessage}`,
      };
    }
    return { status: "refused", ...failure };
  }
}

/** PayPal's answers to a capture that are statuses, not errors (422 UNPROCESSABLE_ENTITY's issue). */
const CAPTURE_REFUSALS: Record<string, Pick<PaymentStatus, "outcome" | "final" | "reasonCode" | "customerMessage">> = {
  ORDER_NOT_APPROVED: { outcome: "pending", final: false, reasonCode: "not_approved" },
  PAYER_ACTION_REQUIRED: { outcome: "pending", final: false, reasonCode: "payer_action_required" },
  INSTRUMENT_DECLINED: {
    outcome: "failed",
    final: false,
    reasonCode: "declined",
    customerMessage: "PayPal declined the card or account you chose. Please try again and choose another way to pay in PayPal.",
  },
  TRANSACTION_REFUSED: {
    outcome: "failed",
    final: true,
    reasonCode: "refused",
    customerMessage: "PayPal refused this payment. Please choose another payment method.",
  },
  PAYER_CANNOT_PAY: {
    outcome: "failed",
    final: true,
    reasonCode: "payer_cannot_pay",
    customerMessage: "PayPal could not take this payment from your account. Please choose another payment method.",
  },
  DUPLICATE_INVOICE_ID: {
    outcome: "failed",
    final: true,
    reasonCode: "already_paid",
    customerMessage: "PayPal says this has been paid already. Check your orders before paying again.",
  },
};

/** An order (GET, capture's answer, CHECKOUT.ORDER.APPROVED's resource) as our PaymentStatus. */
function orderStatus(order: Record<string, unknown>, providerRef: string, raw: unknown): PaymentStatus {
  const unit = asRecord(Array.isArray(order.purchase_units) ? order.purchase_units[0] : undefined);
  const captures = asRecord(unit.payments).captures;
  const capture = Array.isArray(captures) && captures.length ? asRecord(captures[captures.length - 1]) : undefined;
  if (capture) return captureStatus(capture, str(order.id) ?? providerRef, raw);
  const status = str(order.status) ?? "UNKNOWN";
  const base = {
    providerRef: str(order.id) ?? providerRef,
    providerCode: status,
    raw,
    occurredAt: isoDate(order.update_time ?? order.create_time),
  };
  switch (status) {
    case "APPROVED":
      // The customer said yes at PayPal; no money moves until we capture.
      return { ...base, outcome: "pending", final: false, reasonCode: "approved" };
    case "VOIDED":
      return { ...base, outcome: "cancelled", final: true, reasonCode: "voided", customerMessage: "PayPal cancelled this payment." };
    default:
      // CREATED, SAVED, PAYER_ACTION_REQUIRED: waiting for the customer at PayPal.
      return { ...base, outcome: "pending", final: false };
  }
}

/** A capture (in an order, or a PAYMENT.CAPTURE.* resource) as our PaymentStatus. */
function captureStatus(capture: Record<string, unknown>, orderId: string, raw: unknown): PaymentStatus {
  const status = str(capture.status) ?? "UNKNOWN";
  const amount = asRecord(capture.amount);
  const currency = str(amount.currency_code);
  const amountMinor = currency ? minorFromPaypal(amount.value, currency) : undefined;
  const reason = str(asRecord(capture.status_details).reason);
  const details = conversionOf(capture);
  const base = {
    providerRef: orderId,
    providerCode: status,
    ...(amountMinor !== undefined && currency ? { amountMinor, currency } : {}),
    ...(str(capture.id) ? { receipt: str(capture.id) } : {}),
    ...(reason ? { providerMessage: reason } : {}),
    ...(details ? { details } : {}),
    occurredAt: isoDate(capture.update_time ?? capture.create_time),
    raw,
  };
  switch (status) {
    case "COMPLETED":
    case "PARTIALLY_REFUNDED":
    case "REFUNDED":
      // The money came in; refunds after it are refund events of their own.
      return { ...base, outcome: "completed", final: true };
    case "DECLINED":
      return {
        ...base,
        outcome: "failed",
        final: false,
        reasonCode: "declined",
        customerMessage: "PayPal declined this payment. Please try again and choose another way to pay in PayPal.",
      };
    case "FAILED":
      return { ...base, outcome: "failed", final: true, reasonCode: "failed", customerMessage: "PayPal could not take this payment." };
    default:
      // PENDING (an eCheck clearing, a review): PayPal sends PAYMENT.CAPTURE.COMPLETED or DENIED later.
      return { ...base, outcome: "pending", final: false, ...(reason ? { reasonCode: reason.toLowerCase() } : {}) };
  }
}

/**
 * What PayPal converted, from the capture's seller_receivable_breakdown: the rate and the amount
 * the agency's PayPal account received in its own currency. Undefined when nothing was converted.
 */
function conversionOf(capture: Record<string, unknown>): Record<string, string> | undefined {
  const breakdown = asRecord(capture.seller_receivable_breakdown);
  const rate = asRecord(breakdown.exchange_rate);
  const received = asRecord(breakdown.receivable_amount);
  const fee = asRecord(breakdown.paypal_fee);
  if (!str(rate.value) && !str(received.value)) return undefined;
  const details: Record<string, string> = {};
  if (str(rate.value)) details.exchangeRate = str(rate.value)!;
  if (str(rate.source_currency)) details.sourceCurrency = str(rate.source_currency)!;
  if (str(rate.target_currency)) details.targetCurrency = str(rate.target_currency)!;
  if (str(received.value)) details.receivedAmount = str(received.value)!;
  if (str(received.currency_code)) details.receivedCurrency = str(received.currency_code)!;
  if (str(fee.value)) details.fee = `${str(fee.value)} ${str(fee.currency_code) ?? ""}`.trim();
  return details;
}

/**
 * PAYMENT.CAPTURE.REFUNDED / REVERSED: the resource is the refund, which names its capture only in
 * its `up` link; the capture id is our receipt, so that is the providerRef the caller looks up. A
 * reversal (PayPal took the money back, e.g. a chargeback) is a refund we did not ask for.
 */
function refundEvent(id: string, type: string, resource: Record<string, unknown>, raw: unknown): RefundEvent {
  const status = str(resource.status) ?? "UNKNOWN";
  const amount = asRecord(resource.amount);
  const currency = str(amount.currency_code);
  const minor = currency ? minorFromPaypal(amount.value, currency) : undefined;
  const up = linkOf(resource, "up");
  const captureId = up ? /\/captures\/([^/?#]+)/.exec(up)?.[1] : undefined;
  const outcome = status === "COMPLETED" ? "completed" : status === "FAILED" || status === "CANCELLED" ? "failed" : "pending";
  const reversed = type === "PAYMENT.CAPTURE.REVERSED";
  return {
    kind: "refund",
    providerEventId: id,
    refundRef: str(resource.id) ?? null,
    providerRef: captureId ?? null,
    outcome,
    ...(minor !== undefined ? { amountMinor: Math.abs(minor), currency } : {}),
    ...(reversed ? { reasonCode: "reversed" } : outcome === "completed" ? {} : { reasonCode: status.toLowerCase() }),
    ...(str(resource.note_to_payer) ? { message: str(resource.note_to_payer) } : {}),
    occurredAt: isoDate(resource.update_time ?? resource.create_time),
    raw,
  };
}

/** How a resolved PayPal dispute ended (dispute_outcome.outcome_code). */
const DISPUTE_OUTCOMES: Record<string, DisputeOutcome> = {
  RESOLVED_BUYER_FAVOUR: "lost",
  ACCEPTED: "lost",
  RESOLVED_SELLER_FAVOUR: "won",
  RESOLVED_WITH_PAYOUT: "won",
  CANCELED_BY_BUYER: "won",
  DENIED: "won",
};

/** CUSTOMER.DISPUTE.*: the dispute names the capture (seller_transaction_id), our receipt. */
function disputeEvent(id: string, resource: Record<string, unknown>, raw: unknown): DisputeEvent | null {
  const disputeId = str(resource.dispute_id);
  if (!disputeId) return null;
  const transactions = Array.isArray(resource.disputed_transactions) ? resource.disputed_transactions : [];
  const captureId = str(asRecord(transactions[0]).seller_transaction_id);
  const status = str(resource.status) ?? "UNKNOWN";
  const code = str(asRecord(resource.dispute_outcome).outcome_code);
  const outcome: DisputeOutcome = status === "RESOLVED" && code ? (DISPUTE_OUTCOMES[code] ?? "open") : "open";
  const amount = asRecord(resource.dispute_amount);
  const currency = str(amount.currency_code);
  const minor = currency ? minorFromPaypal(amount.value, currency) : undefined;
  const stage = str(resource.dispute_life_cycle_stage);
  const openedAt = isoDate(resource.create_time);
  const respondBy = isoDate(resource.seller_response_due_date);
  return {
    kind: "dispute",
    providerEventId: id,
    disputeRef: disputeId,
    providerRef: captureId ?? null,
    outcome,
    providerStatus: [stage, status, code].filter(Boolean).join(": "),
    ...(minor !== undefined && minor >= 0 ? { amountMinor: minor, currency } : {}),
    ...(str(resource.reason) ? { reason: str(resource.reason) } : {}),
    ...(openedAt ? { openedAt } : {}),
    ...(respondBy ? { respondBy } : {}),
    occurredAt: isoDate(resource.update_time ?? resource.create_time),
    raw,
  };
}

/** Where PayPal sends a customer who cancels: the return page, told so. */
function cancelUrlFor(returnUrl: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set("cancelled", "1");
  return url.toString();
}

function linkOf(body: Record<string, unknown>, rel: string): string | undefined {
  const links = Array.isArray(body.links) ? body.links : [];
  return str(asRecord(links.find((l) => asRecord(l).rel === rel)).href);
}

/** PayPal's error body: { name, message, details: [{ issue, description }] } (OAuth: { error, error_description }). */
function errorWords(body: unknown): { name: string; issue: string; message: string } {
  const b = asRecord(body);
  const detail = asRecord(Array.isArray(b.details) ? b.details[0] : undefined);
  const name = str(b.name) ?? str(b.error) ?? "UNKNOWN";
  const issue = str(detail.issue) ?? "";
  const message = [name, issue, str(detail.description) ?? str(b.message) ?? str(b.error_description)].filter(Boolean).join(": ");
  return { name, issue, message };
}

function paypalError(status: number, body: unknown, exchange: Exchange): Failure {
  const { name, issue, message } = errorWords(body);
  if (status >= 500 || status === 429) return unavailable(exchange, message);
  if (status === 401 || name === "AUTHENTICATION_FAILURE") {
    return {
      reasonCode: "provider_auth_failed",
      customerMessage: "PayPal is not available right now. Please choose another payment method.",
      providerMessage: message,
      retryable: false,
      exchange,
    };
  }
  if (issue.startsWith("CURRENCY_NOT_SUPPORTED")) {
    return {
      reasonCode: "currency_not_supported",
      customerMessage: "PayPal does not take payments in this currency. Please choose another payment method.",
      providerMessage: message,
      retryable: false,
      exchange,
    };
  }
  return { reasonCode: "rejected", customerMessage: NOT_STARTED, providerMessage: message, retryable: false, exchange };
}

/** A token request that gave no token: PayPal down or busy (retry later), or credentials it refuses. */
function tokenFailure(outcome: HttpOutcome): Failure {
  if (outcome.kind === "network_error") return unavailable(outcome.exchange, outcome.error);
  const body = asRecord(outcome.body);
  const retryable = outcome.status >= 500 || outcome.status === 429;
  const words = [str(body.error), str(body.error_description)].filter(Boolean).join(": ");
  return {
    reasonCode: retryable ? "provider_unavailable" : "provider_auth_failed",
    customerMessage: retryable ? UNAVAILABLE : "PayPal is not available right now. Please choose another payment method.",
    providerMessage: words || `OAuth answered ${outcome.status}`,
    retryable,
    exchange: outcome.exchange,
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

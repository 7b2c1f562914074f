import { z } from "zod";
import { asRecord, callProvider, str, type HttpCall, type HttpOutcome } from "./exchange.server";
import { hmacHex, safeEqual } from "./signatures.server";
import {
  checkAmount,
  curlecFailure,
  orderStatus,
  paymentStatus,
  refundAnswer,
  redirectOf,
  refundEvent,
  refusal,
  tokenEvent,
  unavailable,
  UNAVAILABLE,
} from "./curlec-entities.server";
import { isLinkRef, linkEvent, queryLink, startCardLink } from "./curlec-links.server";
import {
  cancelMandate,
  chargeSaved,
  createMandate,
  listBanks,
  queryMandate,
  type CurlecApi,
  type OrderAnswer,
  type OrderRequest,
} from "./curlec-mandates.server";
import type {
  ChargeSavedRequest,
  ChargeSavedResult,
  CurlecConfig,
  InitiateRequest,
  InitiateResult,
  MandateProvider,
  MandateRequest,
  MandateResult,
  PaymentProvider,
  ProviderDeps,
  QueryResult,
  RefundRequest,
  RefundResult,
  SavedMethodProvider,
  WebhookInput,
  WebhookResult,
} from "./types";
import { lineText } from "~/lib/text";

/**
 * Curlec (Razorpay's Malaysian arm, decision 044): Razorpay's API with HTTP Basic key id and secret.
 *
 * - Every payment hangs off a Curlec order created first (`receipt` = our attempt id, or for a debit
 *   the instalment's idempotency key), captured automatically. Our providerRef is the order id, so
 *   every later question (query, webhook, refund) starts from the order.
 * - One-off payments use the S2S JSON flow: the payment is created server-side with the method and
 *   bank (FPX) or wallet, and Curlec answers where to send the browser. Cards go by a Payment Link
 *   instead (`curlec-links.server.ts`): S2S card payments would put card numbers on our server
 *   (PCI DSS), and Curlec's hosted checkout is a browser form POST, not a redirect. A card
 *   payment's providerRef is its link (`plink_…`), which query and webhooks follow.
 * - Two signatures, never confused: the browser's return carries HMAC-SHA256(`order_id|payment_id`,
 *   key secret), checked against the order id we stored (`verifyCurlecReturn`); webhooks carry
 *   `X-Razorpay-Signature` = HMAC-SHA256(raw body, webhook secret). Both compared in constant time.
 * - E-mandates: a customer (`fail_existing: 0` hands back the existing one), an authorisation order
 *   with `token` limits, the member authorises at their bank; token.* webhooks say where the mandate
 *   stands. Debits are a new order plus /payments/create/recurring with the token
 *   (`curlec-mandates.server.ts`, which this class hands its HTTP, query and orders).
 */

export const CURLEC_BASE_URL = "https://api.razorpay.com/v1";

export class CurlecProvider implements PaymentProvider, SavedMethodProvider, MandateProvider {
  readonly name = "curlec" as const;
  readonly mode: CurlecConfig["mode"];

  constructor(
    private readonly config: CurlecConfig,
    private readonly deps: ProviderDeps = {},
  ) {
    this.mode = config.mode;
  }

  private http(call: Omit<HttpCall, "headers">): Promise<HttpOutcome> {
    const basic = Buffer.from(`${this.config.keyId}:${this.config.keySecret}`).toString("base64");
    return callProvider(
      { ...call, url: `${CURLEC_BASE_URL}${call.url}`, headers: { authorization: `Basic ${basic}` } },
      {
        fetch: this.deps.fetch,
        timeoutMs: this.deps.timeoutMs,
        secrets: [this.config.keySecret, this.config.webhookSecret, basic],
      },
    );
  }

  async initiate(req: InitiateRequest): Promise<InitiateResult> {
    const method = req.method ?? "fpx";
    const refused = checkAmount(req.amountMinor, req.currency, method);
    if (refused) return { status: "failed", ...refused };
    // Cards only on Curlec's hosted page, by a Payment Link: card numbers never reach us.
    if (method === "card") return startCardLink((call) => this.http(call), req, this.deps.now?.() ?? new Date());
    if (method !== "fpx" && method !== "ewallet") {
      return { status: "failed", ...refusal("method_not_offered", "This payment method is not available here.") };
    }
    if (!req.bankCode) {
      return {
        status: "failed",
        ...refusal("bank_required", method === "fpx" ? "Choose your bank to pay by FPX." : "Choose your e-wallet."),
      };
    }
    if (!req.email) return { status: "failed", ...refusal("email_required", "Enter your email address to pay online.") };

    const order = await this.findOrCreateOrder({
      amountMinor: req.amountMinor,
      currency: req.currency,
      receipt: req.transactionId,
      notes: { transactionId: req.transactionId, tenantId: req.tenantId, reference: req.reference },
    });
    if (!order.ok) return { status: "failed", ...order.failure };

    const outcome = await this.http({
      method: "POST",
      url: "/payments/create/json",
      body: {
        amount: req.amountMinor,
        currency: req.currency,
        order_id: order.id,
        email: req.email,
        ...(req.phone ? { contact: req.phone } : {}),
        method: method === "fpx" ? "fpx" : "wallet",
        ...(method === "fpx" ? { bank: req.bankCode } : { wallet: req.bankCode }),
        description: req.description.slice(0, 255),
        callback_url: req.returnUrl,
        callback_method: "get",
        notes: { transactionId: req.transactionId, reference: req.reference },
      },
    });
    const next = redirectOf(outcome);
    if (next) {
      return {
        status: "pending",
        providerRef: order.id,
        customerAction: { type: "redirect", url: next.url },
        details: next.paymentId ? { paymentId: next.paymentId } : {},
        exchange: outcome.exchange,
      };
    }
    return { status: "failed", ...curlecFailure(outcome) };
  }

  async query(providerRef: string): Promise<QueryResult> {
    if (isLinkRef(providerRef)) return queryLink((call) => this.http(call), providerRef);
    const outcome = await this.http({ method: "GET", url: `/orders/${encodeURIComponent(providerRef)}/payments` });
    if (outcome.kind === "network_error")
      return { ok: false, reason: "error", message: outcome.error, retryable: true, exchange: outcome.exchange };
    if (outcome.status === 200) {
      const items = Array.isArray(asRecord(outcome.body).items) ? (asRecord(outcome.body).items as unknown[]).map(asRecord) : [];
      return { ok: true, status: orderStatus(providerRef, items, outcome.body), exchange: outcome.exchange };
    }
    const error = asRecord(asRecord(outcome.body).error);
    const message = str(error.description) ?? `Curlec answered ${outcome.status}`;
    if (outcome.status === 404 || (outcome.status === 400 && /does not exist|invalid/i.test(message))) {
      return { ok: false, reason: "not_found", message, retryable: false, exchange: outcome.exchange };
    }
    return { ok: false, reason: "error", message, retryable: outcome.status >= 500 || outcome.status === 429, exchange: outcome.exchange };
  }

  async parseWebhook(input: WebhookInput): Promise<WebhookResult> {
    const signature = input.headers.get("x-razorpay-signature");
    if (!signature) return { ok: false, reason: "bad_signature", detail: "no x-razorpay-signature header" };
    const expected = hmacHex("sha256", this.config.webhookSecret, input.rawBody);
    if (!safeEqual(signature.trim().toLowerCase(), expected)) {
      return { ok: false, reason: "bad_signature", detail: "x-razorpay-signature does not match the body" };
    }
    let json: unknown;
    try {
      json = JSON.parse(input.rawBody);
    } catch {
      return { ok: false, reason: "malformed", detail: "body is not JSON" };
    }
    const envelope = z.object({ event: lineText().min(1), payload: z.record(z.unknown()) }).safeParse(json);
    if (!envelope.success) return { ok: false, reason: "malformed", detail: "expected { event, payload }" };
    const { event, payload } = envelope.data;
    const entityOf = (name: string) => asRecord(asRecord(payload[name]).entity);
    const payment = entityOf("payment");
    const order = entityOf("order");
    const link = entityOf("payment_link");
    // Curlec's event id is the same on every redelivery; the entity names what it is about.
    const deliveryId = input.headers.get("x-razorpay-event-id")?.trim();
    const eventId = (entityId: string) => `${event}:${entityId}${deliveryId ? `:${deliveryId}` : ""}`;

    if (event.startsWith("payment_link.")) {
      // A card payment (decision 044): the link is what we know it by, not the order Curlec made for it.
      const paid = linkEvent(event, link, payment, json, eventId);
      if (!paid) return { ok: true, event: null, ignored: event };
      return "malformed" in paid ? { ok: false, reason: "malformed", detail: paid.malformed } : { ok: true, event: paid };
    }
    if (event === "payment.authorized" || event === "payment.captured" || event === "payment.failed" || event === "order.paid") {
      const orderId = str(payment.order_id) ?? str(order.id);
      const paymentId = str(payment.id);
      if (!orderId || (event !== "order.paid" && !paymentId)) {
        return { ok: false, reason: "malformed", detail: `${event} without an order id` };
      }
      const status =
        Object.keys(payment).length > 0
          ? paymentStatus(orderId, payment, json)
          : { providerRef: orderId, outcome: "completed" as const, final: true, providerCode: "paid", raw: json };
      return { ok: true, event: { ...status, kind: "payment", providerEventId: eventId(paymentId ?? orderId) } };
    }
    if (event === "refund.processed" || event === "refund.failed" || event === "refund.created") {
      const refund = refundEvent(event, entityOf("refund"), payment, json, eventId);
      return refund ? { ok: true, event: refund } : { ok: false, reason: "malformed", detail: `${event} without a refund id` };
    }
    if (event.startsWith("token.")) {
      const token = entityOf("token");
      const tokenId = str(token.id);
      if (!tokenId) return { ok: false, reason: "malformed", detail: `${event} without a token id` };
      const mandate = tokenEvent(token, event, json, eventId(tokenId));
      return mandate
        ? { ok: true, event: { ...mandate, providerRef: mandate.providerRef ?? str(payment.order_id) ?? null } }
        : { ok: true, event: null, ignored: event };
    }
    return { ok: true, event: null, ignored: event };
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
      return { status: "refused", ...refusal("invalid_amount", "The refund amount is not valid.") };
    }
    // Our providerRef is the order: the money sits on its captured payment.
    let paymentId = req.receipt?.startsWith("pay_") ? req.receipt : undefined;
    if (!paymentId) {
      const found = await this.query(req.providerRef);
      if (!found.ok) {
        return {
          status: "refused",
          reasonCode: found.retryable ? "provider_unavailable" : "payment_not_found",
          customerMessage: found.retryable ? UNAVAILABLE : "Curlec does not know this payment.",
          providerMessage: found.message,
          retryable: found.retryable,
          exchange: found.exchange,
        };
      }
      paymentId = found.status.outcome === "completed" ? found.status.receipt : undefined;
      if (!paymentId) {
        return {
          status: "refused",
          ...refusal("not_paid", "This payment has no captured payment at Curlec to refund."),
          exchange: found.exchange,
        };
      }
    }
    // A retry after a lost answer: the refund made under our key is the answer, not a second one.
    const existing = await this.http({ method: "GET", url: `/payments/${encodeURIComponent(paymentId)}/refunds` });
    if (existing.kind === "response" && existing.status === 200) {
      const items = Array.isArray(asRecord(existing.body).items) ? (asRecord(existing.body).items as unknown[]).map(asRecord) : [];
      const same = items.find((r) => str(r.receipt) === req.idempotencyKey);
      if (same) return refundAnswer(same, existing.exchange);
    }
    const outcome = await this.http({
      method: "POST",
      url: `/payments/${encodeURIComponent(paymentId)}/refund`,
      body: {
        amount: req.amountMinor,
        receipt: req.idempotencyKey,
        notes: { reason: (req.reason.trim() || "Refund").slice(0, 250) },
      },
    });
    if (outcome.kind === "response" && outcome.status === 200 && str(asRecord(outcome.body).id)) {
      return refundAnswer(asRecord(outcome.body), outcome.exchange);
    }
    const failure = curlecFailure(outcome);
    if (failure.reasonCode === "rejected") {
      return {
        status: "refused",
        ...failure,
        reasonCode: "refund_refused",
        customerMessage: `Curlec refused the refund: ${failure.providerMessage}`,
      };
    }
    return { status: "refused", ...failure };
  }

  /** What the mandate calls (curlec-mandates.server.ts) need of this adapter. */
  private get api(): CurlecApi {
    return {
      http: (call) => this.http(call),
      query: (ref) => this.query(ref),
      findOrCreateOrder: (input) => this.findOrCreateOrder(input),
      now: () => this.deps.now?.() ?? new Date(),
    };
  }

  chargeSaved(req: ChargeSavedRequest): Promise<ChargeSavedResult> {
    return chargeSaved(this.api, req);
  }

  listBanks(method: "fpx" | "ewallet"): ReturnType<MandateProvider["listBanks"]> {
    return listBanks(this.api, method);
  }

  createMandate(req: MandateRequest): Promise<MandateResult> {
    return createMandate(this.api, req);
  }

  queryMandate(ref: Parameters<MandateProvider["queryMandate"]>[0]): ReturnType<MandateProvider["queryMandate"]> {
    return queryMandate(this.api, ref);
  }

  cancelMandate(ref: Parameters<MandateProvider["cancelMandate"]>[0]): ReturnType<MandateProvider["cancelMandate"]> {
    return cancelMandate(this.api, ref);
  }

  /** The order for `receipt`: the one Curlec already has (a retry), or a new one. */
  private async findOrCreateOrder(input: OrderRequest): Promise<OrderAnswer> {
    const found = await this.http({ method: "GET", url: `/orders?receipt=${encodeURIComponent(input.receipt)}` });
    if (found.kind === "network_error") return { ok: false, failure: unavailable(found.exchange, found.error) };
    if (found.status === 200) {
      const items = Array.isArray(asRecord(found.body).items) ? (asRecord(found.body).items as unknown[]).map(asRecord) : [];
      const same = items.find((o) => str(o.receipt) === input.receipt && str(o.id));
      if (same) {
        if (same.amount !== input.amountMinor || str(same.currency) !== input.currency) {
          return {
            ok: false,
            failure: {
              ...refusal("duplicate_reference", "This payment was already started for another amount. Please start again."),
              exchange: found.exchange,
            },
          };
        }
        return { ok: true, id: str(same.id)!, created: false };
      }
    } else {
      return { ok: false, failure: curlecFailure(found) };
    }
    const created = await this.http({
      method: "POST",
      url: "/orders",
      body: {
        amount: input.amountMinor,
        currency: input.currency,
        receipt: input.receipt,
        payment_capture: true,
        notes: input.notes,
        ...input.extra,
      },
    });
    const id = created.kind === "response" && created.status === 200 ? str(asRecord(created.body).id) : undefined;
    return id ? { ok: true, id, created: true } : { ok: false, failure: curlecFailure(created) };
  }
}

/**
 * The customer's return from their bank: `razorpay_signature` is HMAC-SHA256 of
 * `order_id|payment_id` with the key secret. `orderId` must be the order WE stored for the attempt,
 * never the one the request names, or a signature for one payment would vouch for another.
 */
export function verifyCurlecReturn(input: { orderId: string; paymentId: string; signature: string }, keySecret: string): boolean {
  if (!input.orderId || !input.paymentId || !input.signature) return false;
  const expected = hmacHex("sha256", keySecret, `${input.orderId}|${input.paymentId}`);
  return safeEqual(input.signature.trim().toLowerCase(), expected);
}

import { z } from "zod";
import { asRecord, callProvider, str, type HttpCall, type HttpOutcome } from "./exchange.server";
import { hmacHex, safeEqual } from "./signatures.server";
import {
  curlecFailure,
  declineOf,
  orderStatus,
  paymentStatus,
  refundAnswer,
  refundEvent,
  refusal,
  tokenEvent,
  tokenStatus,
  unavailable,
  UNAVAILABLE,
} from "./curlec-entities.server";
import { isLinkRef, linkEvent, queryLink, startCardLink } from "./curlec-links.server";
import type {
  ChargeSavedRequest,
  ChargeSavedResult,
  CurlecConfig,
  Exchange,
  Failure,
  InitiateRequest,
  InitiateResult,
  MandateEvent,
  MandateProvider,
  MandateRequest,
  MandateResult,
  PayableBank,
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
 *   stands. Debits are a new order plus /payments/create/recurring with the token.
 */

export const CURLEC_BASE_URL = "https://api.razorpay.com/v1";

/** Curlec takes Malaysian ringgit; other currencies are refused before an order is made. */
const CURRENCIES = new Set(["MYR"]);
/** FPX's floor per payment (RM 1.00), in sen; Curlec's smallest payment of any kind is the same. */
const FPX_MIN_SEN = 100;
const MIN_SEN = FPX_MIN_SEN;

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

  /**
   * A debit on an active mandate. The order's receipt is the idempotency key: a retry finds the
   * order and answers from what Curlec holds for it, and only debits again when every earlier
   * attempt on that order failed (the instalment is still unpaid).
   */
  async chargeSaved(req: ChargeSavedRequest): Promise<ChargeSavedResult> {
    const refused = checkAmount(req.amountMinor, req.currency, "emandate");
    if (refused) return { ok: false, ...refused };
    // The mandate's reference as the mandates module keeps it (decision 046): Curlec's customer and token.
    const customerId = req.method.customerRef;
    const tokenId = req.method.mandate;
    if (!customerId || !tokenId) return { ok: false, ...refusal("mandate_missing", "This payment method cannot be debited any more.") };

    const order = await this.findOrCreateOrder({
      amountMinor: req.amountMinor,
      currency: req.currency,
      receipt: req.idempotencyKey,
      notes: { transactionId: req.transactionId, tenantId: req.tenantId, reference: req.reference },
    });
    if (!order.ok) return { ok: false, ...order.failure };
    if (!order.created) {
      const known = await this.query(order.id);
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

    const outcome = await this.http({
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
      const fetched = paymentId ? await this.http({ method: "GET", url: `/payments/${encodeURIComponent(paymentId)}` }) : null;
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

  async listBanks(
    method: "fpx" | "ewallet",
  ): Promise<{ ok: true; banks: PayableBank[]; exchange: Exchange | null } | ({ ok: false } & Failure)> {
    const outcome = await this.http({ method: "GET", url: "/methods" });
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

  async createMandate(req: MandateRequest): Promise<MandateResult> {
    if (!CURRENCIES.has(req.currency))
      return { status: "failed", ...refusal("currency_not_supported", "Curlec takes ringgit (MYR) only.") };
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
    if (!Number.isFinite(expireAt) || expireAt * 1000 <= (this.deps.now?.() ?? new Date()).getTime()) {
      return { status: "failed", ...refusal("invalid_expiry", "The automatic payment must end in the future.") };
    }

    let customerId = req.customerRef ?? undefined;
    if (!customerId) {
      const customer = await this.http({
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

    const order = await this.findOrCreateOrder({
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

    const outcome = await this.http({
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

  async queryMandate(ref: {
    customerRef: string;
    mandateRef: string | null;
    providerRef?: string | null;
  }): Promise<{ ok: true; event: MandateEvent; exchange: Exchange } | ({ ok: false } & Failure)> {
    if (!ref.mandateRef) return this.queryAuthorisation(ref.customerRef, ref.providerRef ?? null);
    const outcome = await this.http({
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
  private async queryAuthorisation(
    customerRef: string,
    orderId: string | null,
  ): Promise<{ ok: true; event: MandateEvent; exchange: Exchange } | ({ ok: false } & Failure)> {
    if (!orderId) return { ok: false, ...refusal("mandate_missing", "This automatic debit cannot be looked up.") };
    const outcome = await this.http({ method: "GET", url: `/orders/${encodeURIComponent(orderId)}/payments` });
    if (outcome.kind !== "response" || outcome.status !== 200) return { ok: false, ...curlecFailure(outcome) };
    const items = Array.isArray(asRecord(outcome.body).items) ? (asRecord(outcome.body).items as unknown[]).map(asRecord) : [];
    const tokenId = items.map((p) => str(p.token_id)).find(Boolean);
    if (tokenId) {
      const found = await this.queryMandate({ customerRef, mandateRef: tokenId });
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

  async cancelMandate(ref: {
    customerRef: string;
    mandateRef: string;
  }): Promise<{ ok: true; exchange: Exchange } | ({ ok: false } & Failure)> {
    const outcome = await this.http({
      method: "DELETE",
      url: `/customers/${encodeURIComponent(ref.customerRef)}/tokens/${encodeURIComponent(ref.mandateRef)}`,
    });
    // Already gone is what we wanted.
    if (outcome.kind === "response" && (outcome.status === 200 || outcome.status === 404)) return { ok: true, exchange: outcome.exchange };
    return { ok: false, ...curlecFailure(outcome) };
  }

  /** The order for `receipt`: the one Curlec already has (a retry), or a new one. */
  private async findOrCreateOrder(input: {
    amountMinor: number;
    currency: string;
    receipt: string;
    notes: Record<string, string>;
    extra?: Record<string, unknown>;
  }): Promise<{ ok: true; id: string; created: boolean } | { ok: false; failure: Failure }> {
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

function checkAmount(amountMinor: number, currency: string, method: string): Failure | null {
  if (!CURRENCIES.has(currency)) return refusal("currency_not_supported", "Online banking payments here are in ringgit (MYR) only.");
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return refusal("invalid_amount", "This amount cannot be paid online.");
  if (method === "fpx" && amountMinor < FPX_MIN_SEN) return refusal("amount_too_small", "FPX takes payments of RM 1.00 or more.");
  if (method === "card" && amountMinor < MIN_SEN) return refusal("amount_too_small", "Card payments here take RM 1.00 or more.");
  return null;
}

/** The redirect Curlec's S2S JSON answer names (`next[].action = redirect`), with the payment's id. */
function redirectOf(outcome: HttpOutcome): { url: string; paymentId?: string } | null {
  if (outcome.kind !== "response" || outcome.status !== 200) return null;
  const body = asRecord(outcome.body);
  const next = Array.isArray(body.next) ? body.next.map(asRecord) : [];
  const url = str(next.find((n) => n.action === "redirect")?.url);
  if (!url || !/^https:\/\//.test(url)) return null;
  const paymentId = str(body.razorpay_payment_id);
  return paymentId ? { url, paymentId } : { url };
}

function walletName(code: string): string {
  const known: Record<string, string> = { grabpay: "GrabPay", touchngo: "Touch 'n Go eWallet", boost: "Boost", shopeepay: "ShopeePay" };
  return known[code] ?? code;
}

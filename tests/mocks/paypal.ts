import { createHmac, randomBytes } from "node:crypto";
import { http, HttpResponse, type HttpHandler } from "msw";

/**
 * PayPal's REST API as the Orders v2 integration meets it: OAuth2 client credentials (tokens that
 * expire or are revoked), orders (PayPal-Request-Id makes a repeat return the first), approval
 * (played by the test), capture with its documented refusals, refunds of a capture, and webhook
 * verification, which only PayPal can answer: an event it did not send, or one changed since, is
 * FAILURE. Sandbox host only.
 */

export const PAYPAL_API = "https://api-m.sandbox.paypal.com";

const CURRENCIES: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, MYR: 2, SGD: 2, JPY: 0, HUF: 0, TWD: 0, AUD: 2 };

export interface PaypalMockOptions {
  clientId: string;
  clientSecret: string;
  webhookId: string;
  /** Seconds a token lives (PayPal: about nine hours). */
  tokenLifetime?: number;
  /** The seller account's currency: a capture in another is converted at `rate` (seller_receivable_breakdown). */
  receiveIn?: { currency: string; rate: string };
  /**
   * Currency Exchange v2 (quote-exchange-rates): the rate from any base to each quote currency, or
   * how PayPal answers an account it has not enabled for the API ("refused": 403 NOT_AUTHORIZED),
   * or an outage ("down"). Without it, the API is refused, as for most accounts.
   */
  exchangeRates?: Record<string, string> | "refused" | "down";
  /** Fail every API call this way ("down" drops the connection). OAuth included. */
  fail?: { status: number; name: string; issue?: string } | "down";
}

interface Capture {
  id: string;
  status: "COMPLETED" | "DECLINED" | "PARTIALLY_REFUNDED" | "REFUNDED" | "PENDING";
  amount: { currency_code: string; value: string };
  refundedMinor: number;
  custom_id?: string;
  invoice_id?: string;
  seller_receivable_breakdown: Record<string, unknown>;
  create_time: string;
  update_time: string;
}

export interface PaypalOrder {
  id: string;
  status: "PAYER_ACTION_REQUIRED" | "APPROVED" | "COMPLETED" | "VOIDED";
  purchaseUnit: { custom_id?: string; invoice_id?: string; description?: string; amount: { currency_code: string; value: string } };
  experience: Record<string, string>;
  capture?: Capture;
  /** The next capture is refused with this issue (INSTRUMENT_DECLINED, TRANSACTION_REFUSED …). */
  refuseCapture?: string;
  create_time: string;
}

const id17 = () =>
  randomBytes(12)
    .toString("hex")
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 17);

export function createPaypalMock(options: PaypalMockOptions) {
  const state = {
    orders: new Map<string, PaypalOrder>(),
    tokens: new Set<string>(),
    tokenRequests: 0,
    requests: [] as { method: string; path: string; authorization: string | null; requestId: string | null; body: unknown }[],
    refunds: [] as Record<string, unknown>[],
    /** First answer per PayPal-Request-Id and endpoint, replayed for repeats. */
    replies: new Map<string, { status: number; body: unknown }>(),
    verifications: [] as { webhook_id: unknown; status: string }[],
    /** Each quote-exchange-rates request's quote items. */
    rateQuotes: [] as Record<string, unknown>[][],
  };
  const signingKey = randomBytes(16).toString("hex");
  const now = () => new Date().toISOString();
  const basic = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64")}`;

  const problem = (status: number, name: string, issue?: string, description?: string) =>
    HttpResponse.json(
      {
        name,
        message: name === "UNPROCESSABLE_ENTITY" ? "The requested action could not be performed." : name,
        debug_id: randomBytes(6).toString("hex"),
        ...(issue ? { details: [{ issue, description: description ?? issue }] } : {}),
      },
      { status },
    );

  async function record(request: Request) {
    const text = request.method === "GET" ? "" : await request.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = Object.fromEntries(new URLSearchParams(text));
    }
    state.requests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
      requestId: request.headers.get("paypal-request-id"),
      body,
    });
    return body as Record<string, unknown> | undefined;
  }

  async function guard(request: Request) {
    const body = await record(request);
    if (options.fail === "down") return { refusal: HttpResponse.error(), body };
    if (options.fail) return { refusal: problem(options.fail.status, options.fail.name, options.fail.issue), body };
    const auth = request.headers.get("authorization") ?? "";
    if (!auth.startsWith("Bearer ") || !state.tokens.has(auth.slice(7))) {
      return {
        refusal: problem(401, "AUTHENTICATION_FAILURE", undefined, "Authentication failed due to invalid authentication credentials."),
        body,
      };
    }
    return { refusal: null, body };
  }

  /** The same PayPal-Request-Id on the same endpoint answers what it answered first. */
  function idempotent(request: Request, key: string, answer: () => { status: number; body: unknown }) {
    const requestId = request.headers.get("paypal-request-id");
    const slot = requestId ? `${key}|${requestId}` : null;
    const known = slot ? state.replies.get(slot) : undefined;
    const reply = known ?? answer();
    if (slot && !known && reply.status < 500) state.replies.set(slot, reply);
    return HttpResponse.json(reply.body as Record<string, unknown>, { status: reply.status });
  }

  function captureView(capture: Capture) {
    const { refundedMinor: _refunded, ...rest } = capture;
    return rest;
  }

  function orderView(order: PaypalOrder) {
    return {
      id: order.id,
      intent: "CAPTURE",
      status: order.status,
      create_time: order.create_time,
      purchase_units: [
        {
          reference_id: "default",
          ...order.purchaseUnit,
          ...(order.capture ? { payments: { captures: [captureView(order.capture)] } } : {}),
        },
      ],
      links: [
        { href: `${PAYPAL_API}/v2/checkout/orders/${order.id}`, rel: "self", method: "GET" },
        ...(order.status === "PAYER_ACTION_REQUIRED"
          ? [{ href: `https://www.sandbox.paypal.com/checkoutnow?token=${order.id}`, rel: "payer-action", method: "GET" }]
          : []),
      ],
    };
  }

  const minorOf = (value: string, currency: string) => Math.round(Number(value) * 10 ** (CURRENCIES[currency] ?? 2));
  const valueOf = (minor: number, currency: string) => (minor / 10 ** (CURRENCIES[currency] ?? 2)).toFixed(CURRENCIES[currency] ?? 2);

  function breakdown(amount: { currency_code: string; value: string }) {
    const gross = minorOf(amount.value, amount.currency_code);
    const fee = Math.round(gross * 0.034) + 50;
    const base = {
      gross_amount: amount,
      paypal_fee: { currency_code: amount.currency_code, value: valueOf(fee, amount.currency_code) },
      net_amount: { currency_code: amount.currency_code, value: valueOf(gross - fee, amount.currency_code) },
    };
    const receive = options.receiveIn;
    if (!receive || receive.currency === amount.currency_code) return base;
    const received = Math.round((gross - fee) * Number(receive.rate));
    return {
      ...base,
      receivable_amount: { currency_code: receive.currency, value: valueOf(received, receive.currency) },
      exchange_rate: { source_currency: amount.currency_code, target_currency: receive.currency, value: receive.rate },
    };
  }

  const handlers: HttpHandler[] = [
    http.post(`${PAYPAL_API}/v1/oauth2/token`, async ({ request }) => {
      const body = await record(request);
      state.tokenRequests += 1;
      if (options.fail === "down") return HttpResponse.error();
      if (options.fail && options.fail.status >= 500) return problem(options.fail.status, options.fail.name);
      if (request.headers.get("authorization") !== basic) {
        return HttpResponse.json({ error: "invalid_client", error_description: "Client Authentication failed" }, { status: 401 });
      }
      if (body?.grant_type !== "client_credentials") {
        return HttpResponse.json({ error: "unsupported_grant_type", error_description: "Grant Type is NULL" }, { status: 400 });
      }
      const token = `A21AA${randomBytes(24).toString("base64url")}`;
      state.tokens.add(token);
      return HttpResponse.json({
        scope: "https://uri.paypal.com/services/payments/payment",
        access_token: token,
        token_type: "Bearer",
        app_id: "APP-80W284485P519543T",
        expires_in: options.tokenLifetime ?? 32_400,
        nonce: `${now()}${randomBytes(8).toString("hex")}`,
      });
    }),

    http.post(`${PAYPAL_API}/v2/pricing/quote-exchange-rates`, async ({ request }) => {
      const { refusal, body } = await guard(request);
      if (refusal) return refusal;
      const items = Array.isArray(body?.quote_items) ? (body.quote_items as Record<string, unknown>[]) : [];
      state.rateQuotes.push(items);
      const rates = options.exchangeRates;
      if (rates === "down") return problem(503, "SERVICE_UNAVAILABLE");
      if (!rates || rates === "refused") {
        return problem(
          403,
          "NOT_AUTHORIZED",
          "PERMISSION_DENIED",
          "You do not have permission to access or perform operations on this resource.",
        );
      }
      if (!items.length || items.some((i) => typeof i.base_currency !== "string" || typeof i.quote_currency !== "string")) {
        return problem(400, "INVALID_REQUEST", "MISSING_REQUIRED_PARAMETER");
      }
      const expiry = new Date(Date.now() + 15 * 60_000).toISOString();
      return HttpResponse.json({
        exchange_rate_quotes: items.flatMap((i) => {
          const rate = rates[i.quote_currency as string];
          if (!rate) return [];
          return [
            {
              base_amount: { currency_code: i.base_currency, value: "1.00" },
              quote_amount: { currency_code: i.quote_currency, value: Number(rate).toFixed(2) },
              exchange_rate: rate,
              fx_id: `FX-${randomBytes(6).toString("hex")}`,
              expiry_time: expiry,
            },
          ];
        }),
      });
    }),

    http.post(`${PAYPAL_API}/v2/checkout/orders`, async ({ request }) => {
      const { refusal, body } = await guard(request);
      if (refusal) return refusal;
      return idempotent(request, "create", () => {
        const unit = (body?.purchase_units as Record<string, unknown>[] | undefined)?.[0] ?? {};
        const amount = unit.amount as { currency_code?: string; value?: string } | undefined;
        if (body?.intent !== "CAPTURE" || !amount?.currency_code || !amount.value) {
          return { status: 400, body: { name: "INVALID_REQUEST", details: [{ issue: "MISSING_REQUIRED_PARAMETER" }] } };
        }
        const digits = CURRENCIES[amount.currency_code];
        if (digits === undefined) {
          return { status: 422, body: { name: "UNPROCESSABLE_ENTITY", details: [{ issue: "CURRENCY_NOT_SUPPORTED" }] } };
        }
        if (!new RegExp(digits ? `^\\d+(\\.\\d{1,${digits}})?$` : "^\\d+$").test(amount.value)) {
          return { status: 422, body: { name: "UNPROCESSABLE_ENTITY", details: [{ issue: "DECIMAL_PRECISION" }] } };
        }
        const experience = ((body?.payment_source as Record<string, Record<string, unknown>> | undefined)?.paypal?.experience_context ??
          {}) as Record<string, string>;
        const order: PaypalOrder = {
          id: id17(),
          status: "PAYER_ACTION_REQUIRED",
          purchaseUnit: {
            custom_id: unit.custom_id as string | undefined,
            invoice_id: unit.invoice_id as string | undefined,
            description: unit.description as string | undefined,
            amount: { currency_code: amount.currency_code, value: amount.value },
          },
          experience,
          create_time: now(),
        };
        state.orders.set(order.id, order);
        return { status: 200, body: orderView(order) };
      });
    }),

    http.get(`${PAYPAL_API}/v2/checkout/orders/:id`, async ({ request, params }) => {
      const { refusal } = await guard(request);
      if (refusal) return refusal;
      const order = state.orders.get(String(params.id));
      if (!order) return problem(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", "Specified resource ID does not exist.");
      return HttpResponse.json(orderView(order));
    }),

    http.post(`${PAYPAL_API}/v2/checkout/orders/:id/capture`, async ({ request, params }) => {
      const { refusal } = await guard(request);
      if (refusal) return refusal;
      return idempotent(request, `capture:${String(params.id)}`, () => {
        const order = state.orders.get(String(params.id));
        const refuse = (issue: string) => ({ status: 422, body: { name: "UNPROCESSABLE_ENTITY", details: [{ issue }] } });
        if (!order) return { status: 404, body: { name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID" }] } };
        if (order.status === "COMPLETED") return refuse("ORDER_ALREADY_CAPTURED");
        if (order.status !== "APPROVED") return refuse("ORDER_NOT_APPROVED");
        if (order.refuseCapture) {
          const issue = order.refuseCapture;
          order.refuseCapture = undefined;
          return refuse(issue);
        }
        const amount = order.purchaseUnit.amount;
        order.capture = {
          id: id17(),
          status: "COMPLETED",
          amount,
          refundedMinor: 0,
          custom_id: order.purchaseUnit.custom_id,
          invoice_id: order.purchaseUnit.invoice_id,
          seller_receivable_breakdown: breakdown(amount),
          create_time: now(),
          update_time: now(),
        };
        order.status = "COMPLETED";
        return { status: 201, body: orderView(order) };
      });
    }),

    http.post(`${PAYPAL_API}/v2/payments/captures/:id/refund`, async ({ request, params }) => {
      const { refusal, body } = await guard(request);
      if (refusal) return refusal;
      return idempotent(request, `refund:${String(params.id)}`, () => {
        const order = [...state.orders.values()].find((o) => o.capture?.id === params.id);
        const capture = order?.capture;
        const refuse = (issue: string) => ({ status: 422, body: { name: "UNPROCESSABLE_ENTITY", details: [{ issue }] } });
        if (!capture) return { status: 404, body: { name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID" }] } };
        const currency = capture.amount.currency_code;
        const total = minorOf(capture.amount.value, currency);
        if (capture.refundedMinor >= total) return refuse("CAPTURE_FULLY_REFUNDED");
        const asked = body?.amount as { value?: string; currency_code?: string } | undefined;
        if (asked?.currency_code && asked.currency_code !== currency) return refuse("REFUND_CURRENCY_MISMATCH");
        const minor = asked?.value ? minorOf(asked.value, currency) : total - capture.refundedMinor;
        if (minor > total - capture.refundedMinor) return refuse("REFUND_AMOUNT_EXCEEDED");
        capture.refundedMinor += minor;
        capture.status = capture.refundedMinor === total ? "REFUNDED" : "PARTIALLY_REFUNDED";
        const refund = {
          id: id17(),
          status: "COMPLETED",
          amount: { currency_code: currency, value: valueOf(minor, currency) },
          note_to_payer: body?.note_to_payer,
          create_time: now(),
          update_time: now(),
          links: [
            { href: `${PAYPAL_API}/v2/payments/refunds/${id17()}`, rel: "self", method: "GET" },
            { href: `${PAYPAL_API}/v2/payments/captures/${capture.id}`, rel: "up", method: "GET" },
          ],
        };
        state.refunds.push(refund);
        return { status: 201, body: refund };
      });
    }),

    http.post(`${PAYPAL_API}/v1/notifications/verify-webhook-signature`, async ({ request }) => {
      const { refusal, body } = await guard(request);
      if (refusal) return refusal;
      const event = body?.webhook_event;
      const genuine =
        body?.webhook_id === options.webhookId &&
        typeof body?.transmission_sig === "string" &&
        body.transmission_sig === signatureOf(String(body.transmission_id), JSON.stringify(event));
      const status = genuine ? "SUCCESS" : "FAILURE";
      state.verifications.push({ webhook_id: body?.webhook_id, status });
      return HttpResponse.json({ verification_status: status });
    }),
  ];

  function signatureOf(transmissionId: string, eventJson: string) {
    return createHmac("sha256", signingKey).update(`${transmissionId}|${eventJson}`).digest("base64");
  }

  function order(orderId: string): PaypalOrder {
    const found = state.orders.get(orderId);
    if (!found) throw new Error(`no PayPal order ${orderId}`);
    return found;
  }

  return {
    state,
    handlers,
    /** The customer approves the order at PayPal. */
    approve(orderId: string) {
      order(orderId).status = "APPROVED";
    },
    /** The next capture of this order is refused with `issue` (INSTRUMENT_DECLINED …). */
    refuseNextCapture(orderId: string, issue: string) {
      order(orderId).refuseCapture = issue;
    },
    order,
    /** Tokens PayPal no longer takes (expired early, rotated credentials). */
    revokeTokens() {
      state.tokens.clear();
    },
    /**
     * A webhook delivery as PayPal posts it: the event and the transmission headers. `forged`: the
     * same shape, not sent by PayPal (verification answers FAILURE).
     */
    webhook(event: Record<string, unknown>, opts: { forged?: boolean } = {}) {
      const rawBody = JSON.stringify(event);
      const transmissionId = randomBytes(16).toString("hex");
      const headers = new Headers({
        "content-type": "application/json",
        "paypal-transmission-id": transmissionId,
        "paypal-transmission-time": now(),
        "paypal-transmission-sig": opts.forged ? randomBytes(32).toString("base64") : signatureOf(transmissionId, rawBody),
        "paypal-cert-url": `${PAYPAL_API}/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77`,
        "paypal-auth-algo": "SHA256withRSA",
      });
      return { headers, rawBody };
    },
  };
}

const eventId = () => `WH-${id17()}-${id17()}`;

/** PAYMENT.CAPTURE.* for an order's capture, as PayPal sends it (the order id in supplementary_data). */
export function paypalCaptureEvent(type: string, order: PaypalOrder, overrides: Record<string, unknown> = {}) {
  const capture = order.capture;
  if (!capture) throw new Error(`order ${order.id} has no capture`);
  const { refundedMinor: _r, ...resource } = capture;
  return {
    id: eventId(),
    event_version: "1.0",
    create_time: new Date().toISOString(),
    resource_type: "capture",
    resource_version: "2.0",
    event_type: type,
    summary: `Payment ${type.split(".").pop()!.toLowerCase()}`,
    resource: { ...resource, supplementary_data: { related_ids: { order_id: order.id } }, ...overrides },
    links: [],
  };
}

/** CHECKOUT.ORDER.APPROVED: the order itself. */
export function paypalApprovedEvent(order: PaypalOrder) {
  return {
    id: eventId(),
    event_version: "1.0",
    create_time: new Date().toISOString(),
    resource_type: "checkout-order",
    resource_version: "2.0",
    event_type: "CHECKOUT.ORDER.APPROVED",
    resource: {
      id: order.id,
      intent: "CAPTURE",
      status: "APPROVED",
      purchase_units: [{ reference_id: "default", ...order.purchaseUnit }],
    },
    links: [],
  };
}

/** PAYMENT.CAPTURE.REFUNDED / REVERSED: the refund, naming its capture in its `up` link. */
export function paypalRefundEvent(type: string, refund: Record<string, unknown>) {
  return {
    id: eventId(),
    event_version: "1.0",
    create_time: new Date().toISOString(),
    resource_type: "refund",
    resource_version: "2.0",
    event_type: type,
    resource: refund,
    links: [],
  };
}

/** CUSTOMER.DISPUTE.*: a dispute of a capture. */
export function paypalDisputeEvent(
  type: string,
  dispute: { id: string; captureId: string; status: string; outcome?: string; amount: { currency_code: string; value: string } },
) {
  return {
    id: eventId(),
    event_version: "1.0",
    create_time: new Date().toISOString(),
    resource_type: "dispute",
    event_type: type,
    resource: {
      dispute_id: dispute.id,
      create_time: "2026-12-01T10:00:00.000Z",
      update_time: new Date().toISOString(),
      disputed_transactions: [{ seller_transaction_id: dispute.captureId, seller: { merchant_id: "RD465XN5VS364" } }],
      reason: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
      status: dispute.status,
      dispute_amount: dispute.amount,
      ...(dispute.outcome ? { dispute_outcome: { outcome_code: dispute.outcome } } : {}),
      dispute_life_cycle_stage: "CHARGEBACK",
      dispute_channel: "EXTERNAL",
      seller_response_due_date: "2026-12-20T10:00:00.000Z",
    },
    links: [],
  };
}

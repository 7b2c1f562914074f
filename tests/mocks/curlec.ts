import { createHmac } from "node:crypto";
import { http, HttpResponse, type HttpHandler } from "msw";

/**
 * Curlec (Razorpay's API) as it behaves for the calls the adapter makes: HTTP Basic key id and
 * secret; orders (amount in sen, MYR only, looked up by receipt); S2S JSON payments answering a
 * redirect; an order's payments with every status; the methods list (FPX banks, B2B `_C` ones,
 * offline ones; wallets); customers (`fail_existing: 0` hands back the same one); tokens (fetch,
 * delete); recurring debits; refunds with our receipt; Payment Links for cards (create with a unique
 * reference, list by reference, fetch; paid, expired or cancelled). Errors in Razorpay's documented shape
 * `{ error: { code, description, source, step, reason } }`. Webhooks signed with HMAC-SHA256.
 */

export const CURLEC_API = "https://api.razorpay.com/v1";

/** KHHoldings' Curlec settings as the settings form saves them (test mode), for the payments-core tests. */
export const KHH_CURLEC = {
  mode: "test",
  keyId: "rzp_test_KhH0ld1ngs7x2Q",
  keySecret: "kS3cr3t-KhHoldings-9f2b7c1e",
  webhookSecret: "whk-KhHoldings-4a8e2d6f",
  recurring: "true",
};

export type CurlecPaymentStatus = "created" | "authorized" | "captured" | "refunded" | "failed";

export interface CurlecError {
  code: "BAD_REQUEST_ERROR" | "GATEWAY_ERROR" | "SERVER_ERROR";
  description: string;
  source: string;
  step: string;
  reason: string;
}

/** Errors as Curlec documents them, by what went wrong. */
export const CURLEC_ERRORS = {
  cancelled: {
    code: "BAD_REQUEST_ERROR",
    description: "Payment was cancelled by the customer",
    source: "customer",
    step: "payment_authentication",
    reason: "payment_cancelled",
  },
  insufficient: {
    code: "BAD_REQUEST_ERROR",
    description: "Your payment could not be completed due to insufficient account balance",
    source: "customer",
    step: "payment_authorization",
    reason: "insufficient_balance",
  },
  bankDeclined: {
    code: "BAD_REQUEST_ERROR",
    description: "Payment declined by the bank",
    source: "bank",
    step: "payment_authorization",
    reason: "payment_declined",
  },
  timedOut: {
    code: "BAD_REQUEST_ERROR",
    description: "Payment was not completed on time",
    source: "customer",
    step: "payment_authentication",
    reason: "payment_timed_out",
  },
  gateway: {
    code: "GATEWAY_ERROR",
    description: "Payment processing failed due to error at bank or wallet gateway",
    source: "gateway",
    step: "payment_authorization",
    reason: "gateway_technical_error",
  },
} satisfies Record<string, CurlecError>;

export interface CurlecPayment {
  id: string;
  entity: "payment";
  amount: number;
  currency: string;
  status: CurlecPaymentStatus;
  order_id: string;
  method: string;
  bank: string | null;
  wallet: string | null;
  email: string;
  contact: string | null;
  customer_id: string | null;
  token_id: string | null;
  error_code: string | null;
  error_description: string | null;
  error_source: string | null;
  error_step: string | null;
  error_reason: string | null;
  created_at: number;
}

export interface CurlecToken {
  id: string;
  entity: "token";
  customer_id: string;
  order_id: string;
  method: string;
  bank: string | null;
  card: { network: string; last4: string } | null;
  max_amount: number;
  expired_at: number;
  recurring: boolean;
  recurring_details: { status: "initiated" | "confirmed" | "rejected" | "cancelled" | "paused"; failure_reason: string | null };
  created_at: number;
}

export interface CurlecMockOptions {
  keyId: string;
  keySecret: string;
  /** Fail every request this way ("down" drops the connection). */
  fail?: { status: number; error: Partial<CurlecError> } | "down";
}

export function createCurlecMock(options: CurlecMockOptions) {
  const state = {
    orders: new Map<string, Record<string, unknown>>(),
    payments: new Map<string, CurlecPayment>(),
    customers: new Map<string, Record<string, unknown>>(),
    tokens: new Map<string, CurlecToken>(),
    /** Payment Links (cards), by id. */
    links: new Map<string, Record<string, unknown>>(),
    refunds: [] as Record<string, unknown>[],
    requests: [] as { method: string; path: string; search: string; authorization: string | null; body: unknown }[],
    /** Banks as GET /methods lists them; a bank whose value is an object with status "offline" is down. */
    fpx: {
      MB2U0227: "Maybank2u",
      BCBB0235: "CIMB Clicks",
      HLB0224: { name: "Hong Leong Connect", status: "offline" },
      PBB0233: "Public Bank",
      MBB0228_C: "Maybank2E",
      BIMB0340_C: "Bank Islam (Business)",
    } as Record<string, unknown>,
    /** How the next recurring debits go, in order (then "captured"). */
    recurringOutcomes: [] as (CurlecPaymentStatus | { refuse: CurlecError } | { fail: CurlecError })[],
  };
  let seq = 1000;
  const id = (prefix: string) => `${prefix}_Mk${(seq++).toString(36).padStart(10, "0")}`;
  const now = 1_796_000_000;

  const refuse = (status: number, error: Partial<CurlecError>) =>
    HttpResponse.json(
      {
        error: {
          code: "BAD_REQUEST_ERROR",
          description: "",
          source: "business",
          step: "payment_initiation",
          reason: "input_validation_failed",
          ...error,
        },
      },
      { status },
    );
  const basic = `Basic ${Buffer.from(`${options.keyId}:${options.keySecret}`).toString("base64")}`;

  async function guard(request: Request) {
    const url = new URL(request.url);
    const body =
      request.method === "GET" || request.method === "DELETE"
        ? undefined
        : await request
            .clone()
            .json()
            .catch(() => null);
    state.requests.push({
      method: request.method,
      path: url.pathname.replace(/^\/v1/, ""),
      search: url.search,
      authorization: request.headers.get("authorization"),
      body,
    });
    if (options.fail === "down") return HttpResponse.error();
    if (options.fail) return refuse(options.fail.status, options.fail.error);
    if (request.headers.get("authorization") !== basic) {
      return refuse(401, { code: "BAD_REQUEST_ERROR", description: "Authentication failed", reason: "NA", source: "NA", step: "NA" });
    }
    return null;
  }

  function newPayment(
    order: Record<string, unknown>,
    body: Record<string, unknown>,
    status: CurlecPaymentStatus = "created",
  ): CurlecPayment {
    const payment: CurlecPayment = {
      id: id("pay"),
      entity: "payment",
      amount: Number(body.amount),
      currency: String(body.currency),
      status,
      order_id: String(order.id),
      method: String(body.method ?? "emandate"),
      bank: typeof body.bank === "string" ? body.bank : null,
      wallet: typeof body.wallet === "string" ? body.wallet : null,
      email: String(body.email ?? "member@khholdings.example"),
      contact: typeof body.contact === "string" ? body.contact : null,
      customer_id: typeof body.customer_id === "string" ? body.customer_id : null,
      token_id: typeof body.token === "string" ? body.token : null,
      error_code: null,
      error_description: null,
      error_source: null,
      error_step: null,
      error_reason: null,
      created_at: now + seq,
    };
    state.payments.set(payment.id, payment);
    return payment;
  }

  const handlers: HttpHandler[] = [
    http.get(`${CURLEC_API}/orders`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const receipt = new URL(request.url).searchParams.get("receipt");
      const items = [...state.orders.values()].filter((o) => !receipt || o.receipt === receipt);
      return HttpResponse.json({ entity: "collection", count: items.length, items });
    }),

    http.post(`${CURLEC_API}/orders`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const amount = Number(body.amount);
      if (body.currency !== "MYR")
        return refuse(400, { description: "Currency is not supported", field: "currency" } as Partial<CurlecError>);
      if (!Number.isInteger(amount) || amount < 0) return refuse(400, { description: "The amount must be an integer." });
      // An FPX mandate is authorised by a payment of at least RM 1.00.
      if (body.token && body.method === "fpx" && amount < 100)
        return refuse(400, { description: "The amount must be atleast MYR 1.00.", field: "amount" } as Partial<CurlecError>);
      const order = {
        id: id("order"),
        entity: "order",
        amount,
        amount_paid: 0,
        amount_due: amount,
        currency: body.currency,
        receipt: body.receipt ?? null,
        status: "created",
        attempts: 0,
        notes: body.notes ?? [],
        created_at: now,
        ...(body.token ? { token: body.token, customer_id: body.customer_id, method: body.method } : {}),
      };
      state.orders.set(order.id, order);
      return HttpResponse.json(order);
    }),

    http.get(`${CURLEC_API}/orders/:orderId/payments`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      if (!state.orders.has(String(params.orderId))) return refuse(400, { description: "The id provided does not exist" });
      const items = [...state.payments.values()].filter((p) => p.order_id === params.orderId);
      return HttpResponse.json({ entity: "collection", count: items.length, items });
    }),

    http.post(`${CURLEC_API}/payments/create/json`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const order = state.orders.get(String(body.order_id));
      if (!order) return refuse(400, { description: "The id provided does not exist" });
      if (Number(body.amount) !== order.amount) return refuse(400, { description: "Order amount does not match the payment amount" });
      if (body.method === "fpx" && !(typeof body.bank === "string" && body.bank in state.fpx)) {
        return refuse(400, { description: "Invalid bank code", field: "bank" } as Partial<CurlecError>);
      }
      const payment = newPayment(order, body);
      return HttpResponse.json({
        razorpay_payment_id: payment.id,
        next: [{ action: "redirect", url: `https://api.razorpay.com/v1/payments/${payment.id}/authenticate` }],
      });
    }),

    http.post(`${CURLEC_API}/payments/create/recurring`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const order = state.orders.get(String(body.order_id));
      if (!order) return refuse(400, { description: "The id provided does not exist" });
      const token = state.tokens.get(String(body.token));
      if (!token || token.customer_id !== body.customer_id) return refuse(400, { description: "The token id provided does not exist" });
      if (token.recurring_details.status !== "confirmed") return refuse(400, { description: "Token is not in a valid state to charge" });
      if (Number(body.amount) > token.max_amount) return refuse(400, { description: "Amount exceeds the maximum amount of the token" });
      const next = state.recurringOutcomes.shift() ?? "captured";
      if (typeof next === "object" && "refuse" in next) return refuse(400, next.refuse);
      const payment = newPayment(order, { ...body, method: token.method }, typeof next === "object" ? "failed" : next);
      if (typeof next === "object") fillError(payment, next.fail);
      if (payment.status === "captured") Object.assign(order, { status: "paid", amount_paid: order.amount, amount_due: 0 });
      return HttpResponse.json({
        razorpay_payment_id: payment.id,
        razorpay_order_id: order.id,
        razorpay_signature: curlecReturnSignature(options.keySecret, String(order.id), payment.id),
      });
    }),

    http.get(`${CURLEC_API}/payments/:paymentId`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const payment = state.payments.get(String(params.paymentId));
      return payment ? HttpResponse.json(payment) : refuse(400, { description: "The id provided does not exist" });
    }),

    http.get(`${CURLEC_API}/payments/:paymentId/refunds`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const items = state.refunds.filter((r) => r.payment_id === params.paymentId);
      return HttpResponse.json({ entity: "collection", count: items.length, items });
    }),

    http.post(`${CURLEC_API}/payments/:paymentId/refund`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const payment = state.payments.get(String(params.paymentId));
      if (!payment) return refuse(400, { description: "The id provided does not exist" });
      if (payment.status !== "captured") return refuse(400, { description: "The payment has not been captured" });
      const refunded = state.refunds.filter((r) => r.payment_id === payment.id).reduce((sum, r) => sum + Number(r.amount), 0);
      const amount = body.amount === undefined ? payment.amount - refunded : Number(body.amount);
      if (amount > payment.amount - refunded)
        return refuse(400, { description: "The refund amount provided is greater than amount captured" });
      const refund = {
        id: id("rfnd"),
        entity: "refund",
        amount,
        currency: payment.currency,
        payment_id: payment.id,
        receipt: body.receipt ?? null,
        notes: body.notes ?? [],
        status: "pending",
        speed_processed: "normal",
        created_at: now + seq,
      };
      state.refunds.push(refund);
      return HttpResponse.json(refund);
    }),

    http.post(`${CURLEC_API}/payment_links`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const amount = Number(body.amount);
      if (body.currency !== "MYR") return refuse(400, { description: "Currency is not supported" });
      if (!Number.isInteger(amount) || amount < 100) return refuse(400, { description: "The amount must be atleast MYR 1.00." });
      const reference = body.reference_id;
      if (typeof reference === "string" && [...state.links.values()].some((l) => l.reference_id === reference)) {
        return refuse(400, { description: `Payment Link with reference id ${reference} already exists` });
      }
      const linkId = id("plink");
      const link = {
        id: linkId,
        entity: "payment_link",
        amount,
        amount_paid: 0,
        currency: body.currency,
        accept_partial: body.accept_partial ?? false,
        reference_id: reference ?? "",
        description: body.description ?? "",
        customer: body.customer ?? {},
        notify: body.notify ?? { sms: true, email: true },
        reminder_enable: body.reminder_enable ?? true,
        callback_url: body.callback_url ?? "",
        callback_method: body.callback_method ?? "",
        expire_by: body.expire_by ?? 0,
        notes: body.notes ?? null,
        status: "created",
        payments: null,
        short_url: `https://rzp.io/rzp/${linkId.slice("plink_".length)}`,
        created_at: now,
        updated_at: now,
      };
      state.links.set(linkId, link);
      return HttpResponse.json(link);
    }),

    http.get(`${CURLEC_API}/payment_links`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const reference = new URL(request.url).searchParams.get("reference_id");
      const links = [...state.links.values()].filter((l) => !reference || l.reference_id === reference);
      return HttpResponse.json({ payment_links: links });
    }),

    http.get(`${CURLEC_API}/payment_links/:linkId`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const link = state.links.get(String(params.linkId));
      return link ? HttpResponse.json(link) : refuse(400, { description: "The id provided does not exist" });
    }),

    http.get(`${CURLEC_API}/methods`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      return HttpResponse.json({
        entity: "methods",
        card: true,
        fpx: state.fpx,
        wallet: { grabpay: true, touchngo: true, boost: false },
        emandate: true,
      });
    }),

    http.post(`${CURLEC_API}/customers`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const existing = [...state.customers.values()].find((c) => c.email === body.email && c.contact === (body.contact ?? null));
      if (existing) {
        if (body.fail_existing !== "0" && body.fail_existing !== 0)
          return refuse(400, { description: "Customer already exists for the merchant" });
        return HttpResponse.json(existing);
      }
      const customer = {
        id: id("cust"),
        entity: "customer",
        name: body.name,
        email: body.email,
        contact: body.contact ?? null,
        created_at: now,
      };
      state.customers.set(customer.id, customer);
      return HttpResponse.json(customer);
    }),

    http.get(`${CURLEC_API}/customers/:customerId/tokens/:tokenId`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const token = state.tokens.get(String(params.tokenId));
      return token && token.customer_id === params.customerId
        ? HttpResponse.json(token)
        : refuse(400, { description: "The id provided does not exist" });
    }),

    http.delete(`${CURLEC_API}/customers/:customerId/tokens/:tokenId`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const token = state.tokens.get(String(params.tokenId));
      if (!token || token.customer_id !== params.customerId) return refuse(400, { description: "The id provided does not exist" });
      token.recurring_details.status = "cancelled";
      return HttpResponse.json({ deleted: true });
    }),
  ];

  function fillError(payment: CurlecPayment, error: CurlecError) {
    Object.assign(payment, {
      status: "failed",
      error_code: error.code,
      error_description: error.description,
      error_source: error.source,
      error_step: error.step,
      error_reason: error.reason,
    });
  }

  function paymentOf(orderId: string): CurlecPayment {
    const payment = [...state.payments.values()].reverse().find((p) => p.order_id === orderId);
    if (!payment) throw new Error(`no Curlec payment for ${orderId}`);
    return payment;
  }

  /** The customer paid at their bank: the order's latest payment is captured. Returns the webhook bodies. */
  function pay(orderId: string, overrides: { amount?: number } = {}) {
    const payment = paymentOf(orderId);
    const order = state.orders.get(orderId)!;
    Object.assign(payment, { status: "captured", ...(overrides.amount !== undefined ? { amount: overrides.amount } : {}) });
    Object.assign(order, { status: "paid", amount_paid: order.amount, amount_due: 0 });
    return {
      captured: curlecEvent("payment.captured", { payment }),
      paid: curlecEvent("order.paid", { payment, order }),
    };
  }

  /** The payment failed at the bank (or the customer cancelled): returns the payment.failed body. */
  function fail(orderId: string, error: CurlecError) {
    const payment = paymentOf(orderId);
    fillError(payment, error);
    return curlecEvent("payment.failed", { payment });
  }

  /** The member authorised the mandate: a token for the authorisation order's customer. */
  function authorise(orderId: string, status: CurlecToken["recurring_details"]["status"] = "confirmed") {
    const order = state.orders.get(orderId)!;
    const limits = order.token as { max_amount: number; expire_at: number };
    const payment = paymentOf(orderId);
    const token: CurlecToken = {
      id: id("token"),
      entity: "token",
      customer_id: String(order.customer_id),
      order_id: orderId,
      method: String(order.method),
      bank: payment.bank,
      card: order.method === "card" ? { network: "Visa", last4: "1111" } : null,
      max_amount: limits.max_amount,
      expired_at: limits.expire_at,
      recurring: status === "confirmed",
      recurring_details: { status, failure_reason: status === "rejected" ? "Mandate rejected by the bank" : null },
      created_at: now,
    };
    state.tokens.set(token.id, token);
    payment.token_id = token.id;
    payment.status = status === "rejected" ? "failed" : "captured";
    return { token, event: curlecEvent(`token.${status}`, { token, payment }) };
  }

  function linkOf(linkId: string) {
    const link = state.links.get(linkId);
    if (!link) throw new Error(`no Curlec payment link ${linkId}`);
    return link;
  }

  /**
   * The customer paid by card on the link's page: Curlec made an order for the link and captured a
   * card payment on it. Returns the webhook bodies and the query Curlec sends the browser back with.
   */
  function payLink(linkId: string, overrides: { amount?: number } = {}) {
    const link = linkOf(linkId);
    const amount = overrides.amount ?? Number(link.amount);
    const order = {
      id: id("order"),
      entity: "order",
      amount,
      amount_paid: amount,
      amount_due: 0,
      currency: link.currency,
      receipt: null,
      status: "paid",
      created_at: now,
    };
    state.orders.set(order.id, order);
    const payment = newPayment(order, { amount, currency: link.currency, method: "card" }, "captured");
    Object.assign(link, {
      status: "paid",
      amount_paid: amount,
      order_id: order.id,
      updated_at: now + seq,
      payments: [
        {
          amount,
          created_at: payment.created_at,
          method: "card",
          payment_id: payment.id,
          plink_id: linkId,
          status: "captured",
          updated_at: payment.created_at,
        },
      ],
    });
    const query = {
      razorpay_payment_id: payment.id,
      razorpay_payment_link_id: linkId,
      razorpay_payment_link_reference_id: String(link.reference_id),
      razorpay_payment_link_status: "paid",
      razorpay_signature: curlecLinkReturnSignature(options.keySecret, linkId, String(link.reference_id), "paid", payment.id),
    };
    return {
      payment,
      query,
      paid: curlecEvent("payment_link.paid", { payment_link: link, payment, order }),
      captured: curlecEvent("payment.captured", { payment }),
    };
  }

  /** The link ran out (expire_by passed) or the agency cancelled it: returns the webhook body. */
  function endLink(linkId: string, status: "expired" | "cancelled") {
    const link = linkOf(linkId);
    Object.assign(link, { status, updated_at: now + seq });
    return curlecEvent(`payment_link.${status}`, { payment_link: link });
  }

  return { state, handlers, pay, fail, authorise, payLink, endLink };
}

/** A webhook body in Curlec's envelope: `{ entity: "event", event, contains, payload: { <name>: { entity } } }`. */
export function curlecEvent(event: string, entities: Record<string, unknown>) {
  return {
    entity: "event",
    account_id: "acc_KHHoldings01",
    event,
    contains: Object.keys(entities),
    payload: Object.fromEntries(Object.entries(entities).map(([name, entity]) => [name, { entity: structuredClone(entity) }])),
    created_at: 1_796_000_500,
  };
}

export function curlecSignature(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/** The browser's return after paying: HMAC-SHA256 of `order_id|payment_id` with the key secret. */
export function curlecReturnSignature(keySecret: string, orderId: string, paymentId: string): string {
  return createHmac("sha256", keySecret).update(`${orderId}|${paymentId}`).digest("hex");
}

/** The browser's return from a Payment Link: HMAC-SHA256 of `link_id|reference_id|status|payment_id` with the key secret. */
export function curlecLinkReturnSignature(
  keySecret: string,
  linkId: string,
  referenceId: string,
  status: string,
  paymentId: string,
): string {
  return createHmac("sha256", keySecret).update(`${linkId}|${referenceId}|${status}|${paymentId}`).digest("hex");
}

/** A webhook delivery as Curlec sends it: raw body, signature and event id headers. */
export function curlecWebhook(webhookSecret: string, body: unknown, eventId = "EvtKh0000000001"): { headers: Headers; rawBody: string } {
  const rawBody = typeof body === "string" ? body : JSON.stringify(body);
  return {
    rawBody,
    headers: new Headers({
      "content-type": "application/json",
      "x-razorpay-signature": curlecSignature(webhookSecret, rawBody),
      "x-razorpay-event-id": eventId,
    }),
  };
}

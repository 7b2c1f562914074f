import { http, HttpResponse, type HttpHandler } from "msw";
import Stripe from "stripe";

/**
 * Stripe's PaymentIntents and Refunds API as the official SDK sees it: form-encoded requests with a
 * bearer secret key, idempotency keys honoured (a replay returns the first answer, other
 * parameters under the same key are an idempotency_error), Stripe's error envelope, and signed
 * webhook events built with the SDK's own test signer, disputes (chargebacks) as charge.dispute.*
 * events carry them. Configurable to fail.
 */

export const STRIPE_API = "https://api.stripe.com";

type Json = Record<string, unknown>;

export interface StripeMockOptions {
  secretKey: string;
  livemode?: boolean;
  /** Fail every request with this status and error ("down" drops the connection). */
  fail?: { status: number; type: string; message: string; code?: string } | "down";
}

export interface StripeCall {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  params: Json;
}

/** Stripe's bracket form encoding (metadata[tenantId]=…) back into objects. */
export function parseStripeForm(text: string): Json {
  const out: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Json;
    });
  }
  return out;
}

export function createStripeMock(options: StripeMockOptions) {
  const livemode = options.livemode ?? false;
  const state = {
    intents: new Map<string, Json>(),
    refunds: [] as Json[],
    disputes: new Map<string, Json>(),
    customers: new Map<string, Json>(),
    calls: [] as StripeCall[],
    idempotency: new Map<string, { body: string; status: number; json: Json }>(),
  };
  let counter = 0;
  const id = (prefix: string) => `${prefix}_3Pq${(++counter).toString().padStart(4, "0")}Mock${Math.random().toString(36).slice(2, 8)}`;

  const stripeError = (status: number, error: Json) => HttpResponse.json({ error }, { status });

  /** Records the call, checks the key, honours idempotency; `create` runs only on a first use of a key. */
  async function handle(request: Request, path: string, create: (params: Json) => { status: number; json: Json }) {
    const body = request.method === "GET" ? "" : await request.text();
    const params = parseStripeForm(body);
    const idempotencyKey = request.headers.get("idempotency-key");
    state.calls.push({ method: request.method, path, authorization: request.headers.get("authorization"), idempotencyKey, params });
    if (options.fail === "down") return HttpResponse.error();
    if (options.fail)
      return stripeError(options.fail.status, { type: options.fail.type, message: options.fail.message, code: options.fail.code });
    if (request.headers.get("authorization") !== `Bearer ${options.secretKey}`) {
      return stripeError(401, { type: "invalid_request_error", message: `Invalid API Key provided: ${options.secretKey.slice(0, 8)}****` });
    }
    if (idempotencyKey && request.method === "POST") {
      const first = state.idempotency.get(`${path}|${idempotencyKey}`);
      if (first && first.body !== body) {
        return stripeError(400, {
          type: "idempotency_error",
          message: "Keys for idempotent requests can only be used with the same parameters they were first used with.",
        });
      }
      if (first) return HttpResponse.json(first.json, { status: first.status, headers: { "idempotent-replayed": "true" } });
    }
    const result = create(params);
    if (idempotencyKey && request.method === "POST") state.idempotency.set(`${path}|${idempotencyKey}`, { body, ...result });
    return HttpResponse.json(result.json, { status: result.status, headers: { "request-id": `req_${counter}` } });
  }

  const missing = (kind: string, value: string) => ({
    status: 404,
    json: { error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${value}'`, param: "intent" } },
  });

  const handlers: HttpHandler[] = [
    http.post(`${STRIPE_API}/v1/payment_intents`, ({ request }) =>
      handle(request, "/v1/payment_intents", (params) => {
        const amount = Number(params.amount);
        if (!Number.isInteger(amount) || amount < 1) {
          return {
            status: 400,
            json: {
              error: { type: "invalid_request_error", code: "parameter_invalid_integer", param: "amount", message: "Invalid integer" },
            },
          };
        }
        const intentId = id("pi");
        if (params.confirm === "true" && params.off_session === "true") return offSession(intentId, amount, params);
        const intent: Json = {
          id: intentId,
          object: "payment_intent",
          amount,
          amount_capturable: 0,
          amount_received: 0,
          automatic_payment_methods: { allow_redirects: "always", enabled: params.automatic_payment_methods ? true : false },
          cancellation_reason: null,
          capture_method: "automatic_async",
          client_secret: `${intentId}_secret_${Math.random().toString(36).slice(2, 14)}`,
          created: 1772350200,
          currency: params.currency,
          description: params.description ?? null,
          last_payment_error: null,
          latest_charge: null,
          livemode,
          metadata: params.metadata ?? {},
          receipt_email: params.receipt_email ?? null,
          customer: params.customer ?? null,
          payment_method: null,
          setup_future_usage: params.setup_future_usage ?? null,
          status: "requires_payment_method",
        };
        state.intents.set(intentId, intent);
        return { status: 200, json: intent };
      }),
    ),

    http.post(`${STRIPE_API}/v1/customers`, ({ request }) =>
      handle(request, "/v1/customers", (params) => {
        const customer: Json = {
          id: id("cus"),
          object: "customer",
          email: params.email ?? null,
          metadata: params.metadata ?? {},
          livemode,
        };
        state.customers.set(String(customer.id), customer);
        return { status: 200, json: customer };
      }),
    ),

    http.get(`${STRIPE_API}/v1/payment_methods/:id`, ({ request, params }) =>
      handle(request, `/v1/payment_methods/${params.id}`, () => ({
        status: 200,
        json: {
          id: params.id,
          object: "payment_method",
          type: "card",
          card: { brand: "visa", last4: String(params.id).includes("Declined") ? "0341" : "4242", exp_month: 12, exp_year: 2034 },
          livemode,
        },
      })),
    ),

    http.get(`${STRIPE_API}/v1/payment_intents/:id`, ({ request, params }) =>
      handle(request, `/v1/payment_intents/${params.id}`, () => {
        const intent = state.intents.get(String(params.id));
        return intent ? { status: 200, json: intent } : missing("payment_intent", String(params.id));
      }),
    ),

    http.post(`${STRIPE_API}/v1/refunds`, ({ request }) =>
      handle(request, "/v1/refunds", (params) => {
        const intent = state.intents.get(String(params.payment_intent));
        if (!intent) return missing("payment_intent", String(params.payment_intent));
        if (intent.status !== "succeeded") {
          return {
            status: 400,
            json: {
              error: {
                type: "invalid_request_error",
                code: "charge_not_refundable",
                message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
              },
            },
          };
        }
        const refunded = state.refunds.filter((r) => r.payment_intent === intent.id).reduce((sum, r) => sum + Number(r.amount), 0);
        const amount = params.amount === undefined ? Number(intent.amount_received) - refunded : Number(params.amount);
        if (amount > Number(intent.amount_received) - refunded) {
          return {
            status: 400,
            json: {
              error: {
                type: "invalid_request_error",
                code: "amount_too_large",
                param: "amount",
                message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${Number(intent.amount_received) - refunded})`,
              },
            },
          };
        }
        const refund: Json = {
          id: id("re"),
          object: "refund",
          amount,
          charge: intent.latest_charge,
          created: 1772353800,
          currency: intent.currency,
          metadata: params.metadata ?? {},
          payment_intent: intent.id,
          reason: params.reason ?? null,
          status: "succeeded",
        };
        state.refunds.push(refund);
        return { status: 200, json: refund };
      }),
    ),
  ];

  /**
   * An off-session charge of a saved card, confirmed at once, by the PaymentMethod's id as Stripe's
   * test PaymentMethods behave: one whose id says "chargeDeclined" is declined, "authenticationRequired"
   * wants 3-D Secure; both answer 402 with the PaymentIntent inside the card error.
   */
  function offSession(intentId: string, amount: number, params: Json): { status: number; json: Json } {
    const paymentMethod = String(params.payment_method ?? "");
    const base: Json = {
      id: intentId,
      object: "payment_intent",
      amount,
      amount_received: 0,
      cancellation_reason: null,
      client_secret: `${intentId}_secret_${Math.random().toString(36).slice(2, 14)}`,
      created: 1775023200,
      currency: params.currency,
      customer: params.customer ?? null,
      description: params.description ?? null,
      latest_charge: null,
      livemode,
      metadata: params.metadata ?? {},
      payment_method: paymentMethod,
      setup_future_usage: null,
    };
    const failure = paymentMethod.includes("chargeDeclined")
      ? { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." }
      : paymentMethod.includes("authenticationRequired")
        ? {
            code: "authentication_required",
            decline_code: "authentication_required",
            message: "Your card was declined. This transaction requires authentication.",
          }
        : null;
    if (failure) {
      const intent = { ...base, status: "requires_payment_method", last_payment_error: { type: "card_error", ...failure } };
      state.intents.set(intentId, intent);
      return { status: 402, json: { error: { type: "card_error", ...failure, payment_intent: intent } } };
    }
    const intent = {
      ...base,
      status: "succeeded",
      amount_received: amount,
      latest_charge: `ch_3Pq${intentId.slice(-10)}`,
      last_payment_error: null,
    };
    state.intents.set(intentId, intent);
    return { status: 200, json: intent };
  }

  function intent(intentId: string): Json {
    const found = state.intents.get(intentId);
    if (!found) throw new Error(`no PaymentIntent ${intentId}`);
    return found;
  }

  /** The customer's card is charged: the PaymentIntent succeeds (optionally for another amount). */
  function succeed(intentId: string, overrides: { amountReceived?: number; paymentMethod?: string } = {}) {
    const pi = intent(intentId);
    Object.assign(pi, {
      payment_method: overrides.paymentMethod ?? `pm_1Pq${intentId.slice(-10)}`,
      status: "succeeded",
      amount_received: overrides.amountReceived ?? pi.amount,
      latest_charge: `ch_3Pq${intentId.slice(-10)}`,
      last_payment_error: null,
    });
    return structuredClone(pi);
  }

  /** A card attempt is declined: the PaymentIntent waits for another payment method. */
  function decline(intentId: string, error: { code?: string; decline_code?: string; message?: string } = {}) {
    const pi = intent(intentId);
    Object.assign(pi, {
      status: "requires_payment_method",
      last_payment_error: {
        type: "card_error",
        code: error.code ?? "card_declined",
        decline_code: error.decline_code ?? "insufficient_funds",
        message: error.message ?? "Your card has insufficient funds.",
      },
    });
    return structuredClone(pi);
  }

  function cancel(intentId: string) {
    const pi = intent(intentId);
    Object.assign(pi, { status: "canceled", cancellation_reason: "abandoned" });
    return structuredClone(pi);
  }

  /**
   * The cardholder disputes the (succeeded) PaymentIntent's charge, or the dispute moves on: the
   * Dispute object as Stripe sends it in charge.dispute.* events (a copy; the dispute's id is kept
   * per PaymentIntent, so later calls change the same dispute).
   */
  function dispute(
    intentId: string,
    change: { status?: string; amount?: number; reason?: string; created?: number; dueBy?: number | null } = {},
  ): Json {
    const pi = intent(intentId);
    const existing = state.disputes.get(intentId);
    const next: Json = existing ?? {
      id: id("dp"),
      object: "dispute",
      amount: Number(pi.amount_received),
      balance_transactions: [],
      charge: pi.latest_charge,
      created: change.created ?? 1772436600,
      currency: pi.currency,
      enhanced_eligibility_types: [],
      evidence: {},
      evidence_details: { due_by: 1773273599, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode,
      metadata: {},
      payment_intent: pi.id,
      payment_method_details: { card: { brand: "visa", case_type: "chargeback", network_reason_code: "10.4" }, type: "card" },
      reason: "fraudulent",
      status: "needs_response",
    };
    if (change.status !== undefined) next.status = change.status;
    if (change.amount !== undefined) next.amount = change.amount;
    if (change.reason !== undefined) next.reason = change.reason;
    if (change.dueBy !== undefined) (next.evidence_details as Json).due_by = change.dueBy;
    state.disputes.set(intentId, next);
    return structuredClone(next);
  }

  return { state, handlers, succeed, decline, cancel, dispute };
}

let eventCounter = 0;

/** A Stripe event envelope around an API object. */
export function stripeEvent(type: string, object: Json, overrides: { id?: string; livemode?: boolean; created?: number } = {}): Json {
  eventCounter += 1;
  return {
    id: overrides.id ?? `evt_3Pq${eventCounter.toString().padStart(6, "0")}MockEvent`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: overrides.created ?? 1772350300,
    data: { object },
    livemode: overrides.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** A webhook delivery signed the way Stripe signs it (the SDK's own test signer). */
export function signedStripeWebhook(webhookSecret: string, event: Json | string, timestamp = Math.floor(Date.now() / 1000)) {
  const rawBody = typeof event === "string" ? event : JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: webhookSecret, timestamp });
  return { rawBody, headers: new Headers({ "content-type": "application/json", "stripe-signature": signature }) };
}

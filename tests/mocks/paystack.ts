import { createHmac } from "node:crypto";
import { http, HttpResponse, type HttpHandler } from "msw";

/**
 * Paystack's transaction and refund API as it behaves: bearer secret key, initialize (unique
 * reference, supported currencies, amount in the subunit), verify (abandoned until paid), refunds
 * (queued), and webhooks signed with HMAC-SHA512 of the raw body. Configurable to fail.
 */

export const PAYSTACK_API = "https://api.paystack.co";
const CURRENCIES = ["NGN", "GHS", "ZAR", "KES", "USD", "XOF", "EGP"];

export interface PaystackTransaction {
  id: number;
  domain: "test" | "live";
  reference: string;
  amount: number;
  currency: string;
  email: string;
  status: "abandoned" | "success" | "failed" | "ongoing" | "reversed";
  gateway_response: string;
  paid_at: string | null;
  created_at: string;
  channel: string;
  metadata: unknown;
  access_code: string;
  refunded: number;
  /** A card charge's authorization (charge_authorization charges it again). */
  authorization_code?: string;
}

/** A saved card's authorization and how Paystack answers a charge of it: success, failed, or send_otp (wants the customer). */
export interface PaystackAuthorization {
  code: string;
  email: string;
  last4: string;
  reusable: boolean;
  outcome: "success" | "failed" | "send_otp";
}

export interface PaystackMockOptions {
  secretKey: string;
  domain?: "test" | "live";
  /** Fail every request this way ("down" drops the connection). */
  fail?: { status: number; message: string } | "down";
}

export function createPaystackMock(options: PaystackMockOptions) {
  const domain = options.domain ?? "test";
  const state = {
    transactions: new Map<string, PaystackTransaction>(),
    requests: [] as { method: string; path: string; authorization: string | null; body: unknown }[],
    refunds: [] as Record<string, unknown>[],
    authorizations: new Map<string, PaystackAuthorization>(),
  };
  let nextId = 4_099_260_000;

  const refuse = (status: number, message: string, extra: Record<string, unknown> = {}) =>
    HttpResponse.json({ status: false, message, ...extra }, { status });

  async function guard(request: Request) {
    const body =
      request.method === "GET"
        ? undefined
        : await request
            .clone()
            .json()
            .catch(() => null);
    state.requests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
      body,
    });
    if (options.fail === "down") return HttpResponse.error();
    if (options.fail) return refuse(options.fail.status, options.fail.message);
    if (request.headers.get("authorization") !== `Bearer ${options.secretKey}`) return refuse(401, "Invalid key");
    return null;
  }

  const handlers: HttpHandler[] = [
    http.post(`${PAYSTACK_API}/transaction/initialize`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const amount = Number(body.amount);
      if (!body.email) return refuse(400, "Email is required");
      if (!Number.isInteger(amount) || amount <= 0) return refuse(400, "Invalid Amount Sent");
      const currency = String(body.currency ?? "NGN");
      if (!CURRENCIES.includes(currency)) return refuse(403, "Currency not supported by merchant", { code: "unsupported_currency" });
      const reference = String(body.reference ?? `T${nextId}`);
      if (state.transactions.has(reference)) return refuse(400, "Duplicate Transaction Reference");
      const accessCode = `0peioxfhpn${state.transactions.size + 1}`;
      state.transactions.set(reference, {
        id: nextId++,
        domain,
        reference,
        amount,
        currency,
        email: String(body.email),
        status: "abandoned",
        gateway_response: "The transaction was not completed",
        paid_at: null,
        created_at: new Date("2026-03-01T07:30:00Z").toISOString(),
        channel: "card",
        metadata: body.metadata ?? null,
        access_code: accessCode,
        refunded: 0,
      });
      return HttpResponse.json({
        status: true,
        message: "Authorization URL created",
        data: { authorization_url: `https://checkout.paystack.com/${accessCode}`, access_code: accessCode, reference },
      });
    }),

    http.get(`${PAYSTACK_API}/transaction/verify/:reference`, async ({ request, params }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const tx = state.transactions.get(String(params.reference));
      if (!tx) return refuse(400, "Transaction reference not found", { type: "validation_error", code: "transaction_not_found" });
      return HttpResponse.json({ status: true, message: "Verification successful", data: transactionData(tx) });
    }),

    http.post(`${PAYSTACK_API}/refund`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const tx = state.transactions.get(String(body.transaction));
      if (!tx) return refuse(404, "Transaction not found");
      if (tx.status !== "success") return refuse(400, "Cannot refund a transaction that has not been completed");
      const amount = body.amount === undefined ? tx.amount - tx.refunded : Number(body.amount);
      if (amount > tx.amount - tx.refunded) return refuse(400, "Refund amount cannot be greater than the transaction amount");
      tx.refunded += amount;
      const refund = {
        id: 1_650_000 + state.refunds.length + 1,
        integration: 412829,
        domain,
        transaction: { id: tx.id, reference: tx.reference, amount: tx.amount, currency: tx.currency },
        amount,
        currency: tx.currency,
        deducted_amount: 0,
        fully_deducted: false,
        channel: null,
        merchant_note: body.merchant_note ?? null,
        customer_note: body.customer_note ?? null,
        status: "pending",
        refunded_by: "ops@bowman.example",
        expected_at: "2026-03-11T07:30:00.000Z",
        createdAt: "2026-03-01T08:00:00.000Z",
        updatedAt: "2026-03-01T08:00:00.000Z",
      };
      state.refunds.push(refund);
      return HttpResponse.json({ status: true, message: "Refund has been queued for processing", data: refund });
    }),

    // Charges a saved card (its authorization) at once; the reference is ours, and unique.
    http.post(`${PAYSTACK_API}/transaction/charge_authorization`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const body = (await request.json()) as Record<string, unknown>;
      const authorization = state.authorizations.get(String(body.authorization_code));
      if (!authorization || authorization.email !== body.email) return refuse(400, "Invalid authorization code");
      if (!authorization.reusable) return refuse(400, "Authorization is not reusable");
      const amount = Number(body.amount);
      if (!Number.isInteger(amount) || amount <= 0) return refuse(400, "Invalid Amount Sent");
      const reference = String(body.reference ?? `T${nextId}`);
      if (state.transactions.has(reference)) return refuse(400, "Duplicate Transaction Reference");
      const tx: PaystackTransaction = {
        id: nextId++,
        domain,
        reference,
        amount,
        currency: String(body.currency ?? "NGN"),
        email: authorization.email,
        status: authorization.outcome === "success" ? "success" : authorization.outcome === "failed" ? "failed" : "ongoing",
        gateway_response:
          authorization.outcome === "success" ? "Approved" : authorization.outcome === "failed" ? "Insufficient Funds" : "Pending",
        paid_at: authorization.outcome === "success" ? "2026-04-01T06:00:02.000Z" : null,
        created_at: "2026-04-01T06:00:00.000Z",
        channel: "card",
        metadata: body.metadata ?? null,
        access_code: "",
        refunded: 0,
        authorization_code: authorization.code,
      };
      state.transactions.set(reference, tx);
      const data = transactionData(tx);
      return HttpResponse.json({
        status: true,
        message: "Charge attempted",
        data: { ...data, status: authorization.outcome === "send_otp" ? "send_otp" : data.status },
      });
    }),
  ];

  function transactionData(tx: PaystackTransaction) {
    const { refunded: _refunded, access_code: _accessCode, authorization_code: code, ...data } = tx;
    const authorization = code ? state.authorizations.get(code) : undefined;
    return {
      ...data,
      fees: Math.round(tx.amount * 0.029),
      customer: { id: 1, email: tx.email, customer_code: "CUS_xnxdt6s1zg1f4nx" },
      ...(authorization
        ? {
            authorization: {
              authorization_code: authorization.code,
              bin: "408408",
              last4: authorization.last4,
              exp_month: "12",
              exp_year: "2030",
              channel: "card",
              card_type: "visa ",
              bank: "TEST BANK",
              country_code: "KE",
              brand: "visa",
              reusable: authorization.reusable,
              signature: `SIG_${authorization.last4}${authorization.code.slice(-6)}`,
              account_name: null,
            },
          }
        : {}),
    };
  }

  /** The customer pays on Paystack's page: verify now says success, and this is the webhook body. */
  function pay(reference: string, overrides: { amount?: number; card?: Partial<Omit<PaystackAuthorization, "code" | "email">> } = {}) {
    const tx = state.transactions.get(reference);
    if (!tx) throw new Error(`no Paystack transaction ${reference}`);
    const code = `AUTH_${tx.id}x7k2p`;
    state.authorizations.set(code, { code, email: tx.email, last4: "4081", reusable: true, outcome: "success", ...overrides.card });
    Object.assign(tx, {
      status: "success",
      gateway_response: "Approved",
      paid_at: "2026-03-01T07:31:12.000Z",
      authorization_code: code,
      ...(overrides.amount !== undefined ? { amount: overrides.amount } : {}),
    });
    return { event: "charge.success", data: transactionData(tx) };
  }

  function decline(reference: string, gatewayResponse = "Declined") {
    const tx = state.transactions.get(reference);
    if (!tx) throw new Error(`no Paystack transaction ${reference}`);
    Object.assign(tx, { status: "failed", gateway_response: gatewayResponse });
  }

  return { state, handlers, pay, decline };
}

export function paystackSignature(secretKey: string, rawBody: string): string {
  return createHmac("sha512", secretKey).update(rawBody).digest("hex");
}

/** A webhook delivery as Paystack sends it: raw JSON body and its signature header. */
export function paystackWebhook(secretKey: string, body: unknown): { headers: Headers; rawBody: string } {
  const rawBody = typeof body === "string" ? body : JSON.stringify(body);
  return {
    rawBody,
    headers: new Headers({ "content-type": "application/json", "x-paystack-signature": paystackSignature(secretKey, rawBody) }),
  };
}

/** A refund.* webhook body in Paystack's shape (it carries no refund id unless Paystack adds one). */
export function paystackRefundEvent(
  event: "refund.pending" | "refund.processing" | "refund.processed" | "refund.failed" | "refund.needs-attention",
  reference: string,
  options: { amount?: number | string; id?: string; refundReference?: string | null; currency?: string; domain?: "test" | "live" } = {},
) {
  return {
    event,
    data: {
      status: event.slice("refund.".length),
      transaction_reference: reference,
      refund_reference: options.refundReference ?? null,
      amount: options.amount ?? "150000",
      currency: options.currency ?? "KES",
      processor: "mpgs_zen",
      customer: { first_name: "Amina", last_name: "Otieno", email: "amina@example.com" },
      integration: 412829,
      domain: options.domain ?? "test",
      ...(options.id ? { id: options.id } : {}),
    },
  };
}

/**
 * A charge.dispute.* webhook body in the shape Paystack documents (data: the dispute, with the
 * disputed transaction inside; no event id). `resolution` only on a resolved dispute:
 * merchant-accepted or auto-accepted (the customer is refunded `refund_amount`), or declined.
 */
export function paystackDisputeEvent(
  event: "charge.dispute.create" | "charge.dispute.remind" | "charge.dispute.resolve",
  transaction: { reference: string; amount: number; currency?: string; id?: number },
  options: {
    id?: number;
    status?: "awaiting-merchant-feedback" | "awaiting-bank-feedback" | "pending" | "resolved";
    resolution?: "merchant-accepted" | "auto-accepted" | "declined" | null;
    refundAmount?: number | string;
    domain?: "test" | "live";
    createdAt?: string;
    resolvedAt?: string | null;
  } = {},
) {
  const currency = transaction.currency ?? "KES";
  const resolved = event === "charge.dispute.resolve";
  const createdAt = options.createdAt ?? "2026-03-05T09:12:00.000Z";
  const resolvedAt = options.resolvedAt ?? (resolved ? "2026-03-20T11:00:02.000Z" : null);
  return {
    event,
    data: {
      id: options.id ?? 358950,
      refund_amount: options.refundAmount ?? transaction.amount,
      currency,
      status: options.status ?? (resolved ? "resolved" : "awaiting-merchant-feedback"),
      resolution: options.resolution ?? (resolved ? "merchant-accepted" : null),
      domain: options.domain ?? "test",
      transaction: {
        id: transaction.id ?? 4_099_260_001,
        domain: options.domain ?? "test",
        status: resolved ? "reversed" : "success",
        reference: transaction.reference,
        amount: transaction.amount,
        gateway_response: "Approved",
        paid_at: "2026-03-01T07:31:12.000Z",
        created_at: "2026-03-01T07:30:00.000Z",
        channel: "card",
        currency,
      },
      transaction_reference: null,
      category: "chargeback",
      customer: { id: 5406463, first_name: "Amina", last_name: "Otieno", email: "amina@example.com", customer_code: "CUS_xnxdt6s1zg1f4nx" },
      bin: "408408",
      last4: "4081",
      dueAt: "2026-03-06T18:00:00.000Z",
      resolvedAt,
      evidence: null,
      attachments: null,
      note: null,
      history: [{ status: "pending", by: "amina@example.com", createdAt }],
      messages: [{ sender: "amina@example.com", body: "Customer does not recognise this debit", createdAt }],
      created_at: createdAt,
      updated_at: resolvedAt ?? createdAt,
    },
  };
}

import { describe, expect, it } from "vitest";
import { providerFor, ProviderConfigError, type InitiateRequest, type PaymentEvent } from "~/modules/payments/providers/index.server";
import {
  createPaystackMock,
  paystackDisputeEvent,
  paystackRefundEvent,
  paystackSignature,
  paystackWebhook,
  type PaystackMockOptions,
} from "../mocks/paystack";
import { playThirdParties } from "../support/msw";

const server = playThirdParties();

const config = { mode: "test", secretKey: "sk_test_8f2c4e6a0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a", publicKey: "pk_test_1a3c5e7b9d2f4a6c8e0b" };

function setup(options: Partial<PaystackMockOptions> = {}) {
  const mock = createPaystackMock({ secretKey: config.secretKey, ...options });
  server.use(...mock.handlers);
  return { mock, provider: providerFor("paystack", config, { timeoutMs: 2000 }) };
}

function payment(overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    transactionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    reference: "BWM-ORD-2026-000012",
    amountMinor: 150_000,
    currency: "KES",
    email: "amina@example.com",
    description: "Motor insurance premium",
    callbackUrl: "https://bowman.covera.app/webhooks/paystack",
    returnUrl: "https://bowman.covera.app/checkout/0f8fad5b/return",
    idempotencyKey: "attempt-0f8fad5b",
    ...overrides,
  };
}

describe("Paystack initialize", () => {
  it("initializes with our attempt id as reference and amount in the subunit, and redirects", async () => {
    const { mock, provider } = setup();
    const result = await provider.initiate(payment());
    expect(result).toEqual({
      status: "pending",
      providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
      customerAction: { type: "redirect", url: "https://checkout.paystack.com/0peioxfhpn1" },
      details: { accessCode: "0peioxfhpn1" },
      exchange: expect.any(Object),
    });
    expect(mock.state.requests[0]).toEqual({
      method: "POST",
      path: "/transaction/initialize",
      authorization: `Bearer ${config.secretKey}`,
      body: {
        email: "amina@example.com",
        amount: 150_000,
        currency: "KES",
        reference: "0f8fad5b-d9cb-469f-a165-70867728950e",
        callback_url: "https://bowman.covera.app/checkout/0f8fad5b/return",
        metadata: {
          transactionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
          tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
          reference: "BWM-ORD-2026-000012",
          description: "Motor insurance premium",
          cancel_action: "https://bowman.covera.app/checkout/0f8fad5b/return",
        },
      },
    });
  });

  it("refuses without an email, before calling Paystack", async () => {
    const { mock, provider } = setup();
    expect(await provider.initiate(payment({ email: undefined }))).toMatchObject({
      status: "failed",
      reasonCode: "email_required",
      exchange: null,
    });
    expect(await provider.initiate(payment({ email: "amina" }))).toMatchObject({ status: "failed", reasonCode: "email_required" });
    expect(await provider.initiate(payment({ amountMinor: 12.5 }))).toMatchObject({ status: "failed", reasonCode: "invalid_amount" });
    expect(mock.state.requests).toHaveLength(0);
  });

  it("refuses a second initialize for the same attempt (Paystack's duplicate reference)", async () => {
    const { provider } = setup();
    await provider.initiate(payment());
    expect(await provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "duplicate_reference",
      retryable: false,
      providerMessage: "Duplicate Transaction Reference",
    });
  });

  it("passes on Paystack's refusals and outages", async () => {
    expect(await setup().provider.initiate(payment({ currency: "MYR" }))).toMatchObject({
      status: "failed",
      reasonCode: "rejected",
      retryable: false,
      providerMessage: "Currency not supported by merchant",
    });
    expect(await setup({ fail: { status: 502, message: "Bad gateway" } }).provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "provider_unavailable",
      retryable: true,
    });
    expect(await setup({ fail: "down" }).provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "provider_unavailable",
      retryable: true,
    });
    const { mock } = setup();
    const wrongKey = providerFor("paystack", { ...config, secretKey: "sk_test_revokedkey000000" });
    expect(await wrongKey.initiate(payment())).toMatchObject({ status: "failed", reasonCode: "provider_auth_failed", retryable: false });
    expect(mock.state.requests[0]!.authorization).toBe("Bearer sk_test_revokedkey000000");
  });
});

describe("Paystack verify", () => {
  it("reports abandoned as pending until the customer pays, then completed with Paystack's amount", async () => {
    const { mock, provider } = setup();
    await provider.initiate(payment());
    expect(await provider.query("0f8fad5b-d9cb-469f-a165-70867728950e")).toMatchObject({
      ok: true,
      status: { outcome: "pending", final: false, reasonCode: "abandoned", providerCode: "abandoned" },
    });
    mock.pay("0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(await provider.query("0f8fad5b-d9cb-469f-a165-70867728950e")).toMatchObject({
      ok: true,
      status: {
        providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
        outcome: "completed",
        final: true,
        amountMinor: 150_000,
        currency: "KES",
        providerMessage: "Approved",
        occurredAt: "2026-03-01T07:31:12.000Z",
      },
    });
    expect(mock.state.requests.at(-1)).toMatchObject({ method: "GET", path: "/transaction/verify/0f8fad5b-d9cb-469f-a165-70867728950e" });
  });

  it("reports a different amount as Paystack holds it (the caller decides)", async () => {
    const { mock, provider } = setup();
    await provider.initiate(payment());
    mock.pay("0f8fad5b-d9cb-469f-a165-70867728950e", { amount: 100 });
    expect(await provider.query("0f8fad5b-d9cb-469f-a165-70867728950e")).toMatchObject({
      ok: true,
      status: { outcome: "completed", amountMinor: 100 },
    });
  });

  it("reports a declined card as a failure the customer may retry", async () => {
    const { mock, provider } = setup();
    await provider.initiate(payment());
    mock.decline("0f8fad5b-d9cb-469f-a165-70867728950e", "Insufficient Funds");
    expect(await provider.query("0f8fad5b-d9cb-469f-a165-70867728950e")).toMatchObject({
      ok: true,
      status: {
        outcome: "failed",
        final: false,
        reasonCode: "declined",
        providerMessage: "Insufficient Funds",
        customerMessage: expect.any(String),
      },
    });
  });

  it("says not found for a reference Paystack does not know", async () => {
    const { provider } = setup();
    expect(await provider.query("no-such-reference")).toMatchObject({ ok: false, reason: "not_found", retryable: false });
    expect(await setup({ fail: "down" }).provider.query("x")).toMatchObject({ ok: false, reason: "error", retryable: true });
  });
});

describe("Paystack webhooks", () => {
  async function paidEvent() {
    const { mock, provider } = setup();
    await provider.initiate(payment());
    return { mock, provider, body: mock.pay("0f8fad5b-d9cb-469f-a165-70867728950e") };
  }

  it("verifies the HMAC-SHA512 signature and parses charge.success", async () => {
    const { provider, body } = await paidEvent();
    const result = await provider.parseWebhook(paystackWebhook(config.secretKey, body));
    expect(result).toEqual({
      ok: true,
      event: {
        kind: "payment",
        providerEventId: `charge.success:${body.data.id}`,
        providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
        outcome: "completed",
        final: true,
        amountMinor: 150_000,
        currency: "KES",
        providerCode: "success",
        providerMessage: "Approved",
        occurredAt: "2026-03-01T07:31:12.000Z",
        // The card's authorization is reusable: what keeping it for later needs (decision 029).
        reusable: {
          reference: {
            email: "amina@example.com",
            customerCode: "CUS_xnxdt6s1zg1f4nx",
            authorizationCode: body.data.authorization!.authorization_code,
          },
          fingerprint: body.data.authorization!.signature,
          brand: "visa",
          last4: "4081",
          expMonth: 12,
          expYear: 2030,
        },
        raw: body,
      },
    });
  });

  it("rejects a missing, wrong or stale signature, and a body changed after signing", async () => {
    const { provider, body } = await paidEvent();
    const rawBody = JSON.stringify(body);
    expect(await provider.parseWebhook({ headers: new Headers(), rawBody })).toMatchObject({ ok: false, reason: "bad_signature" });
    const otherKey = paystackWebhook("sk_test_someoneelseskey0000000000", body);
    expect(await provider.parseWebhook(otherKey)).toMatchObject({ ok: false, reason: "bad_signature" });
    const tampered = rawBody.replace('"amount":150000', '"amount":15000000');
    expect(tampered).not.toBe(rawBody);
    expect(
      await provider.parseWebhook({
        headers: new Headers({ "x-paystack-signature": paystackSignature(config.secretKey, rawBody) }),
        rawBody: tampered,
      }),
    ).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(await provider.parseWebhook({ headers: new Headers({ "x-paystack-signature": "abc" }), rawBody })).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
  });

  it.each([
    ["not JSON", "{not json"],
    ["no event", JSON.stringify({ data: {} })],
    ["no data", JSON.stringify({ event: "charge.success" })],
    ["a charge without reference", JSON.stringify({ event: "charge.success", data: { id: 1, status: "success" } })],
    ["a refund without transaction reference", JSON.stringify({ event: "refund.processed", data: { status: "processed" } })],
  ])("rejects a correctly signed but malformed body (%s)", async (_label, rawBody) => {
    const { provider } = setup();
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, rawBody))).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("refuses a live event on a test configuration", async () => {
    const { provider, body } = await paidEvent();
    const live = { ...body, data: { ...body.data, domain: "live" } };
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, live))).toMatchObject({ ok: false, reason: "wrong_mode" });
  });

  it("acknowledges events payments does not act on", async () => {
    const { provider } = setup();
    const body = { event: "transfer.success", data: { reference: "TRF_1", amount: 100, domain: "test" } };
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, body))).toEqual({
      ok: true,
      event: null,
      ignored: "transfer.success",
    });
  });

  it("parses an event for an unknown reference (the caller finds no attempt)", async () => {
    const { provider } = setup();
    const body = {
      event: "charge.success",
      data: { id: 77, reference: "not-ours", status: "success", amount: 500, currency: "KES", domain: "test" },
    };
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, body))).toMatchObject({
      ok: true,
      event: { providerRef: "not-ours", outcome: "completed", amountMinor: 500 },
    });
  });

  it("parses duplicates and out-of-order deliveries to the same events", async () => {
    const { provider, body } = await paidEvent();
    const charge = paystackWebhook(config.secretKey, body);
    const refund = paystackWebhook(
      config.secretKey,
      paystackRefundEvent("refund.processed", "0f8fad5b-d9cb-469f-a165-70867728950e", { id: "1650001" }),
    );
    const forward = [await provider.parseWebhook(charge), await provider.parseWebhook(refund), await provider.parseWebhook(charge)];
    const backward = [await provider.parseWebhook(refund), await provider.parseWebhook(charge)];
    expect(forward[0]).toEqual(forward[2]);
    expect(backward).toEqual([forward[1], forward[0]]);
    const ids = forward.map((r) => (r.ok && r.event ? r.event.providerEventId : null));
    expect(ids).toEqual([
      `charge.success:${body.data.id}`,
      "refund.processed:0f8fad5b-d9cb-469f-a165-70867728950e:1650001",
      `charge.success:${body.data.id}`,
    ]);
  });

  it.each([
    ["refund.pending", "pending", "pending"],
    ["refund.processing", "pending", "processing"],
    ["refund.processed", "completed", undefined],
    ["refund.failed", "failed", "failed"],
    ["refund.needs-attention", "pending", "needs_attention"],
  ] as const)("parses %s as a %s refund event", async (event, outcome, reasonCode) => {
    const { provider } = setup();
    const body = paystackRefundEvent(event, "0f8fad5b-d9cb-469f-a165-70867728950e", { amount: "50000", refundReference: "132013318360" });
    const result = await provider.parseWebhook(paystackWebhook(config.secretKey, body));
    expect(result).toMatchObject({
      ok: true,
      event: {
        kind: "refund",
        providerEventId: `${event}:0f8fad5b-d9cb-469f-a165-70867728950e:132013318360`,
        providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
        refundRef: null,
        outcome,
        amountMinor: 50_000,
        currency: "KES",
      },
    });
    if (result.ok && result.event) expect((result.event as { reasonCode?: string }).reasonCode).toBe(reasonCode);
  });
});

describe("Paystack disputes", () => {
  const REF = "0f8fad5b-d9cb-469f-a165-70867728950e";
  const paid = { reference: REF, amount: 150_000 };

  it("parses charge.dispute.create as an open dispute of the transaction it names", async () => {
    const { provider } = setup();
    const body = paystackDisputeEvent("charge.dispute.create", paid);
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, body))).toEqual({
      ok: true,
      event: {
        kind: "dispute",
        providerEventId: "charge.dispute.create:358950:awaiting-merchant-feedback",
        disputeRef: "358950",
        providerRef: REF,
        outcome: "open",
        providerStatus: "awaiting-merchant-feedback",
        amountMinor: 150_000,
        currency: "KES",
        reason: "chargeback: Customer does not recognise this debit",
        openedAt: "2026-03-05T09:12:00.000Z",
        respondBy: "2026-03-06T18:00:00.000Z",
        occurredAt: "2026-03-05T09:12:00.000Z",
        raw: body,
      },
    });
  });

  it.each([
    ["merchant-accepted", "lost", 150_000],
    ["auto-accepted", "lost", 150_000],
    ["merchant-accepted", "lost", 40_000],
    ["declined", "won", 150_000],
  ] as const)("parses a dispute resolved %s as %s (refund_amount %s)", async (resolution, outcome, refundAmount) => {
    const { provider } = setup();
    const body = paystackDisputeEvent("charge.dispute.resolve", paid, { resolution, refundAmount });
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, body))).toMatchObject({
      ok: true,
      event: {
        kind: "dispute",
        providerEventId: `charge.dispute.resolve:358950:resolved:${resolution}`,
        disputeRef: "358950",
        providerRef: REF,
        outcome,
        providerStatus: `resolved: ${resolution}`,
        amountMinor: refundAmount,
        occurredAt: "2026-03-20T11:00:02.000Z",
      },
    });
  });

  it("names a dispute's events by its id and state: a repeated reminder is the same event, a new state a new one", async () => {
    const { provider } = setup();
    const ids = [];
    for (const body of [
      paystackDisputeEvent("charge.dispute.create", paid),
      paystackDisputeEvent("charge.dispute.remind", paid),
      paystackDisputeEvent("charge.dispute.remind", paid),
      paystackDisputeEvent("charge.dispute.remind", paid, { status: "awaiting-bank-feedback" }),
      paystackDisputeEvent("charge.dispute.resolve", paid, { resolution: "declined" }),
      paystackDisputeEvent("charge.dispute.resolve", paid, { id: 358951 }),
    ]) {
      const result = await provider.parseWebhook(paystackWebhook(config.secretKey, body));
      ids.push(result.ok && result.event?.kind === "dispute" ? [result.event.providerEventId, result.event.outcome] : null);
    }
    expect(ids).toEqual([
      ["charge.dispute.create:358950:awaiting-merchant-feedback", "open"],
      ["charge.dispute.remind:358950:awaiting-merchant-feedback", "open"],
      ["charge.dispute.remind:358950:awaiting-merchant-feedback", "open"],
      ["charge.dispute.remind:358950:awaiting-bank-feedback", "open"],
      ["charge.dispute.resolve:358950:resolved:declined", "won"],
      ["charge.dispute.resolve:358951:resolved:merchant-accepted", "lost"],
    ]);
  });

  it("keeps a resolution it does not know open, refuses a dispute without its transaction, and a live one on a test configuration", async () => {
    const { provider } = setup();
    const unknown = paystackDisputeEvent("charge.dispute.resolve", paid);
    (unknown.data as Record<string, unknown>).resolution = "something-new";
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, unknown))).toMatchObject({
      ok: true,
      event: { kind: "dispute", outcome: "open", providerStatus: "resolved: something-new" },
    });
    const orphan = paystackDisputeEvent("charge.dispute.create", paid);
    (orphan.data as Record<string, unknown>).transaction = {};
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, orphan))).toMatchObject({ ok: false, reason: "malformed" });
    const live = paystackDisputeEvent("charge.dispute.create", paid, { domain: "live" });
    expect(await provider.parseWebhook(paystackWebhook(config.secretKey, live))).toMatchObject({ ok: false, reason: "wrong_mode" });
  });
});

describe("Paystack refunds", () => {
  it("queues a refund and answers pending with Paystack's refund id", async () => {
    const { mock, provider } = setup();
    await provider.initiate(payment());
    mock.pay("0f8fad5b-d9cb-469f-a165-70867728950e");
    const result = await provider.refund({
      providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
      amountMinor: 50_000,
      currency: "KES",
      reason: "Partial refund: duplicate cover",
      idempotencyKey: "refund-1",
    });
    expect(result).toMatchObject({ status: "pending", refundRef: "1650001" });
    expect(mock.state.requests.at(-1)).toMatchObject({
      path: "/refund",
      body: {
        transaction: "0f8fad5b-d9cb-469f-a165-70867728950e",
        amount: 50_000,
        currency: "KES",
        merchant_note: "Partial refund: duplicate cover (refund-1)",
      },
    });
  });

  it("reports Paystack's refusal", async () => {
    const { mock, provider } = setup();
    await provider.initiate(payment());
    const unpaid = await provider.refund({
      providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
      amountMinor: 100,
      currency: "KES",
      reason: "x",
      idempotencyKey: "r",
    });
    expect(unpaid).toMatchObject({ status: "refused", reasonCode: "refund_refused", retryable: false });
    if (unpaid.status === "refused") expect(unpaid.customerMessage).toMatch(/has not been completed/);
    mock.pay("0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(
      await provider.refund({
        providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
        amountMinor: 999_999,
        currency: "KES",
        reason: "x",
        idempotencyKey: "r2",
      }),
    ).toMatchObject({
      status: "refused",
      reasonCode: "refund_refused",
      providerMessage: "Refund amount cannot be greater than the transaction amount",
    });
    expect(await provider.refund({ providerRef: "x", amountMinor: 0, currency: "KES", reason: "x", idempotencyKey: "r3" })).toMatchObject({
      status: "refused",
      reasonCode: "invalid_amount",
      exchange: null,
    });
  });
});

describe("Paystack configuration and logs", () => {
  it("refuses keys that do not match the mode", () => {
    expect(() => providerFor("paystack", { ...config, mode: "live" })).toThrow(ProviderConfigError);
    expect(() => providerFor("paystack", { ...config, publicKey: "pk_live_abc" })).toThrow(/publicKey: must be a test key/);
    expect(() => providerFor("paystack", { mode: "test", secretKey: "oops", publicKey: config.publicKey })).toThrow(/secretKey/);
    try {
      providerFor("paystack", { ...config, mode: "live" });
    } catch (error) {
      expect(String(error)).not.toContain(config.secretKey);
    }
  });

  it("never writes the secret key into the exchange log", async () => {
    const { mock, provider } = setup();
    const logs: unknown[] = [];
    const started = await provider.initiate(payment());
    logs.push(started.exchange);
    mock.pay("0f8fad5b-d9cb-469f-a165-70867728950e");
    logs.push((await provider.query("0f8fad5b-d9cb-469f-a165-70867728950e")).exchange);
    logs.push(
      (
        await provider.refund({
          providerRef: "0f8fad5b-d9cb-469f-a165-70867728950e",
          amountMinor: 1,
          currency: "KES",
          reason: "x",
          idempotencyKey: "r",
        })
      ).exchange,
    );
    const log = JSON.stringify(logs);
    expect(log).not.toContain(config.secretKey);
    expect(log).toContain("Bearer [redacted]");
    expect(log).toContain("checkout.paystack.com");
    const event = await provider.parseWebhook(paystackWebhook(config.secretKey, mock.pay("0f8fad5b-d9cb-469f-a165-70867728950e")));
    expect(JSON.stringify((event as { event: PaymentEvent }).event)).not.toContain(config.secretKey);
  });
});

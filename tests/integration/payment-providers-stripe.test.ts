import { describe, expect, it } from "vitest";
import { providerFor, ProviderConfigError, type InitiateRequest, type ProviderDeps } from "~/modules/payments/providers/index.server";
import { toStripeAmount } from "~/modules/payments/providers/stripe.server";
import { createStripeMock, signedStripeWebhook, stripeEvent, type StripeMockOptions } from "../mocks/stripe";
import { playThirdParties } from "../support/msw";

const server = playThirdParties();

const config = {
  mode: "test",
  secretKey: "sk_test_51KhHoldingsSecretKeyForTestsOnly0000",
  publishableKey: "pk_test_51KhHoldingsPublishable0000",
  webhookSecret: "whsec_kh8c2f0e6a4d9b1c3e5f7a9b1d3f5a7c9",
};
const NOW = new Date("2026-03-01T07:31:40Z");

function setup(options: Partial<StripeMockOptions> = {}, deps: ProviderDeps = {}) {
  const mock = createStripeMock({ secretKey: config.secretKey, ...options });
  server.use(...mock.handlers);
  return { mock, provider: providerFor("stripe", config, { stripeMaxNetworkRetries: 0, now: () => NOW, ...deps }) };
}

function payment(overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    tenantId: "9a8b7c6d-0000-4000-8000-000000000002",
    transactionId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
    reference: "KHH-ORD-2026-000031",
    amountMinor: 15_000,
    currency: "MYR",
    email: "siti@example.my",
    description: "Medical card, monthly",
    callbackUrl: "https://khholdings.covera.app/webhooks/stripe",
    returnUrl: "https://khholdings.covera.app/checkout/6f1c2d3e/return",
    idempotencyKey: "attempt-6f1c2d3e",
    ...overrides,
  };
}

async function started(provider: ReturnType<typeof setup>["provider"]) {
  const result = await provider.initiate(payment());
  if (result.status !== "pending") throw new Error(JSON.stringify(result));
  return result.providerRef;
}

const at = (date: Date) => Math.floor(date.getTime() / 1000);

describe("Stripe PaymentIntents", () => {
  it("creates a PaymentIntent with an idempotency key and hands back its client secret", async () => {
    const { mock, provider } = setup();
    const result = await provider.initiate(payment());
    if (result.status !== "pending" || result.customerAction.type !== "client_secret") throw new Error(JSON.stringify(result));
    expect(result.providerRef).toMatch(/^pi_/);
    expect(result.customerAction).toEqual({
      type: "client_secret",
      clientSecret: mock.state.intents.get(result.providerRef)!.client_secret,
      publishableKey: config.publishableKey,
    });
    expect(mock.state.calls).toEqual([
      {
        method: "POST",
        path: "/v1/payment_intents",
        authorization: `Bearer ${config.secretKey}`,
        idempotencyKey: "attempt-6f1c2d3e",
        params: {
          amount: "15000",
          currency: "myr",
          automatic_payment_methods: { enabled: "true" },
          description: "Medical card, monthly",
          metadata: {
            transactionId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
            tenantId: "9a8b7c6d-0000-4000-8000-000000000002",
            reference: "KHH-ORD-2026-000031",
          },
          receipt_email: "siti@example.my",
        },
      },
    ]);
  });

  it("creates one PaymentIntent however often the same attempt is retried", async () => {
    const { mock, provider } = setup();
    const first = await provider.initiate(payment());
    const again = await provider.initiate(payment());
    expect(first.status === "pending" && again.status === "pending" && again.providerRef === first.providerRef).toBe(true);
    expect(mock.state.intents.size).toBe(1);
    expect(mock.state.calls.every((c) => c.method !== "POST" || c.idempotencyKey)).toBe(true);
    // The same key with different parameters is Stripe's idempotency error, not a second payment.
    expect(await provider.initiate(payment({ amountMinor: 20_000 }))).toMatchObject({
      status: "failed",
      reasonCode: "idempotency_conflict",
    });
    expect(mock.state.intents.size).toBe(1);
  });

  it("converts amounts only where Stripe's unit is ours", () => {
    expect(toStripeAmount(150_000, "KES")).toEqual({ ok: true, amount: 150_000 });
    expect(toStripeAmount(15_000, "MYR")).toEqual({ ok: true, amount: 15_000 });
    expect(toStripeAmount(500, "JPY")).toEqual({ ok: true, amount: 500 });
    expect(toStripeAmount(1_230, "KWD")).toEqual({ ok: true, amount: 1_230 });
    expect(toStripeAmount(1_235, "KWD")).toEqual({ ok: false, reason: "invalid_amount" });
    expect(toStripeAmount(500, "ISK")).toEqual({ ok: false, reason: "currency_not_supported" });
    expect(toStripeAmount(500, "XYZ")).toEqual({ ok: false, reason: "currency_not_supported" });
    expect(toStripeAmount(0, "MYR")).toEqual({ ok: false, reason: "invalid_amount" });
  });

  it("refuses what Stripe cannot take exactly, before calling it", async () => {
    const { mock, provider } = setup();
    expect(await provider.initiate(payment({ currency: "UGX", amountMinor: 5000 }))).toMatchObject({
      status: "failed",
      reasonCode: "currency_not_supported",
      exchange: null,
    });
    expect(await provider.initiate(payment({ amountMinor: -1 }))).toMatchObject({ status: "failed", reasonCode: "invalid_amount" });
    expect(mock.state.calls).toHaveLength(0);
  });

  it("reports a rejected key, an outage and a dropped connection distinctly", async () => {
    setup();
    const revoked = providerFor("stripe", { ...config, secretKey: "sk_test_51RevokedKey000000000000" }, { stripeMaxNetworkRetries: 0 });
    expect(await revoked.initiate(payment())).toMatchObject({ status: "failed", reasonCode: "provider_auth_failed", retryable: false });
    expect(
      await setup({ fail: { status: 500, type: "api_error", message: "Something went wrong on Stripe's end." } }).provider.initiate(
        payment(),
      ),
    ).toMatchObject({
      status: "failed",
      reasonCode: "provider_unavailable",
      retryable: true,
    });
    expect(await setup({ fail: "down" }).provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "provider_unavailable",
      retryable: true,
    });
  });

  it("retries a failed request itself with the same idempotency key", async () => {
    const mock = createStripeMock({ secretKey: config.secretKey });
    let failures = 1;
    const { http, HttpResponse } = await import("msw");
    server.use(
      http.post("https://api.stripe.com/v1/payment_intents", ({ request }) => {
        if (failures-- > 0) {
          mock.state.calls.push({
            method: "POST",
            path: "/v1/payment_intents",
            authorization: null,
            idempotencyKey: request.headers.get("idempotency-key"),
            params: {},
          });
          return HttpResponse.json({ error: { type: "api_error", message: "try again" } }, { status: 500 });
        }
        return undefined;
      }),
      ...mock.handlers,
    );
    const provider = providerFor("stripe", config, { stripeMaxNetworkRetries: 1 });
    expect((await provider.initiate(payment())).status).toBe("pending");
    expect(mock.state.calls.map((c) => c.idempotencyKey)).toEqual(["attempt-6f1c2d3e", "attempt-6f1c2d3e"]);
    expect(mock.state.intents.size).toBe(1);
  });

  it("queries a PaymentIntent: pending, a declined attempt, then paid with Stripe's amount", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    expect(await provider.query(ref)).toMatchObject({
      ok: true,
      status: { outcome: "pending", final: false, providerCode: "requires_payment_method" },
    });
    mock.decline(ref);
    expect(await provider.query(ref)).toMatchObject({
      ok: true,
      status: { outcome: "failed", final: false, reasonCode: "insufficient_funds", customerMessage: "Your card has insufficient funds." },
    });
    mock.succeed(ref, { amountReceived: 14_000 });
    expect(await provider.query(ref)).toMatchObject({
      ok: true,
      status: {
        providerRef: ref,
        outcome: "completed",
        final: true,
        amountMinor: 14_000,
        currency: "MYR",
        receipt: expect.stringMatching(/^ch_/),
      },
    });
    mock.cancel(ref);
    expect(await provider.query(ref)).toMatchObject({ ok: true, status: { outcome: "cancelled", final: true, reasonCode: "abandoned" } });
  });

  it("says not found for a PaymentIntent Stripe does not know", async () => {
    const { provider } = setup();
    expect(await provider.query("pi_doesnotexist")).toMatchObject({ ok: false, reason: "not_found", retryable: false });
  });
});

describe("Stripe webhooks", () => {
  it("verifies the signature with the SDK and parses payment_intent.succeeded", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    const event = stripeEvent("payment_intent.succeeded", mock.succeed(ref));
    const result = await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, event, at(NOW)));
    expect(result).toEqual({
      ok: true,
      event: {
        kind: "payment",
        providerEventId: event.id,
        providerRef: ref,
        outcome: "completed",
        final: true,
        amountMinor: 15_000,
        currency: "MYR",
        receipt: expect.stringMatching(/^ch_/),
        providerCode: "succeeded",
        occurredAt: new Date((event.created as number) * 1000).toISOString(),
        raw: JSON.parse(JSON.stringify(event)),
      },
    });
  });

  it("reports the amount Stripe received, so the caller can see it differs", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    const event = stripeEvent("payment_intent.succeeded", mock.succeed(ref, { amountReceived: 100 }));
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, event, at(NOW)))).toMatchObject({
      ok: true,
      event: { amountMinor: 100 },
    });
  });

  it("rejects a missing, foreign, stale or tampered signature", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    const event = stripeEvent("payment_intent.succeeded", mock.succeed(ref));
    const good = signedStripeWebhook(config.webhookSecret, event, at(NOW));
    expect(await provider.parseWebhook({ headers: new Headers(), rawBody: good.rawBody })).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    expect(await provider.parseWebhook(signedStripeWebhook("whsec_someoneelse000000000000", event, at(NOW)))).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    const stale = signedStripeWebhook(config.webhookSecret, event, at(NOW) - 301);
    expect(await provider.parseWebhook(stale)).toMatchObject({
      ok: false,
      reason: "bad_signature",
      detail: expect.stringMatching(/tolerance/),
    });
    const tampered = { headers: good.headers, rawBody: good.rawBody.replace('"amount_received": 15000', '"amount_received": 1500000') };
    expect(tampered.rawBody).not.toBe(good.rawBody);
    expect(await provider.parseWebhook(tampered)).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("rejects correctly signed bodies that are not events, and events from the other mode", async () => {
    const { mock, provider } = setup();
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, "{not json", at(NOW)))).toMatchObject({
      ok: false,
      reason: "malformed",
    });
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, { hello: "world" }, at(NOW)))).toMatchObject({
      ok: false,
      reason: "malformed",
    });
    const ref = await started(provider);
    const live = stripeEvent("payment_intent.succeeded", mock.succeed(ref), { livemode: true });
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, live, at(NOW)))).toMatchObject({
      ok: false,
      reason: "wrong_mode",
    });
  });

  it("parses a failed attempt (not final), a cancellation and processing", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    const failed = stripeEvent(
      "payment_intent.payment_failed",
      mock.decline(ref, { decline_code: "expired_card", message: "Your card has expired." }),
    );
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, failed, at(NOW)))).toMatchObject({
      ok: true,
      event: { outcome: "failed", final: false, reasonCode: "expired_card", customerMessage: "Your card has expired.", providerRef: ref },
    });
    const canceled = stripeEvent("payment_intent.canceled", mock.cancel(ref));
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, canceled, at(NOW)))).toMatchObject({
      ok: true,
      event: { outcome: "cancelled", final: true },
    });
    const processing = stripeEvent("payment_intent.processing", { ...mock.succeed(ref), status: "processing", amount_received: 0 });
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, processing, at(NOW)))).toMatchObject({
      ok: true,
      event: { outcome: "pending", final: false },
    });
  });

  it("parses duplicates and out-of-order deliveries to the same events", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    const failed = signedStripeWebhook(config.webhookSecret, stripeEvent("payment_intent.payment_failed", mock.decline(ref)), at(NOW));
    const succeeded = signedStripeWebhook(config.webhookSecret, stripeEvent("payment_intent.succeeded", mock.succeed(ref)), at(NOW));
    const inOrder = [await provider.parseWebhook(failed), await provider.parseWebhook(succeeded)];
    const swapped = [await provider.parseWebhook(succeeded), await provider.parseWebhook(failed), await provider.parseWebhook(succeeded)];
    expect(swapped).toEqual([inOrder[1], inOrder[0], inOrder[1]]);
    const [f, s] = inOrder.map((r) => (r.ok && r.event ? r.event : null));
    expect(f?.providerEventId).not.toBe(s?.providerEventId);
    expect(f?.providerRef).toBe(s?.providerRef);
  });

  it("parses refund events and acknowledges the rest", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    mock.succeed(ref);
    const refund = await provider.refund({
      providerRef: ref,
      amountMinor: 5_000,
      currency: "MYR",
      reason: "Cooling-off",
      idempotencyKey: "refund-1",
    });
    if (refund.status !== "completed") throw new Error(JSON.stringify(refund));
    const refundObject = mock.state.refunds[0]!;
    const updated = stripeEvent("refund.updated", refundObject);
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, updated, at(NOW)))).toEqual({
      ok: true,
      event: {
        kind: "refund",
        providerEventId: updated.id,
        refundRef: refund.refundRef,
        providerRef: ref,
        outcome: "completed",
        amountMinor: 5_000,
        currency: "MYR",
        occurredAt: expect.any(String),
        raw: expect.any(Object),
      },
    });
    const failedRefund = stripeEvent("refund.failed", { ...refundObject, status: "failed", failure_reason: "expired_or_canceled_card" });
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, failedRefund, at(NOW)))).toMatchObject({
      ok: true,
      event: { kind: "refund", outcome: "failed", reasonCode: "expired_or_canceled_card" },
    });
    const charge = {
      id: "ch_3PqCharge",
      object: "charge",
      amount: 15_000,
      amount_refunded: 5_000,
      currency: "myr",
      payment_intent: ref,
      refunded: false,
      refunds: { object: "list", data: [refundObject], has_more: false },
    };
    expect(
      await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, stripeEvent("charge.refunded", charge), at(NOW))),
    ).toMatchObject({
      ok: true,
      event: {
        kind: "refund",
        refundRef: refund.refundRef,
        providerRef: ref,
        amountMinor: 5_000,
        totalRefundedMinor: 5_000,
        outcome: "completed",
      },
    });
    const other = stripeEvent("customer.created", { id: "cus_1", object: "customer" });
    expect(await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, other, at(NOW)))).toEqual({
      ok: true,
      event: null,
      ignored: "customer.created",
    });
  });
  it("parses dispute events by the dispute's status: open while it runs, lost or won once closed", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    mock.succeed(ref);
    const parse = async (type: string, object: Record<string, unknown>) => {
      const event = stripeEvent(type, object);
      const result = await provider.parseWebhook(signedStripeWebhook(config.webhookSecret, event, at(NOW)));
      return { event, result };
    };

    const created = await parse("charge.dispute.created", mock.dispute(ref));
    const dispute = mock.state.disputes.get(ref)!;
    expect(created.result).toEqual({
      ok: true,
      event: {
        kind: "dispute",
        providerEventId: created.event.id,
        disputeRef: dispute.id,
        providerRef: ref,
        outcome: "open",
        providerStatus: "needs_response",
        amountMinor: 15_000,
        currency: "MYR",
        reason: "fraudulent",
        openedAt: new Date(1772436600 * 1000).toISOString(),
        respondBy: new Date(1773273599 * 1000).toISOString(),
        occurredAt: new Date((created.event.created as number) * 1000).toISOString(),
        raw: JSON.parse(JSON.stringify(created.event)),
      },
    });
    expect(String(dispute.id)).toMatch(/^dp_/);

    for (const [type, status, outcome] of [
      ["charge.dispute.funds_withdrawn", "needs_response", "open"],
      ["charge.dispute.updated", "under_review", "open"],
      ["charge.dispute.updated", "warning_needs_response", "open"],
      ["charge.dispute.closed", "lost", "lost"],
      ["charge.dispute.closed", "won", "won"],
      ["charge.dispute.funds_reinstated", "won", "won"],
      // An inquiry closed without becoming a chargeback: the money never left.
      ["charge.dispute.closed", "warning_closed", "won"],
      ["charge.dispute.updated", "some_future_status", "open"],
    ] as const) {
      const { event, result } = await parse(type, mock.dispute(ref, { status }));
      expect(result, `${type} ${status}`).toMatchObject({
        ok: true,
        event: { kind: "dispute", providerEventId: event.id, disputeRef: dispute.id, providerRef: ref, outcome, providerStatus: status },
      });
    }
  });
});

describe("Stripe refunds", () => {
  it("refunds with an idempotency key, once however often it is retried", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    mock.succeed(ref);
    const request = {
      providerRef: ref,
      amountMinor: 15_000,
      currency: "MYR",
      reason: "Duplicate purchase",
      idempotencyKey: "refund-6f1c2d3e-1",
    };
    const first = await provider.refund(request);
    const again = await provider.refund(request);
    expect(first).toMatchObject({ status: "completed", refundRef: expect.stringMatching(/^re_/) });
    expect(again).toEqual({ ...first, exchange: expect.any(Object) });
    expect(mock.state.refunds).toHaveLength(1);
    expect(mock.state.calls.filter((c) => c.path === "/v1/refunds").map((c) => c.idempotencyKey)).toEqual([
      "refund-6f1c2d3e-1",
      "refund-6f1c2d3e-1",
    ]);
    expect(mock.state.calls.at(-1)!.params).toEqual({
      payment_intent: ref,
      amount: "15000",
      reason: "requested_by_customer",
      metadata: { reason: "Duplicate purchase" },
    });
  });

  it("reports Stripe's refusal", async () => {
    const { mock, provider } = setup();
    const ref = await started(provider);
    const unpaid = await provider.refund({ providerRef: ref, amountMinor: 100, currency: "MYR", reason: "x", idempotencyKey: "r1" });
    expect(unpaid).toMatchObject({ status: "refused", reasonCode: "refund_refused", retryable: false });
    mock.succeed(ref);
    const tooMuch = await provider.refund({ providerRef: ref, amountMinor: 99_999, currency: "MYR", reason: "x", idempotencyKey: "r2" });
    expect(tooMuch).toMatchObject({
      status: "refused",
      reasonCode: "refund_refused",
      providerMessage: expect.stringMatching(/greater than unrefunded/),
    });
    expect(await provider.refund({ providerRef: ref, amountMinor: 0, currency: "MYR", reason: "x", idempotencyKey: "r3" })).toMatchObject({
      status: "refused",
      reasonCode: "invalid_amount",
      exchange: null,
    });
  });
});

describe("Stripe configuration and logs", () => {
  it("refuses keys that do not match the mode", () => {
    expect(() => providerFor("stripe", { ...config, mode: "live" })).toThrow(ProviderConfigError);
    expect(() => providerFor("stripe", { ...config, webhookSecret: "secret" })).toThrow(/webhookSecret/);
    expect(() => providerFor("stripe", { ...config, secretKey: "rk_test_51Restricted000" })).not.toThrow();
    try {
      providerFor("stripe", { ...config, mode: "live" });
    } catch (error) {
      expect(String(error)).not.toContain(config.secretKey);
    }
  });

  it("never writes the secret key, webhook secret or client secret into the exchange log", async () => {
    const { mock, provider } = setup();
    const first = await provider.initiate(payment());
    if (first.status !== "pending" || first.customerAction.type !== "client_secret") throw new Error("unreachable");
    mock.succeed(first.providerRef);
    const logs = [
      first.exchange,
      (await provider.query(first.providerRef)).exchange,
      (await provider.refund({ providerRef: first.providerRef, amountMinor: 1, currency: "MYR", reason: "x", idempotencyKey: "r" }))
        .exchange,
      (await provider.query("pi_missing")).exchange,
    ];
    const log = JSON.stringify(logs);
    for (const secret of [config.secretKey, config.webhookSecret, first.customerAction.clientSecret]) expect(log).not.toContain(secret);
    expect(log).toContain(first.providerRef);
    expect(log).toContain("[redacted]");
  });
});

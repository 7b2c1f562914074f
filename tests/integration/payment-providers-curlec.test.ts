import { describe, expect, it } from "vitest";
import { verifyCurlecReturn } from "~/modules/payments/providers/curlec.server";
import { verifyCurlecLinkReturn } from "~/modules/payments/providers/curlec-links.server";
import {
  parseProviderConfig,
  providerFor,
  takesMandates,
  type ChargeSavedRequest,
  type InitiateRequest,
  type MandateRequest,
  type PaymentEvent,
} from "~/modules/payments/providers/index.server";
import {
  createCurlecMock,
  CURLEC_ERRORS,
  curlecEvent,
  curlecLinkReturnSignature,
  curlecReturnSignature,
  curlecSignature,
  curlecWebhook,
  type CurlecMockOptions,
} from "../mocks/curlec";
import { playThirdParties } from "../support/msw";

const server = playThirdParties();

const config = {
  mode: "test",
  keyId: "rzp_test_KhH0ld1ngs7x2Q",
  keySecret: "kS3cr3t-KhHoldings-9f2b7c1e",
  webhookSecret: "whk-KhHoldings-4a8e2d6f",
  recurring: true,
};
const BASIC = `Basic ${Buffer.from(`${config.keyId}:${config.keySecret}`).toString("base64")}`;

function setup(options: Partial<CurlecMockOptions> = {}) {
  const mock = createCurlecMock({ keyId: config.keyId, keySecret: config.keySecret, ...options });
  server.use(...mock.handlers);
  const provider = providerFor("curlec", config, { timeoutMs: 2000 });
  if (!takesMandates(provider)) throw new Error("Curlec takes mandates");
  return { mock, provider };
}

function payment(overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    transactionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    reference: "KHH-ORD-2026-000012",
    amountMinor: 12_050,
    currency: "MYR",
    email: "siti@example.my",
    description: "Hibah plan, first month",
    callbackUrl: "https://khholdings.covera.app/webhooks/curlec",
    returnUrl: "https://khholdings.covera.app/payments/curlec/return/0f8fad5b-d9cb-469f-a165-70867728950e",
    method: "fpx",
    bankCode: "MB2U0227",
    idempotencyKey: "attempt-0f8fad5b",
    ...overrides,
  };
}

async function started(overrides: Partial<InitiateRequest> = {}) {
  const context = setup();
  const result = await context.provider.initiate(payment(overrides));
  if (result.status !== "pending") throw new Error(JSON.stringify(result));
  return { ...context, result };
}

function webhook(body: unknown, eventId?: string) {
  return curlecWebhook(config.webhookSecret, body, eventId);
}

describe("Curlec configuration", () => {
  it("takes the settings form's recurring as text, and key ids of the chosen mode only", () => {
    expect(parseProviderConfig("curlec", { ...config, recurring: "true" }).recurring).toBe(true);
    expect(parseProviderConfig("curlec", { ...config, recurring: "false" }).recurring).toBe(false);
    expect(parseProviderConfig("curlec", { ...config, recurring: undefined }).recurring).toBe(false);
    expect(() => parseProviderConfig("curlec", { ...config, mode: "live" })).toThrow(/keyId/);
    expect(providerFor("curlec", config)).toMatchObject({ name: "curlec", mode: "test" });
  });
});

describe("Curlec one-off payments", () => {
  it("creates an order (our attempt id as receipt, sen, captured) and redirects to the FPX bank", async () => {
    const { mock, result } = await started();
    const order = [...mock.state.orders.values()][0]!;
    expect(result).toEqual({
      status: "pending",
      providerRef: order.id,
      customerAction: {
        type: "redirect",
        url: expect.stringMatching(/^https:\/\/api\.razorpay\.com\/v1\/payments\/pay_\w+\/authenticate$/),
      },
      details: { paymentId: expect.stringMatching(/^pay_/) },
      exchange: expect.any(Object),
    });
    const calls = mock.state.requests.map((r) => `${r.method} ${r.path}${r.search}`);
    expect(calls).toEqual(["GET /orders?receipt=0f8fad5b-d9cb-469f-a165-70867728950e", "POST /orders", "POST /payments/create/json"]);
    expect(mock.state.requests.every((r) => r.authorization === BASIC)).toBe(true);
    expect(mock.state.requests[1]!.body).toMatchObject({
      amount: 12_050,
      currency: "MYR",
      receipt: "0f8fad5b-d9cb-469f-a165-70867728950e",
      payment_capture: true,
    });
    expect(mock.state.requests[2]!.body).toMatchObject({
      order_id: order.id,
      method: "fpx",
      bank: "MB2U0227",
      amount: 12_050,
      callback_url: payment().returnUrl,
      callback_method: "get",
    });
    // The gateway log never sees the key secret.
    expect(JSON.stringify(result.status === "pending" && result.exchange)).not.toContain(config.keySecret);
    expect(JSON.stringify(result.status === "pending" && result.exchange)).toContain("Basic [redacted]");
  });

  it("pays by e-wallet with the wallet code, and reuses the order when the same attempt starts again", async () => {
    const { mock, provider, result } = await started({ method: "ewallet", bankCode: "grabpay" });
    expect(mock.state.requests[2]!.body).toMatchObject({ method: "wallet", wallet: "grabpay" });
    const again = await provider.initiate(payment({ method: "ewallet", bankCode: "grabpay" }));
    expect(again.status === "pending" && again.providerRef).toBe(result.status === "pending" && result.providerRef);
    expect(mock.state.orders.size).toBe(1);
  });

  it("refuses other currencies, tiny FPX amounts and a missing bank before calling Curlec", async () => {
    const { mock, provider } = setup();
    expect(await provider.initiate(payment({ method: "paypal" }))).toMatchObject({
      status: "failed",
      reasonCode: "method_not_offered",
      exchange: null,
    });
    expect(await provider.initiate(payment({ method: "card", amountMinor: 99 }))).toMatchObject({ reasonCode: "amount_too_small" });
    expect(await provider.initiate(payment({ method: "card", email: undefined }))).toMatchObject({ reasonCode: "email_required" });
    expect(await provider.initiate(payment({ currency: "KES" }))).toMatchObject({ status: "failed", reasonCode: "currency_not_supported" });
    expect(await provider.initiate(payment({ amountMinor: 99 }))).toMatchObject({ status: "failed", reasonCode: "amount_too_small" });
    expect(await provider.initiate(payment({ amountMinor: 12.5 }))).toMatchObject({ status: "failed", reasonCode: "invalid_amount" });
    expect(await provider.initiate(payment({ bankCode: undefined }))).toMatchObject({ status: "failed", reasonCode: "bank_required" });
    expect(mock.state.requests).toHaveLength(0);
  });

  it("passes on Curlec's refusals, wrong keys and outages", async () => {
    expect(await setup().provider.initiate(payment({ bankCode: "NOSUCH01" }))).toMatchObject({
      status: "failed",
      reasonCode: "rejected",
      retryable: false,
      providerMessage: "BAD_REQUEST_ERROR: Invalid bank code",
    });
    expect(
      await setup({ fail: { status: 500, error: { code: "SERVER_ERROR", description: "We are facing some trouble" } } }).provider.initiate(
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
    setup();
    const wrongKey = providerFor("curlec", { ...config, keySecret: "revoked-secret-000" });
    expect(await wrongKey.initiate(payment())).toMatchObject({ status: "failed", reasonCode: "provider_auth_failed", retryable: false });
  });
});

describe("Curlec cards (Payment Links)", () => {
  const card = (overrides: Partial<InitiateRequest> = {}) => payment({ method: "card", bankCode: undefined, ...overrides });
  const now = new Date("2026-12-08T01:00:00Z");

  async function linked() {
    const mock = createCurlecMock({ keyId: config.keyId, keySecret: config.keySecret });
    server.use(...mock.handlers);
    const provider = providerFor("curlec", config, { timeoutMs: 2000, now: () => now });
    const result = await provider.initiate(card());
    if (result.status !== "pending") throw new Error(JSON.stringify(result));
    return { mock, provider, linkId: result.providerRef, result };
  }

  it("creates a card-only link for the attempt and sends the browser to its page", async () => {
    const { mock, linkId, result } = await linked();
    const link = mock.state.links.get(linkId)!;
    expect(result).toEqual({
      status: "pending",
      providerRef: expect.stringMatching(/^plink_/),
      customerAction: { type: "redirect", url: link.short_url },
      details: {},
      exchange: expect.any(Object),
    });
    expect(mock.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /payment_links"]);
    expect(mock.state.requests[0]!.authorization).toBe(BASIC);
    expect(mock.state.requests[0]!.body).toEqual({
      amount: 12_050,
      currency: "MYR",
      accept_partial: false,
      reference_id: payment().transactionId,
      description: payment().description,
      customer: { email: "siti@example.my" },
      notify: { sms: false, email: false },
      reminder_enable: false,
      callback_url: payment().returnUrl,
      callback_method: "get",
      expire_by: now.getTime() / 1000 + 20 * 60,
      notes: { transactionId: payment().transactionId, tenantId: payment().tenantId, reference: payment().reference },
      options: { checkout: { method: { card: true, netbanking: false, upi: false, wallet: false } } },
    });
    expect(JSON.stringify(result.exchange)).not.toContain(config.keySecret);
  });

  it("a retried start finds the link Curlec already has for the attempt, never a second one", async () => {
    const { mock, provider, linkId } = await linked();
    const again = await provider.initiate(card());
    expect(again).toMatchObject({ status: "pending", providerRef: linkId });
    expect(mock.state.links.size).toBe(1);
    expect(mock.state.requests.map((r) => `${r.method} ${r.path}${r.search}`).slice(1)).toEqual([
      "POST /payment_links",
      `GET /payment_links?reference_id=${payment().transactionId}`,
    ]);
    expect(await provider.initiate(card({ amountMinor: 9_900 }))).toMatchObject({ status: "failed", reasonCode: "duplicate_reference" });
    expect(mock.state.links.size).toBe(1);
  });

  it("asks the link where it stands: open, paid (with the card payment as receipt), expired or cancelled", async () => {
    const { mock, provider, linkId } = await linked();
    expect(await provider.query(linkId)).toMatchObject({ ok: true, status: { providerRef: linkId, outcome: "pending", final: false } });
    const { payment: paid } = mock.payLink(linkId);
    expect(await provider.query(linkId)).toMatchObject({
      ok: true,
      status: { providerRef: linkId, outcome: "completed", final: true, amountMinor: 12_050, currency: "MYR", receipt: paid.id },
    });
    const other = await provider.initiate(card({ transactionId: "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed" }));
    const otherId = other.status === "pending" ? other.providerRef : "";
    mock.endLink(otherId, "expired");
    expect(await provider.query(otherId)).toMatchObject({
      ok: true,
      status: { outcome: "expired", final: true, reasonCode: "link_expired" },
    });
    mock.endLink(otherId, "cancelled");
    expect(await provider.query(otherId)).toMatchObject({ ok: true, status: { outcome: "cancelled", reasonCode: "link_cancelled" } });
    expect(await provider.query("plink_Nobody000001")).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("parses payment_link webhooks by the link, and refuses forged ones", async () => {
    const { mock, provider, linkId } = await linked();
    const { paid, payment: card } = mock.payLink(linkId);
    expect(await provider.parseWebhook(webhook(paid, "EvtLink1"))).toEqual({
      ok: true,
      event: expect.objectContaining({
        kind: "payment",
        providerEventId: `payment_link.paid:${linkId}:EvtLink1`,
        providerRef: linkId,
        outcome: "completed",
        final: true,
        amountMinor: 12_050,
        currency: "MYR",
        receipt: card.id,
      }),
    });
    const forged = curlecWebhook("not-the-secret", paid);
    expect(await provider.parseWebhook(forged)).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(await provider.parseWebhook(webhook(mock.endLink(linkId, "expired")))).toMatchObject({
      ok: true,
      event: { providerRef: linkId, outcome: "expired", final: true },
    });
    expect(await provider.parseWebhook(webhook(curlecEvent("payment_link.partially_paid", { payment_link: { id: linkId } })))).toEqual({
      ok: true,
      event: null,
      ignored: "payment_link.partially_paid",
    });
    expect(await provider.parseWebhook(webhook(curlecEvent("payment_link.paid", { payment_link: { id: "order_X" } })))).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });

  it("refunds a card payment on its captured payment, found through the link", async () => {
    const { mock, provider, linkId } = await linked();
    const { payment: card } = mock.payLink(linkId);
    const refund = { providerRef: linkId, amountMinor: 2_050, currency: "MYR", reason: "Cooling-off", idempotencyKey: "refund-card-1" };
    expect(await provider.refund(refund)).toMatchObject({ status: "pending", refundRef: expect.stringMatching(/^rfnd_/) });
    expect(mock.state.refunds).toEqual([expect.objectContaining({ payment_id: card.id, amount: 2_050, receipt: "refund-card-1" })]);
    expect(await provider.refund({ ...refund, receipt: card.id })).toMatchObject({ status: "pending" });
    expect(mock.state.refunds).toHaveLength(1);
  });

  it("accepts the link's return signature for the link and reference we stored, and nothing else", () => {
    const signed = { linkId: "plink_Ours00001", referenceId: "tx-1", status: "paid", paymentId: "pay_Card0001" };
    const signature = curlecLinkReturnSignature(config.keySecret, signed.linkId, signed.referenceId, "paid", signed.paymentId);
    expect(verifyCurlecLinkReturn({ ...signed, signature }, config.keySecret)).toBe(true);
    expect(verifyCurlecLinkReturn({ ...signed, signature: signature.toUpperCase() }, config.keySecret)).toBe(true);
    expect(verifyCurlecLinkReturn({ ...signed, signature }, config.webhookSecret)).toBe(false);
    expect(verifyCurlecLinkReturn({ ...signed, linkId: "plink_Other0001", signature }, config.keySecret)).toBe(false);
    expect(verifyCurlecLinkReturn({ ...signed, referenceId: "tx-2", signature }, config.keySecret)).toBe(false);
    expect(verifyCurlecLinkReturn({ ...signed, status: "cancelled", signature }, config.keySecret)).toBe(false);
    expect(verifyCurlecLinkReturn({ ...signed, paymentId: "pay_Other0001", signature }, config.keySecret)).toBe(false);
    expect(verifyCurlecLinkReturn({ ...signed, signature: "" }, config.keySecret)).toBe(false);
  });
});

describe("Curlec banks", () => {
  it("lists personal FPX banks with offline ones unavailable, and wallets that are on", async () => {
    const { provider } = setup();
    const fpx = await provider.listBanks("fpx");
    expect(fpx).toMatchObject({
      ok: true,
      banks: [
        { code: "BCBB0235", name: "CIMB Clicks", available: true },
        { code: "HLB0224", name: "Hong Leong Connect", available: false },
        { code: "MB2U0227", name: "Maybank2u", available: true },
        { code: "PBB0233", name: "Public Bank", available: true },
      ],
    });
    expect(await provider.listBanks("ewallet")).toMatchObject({
      ok: true,
      banks: [
        { code: "grabpay", name: "GrabPay", available: true },
        { code: "touchngo", name: "Touch 'n Go eWallet", available: true },
      ],
    });
    expect(await setup({ fail: "down" }).provider.listBanks("fpx")).toMatchObject({ ok: false, reasonCode: "provider_unavailable" });
  });
});

describe("Curlec status (query and reconcile)", () => {
  it("reports each payment status of the order", async () => {
    const { mock, provider, result } = await started();
    const orderId = result.status === "pending" ? result.providerRef : "";
    expect(await provider.query(orderId)).toMatchObject({
      ok: true,
      status: { outcome: "pending", final: false, providerCode: "created" },
    });
    mock.fail(orderId, CURLEC_ERRORS.insufficient);
    expect(await provider.query(orderId)).toMatchObject({
      ok: true,
      status: { outcome: "failed", final: false, reasonCode: "insufficient_funds", providerCode: "failed" },
    });
    mock.fail(orderId, CURLEC_ERRORS.cancelled);
    expect(await provider.query(orderId)).toMatchObject({
      ok: true,
      status: { outcome: "cancelled", reasonCode: "cancelled_by_customer" },
    });
    mock.fail(orderId, CURLEC_ERRORS.timedOut);
    expect(await provider.query(orderId)).toMatchObject({ ok: true, status: { outcome: "expired", reasonCode: "timeout" } });
    mock.fail(orderId, CURLEC_ERRORS.bankDeclined);
    expect(await provider.query(orderId)).toMatchObject({ ok: true, status: { outcome: "failed", reasonCode: "bank_declined" } });
    mock.fail(orderId, CURLEC_ERRORS.gateway);
    expect(await provider.query(orderId)).toMatchObject({ ok: true, status: { outcome: "failed", reasonCode: "provider_error" } });
    mock.pay(orderId);
    const paid = await provider.query(orderId);
    expect(paid).toMatchObject({
      ok: true,
      status: {
        providerRef: orderId,
        outcome: "completed",
        final: true,
        amountMinor: 12_050,
        currency: "MYR",
        receipt: expect.stringMatching(/^pay_/),
      },
    });
    expect(await provider.query("order_NoSuchOrder0001")).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("an order nobody has paid on yet is pending with nothing to say", async () => {
    const { mock, provider } = setup();
    await provider.initiate(payment({ bankCode: "NOSUCH01" }));
    const orderId = [...mock.state.orders.keys()][0]!;
    expect(await provider.query(orderId)).toMatchObject({ ok: true, status: { outcome: "pending", providerCode: "no_payment" } });
  });
});

describe("Curlec refunds", () => {
  it("refunds the captured payment of the order with our key as receipt, once", async () => {
    const { mock, provider, result } = await started();
    const orderId = result.status === "pending" ? result.providerRef : "";
    mock.pay(orderId);
    const request = {
      providerRef: orderId,
      amountMinor: 5_000,
      currency: "MYR",
      reason: "Cooling-off cancellation",
      idempotencyKey: "refund-7c1e",
    };
    const first = await provider.refund(request);
    expect(first).toMatchObject({ status: "pending", refundRef: expect.stringMatching(/^rfnd_/) });
    expect(mock.state.refunds[0]).toMatchObject({ amount: 5_000, receipt: "refund-7c1e" });
    // Asked again (a lost answer): the same refund, not a second one.
    const again = await provider.refund(request);
    expect(again).toMatchObject({ status: "pending", refundRef: first.status === "pending" ? first.refundRef : "" });
    expect(mock.state.refunds).toHaveLength(1);
    expect(await provider.refund({ ...request, amountMinor: 99_000, idempotencyKey: "refund-too-much" })).toMatchObject({
      status: "refused",
      reasonCode: "refund_refused",
    });
  });

  it("refuses to refund an order that was never paid", async () => {
    const { provider, result } = await started();
    const orderId = result.status === "pending" ? result.providerRef : "";
    expect(
      await provider.refund({ providerRef: orderId, amountMinor: 100, currency: "MYR", reason: "", idempotencyKey: "r1" }),
    ).toMatchObject({
      status: "refused",
      reasonCode: "not_paid",
    });
  });
});

describe("Curlec webhooks", () => {
  it("verifies X-Razorpay-Signature with the webhook secret and parses payment events", async () => {
    const { mock, provider, result } = await started();
    const orderId = result.status === "pending" ? result.providerRef : "";
    const { captured, paid } = mock.pay(orderId);
    const parsed = await provider.parseWebhook(webhook(captured, "Evt0001"));
    expect(parsed).toMatchObject({
      ok: true,
      event: { kind: "payment", providerRef: orderId, outcome: "completed", final: true, amountMinor: 12_050, currency: "MYR" },
    });
    const order = await provider.parseWebhook(webhook(paid, "Evt0002"));
    expect(order).toMatchObject({ ok: true, event: { kind: "payment", providerRef: orderId, outcome: "completed" } });
    const id = (r: typeof parsed) => (r.ok && r.event ? r.event.providerEventId : null);
    expect(id(parsed)).not.toBe(id(order));
    // A redelivery is the same event; without the header the event and payment name it.
    expect(id(await provider.parseWebhook(webhook(captured, "Evt0001")))).toBe(id(parsed));
    const bare = webhook(captured);
    bare.headers.delete("x-razorpay-event-id");
    expect(id(await provider.parseWebhook(bare))).toMatch(/^payment\.captured:pay_\w+$/);
  });

  it("maps payment.failed to a reason by whose fault it was", async () => {
    const { mock, provider, result } = await started();
    const orderId = result.status === "pending" ? result.providerRef : "";
    const cases = [
      [CURLEC_ERRORS.insufficient, "failed", "insufficient_funds"],
      [CURLEC_ERRORS.cancelled, "cancelled", "cancelled_by_customer"],
      [CURLEC_ERRORS.bankDeclined, "failed", "bank_declined"],
      [CURLEC_ERRORS.gateway, "failed", "provider_error"],
      [{ ...CURLEC_ERRORS.bankDeclined, source: "customer", reason: "authentication_failed" }, "failed", "customer_declined"],
    ] as const;
    for (const [error, outcome, reasonCode] of cases) {
      const parsed = await provider.parseWebhook(webhook(mock.fail(orderId, error)));
      expect(parsed).toMatchObject({
        ok: true,
        event: { kind: "payment", outcome, reasonCode, providerMessage: expect.stringContaining(error.code) },
      });
      expect(((parsed.ok && (parsed.event as PaymentEvent | null)?.customerMessage) || "").length).toBeGreaterThan(10);
    }
  });

  it("refuses forged, tampered and wrongly keyed deliveries", async () => {
    const { mock, provider, result } = await started();
    const orderId = result.status === "pending" ? result.providerRef : "";
    const { captured } = mock.pay(orderId);
    const good = webhook(captured);
    const tampered = { headers: good.headers, rawBody: good.rawBody.replace('"amount":12050', '"amount":1') };
    expect(await provider.parseWebhook(tampered)).toMatchObject({ ok: false, reason: "bad_signature" });
    const keySecretSigned = curlecWebhook(config.keySecret, captured);
    expect(await provider.parseWebhook(keySecretSigned)).toMatchObject({ ok: false, reason: "bad_signature" });
    const unsigned = { headers: new Headers(), rawBody: good.rawBody };
    expect(await provider.parseWebhook(unsigned)).toMatchObject({
      ok: false,
      reason: "bad_signature",
      detail: "no x-razorpay-signature header",
    });
    expect(await provider.parseWebhook(webhook("not json"))).toMatchObject({ ok: false, reason: "malformed" });
    expect(await provider.parseWebhook(webhook({ event: "payment.captured" }))).toMatchObject({ ok: false, reason: "malformed" });
    expect(await provider.parseWebhook(webhook(curlecEvent("payment.captured", { payment: { id: "pay_x" } })))).toMatchObject({
      ok: false,
      reason: "malformed",
    });
    expect(await provider.parseWebhook(webhook(curlecEvent("settlement.processed", { settlement: { id: "setl_1" } })))).toEqual({
      ok: true,
      event: null,
      ignored: "settlement.processed",
    });
    expect(curlecSignature(config.webhookSecret, good.rawBody)).toBe(good.headers.get("x-razorpay-signature"));
  });

  it("parses refund events by the refund's id", async () => {
    const { mock, provider, result } = await started();
    const orderId = result.status === "pending" ? result.providerRef : "";
    mock.pay(orderId);
    const refunded = await provider.refund({
      providerRef: orderId,
      amountMinor: 2_000,
      currency: "MYR",
      reason: "",
      idempotencyKey: "r-1",
    });
    const refund = mock.state.refunds[0]!;
    const paymentEntity = [...mock.state.payments.values()].find((p) => p.order_id === orderId)!;
    for (const [event, outcome] of [
      ["refund.processed", "completed"],
      ["refund.failed", "failed"],
    ] as const) {
      expect(
        await provider.parseWebhook(webhook(curlecEvent(event, { refund: { ...refund, status: event.slice(7) }, payment: paymentEntity }))),
      ).toMatchObject({
        ok: true,
        event: {
          kind: "refund",
          refundRef: refunded.status === "pending" ? refunded.refundRef : "",
          providerRef: orderId,
          outcome,
          amountMinor: 2_000,
          providerEventId: expect.stringContaining(String(refund.id)),
        },
      });
    }
  });
});

describe("Curlec return signature", () => {
  it("accepts HMAC(order|payment) with the key secret for the order we stored, and nothing else", () => {
    const signature = curlecReturnSignature(config.keySecret, "order_Ours0001", "pay_Theirs001");
    expect(verifyCurlecReturn({ orderId: "order_Ours0001", paymentId: "pay_Theirs001", signature }, config.keySecret)).toBe(true);
    // A signature for another order (the one a forged request names) does not vouch for ours.
    const other = curlecReturnSignature(config.keySecret, "order_Other001", "pay_Theirs001");
    expect(verifyCurlecReturn({ orderId: "order_Ours0001", paymentId: "pay_Theirs001", signature: other }, config.keySecret)).toBe(false);
    expect(verifyCurlecReturn({ orderId: "order_Ours0001", paymentId: "pay_Theirs001", signature }, config.webhookSecret)).toBe(false);
    expect(verifyCurlecReturn({ orderId: "order_Ours0001", paymentId: "pay_Other0001", signature }, config.keySecret)).toBe(false);
    expect(verifyCurlecReturn({ orderId: "", paymentId: "pay_Theirs001", signature }, config.keySecret)).toBe(false);
  });
});

function mandate(overrides: Partial<MandateRequest> = {}): MandateRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    mandateId: "7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
    reference: "KHH-POL-2026-000012",
    firstAmountMinor: 100,
    maxAmountMinor: 15_000,
    currency: "MYR",
    expiresAt: "2031-12-31T00:00:00Z",
    method: "fpx",
    bankCode: "MB2U0227",
    customer: { name: "Siti Aminah", email: "siti@example.my", phone: "+60123456789" },
    description: "Hibah plan monthly contribution",
    returnUrl: "https://khholdings.covera.app/account/mandates/7a1c2e3f/return",
    idempotencyKey: "mandate-7a1c2e3f",
    ...overrides,
  };
}

async function activeMandate() {
  const context = setup();
  const created = await context.provider.createMandate(mandate());
  if (created.status !== "pending") throw new Error(JSON.stringify(created));
  const { token } = context.mock.authorise(created.providerRef);
  return { ...context, created, token };
}

function debit(method: Record<string, string>, overrides: Partial<ChargeSavedRequest> = {}): ChargeSavedRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    transactionId: "3b2c1d0e-aaaa-4bbb-8ccc-dddddddddddd",
    reference: "KHH-INS-2026-000031",
    amountMinor: 12_050,
    currency: "MYR",
    description: "Hibah plan, instalment 2 of 12",
    method,
    idempotencyKey: "instalment-31",
    ...overrides,
  };
}

describe("Curlec e-mandates", () => {
  it("creates the customer (fail_existing 0) and an authorisation order with the token limits, then redirects", async () => {
    const { mock, provider } = setup();
    const created = await provider.createMandate(mandate());
    expect(created).toMatchObject({
      status: "pending",
      providerRef: expect.stringMatching(/^order_/),
      customerRef: expect.stringMatching(/^cust_/),
      customerAction: { type: "redirect", url: expect.stringMatching(/^https:\/\/api\.razorpay\.com\//) },
    });
    const bodies = Object.fromEntries(mock.state.requests.filter((r) => r.method === "POST").map((r) => [r.path, r.body]));
    expect(bodies["/customers"]).toMatchObject({ email: "siti@example.my", fail_existing: "0" });
    expect(bodies["/orders"]).toMatchObject({
      amount: 100,
      receipt: "7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
      method: "fpx",
      token: { max_amount: 15_000, expire_at: Date.parse("2031-12-31T00:00:00Z") / 1000 },
    });
    expect(bodies["/payments/create/json"]).toMatchObject({
      recurring: "1",
      bank: "MB2U0227",
      customer_id: created.status === "pending" && created.customerRef,
    });
    // The same member again: Curlec hands back the same customer.
    const second = await provider.createMandate(mandate({ mandateId: "8b2d3f40-5c6e-4f70-9bac-1d2e3f4a5b6c" }));
    expect(second.status === "pending" && second.customerRef).toBe(created.status === "pending" && created.customerRef);
    expect(await provider.createMandate(mandate({ currency: "USD" }))).toMatchObject({
      status: "failed",
      reasonCode: "currency_not_supported",
    });
    expect(await provider.createMandate(mandate({ firstAmountMinor: 0 }))).toMatchObject({
      status: "failed",
      reasonCode: "invalid_amount",
    });
    expect(await provider.createMandate(mandate({ expiresAt: "2020-01-01T00:00:00Z" }))).toMatchObject({
      status: "failed",
      reasonCode: "invalid_expiry",
    });
  });

  it("parses token events into mandate events, and queries and cancels a token", async () => {
    const { mock, provider, created, token } = await activeMandate();
    const orderId = created.status === "pending" ? created.providerRef : "";
    const confirmed = await provider.parseWebhook(
      webhook(curlecEvent("token.confirmed", { token, payment: [...mock.state.payments.values()][0] })),
    );
    expect(confirmed).toMatchObject({
      ok: true,
      event: {
        kind: "mandate",
        status: "active",
        mandateRef: token.id,
        customerRef: token.customer_id,
        providerRef: orderId,
        maxAmountMinor: 15_000,
        bankName: "MB2U0227",
      },
    });
    for (const [event, status] of [
      ["token.rejected", "rejected"],
      ["token.cancelled", "cancelled"],
      ["token.paused", "paused"],
    ] as const) {
      expect(await provider.parseWebhook(webhook(curlecEvent(event, { token })))).toMatchObject({
        ok: true,
        event: { kind: "mandate", status, mandateRef: token.id },
      });
    }
    const ref = { customerRef: token.customer_id, mandateRef: token.id };
    expect(await provider.queryMandate(ref)).toMatchObject({ ok: true, event: { status: "active", mandateRef: token.id } });
    expect(await provider.cancelMandate(ref)).toMatchObject({ ok: true });
    expect(await provider.queryMandate(ref)).toMatchObject({ ok: true, event: { status: "cancelled" } });
    expect(await provider.queryMandate({ ...ref, mandateRef: "token_Nope000001" })).toMatchObject({ ok: false });
  });

  it("a rejected authorisation is a rejected mandate", async () => {
    const { mock, provider } = setup();
    const created = await provider.createMandate(mandate());
    const { event } = mock.authorise(created.status === "pending" ? created.providerRef : "", "rejected");
    expect(await provider.parseWebhook(webhook(event))).toMatchObject({
      ok: true,
      event: { kind: "mandate", status: "rejected", reasonCode: "mandate_rejected_by_the_bank" },
    });
  });

  it("debits an instalment with the token on a new order, and a retry with the same key never debits twice", async () => {
    const { mock, provider, token } = await activeMandate();
    const method = { customerRef: token.customer_id, mandate: token.id };
    const first = await provider.chargeSaved(debit(method));
    expect(first).toMatchObject({
      ok: true,
      status: { outcome: "completed", amountMinor: 12_050, receipt: expect.stringMatching(/^pay_/) },
    });
    const debits = () => mock.state.requests.filter((r) => r.path === "/payments/create/recurring");
    expect(debits()).toHaveLength(1);
    expect(debits()[0]!.body).toMatchObject({ token: token.id, customer_id: token.customer_id, recurring: "1", amount: 12_050 });
    const again = await provider.chargeSaved(debit(method));
    expect(again).toMatchObject({ ok: true, status: { outcome: "completed", receipt: first.ok ? first.status.receipt : "" } });
    expect(debits()).toHaveLength(1);
    expect([...mock.state.orders.values()].filter((o) => o.receipt === "instalment-31")).toHaveLength(1);
  });

  it("a debit that fails is retried on the same order and succeeds, once", async () => {
    const { mock, provider, token } = await activeMandate();
    const method = { customerRef: token.customer_id, mandate: token.id };
    mock.state.recurringOutcomes.push({ fail: CURLEC_ERRORS.insufficient });
    const failed = await provider.chargeSaved(debit(method));
    expect(failed).toMatchObject({ ok: true, status: { outcome: "failed", final: true, reasonCode: "insufficient_funds" } });
    const retried = await provider.chargeSaved(debit(method));
    expect(retried).toMatchObject({ ok: true, status: { outcome: "completed" } });
    const third = await provider.chargeSaved(debit(method));
    expect(third).toMatchObject({ ok: true, status: { outcome: "completed" } });
    expect(mock.state.requests.filter((r) => r.path === "/payments/create/recurring")).toHaveLength(2);
    expect([...mock.state.orders.values()].filter((o) => o.receipt === "instalment-31")).toHaveLength(1);
  });

  it("a debit Curlec refuses outright is a failed result; a cancelled mandate or an outage too", async () => {
    const { mock, provider, token } = await activeMandate();
    const method = { customerRef: token.customer_id, mandate: token.id };
    mock.state.recurringOutcomes.push({ refuse: CURLEC_ERRORS.bankDeclined });
    expect(await provider.chargeSaved(debit(method))).toMatchObject({
      ok: true,
      status: { outcome: "failed", reasonCode: "bank_declined" },
    });
    expect(await provider.chargeSaved(debit({}, { idempotencyKey: "instalment-32" }))).toMatchObject({
      ok: false,
      reasonCode: "mandate_missing",
    });
    await provider.cancelMandate({ customerRef: token.customer_id, mandateRef: token.id });
    expect(await provider.chargeSaved(debit(method, { idempotencyKey: "instalment-33" }))).toMatchObject({
      ok: true,
      status: { outcome: "failed" },
    });
    setup({ fail: "down" });
    expect(await providerFor("curlec", config, { timeoutMs: 2000 }).initiate(payment())).toMatchObject({
      status: "failed",
      retryable: true,
    });
  });
});

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "~db/client";
import { processProviderEvent } from "~/modules/payments/events.server";
import { queryAndApply, startPayment } from "~/modules/payments/payments.server";
import { paymentOptions } from "~/modules/payments/settings.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { providerFor, type InitiateRequest, type RefundEvent } from "~/modules/payments/providers/index.server";
import { paypalAmount, PaypalProvider } from "~/modules/payments/providers/paypal.server";
import { newTokenCache } from "~/modules/payments/providers/token-cache.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import {
  createPaypalMock,
  paypalApprovedEvent,
  paypalCaptureEvent,
  paypalDisputeEvent,
  paypalRefundEvent,
  type PaypalMockOptions,
} from "../mocks/paypal";
import { playThirdParties } from "../support/msw";
import { Browser } from "../support/http";
import { configureProvider, customerWithOrder, eventsOf, orderRow, paymentsTenant, transactionRow } from "../support/checkout";
import { createUser, ownerDb } from "../support/db";
import { formatMoney } from "~/lib/money";
import { hostOf, signIn, textOf } from "./accounts-support";

/**
 * PayPal (decision 044): the adapter against PayPal's API played by msw, and a customer paying an
 * order with PayPal through the app over HTTP (an app instance in this process, so msw stands at
 * its edge too).
 */

// Requests to our own app pass; anything else must be PayPal, played here.
const server = playThirdParties({ app: true });

const creds = {
  clientId: "AYSq3RDGsmBLJE-otTkBtM-jBRd1TCQwFf9RGfwddNXWz0uFU9ztymylOhRS",
  clientSecret: "EGnHDxD_qRPdaLdZz8iCr8N7_MzF-YHPTkjs6NKYQvQSBngp4PTTVWkPZRbL",
};
const config = { mode: "test", ...creds, webhookId: "1JE4291016473214C" };

function setup(options: Partial<PaypalMockOptions> = {}, clock?: { now: Date }) {
  const mock = createPaypalMock({ ...creds, webhookId: config.webhookId, ...options });
  server.use(...mock.handlers);
  const provider = providerFor("paypal", config, {
    tokenCache: newTokenCache(),
    timeoutMs: 2000,
    ...(clock ? { now: () => clock.now } : {}),
  }) as PaypalProvider;
  return { mock, provider };
}

function payment(overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    transactionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    reference: "KHH-ORD-2026-000012",
    amountMinor: 15_050,
    currency: "MYR",
    email: "aisyah@example.com",
    description: "Medical card, first month",
    callbackUrl: "https://khh.covera.app/webhooks/mpesa/unused",
    returnUrl: "https://khh.covera.app/payments/paypal/return",
    idempotencyKey: "0f8fad5b-d9cb-469f-a165-70867728950e",
    ...overrides,
  };
}

async function approvedAndCaptured(options: Partial<PaypalMockOptions> = {}) {
  const { mock, provider } = setup(options);
  const started = await provider.initiate(payment());
  if (started.status !== "pending") throw new Error(started.reasonCode);
  mock.approve(started.providerRef);
  const captured = await provider.capture(started.providerRef, "capture:0f8fad5b");
  if (!captured.ok) throw new Error(captured.message);
  return { mock, provider, orderId: started.providerRef, captured: captured.status };
}

describe("PayPal orders", () => {
  it("creates an order for the exact amount with our ids, and sends the customer to PayPal's approval page", async () => {
    const { mock, provider } = setup();
    const result = await provider.initiate(payment());
    if (result.status !== "pending") throw new Error(result.reasonCode);
    const order = mock.order(result.providerRef);
    expect(result.customerAction).toEqual({ type: "redirect", url: `https://www.sandbox.paypal.com/checkoutnow?token=${order.id}` });
    const [tokenCall, create] = mock.state.requests;
    expect(tokenCall).toMatchObject({
      path: "/v1/oauth2/token",
      authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString("base64")}`,
      body: { grant_type: "client_credentials" },
    });
    expect(create).toMatchObject({ path: "/v2/checkout/orders", requestId: payment().idempotencyKey });
    expect(create!.body).toEqual({
      intent: "CAPTURE",
      purchase_units: [
        {
          custom_id: payment().transactionId,
          invoice_id: "KHH-ORD-2026-000012",
          description: "Medical card, first month",
          amount: { currency_code: "MYR", value: "150.50" },
        },
      ],
      payment_source: {
        paypal: {
          experience_context: {
            return_url: "https://khh.covera.app/payments/paypal/return",
            cancel_url: "https://khh.covera.app/payments/paypal/return?cancelled=1",
            user_action: "PAY_NOW",
            shipping_preference: "NO_SHIPPING",
          },
        },
      },
    });
    // A retry of the same attempt (same PayPal-Request-Id) is the same order, not a second one.
    const again = await provider.initiate(payment());
    expect(again).toMatchObject({ status: "pending", providerRef: order.id });
    expect(mock.state.orders.size).toBe(1);
  });

  it("writes amounts as PayPal's decimals exactly, and refuses what PayPal cannot take before calling it", async () => {
    expect(paypalAmount(15_050, "MYR")).toEqual({ ok: true, value: "150.50" });
    expect(paypalAmount(7, "USD")).toEqual({ ok: true, value: "0.07" });
    expect(paypalAmount(1500, "JPY")).toEqual({ ok: true, value: "1500" });
    // TWD has cents in ISO 4217, none at PayPal: whole dollars pass, a fraction is refused, never rounded.
    expect(paypalAmount(12_300, "TWD")).toEqual({ ok: true, value: "123" });
    expect(paypalAmount(12_345, "TWD")).toMatchObject({ ok: false, failure: { reasonCode: "amount_not_exact" } });
    expect(paypalAmount(0, "USD")).toMatchObject({ ok: false, failure: { reasonCode: "invalid_amount" } });
    const { mock, provider } = setup();
    expect(await provider.initiate(payment({ currency: "KES", amountMinor: 150_000 }))).toMatchObject({
      status: "failed",
      reasonCode: "currency_not_supported",
      exchange: null,
    });
    expect(mock.state.requests).toHaveLength(0);
  });

  it("reports PayPal's refusals and outages as failures with PayPal's words", async () => {
    const refused = setup({ fail: { status: 422, name: "UNPROCESSABLE_ENTITY", issue: "PAYEE_ACCOUNT_RESTRICTED" } });
    expect(await refused.provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "rejected",
      providerMessage: expect.stringContaining("PAYEE_ACCOUNT_RESTRICTED"),
      retryable: false,
    });
    server.resetHandlers();
    const down = setup({ fail: "down" });
    expect(await down.provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "provider_unavailable",
      retryable: true,
    });
  });
});

describe("PayPal approval and capture", () => {
  it("is pending until approved, pending-approved until captured, and completed by the capture with PayPal's amount and capture id", async () => {
    const { mock, provider } = setup();
    const started = await provider.initiate(payment());
    if (started.status !== "pending") throw new Error(started.reasonCode);
    const orderId = started.providerRef;
    expect(await provider.query(orderId)).toMatchObject({
      ok: true,
      status: { outcome: "pending", providerCode: "PAYER_ACTION_REQUIRED" },
    });
    // Back without approving (the return URL typed by hand): PayPal says not approved; nothing is taken.
    expect(await provider.capture(orderId, "capture:1")).toMatchObject({
      ok: true,
      status: { outcome: "pending", reasonCode: "not_approved", providerCode: "ORDER_NOT_APPROVED" },
    });
    mock.approve(orderId);
    expect(await provider.query(orderId)).toMatchObject({ ok: true, status: { outcome: "pending", reasonCode: "approved" } });
    const captured = await provider.capture(orderId, "capture:2");
    const capture = mock.order(orderId).capture!;
    expect(captured).toMatchObject({
      ok: true,
      status: { outcome: "completed", final: true, amountMinor: 15_050, currency: "MYR", receipt: capture.id, providerRef: orderId },
    });
    expect(mock.state.requests.filter((r) => r.path.endsWith("/capture")).map((r) => r.requestId)).toEqual(["capture:1", "capture:2"]);
    // The same capture again (a reload of the return page): PayPal replays its answer; a new key finds it captured.
    expect(await provider.capture(orderId, "capture:2")).toMatchObject({ ok: true, status: { outcome: "completed", receipt: capture.id } });
    expect(await provider.capture(orderId, "capture:3")).toMatchObject({ ok: true, status: { outcome: "completed", receipt: capture.id } });
    expect(await provider.query(orderId)).toMatchObject({ ok: true, status: { outcome: "completed", receipt: capture.id } });
    expect(await provider.query("5O190127TN364715T")).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("reads a declined funding source as a failure the customer may retry, and PayPal's other refusals as final", async () => {
    const { mock, provider } = setup();
    const started = await provider.initiate(payment());
    if (started.status !== "pending") throw new Error(started.reasonCode);
    mock.approve(started.providerRef);
    mock.refuseNextCapture(started.providerRef, "INSTRUMENT_DECLINED");
    expect(await provider.capture(started.providerRef, "a")).toMatchObject({
      ok: true,
      status: { outcome: "failed", final: false, reasonCode: "declined", providerCode: "INSTRUMENT_DECLINED" },
    });
    mock.refuseNextCapture(started.providerRef, "DUPLICATE_INVOICE_ID");
    expect(await provider.capture(started.providerRef, "b")).toMatchObject({
      ok: true,
      status: { outcome: "failed", final: true, reasonCode: "already_paid" },
    });
    expect(await provider.capture(started.providerRef, "c")).toMatchObject({ ok: true, status: { outcome: "completed" } });
  });

  it("reports PayPal's conversion when the agency's PayPal account receives another currency", async () => {
    const { captured } = await approvedAndCaptured({ receiveIn: { currency: "USD", rate: "0.2121" } });
    expect(captured.details).toMatchObject({
      exchangeRate: "0.2121",
      sourceCurrency: "MYR",
      targetCurrency: "USD",
      receivedCurrency: "USD",
      receivedAmount: expect.stringMatching(/^\d+\.\d{2}$/),
    });
    const plain = await approvedAndCaptured();
    expect(plain.captured.details).toBeUndefined();
  });
});

describe("PayPal exchange-rate quotes", () => {
  it("asks for rates from the agency's currency, and tells a refusal (an account PayPal has not enabled) from an outage", async () => {
    const { mock, provider } = setup({ exchangeRates: { SGD: "0.2950", GBP: "0.1702" } });
    expect(await provider.quoteRates("MYR", ["SGD", "GBP", "AUD"])).toEqual({
      ok: true,
      rates: [
        { currency: "SGD", rate: "0.2950", expiresAt: expect.any(String) },
        { currency: "GBP", rate: "0.1702", expiresAt: expect.any(String) },
      ],
    });
    expect(mock.state.rateQuotes).toEqual([
      [
        { base_currency: "MYR", quote_currency: "SGD" },
        { base_currency: "MYR", quote_currency: "GBP" },
        { base_currency: "MYR", quote_currency: "AUD" },
      ],
    ]);
    expect(await setup({ exchangeRates: "refused" }).provider.quoteRates("MYR", ["SGD"])).toEqual({ ok: false, refused: true });
    expect(await setup({ exchangeRates: "down" }).provider.quoteRates("MYR", ["SGD"])).toEqual({ ok: false, refused: false });
    expect(await setup({ fail: "down" }).provider.quoteRates("MYR", ["SGD"])).toEqual({ ok: false, refused: false });
  });
});

describe("PayPal OAuth token", () => {
  it("is fetched once and shared, replaced when it expires, and replaced once when PayPal stops taking it", async () => {
    const clock = { now: new Date("2026-12-07T08:00:00Z") };
    const { mock, provider } = setup({ tokenLifetime: 3600 }, clock);
    await Promise.all([provider.query("A"), provider.query("B"), provider.query("C")]);
    expect(mock.state.tokenRequests).toBe(1);
    clock.now = new Date("2026-12-07T08:58:00Z");
    await provider.query("A");
    expect(mock.state.tokenRequests).toBe(1);
    // A minute before expiry it is not used any more.
    clock.now = new Date("2026-12-07T08:59:30Z");
    await provider.query("A");
    expect(mock.state.tokenRequests).toBe(2);
    mock.revokeTokens();
    expect(await provider.query("A")).toMatchObject({ ok: false, reason: "not_found" });
    expect(mock.state.tokenRequests).toBe(3);
  });

  it("says so when the credentials are wrong, and never logs them", async () => {
    const mock = createPaypalMock({ ...creds, webhookId: config.webhookId });
    server.use(...mock.handlers);
    const wrong = providerFor("paypal", { ...config, clientSecret: "EWrongSecretWrongSecret00" }, { tokenCache: newTokenCache() });
    const result = await wrong.initiate(payment());
    expect(result).toMatchObject({
      status: "failed",
      reasonCode: "provider_auth_failed",
      providerMessage: expect.stringContaining("invalid_client"),
    });
    const { provider } = setup();
    const ok = await provider.initiate(payment());
    const logged = JSON.stringify([result, ok]);
    expect(logged).not.toContain("EWrongSecretWrongSecret00");
    expect(logged).not.toContain(creds.clientSecret);
    expect(logged).not.toContain(Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString("base64"));
    expect(logged).not.toMatch(/A21AA/);
  });
});

describe("PayPal webhooks", () => {
  it("asks PayPal to verify each event and parses a capture by the event id and the order it belongs to", async () => {
    const { mock, provider, orderId } = await approvedAndCaptured();
    const event = paypalCaptureEvent("PAYMENT.CAPTURE.COMPLETED", mock.order(orderId));
    const delivery = mock.webhook(event);
    const parsed = await provider.parseWebhook(delivery);
    expect(parsed).toMatchObject({
      ok: true,
      event: {
        kind: "payment",
        providerEventId: event.id,
        providerRef: orderId,
        outcome: "completed",
        amountMinor: 15_050,
        currency: "MYR",
      },
    });
    const verify = mock.state.requests.filter((r) => r.path === "/v1/notifications/verify-webhook-signature").at(-1)!;
    expect(verify.body).toMatchObject({
      webhook_id: config.webhookId,
      transmission_id: delivery.headers.get("paypal-transmission-id"),
      auth_algo: "SHA256withRSA",
      webhook_event: event,
    });
    // A redelivery (new transmission, same event) is the same event.
    const again = await provider.parseWebhook(mock.webhook(event));
    expect(again.ok && again.event?.kind === "payment" && again.event.providerEventId).toBe(event.id);
  });

  it("refuses an event PayPal did not send, one changed on the way, one without its headers, and one for another webhook", async () => {
    const { mock, provider, orderId } = await approvedAndCaptured();
    const event = paypalCaptureEvent("PAYMENT.CAPTURE.COMPLETED", mock.order(orderId));
    expect(await provider.parseWebhook(mock.webhook(event, { forged: true }))).toMatchObject({ ok: false, reason: "bad_signature" });
    const genuine = mock.webhook(event);
    const changed = { ...genuine, rawBody: genuine.rawBody.replace('"value":"150.50"', '"value":"1.50"') };
    expect(changed.rawBody).not.toBe(genuine.rawBody);
    expect(await provider.parseWebhook(changed)).toMatchObject({ ok: false, reason: "bad_signature" });
    const verifications = mock.state.verifications.length;
    const headless = new Headers(genuine.headers);
    headless.delete("paypal-transmission-sig");
    expect(await provider.parseWebhook({ headers: headless, rawBody: genuine.rawBody })).toMatchObject({
      ok: false,
      reason: "bad_signature",
      detail: "no paypal-transmission-sig header",
    });
    expect(mock.state.verifications).toHaveLength(verifications);
    const otherHook = providerFor("paypal", { ...config, webhookId: "8PT597110X687430L" }, { tokenCache: newTokenCache() });
    expect(await otherHook.parseWebhook(mock.webhook(event))).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(await provider.parseWebhook({ headers: genuine.headers, rawBody: "{not json" })).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });

  it("parses approvals, denials, refunds, reversals and disputes, and acknowledges the rest", async () => {
    const { mock, provider, orderId } = await approvedAndCaptured();
    const order = mock.order(orderId);
    const captureId = order.capture!.id;
    const parse = async (event: Record<string, unknown>) => {
      const parsed = await provider.parseWebhook(mock.webhook(event));
      if (!parsed.ok) throw new Error(parsed.detail);
      return parsed;
    };
    expect((await parse(paypalApprovedEvent(order))).event).toMatchObject({ kind: "payment", outcome: "pending", reasonCode: "approved" });
    expect((await parse(paypalCaptureEvent("PAYMENT.CAPTURE.DENIED", order, { status: "DECLINED" }))).event).toMatchObject({
      kind: "payment",
      outcome: "failed",
      providerRef: orderId,
    });
    const refunded = await provider.refund({
      providerRef: orderId,
      receipt: captureId,
      amountMinor: 5_000,
      currency: "MYR",
      reason: "Cover not needed",
      idempotencyKey: "refund-1",
    });
    if (refunded.status === "refused") throw new Error(refunded.reasonCode);
    const refund = mock.state.refunds.at(-1)!;
    const refundEvent = (await parse(paypalRefundEvent("PAYMENT.CAPTURE.REFUNDED", refund))).event as RefundEvent;
    expect(refundEvent).toMatchObject({
      kind: "refund",
      refundRef: refunded.refundRef,
      providerRef: captureId,
      outcome: "completed",
      amountMinor: 5_000,
    });
    const reversal = { ...refund, id: "1JU08902781691411", amount: { currency_code: "MYR", value: "-100.50" } };
    expect((await parse(paypalRefundEvent("PAYMENT.CAPTURE.REVERSED", reversal))).event).toMatchObject({
      kind: "refund",
      reasonCode: "reversed",
      amountMinor: 10_050,
      providerRef: captureId,
    });
    const dispute = (status: string, outcome?: string) =>
      paypalDisputeEvent(outcome ? "CUSTOMER.DISPUTE.RESOLVED" : "CUSTOMER.DISPUTE.CREATED", {
        id: "PP-D-27803",
        captureId,
        status,
        outcome,
        amount: { currency_code: "MYR", value: "150.50" },
      });
    expect((await parse(dispute("WAITING_FOR_SELLER_RESPONSE"))).event).toMatchObject({
      kind: "dispute",
      disputeRef: "PP-D-27803",
      providerRef: captureId,
      outcome: "open",
      amountMinor: 15_050,
    });
    expect((await parse(dispute("RESOLVED", "RESOLVED_BUYER_FAVOUR"))).event).toMatchObject({ outcome: "lost" });
    expect((await parse(dispute("RESOLVED", "RESOLVED_SELLER_FAVOUR"))).event).toMatchObject({ outcome: "won" });
    const other = { id: "WH-1", event_type: "BILLING.SUBSCRIPTION.CREATED", resource: { id: "I-1" } };
    expect(await parse(other)).toEqual({ ok: true, event: null, ignored: "BILLING.SUBSCRIPTION.CREATED" });
  });
});

describe("PayPal refunds", () => {
  it("refunds a capture under our refund's key once, however often it is sent, and passes on PayPal's refusals", async () => {
    const { mock, provider, orderId, captured } = await approvedAndCaptured();
    const refund = (amountMinor: number, idempotencyKey: string, receipt: string | undefined = captured.receipt) =>
      provider.refund({
        providerRef: orderId,
        receipt,
        amountMinor,
        currency: "MYR",
        reason: "Cancelled in the cooling-off period",
        idempotencyKey,
      });
    const first = await refund(5_000, "refund-a");
    expect(first).toMatchObject({ status: "completed", refundRef: expect.any(String) });
    expect(await refund(5_000, "refund-a")).toEqual({ ...first, exchange: expect.any(Object) });
    expect(mock.state.refunds).toHaveLength(1);
    const call = mock.state.requests.filter((r) => r.path.endsWith("/refund")).at(0)!;
    expect(call).toMatchObject({
      path: `/v2/payments/captures/${captured.receipt}/refund`,
      requestId: "refund-a",
      body: { amount: { currency_code: "MYR", value: "50.00" }, note_to_payer: "Cancelled in the cooling-off period" },
    });
    expect(await refund(20_000, "refund-b")).toMatchObject({
      status: "refused",
      reasonCode: "refund_refused",
      providerMessage: expect.stringContaining("REFUND_AMOUNT_EXCEEDED"),
    });
    // Without the capture id on record, it is found on the order.
    expect(await refund(10_050, "refund-c", undefined)).toMatchObject({ status: "completed" });
    expect(await refund(1, "refund-d")).toMatchObject({
      status: "refused",
      providerMessage: expect.stringContaining("CAPTURE_FULLY_REFUNDED"),
    });
  });
});

describe("PayPal at checkout", () => {
  let app: Server;
  let port: number;
  beforeAll(async () => {
    const { createApp, loadBuild } = await import("../../server/app");
    const build = await loadBuild();
    app = await new Promise<Server>((resolve) => {
      const s = createApp(build).listen(0, "127.0.0.1", () => resolve(s));
    });
    port = (app.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => app.close(resolve)));

  async function paypalTenant(currency: string) {
    const tenant = await paymentsTenant({ sandbox: false });
    await withPlatform((db) => db.updateTable("tenants").set({ currency, locale: "en-MY" }).where("id", "=", tenant.id).execute());
    await configureProvider(tenant, "paypal", config);
    return (await tenantById(tenant.id))!;
  }

  it("is offered only in a currency PayPal takes, and an admin of a KES agency is told so and cannot enable it", async () => {
    const kes = await paymentsTenant({ sandbox: false });
    await configureProvider(kes, "paypal", config);
    expect(await withTenant(kes.id, (db) => paymentOptions(db, kes))).toEqual([]);
    const host = hostOf(await ownerDb().selectFrom("tenants").select(["id", "slug"]).where("id", "=", kes.id).executeTakeFirstOrThrow());
    const admin = await signIn(host, (await createUser(kes.id, { roles: ["admin"] })).email);
    const refusal = "PayPal does not take payments in KES, this agency's currency, so checkout cannot offer PayPal.";
    expect(textOf((await admin.get("/admin/payments")).text)).toContain(refusal);
    const save = await admin.post("/admin/payments", {
      provider: "paypal",
      mode: "test",
      enabled: "on",
      clientId: creds.clientId,
      webhookId: config.webhookId,
    });
    expect(save.status).toBe(400);
    expect(textOf(save.text)).toContain(refusal);
    const myr = await paypalTenant("MYR");
    expect((await withTenant(myr.id, (db) => paymentOptions(db, myr))).map((o) => [o.method, o.provider])).toEqual([["paypal", "paypal"]]);
  });

  it("takes a customer from the payment step to PayPal and back to a paid order; the webhooks that follow change nothing", async () => {
    const mock = createPaypalMock({ ...creds, webhookId: config.webhookId, receiveIn: { currency: "MYR", rate: "4.7150" } });
    server.use(...mock.handlers);
    // (A USD agency: the fixtures' policyholder carries Kenyan identity numbers, which an MYR agency would refuse.)
    const tenant = await paypalTenant("USD");
    const customer = await customerWithOrder(tenant, { method: "paypal" });
    const host = hostOf(await ownerDb().selectFrom("tenants").select(["id", "slug"]).where("id", "=", tenant.id).executeTakeFirstOrThrow());
    const signedIn = await signIn(host, customer.user.email);
    const browser = new Browser(host, { port });
    for (const [k, v] of signedIn.cookies) browser.cookies.set(k, v);

    const pay = await browser.post(`/checkout/${customer.orderId}/pay`, { method: "paypal" });
    expect(pay.status).toBe(302);
    const [order] = [...mock.state.orders.values()];
    expect(pay.location).toBe(`https://www.sandbox.paypal.com/checkoutnow?token=${order!.id}`);
    expect(order!.experience.return_url).toBe(`http://${host}:${port}/payments/paypal/return`);
    const [tx] = await ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", customer.orderId).execute();
    expect(tx).toMatchObject({ provider: "paypal", method: "paypal", status: "pending", provider_ref: order!.id, currency: "USD" });
    expect(order!.purchaseUnit).toMatchObject({ custom_id: tx!.id, amount: { currency_code: "USD" } });

    // Someone else, or an order id that is not this customer's, gets nothing.
    expect((await browser.get(`/payments/paypal/return?token=5O190127TN364715T`)).status).toBe(404);
    const stranger = await signIn(host, (await customerWithOrder(tenant, { method: "paypal" })).user.email);
    const strangerHere = new Browser(host, { port });
    for (const [k, v] of stranger.cookies) strangerHere.cookies.set(k, v);
    expect((await strangerHere.get(`/payments/paypal/return?token=${order!.id}`)).status).toBe(404);

    // The customer approves at PayPal and comes back: the payment is captured, the order paid.
    mock.approve(order!.id);
    const back = await browser.get(`/payments/paypal/return?token=${order!.id}&PayerID=QYR5Z8XDVJNXQ`);
    expect(back.location).toBe(`/checkout/${customer.orderId}/pay/${tx!.id}`);
    expect((await browser.get(back.location!)).location).toBe(`/orders/${customer.orderId}`);
    const paid = await transactionRow(tx!.id);
    const capture = mock.order(order!.id).capture!;
    expect(paid).toMatchObject({ status: "completed", provider_receipt: capture.id, failure_code: null });
    expect(paid.provider_details).toMatchObject({ exchangeRate: "4.7150", receivedCurrency: "MYR", sourceCurrency: "USD" });
    expect((await orderRow(customer.orderId)).status).toBe("paid");
    // The confirmation says which currency PayPal took (it reports nothing of the payer's own).
    const confirmation = textOf((await browser.get(`/orders/${customer.orderId}`)).text);
    expect(confirmation).toContain("PayPal took this payment in USD. If it converted it from your card's or balance's currency");
    // Staff see what PayPal converted on the payment's page.
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const staffPage = await (await signIn(host, admin.email)).get(`/admin/transactions/${tx!.id}`);
    expect(textOf(staffPage.text)).toContain("1 USD = 4.7150 MYR; the agency's account received");
    const captures = await ownerDb()
      .selectFrom("gateway_log")
      .select(["kind"])
      .where("transaction_id", "=", tx!.id)
      .where("kind", "=", "capture")
      .execute();
    expect(captures).toHaveLength(1);
    // A reload of the return page captures nothing more.
    expect((await browser.get(`/payments/paypal/return?token=${order!.id}`)).location).toBe(`/checkout/${customer.orderId}/pay/${tx!.id}`);
    expect(mock.state.requests.filter((r) => r.path.endsWith("/capture"))).toHaveLength(1);

    // PayPal's webhooks arrive late, reordered and twice: stored once each, and the payment stays as it is.
    const approved = mock.webhook(paypalApprovedEvent(mock.order(order!.id)));
    const completed = paypalCaptureEvent("PAYMENT.CAPTURE.COMPLETED", mock.order(order!.id));
    const forged = await receiveWebhook(tenant, "paypal", mock.webhook(completed, { forged: true }));
    expect(forged.status).toBe(401);
    for (const delivery of [mock.webhook(completed), approved, mock.webhook(completed)]) {
      expect((await receiveWebhook(tenant, "paypal", delivery)).status).toBe(200);
    }
    const events = await eventsOf(tx!.id);
    expect(events.map((e) => [e.provider_event_id, e.deliveries]).sort()).toEqual(
      [
        [completed.id, 2],
        [JSON.parse(approved.rawBody).id, 1],
      ].sort(),
    );
    for (const e of events) await processProviderEvent(tenant.id, e.id);
    const outcomes = (await eventsOf(tx!.id)).map((e) => e.outcome);
    expect(outcomes.sort()).toEqual(["ignored_already_completed", "still_pending"].sort());
    expect(await transactionRow(tx!.id)).toMatchObject({ status: "completed", refunded_minor: 0 });
  });

  it("tells the customer before PayPal that it charges the agency's currency and converts, with PayPal's rate where it gives one", async () => {
    const mock = createPaypalMock({ ...creds, webhookId: config.webhookId, exchangeRates: { SGD: "1.3412", GBP: "0.7903" } });
    server.use(...mock.handlers);
    const tenant = await paypalTenant("USD");
    const browser = await customerBrowser(tenant);
    const fromSingapore = { "accept-language": "en-SG,en;q=0.9,en-GB;q=0.8,fr;q=0.5" };
    const page = await browser.get(`/checkout/${browser.orderId}/pay`, fromSingapore);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    const charged = /PayPal charges (.+?) in USD\. If your card or PayPal balance is in another currency, PayPal converts it/.exec(
      text,
    )?.[1];
    expect(charged).toBeTruthy();
    const chargedMinor = Math.round(Number(charged!.replace(/[^\d.]/g, "")) * 100);
    const sgd = formatMoney(Math.round(chargedMinor * 1.3412), "SGD", "en-MY").replace(/\s+/g, " ");
    const gbp = formatMoney(Math.round(chargedMinor * 0.7903), "GBP", "en-MY").replace(/\s+/g, " ");
    expect(text).toContain(`Roughly ${sgd} at PayPal's rate now (1 USD = 1.3412 SGD)`);
    expect(text).toContain(`Roughly ${gbp} at PayPal's rate now (1 USD = 0.7903 GBP)`);
    expect(mock.state.rateQuotes).toEqual([
      [
        { base_currency: "USD", quote_currency: "SGD" },
        { base_currency: "USD", quote_currency: "GBP" },
      ],
    ]);
    // The rates are kept: the next page asks PayPal nothing.
    expect(textOf((await browser.get(`/checkout/${browser.orderId}/pay`, fromSingapore)).text)).toContain("1 USD = 1.3412 SGD");
    expect(mock.state.rateQuotes).toHaveLength(1);
    // A browser that names no country gets the explanation without a figure, and PayPal is not asked.
    const plain = textOf((await browser.get(`/checkout/${browser.orderId}/pay`, { "accept-language": "en" })).text);
    expect(plain).toContain(`PayPal charges ${charged} in USD.`);
    expect(plain).not.toContain("Roughly");
    expect(mock.state.rateQuotes).toHaveLength(1);
  });

  it("shows the payment step without a figure when PayPal refuses to quote or is down, and does not ask again at once", async () => {
    for (const exchangeRates of ["refused", "down"] as const) {
      const mock = createPaypalMock({ ...creds, webhookId: config.webhookId, exchangeRates });
      server.use(...mock.handlers);
      const tenant = await paypalTenant("USD");
      const browser = await customerBrowser(tenant);
      for (let i = 0; i < 2; i++) {
        const page = await browser.get(`/checkout/${browser.orderId}/pay`, { "accept-language": "en-GB" });
        expect(page.status).toBe(200);
        expect(textOf(page.text)).toContain("PayPal converts it and shows you its rate before you approve.");
        expect(textOf(page.text)).not.toContain("Roughly");
      }
      expect(mock.state.rateQuotes).toHaveLength(1);
      // Paying still works.
      expect((await browser.post(`/checkout/${browser.orderId}/pay`, { method: "paypal" })).status).toBe(302);
      server.resetHandlers();
    }
  });

  async function customerBrowser(tenant: Awaited<ReturnType<typeof paypalTenant>>) {
    const customer = await customerWithOrder(tenant, { method: "paypal" });
    const host = hostOf(await ownerDb().selectFrom("tenants").select(["id", "slug"]).where("id", "=", tenant.id).executeTakeFirstOrThrow());
    const signedIn = await signIn(host, customer.user.email);
    const browser = Object.assign(new Browser(host, { port }), { orderId: customer.orderId });
    for (const [k, v] of signedIn.cookies) browser.cookies.set(k, v);
    return browser;
  }

  it("captures a payment approved by a customer who never came back, when the payment is checked", async () => {
    const mock = createPaypalMock({ ...creds, webhookId: config.webhookId });
    server.use(...mock.handlers);
    const tenant = await paypalTenant("USD");
    const customer = await customerWithOrder(tenant, { method: "paypal" });
    const started = await startPayment(tenant, {
      target: { orderId: customer.orderId },
      userId: customer.user.id,
      method: "paypal",
      email: customer.user.email,
      origin: "http://shop.localhost",
    });
    if (!started.ok) throw new Error(started.message);
    const tx = await transactionRow(started.transactionId);
    expect(await queryAndApply(tenant.id, tx.id)).toBe("still_pending");
    // Approved at PayPal, then the tab was closed: the approval event alone moves no money …
    mock.approve(tx.provider_ref!);
    expect((await receiveWebhook(tenant, "paypal", mock.webhook(paypalApprovedEvent(mock.order(tx.provider_ref!))))).status).toBe(200);
    const [approval] = await eventsOf(tx.id);
    expect(await processProviderEvent(tenant.id, approval!.id)).toMatch(/^(still_pending|already_processed)$/);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "pending" });
    // … the check (reconciliation, "Check again") finds it approved and captures it.
    expect(await queryAndApply(tenant.id, tx.id)).toBe("completed");
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", provider_receipt: mock.order(tx.provider_ref!).capture!.id });
    expect((await orderRow(customer.orderId)).status).toBe("paid");
  });

  it("records a cancellation at PayPal, so the customer can pay again", async () => {
    const mock = createPaypalMock({ ...creds, webhookId: config.webhookId });
    server.use(...mock.handlers);
    const tenant = await paypalTenant("USD");
    const customer = await customerWithOrder(tenant, { method: "paypal" });
    const host = hostOf(await ownerDb().selectFrom("tenants").select(["id", "slug"]).where("id", "=", tenant.id).executeTakeFirstOrThrow());
    const signedIn = await signIn(host, customer.user.email);
    const browser = new Browser(host, { port });
    for (const [k, v] of signedIn.cookies) browser.cookies.set(k, v);
    await browser.post(`/checkout/${customer.orderId}/pay`, { method: "paypal" });
    const [order] = [...mock.state.orders.values()];
    const [tx] = await ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", customer.orderId).execute();
    const back = await browser.get(`/payments/paypal/return?cancelled=1&token=${order!.id}`);
    expect(back.location).toBe(`/checkout/${customer.orderId}/pay/${tx!.id}`);
    expect(await transactionRow(tx!.id)).toMatchObject({ status: "cancelled", failure_code: "cancelled_by_customer" });
    expect(mock.state.requests.filter((r) => r.path.endsWith("/capture"))).toHaveLength(0);
    const page = await browser.get(back.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain("You cancelled the payment at PayPal.");
  });
});

import { describe, expect, it } from "vitest";
import {
  accountReferenceFor,
  darajaTimestamp,
  normaliseKenyanPhone,
  parseDarajaTimestamp,
  stkPassword,
} from "~/modules/payments/providers/mpesa.server";
import { newTokenCache } from "~/modules/payments/providers/mpesa.server";
import {
  newCallbackToken,
  providerFor,
  ProviderConfigError,
  type Exchange,
  type InitiateRequest,
  type PaymentEvent,
  type RefundEvent,
  type WebhookInput,
} from "~/modules/payments/providers/index.server";
import { createDarajaMock, reversalResultBody, stkCallbackBody, type DarajaMockOptions, DARAJA_TEST_CREDS } from "../mocks/daraja";
import { playThirdParties } from "../support/msw";

const server = playThirdParties();

const creds = DARAJA_TEST_CREDS;

const callbackToken = newCallbackToken();
const T0 = new Date("2026-03-01T07:30:00Z"); // 10:30:00 in Nairobi

function setup(mockOptions: Partial<DarajaMockOptions> = {}, configOverrides: Record<string, unknown> = {}) {
  const mock = createDarajaMock({ ...creds, ...mockOptions });
  server.use(...mock.handlers);
  const clock = { now: T0 };
  const exchanges: (Exchange | null)[] = [];
  const provider = providerFor(
    "mpesa",
    { mode: "test", ...creds, ...configOverrides },
    { tokenCache: newTokenCache(), now: () => clock.now, timeoutMs: 2000 },
  );
  return { mock, provider, clock, exchanges };
}

function payment(overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    transactionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    reference: "BWM-ORD-2026-000012",
    amountMinor: 150_000,
    currency: "KES",
    phone: "0712 345 678",
    description: "Motor insurance premium",
    callbackUrl: `https://bowman.covera.app/webhooks/mpesa/${callbackToken}`,
    returnUrl: "https://bowman.covera.app/checkout/done",
    idempotencyKey: "attempt-0f8fad5b",
    ...overrides,
  };
}

function callback(body: unknown, received = callbackToken): WebhookInput {
  return {
    headers: new Headers({ "content-type": "application/json" }),
    rawBody: typeof body === "string" ? body : JSON.stringify(body),
    callbackToken: { expected: callbackToken, received },
  };
}

async function pushed(provider: ReturnType<typeof setup>["provider"], mock: ReturnType<typeof setup>["mock"]) {
  const result = await provider.initiate(payment());
  if (result.status !== "pending") throw new Error(`push failed: ${JSON.stringify(result)}`);
  return { result, push: mock.state.pushes.at(-1)! };
}

describe("M-Pesa protocol helpers", () => {
  it.each([
    ["0712345678", "254712345678"],
    ["0712 345 678", "254712345678"],
    ["0712-345-678", "254712345678"],
    ["712345678", "254712345678"],
    ["+254712345678", "254712345678"],
    ["+254 712 345 678", "254712345678"],
    ["254712345678", "254712345678"],
    ["0110123456", "254110123456"],
    ["110123456", "254110123456"],
    ["+254110123456", "254110123456"],
    ["254110123456", "254110123456"],
  ])("normalises %s to %s", (input, expected) => {
    expect(normaliseKenyanPhone(input)).toEqual({ ok: true, phone: expected });
  });

  it.each([
    ["", /Enter the M-Pesa phone number/],
    ["0712", /Kenyan mobile number/],
    ["07123456789", /Kenyan mobile number/],
    ["0201234567", /Kenyan mobile number/], // Nairobi landline
    ["+255712345678", /\+254/], // Tanzania
    ["+2540712345678", /Kenyan mobile number/],
    ["2547123456", /Kenyan mobile number/],
    ["07l2345678", /Kenyan mobile number/],
    ["0812345678", /Kenyan mobile number/],
  ])("refuses %j with a clear message", (input, message) => {
    const result = normaliseKenyanPhone(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("builds the Password as base64(shortcode + passkey + timestamp), as Daraja's example does", () => {
    expect(stkPassword("174379", creds.passkey, "20200225181525")).toBe(
      "MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjAwMjI1MTgxNTI1",
    );
  });

  it("stamps time as yyyyMMddHHmmss on the Nairobi clock, whatever the server's zone", () => {
    expect(darajaTimestamp(new Date("2026-03-01T21:30:05Z"))).toBe("20260302003005");
    expect(darajaTimestamp(new Date("2026-12-31T20:59:59Z"))).toBe("20261231235959");
    expect(darajaTimestamp(new Date("2026-01-05T00:00:00Z"))).toBe("20260105030000");
    expect(parseDarajaTimestamp(20191219102115)).toBe("2019-12-19T07:21:15.000Z");
    expect(parseDarajaTimestamp("not a date")).toBeUndefined();
  });

  it.each([
    ["BWM-ORD-2026-000012", "BWM000012"],
    ["KHH-ORD-2026-1234567", "KHH1234567"],
    ["INV-77", "INV77"],
    ["A VERY LONG REFERENCE WITHOUT NUMBERS", "ANUMBERS"],
    ["ABCDEFGHIJKLMNOPQ", "FGHIJKLMNOPQ"],
    ["---", "PAYMENT"],
  ])("shortens the account reference %s to %s (≤ 12 characters)", (reference, expected) => {
    expect(accountReferenceFor(reference)).toBe(expected);
    expect(accountReferenceFor(reference).length).toBeLessThanOrEqual(12);
  });
});

describe("M-Pesa STK push", () => {
  it("sends a well-formed push and answers pending with the CheckoutRequestID", async () => {
    const { mock, provider } = setup();
    const result = await provider.initiate(payment());
    expect(result).toMatchObject({
      status: "pending",
      providerRef: "ws_CO_20260301103000000001",
      customerAction: { type: "stk_push", phone: "254712345678" },
      details: { merchantRequestId: "29115-34620561-1" },
    });
    if (result.status !== "pending" || result.customerAction.type !== "stk_push") throw new Error("unreachable");
    expect(result.customerAction.message).toBe("Check your phone (+254 712 345 678) and enter your M-Pesa PIN to pay KES 1,500.");

    expect(mock.state.pushes).toHaveLength(1);
    expect(mock.state.pushes[0]!.body).toEqual({
      BusinessShortCode: "174379",
      Password: stkPassword("174379", creds.passkey, "20260301103000"),
      Timestamp: "20260301103000",
      TransactionType: "CustomerPayBillOnline",
      Amount: 1500,
      PartyA: "254712345678",
      PartyB: "174379",
      PhoneNumber: "254712345678",
      CallBackURL: `https://bowman.covera.app/webhooks/mpesa/${callbackToken}`,
      AccountReference: "BWM000012",
      TransactionDesc: "Motor insuran",
    });
    expect(result.exchange.request).toMatchObject({
      method: "POST",
      url: "https://sandbox.safaricom.co.ke/mpesa/stkpush/v1/processrequest",
    });
    expect(result.exchange.response).toMatchObject({ status: 200, body: { ResponseCode: "0" } });
  });

  it("pays a Buy Goods till: PartyB is the till, BusinessShortCode the store", async () => {
    const { mock, provider } = setup({}, { transactionType: "CustomerBuyGoodsOnline", tillNumber: "5220011" });
    expect((await provider.initiate(payment())).status).toBe("pending");
    expect(mock.state.pushes[0]!.body).toMatchObject({
      TransactionType: "CustomerBuyGoodsOnline",
      BusinessShortCode: "174379",
      PartyB: "5220011",
    });
  });

  it("fetches one OAuth token for several pushes, and a new one when it expires", async () => {
    const { mock, provider, clock } = setup();
    // Concurrent first pushes share one token request …
    await Promise.all([provider.initiate(payment()), provider.initiate(payment())]);
    expect(mock.state.oauthCalls).toBe(1);
    // … and later ones reuse the cached token.
    await provider.initiate(payment());
    await provider.query(mock.state.pushes[0]!.checkoutRequestId);
    expect(mock.state.oauthCalls).toBe(1);
    expect(new Set(mock.state.pushes.map((p) => p.authorization)).size).toBe(1);
    // The token lives 3599 s; it is replaced a minute before that.
    clock.now = new Date(T0.getTime() + 3539_000 - 1);
    await provider.initiate(payment());
    expect(mock.state.oauthCalls).toBe(1);
    clock.now = new Date(T0.getTime() + 3540_000);
    await provider.initiate(payment());
    expect(mock.state.oauthCalls).toBe(2);
  });

  it("keeps tokens per credentials: another tenant's consumer key gets its own", async () => {
    const { mock } = setup();
    const cache = newTokenCache();
    const a = providerFor("mpesa", { mode: "test", ...creds }, { tokenCache: cache, now: () => T0 });
    await a.initiate(payment());
    const other = createDarajaMock({ ...creds, consumerKey: "AnotherTenantKey0001" });
    server.use(...other.handlers);
    const b = providerFor("mpesa", { mode: "test", ...creds, consumerKey: "AnotherTenantKey0001" }, { tokenCache: cache, now: () => T0 });
    await b.initiate(payment());
    expect(mock.state.oauthCalls + other.state.oauthCalls).toBe(2);
  });

  it("replaces a token Daraja no longer accepts, once", async () => {
    const { mock, provider } = setup();
    await provider.initiate(payment());
    mock.revokeTokens();
    const result = await provider.initiate(payment());
    expect(result.status).toBe("pending");
    expect(mock.state.oauthCalls).toBe(2);
  });

  it("refuses an amount with cents instead of rounding it, and sends nothing", async () => {
    const { mock, provider } = setup();
    const result = await provider.initiate(payment({ amountMinor: 150_050 }));
    expect(result).toMatchObject({ status: "failed", reasonCode: "amount_not_whole_shillings", retryable: false, exchange: null });
    expect(mock.state.oauthCalls + mock.state.pushes.length).toBe(0);
  });

  it.each([
    [{ currency: "MYR" }, "currency_not_supported"],
    [{ amountMinor: 0 }, "invalid_amount"],
    [{ amountMinor: 99 }, "invalid_amount"],
    [{ amountMinor: 1500.5 }, "invalid_amount"],
    [{ phone: "0201234567" }, "invalid_phone"],
    [{ phone: undefined }, "invalid_phone"],
    [{ callbackUrl: "not a url" }, "invalid_callback_url"],
  ] as [Partial<InitiateRequest>, string][])("refuses %j before calling Daraja (%s)", async (overrides, reasonCode) => {
    const { mock, provider } = setup();
    const result = await provider.initiate(payment(overrides));
    expect(result).toMatchObject({ status: "failed", reasonCode, exchange: null });
    if (result.status === "failed") expect(result.customerMessage.length).toBeGreaterThan(10);
    expect(mock.state.pushes).toHaveLength(0);
  });

  it("requires an https callback URL in live mode", async () => {
    const provider = providerFor("mpesa", { mode: "live", ...creds }, { tokenCache: newTokenCache() });
    expect(await provider.initiate(payment({ callbackUrl: "http://bowman.covera.app/webhooks/mpesa/x" }))).toMatchObject({
      status: "failed",
      reasonCode: "invalid_callback_url",
    });
  });

  it("reports Daraja's refusals, busy subscribers and outages distinctly", async () => {
    const rejected = setup({ push: { status: 400, errorCode: "400.002.02", errorMessage: "Bad Request - Invalid PhoneNumber" } });
    expect(await rejected.provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "rejected",
      retryable: false,
      providerMessage: "Bad Request - Invalid PhoneNumber",
    });

    const busy = setup({
      push: {
        status: 500,
        errorCode: "500.001.1001",
        errorMessage: "Unable to lock subscriber, a transaction is already in process for the current subscriber",
      },
    });
    expect(await busy.provider.initiate(payment())).toMatchObject({ status: "failed", reasonCode: "subscriber_busy", retryable: true });

    const wrongPasskey = setup({}, { passkey: "not-the-passkey" });
    expect(await wrongPasskey.provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "rejected",
      retryable: false,
      providerMessage: "Wrong credentials",
    });

    const down = setup({ push: "down" });
    const result = await down.provider.initiate(payment());
    expect(result).toMatchObject({ status: "failed", reasonCode: "provider_unavailable", retryable: true });
    if (result.status === "failed") expect(result.exchange?.response).toHaveProperty("error");
  });

  it("reports bad consumer credentials as a configuration problem", async () => {
    const { mock } = setup();
    const provider = providerFor(
      "mpesa",
      { mode: "test", ...creds, consumerSecret: "wrong-secret-value" },
      { tokenCache: newTokenCache() },
    );
    const result = await provider.initiate(payment());
    expect(result).toMatchObject({ status: "failed", reasonCode: "provider_auth_failed", retryable: false });
    expect(mock.state.pushes).toHaveLength(0);
    const down = setup({ oauth: "down" });
    expect(await down.provider.initiate(payment())).toMatchObject({
      status: "failed",
      reasonCode: "provider_unavailable",
      retryable: true,
    });
  });
});

describe("M-Pesa callbacks", () => {
  it("parses a successful callback with amount, receipt and time", async () => {
    const { mock, provider } = setup();
    const { push } = await pushed(provider, mock);
    const result = await provider.parseWebhook(callback(mock.answer(push, "0")));
    expect(result).toEqual({
      ok: true,
      event: {
        kind: "payment",
        providerEventId: `stk:${push.checkoutRequestId}:0`,
        providerRef: push.checkoutRequestId,
        outcome: "completed",
        final: true,
        amountMinor: 150_000,
        currency: "KES",
        receipt: "NLJ7RT61SV",
        providerCode: "0",
        occurredAt: "2019-12-19T07:21:15.000Z",
        raw: expect.any(Object),
      },
    });
  });

  it.each([
    ["1", "failed", "insufficient_funds", /balance/],
    ["1001", "failed", "subscriber_busy", /busy/],
    ["1019", "expired", "expired", /expired/],
    ["1025", "failed", "system_error", /could not send/],
    ["1032", "cancelled", "cancelled_by_customer", /cancelled/],
    ["1037", "expired", "no_response", /could not reach your phone/],
    ["2001", "failed", "wrong_pin", /PIN/],
    ["9999", "failed", "system_error", /problem/],
    ["4711", "failed", "mpesa_4711", /code 4711/],
  ])("maps ResultCode %s to %s (%s) with a message for the customer", async (code, outcome, reasonCode, message) => {
    const { mock, provider } = setup();
    const { push } = await pushed(provider, mock);
    const result = await provider.parseWebhook(callback(mock.answer(push, code)));
    if (!result.ok || !result.event) throw new Error(JSON.stringify(result));
    const event = result.event as PaymentEvent;
    expect(event).toMatchObject({
      kind: "payment",
      providerRef: push.checkoutRequestId,
      outcome,
      reasonCode,
      providerCode: code,
      final: true,
    });
    expect(event.providerEventId).toBe(`stk:${push.checkoutRequestId}:${code}`);
    expect(event.customerMessage).toMatch(message);
    expect(event.amountMinor).toBeUndefined();
    expect(event.receipt).toBeUndefined();
  });

  it("refuses a callback without the attempt's token, or with another one", async () => {
    const { mock, provider } = setup();
    const { push } = await pushed(provider, mock);
    const body = mock.answer(push, "0");
    expect(await provider.parseWebhook(callback(body, newCallbackToken()))).toMatchObject({ ok: false, reason: "bad_token" });
    expect(await provider.parseWebhook(callback(body, ""))).toMatchObject({ ok: false, reason: "bad_token" });
    expect(await provider.parseWebhook({ headers: new Headers(), rawBody: JSON.stringify(body) })).toMatchObject({
      ok: false,
      reason: "bad_token",
    });
    expect(
      await provider.parseWebhook({ headers: new Headers(), rawBody: JSON.stringify(body), callbackToken: { expected: "", received: "" } }),
    ).toMatchObject({ ok: false, reason: "bad_token" });
  });

  it.each([
    ["not JSON", "{"],
    ["not a callback", { hello: "world" }],
    ["no CheckoutRequestID", { Body: { stkCallback: { ResultCode: 0 } } }],
    ["a success without metadata", { Body: { stkCallback: { MerchantRequestID: "1", CheckoutRequestID: "ws_CO_1", ResultCode: 0 } } }],
    [
      "a success without a receipt",
      {
        Body: {
          stkCallback: { CheckoutRequestID: "ws_CO_1", ResultCode: 0, CallbackMetadata: { Item: [{ Name: "Amount", Value: 1500 }] } },
        },
      },
    ],
  ])("rejects %s as malformed", async (_label, body) => {
    const { provider } = setup();
    expect(await provider.parseWebhook(callback(body))).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("reports the amount M-Pesa says was paid, so the caller can see it differs", async () => {
    const { mock, provider } = setup();
    const { push } = await pushed(provider, mock);
    const result = await provider.parseWebhook(callback(mock.answer(push, "0", { amount: 1 })));
    expect(result).toMatchObject({ ok: true, event: { outcome: "completed", amountMinor: 100, currency: "KES" } });
  });

  it("parses a callback for a CheckoutRequestID we never sent (the caller finds no attempt)", async () => {
    const { provider } = setup();
    const body = stkCallbackBody(
      { checkoutRequestId: "ws_CO_UNKNOWN", merchantRequestId: "1-1-1", body: { Amount: 10, PhoneNumber: 254712345678 } },
      "0",
    );
    expect(await provider.parseWebhook(callback(body))).toMatchObject({
      ok: true,
      event: { providerRef: "ws_CO_UNKNOWN", outcome: "completed" },
    });
  });

  it("parses duplicates and out-of-order deliveries to the same events", async () => {
    const { mock, provider } = setup();
    const first = await pushed(provider, mock);
    const second = await pushed(provider, mock);
    const a = callback(stkCallbackBody(first.push, "1032"));
    const b = callback(stkCallbackBody(second.push, "0"));
    const inOrder = [await provider.parseWebhook(a), await provider.parseWebhook(b), await provider.parseWebhook(b)];
    const reversed = [await provider.parseWebhook(b), await provider.parseWebhook(a), await provider.parseWebhook(a)];
    const ids = (results: typeof inOrder) => results.map((r) => (r.ok && r.event ? r.event.providerEventId : null));
    expect(ids(inOrder)).toEqual([
      `stk:${first.push.checkoutRequestId}:1032`,
      `stk:${second.push.checkoutRequestId}:0`,
      `stk:${second.push.checkoutRequestId}:0`,
    ]);
    expect(inOrder[1]).toEqual(inOrder[2]);
    expect(reversed[0]).toEqual(inOrder[1]);
    expect(reversed[1]).toEqual(inOrder[0]);
  });
});

describe("M-Pesa STK query", () => {
  it("reports pending while the customer has not answered, then the result (a late callback)", async () => {
    const { mock, provider } = setup();
    const { push } = await pushed(provider, mock);
    const before = await provider.query(push.checkoutRequestId);
    expect(before).toMatchObject({
      ok: true,
      status: { providerRef: push.checkoutRequestId, outcome: "pending", final: false, reasonCode: "processing" },
    });
    expect(mock.state.queries[0]).toMatchObject({
      BusinessShortCode: "174379",
      CheckoutRequestID: push.checkoutRequestId,
      Timestamp: "20260301103000",
    });

    const late = mock.answer(push, "0");
    const after = await provider.query(push.checkoutRequestId);
    expect(after).toMatchObject({ ok: true, status: { outcome: "completed", final: true, providerCode: "0" } });
    // When the callback does arrive it still parses, and carries what the query cannot (the receipt).
    expect(await provider.parseWebhook(callback(late))).toMatchObject({ ok: true, event: { outcome: "completed", receipt: "NLJ7RT61SV" } });
  });

  it("maps failures the same way as callbacks", async () => {
    const { mock, provider } = setup();
    const { push } = await pushed(provider, mock);
    mock.answer(push, "1032");
    expect(await provider.query(push.checkoutRequestId)).toMatchObject({
      ok: true,
      status: { outcome: "cancelled", reasonCode: "cancelled_by_customer", providerCode: "1032", final: true },
    });
  });

  it("treats ResultCode 4999 (still under processing) as pending", async () => {
    const { mock, provider } = setup();
    const { push } = await pushed(provider, mock);
    mock.answer(push, "4999");
    expect(await provider.query(push.checkoutRequestId)).toMatchObject({
      ok: true,
      status: { outcome: "pending", final: false, reasonCode: "processing", providerCode: "4999" },
    });
  });

  it("says not found for a CheckoutRequestID Daraja does not know", async () => {
    const { provider } = setup();
    expect(await provider.query("ws_CO_00000000000000000000")).toMatchObject({ ok: false, reason: "not_found", retryable: false });
  });
});

describe("M-Pesa refunds (reversals)", () => {
  const refund = {
    providerRef: "ws_CO_20260301103000000001",
    receipt: "NLJ7RT61SV",
    amountMinor: 150_000,
    currency: "KES",
    reason: "Policy cancelled within the cooling-off period",
    idempotencyKey: "refund-0f8fad5b-1",
    callbackUrl: `https://bowman.covera.app/webhooks/mpesa/${callbackToken}`,
  };

  it("requests a reversal, answers pending, and parses the result callback", async () => {
    const { mock, provider } = setup();
    const result = await provider.refund(refund);
    expect(result).toMatchObject({ status: "pending", refundRef: "AG_20260301_00000000000001" });
    expect(mock.state.reversals[0]!.body).toEqual({
      Initiator: "testapi",
      SecurityCredential: creds.securityCredential,
      CommandID: "TransactionReversal",
      TransactionID: "NLJ7RT61SV",
      Amount: 1500,
      ReceiverParty: "174379",
      RecieverIdentifierType: "11",
      ResultURL: refund.callbackUrl,
      QueueTimeOutURL: refund.callbackUrl,
      Remarks: refund.reason,
      Occasion: refund.idempotencyKey,
    });

    const done = await provider.parseWebhook(callback(reversalResultBody("AG_20260301_00000000000001")));
    expect(done).toEqual({
      ok: true,
      event: {
        kind: "refund",
        providerEventId: "reversal:AG_20260301_00000000000001:0",
        refundRef: "AG_20260301_00000000000001",
        providerRef: null,
        outcome: "completed",
        amountMinor: 150_000,
        currency: "KES",
        message: "The service request is processed successfully.",
        occurredAt: "2026-03-01T07:15:30.000Z",
        raw: expect.any(Object),
      },
    });
    const failed = await provider.parseWebhook(callback(reversalResultBody("AG_20260301_00000000000001", { resultCode: "R000001" })));
    expect(failed).toMatchObject({ ok: true, event: { kind: "refund", outcome: "failed", reasonCode: "mpesa_reversal_R000001" } });
    expect((failed as { event: RefundEvent }).event.providerEventId).toBe("reversal:AG_20260301_00000000000001:R000001");
  });

  it("refuses what it cannot send, and reports Daraja's refusal", async () => {
    const { mock, provider } = setup();
    expect(await provider.refund({ ...refund, receipt: undefined })).toMatchObject({ status: "refused", reasonCode: "receipt_required" });
    expect(await provider.refund({ ...refund, amountMinor: 150_001 })).toMatchObject({
      status: "refused",
      reasonCode: "amount_not_whole_shillings",
    });
    expect(await provider.refund({ ...refund, callbackUrl: undefined })).toMatchObject({
      status: "refused",
      reasonCode: "callback_url_required",
    });
    expect(mock.state.reversals).toHaveLength(0);

    const unconfigured = providerFor("mpesa", { mode: "test", ...creds, initiatorName: undefined, securityCredential: undefined });
    expect(await unconfigured.refund(refund)).toMatchObject({ status: "refused", reasonCode: "not_configured", exchange: null });

    const wrong = setup({}, { securityCredential: "StaleCredentialFromLastYear==" });
    const result = await wrong.provider.refund(refund);
    expect(result).toMatchObject({ status: "refused", reasonCode: "refund_refused", retryable: false });
    if (result.status === "refused") expect(result.customerMessage).toMatch(/Invalid Initiator/);
  });
});

describe("M-Pesa configuration and logs", () => {
  it("validates the configuration without echoing secrets", () => {
    expect(() => providerFor("mpesa", { mode: "test", ...creds, shortcode: "12" })).toThrow(ProviderConfigError);
    expect(() => providerFor("mpesa", { mode: "test", ...creds, securityCredential: undefined })).toThrow(
      /initiatorName and securityCredential/,
    );
    try {
      providerFor("mpesa", { mode: "staging", ...creds });
    } catch (error) {
      expect(String(error)).not.toContain(creds.consumerSecret);
      expect(String(error)).not.toContain(creds.passkey);
    }
  });

  it("never writes credentials, tokens or passwords into the exchange log", async () => {
    const { mock, provider } = setup();
    const collected: unknown[] = [];
    const first = await pushed(provider, mock);
    collected.push(first.result.exchange);
    mock.answer(first.push, "0");
    collected.push((await provider.query(first.push.checkoutRequestId)).exchange);
    collected.push(
      (
        await provider.refund({
          providerRef: first.push.checkoutRequestId,
          receipt: "NLJ7RT61SV",
          amountMinor: 150_000,
          currency: "KES",
          reason: "x",
          idempotencyKey: "r1",
          callbackUrl: "https://x.example/cb/t",
        })
      ).exchange,
    );
    const wrong = providerFor(
      "mpesa",
      { mode: "test", ...creds, consumerSecret: "AnotherWrongSecret123" },
      { tokenCache: newTokenCache() },
    );
    const failed = await wrong.initiate(payment());
    collected.push(failed.status === "failed" ? failed.exchange : null);

    const log = JSON.stringify(collected);
    const password = mock.state.pushes[0]!.body.Password as string;
    for (const secret of [
      creds.consumerKey,
      creds.consumerSecret,
      "AnotherWrongSecret123",
      creds.passkey,
      creds.securityCredential,
      password,
      Buffer.from(`${creds.consumerKey}:${creds.consumerSecret}`).toString("base64"),
      ...mock.state.issuedTokens,
    ]) {
      expect(log).not.toContain(secret);
    }
    expect(log).toContain("[redacted]");
    expect(log).toContain("ws_CO_"); // the useful parts stay
  });
});

import { describe, expect, it } from "vitest";
import { B2C_RESULT_CODES } from "~/modules/payments/providers/mpesa-b2c.server";
import { newTokenCache } from "~/modules/payments/providers/mpesa.server";
import {
  newCallbackToken,
  payoutProviderFor,
  type PayoutCallbackInput,
  type PayoutChannel,
  type PayoutEvent,
  type PayoutRequest,
} from "~/modules/payments/providers/index.server";
import { SANDBOX_FAILING_PAYOUT_CENTS } from "~/modules/payments/providers/sandbox.server";
import {
  B2C_RESULT_DESCRIPTIONS,
  b2cResultBody,
  b2cStatusBody,
  b2cTimeoutBody,
  createDarajaMock,
  type DarajaMockOptions,
  DARAJA_TEST_CREDS,
} from "../mocks/daraja";
import { playThirdParties } from "../support/msw";

/**
 * The payout side of the provider interface (decision 025), adapter by adapter, with Daraja played
 * by msw: the B2C request as Daraja documents it, its refusals, a repeated attempt refused as a
 * duplicate (and taken as sent), the result, timeout and status callbacks with every documented
 * ResultCode, and the sandbox's payouts.
 */

const server = playThirdParties();

const creds = DARAJA_TEST_CREDS;
const token = newCallbackToken();

function setup(mockOptions: Partial<DarajaMockOptions> = {}, config: Record<string, unknown> = {}) {
  const mock = createDarajaMock({ ...creds, ...mockOptions });
  server.use(...mock.handlers);
  const provider = payoutProviderFor("mpesa", { mode: "test", ...creds, ...config }, { tokenCache: newTokenCache(), timeoutMs: 2000 });
  return { mock, provider };
}

function payout(overrides: Partial<PayoutRequest> = {}): PayoutRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    payoutId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    idempotencyKey: "BWM-STL-2026-000007-1",
    reference: "BWM-STL-2026-000007",
    amountMinor: 4_250_000,
    currency: "KES",
    payee: { name: "Wanjiru Kamau", phone: "0712 345 678" },
    description: "Claim BWM-CLM-2026-000031",
    resultUrl: `https://bowman.covera.app/webhooks/payouts/mpesa/${token}`,
    timeoutUrl: `https://bowman.covera.app/webhooks/payouts/mpesa/${token}/timeout`,
    ...overrides,
  };
}

function callback(body: unknown, channel: PayoutChannel = "result", received = token): PayoutCallbackInput {
  return {
    headers: new Headers({ "content-type": "application/json" }),
    rawBody: typeof body === "string" ? body : JSON.stringify(body),
    callbackToken: { expected: token, received },
    channel,
  };
}

async function eventOf(provider: ReturnType<typeof setup>["provider"], input: PayoutCallbackInput): Promise<PayoutEvent> {
  const parsed = await provider.parsePayoutResult(input);
  if (!parsed.ok || !parsed.event) throw new Error(`not an event: ${JSON.stringify(parsed)}`);
  return parsed.event;
}

describe("M-Pesa B2C payouts", () => {
  it("sends a B2C payment request as Daraja documents it, with our attempt as its OriginatorConversationID", async () => {
    const { mock, provider } = setup({}, { b2cShortcode: "600997" });
    const result = await provider.payout(payout());
    expect(result).toMatchObject({ status: "pending", providerRef: "BWM-STL-2026-000007-1" });
    expect(mock.state.b2c).toHaveLength(1);
    expect(mock.state.b2c[0]!.body).toEqual({
      OriginatorConversationID: "BWM-STL-2026-000007-1",
      InitiatorName: "testapi",
      SecurityCredential: creds.securityCredential,
      CommandID: "BusinessPayment",
      Amount: 42_500,
      PartyA: "600997",
      PartyB: "254712345678",
      Remarks: "Claim BWM-CLM-2026-000031",
      QueueTimeOutURL: `https://bowman.covera.app/webhooks/payouts/mpesa/${token}/timeout`,
      ResultURL: `https://bowman.covera.app/webhooks/payouts/mpesa/${token}`,
      Occassion: "BWM-STL-2026-000007",
    });
    // The gateway log never holds the credential or the bearer token.
    const logged = JSON.stringify(result.status === "pending" ? result.exchange : null);
    expect(logged).not.toContain(creds.securityCredential);
    expect(logged).toContain("Bearer [redacted]");
    expect(logged).toContain("BWM-STL-2026-000007-1");
  });

  it("pays from the short code, as a promotion payment, when the agency says so", async () => {
    const { mock, provider } = setup({}, { b2cCommand: "PromotionPayment" });
    await provider.payout(payout());
    expect(mock.state.b2c[0]!.body).toMatchObject({ CommandID: "PromotionPayment", PartyA: "174379" });
  });

  it("sending the same attempt again is refused by Daraja as a duplicate, and taken as sent (never paid twice)", async () => {
    const { mock, provider } = setup();
    expect((await provider.payout(payout())).status).toBe("pending");
    const again = await provider.payout(payout());
    expect(again).toMatchObject({ status: "pending", providerRef: "BWM-STL-2026-000007-1", details: { duplicate: "true" } });
    expect(mock.state.b2cRequests).toHaveLength(2);
    expect(mock.state.b2c).toHaveLength(1);
  });

  it("refuses, before calling Daraja, what it cannot pay exactly: cents, another currency, a bad phone, no initiator", async () => {
    const { mock, provider } = setup();
    const cents = await provider.payout(payout({ amountMinor: 4_250_050 }));
    expect(cents).toMatchObject({ status: "failed", reasonCode: "amount_not_whole_shillings", maybeSent: false, retryable: false });
    expect(await provider.payout(payout({ currency: "MYR" }))).toMatchObject({ status: "failed", reasonCode: "currency_not_supported" });
    expect(await provider.payout(payout({ payee: { name: "X", phone: "020 123 4567" } }))).toMatchObject({
      status: "failed",
      reasonCode: "invalid_phone",
      maybeSent: false,
    });
    const noInitiator = payoutProviderFor(
      "mpesa",
      { mode: "test", ...creds, initiatorName: undefined, securityCredential: undefined },
      { tokenCache: newTokenCache() },
    );
    expect(await noInitiator.payout(payout())).toMatchObject({ status: "failed", reasonCode: "not_configured", maybeSent: false });
    expect(mock.state.b2cRequests).toHaveLength(0);
  });

  it("a refusal by Daraja is final and sent nothing; an outage may have reached it, and is tried again with the same key", async () => {
    const refused = setup({ b2c: { status: 400, errorCode: "400.002.02", errorMessage: "Bad Request - Invalid PartyB" } });
    expect(await refused.provider.payout(payout())).toMatchObject({
      status: "failed",
      retryable: false,
      maybeSent: false,
      providerMessage: "Bad Request - Invalid PartyB",
    });
    server.resetHandlers();
    const down = setup({ b2c: { status: 503, errorCode: "503.001.01", errorMessage: "Service Unavailable" } });
    expect(await down.provider.payout(payout())).toMatchObject({ status: "failed", retryable: true, maybeSent: true });
    server.resetHandlers();
    const cut = setup({ b2c: "down" });
    expect(await cut.provider.payout(payout())).toMatchObject({ status: "failed", retryable: true, maybeSent: true });
    server.resetHandlers();
    // A name that does not resolve: nothing reached anyone, and the retry says so.
    const { mock } = setup();
    const unresolvedFetch: typeof fetch = async (url, init) => {
      if (String(url).includes("/mpesa/b2c/")) {
        throw Object.assign(new TypeError("fetch failed"), {
          cause: Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }),
        });
      }
      return fetch(url, init);
    };
    const unresolved = payoutProviderFor("mpesa", { mode: "test", ...creds }, { tokenCache: newTokenCache(), fetch: unresolvedFetch });
    const notSent = await unresolved.payout(payout());
    expect(mock.state.b2cRequests).toHaveLength(0);
    expect(notSent).toMatchObject({ status: "failed", retryable: true, maybeSent: false });
  });

  it("a success result carries the receipt, the amount and the payee", async () => {
    const { mock, provider } = setup();
    await provider.payout(payout());
    const event = await eventOf(provider, callback(b2cResultBody(mock.state.b2c[0]!, 0, { receipt: "TL7AB12CDE" })));
    expect(event).toMatchObject({
      kind: "payout",
      providerEventId: "b2c:BWM-STL-2026-000007-1:0",
      providerRef: "BWM-STL-2026-000007-1",
      outcome: "completed",
      amountMinor: 4_250_000,
      currency: "KES",
      receipt: "TL7AB12CDE",
      payeeName: "254712345678 - WANJIRU KAMAU",
      occurredAt: "2026-12-07T07:48:52.000Z",
    });
  });

  it.each(Object.keys(B2C_RESULT_DESCRIPTIONS).filter((code) => code !== "0"))(
    "ResultCode %s is a failure with its reason",
    async (code) => {
      const { mock, provider } = setup();
      await provider.payout(payout());
      const event = await eventOf(provider, callback(b2cResultBody(mock.state.b2c[0]!, code)));
      expect(event).toMatchObject({
        outcome: "failed",
        providerEventId: `b2c:BWM-STL-2026-000007-1:${code}`,
        reasonCode: B2C_RESULT_CODES[code]!.reasonCode,
        providerCode: code,
        providerMessage: B2C_RESULT_DESCRIPTIONS[code],
      });
    },
  );

  it("an undocumented ResultCode is a failure that names its code", async () => {
    const { mock, provider } = setup();
    await provider.payout(payout());
    expect(await eventOf(provider, callback(b2cResultBody(mock.state.b2c[0]!, "17")))).toMatchObject({
      outcome: "failed",
      reasonCode: "mpesa_b2c_17",
    });
  });

  it("a queue timeout is neither a success nor a failure; a status answer settles it", async () => {
    const { mock, provider } = setup();
    await provider.payout(payout());
    const timeout = await eventOf(provider, callback(b2cTimeoutBody(mock.state.b2c[0]!), "timeout"));
    expect(timeout).toMatchObject({
      outcome: "timeout",
      providerRef: "BWM-STL-2026-000007-1",
      providerEventId: "b2c-timeout:BWM-STL-2026-000007-1",
    });
    // Whatever comes to the timeout URL means the same, even a body we cannot read.
    expect(await eventOf(provider, callback("not even json", "timeout"))).toMatchObject({ outcome: "timeout", providerRef: null });

    const queried = await provider.queryPayout({
      providerRef: "BWM-STL-2026-000007-1",
      amountMinor: 4_250_000,
      currency: "KES",
      resultUrl: `https://bowman.covera.app/webhooks/payouts/mpesa/${token}/status`,
      timeoutUrl: `https://bowman.covera.app/webhooks/payouts/mpesa/${token}/timeout`,
    });
    expect(queried).toMatchObject({ ok: true, event: null });
    expect(mock.state.statusQueries[0]).toMatchObject({
      CommandID: "TransactionStatusQuery",
      OriginalConversationID: "BWM-STL-2026-000007-1",
      PartyA: "174379",
      IdentifierType: "4",
    });
    const completed = await eventOf(
      provider,
      callback(b2cStatusBody(mock.state.b2c[0]!, { completed: true, receipt: "TL7ZZ99YYX" }), "status"),
    );
    expect(completed).toMatchObject({
      outcome: "completed",
      providerRef: "BWM-STL-2026-000007-1",
      receipt: "TL7ZZ99YYX",
      amountMinor: 4_250_000,
    });
    const unknown = await eventOf(provider, callback(b2cStatusBody(mock.state.b2c[0]!, { completed: false }), "status"));
    expect(unknown).toMatchObject({ outcome: "unknown" });
  });

  it("refuses a callback whose token does not match, and a success without what every success carries", async () => {
    const { mock, provider } = setup();
    await provider.payout(payout());
    const body = b2cResultBody(mock.state.b2c[0]!, 0);
    expect(await provider.parsePayoutResult(callback(body, "result", "guessed-token"))).toMatchObject({ ok: false, reason: "bad_token" });
    expect(await provider.parsePayoutResult({ ...callback(body), callbackToken: { expected: "", received: "" } })).toMatchObject({
      ok: false,
      reason: "bad_token",
    });
    const stripped = { Result: { ...body.Result, ResultParameters: undefined, TransactionID: undefined } };
    expect(await provider.parsePayoutResult(callback(stripped))).toMatchObject({ ok: false, reason: "malformed" });
    expect(await provider.parsePayoutResult(callback("{"))).toMatchObject({ ok: false, reason: "malformed" });
  });
});

describe("sandbox payouts", () => {
  const sandbox = payoutProviderFor("sandbox", { mode: "test", secret: "a-sandbox-secret-for-payouts" });

  it("pay at once, with a ref and receipt that a retry of the same attempt repeats exactly", async () => {
    const first = await sandbox.payout(payout());
    const again = await sandbox.payout(payout());
    expect(first).toMatchObject({
      status: "completed",
      providerRef: expect.stringMatching(/^sbxp_[a-f0-9]{24}$/),
      receipt: expect.stringMatching(/^SBX/),
    });
    expect(again).toEqual(first);
    const other = await sandbox.payout(payout({ idempotencyKey: "BWM-STL-2026-000007-2" }));
    expect(other.status === "completed" && first.status === "completed" && other.providerRef !== first.providerRef).toBe(true);
  });

  it(`refuse an amount ending in .${SANDBOX_FAILING_PAYOUT_CENTS}, as a wallet without the money would, and say the same when asked`, async () => {
    const refused = await sandbox.payout(payout({ amountMinor: 100_000 + SANDBOX_FAILING_PAYOUT_CENTS }));
    expect(refused).toMatchObject({ status: "failed", reasonCode: "insufficient_funds", maybeSent: false, retryable: false });
    const asked = await sandbox.queryPayout({
      providerRef: "sbxp_000000000000000000000000",
      amountMinor: 100_000 + SANDBOX_FAILING_PAYOUT_CENTS,
      currency: "KES",
      resultUrl: "https://x.test/r",
      timeoutUrl: "https://x.test/t",
    });
    expect(asked).toMatchObject({ ok: true, event: { outcome: "failed", reasonCode: "insufficient_funds" } });
    const paid = await sandbox.queryPayout({
      providerRef: "sbxp_000000000000000000000000",
      amountMinor: 100_000,
      currency: "KES",
      resultUrl: "https://x.test/r",
      timeoutUrl: "https://x.test/t",
    });
    expect(paid).toMatchObject({ ok: true, event: { outcome: "completed", receipt: expect.stringMatching(/^SBX/) } });
    expect(await sandbox.parsePayoutResult(callback({}))).toMatchObject({ ok: false, reason: "malformed" });
  });
});

import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redact } from "~/modules/payments/providers/exchange.server";
import { providerFor, ProviderConfigError, PROVIDER_NAMES, type InitiateRequest } from "~/modules/payments/providers/index.server";
import {
  SANDBOX_SIGNATURE_HEADER,
  sandboxCallback,
  sandboxEvent,
  sandboxEventBody,
  sandboxReceipt,
  signSandboxBody,
  type SandboxChoice,
} from "~/modules/payments/providers/sandbox.server";

// No handlers at all: any network call from the sandbox fails the test.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

const config = { mode: "test", secret: "sbx-secret-bowman-7c1e9a4f2b8d" };
const provider = providerFor("sandbox", config);
const occurredAt = new Date("2026-03-01T07:31:00Z");

function payment(overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    tenantId: "5d4c3b2a-0000-4000-8000-000000000001",
    transactionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    reference: "BWM-ORD-2026-000012",
    amountMinor: 150_000,
    currency: "KES",
    phone: "0712345678",
    description: "Motor insurance premium",
    callbackUrl: "https://bowman.localhost/webhooks/sandbox",
    returnUrl: "https://bowman.localhost/checkout/done",
    idempotencyKey: "attempt-0f8fad5b",
    ...overrides,
  };
}

async function started() {
  const result = await provider.initiate(payment());
  if (result.status !== "pending") throw new Error(JSON.stringify(result));
  return result;
}

describe("sandbox provider", () => {
  it("answers pending and sends the customer to the sandbox page, without any network", async () => {
    const result = await started();
    expect(result.providerRef).toMatch(/^sbx_[a-f0-9]{24}$/);
    expect(result.customerAction).toEqual({ type: "redirect", url: `/sandbox/pay/${result.providerRef}` });
    // The same attempt gets the same ref; another attempt or tenant another one.
    expect((await provider.initiate(payment())).status === "pending" && (await started()).providerRef).toBe(result.providerRef);
    const other = await provider.initiate(payment({ idempotencyKey: "attempt-2" }));
    const otherTenant = await provider.initiate(payment({ tenantId: "9a8b7c6d-0000-4000-8000-000000000002" }));
    expect(other.status === "pending" && other.providerRef).not.toBe(result.providerRef);
    expect(otherTenant.status === "pending" && otherTenant.providerRef).not.toBe(result.providerRef);
    expect(await provider.initiate(payment({ amountMinor: 0 }))).toMatchObject({ status: "failed", reasonCode: "invalid_amount" });
  });

  it.each([
    ["approve", { outcome: "completed", final: true }],
    ["decline", { outcome: "failed", reasonCode: "declined" }],
    ["cancel", { outcome: "cancelled", reasonCode: "cancelled_by_customer" }],
    ["timeout", { outcome: "expired", reasonCode: "no_response" }],
  ] as [SandboxChoice, object][])("turns the page's %s into a signed callback and a verified event", async (choice, expected) => {
    const { providerRef } = await started();
    const delivery = sandboxCallback(config.secret, { providerRef, choice, amountMinor: 150_000, currency: "KES", occurredAt });
    const result = await provider.parseWebhook(delivery);
    expect(result).toMatchObject({
      ok: true,
      event: {
        kind: "payment",
        providerEventId: `${providerRef}:${choice}`,
        providerRef,
        amountMinor: 150_000,
        currency: "KES",
        providerCode: choice,
        occurredAt: "2026-03-01T07:31:00.000Z",
        ...expected,
      },
    });
    if (result.ok && result.event?.kind === "payment") {
      if (choice === "approve") expect(result.event.receipt).toMatch(/^SBX[A-Z2-9]{7}$/);
      else expect(result.event.receipt).toBeUndefined();
    }
  });

  it("builds the same event for the same choice (pure helpers)", async () => {
    const { providerRef } = await started();
    const payload = {
      type: "sandbox.payment" as const,
      providerRef,
      choice: "approve" as const,
      amountMinor: 150_000,
      currency: "KES",
      occurredAt: occurredAt.toISOString(),
    };
    expect(sandboxEvent(payload)).toEqual(sandboxEvent({ ...payload }));
    expect(sandboxReceipt(providerRef)).toBe(sandboxReceipt(providerRef));
    expect(sandboxReceipt(providerRef)).not.toBe(sandboxReceipt("sbx_000000000000000000000000"));
    const body = sandboxEventBody({ providerRef, choice: "approve", amountMinor: 150_000, currency: "KES", occurredAt });
    expect(signSandboxBody(config.secret, body)).toMatch(/^[a-f0-9]{64}$/);
    // Redelivery of the same callback parses to the same event.
    const delivery = sandboxCallback(config.secret, { providerRef, choice: "approve", amountMinor: 150_000, currency: "KES", occurredAt });
    expect(await provider.parseWebhook(delivery)).toEqual(await provider.parseWebhook(delivery));
  });

  it("rejects callbacks signed with another tenant's secret, unsigned or altered", async () => {
    const { providerRef } = await started();
    const input = { providerRef, choice: "approve" as const, amountMinor: 150_000, currency: "KES", occurredAt };
    expect(await provider.parseWebhook(sandboxCallback("another-tenants-sandbox-secret", input))).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    const good = sandboxCallback(config.secret, input);
    expect(await provider.parseWebhook({ headers: new Headers(), rawBody: good.rawBody })).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    const altered = good.rawBody.replace('"amountMinor":150000', '"amountMinor":100');
    expect(await provider.parseWebhook({ headers: good.headers, rawBody: altered })).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it.each([
    ["not JSON", "{"],
    [
      "an unknown choice",
      JSON.stringify({
        type: "sandbox.payment",
        providerRef: "sbx_0123456789abcdef01234567",
        choice: "steal",
        amountMinor: 1,
        currency: "KES",
        occurredAt: occurredAt.toISOString(),
      }),
    ],
    [
      "a foreign ref",
      JSON.stringify({
        type: "sandbox.payment",
        providerRef: "pi_123",
        choice: "approve",
        amountMinor: 1,
        currency: "KES",
        occurredAt: occurredAt.toISOString(),
      }),
    ],
    [
      "a float amount",
      JSON.stringify({
        type: "sandbox.payment",
        providerRef: "sbx_0123456789abcdef01234567",
        choice: "approve",
        amountMinor: 1.5,
        currency: "KES",
        occurredAt: occurredAt.toISOString(),
      }),
    ],
  ])("rejects a signed but malformed callback (%s)", async (_label, rawBody) => {
    const headers = new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(config.secret, rawBody) });
    expect(await provider.parseWebhook({ headers, rawBody })).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("answers pending to queries (the sandbox keeps no state) and not found for foreign refs", async () => {
    const { providerRef } = await started();
    expect(await provider.query(providerRef)).toMatchObject({ ok: true, status: { providerRef, outcome: "pending", final: false } });
    expect(await provider.query("ws_CO_123")).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("refunds at once, and refuses what it cannot refund", async () => {
    const { providerRef } = await started();
    const refund = await provider.refund({ providerRef, amountMinor: 50_000, currency: "KES", reason: "demo", idempotencyKey: "refund-1" });
    expect(refund).toMatchObject({ status: "completed", refundRef: expect.stringMatching(/^sbxr_[a-f0-9]{24}$/) });
    const again = await provider.refund({ providerRef, amountMinor: 50_000, currency: "KES", reason: "demo", idempotencyKey: "refund-1" });
    expect(again.status === "completed" && refund.status === "completed" && again.refundRef === refund.refundRef).toBe(true);
    expect(await provider.refund({ providerRef, amountMinor: -5, currency: "KES", reason: "demo", idempotencyKey: "r" })).toMatchObject({
      status: "refused",
      reasonCode: "invalid_amount",
    });
    expect(
      await provider.refund({ providerRef: "pi_123", amountMinor: 5, currency: "KES", reason: "demo", idempotencyKey: "r" }),
    ).toMatchObject({
      status: "refused",
      reasonCode: "not_found",
    });
  });

  it("exists in test mode only, and keeps its secret out of logs", async () => {
    expect(() => providerFor("sandbox", { mode: "live", secret: config.secret })).toThrow(/test mode only/);
    expect(() => providerFor("sandbox", { mode: "test", secret: "short" })).toThrow(ProviderConfigError);
    const result = await started();
    const refund = await provider.refund({
      providerRef: result.providerRef,
      amountMinor: 1,
      currency: "KES",
      reason: "x",
      idempotencyKey: "r",
    });
    expect(JSON.stringify([result.exchange, refund.exchange, (await provider.query(result.providerRef)).exchange])).not.toContain(
      config.secret,
    );
  });
});

describe("provider factory and redaction", () => {
  it("knows the six providers and refuses an unknown configuration shape", () => {
    expect(PROVIDER_NAMES).toEqual(["mpesa", "paystack", "stripe", "sandbox", "curlec", "paypal"]);
    expect(() => providerFor("paystack", null)).toThrow(ProviderConfigError);
    expect(() => providerFor("stripe", { mode: "test" })).toThrow(/secretKey/);
    expect(providerFor("sandbox", config)).toMatchObject({ name: "sandbox", mode: "test" });
  });

  it("redacts sensitive keys and every known secret value, deeply", () => {
    const secret = "sk_test_abcdef123456";
    expect(
      redact(
        {
          headers: { Authorization: `Bearer ${secret}`, accept: "application/json" },
          body: { Password: "anything", nested: [{ note: `key was ${secret}` }], client_secret: "pi_1_secret_2", amount: 100, empty: null },
        },
        [secret, "abc"],
      ),
    ).toEqual({
      headers: { Authorization: "Bearer [redacted]", accept: "application/json" },
      body: { Password: "[redacted]", nested: [{ note: "key was [redacted]" }], client_secret: "[redacted]", amount: 100, empty: null },
    });
  });
});

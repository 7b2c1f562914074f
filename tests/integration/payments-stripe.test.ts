import { describe, expect, it } from "vitest";
import { startPayment } from "~/modules/payments/payments.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { createStripeMock, signedStripeWebhook, stripeEvent } from "../mocks/stripe";
import {
  ORIGIN,
  configureProvider,
  customerWithOrder,
  documentsEmail,
  eventsOf,
  issuanceCounts,
  orderRow,
  paymentsTenant,
  transactionRow,
  transactionsOf,
  processAll,
} from "../support/checkout";
import { eventually, ownerDb } from "../support/db";
import { expectJobFailures } from "../support/job-failures";
import { playThirdParties } from "../support/msw";

/** Card payments through Stripe (played by msw) and the payments core. */

const config = {
  mode: "test",
  secretKey: "sk_test_51KhHoldingsSecretKeyForTestsOnly0000",
  publishableKey: "pk_test_51KhHoldingsPublishable0000",
  webhookSecret: "whsec_kh8c2f0e6a4d9b1c3e5f7a9b1d3f5a7c9",
};

const stripe = createStripeMock({ secretKey: config.secretKey });
playThirdParties({ handlers: stripe.handlers });

async function stripeTenant() {
  const tenant = await paymentsTenant({ sandbox: false });
  await configureProvider(tenant, "stripe", config);
  return tenant;
}

async function payByCard(tenant: TenantInfo, customer: { user: { id: string; email: string }; orderId: string }) {
  const started = await startPayment(tenant, {
    target: { orderId: customer.orderId },
    userId: customer.user.id,
    method: "card",
    email: customer.user.email,
    origin: ORIGIN,
  });
  if (!started.ok) throw new Error(`startPayment: ${started.code} ${started.message}`);
  return { ...started, intentId: (await transactionRow(started.transactionId)).provider_ref! };
}

async function deliver(tenant: TenantInfo, event: Record<string, unknown>, secret = config.webhookSecret) {
  return receiveWebhook(tenant, "stripe", signedStripeWebhook(secret, event));
}

describe("Stripe checkout", () => {
  it("creates the PaymentIntent once with the attempt as idempotency key; a signed success completes it; a bad signature is refused", async () => {
    const tenant = await stripeTenant();
    const customer = await customerWithOrder(tenant, { method: "card" });
    const payment = await payByCard(tenant, customer);
    const tx = await transactionRow(payment.transactionId);
    expect(payment.customerAction).toMatchObject({
      type: "client_secret",
      publishableKey: config.publishableKey,
      clientSecret: expect.stringMatching(/^pi_.*_secret_/),
    });
    expect(tx).toMatchObject({ provider: "stripe", method: "card", status: "pending" });

    const creates = stripe.state.calls.filter(
      (c) =>
        c.method === "POST" &&
        c.path === "/v1/payment_intents" &&
        c.params.metadata &&
        (c.params.metadata as Record<string, string>).transactionId === tx.id,
    );
    const byKey = stripe.state.calls.filter((c) => c.idempotencyKey === tx.id);
    expect(byKey).toHaveLength(1);
    expect(byKey[0]).toMatchObject({
      method: "POST",
      path: "/v1/payment_intents",
      params: { amount: String(tx.amount_minor), currency: "kes" },
    });
    expect(creates.length).toBeLessThanOrEqual(1);

    // A second click: the same attempt, no second PaymentIntent.
    const again = await payByCard(tenant, customer);
    expect(again.transactionId).toBe(tx.id);
    expect(stripe.state.calls.filter((c) => c.idempotencyKey === tx.id)).toHaveLength(1);

    const succeeded = stripeEvent("payment_intent.succeeded", stripe.succeed(payment.intentId));
    // Signed with another secret, or tampered with after signing: 401, nothing stored.
    expect((await deliver(tenant, succeeded, "whsec_someoneElsesSecret000000000")).status).toBe(401);
    const tampered = signedStripeWebhook(config.webhookSecret, succeeded);
    expect(
      (
        await receiveWebhook(tenant, "stripe", {
          ...tampered,
          rawBody: tampered.rawBody.replace(`"amount": ${tx.amount_minor}`, `"amount": 1`),
        })
      ).status,
    ).toBe(401);
    expect(await eventsOf(tx.id)).toHaveLength(0);
    const rejected = await ownerDb()
      .selectFrom("gateway_log")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("kind", "=", "rejected_callback")
      .execute();
    expect(rejected).toHaveLength(2);

    expect(await deliver(tenant, succeeded)).toEqual({ status: 200, body: { received: true } });
    expect(await deliver(tenant, succeeded)).toMatchObject({ status: 200 });
    const events = await processAll(tenant, tx.id);
    expect(events.map((e) => [e.provider_event_id, e.deliveries, e.outcome])).toEqual([[succeeded.id, 2, "completed"]]);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", provider_receipt: expect.stringMatching(/^ch_/) });

    // The failure of an earlier card try, delivered late (out of order): ignored.
    const earlierFailure = stripeEvent("payment_intent.payment_failed", {
      ...stripe.state.intents.get(payment.intentId)!,
      status: "requires_payment_method",
      last_payment_error: {
        type: "card_error",
        code: "card_declined",
        decline_code: "insufficient_funds",
        message: "Your card has insufficient funds.",
      },
    });
    expect((await deliver(tenant, earlierFailure)).status).toBe(200);
    expect((await processAll(tenant, tx.id)).map((e) => e.outcome)).toEqual(["completed", "ignored_already_completed"]);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed" });

    await eventually(async () => (await documentsEmail(tenant.id, customer.orderId))?.status === "outbox", 30_000);
    expect(await issuanceCounts(tenant.id, customer.orderId)).toMatchObject({
      policies: 2,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
    });
  });

  it("a card declined, then the customer pays on the same PaymentIntent: the late success is confirmed with Stripe and taken", async () => {
    const tenant = await stripeTenant();
    const customer = await customerWithOrder(tenant, { method: "card" });
    const payment = await payByCard(tenant, customer);

    const failed = stripeEvent("payment_intent.payment_failed", stripe.decline(payment.intentId));
    expect((await deliver(tenant, failed)).status).toBe(200);
    await processAll(tenant, payment.transactionId);
    const afterFailure = await transactionRow(payment.transactionId);
    expect(afterFailure.status).toBe("failed");
    expect(afterFailure.failure_message).toBeTruthy();
    expect((await orderRow(customer.orderId)).status).toBe("draft");

    // The customer tries another card in the same Payment Element: Stripe's success arrives late.
    const retrievals = () =>
      stripe.state.calls.filter((c) => c.method === "GET" && c.path === `/v1/payment_intents/${payment.intentId}`).length;
    const before = retrievals();
    const succeeded = stripeEvent("payment_intent.succeeded", stripe.succeed(payment.intentId));
    const queries = () =>
      ownerDb()
        .selectFrom("gateway_log")
        .select("response")
        .where("transaction_id", "=", payment.transactionId)
        .where("kind", "=", "query")
        .execute();
    // The app's worker (no Stripe there: msw lives in this process) tries first and cannot reach
    // Stripe. That must not use the event up: the success is asked about again until Stripe answers.
    expectJobFailures({
      task: "process_provider_event",
      tenantId: tenant.id,
      error: new RegExp(`^RetryLater: stripe could not confirm ${payment.intentId}: An error occurred with our connection to Stripe`),
    });
    expect((await deliver(tenant, succeeded)).status).toBe(200);
    await eventually(async () => (await queries()).some((q) => q.response && "error" in (q.response as object)), 20_000);
    expect((await eventsOf(payment.transactionId)).map((e) => e.processed_at === null)).toEqual([false, true]);
    const events = await processAll(tenant, payment.transactionId);
    expect(events.map((e) => e.outcome)).toEqual(["failed", "late_success"]);
    expect(retrievals()).toBeGreaterThan(before); // confirmed with Stripe's API, not taken on the webhook's word
    expect(await transactionRow(payment.transactionId)).toMatchObject({ status: "completed" });
    expect((await orderRow(customer.orderId)).status).toBe("paid");

    await eventually(async () => (await documentsEmail(tenant.id, customer.orderId))?.status === "outbox", 30_000);
    expect(await issuanceCounts(tenant.id, customer.orderId)).toMatchObject({
      policies: 2,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
    });
    expect(await transactionsOf(customer.orderId)).toHaveLength(1);
  });
});

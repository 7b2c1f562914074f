import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { autoDebitInstalment, chargeSavedMethod } from "~/modules/payments/autodebit.server";
import { processProviderEvent } from "~/modules/payments/events.server";
import { startPayment } from "~/modules/payments/payments.server";
import { describeSavedCard, setAutoDebit } from "~/modules/payments/saved-methods.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { runPremiumSchedule } from "~/modules/policies/premiums.server";
import { addDays } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { createPaystackMock, PAYSTACK_API, paystackWebhook } from "../mocks/paystack";
import { createStripeMock, signedStripeWebhook, stripeEvent } from "../mocks/stripe";
import {
  ORIGIN,
  TWO_PRODUCTS,
  configureProvider,
  customerWithOrder,
  documentsEmail,
  eventsOf,
  paymentsTenant,
  policiesOf,
  transactionRow,
} from "../support/checkout";
import { eventually, ownerDb } from "../support/db";
import { expectJobFailures } from "../support/job-failures";

/**
 * Saved cards and auto-debit with the real providers' protocols (msw at the edge): Stripe keeps
 * the card under a Customer (setup_future_usage=off_session) and charges it with an off-session
 * PaymentIntent, one idempotency key per instalment; Paystack reports a reusable authorization and
 * charges it with charge_authorization, one reference per instalment. The suite's worker runs the
 * jobs too but cannot reach the providers (msw is in this process): its attempts fail, are
 * declared, and change nothing, while the same work runs here.
 */

const stripeConfig = {
  mode: "test",
  secretKey: "sk_test_51SavedCardsSecretKeyForTestsOnly00",
  publishableKey: "pk_test_51SavedCardsPublishable000",
  webhookSecret: "whsec_sv8c2f0e6a4d9b1c3e5f7a9b1d3f5a7c9",
};
const paystackConfig = {
  mode: "test",
  secretKey: "sk_test_5a7c9e2b4d6f8a0c1e3b5d7f9a8f2c4e6a0b1d3f",
  publicKey: "pk_test_9d2f4a6c8e0b1a3c5e7b",
};

const server = setupServer();
const stripe = createStripeMock({ secretKey: stripeConfig.secretKey });
const paystack = createPaystackMock({ secretKey: paystackConfig.secretKey });
beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  server.use(...stripe.handlers, ...paystack.handlers);
});
afterAll(() => server.close());

const methodsOf = (userId: string) =>
  ownerDb().selectFrom("payment_methods").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();
const instalments = (policyId: string) =>
  ownerDb().selectFrom("instalments").selectAll().where("policy_id", "=", policyId).orderBy("sequence").execute();
const savedCharges = (instalmentId: string) =>
  ownerDb()
    .selectFrom("transactions")
    .selectAll()
    .where("instalment_id", "=", instalmentId)
    .where("payment_method_id", "is not", null)
    .execute();
const failureNotices = (tenantId: string, instalmentId: string) =>
  ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("dedupe_key", "=", `autodebit_failed:${instalmentId}:email`)
    .execute();
const policyRow = (policyId: string) => ownerDb().selectFrom("policies").selectAll().where("id", "=", policyId).executeTakeFirstOrThrow();

async function processAll(tenant: TenantInfo, transactionId: string) {
  for (const e of await eventsOf(transactionId)) await processProviderEvent(tenant.id, e.id);
}

/** Buys monthly motor by card, asking to keep the card; `pay` plays the provider's success. */
async function boughtWithSavedCard(tenant: TenantInfo, pay: (providerRef: string, transactionId: string) => Promise<void>) {
  const { user, orderId } = await customerWithOrder(tenant, { lines: [TWO_PRODUCTS[0]!], method: "card" });
  const started = await startPayment(tenant, {
    target: { orderId },
    userId: user.id,
    method: "card",
    email: user.email,
    origin: ORIGIN,
    saveMethod: true,
  });
  if (!started.ok) throw new Error(`${started.code}: ${started.message}`);
  const tx = await transactionRow(started.transactionId);
  await pay(tx.provider_ref!, tx.id);
  await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
  const [policy] = await policiesOf(orderId);
  return { user, policy: policy!, transactionId: tx.id };
}

async function onAutoDebit(tenant: TenantInfo, userId: string, policyId: string) {
  const [method] = await methodsOf(userId);
  expect(await withTenant(tenant.id, (db) => setAutoDebit(db, userId, policyId, method!.id))).toEqual({ ok: true, on: true });
  return method!;
}

describe("saved cards with Stripe", () => {
  async function stripeTenant() {
    const tenant = await paymentsTenant({ sandbox: false });
    await configureProvider(tenant, "stripe", stripeConfig);
    // The worker's tries: it cannot reach Stripe (msw lives here), so they fail and are tried again.
    expectJobFailures(
      { task: "describe_saved_method", tenantId: tenant.id, error: /^Error: describe_saved_method \S+: provider_unavailable$/ },
      { task: "autodebit_instalment", tenantId: tenant.id, error: /^Error: autodebit \S+: the provider could not be reached/ },
    );
    return tenant;
  }

  const payStripe = (tenant: TenantInfo, paymentMethod: string) => async (intentId: string, transactionId: string) => {
    const event = stripeEvent("payment_intent.succeeded", stripe.succeed(intentId, { paymentMethod }));
    expect((await receiveWebhook(tenant, "stripe", signedStripeWebhook(stripeConfig.webhookSecret, event))).status).toBe(200);
    await processAll(tenant, transactionId);
  };

  it("keeps the card under one Customer, charges a due instalment off-session once, with the instalment's own key", async () => {
    const tenant = await stripeTenant();
    const { user, policy, transactionId } = await boughtWithSavedCard(tenant, payStripe(tenant, "pm_1SavedVisaCard0001"));

    const customers = stripe.state.calls.filter(
      (c) => c.path === "/v1/customers" && (c.params.metadata as { userId?: string })?.userId === user.id,
    );
    expect(customers).toHaveLength(1);
    expect(customers[0]!.idempotencyKey).toBe(`customer:${tenant.id}:${user.id}`);
    const intent = stripe.state.intents.get((await transactionRow(transactionId)).provider_ref!)!;
    expect(intent).toMatchObject({ setup_future_usage: "off_session", customer: expect.stringMatching(/^cus_/) });

    // Stripe's webhook names the card by id: a job asks Stripe for its brand and last 4.
    const [saved] = await methodsOf(user.id);
    expect(saved).toMatchObject({ provider: "stripe", fingerprint: "pm_1SavedVisaCard0001", last4: null, is_default: true });
    expect(saved!.reference_ciphertext).not.toContain("pm_1SavedVisaCard0001");
    expect(await describeSavedCard(tenant.id, saved!.id)).toBe("described");
    expect((await methodsOf(user.id))[0]).toMatchObject({ brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 });

    const method = await onAutoDebit(tenant, user.id, policy.id);
    const [, second] = await instalments(policy.id);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("completed");
    // Again (the job retried, the renewals module asking): the same charge, Stripe not asked again.
    const [charge] = await savedCharges(second!.id);
    expect(await chargeSavedMethod(tenant, { userId: user.id, instalmentId: second!.id })).toEqual({
      ok: true,
      transactionId: charge!.id,
      status: "completed",
    });
    const offSession = stripe.state.calls.filter(
      (c) => c.path === "/v1/payment_intents" && c.params.off_session === "true" && c.params.customer === intent.customer,
    );
    expect(offSession).toHaveLength(1);
    expect(offSession[0]).toMatchObject({
      idempotencyKey: charge!.id,
      params: { confirm: "true", payment_method: "pm_1SavedVisaCard0001", amount: String(second!.amount_minor), currency: "kes" },
    });
    expect(charge).toMatchObject({
      status: "completed",
      provider: "stripe",
      payment_method_id: method.id,
      provider_ref: expect.stringMatching(/^pi_/),
    });
    await eventually(async () => (await instalments(policy.id))[1]!.status === "paid", 30_000);
    expect(await savedCharges(second!.id)).toHaveLength(1);
  });

  it("a declined off-session charge is recorded, the customer told, and the instalment goes overdue into grace", async () => {
    const tenant = await stripeTenant();
    const { user, policy } = await boughtWithSavedCard(tenant, payStripe(tenant, "pm_card_chargeDeclined_0341"));
    await onAutoDebit(tenant, user.id, policy.id);
    const [, second] = await instalments(policy.id);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);

    expect(await autoDebitInstalment(tenant, second!.id)).toBe("failed");
    expect(await savedCharges(second!.id)).toMatchObject([{ status: "failed", failure_code: "insufficient_funds" }]);
    const [notice] = await failureNotices(tenant.id, second!.id);
    expect(notice).toMatchObject({ template: "autodebit_failed", recipient: user.email });
    expect(notice!.body_text).toContain("insufficient funds");
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("failed");
    expect(await failureNotices(tenant.id, second!.id)).toHaveLength(1);

    expect((await instalments(policy.id))[1]!.status).toBe("due");
    expect(await runPremiumSchedule(tenant, addDays(second!.due_date, 1), ORIGIN)).toMatchObject({ overdue: 1, toGrace: 1 });
    expect((await policyRow(policy.id)).status).toBe("grace");
  });
});

describe("saved cards with Paystack", () => {
  async function paystackTenant() {
    const tenant = await paymentsTenant({ sandbox: false });
    await configureProvider(tenant, "paystack", paystackConfig);
    expectJobFailures({
      task: "autodebit_instalment",
      tenantId: tenant.id,
      error: /^Error: autodebit \S+: the provider could not be reached/,
    });
    return tenant;
  }

  const payPaystack =
    (tenant: TenantInfo, card: NonNullable<Parameters<typeof paystack.pay>[1]>["card"] = {}) =>
    async (reference: string, transactionId: string) => {
      const body = paystack.pay(reference, { card });
      expect((await receiveWebhook(tenant, "paystack", paystackWebhook(paystackConfig.secretKey, body))).status).toBe(200);
      await processAll(tenant, transactionId);
    };

  it("keeps a reusable authorization; charges it once per instalment, asking again after a lost answer; an OTP request fails the charge", async () => {
    const tenant = await paystackTenant();
    const { user, policy } = await boughtWithSavedCard(tenant, payPaystack(tenant));
    const [saved] = await methodsOf(user.id);
    expect(saved).toMatchObject({ provider: "paystack", brand: "visa", last4: "4081", exp_month: 12, exp_year: 2030, is_default: true });
    expect(saved!.reference_ciphertext).not.toMatch(/AUTH_/);

    await onAutoDebit(tenant, user.id, policy.id);
    const [, second, third] = await instalments(policy.id);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);

    // The connection drops once: nothing known, nothing told; the job tries again with the same reference.
    server.use(http.post(`${PAYSTACK_API}/transaction/charge_authorization`, () => HttpResponse.error(), { once: true }));
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("retry");
    const [pending] = await savedCharges(second!.id);
    expect(pending).toMatchObject({ status: "pending" });
    expect(await failureNotices(tenant.id, second!.id)).toHaveLength(0);
    // Meanwhile the customer cannot pay it by hand: the card's answer may still come, and it would pay twice.
    expect(
      await startPayment(tenant, {
        target: { instalmentId: second!.id },
        userId: user.id,
        method: "card",
        email: user.email,
        origin: ORIGIN,
      }),
    ).toMatchObject({ ok: false, code: "saved_card_charge_pending" });
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("completed");
    const charges = paystack.state.requests.filter((r) => r.path === "/transaction/charge_authorization");
    expect(charges.at(-1)!.body).toMatchObject({
      reference: pending!.id,
      amount: second!.amount_minor,
      currency: "KES",
      email: user.email,
    });
    expect(await savedCharges(second!.id)).toMatchObject([{ id: pending!.id, status: "completed" }]);
    await eventually(async () => (await instalments(policy.id))[1]!.status === "paid", 30_000);

    // Paystack wants the customer (an OTP) for the next one: nobody is there, so it failed.
    const authorization = [...paystack.state.authorizations.values()].find((a) => a.email === user.email)!;
    authorization.outcome = "send_otp";
    await runPremiumSchedule(tenant, third!.due_date, ORIGIN);
    expect(await autoDebitInstalment(tenant, third!.id)).toBe("failed");
    expect(await savedCharges(third!.id)).toMatchObject([{ status: "failed", failure_code: "authentication_required" }]);
    expect(await failureNotices(tenant.id, third!.id)).toHaveLength(1);
  });

  it("a provider still unreachable on the job's last attempt fails the charge and tells the customer; an authorization that is not reusable is not kept", async () => {
    const tenant = await paystackTenant();
    const { user, policy } = await boughtWithSavedCard(tenant, payPaystack(tenant));
    await onAutoDebit(tenant, user.id, policy.id);
    const [, second] = await instalments(policy.id);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    server.use(http.post(`${PAYSTACK_API}/transaction/charge_authorization`, () => HttpResponse.error(), { once: true }));
    expect(await autoDebitInstalment(tenant, second!.id, { giveUp: true })).toBe("failed");
    expect(await savedCharges(second!.id)).toMatchObject([{ status: "failed", failure_code: "provider_unavailable" }]);
    expect(await failureNotices(tenant.id, second!.id)).toHaveLength(1);

    const other = await boughtWithSavedCard(tenant, payPaystack(tenant, { reusable: false }));
    expect(await methodsOf(other.user.id)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { startPayment } from "~/modules/payments/payments.server";
import { requestRefund, submitRefund } from "~/modules/payments/refunds.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { createPaystackMock, paystackRefundEvent, paystackWebhook } from "../mocks/paystack";
import {
  ORIGIN,
  configureProvider,
  customerWithOrder,
  documentsEmail,
  eventsOf,
  issuanceCounts,
  paymentsTenant,
  transactionRow,
  submitRefundWhenFree,
  processAll,
} from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import { expectJobFailures } from "../support/job-failures";
import { playThirdParties } from "../support/msw";

/** Card payments and refunds through Paystack (played by msw) and the payments core. */

const config = { mode: "test", secretKey: "sk_test_8f2c4e6a0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a", publicKey: "pk_test_1a3c5e7b9d2f4a6c8e0b" };

const paystack = createPaystackMock({ secretKey: config.secretKey });
playThirdParties({ handlers: paystack.handlers });

const refundsOf = (transactionId: string) =>
  ownerDb().selectFrom("refunds").selectAll().where("transaction_id", "=", transactionId).orderBy("created_at").execute();

describe("Paystack checkout and refunds", () => {
  it("initialize → authorization URL; a signed charge.success completes once; partial then full refund through the refund API", async () => {
    const tenant = await paymentsTenant({ sandbox: false });
    await configureProvider(tenant, "paystack", config);
    const customer = await customerWithOrder(tenant, { method: "card" });
    const staff = await createUser(tenant.id, { roles: ["admin"] });

    const started = await startPayment(tenant, {
      target: { orderId: customer.orderId },
      userId: customer.user.id,
      method: "card",
      email: customer.user.email,
      origin: ORIGIN,
    });
    if (!started.ok) throw new Error(started.message);
    const tx = await transactionRow(started.transactionId);
    const reference = tx.provider_ref!;
    const initialize = paystack.state.requests.find(
      (r) => r.path === "/transaction/initialize" && (r.body as { reference?: string }).reference === reference,
    );
    expect(initialize).toMatchObject({
      method: "POST",
      authorization: `Bearer ${config.secretKey}`,
      body: { amount: Number(tx.amount_minor), currency: "KES", email: customer.user.email },
    });
    const created = paystack.state.transactions.get(reference)!;
    expect(started.customerAction).toEqual({ type: "redirect", url: `https://checkout.paystack.com/${created.access_code}` });

    // The customer pays on Paystack's page; Paystack posts charge.success.
    const body = paystack.pay(reference);
    expect((await receiveWebhook(tenant, "paystack", paystackWebhook("sk_test_notTheMerchantsKey000000", body))).status).toBe(401);
    const signed = paystackWebhook(config.secretKey, body);
    expect(
      (await receiveWebhook(tenant, "paystack", { ...signed, rawBody: signed.rawBody.replace('"status":"success"', '"status":"failed"') }))
        .status,
    ).toBe(401);
    expect(await eventsOf(tx.id)).toHaveLength(0);
    expect(await receiveWebhook(tenant, "paystack", signed)).toEqual({ status: 200, body: { received: true } });
    expect((await receiveWebhook(tenant, "paystack", paystackWebhook(config.secretKey, body))).status).toBe(200);
    const events = await processAll(tenant, tx.id);
    expect(events.map((e) => [e.provider_event_id, e.deliveries, e.outcome])).toEqual([[`charge.success:${created.id}`, 2, "completed"]]);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", refunded_minor: 0 });
    await eventually(async () => (await documentsEmail(tenant.id, customer.orderId))?.status === "outbox", 30_000);
    expect(await issuanceCounts(tenant.id, customer.orderId)).toMatchObject({
      policies: 2,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
    });

    // A partial refund: recorded, sent to Paystack's refund API once, settled by refund.processed.
    const amount = Number(tx.amount_minor);
    const part = Math.floor(amount / 3);
    const refund = (amountMinor: number, reason = "Customer changed their mind") =>
      withTenant(tenant.id, (db) => requestRefund(db, tenant.id, { transactionId: tx.id, amountMinor, reason, userId: staff.id }));
    expect(await refund(part, "  ")).toMatchObject({ ok: false, field: "reason" });
    expect(await refund(0)).toMatchObject({ ok: false, field: "amount" });
    // The suite's worker tries to send each refund too, and cannot reach Paystack (msw is here).
    expectJobFailures({ task: "submit_refund", tenantId: tenant.id, error: /^Error: Refund \S+: network error/ });
    const first = await refund(part);
    if (!first.ok) throw new Error(first.message);
    // While it is in flight, what it promises back counts: no more than what is left.
    expect(await refund(amount - part + 1)).toMatchObject({ ok: false, field: "amount" });

    expect(await submitRefundWhenFree(tenant.id, first.refundId)).toBe("pending");
    expect(await submitRefund(tenant.id, first.refundId, ORIGIN)).toBe("not_requested");
    const paystackRefunds = paystack.state.refunds.filter((r) => (r.transaction as { reference: string }).reference === reference);
    expect(paystackRefunds).toHaveLength(1);
    expect(paystackRefunds[0]).toMatchObject({ amount: part, currency: "KES" });
    expect((await refundsOf(tx.id))[0]).toMatchObject({
      status: "pending",
      amount_minor: part,
      provider_refund_ref: String(paystackRefunds[0]!.id),
    });
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", refunded_minor: 0 });

    const processed = (id: unknown, amountMinor: number) =>
      paystackWebhook(
        config.secretKey,
        paystackRefundEvent("refund.processed", reference, { id: String(id), amount: amountMinor, currency: "KES" }),
      );
    expect((await receiveWebhook(tenant, "paystack", processed(paystackRefunds[0]!.id, part))).status).toBe(200);
    expect((await receiveWebhook(tenant, "paystack", processed(paystackRefunds[0]!.id, part))).status).toBe(200);
    await processAll(tenant, tx.id);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "partially_refunded", refunded_minor: part });
    expect((await refundsOf(tx.id))[0]).toMatchObject({ status: "completed" });

    // More than what is left is refused; exactly what is left refunds the payment in full.
    expect(await refund(amount - part + 1)).toMatchObject({ ok: false, field: "amount" });
    const second = await refund(amount - part);
    if (!second.ok) throw new Error(second.message);
    expect(await submitRefundWhenFree(tenant.id, second.refundId)).toBe("pending");
    const secondRef = paystack.state.refunds.at(-1)!;
    expect(secondRef).toMatchObject({ amount: amount - part });
    expect((await receiveWebhook(tenant, "paystack", processed(secondRef.id, amount - part))).status).toBe(200);
    await processAll(tenant, tx.id);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "refunded", refunded_minor: amount });
    expect((await refundsOf(tx.id)).map((r) => r.status)).toEqual(["completed", "completed"]);
    expect(await refund(1)).toMatchObject({ ok: false });

    // Every refund event is stored once, whatever the deliveries.
    const refundEvents = (await eventsOf(tx.id)).filter((e) => e.kind === "refund");
    expect(refundEvents.map((e) => e.deliveries)).toEqual([2, 1]);
    const changes = await ownerDb()
      .selectFrom("state_changes")
      .select(["from_state", "to_state"])
      .where("entity_id", "=", tx.id)
      .orderBy("created_at")
      .execute();
    expect(changes.map((c) => c.to_state)).toEqual(["pending", "completed", "partially_refunded", "refunded"]);
  });
});

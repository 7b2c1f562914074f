import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processProviderEvent, RetryLater } from "~/modules/payments/events.server";
import { startPayment } from "~/modules/payments/payments.server";
import { reconcileTenant } from "~/modules/payments/reconcile.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { DARAJA_SANDBOX, createDarajaMock, reversalResultBody, stkCallbackBody, type StkPush, DARAJA_TEST_CREDS } from "../mocks/daraja";
import {
  ORIGIN,
  configureProvider,
  customerWithOrder,
  documentsEmail,
  eventsOf,
  issuanceCounts,
  orderRow,
  paymentsTenant,
  policiesOf,
  transactionRow,
  transactionsOf,
  wholeShillingLines,
  submitRefundWhenFree,
} from "../support/checkout";
import { eventually, ownerDb } from "../support/db";
import { expectJobFailures } from "../support/job-failures";

/**
 * M-Pesa (Daraja, played by msw) through the payments core: STK push with normalised phones, the
 * callback for every ResultCode, the token that proves a callback, amounts and refs compared with
 * our record, success confirmed by STK query, and a lost callback caught by reconciliation.
 * Provider calls happen in this process (where msw is); the app's worker does the rest.
 */

const creds = DARAJA_TEST_CREDS;

const server = setupServer();
const daraja = createDarajaMock(creds);
beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  server.use(...daraja.handlers);
});
afterAll(() => server.close());

async function mpesaTenant() {
  const tenant = await paymentsTenant({ sandbox: false });
  await configureProvider(tenant, "mpesa", { mode: "test", ...creds });
  // The suite's worker takes each stored success too, but Daraja (msw) lives in this process: its
  // STK query cannot connect, so it leaves the event to be tried again, which finds it processed here.
  expectJobFailures({
    task: "process_provider_event",
    tenantId: tenant.id,
    error: /^RetryLater: mpesa could not confirm \S+: network error/,
  });
  return tenant;
}

interface Attempt {
  transactionId: string;
  push: StkPush;
  token: string;
}

async function start(
  tenant: TenantInfo,
  customer: { user: { id: string; email: string }; orderId: string },
  phone: string,
): Promise<Attempt> {
  const pushes = daraja.state.pushes.length;
  const started = await startPayment(tenant, {
    target: { orderId: customer.orderId },
    userId: customer.user.id,
    method: "mpesa",
    phone,
    email: customer.user.email,
    origin: ORIGIN,
  });
  if (!started.ok) throw new Error(`startPayment: ${started.code} ${started.message}`);
  expect(daraja.state.pushes.length).toBe(pushes + 1);
  const push = daraja.state.pushes.at(-1)!;
  // The token is never stored (only its hash): the callback URL Daraja was given is where it lives.
  const url = new URL(String(push.body.CallBackURL));
  expect(url.origin).toBe(ORIGIN);
  const token = url.pathname.split("/").at(-1)!;
  expect(url.pathname).toBe(`/webhooks/mpesa/${token}`);
  return { transactionId: started.transactionId, push, token };
}

function callback(body: unknown, token: string) {
  return { headers: new Headers({ "content-type": "application/json" }), rawBody: JSON.stringify(body), token };
}

/** Delivers a callback and processes what it stored here (the worker may get there first). */
async function deliver(tenant: TenantInfo, body: unknown, token: string) {
  const answer = await receiveWebhook(tenant, "mpesa", callback(body, token));
  expect(answer).toEqual({ status: 200, body: { ResultCode: 0, ResultDesc: "Accepted" } });
  const checkoutRequestId = (body as { Body: { stkCallback: { CheckoutRequestID: string } } }).Body.stkCallback.CheckoutRequestID;
  const resultCode = (body as { Body: { stkCallback: { ResultCode: number } } }).Body.stkCallback.ResultCode;
  const event = await ownerDb()
    .selectFrom("provider_events")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("provider", "=", "mpesa")
    .where("provider_event_id", "=", `stk:${checkoutRequestId}:${resultCode}`)
    .executeTakeFirstOrThrow();
  await processProviderEvent(tenant.id, event.id);
  return ownerDb()
    .selectFrom("provider_events")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("id", "=", event.id)
    .executeTakeFirstOrThrow();
}

/** The STK queries logged for a payment, oldest first, each with what Daraja answered. */
async function stkQueries(transactionId: string) {
  const rows = await ownerDb()
    .selectFrom("gateway_log")
    .select(["response", "created_at"])
    .where("transaction_id", "=", transactionId)
    .where("kind", "=", "query")
    .orderBy("created_at")
    .execute();
  return rows.map((row) => {
    const response = row.response as { error?: string; body?: { ResultCode?: string; errorCode?: string } } | null;
    const body = response?.body;
    const answer = response?.error
      ? "unreachable"
      : body?.ResultCode === "0"
        ? "paid"
        : body?.errorCode === "500.001.1001"
          ? "processing"
          : JSON.stringify(body);
    return { answer, at: row.created_at };
  });
}

describe("M-Pesa checkout", () => {
  it("normalises phones, handles every ResultCode, and takes a success only once the STK query confirms it", async () => {
    const tenant = await mpesaTenant();
    const customer = await customerWithOrder(tenant, { method: "mpesa", lines: wholeShillingLines() });

    const bad = await startPayment(tenant, {
      target: { orderId: customer.orderId },
      userId: customer.user.id,
      method: "mpesa",
      phone: "020 123 4567",
      email: customer.user.email,
      origin: ORIGIN,
    });
    expect(bad).toMatchObject({
      ok: false,
      code: "invalid_phone",
      fieldErrors: { phone: [expect.stringMatching(/Kenyan mobile number/)] },
    });
    expect(await transactionsOf(customer.orderId)).toHaveLength(0);

    const failures = [
      ["0712 345 678", "254712345678", "1032", "cancelled", "cancelled_by_customer", /cancelled/],
      ["+254 712 345 678", "254712345678", "1037", "expired", "no_response", /reach your phone/],
      ["254712345678", "254712345678", "2001", "failed", "wrong_pin", /PIN/],
      ["0712-345-678", "254712345678", "1", "failed", "insufficient_funds", /balance/],
      ["+254110123456", "254110123456", "1019", "expired", "expired", /expired/],
    ] as const;
    for (const [phone, normalised, resultCode, status, reason, message] of failures) {
      const attempt = await start(tenant, customer, phone);
      expect(attempt.push.body).toMatchObject({ PhoneNumber: normalised, PartyA: normalised });
      expect(Number(attempt.push.body.Amount) * 100).toBe(Number((await transactionRow(attempt.transactionId)).amount_minor));
      const event = await deliver(tenant, daraja.answer(attempt.push, resultCode), attempt.token);
      expect(event.transaction_id).toBe(attempt.transactionId);
      const tx = await transactionRow(attempt.transactionId);
      expect(tx).toMatchObject({ status, failure_code: reason, provider_ref: attempt.push.checkoutRequestId });
      expect(tx.failure_message).toMatch(message);
      expect((await orderRow(customer.orderId)).status).toBe("draft");
    }

    // Success: the callback alone is not enough while Daraja's STK query still says "processing".
    const attempt = await start(tenant, customer, "0110 123 456");
    expect(attempt.push.body.PhoneNumber).toBe("254110123456");
    const success = stkCallbackBody(attempt.push, "0", { receipt: "NLJ7RT61SV" });
    expect((await receiveWebhook(tenant, "mpesa", callback(success, attempt.token))).status).toBe(200);
    const [event] = await eventsOf(attempt.transactionId);
    await expect(processProviderEvent(tenant.id, event!.id)).rejects.toBeInstanceOf(RetryLater);
    expect(await transactionRow(attempt.transactionId)).toMatchObject({ status: "pending" });
    expect((await eventsOf(attempt.transactionId))[0]!.processed_at).toBeNull();

    // The customer's PIN went through: the query now confirms, and the event completes the payment.
    daraja.answer(attempt.push, "0");
    expect(await processProviderEvent(tenant.id, event!.id)).toBe("completed");
    const tx = await transactionRow(attempt.transactionId);
    expect(tx).toMatchObject({ status: "completed", provider_receipt: "NLJ7RT61SV", failure_code: null });
    // Taken on Daraja's word: asked (still processing, then paid) before the payment completed.
    // The suite's worker may ask about the same success at any moment, before or after (see the
    // next test): it cannot reach Daraja, so its queries go unanswered and change nothing.
    const answered = (await stkQueries(tx.id)).filter((q) => q.answer !== "unreachable");
    expect(answered.map((q) => q.answer)).toEqual(["processing", "paid"]);
    expect(answered.every((q) => q.at <= tx.completed_at!)).toBe(true);

    // A duplicate delivery is counted, not processed again.
    await receiveWebhook(tenant, "mpesa", callback(success, attempt.token));
    expect((await eventsOf(attempt.transactionId)).map((e) => [e.deliveries, e.outcome])).toEqual([[2, "completed"]]);

    await eventually(async () => (await documentsEmail(tenant.id, customer.orderId))?.status === "outbox", 30_000);
    expect(await issuanceCounts(tenant.id, customer.orderId)).toMatchObject({
      policies: 1,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
    });
    expect((await transactionsOf(customer.orderId)).map((t) => t.status)).toEqual([
      "cancelled",
      "expired",
      "failed",
      "failed",
      "expired",
      "completed",
    ]);
  });

  it("one success processed twice at once: the query that returns after the other took the payment changes nothing", async () => {
    const tenant = await mpesaTenant();
    const customer = await customerWithOrder(tenant, { method: "mpesa", lines: wholeShillingLines() });
    const attempt = await start(tenant, customer, "0712345678");
    const success = daraja.answer(attempt.push, "0", { receipt: "NLK3TWICE1" });
    expect((await receiveWebhook(tenant, "mpesa", callback(success, attempt.token))).status).toBe(200);
    const [event] = await eventsOf(attempt.transactionId);

    // The first processor's STK query is held at Daraja until the second has taken the payment;
    // then its connection drops. (The interleaving that once failed the test above at random: the
    // suite's worker, which cannot reach Daraja, asking about the same success.)
    let reached!: () => void;
    let release!: () => void;
    const atDaraja = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.post(
        `${DARAJA_SANDBOX}/mpesa/stkpushquery/v1/query`,
        async () => {
          reached();
          await released;
          return HttpResponse.error();
        },
        { once: true },
      ),
    );
    const slow = processProviderEvent(tenant.id, event!.id);
    await atDaraja;
    expect(await processProviderEvent(tenant.id, event!.id)).toBe("completed");
    release();
    await expect(slow).rejects.toBeInstanceOf(RetryLater);
    expect(await processProviderEvent(tenant.id, event!.id)).toBe("already_processed");

    const tx = await transactionRow(attempt.transactionId);
    expect(tx).toMatchObject({ status: "completed", provider_receipt: "NLK3TWICE1" });
    expect((await eventsOf(attempt.transactionId)).map((e) => e.outcome)).toEqual(["completed"]);
    // The gateway log tells it as it happened: the paying query before the payment completed, the
    // held one after it.
    const queries = await stkQueries(tx.id);
    const paid = queries.filter((q) => q.answer === "paid");
    expect(paid).toHaveLength(1);
    expect(paid[0]!.at <= tx.completed_at!).toBe(true);
    expect(queries.some((q) => q.answer === "unreachable" && q.at > tx.completed_at!)).toBe(true);
  });

  it("rejects a bad token, a wrong amount, and a result for another payment sent to this payment's URL", async () => {
    const tenant = await mpesaTenant();
    const a = await customerWithOrder(tenant, { method: "mpesa", lines: wholeShillingLines() });
    const b = await customerWithOrder(tenant, { method: "mpesa", lines: wholeShillingLines() });
    const attemptA = await start(tenant, a, "0712345678");
    const attemptB = await start(tenant, b, "0722000111");

    const eventCount = async () =>
      Number(
        (
          await ownerDb()
            .selectFrom("provider_events")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("tenant_id", "=", tenant.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const rejectedCount = async () =>
      (
        await ownerDb()
          .selectFrom("gateway_log")
          .selectAll()
          .where("tenant_id", "=", tenant.id)
          .where("kind", "=", "rejected_callback")
          .execute()
      ).length;

    // A forged token (or none): 401, nothing stored but the raw rejected callback.
    const forged = stkCallbackBody(attemptA.push, "0");
    for (const token of ["not-the-token", attemptA.token.slice(0, -1), ""]) {
      const answer = await receiveWebhook(tenant, "mpesa", callback(forged, token));
      expect(answer.status).toBe(401);
    }
    expect(await eventCount()).toBe(0);
    const rejected = await ownerDb()
      .selectFrom("gateway_log")
      .selectAll()
      .where("tenant_id", "=", tenant.id)
      .where("kind", "=", "rejected_callback")
      .execute();
    expect(rejected).toHaveLength(3);
    expect(rejected.every((r) => r.transaction_id === null && r.raw_body === JSON.stringify(forged))).toBe(true);
    expect(await transactionRow(attemptA.transactionId)).toMatchObject({ status: "pending" });

    // B's customer paid; B's success is posted to A's URL (A's valid token): A must not complete,
    // and B's event must not be used up by it. Likewise a result for an unknown CheckoutRequestID.
    const successB = daraja.answer(attemptB.push, "0", { receipt: "NLK2BBBBBB" });
    const unknownRef = stkCallbackBody({ ...attemptA.push, checkoutRequestId: "ws_CO_UNKNOWN000001" }, "1032");
    for (const body of [successB, unknownRef]) {
      const answer = await receiveWebhook(tenant, "mpesa", callback(body, attemptA.token));
      expect(answer.status).toBe(401);
    }
    expect(await eventCount()).toBe(0);
    const misrouted = await ownerDb()
      .selectFrom("gateway_log")
      .selectAll()
      .where("tenant_id", "=", tenant.id)
      .where("kind", "=", "rejected_callback")
      .where("transaction_id", "=", attemptA.transactionId)
      .execute();
    expect(misrouted).toHaveLength(2);
    expect(await transactionRow(attemptA.transactionId)).toMatchObject({ status: "pending", failure_code: null });

    // A success for another amount than asked is never taken.
    const wrongAmount = daraja.answer(attemptA.push, "0", { amount: Number(attemptA.push.body.Amount) - 1 });
    const mismatch = await deliver(tenant, wrongAmount, attemptA.token);
    expect(mismatch.outcome).toBe("rejected_amount_mismatch");
    expect(await transactionRow(attemptA.transactionId)).toMatchObject({ status: "pending", failure_code: "amount_mismatch" });
    expect((await orderRow(a.orderId)).status).toBe("draft");
    expect(await policiesOf(a.orderId)).toHaveLength(0);

    // B's own callback, to B's URL, is taken.
    const own = await deliver(tenant, successB, attemptB.token);
    expect(own).toMatchObject({ transaction_id: attemptB.transactionId, outcome: "completed" });
    expect(await transactionRow(attemptB.transactionId)).toMatchObject({ status: "completed", provider_receipt: "NLK2BBBBBB" });
    expect(await rejectedCount()).toBe(5);
  });

  it("a double click while the push is in flight prompts once; another number starts a new attempt", async () => {
    const tenant = await mpesaTenant();
    const customer = await customerWithOrder(tenant, { method: "mpesa", lines: wholeShillingLines() });
    const pushes = daraja.state.pushes.length;
    // Daraja takes its time to answer the push (it does): the second click arrives meanwhile.
    server.use(http.post(`${DARAJA_SANDBOX}/mpesa/stkpush/v1/processrequest`, async () => void (await delay(400)), { once: true }));
    const click = (phone: string) =>
      startPayment(tenant, {
        target: { orderId: customer.orderId },
        userId: customer.user.id,
        method: "mpesa",
        phone,
        email: customer.user.email,
        origin: ORIGIN,
      });
    const first = click("0712345678");
    await delay(100);
    const results = await Promise.all([first, click("0712 345 678"), click("+254712345678")]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(new Set(results.map((r) => r.ok && r.transactionId)).size).toBe(1);
    expect(results.map((r) => r.ok && r.customerAction)).toEqual(
      Array(3).fill({ type: "stk_push", phone: "254712345678", message: expect.any(String) }),
    );
    expect(daraja.state.pushes.length).toBe(pushes + 1);
    expect((await transactionsOf(customer.orderId)).map((t) => t.status)).toEqual(["pending"]);

    // The prompt went to the wrong phone: the customer corrects the number and gets a new prompt there.
    const corrected = await click("0722 000 111");
    expect(corrected).toMatchObject({ ok: true, customerAction: { type: "stk_push", phone: "254722000111" } });
    expect(daraja.state.pushes.length).toBe(pushes + 2);
    expect(daraja.state.pushes.at(-1)!.body.PhoneNumber).toBe("254722000111");
    const txs = await transactionsOf(customer.orderId);
    expect(txs.map((t) => [t.status, t.failure_code])).toEqual([
      ["expired", "replaced"],
      ["pending", null],
    ]);
  });

  it("paid twice (the replaced prompt paid as well): the order is issued once and the second payment is reversed", async () => {
    const tenant = await mpesaTenant();
    const customer = await customerWithOrder(tenant, { method: "mpesa", lines: wholeShillingLines() });
    const replaced = await start(tenant, customer, "0712345678");
    const current = await start(tenant, customer, "0722000111");
    expect((await transactionRow(replaced.transactionId)).status).toBe("expired");

    await deliver(tenant, daraja.answer(current.push, "0", { receipt: "NLK1CURRNT" }), current.token);
    expect((await orderRow(customer.orderId)).status).toBe("paid");
    // The customer had approved the first prompt too: M-Pesa took the money twice. The worker
    // will try to send the refund (to Daraja, out of its reach) before this test does.
    expectJobFailures({ task: "submit_refund", tenantId: tenant.id, error: /^Error: Refund \S+: network error/ });
    const late = await deliver(tenant, daraja.answer(replaced.push, "0", { receipt: "NLK2REPLCD" }), replaced.token);
    expect(late.outcome).toBe("late_success");
    expect(await transactionRow(replaced.transactionId)).toMatchObject({ status: "completed", provider_receipt: "NLK2REPLCD" });

    // The app's worker asks for the second payment back, in full, once.
    const refund = await eventually(
      async () =>
        (
          await ownerDb()
            .selectFrom("refunds")
            .selectAll()
            .where("tenant_id", "=", tenant.id)
            .where("transaction_id", "=", replaced.transactionId)
            .execute()
        )[0],
      30_000,
    );
    const amount = Number((await transactionRow(replaced.transactionId)).amount_minor);
    expect(refund).toMatchObject({ amount_minor: amount, policy_id: null });
    expect(refund.reason).toMatch(/Duplicate payment/);

    // Sent to Daraja's Reversal API (here, where msw is), then settled by the result callback. The
    // first try reaches Daraja but its answer is lost on the way back: the job tries again, and
    // Daraja's result for the first try must still find the refund.
    let firstResultUrl = "";
    server.use(
      http.post(
        `${DARAJA_SANDBOX}/mpesa/reversal/v1/request`,
        async ({ request }) => {
          firstResultUrl = String(((await request.json()) as Record<string, unknown>).ResultURL);
          return HttpResponse.error();
        },
        { once: true },
      ),
    );
    await expect(submitRefundWhenFree(tenant.id, refund.id)).rejects.toThrow(/Refund/);
    expect(firstResultUrl).toMatch(/\/webhooks\/mpesa\//);
    const tries = await ownerDb()
      .selectFrom("gateway_log")
      .select("response")
      .where("transaction_id", "=", replaced.transactionId)
      .where("kind", "=", "refund")
      .execute();
    expect(tries.some((t) => t.response && "error" in (t.response as object))).toBe(true);
    const reversals = daraja.state.reversals.length;
    expect(await submitRefundWhenFree(tenant.id, refund.id)).toBe("pending");
    expect(daraja.state.reversals.length).toBe(reversals + 1);
    const reversal = daraja.state.reversals.at(-1)!;
    expect(reversal.body).toMatchObject({ TransactionID: "NLK2REPLCD", Amount: amount / 100, CommandID: "TransactionReversal" });
    expect(String(reversal.body.ResultURL)).toBe(firstResultUrl);
    const token = new URL(firstResultUrl).pathname.split("/").at(-1)!;
    const result = reversalResultBody(reversal.conversationId, { amount: amount / 100, receipt: "NLK2REPLCD" });
    expect((await receiveWebhook(tenant, "mpesa", callback(result, "wrong-token"))).status).toBe(401);
    expect((await receiveWebhook(tenant, "mpesa", callback(result, token))).status).toBe(200);
    for (const e of await eventsOf(replaced.transactionId)) await processProviderEvent(tenant.id, e.id);
    expect(await transactionRow(replaced.transactionId)).toMatchObject({ status: "refunded", refunded_minor: amount });
    expect(await transactionRow(current.transactionId)).toMatchObject({ status: "completed", refunded_minor: 0 });

    await eventually(async () => (await documentsEmail(tenant.id, customer.orderId))?.status === "outbox", 30_000);
    const counts = await issuanceCounts(tenant.id, customer.orderId);
    expect(counts).toMatchObject({ policies: 1, receipts: 1, documentEmails: 1, orderPaid: 1 });
    const receipt = await ownerDb().selectFrom("receipts").select("transaction_id").where("tenant_id", "=", tenant.id).execute();
    expect(receipt).toEqual([{ transaction_id: current.transactionId }]);
  });

  it("refuses an amount with cents before anything is sent to Daraja (never rounds)", async () => {
    const tenant = await mpesaTenant();
    // Motor monthly with home in full: the bundle discount and levies leave cents.
    const customer = await customerWithOrder(tenant, { method: "mpesa" });
    const pushes = daraja.state.pushes.length;
    const result = await startPayment(tenant, {
      target: { orderId: customer.orderId },
      userId: customer.user.id,
      method: "mpesa",
      phone: "0712345678",
      email: customer.user.email,
      origin: ORIGIN,
    });
    const [tx] = await transactionsOf(customer.orderId);
    if (Number(tx!.amount_minor) % 100 === 0) return; // the catalogue happened to price in whole shillings
    expect(result).toMatchObject({ ok: false, code: "amount_not_whole_shillings" });
    expect(daraja.state.pushes.length).toBe(pushes);
    expect(tx).toMatchObject({ status: "failed", failure_code: "amount_not_whole_shillings" });
  });

  it("a lost callback: reconciliation asks Daraja, takes the success, and the order is issued", async () => {
    const tenant = await mpesaTenant();
    const customer = await customerWithOrder(tenant, { method: "mpesa", lines: wholeShillingLines() });
    const attempt = await start(tenant, customer, "0712345678");
    daraja.answer(attempt.push, "0"); // paid on the phone; the callback never arrives

    // Too fresh to ask about yet.
    expect(await reconcileTenant(tenant.id)).toMatchObject({ asked: 0, settled: 0 });
    await ownerDb()
      .updateTable("transactions")
      .set({ created_at: new Date(Date.now() - 10 * 60_000) })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", attempt.transactionId)
      .execute();
    expect(await reconcileTenant(tenant.id)).toMatchObject({ asked: 1, settled: 1, expired: 0, errors: 0 });
    expect(await transactionRow(attempt.transactionId)).toMatchObject({ status: "completed" });
    expect((await orderRow(customer.orderId)).status).toBe("paid");

    await eventually(async () => (await documentsEmail(tenant.id, customer.orderId))?.status === "outbox", 30_000);
    expect(await issuanceCounts(tenant.id, customer.orderId)).toMatchObject({
      policies: 1,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
    });

    // The callback turns up after all: nothing more happens.
    const late = await deliver(tenant, stkCallbackBody(attempt.push, "0"), attempt.token);
    expect(late.outcome).toBe("ignored_already_completed");
    expect(await reconcileTenant(tenant.id)).toMatchObject({ asked: 0 });
    expect(await issuanceCounts(tenant.id, customer.orderId)).toMatchObject({
      policies: 1,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
    });
  });
});

import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "~db/client";
import { startPayment } from "~/modules/payments/payments.server";
import { reconcileTenant } from "~/modules/payments/reconcile.server";
import { requestRefund } from "~/modules/payments/refunds.server";
import { paymentOptions } from "~/modules/payments/settings.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import { KHH_CURLEC, createCurlecMock, curlecLinkReturnSignature, curlecWebhook } from "../mocks/curlec";
import {
  ORIGIN,
  configureProvider,
  customerWithOrder,
  eventsOf,
  orderRow,
  paymentsTenant,
  processAll,
  submitRefundWhenFree,
  transactionRow,
} from "../support/checkout";
import { createUser, ownerDb } from "../support/db";
import { expectJobFailures } from "../support/job-failures";
import { playThirdParties } from "../support/msw";
import { hostOf, signIn, textOf } from "./accounts-support";

/**
 * Cards through Curlec by Payment Links (decision 044), played by msw, through the payments core:
 * the link, the signed return, the webhook inbox and job, reconciliation and refunds.
 */

const config = KHH_CURLEC;
const curlec = createCurlecMock({ keyId: config.keyId, keySecret: config.keySecret });
playThirdParties({ handlers: curlec.handlers, app: true });

/** A ringgit agency with Curlec (and the sandbox) on, and a member's order ready to pay (see payments-curlec.test.ts). */
async function paying() {
  const created = await paymentsTenant({ prefix: "KHC" });
  await configureProvider(created, "curlec", config);
  const customer = await customerWithOrder(created, { method: "card" });
  await withPlatform((db) => db.updateTable("tenants").set({ currency: "MYR", locale: "en-MY" }).where("id", "=", created.id).execute());
  const tenant = (await tenantById(created.id))!;
  const started = await startPayment(tenant, {
    target: { orderId: customer.orderId },
    userId: customer.user.id,
    method: "card",
    email: customer.user.email,
    origin: ORIGIN,
  });
  if (!started.ok) throw new Error(started.message);
  const tx = await transactionRow(started.transactionId);
  return { tenant, customer, started, tx, linkId: tx.provider_ref! };
}

const completions = (txId: string) =>
  ownerDb().selectFrom("state_changes").select("event").where("entity_id", "=", txId).where("to_state", "=", "completed").execute();
const returnLogs = (txId: string) =>
  ownerDb().selectFrom("gateway_log").select("response").where("transaction_id", "=", txId).where("kind", "=", "callback").execute();
const linkQueries = (linkId: string) => curlec.state.requests.filter((r) => r.method === "GET" && r.path === `/payment_links/${linkId}`);
const deliver = (tenant: { id: string }, body: unknown, eventId: string, secret = config.webhookSecret) =>
  receiveWebhook(tenant, "curlec", curlecWebhook(secret, body, eventId));

describe("Curlec cards by Payment Links", () => {
  it("offers cards through Curlec in ringgit, and starts one card-only link per attempt", async () => {
    const { tenant, customer, started, tx, linkId } = await paying();
    const options = await withTenant(tenant.id, (db) => paymentOptions(db, tenant));
    expect(options.find((o) => o.method === "card")).toMatchObject({ provider: "curlec" });
    expect(tx).toMatchObject({ provider: "curlec", method: "card", currency: "MYR", status: "pending" });
    expect(linkId).toMatch(/^plink_/);
    const link = curlec.state.links.get(linkId)!;
    expect(link).toMatchObject({
      amount: Number(tx.amount_minor),
      currency: "MYR",
      reference_id: tx.id,
      callback_url: `${ORIGIN}/payments/curlec/return/${tx.id}`,
      callback_method: "get",
      notify: { sms: false, email: false },
    });
    const create = curlec.state.requests.find(
      (r) => r.method === "POST" && r.path === "/payment_links" && (r.body as { reference_id?: string }).reference_id === tx.id,
    );
    expect(create?.body).toMatchObject({ options: { checkout: { method: { card: true, netbanking: false, upi: false, wallet: false } } } });
    expect(started.customerAction).toEqual({ type: "redirect", url: link.short_url });

    // A second click on "Pay" is the same attempt: no second link.
    const again = await startPayment(tenant, {
      target: { orderId: customer.orderId },
      userId: customer.user.id,
      method: "card",
      email: customer.user.email,
      origin: ORIGIN,
    });
    expect(again).toMatchObject({ ok: true, transactionId: tx.id });
    expect([...curlec.state.links.values()].filter((l) => l.reference_id === tx.id)).toHaveLength(1);
  });

  it("the signed return completes the payment once; forged, misdirected and tampered returns change nothing", async () => {
    const { tenant, customer, tx, linkId } = await paying();
    const { query, paid } = curlec.payLink(linkId);
    const browser = await signIn(hostOf(tenant), customer.user.email);
    const statusPage = `/checkout/${customer.orderId}/pay/${tx.id}`;
    const back = (params: Record<string, string>) => browser.get(`/payments/curlec/return/${tx.id}?${new URLSearchParams(params)}`);
    const sign = (link: string, status: string) =>
      curlecLinkReturnSignature(config.keySecret, link, tx.id, status, query.razorpay_payment_id);

    const refused = [
      { ...query, razorpay_signature: "0".repeat(64) },
      // Signed for someone else's link, and naming it: the link we stored decides.
      { ...query, razorpay_payment_link_id: "plink_Someone00001", razorpay_signature: sign("plink_Someone00001", "paid") },
      // Signed while the link was still open, then the status changed to "paid" by hand.
      { ...query, razorpay_signature: sign(linkId, "created") },
      // Signed with the webhook secret, not the key secret.
      {
        ...query,
        razorpay_signature: curlecLinkReturnSignature(config.webhookSecret, linkId, tx.id, "paid", query.razorpay_payment_id),
      },
    ];
    for (const params of refused) {
      expect(await back(params)).toMatchObject({ status: 302, location: statusPage });
    }
    expect(await transactionRow(tx.id)).toMatchObject({ status: "pending", provider_receipt: null });
    expect(await returnLogs(tx.id)).toHaveLength(0);

    expect(await back(query)).toMatchObject({ status: 302, location: statusPage });
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", provider_receipt: query.razorpay_payment_id });
    expect(await orderRow(customer.orderId)).toMatchObject({ status: "paid" });
    // A reload of the return, and Curlec's webhook arriving after it: nothing more happens.
    expect(await back(query)).toMatchObject({ status: 302, location: statusPage });
    expect((await deliver(tenant, paid, "EvtKhcLate1")).status).toBe(200);
    const events = await processAll(tenant, tx.id);
    expect(events.map((e) => e.outcome)).toEqual(["ignored_already_completed"]);
    expect(await completions(tx.id)).toEqual([{ event: "complete" }]);
    // Two good returns and the webhook, each in the gateway log.
    expect(await returnLogs(tx.id)).toHaveLength(3);

    // Someone else's payment is not found.
    const stranger = await signIn(hostOf(tenant), (await createUser(tenant.id)).email);
    expect((await stranger.get(`/payments/curlec/return/${tx.id}?${new URLSearchParams(query)}`)).status).toBe(404);
  });

  it("payment_link.paid completes the payment exactly once: forged refused, replays counted", async () => {
    const { tenant, tx, linkId } = await paying();
    const { paid, captured, payment } = curlec.payLink(linkId);
    expect((await deliver(tenant, paid, "EvtKhcPaid1", config.keySecret)).status).toBe(401);
    const tampered = curlecWebhook(config.webhookSecret, paid, "EvtKhcPaid1");
    const forged = { ...tampered, rawBody: tampered.rawBody.replace(`"amount_paid":${tx.amount_minor}`, '"amount_paid":1') };
    expect(forged.rawBody).not.toBe(tampered.rawBody);
    expect((await receiveWebhook(tenant, "curlec", forged)).status).toBe(401);
    expect(await eventsOf(tx.id)).toHaveLength(0);

    expect(await deliver(tenant, paid, "EvtKhcPaid1")).toEqual({ status: 200, body: { received: true } });
    expect((await deliver(tenant, paid, "EvtKhcPaid1")).status).toBe(200);
    // The capture of the order Curlec made for the link names that order, not our link: it is kept, and moves nothing.
    expect((await deliver(tenant, captured, "EvtKhcCap1")).status).toBe(200);
    const events = await processAll(tenant, tx.id);
    expect(events.map((e) => [e.provider_event_id, e.deliveries, e.outcome])).toEqual([
      [`payment_link.paid:${linkId}:EvtKhcPaid1`, 2, "completed"],
    ]);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", provider_receipt: payment.id });
    expect(await completions(tx.id)).toHaveLength(1);
  });

  it("an expired or cancelled link fails the payment", async () => {
    const expired = await paying();
    expect((await deliver(expired.tenant, curlec.endLink(expired.linkId, "expired"), "EvtKhcExp1")).status).toBe(200);
    await processAll(expired.tenant, expired.tx.id);
    expect(await transactionRow(expired.tx.id)).toMatchObject({ status: "expired", failure_code: "link_expired" });

    const cancelled = await paying();
    expect((await deliver(cancelled.tenant, curlec.endLink(cancelled.linkId, "cancelled"), "EvtKhcCan1")).status).toBe(200);
    await processAll(cancelled.tenant, cancelled.tx.id);
    expect(await transactionRow(cancelled.tx.id)).toMatchObject({ status: "cancelled", failure_code: "link_cancelled" });
  });

  it("a card payment whose webhook never came is completed by reconciliation asking the link", async () => {
    const { tenant, tx, linkId } = await paying();
    const { payment } = curlec.payLink(linkId);
    await ownerDb()
      .updateTable("transactions")
      .set({ created_at: sql<Date>`now() - interval '5 minutes'` })
      .where("id", "=", tx.id)
      .execute();
    expect(await reconcileTenant(tenant.id)).toMatchObject({ asked: 1, settled: 1, errors: 0 });
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", provider_receipt: payment.id });
    expect(linkQueries(linkId)).toHaveLength(1);
  });

  it("refunds a card payment on its captured card payment", async () => {
    const { tenant, tx, linkId } = await paying();
    const { paid, payment } = curlec.payLink(linkId);
    await deliver(tenant, paid, "EvtKhcPaid2");
    await processAll(tenant, tx.id);
    expectJobFailures({ task: "submit_refund", tenantId: tenant.id, error: /network error/ });
    const staff = await createUser(tenant.id);
    const refund = await withTenant(tenant.id, (db) =>
      requestRefund(db, tenant.id, { transactionId: tx.id, amountMinor: 1_000, reason: "Cooling-off", userId: staff.id }),
    );
    if (!refund.ok) throw new Error(refund.message);
    expect(await submitRefundWhenFree(tenant.id, refund.refundId)).toBe("pending");
    expect(curlec.state.refunds.filter((r) => r.payment_id === payment.id)).toEqual([
      expect.objectContaining({ amount: 1_000, receipt: expect.any(String) }),
    ]);
  });

  it("answers a return address with control characters or oversized values with a clear error page, changing nothing", async () => {
    const { tenant, customer, tx, linkId } = await paying();
    const { query } = curlec.payLink(linkId);
    const browser = await signIn(hostOf(tenant), customer.user.email);
    const base = `/payments/curlec/return/${tx.id}?${new URLSearchParams(query)}`;
    const ours = "This link back from Curlec could not be read";
    // A NUL is refused by the app's front door for every address, in its own words; the rest here.
    for (const [hostile, says] of [
      ["&razorpay_signature=ab%00cd", "NUL character"],
      ["&razorpay_payment_link_status=paid%0D%0ASet-Cookie:%20x=1", ours],
      ["&razorpay_signature=ab%0Acd", ours],
      [`&razorpay_payment_id=pay_${"x".repeat(5_000)}`, ours],
      [`&razorpay_payment_link_status=${"paid".repeat(20)}`, ours],
    ] as const) {
      const res = await browser.get(base + hostile);
      expect(res.status, hostile.slice(0, 60)).toBe(400);
      expect(textOf(res.text)).toContain(says);
    }
    expect(await transactionRow(tx.id)).toMatchObject({ status: "pending" });
    expect(await returnLogs(tx.id)).toHaveLength(0);
  });
});

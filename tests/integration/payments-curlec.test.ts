import { describe, expect, it } from "vitest";
import { withPlatform } from "~db/client";
import { processProviderEvent } from "~/modules/payments/events.server";
import { startPayment } from "~/modules/payments/payments.server";
import { providerFor, takesMandates } from "~/modules/payments/providers/index.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import { CURLEC_ERRORS, KHH_CURLEC, createCurlecMock, curlecReturnSignature, curlecWebhook } from "../mocks/curlec";
import { ORIGIN, configureProvider, customerWithOrder, eventsOf, paymentsTenant, transactionRow, processAll } from "../support/checkout";
import { createUser, ownerDb } from "../support/db";
import { playThirdParties } from "../support/msw";
import { hostOf, signIn } from "./accounts-support";

/** FPX through Curlec (played by msw) and the payments core: the webhook inbox, the job, the signed return. */

const config = KHH_CURLEC;
const curlec = createCurlecMock({ keyId: config.keyId, keySecret: config.keySecret });
// The app under test is reached over real HTTP; anything else unplayed is an error.
playThirdParties({ handlers: curlec.handlers, app: true });

/**
 * An agency with Curlec on. The order is made (planned for a sandbox card) while it is still Kenyan:
 * the checkout helpers fill in Kenyan identity documents. Then it turns Malaysian (ringgit), which
 * is what offers FPX, through Curlec.
 */
async function agencyWithOrder() {
  const created = await paymentsTenant({ prefix: "KHH" });
  await configureProvider(created, "curlec", config);
  const customer = await customerWithOrder(created, { method: "card" });
  await withPlatform((db) => db.updateTable("tenants").set({ currency: "MYR", locale: "en-MY" }).where("id", "=", created.id).execute());
  return { tenant: (await tenantById(created.id))!, customer };
}

async function paying() {
  const { tenant, customer } = await agencyWithOrder();
  const started = await startPayment(tenant, {
    target: { orderId: customer.orderId },
    userId: customer.user.id,
    method: "fpx",
    bankCode: "MB2U0227",
    email: customer.user.email,
    origin: ORIGIN,
  });
  if (!started.ok) throw new Error(started.message);
  const tx = await transactionRow(started.transactionId);
  return { tenant, customer, started, tx, orderId: tx.provider_ref! };
}

describe("Curlec FPX checkout", () => {
  it("starts an FPX payment on a Curlec order and comes back through the signed return route", async () => {
    const { tenant, customer, started, tx, orderId } = await paying();
    expect(tx).toMatchObject({ provider: "curlec", method: "fpx", currency: "MYR", status: "pending" });
    expect(curlec.state.orders.get(orderId)).toMatchObject({ receipt: tx.id, amount: Number(tx.amount_minor), currency: "MYR" });
    const create = curlec.state.requests.find(
      (r) => r.path === "/payments/create/json" && (r.body as { order_id?: string }).order_id === orderId,
    );
    expect(create?.body).toMatchObject({ bank: "MB2U0227", callback_url: `${ORIGIN}/payments/curlec/return/${tx.id}` });
    expect(started.customerAction).toMatchObject({ type: "redirect" });

    // The bank sends the customer back: a good signature for OUR order is noted, a forged one is not.
    const paymentId = [...curlec.state.payments.values()].find((p) => p.order_id === orderId)!.id;
    const browser = await signIn(hostOf(tenant), customer.user.email);
    const returnOf = (order: string, signedOrder: string) =>
      `/payments/curlec/return/${tx.id}?razorpay_payment_id=${paymentId}&razorpay_order_id=${order}&razorpay_signature=${curlecReturnSignature(config.keySecret, signedOrder, paymentId)}`;
    const returns = () =>
      ownerDb().selectFrom("gateway_log").select("response").where("transaction_id", "=", tx.id).where("kind", "=", "callback").execute();

    // Signed for another order, and naming it: the order we stored decides, so it is refused.
    const forged = await browser.get(returnOf("order_Someone0001", "order_Someone0001"));
    expect(forged).toMatchObject({ status: 302, location: `/checkout/${customer.orderId}/pay/${tx.id}` });
    expect(await returns()).toHaveLength(0);
    const garbage = await browser.get(`/payments/curlec/return/${tx.id}?razorpay_payment_id=${paymentId}&razorpay_signature=00`);
    expect(garbage.status).toBe(302);
    expect(await returns()).toHaveLength(0);

    const good = await browser.get(returnOf(orderId, orderId));
    expect(good).toMatchObject({ status: 302, location: `/checkout/${customer.orderId}/pay/${tx.id}` });
    expect(await returns()).toEqual([{ response: { note: `return: signature verified for ${paymentId}` } }]);
    // The return decides nothing: the payment is pending until Curlec's webhook says otherwise.
    expect(await transactionRow(tx.id)).toMatchObject({ status: "pending" });

    // Someone else's transaction is not found; so is a signed-out visitor sent to sign in.
    const stranger = await signIn(hostOf(tenant), (await createUser(tenant.id)).email);
    expect((await stranger.get(returnOf(orderId, orderId))).status).toBe(404);
  });

  it("takes signed webhooks once, applies them by job, and a late or reordered failure does not undo the payment", async () => {
    const { tenant, tx, orderId } = await paying();
    const firstTry = curlec.fail(orderId, CURLEC_ERRORS.cancelled);
    const { captured, paid } = curlec.pay(orderId);

    expect((await receiveWebhook(tenant, "curlec", curlecWebhook(config.keySecret, captured, "EvtKhCap1"))).status).toBe(401);
    const tampered = curlecWebhook(config.webhookSecret, captured, "EvtKhCap1");
    expect(
      (await receiveWebhook(tenant, "curlec", { ...tampered, rawBody: tampered.rawBody.replace('"captured"', '"failed"') })).status,
    ).toBe(401);
    expect(await eventsOf(tx.id)).toHaveLength(0);

    // Delivered out of order: order.paid first, then the capture twice, then the earlier failure, late.
    const deliver = (body: unknown, id: string) => receiveWebhook(tenant, "curlec", curlecWebhook(config.webhookSecret, body, id));
    expect(await deliver(paid, "EvtKhPaid1")).toEqual({ status: 200, body: { received: true } });
    expect((await deliver(captured, "EvtKhCap1")).status).toBe(200);
    expect((await deliver(captured, "EvtKhCap1")).status).toBe(200);
    expect((await deliver(firstTry, "EvtKhFail1")).status).toBe(200);
    const events = await processAll(tenant, tx.id);
    expect(events.map((e) => [e.provider_event_id.split(":")[0], e.deliveries])).toEqual([
      ["order.paid", 1],
      ["payment.captured", 2],
      ["payment.failed", 1],
    ]);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", amount_minor: tx.amount_minor });
    // Processing again changes nothing.
    for (const e of events) expect(await processProviderEvent(tenant.id, e.id)).toBe("already_processed");

    // Mandate events are stored, and processed once by the job.
    const mandateOrder = await (async () => {
      const provider = providerFor("curlec", config);
      if (!takesMandates(provider)) throw new Error("no mandates");
      const created = await provider.createMandate({
        tenantId: tenant.id,
        mandateId: "7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
        reference: "KHH-POL-2026-000001",
        firstAmountMinor: 100,
        maxAmountMinor: 15_000,
        currency: "MYR",
        expiresAt: "2031-12-31T00:00:00Z",
        method: "fpx",
        bankCode: "MB2U0227",
        customer: { name: "Siti Aminah", email: "siti@example.my" },
        description: "Hibah plan",
        returnUrl: `${ORIGIN}/account`,
        idempotencyKey: "mandate-1",
      });
      if (created.status !== "pending") throw new Error(JSON.stringify(created));
      return created.providerRef;
    })();
    const { token, event } = curlec.authorise(mandateOrder);
    expect((await deliver(event, "EvtKhTok1")).status).toBe(200);
    const stored = await ownerDb()
      .selectFrom("provider_events")
      .select(["id", "kind", "event"])
      .where("tenant_id", "=", tenant.id)
      .where("kind", "=", "mandate")
      .executeTakeFirstOrThrow();
    expect(stored.event).toMatchObject({ kind: "mandate", status: "active", mandateRef: token.id, customerRef: token.customer_id });
    // Applied by the mandates module (decision 046): a token for an authorisation no mandate of ours started changes nothing.
    // (The worker may have taken it first: then the outcome it stored is the answer.)
    await processProviderEvent(tenant.id, stored.id);
    const processed = await ownerDb().selectFrom("provider_events").select("outcome").where("id", "=", stored.id).executeTakeFirstOrThrow();
    expect(processed.outcome).toBe("unknown_mandate");
  });
});

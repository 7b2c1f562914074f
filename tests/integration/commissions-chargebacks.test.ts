import type { JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { recordCommissionsTask } from "~/jobs/commissions";
import { clawbackChargeback, clawbackRefund } from "~/modules/commissions/clawback.server";
import { closeMonth } from "~/modules/commissions/close.server";
import { statementData } from "~/modules/commissions/statements.server";
import { processProviderEvent } from "~/modules/payments/events.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import { paystackDisputeEvent, paystackWebhook } from "../mocks/paystack";
import { createStripeMock, signedStripeWebhook, stripeEvent } from "../mocks/stripe";
import { formatMoney } from "~/lib/money";
import { configureProvider, eventsOf } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import { hostOf, signIn, textOf } from "./accounts-support";
import { insertAgent, insertRules, insertSale, KL, networkTenant, product, record, TENANT_CONTEXT, tiers } from "./commissions-support";
import { addAgent } from "./network-support";

/**
 * Chargebacks end to end: a provider's signed dispute webhook is received and stored once, the
 * job's processing records the chargeback and moves it forward only, and a lost one takes the
 * payment's commissions back (the worker runs the clawback job) exactly as a refund of its amount
 * would — and together with refunds never more than was earned.
 */

const stripeConfig = {
  mode: "test",
  secretKey: "sk_test_51KhHoldingsSecretKeyForTestsOnly0000",
  publishableKey: "pk_test_51KhHoldingsPublishable0000",
  webhookSecret: "whsec_kh8c2f0e6a4d9b1c3e5f7a9b1d3f5a7c9",
};
const paystackConfig = {
  mode: "test",
  secretKey: "sk_test_8f2c4e6a0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a",
  publicKey: "pk_test_1a3c5e7b9d2f4a6c8e0b",
};

// Used only to build Stripe's objects (PaymentIntents, disputes): nothing here calls Stripe.
const stripe = createStripeMock({ secretKey: stripeConfig.secretKey });

const at = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day, 4));
const unix = (date: Date) => Math.floor(date.getTime() / 1000);
let intents = 0;

/**
 * An agency on KHHoldings' terms taking cards through Stripe and Paystack (months close only when a
 * test says), a sponsor and the seller they recruited (who can sign in to the agent portal).
 */
async function cardTenant() {
  const tenant = await networkTenant();
  await withTenant(tenant.id, (db) => db.updateTable("network_settings").set({ auto_close: false }).execute());
  await configureProvider(tenant, "stripe", stripeConfig);
  await configureProvider(tenant, "paystack", paystackConfig);
  const productId = await product(tenant.id);
  await insertRules(tenant.id, productId, "monthly", tiers(1111, 222));
  const sponsor = await insertAgent(tenant.id, null);
  const seller = await addAgent(tenant.id, { sponsorId: sponsor, name: "Siti Seller" });
  return { tenant, productId, seller: seller.id, sellerEmail: seller.email, sponsor };
}

type Setup = Awaited<ReturnType<typeof cardTenant>>;

/** A RM150 card payment through Stripe in September whose commissions are recorded: RM16.67 and RM3.33. */
async function stripeSale(s: Setup, when = at(9, 10)) {
  intents += 1;
  const intentId = `pi_3PqChargeback${process.pid}x${intents}${Date.now().toString(36)}`;
  stripe.state.intents.set(intentId, {
    id: intentId,
    object: "payment_intent",
    amount: 150_00,
    amount_received: 150_00,
    currency: "myr",
    latest_charge: `ch_3Pq${intentId.slice(-10)}`,
    status: "succeeded",
  });
  const sale = await insertSale(s.tenant.id, {
    agentId: s.seller,
    productId: s.productId,
    frequency: "monthly",
    amountMinor: 150_00,
    at: when,
    provider: "stripe",
    providerRef: intentId,
  });
  await record(s.tenant.id, [sale.transactionId]);
  return { ...sale, intentId };
}

/** Delivers a signed Stripe dispute event (twice when asked) and processes what is stored, as the job does. */
async function deliverDispute(
  s: Setup,
  transactionId: string,
  type: string,
  dispute: Record<string, unknown>,
  options: { created?: Date; times?: number } = {},
) {
  const event = stripeEvent(type, dispute, options.created ? { created: unix(options.created) } : {});
  for (let i = 0; i < (options.times ?? 1); i++) {
    expect(await receiveWebhook(s.tenant, "stripe", signedStripeWebhook(stripeConfig.webhookSecret, event))).toEqual({
      status: 200,
      body: { received: true },
    });
  }
  for (const e of await eventsOf(transactionId)) await processProviderEvent(s.tenant.id, e.id);
  return (await eventsOf(transactionId)).find((e) => e.provider_event_id === event.id)!;
}

function chargebacksOf(tenantId: string, transactionId: string) {
  return withTenant(tenantId, (db) =>
    db.selectFrom("chargebacks").selectAll().where("transaction_id", "=", transactionId).orderBy("opened_at").execute(),
  );
}

async function clawbacksOf(tenantId: string, transactionId: string) {
  return withTenant(tenantId, (db) =>
    db
      .selectFrom("commission_entries")
      .select(["agent_id", "amount_minor", "month", "refund_id", "chargeback_id", "note", "reverses_entry_id"])
      .where("transaction_id", "=", transactionId)
      .where("kind", "=", "clawback")
      .orderBy("created_at")
      .orderBy("amount_minor")
      .execute(),
  );
}

/** Waits for the worker's clawback job to write `count` clawback entries of the payment. */
function clawbacksWritten(tenantId: string, transactionId: string, count: number) {
  return eventually(async () => {
    const rows = await clawbacksOf(tenantId, transactionId);
    return rows.length >= count ? rows : null;
  });
}

const sum = (rows: { amount_minor: number }[]) => rows.reduce((t, r) => t + r.amount_minor, 0);

async function completedRefund(tenantId: string, transactionId: string, amountMinor: number, completedAt: Date) {
  return withTenant(tenantId, async (db) => {
    const refund = await db
      .insertInto("refunds")
      .values({
        transaction_id: transactionId,
        amount_minor: amountMinor,
        reason: "Cooling-off",
        status: "completed",
        completed_at: completedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .updateTable("transactions")
      .set({ status: "partially_refunded", refunded_minor: amountMinor })
      .where("id", "=", transactionId)
      .execute();
    return refund.id;
  });
}

describe("Stripe chargebacks", () => {
  it("records an opened dispute and takes nothing back; lost, it takes back what a full refund would, once", async () => {
    const s = await cardTenant();
    const sale = await stripeSale(s);

    const opened = await deliverDispute(
      s,
      sale.transactionId,
      "charge.dispute.created",
      stripe.dispute(sale.intentId, { created: unix(at(10, 1)) }),
      { created: at(10, 2) },
    );
    expect(opened).toMatchObject({ kind: "dispute", outcome: "chargeback_opened", deliveries: 1 });
    const [open] = await chargebacksOf(s.tenant.id, sale.transactionId);
    expect(open).toMatchObject({
      provider: "stripe",
      provider_dispute_ref: stripe.state.disputes.get(sale.intentId)!.id,
      status: "open",
      amount_minor: 150_00,
      currency: "MYR",
      reason: "fraudulent",
      provider_status: "needs_response",
      opened_at: at(10, 1),
      closed_at: null,
    });
    expect(open!.respond_by).toBeInstanceOf(Date);
    expect(await clawbacksOf(s.tenant.id, sale.transactionId)).toEqual([]);
    expect(await withTenant(s.tenant.id, (db) => clawbackChargeback(db, open!.id, KL))).toBe(0);

    // Closed lost, delivered twice: one stored event, one chargeback, one set of clawbacks.
    const closed = await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId, { status: "lost" }), {
      created: at(10, 20),
      times: 2,
    });
    expect(closed).toMatchObject({ kind: "dispute", outcome: "chargeback_lost", deliveries: 2 });
    const [lost] = await chargebacksOf(s.tenant.id, sale.transactionId);
    expect(lost).toMatchObject({ id: open!.id, status: "lost", provider_status: "lost", closed_at: at(10, 20) });

    const clawbacks = await clawbacksWritten(s.tenant.id, sale.transactionId, 2);
    // A full refund of RM150 would take back RM16.67 and RM3.33: so does the lost chargeback.
    expect(clawbacks.map((c) => [c.agent_id, c.amount_minor, c.month, c.chargeback_id, c.refund_id, c.note])).toEqual([
      [s.seller, -16_67, "2026-10-01", lost!.id, null, "Charged back: commission taken back"],
      [s.sponsor, -3_33, "2026-10-01", lost!.id, null, "Charged back: commission taken back"],
    ]);
    expect(await withTenant(s.tenant.id, (db) => clawbackChargeback(db, lost!.id, KL))).toBe(0);

    // A late update and a repeated close change nothing: a lost dispute stays lost, nothing is taken twice.
    const late = await deliverDispute(
      s,
      sale.transactionId,
      "charge.dispute.updated",
      { ...stripe.dispute(sale.intentId), status: "under_review" },
      { created: at(10, 21) },
    );
    expect(late.outcome).toBe("ignored_chargeback_already_lost");
    const again = await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId), {
      created: at(10, 22),
    });
    expect(again.outcome).toBe("ignored_chargeback_already_lost");
    expect(await chargebacksOf(s.tenant.id, sale.transactionId)).toMatchObject([{ status: "lost", closed_at: at(10, 20) }]);
    expect(await clawbacksOf(s.tenant.id, sale.transactionId)).toHaveLength(2);

    // The payment's timeline tells staff what happened.
    const timeline = await withTenant(s.tenant.id, (db) =>
      db
        .selectFrom("state_changes")
        .select(["from_state", "to_state", "event", "reason"])
        .where("entity", "=", "chargeback")
        .where("entity_id", "=", lost!.id)
        .orderBy("created_at")
        .execute(),
    );
    expect(timeline).toEqual([
      {
        from_state: null,
        to_state: "open",
        event: "create",
        reason: expect.stringMatching(/^Chargeback dp_\w+ \(fraudulent\): \D*150\.00 · needs_response$/),
      },
      { from_state: "open", to_state: "lost", event: "lose", reason: expect.stringContaining("· lost") },
    ]);
  });

  it("tells the staff who answer chargebacks when one opens (with the deadline) and when it is lost, once each", async () => {
    const s = await cardTenant();
    const admin = await createUser(s.tenant.id, { roles: ["admin"], name: "Aida Admin" });
    const staff = await createUser(s.tenant.id, { roles: ["staff"] });
    const sale = await stripeSale(s);
    const mailsAbout = async () =>
      withTenant(s.tenant.id, (db) =>
        db
          .selectFrom("messages")
          .select(["recipient", "template", "subject", "body_text"])
          .where("template", "in", ["chargeback_opened", "chargeback_lost"])
          .where("channel", "=", "email")
          .orderBy("created_at")
          .execute(),
      );

    const dispute = stripe.dispute(sale.intentId, { created: unix(at(10, 1)) });
    await deliverDispute(s, sale.transactionId, "charge.dispute.created", dispute, { created: at(10, 2) });
    await deliverDispute(s, sale.transactionId, "charge.dispute.updated", { ...dispute, status: "under_review" }, { created: at(10, 3) });
    const opened = await mailsAbout();
    // Only whoever may refund payments hears of it (the admin), not staff without that permission.
    expect(opened.map((m) => [m.recipient, m.template])).toEqual([[admin.email, "chargeback_opened"]]);
    expect(opened[0]!.subject).toMatch(/^Chargeback on .+: answer by /);
    expect(opened[0]!.body_text).toContain("Hello Aida Admin,");
    expect(opened[0]!.body_text).toMatch(/RM\s?150\.00/);
    expect(opened[0]!.body_text).toContain(`/admin/transactions/${sale.transactionId}`);
    expect(opened.some((m) => m.recipient === staff.email)).toBe(false);

    await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId, { status: "lost" }), {
      created: at(10, 20),
      times: 2,
    });
    const all = await mailsAbout();
    expect(all.map((m) => m.template)).toEqual(["chargeback_opened", "chargeback_lost"]);
    expect(all[1]!.body_text).toContain("commission on this payment is taken back");
  });

  it("a half refund, then a lost chargeback of the rest: together exactly the earnings, to the cent, in either job order", async () => {
    const s = await cardTenant();

    // The refund's clawback runs first, then the chargeback's.
    const first = await stripeSale(s);
    const refundId = await completedRefund(s.tenant.id, first.transactionId, 75_00, at(10, 5));
    expect(await withTenant(s.tenant.id, (db) => clawbackRefund(db, refundId, KL))).toBe(2);
    expect((await clawbacksOf(s.tenant.id, first.transactionId)).map((c) => c.amount_minor)).toEqual([-8_34, -1_67]);
    await deliverDispute(s, first.transactionId, "charge.dispute.created", stripe.dispute(first.intentId, { amount: 75_00 }), {
      created: at(10, 6),
    });
    await deliverDispute(s, first.transactionId, "charge.dispute.closed", stripe.dispute(first.intentId, { status: "lost" }), {
      created: at(10, 7),
    });
    const firstClawbacks = await clawbacksWritten(s.tenant.id, first.transactionId, 4);
    expect(firstClawbacks.filter((c) => c.chargeback_id).map((c) => [c.agent_id, c.amount_minor])).toEqual([
      [s.seller, -8_33],
      [s.sponsor, -1_66],
    ]);
    expect(sum(firstClawbacks)).toBe(-(16_67 + 3_33));

    // The chargeback's clawback runs before the earlier refund's: the totals are the same.
    const second = await stripeSale(s);
    const lateRefund = await completedRefund(s.tenant.id, second.transactionId, 75_00, at(10, 5));
    await deliverDispute(
      s,
      second.transactionId,
      "charge.dispute.closed",
      stripe.dispute(second.intentId, { amount: 75_00, status: "lost" }),
      {
        created: at(10, 7),
      },
    );
    const [lostFirst] = await chargebacksOf(s.tenant.id, second.transactionId);
    expect(lostFirst).toMatchObject({ status: "lost", amount_minor: 75_00 });
    await clawbacksWritten(s.tenant.id, second.transactionId, 2);
    expect(await withTenant(s.tenant.id, (db) => clawbackRefund(db, lateRefund, KL))).toBe(0);
    const secondClawbacks = await clawbacksOf(s.tenant.id, second.transactionId);
    expect(secondClawbacks.map((c) => [c.agent_id, c.amount_minor])).toEqual([
      [s.seller, -16_67],
      [s.sponsor, -3_33],
    ]);
    expect(sum(secondClawbacks)).toBe(-(16_67 + 3_33));
  });

  it("a won dispute takes nothing back, and funds reinstated after it change nothing", async () => {
    const s = await cardTenant();
    const sale = await stripeSale(s);
    await deliverDispute(s, sale.transactionId, "charge.dispute.created", stripe.dispute(sale.intentId), { created: at(10, 2) });
    const won = await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId, { status: "won" }), {
      created: at(10, 25),
    });
    expect(won.outcome).toBe("chargeback_won");
    const reinstated = await deliverDispute(s, sale.transactionId, "charge.dispute.funds_reinstated", stripe.dispute(sale.intentId), {
      created: at(10, 25),
    });
    expect(reinstated.outcome).toBe("ignored_chargeback_already_won");
    const [chargeback] = await chargebacksOf(s.tenant.id, sale.transactionId);
    expect(chargeback).toMatchObject({ status: "won", closed_at: at(10, 25) });
    expect(await withTenant(s.tenant.id, (db) => clawbackChargeback(db, chargeback!.id, KL))).toBe(0);
    expect(await clawbacksOf(s.tenant.id, sale.transactionId)).toEqual([]);
  });

  it("a chargeback lost after its month closed is clawed back in the next open month", async () => {
    const s = await cardTenant();
    const sale = await stripeSale(s, at(9, 3));
    const closed = await withTenant(s.tenant.id, (db) =>
      closeMonth(db, { month: "2026-09-01", actorUserId: null, ...TENANT_CONTEXT }, new Date("2026-11-21T04:00:00Z")),
    );
    expect(closed).toMatchObject({ ok: true });
    // Lost on 28 September, heard of after September closed.
    await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId, { status: "lost" }), {
      created: at(9, 28),
    });
    const clawbacks = await clawbacksWritten(s.tenant.id, sale.transactionId, 2);
    expect(clawbacks.map((c) => [c.amount_minor, c.month])).toEqual([
      [-16_67, "2026-10-01"],
      [-3_33, "2026-10-01"],
    ]);
  });

  it("a chargeback lost before the ledger ran is clawed back when it runs", async () => {
    const s = await cardTenant();
    intents += 1;
    const intentId = `pi_3PqLedgerLate${process.pid}x${intents}${Date.now().toString(36)}`;
    stripe.state.intents.set(intentId, { id: intentId, amount: 150_00, amount_received: 150_00, currency: "myr", status: "succeeded" });
    const sale = await insertSale(s.tenant.id, {
      agentId: s.seller,
      productId: s.productId,
      frequency: "monthly",
      amountMinor: 150_00,
      at: at(9, 10),
      provider: "stripe",
      providerRef: intentId,
    });
    const lost = await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(intentId, { status: "lost" }), {
      created: at(9, 20),
    });
    expect(lost.outcome).toBe("chargeback_lost");
    const helpers = { logger: { info: () => undefined, debug: () => undefined } } as unknown as JobHelpers;
    await recordCommissionsTask({ tenantId: s.tenant.id, transactionId: sale.transactionId }, helpers);
    const clawbacks = await clawbacksWritten(s.tenant.id, sale.transactionId, 2);
    expect(sum(clawbacks)).toBe(-(16_67 + 3_33));
  });
});

describe("the agent's statement", () => {
  it("lists a charged-back sale's clawback as charged back", async () => {
    const s = await cardTenant();
    const sale = await stripeSale(s);
    await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId, { status: "lost" }), {
      created: at(10, 20),
    });
    await clawbacksWritten(s.tenant.id, sale.transactionId, 2);
    const close = (month: string) =>
      withTenant(s.tenant.id, (db) => closeMonth(db, { month, actorUserId: null, ...TENANT_CONTEXT }, new Date("2026-11-21T04:00:00Z")));
    expect(await close("2026-09-01")).toMatchObject({ ok: true });
    expect(await close("2026-10-01")).toMatchObject({ ok: true });
    const tenant = (await tenantById(s.tenant.id))!;
    const statement = await withTenant(s.tenant.id, (db) =>
      db
        .selectFrom("commission_statements")
        .select("id")
        .where("agent_id", "=", s.seller)
        .where("month", "=", "2026-10-01")
        .executeTakeFirstOrThrow(),
    );
    const data = await withTenant(s.tenant.id, (db) => statementData(db, tenant, statement.id));
    expect(data!.entries.map((e) => [e.kind, e.amountMinor, e.chargedBack])).toEqual([["clawback", -16_67, true]]);
  });
});

describe("Paystack chargebacks", () => {
  it("a dispute resolved against the merchant takes the commissions back once; reminders change nothing", async () => {
    const s = await cardTenant();
    const reference = `ps-${Date.now().toString(36)}-${process.pid}`;
    const sale = await insertSale(s.tenant.id, {
      agentId: s.seller,
      productId: s.productId,
      frequency: "monthly",
      amountMinor: 150_00,
      at: at(10, 1),
      provider: "paystack",
      providerRef: reference,
    });
    await record(s.tenant.id, [sale.transactionId]);
    const paid = { reference, amount: 150_00, currency: "MYR" };
    const deliver = async (body: unknown, times = 1) => {
      for (let i = 0; i < times; i++)
        expect((await receiveWebhook(s.tenant, "paystack", paystackWebhook(paystackConfig.secretKey, body))).status).toBe(200);
      for (const e of await eventsOf(sale.transactionId)) await processProviderEvent(s.tenant.id, e.id);
      return eventsOf(sale.transactionId);
    };

    await deliver(paystackDisputeEvent("charge.dispute.create", paid, { createdAt: "2026-10-03T02:00:00.000Z" }));
    // Two reminders in the same state are one event.
    await deliver(paystackDisputeEvent("charge.dispute.remind", paid, { createdAt: "2026-10-03T02:00:00.000Z" }), 2);
    expect(await chargebacksOf(s.tenant.id, sale.transactionId)).toMatchObject([
      {
        provider: "paystack",
        provider_dispute_ref: "358950",
        status: "open",
        amount_minor: 150_00,
        reason: expect.stringMatching(/^chargeback/),
      },
    ]);
    expect(await clawbacksOf(s.tenant.id, sale.transactionId)).toEqual([]);

    const events = await deliver(
      paystackDisputeEvent("charge.dispute.resolve", paid, {
        resolution: "merchant-accepted",
        createdAt: "2026-10-03T02:00:00.000Z",
        resolvedAt: "2026-10-18T03:00:00.000Z",
      }),
      2,
    );
    expect(events.map((e) => [e.provider_event_id, e.deliveries, e.outcome])).toEqual([
      ["charge.dispute.create:358950:awaiting-merchant-feedback", 1, "chargeback_opened"],
      ["charge.dispute.remind:358950:awaiting-merchant-feedback", 2, "chargeback_updated"],
      ["charge.dispute.resolve:358950:resolved:merchant-accepted", 2, "chargeback_lost"],
    ]);
    const [chargeback] = await chargebacksOf(s.tenant.id, sale.transactionId);
    expect(chargeback).toMatchObject({
      status: "lost",
      provider_status: "resolved: merchant-accepted",
      closed_at: new Date("2026-10-18T03:00:00Z"),
    });
    const clawbacks = await clawbacksWritten(s.tenant.id, sale.transactionId, 2);
    expect(clawbacks.map((c) => [c.agent_id, c.amount_minor, c.month, c.chargeback_id])).toEqual([
      [s.seller, -16_67, "2026-10-01", chargeback!.id],
      [s.sponsor, -3_33, "2026-10-01", chargeback!.id],
    ]);
    expect(await withTenant(s.tenant.id, (db) => clawbackChargeback(db, chargeback!.id, KL))).toBe(0);
  });
});

describe("the ledger's guard", () => {
  it("refuses to change a chargeback clawback's source afterwards (append-only)", async () => {
    const s = await cardTenant();
    const sale = await stripeSale(s);
    await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId, { status: "lost" }), {
      created: at(10, 20),
    });
    await clawbacksWritten(s.tenant.id, sale.transactionId, 2);
    await expect(
      ownerDb()
        .updateTable("commission_entries")
        .set({ chargeback_id: null })
        .where("tenant_id", "=", s.tenant.id)
        .where("transaction_id", "=", sale.transactionId)
        .where("kind", "=", "clawback")
        .execute(),
    ).rejects.toThrow();
  });
});

describe("the back office and the agent portal", () => {
  it("show the payment's chargeback, and name its clawbacks as charged back", async () => {
    const s = await cardTenant();
    const sale = await stripeSale(s);
    await deliverDispute(
      s,
      sale.transactionId,
      "charge.dispute.created",
      stripe.dispute(sale.intentId, { reason: "product_not_received" }),
      {
        created: at(10, 2),
      },
    );
    await deliverDispute(s, sale.transactionId, "charge.dispute.closed", stripe.dispute(sale.intentId, { status: "lost" }), {
      created: at(10, 20),
    });
    await clawbacksWritten(s.tenant.id, sale.transactionId, 2);
    const text = (html: string) => textOf(html).replace(/\u00a0/g, " ");
    const staff = await createUser(s.tenant.id, { roles: ["staff"] });
    const staffBrowser = await signIn(hostOf(s.tenant), staff.email);

    const payment = await staffBrowser.get(`/admin/transactions/${sale.transactionId}`);
    expect(payment.status).toBe(200);
    const page = text(payment.text);
    const chargebacks = page.slice(page.indexOf("Chargebacks"), page.indexOf("Timeline"));
    expect(chargebacks).toContain(String(stripe.state.disputes.get(sale.intentId)!.id));
    expect(chargebacks).toContain(formatMoney(150_00, "MYR", "en-MY").replace(/\s+/g, " "));
    expect(chargebacks).toContain("Product not received");
    expect(chargebacks).toMatch(/Product not received Lost 20 Oct 2026/);
    // The payment's timeline carries the chargeback's moves.
    expect(page.slice(page.indexOf("Timeline"))).toMatch(/open → lost \(lose\)/);

    const ledger = text((await staffBrowser.get(`/admin/commissions?kind=clawback`)).text);
    expect(ledger.split("Clawback · Charged back").length - 1).toBe(2);
    expect(ledger).toContain("Charged back: commission taken back");

    const agentBrowser = await signIn(hostOf(s.tenant), s.sellerEmail);
    const portal = await agentBrowser.get("/agent/commissions");
    expect(portal.status).toBe(200);
    expect(text(portal.text)).toContain("Clawback · Charged back");
  });
});

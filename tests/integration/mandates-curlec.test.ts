import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { autoDebitInstalment } from "~/modules/payments/autodebit.server";
import { reconcileMandates } from "~/modules/payments/mandate-reconcile.server";
import { mandateOffer, startMandate } from "~/modules/payments/mandates.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { runPremiumSchedule } from "~/modules/policies/premiums.server";
import { quoteDateIn } from "~/modules/rating";
import { addDays } from "~/modules/rating/dates";
import { createCurlecMock, curlecWebhook } from "../mocks/curlec";
import { ORIGIN, configureProvider } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import { issuedPolicy } from "./cancellations-support";
import { memberTenant, type MemberTenant } from "./members-support";

/**
 * E-mandates through Curlec (decision 046), Curlec played by msw at the edge: the authorisation
 * is an FPX payment of the policy's next instalment (Curlec refuses one below RM 1.00); the signed
 * token webhook makes the mandate active and pays that instalment once; a later instalment is
 * debited by the auto-debit job through Curlec's recurring payment; a rejected authorisation takes
 * nothing; a mandate whose webhook never came is settled by asking Curlec, or expired after a day.
 */

const config = {
  mode: "test",
  keyId: "rzp_test_KhH0ld1ngsMd8",
  keySecret: "kS3cr3t-KhHoldings-mandates-1",
  webhookSecret: "whk-KhHoldings-mandates-2",
  recurring: "true",
};

const server = setupServer();
const curlec = createCurlecMock({ keyId: config.keyId, keySecret: config.keySecret });
beforeAll(() => {
  server.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== "127.0.0.1") print.error();
    },
  });
  server.use(...curlec.handlers);
});
afterAll(() => server.close());

async function curlecMember(tenant?: MemberTenant) {
  const agency = tenant ?? (await memberTenant());
  if (!tenant) await configureProvider(agency, "curlec", config);
  const member = await createUser(agency.id, { name: "Siti Aminah" });
  const policy = await issuedPolicy(agency, {
    userId: member.id,
    productSlug: "hibah-senior-care-gold-270",
    frequency: "monthly",
    start: addDays(quoteDateIn("Asia/Kuala_Lumpur"), -3),
    firstMinor: 27_000,
    laterMinor: 27_000,
    paid: 1,
  });
  return { tenant: agency, member, policy };
}

const mandateOf = (policyId: string) =>
  ownerDb()
    .selectFrom("payment_methods")
    .selectAll()
    .where("policy_id", "=", policyId)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
const instalmentsOf = (policyId: string) =>
  ownerDb().selectFrom("instalments").selectAll().where("policy_id", "=", policyId).orderBy("sequence").execute();
const paymentsOf = (instalmentId: string) =>
  ownerDb().selectFrom("transactions").selectAll().where("instalment_id", "=", instalmentId).orderBy("created_at").execute();
const autodebitOf = async (policyId: string) =>
  (await ownerDb().selectFrom("policies").select("autodebit_method_id").where("id", "=", policyId).executeTakeFirstOrThrow())
    .autodebit_method_id;
const recurringCalls = () => curlec.state.requests.filter((r) => r.method === "POST" && r.path === "/payments/create/recurring");

async function started(tenant: MemberTenant, member: { id: string }, policyId: string) {
  const answer = await startMandate(tenant, { policyId, userId: member.id, bankCode: "MB2U0227", origin: ORIGIN });
  if (!answer.ok) throw new Error(answer.message);
  return { url: answer.url, mandate: await mandateOf(policyId) };
}

const deliver = (tenant: MemberTenant, body: unknown, eventId: string) =>
  receiveWebhook(tenant, "curlec", curlecWebhook(config.webhookSecret, body, eventId));

async function outcomeOf(tenantId: string, providerEventIdStart: string) {
  return eventually(async () => {
    const row = await ownerDb()
      .selectFrom("provider_events")
      .select(["outcome", "deliveries"])
      .where("tenant_id", "=", tenantId)
      .where("provider_event_id", "like", `${providerEventIdStart}%`)
      .executeTakeFirst();
    return row?.outcome ? row : null;
  }, 30_000);
}

describe("e-mandates through Curlec", () => {
  it("authorises with the next instalment's FPX payment, pays it once on the signed token webhook, and debits a later one through Curlec", async () => {
    const { tenant, member, policy } = await curlecMember();
    const [, second, third] = await instalmentsOf(policy.policyId);
    const offer = await withTenant(tenant.id, (db) => mandateOffer(db, tenant, policy.policyId, member.id));
    expect(offer).toMatchObject({ provider: "curlec", first: { instalmentId: second!.id, amountMinor: 27_000, early: true } });

    const { url, mandate } = await started(tenant, member, policy.policyId);
    expect(url).toMatch(/^https:\/\/api\.razorpay\.com\/v1\/payments\/pay_\w+\/authenticate$/);
    const orderId = mandate.provider_ref!;
    // The authorisation order carries the instalment (at least RM 1.00 by FPX) and the mandate's limits.
    expect(curlec.state.orders.get(orderId)).toMatchObject({
      amount: 27_000,
      currency: "MYR",
      receipt: mandate.id,
      method: "fpx",
      token: { max_amount: 33_750 },
    });
    const create = curlec.state.requests.find(
      (r) => r.path === "/payments/create/json" && (r.body as { order_id?: string }).order_id === orderId,
    );
    expect(create?.body).toMatchObject({ amount: 27_000, method: "fpx", bank: "MB2U0227", recurring: "1" });
    expect(await paymentsOf(second!.id)).toMatchObject([
      { status: "pending", provider: "curlec", method: "fpx", amount_minor: 27_000, provider_ref: orderId, payment_method_id: null },
    ]);

    // A token webhook not signed with the webhook secret is refused and changes nothing.
    const { token, event } = curlec.authorise(orderId);
    expect((await receiveWebhook(tenant, "curlec", curlecWebhook(config.keySecret, event, "EvtKhMdt1"))).status).toBe(401);
    expect((await mandateOf(policy.policyId)).mandate_status).toBe("pending");

    expect((await deliver(tenant, event, "EvtKhMdt1")).status).toBe(200);
    expect(await outcomeOf(tenant.id, `token.confirmed:${token.id}`)).toMatchObject({ outcome: "applied_active" });
    const active = await mandateOf(policy.policyId);
    expect(active).toMatchObject({ mandate_status: "active", id: mandate.id });
    expect(await autodebitOf(policy.policyId)).toBe(mandate.id);
    await eventually(async () => (await instalmentsOf(policy.policyId))[1]!.status === "paid", 30_000);

    // Curlec's own payment events for the same order, and the token webhook again: the instalment is paid once.
    const { captured } = curlec.pay(orderId);
    expect((await deliver(tenant, captured, "EvtKhMdtCap1")).status).toBe(200);
    await outcomeOf(tenant.id, "payment.captured:");
    expect((await deliver(tenant, event, "EvtKhMdt1")).status).toBe(200);
    expect((await outcomeOf(tenant.id, `token.confirmed:${token.id}`)).deliveries).toBe(2);
    expect(await paymentsOf(second!.id)).toMatchObject([{ status: "completed", payment_method_id: mandate.id }]);
    const completions = await ownerDb()
      .selectFrom("state_changes")
      .select("to_state")
      .where("entity", "=", "transaction")
      .where("entity_id", "=", (await paymentsOf(second!.id))[0]!.id)
      .where("to_state", "=", "completed")
      .execute();
    expect(completions).toHaveLength(1);

    // Its due date comes: nothing more is debited.
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("skipped");
    // The next one falls due (brought to today) and the auto-debit job's work debits it through
    // Curlec's recurring payment, here in the test's process where msw plays Curlec.
    await ownerDb()
      .updateTable("instalments")
      .set({ status: "due", due_date: quoteDateIn("Asia/Kuala_Lumpur") })
      .where("id", "=", third!.id)
      .execute();
    expect(await autoDebitInstalment(tenant, third!.id)).toBe("completed");
    await eventually(async () => (await instalmentsOf(policy.policyId))[2]!.status === "paid", 30_000);
    expect(await autoDebitInstalment(tenant, third!.id)).toBe("skipped");
    expect(recurringCalls()).toHaveLength(1);
    expect(recurringCalls()[0]!.body).toMatchObject({ amount: 27_000, token: token.id, customer_id: token.customer_id });
    expect(await paymentsOf(third!.id)).toMatchObject([
      { status: "completed", provider: "curlec", method: "fpx", amount_minor: 27_000, payment_method_id: mandate.id },
    ]);
    expect(await paymentsOf(second!.id)).toHaveLength(1);
  });

  it("a rejected authorisation takes nothing and leaves the policy as it was; the member may try again", async () => {
    const { tenant, member, policy } = await curlecMember();
    const before = await instalmentsOf(policy.policyId);
    // Curlec refusing the authorisation (a bank it stopped taking since the list was fetched): a
    // field error, no mandate, the attempt a failed payment, the instalment open as before.
    await withTenant(tenant.id, (db) => mandateOffer(db, tenant, policy.policyId, member.id));
    const maybank = curlec.state.fpx.MB2U0227;
    delete curlec.state.fpx.MB2U0227;
    const refused = await startMandate(tenant, { policyId: policy.policyId, userId: member.id, bankCode: "MB2U0227", origin: ORIGIN });
    curlec.state.fpx.MB2U0227 = maybank;
    expect(refused).toMatchObject({ ok: false, field: "bankCode" });
    expect(await ownerDb().selectFrom("payment_methods").select("id").where("policy_id", "=", policy.policyId).execute()).toEqual([]);
    expect(await paymentsOf(before[1]!.id)).toMatchObject([{ status: "failed", failure_code: "rejected" }]);

    const { mandate } = await started(tenant, member, policy.policyId);
    const { token, event } = curlec.authorise(mandate.provider_ref!, "rejected");
    expect((await deliver(tenant, event, "EvtKhMdtRej1")).status).toBe(200);
    expect(await outcomeOf(tenant.id, `token.rejected:${token.id}`)).toMatchObject({ outcome: "applied_rejected" });

    expect((await mandateOf(policy.policyId)).mandate_status).toBe("rejected");
    expect(await autodebitOf(policy.policyId)).toBeNull();
    expect((await instalmentsOf(policy.policyId)).map((i) => [i.id, i.status, i.amount_minor])).toEqual(
      before.map((i) => [i.id, i.status, i.amount_minor]),
    );
    expect(await paymentsOf(before[1]!.id)).toMatchObject([
      { status: "failed" },
      { status: "failed", failure_code: "mandate_not_authorised", payment_method_id: null },
    ]);
    expect(await started(tenant, member, policy.policyId)).toMatchObject({ mandate: { mandate_status: "pending" } });
  });

  it("asks Curlec about a mandate whose webhook never came, and expires one nobody answered for a day", async () => {
    const { tenant, member, policy } = await curlecMember();
    const other = await curlecMember(tenant);
    const { mandate: answered } = await started(tenant, member, policy.policyId);
    const { mandate: silent } = await started(tenant, other.member, other.policy.policyId);
    const { token, event: lateEvent } = curlec.authorise(answered.provider_ref!);
    // Too recent to ask about yet.
    expect(await reconcileMandates(tenant.id)).toMatchObject({ asked: 0 });

    await ownerDb()
      .updateTable("payment_methods")
      .set({ created_at: new Date(Date.now() - 20 * 60_000) })
      .where("id", "in", [answered.id, silent.id])
      .execute();
    expect(await reconcileMandates(tenant.id)).toEqual({ asked: 2, settled: 1, expired: 0, errors: 0 });
    expect(await mandateOf(policy.policyId)).toMatchObject({ mandate_status: "active" });
    expect(await autodebitOf(policy.policyId)).toBe(answered.id);
    await eventually(async () => (await instalmentsOf(policy.policyId))[1]!.status === "paid", 30_000);
    expect((await mandateOf(other.policy.policyId)).mandate_status).toBe("pending");

    // The webhook arriving after all changes nothing a second time.
    expect((await deliver(tenant, lateEvent, "EvtKhMdtLate")).status).toBe(200);
    expect(await outcomeOf(tenant.id, `token.confirmed:${token.id}`)).toMatchObject({ outcome: "duplicate" });
    expect(await paymentsOf((await instalmentsOf(policy.policyId))[1]!.id)).toHaveLength(1);

    // A day on, nobody answered the other one: expired, its payment with it, the instalment open as before.
    await ownerDb()
      .updateTable("payment_methods")
      .set({ created_at: new Date(Date.now() - 25 * 3_600_000) })
      .where("id", "=", silent.id)
      .execute();
    expect(await reconcileMandates(tenant.id)).toEqual({ asked: 1, settled: 0, expired: 1, errors: 0 });
    expect((await mandateOf(other.policy.policyId)).mandate_status).toBe("expired");
    const [, otherSecond] = await instalmentsOf(other.policy.policyId);
    expect(otherSecond!.status).toBe("scheduled");
    expect(await paymentsOf(otherSecond!.id)).toMatchObject([{ status: "expired", payment_method_id: null }]);
    // It never started: no "automatic debit stopped" notice; the policy page offers it again.
    expect(
      await ownerDb()
        .selectFrom("messages")
        .select("id")
        .where("template", "=", "mandate_stopped")
        .where("user_id", "=", other.member.id)
        .execute(),
    ).toEqual([]);
    expect(await withTenant(tenant.id, (db) => mandateOffer(db, tenant, other.policy.policyId, other.member.id))).toBeDefined();
  });
});

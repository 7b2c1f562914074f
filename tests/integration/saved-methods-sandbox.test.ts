import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { autoDebitInstalment, chargeSavedMethod } from "~/modules/payments/autodebit.server";
import { startPayment } from "~/modules/payments/payments.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { setAutoDebit } from "~/modules/payments/saved-methods.server";
import { runPremiumSchedule } from "~/modules/policies/premiums.server";
import { addDays } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import {
  ORIGIN,
  TWO_PRODUCTS,
  customerWithOrder,
  documentsEmail,
  orderReadyForPayment,
  orderRow,
  paymentsTenant,
  policiesOf,
  transactionRow,
} from "../support/checkout";
import { eventually, ownerDb } from "../support/db";

/**
 * Saved cards and auto-debit through the sandbox (decision 029), the way a demo plays them: a
 * customer keeps the card they paid with, turns on "pay instalments automatically", and the
 * premium schedule's job charges the instalment when it falls due — once, however often it runs.
 * A sandbox card ending 0341 is declined when charged later: the customer is told, and the
 * instalment goes the usual way (overdue, grace).
 */

async function monthlyPolicyPaidBySavedCard(card: { last4: string; expMonth: number; expYear: number }, save = true) {
  const tenant = await paymentsTenant();
  const { user, orderId } = await customerWithOrder(tenant, { lines: [TWO_PRODUCTS[0]!], method: "card" });
  const started = await startPayment(tenant, {
    target: { orderId },
    userId: user.id,
    method: "card",
    email: user.email,
    origin: ORIGIN,
    saveMethod: save,
  });
  if (!started.ok) throw new Error(started.message);
  const played = await playSandboxChoice(tenant, (await transactionRow(started.transactionId)).provider_ref!, "approve", card);
  if (!played.ok) throw new Error(played.message);
  await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
  const [policy] = await policiesOf(orderId);
  return { tenant, user, policy: policy!, firstTransactionId: started.transactionId };
}

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

async function turnOnAutoDebit(tenant: TenantInfo, userId: string, policyId: string, methodId: string) {
  const changed = await withTenant(tenant.id, (db) => setAutoDebit(db, userId, policyId, methodId));
  expect(changed).toEqual({ ok: true, on: true });
}

describe("saved cards and auto-debit (sandbox)", () => {
  it("keeps the card only when asked, encrypted, as the customer's default", async () => {
    const notSaved = await monthlyPolicyPaidBySavedCard({ last4: "4242", expMonth: 12, expYear: 2034 }, false);
    expect(await methodsOf(notSaved.user.id)).toEqual([]);

    const { user, firstTransactionId } = await monthlyPolicyPaidBySavedCard({ last4: "4242", expMonth: 12, expYear: 2034 });
    const [method] = await methodsOf(user.id);
    expect(method).toMatchObject({ provider: "sandbox", brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034, is_default: true });
    // The provider's reference is ciphertext: the card's digits are not in it.
    expect(method!.reference_ciphertext).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(method!.reference_ciphertext).not.toContain("4242");
    expect(await transactionRow(firstTransactionId)).toMatchObject({ save_method: true, status: "completed" });
  });

  it("charges a due instalment to the saved card once, however often the schedule and the job run", async () => {
    const { tenant, user, policy } = await monthlyPolicyPaidBySavedCard({ last4: "4242", expMonth: 12, expYear: 2034 });
    const [method] = await methodsOf(user.id);
    await turnOnAutoDebit(tenant, user.id, policy.id, method!.id);
    const [, second] = await instalments(policy.id);

    // A reminder a week before charges nothing; the due date queues the charge; the same day again adds nothing.
    await runPremiumSchedule(tenant, addDays(second!.due_date, -7), ORIGIN);
    expect(await savedCharges(second!.id)).toHaveLength(0);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    await eventually(async () => (await instalments(policy.id))[1]!.status === "paid", 30_000);

    // The job, run again, and the export the renewals module calls: still the one charge.
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("skipped");
    const again = await chargeSavedMethod(tenant, { userId: user.id, instalmentId: second!.id });
    const charges = await savedCharges(second!.id);
    expect(charges).toHaveLength(1);
    expect(again).toEqual({ ok: true, transactionId: charges[0]!.id, status: "completed" });
    expect(charges[0]).toMatchObject({
      status: "completed",
      payment_method_id: method!.id,
      provider: "sandbox",
      amount_minor: second!.amount_minor,
    });
    expect((await instalments(policy.id))[1]).toMatchObject({ status: "paid", transaction_id: charges[0]!.id });
    // The usual receipt follows, and no failure notice.
    await eventually(
      async () =>
        (await ownerDb().selectFrom("receipts").select("id").where("transaction_id", "=", charges[0]!.id).executeTakeFirst()) ?? null,
      30_000,
    );
    expect(await failureNotices(tenant.id, second!.id)).toHaveLength(0);
  });

  it("a declined charge is recorded and the customer told with a pay link; the instalment goes overdue and into grace", async () => {
    const { tenant, user, policy } = await monthlyPolicyPaidBySavedCard({ last4: "0341", expMonth: 1, expYear: 2031 });
    const [method] = await methodsOf(user.id);
    await turnOnAutoDebit(tenant, user.id, policy.id, method!.id);
    const [, second] = await instalments(policy.id);

    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    const [notice] = await eventually(async () => {
      const found = await failureNotices(tenant.id, second!.id);
      return found.length ? found : null;
    }, 30_000);
    expect(notice).toMatchObject({ template: "autodebit_failed", recipient: user.email });
    expect(notice!.body_text).toContain("Visa •••• 0341");
    expect(notice!.body_text).toContain(`/account/policies/${policy.id}`);
    const [charge] = await savedCharges(second!.id);
    expect(charge).toMatchObject({ status: "failed", failure_code: "card_declined" });

    // Run again: no second charge, no second email.
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("failed");
    expect(await savedCharges(second!.id)).toHaveLength(1);
    expect(await failureNotices(tenant.id, second!.id)).toHaveLength(1);
    expect(await chargeSavedMethod(tenant, { userId: user.id, instalmentId: second!.id })).toMatchObject({
      ok: false,
      reason: "already_attempted",
    });

    // The fallback is the schedule that exists: still due, then overdue and grace.
    expect((await instalments(policy.id))[1]).toMatchObject({ status: "due" });
    expect(await runPremiumSchedule(tenant, addDays(second!.due_date, 1), ORIGIN)).toMatchObject({ overdue: 1, toGrace: 1 });
    expect(await ownerDb().selectFrom("policies").select("status").where("id", "=", policy.id).executeTakeFirstOrThrow()).toEqual({
      status: "grace",
    });
    // Auto-debit stays on for the next instalment.
    expect(
      (await ownerDb().selectFrom("policies").select("autodebit_method_id").where("id", "=", policy.id).executeTakeFirstOrThrow())
        .autodebit_method_id,
    ).toBe(method!.id);
  });

  it("a card that wants authentication nobody can give fails the same way; without auto-debit nothing is charged", async () => {
    const { tenant, user, policy } = await monthlyPolicyPaidBySavedCard({ last4: "3184", expMonth: 6, expYear: 2032 });
    const [method] = await methodsOf(user.id);
    const [, second, third] = await instalments(policy.id);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("skipped");
    expect(await savedCharges(second!.id)).toHaveLength(0);

    await turnOnAutoDebit(tenant, user.id, policy.id, method!.id);
    const charged = await chargeSavedMethod(tenant, { userId: user.id, instalmentId: second!.id });
    expect(charged).toMatchObject({ ok: false, reason: "declined", code: "authentication_required" });
    // A later instalment cannot be charged while an earlier one is unpaid.
    expect(await chargeSavedMethod(tenant, { userId: user.id, instalmentId: third!.id })).toMatchObject({
      ok: false,
      reason: "not_payable",
    });
  });

  it("chargeSavedMethod pays an order (the renewals module's use) with the default card, once; another customer's order or no card is refused", async () => {
    const { tenant, user } = await monthlyPolicyPaidBySavedCard({ last4: "4242", expMonth: 12, expYear: 2034 });
    const order = await orderReadyForPayment(tenant, user, { lines: [TWO_PRODUCTS[1]!], method: "card" });
    const stranger = await customerWithOrder(tenant, { lines: [TWO_PRODUCTS[1]!], method: "card" });

    expect(await chargeSavedMethod(tenant, { userId: user.id, orderId: stranger.orderId })).toMatchObject({
      ok: false,
      reason: "not_payable",
    });
    expect(await chargeSavedMethod(tenant, { userId: stranger.user.id, orderId: stranger.orderId })).toMatchObject({
      ok: false,
      reason: "no_saved_method",
    });
    const [method] = await methodsOf(user.id);
    expect(
      await chargeSavedMethod(tenant, { userId: user.id, orderId: order.orderId, methodId: "00000000-0000-4000-8000-000000000000" }),
    ).toMatchObject({ ok: false, reason: "no_saved_method" });

    const first = await chargeSavedMethod(tenant, { userId: user.id, orderId: order.orderId });
    const again = await chargeSavedMethod(tenant, { userId: user.id, orderId: order.orderId, methodId: method!.id });
    expect(first).toMatchObject({ ok: true, status: "completed" });
    expect(again).toEqual(first);
    expect(await orderRow(order.orderId)).toMatchObject({ status: "paid" });
    await eventually(async () => (await documentsEmail(tenant.id, order.orderId))?.status === "outbox", 30_000);
    const charges = await ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", order.orderId).execute();
    expect(charges).toMatchObject([{ status: "completed", payment_method_id: method!.id }]);
    expect(await ownerDb().selectFrom("transactions").select("id").where("order_id", "=", stranger.orderId).execute()).toEqual([]);
  });
});

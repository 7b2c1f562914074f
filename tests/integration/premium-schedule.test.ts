import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { startPayment } from "~/modules/payments/payments.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { runPremiumSchedule, savePolicyRules } from "~/modules/policies/premiums.server";
import { addDays } from "~/modules/rating/dates";
import { ORIGIN, TWO_PRODUCTS, customerWithOrder, documentsEmail, paymentsTenant, policiesOf, transactionRow } from "../support/checkout";
import { eventually, ownerDb } from "../support/db";

/**
 * The premium schedule of a policy paid monthly: an instalment falls due (with one reminder),
 * goes overdue and puts the policy in grace, the grace period ends in a lapse by the tenant's rule,
 * and paying the arrears in grace brings the policy back. Run as the daily job would, any number
 * of times a day, with "today" chosen by the test.
 */
async function monthlyPolicy() {
  const tenant = await paymentsTenant();
  const { user, orderId } = await customerWithOrder(tenant, { lines: [TWO_PRODUCTS[0]!] });
  const started = await startPayment(tenant, { target: { orderId }, userId: user.id, method: "card", email: user.email, origin: ORIGIN });
  if (!started.ok) throw new Error(started.message);
  await playSandboxChoice(tenant, (await transactionRow(started.transactionId)).provider_ref!, "approve");
  await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
  const [policy] = await policiesOf(orderId);
  return { tenant, user, policy: policy! };
}

const instalments = (policyId: string) =>
  ownerDb().selectFrom("instalments").selectAll().where("policy_id", "=", policyId).orderBy("sequence").execute();
const policyRow = (policyId: string) => ownerDb().selectFrom("policies").selectAll().where("id", "=", policyId).executeTakeFirstOrThrow();
const reminders = (tenantId: string, instalmentId: string) =>
  ownerDb()
    .selectFrom("messages")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("dedupe_key", "=", `instalment_due:${instalmentId}:email`)
    .execute();

describe("premium schedule", () => {
  it("falls due with one reminder, goes overdue into grace, and lapses after the tenant's grace period", async () => {
    const { tenant, policy } = await monthlyPolicy();
    const [, second, third] = await instalments(policy.id);
    expect(second).toMatchObject({ status: "scheduled" });

    // A week before: a reminder, nothing moves yet; twice the same day sends it once.
    const weekBefore = addDays(second!.due_date, -7);
    await runPremiumSchedule(tenant, weekBefore, ORIGIN);
    await runPremiumSchedule(tenant, weekBefore, ORIGIN);
    expect(await reminders(tenant.id, second!.id)).toHaveLength(1);
    expect((await instalments(policy.id))[1]).toMatchObject({ status: "scheduled" });

    expect(await runPremiumSchedule(tenant, second!.due_date, ORIGIN)).toMatchObject({ fellDue: 1, overdue: 0 });
    expect((await instalments(policy.id))[1]).toMatchObject({ status: "due" });
    expect((await policyRow(policy.id)).status).toBe("active");

    const dayAfter = addDays(second!.due_date, 1);
    expect(await runPremiumSchedule(tenant, dayAfter, ORIGIN)).toMatchObject({ overdue: 1, toGrace: 1, lapsed: 0 });
    expect(await policyRow(policy.id)).toMatchObject({ status: "grace", grace_started_on: second!.due_date });
    expect(await runPremiumSchedule(tenant, dayAfter, ORIGIN)).toMatchObject({ overdue: 0, toGrace: 0, lapsed: 0 });

    // 30 days (the default rule) after the missed due date the policy lapses; a day earlier it does not.
    expect(await runPremiumSchedule(tenant, addDays(second!.due_date, 29), ORIGIN)).toMatchObject({ lapsed: 0 });
    expect(await runPremiumSchedule(tenant, addDays(second!.due_date, 30), ORIGIN)).toMatchObject({ lapsed: 1 });
    expect(await policyRow(policy.id)).toMatchObject({ status: "lapsed", lapsed_on: addDays(second!.due_date, 30) });
    // A lapsed policy's later instalments are not called for.
    await runPremiumSchedule(tenant, third!.due_date, ORIGIN);
    expect((await instalments(policy.id))[2]).toMatchObject({ status: "scheduled" });
    const timeline = await ownerDb()
      .selectFrom("state_changes")
      .select(["event"])
      .where("entity_id", "=", policy.id)
      .orderBy("created_at")
      .execute();
    expect(timeline.map((t) => t.event)).toEqual(["create", "issue", "miss_instalment", "lapse"]);
  });

  it("paying the arrears in grace makes the policy active again, and a tenant's own grace period is used", async () => {
    const { tenant, user, policy } = await monthlyPolicy();
    await withTenant(tenant.id, (db) =>
      savePolicyRules(db, { graceDays: 5, reinstatementDays: 90, reminderDays: 7, renewalOfferDays: [30, 7], freeLookDays: 14 }),
    );
    const [, second] = await instalments(policy.id);
    await runPremiumSchedule(tenant, addDays(second!.due_date, 1), ORIGIN);
    expect((await policyRow(policy.id)).status).toBe("grace");

    const started = await startPayment(tenant, {
      target: { instalmentId: second!.id },
      userId: user.id,
      method: "card",
      email: user.email,
      origin: ORIGIN,
    });
    if (!started.ok) throw new Error(started.message);
    await playSandboxChoice(tenant, (await transactionRow(started.transactionId)).provider_ref!, "approve");
    await eventually(async () => (await policyRow(policy.id)).status === "active", 30_000);
    expect((await instalments(policy.id))[1]).toMatchObject({ status: "paid", transaction_id: started.transactionId });

    // Another missed instalment with a 5-day rule lapses on day 5.
    const [, , third] = await instalments(policy.id);
    await runPremiumSchedule(tenant, addDays(third!.due_date, 1), ORIGIN);
    expect(await runPremiumSchedule(tenant, addDays(third!.due_date, 4), ORIGIN)).toMatchObject({ lapsed: 0 });
    expect(await runPremiumSchedule(tenant, addDays(third!.due_date, 5), ORIGIN)).toMatchObject({ lapsed: 1 });
  });
});

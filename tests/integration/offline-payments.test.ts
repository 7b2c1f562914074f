import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { formatMoney } from "~/lib/money";
import { stalePendingTransactions } from "~/modules/payments/payments.server";
import { reconcileTenant } from "~/modules/payments/reconcile.server";
import { requestRefund } from "~/modules/payments/refunds.server";
import { createTenant, createUser, eventually, latestMessage, ownerDb, tokenFrom } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { agentWithLogin, memberTenant, registeredMember, sellHibah, type MemberTenant } from "./members-support";

/**
 * Payments an agent collects offline (issue 5 §3): recorded by the agent for the amount the server
 * works out, pending until staff confirm them at /admin/offline-payments — through the same path as a
 * provider's payment, so the order is paid and the policy issued — or reject them with a reason.
 * Reconciliation never asks a provider about them nor expires them; their refunds are recorded by staff.
 */
const RM = (minor: number) => formatMoney(minor, "MYR", "en-MY").replace(/\s/g, " ");

async function saleReadyToPay(tenant: MemberTenant) {
  const agent = await agentWithLogin(tenant);
  const member = await registeredMember(agent.browser);
  const orderId = await sellHibah(agent.browser, member.memberId, member);
  const salePath = `/agent/members/${member.memberId}/sell?order=${orderId}`;
  return { ...agent, member, orderId, salePath };
}

async function recordCash(browser: Browser, salePath: string, reference: string, extra: Record<string, string> = {}) {
  return browser.post(salePath, { intent: "offline", method: "cash", reference, ...extra });
}

async function offlineTx(orderId: string) {
  return ownerDb()
    .selectFrom("transactions")
    .selectAll()
    .where("order_id", "=", orderId)
    .where("provider", "=", "offline")
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
}

async function staffOf(tenant: MemberTenant, role: "staff" | "admin" = "staff") {
  const user = await createUser(tenant.id, { roles: [role], name: role === "staff" ? "Tan Wei Ming" : "Nurul Aisyah" });
  return { user, browser: await signIn(tenant.host, user.email) };
}

describe("offline payments", () => {
  it("records what the order owes (a posted amount is ignored), pending until staff decide, one at a time", async () => {
    const tenant = await memberTenant();
    const { user: agentUser, browser, member, orderId, salePath } = await saleReadyToPay(tenant);

    const noReference = await recordCash(browser, salePath, "");
    expect(noReference.status).toBe(400);
    expect(textOf(noReference.text)).toContain("Enter the receipt or bank-in slip number");

    const res = await recordCash(browser, salePath, "RCPT-0001", { amount: "1", amountMinor: "1", amount_minor: "1", currency: "USD" });
    expect(res.status).toBe(302);
    expect(res.location).toContain("recorded=1");
    const tx = await offlineTx(orderId);
    expect(tx).toMatchObject({
      provider: "offline",
      method: "cash",
      status: "pending",
      amount_minor: 15_000,
      currency: "MYR",
      mode: "live",
      provider_receipt: "RCPT-0001",
      provider_ref: null,
      recorded_by: agentUser.id,
      user_id: member.userId,
    });
    const timeline = await ownerDb().selectFrom("state_changes").selectAll().where("entity_id", "=", tx.id).execute();
    expect(timeline.map((t) => [t.from_state, t.to_state, t.event, t.reason, t.actor_user_id])).toEqual([
      [null, "pending", "record_offline", "RCPT-0001", agentUser.id],
    ]);
    expect(await auditRows(tenant.id, "payment.offline_recorded", tx.id)).toHaveLength(1);

    const page = textOf((await browser.get(salePath)).text);
    expect(page).toContain("Waiting for staff to confirm the payment");
    expect(page).not.toContain("Record offline payment");
    const second = await recordCash(browser, salePath, "RCPT-0002");
    expect(second.status).toBe(400);
    expect(textOf(second.text)).toContain("already recorded and waiting for staff");

    // The member cannot pay it a second time online meanwhile.
    const invite = await latestMessage(tenant.id, member.email, "member_invite");
    await new Browser(tenant.host).post("/reset-password", {
      token: tokenFrom(invite!.body_text),
      password: "Member#2026pass",
      confirmPassword: "Member#2026pass",
    });
    const memberBrowser = await signIn(tenant.host, member.email, "Member#2026pass");
    expect(textOf((await memberBrowser.get(`/checkout/${orderId}/pay`)).text)).toContain("Your agent has recorded your payment");
    const online = await memberBrowser.post(`/checkout/${orderId}/pay`, { method: "card" });
    expect(online.status).toBe(400);
    expect(textOf(online.text)).toContain("waiting for confirmation by our staff");
    const all = await ownerDb().selectFrom("transactions").select("id").where("order_id", "=", orderId).execute();
    expect(all).toHaveLength(1);

    // A slip number is not used twice for money that stands.
    const other = await saleReadyToPay(tenant);
    const reused = await recordCash(other.browser, other.salePath, "rcpt-0001");
    expect(reused.status).toBe(400);
    expect(textOf(reused.text)).toContain("already recorded for another payment");
  });

  it("staff confirm it: completed like a provider's payment, the order paid and the policy issued by the worker", async () => {
    const tenant = await memberTenant();
    const { agent, user: agentUser, browser, member, orderId, salePath } = await saleReadyToPay(tenant);
    expect((await recordCash(browser, salePath, "BANKIN-77")).status).toBe(302);
    const tx = await offlineTx(orderId);

    const staff = await staffOf(tenant);
    const list = await staff.browser.get("/admin/offline-payments");
    expect(list.status).toBe(200);
    const text = textOf(list.text);
    const agentName = await ownerDb().selectFrom("users").select("name").where("id", "=", agentUser.id).executeTakeFirstOrThrow();
    expect(text).toContain(agentName.name);
    for (const expected of [RM(15_000), "BANKIN-77", "Aminah binti Yusof", member.email, "min ago", "Cash"])
      expect(text).toContain(expected);
    const agentRow = await ownerDb().selectFrom("agents").select("agent_number").where("id", "=", agent.id).executeTakeFirstOrThrow();
    expect(text).toContain(agentRow.agent_number);

    const confirmed = await staff.browser.post("/admin/offline-payments", { intent: "confirm", transactionId: tx.id });
    expect(confirmed.status).toBe(302);
    const after = await offlineTx(orderId);
    expect(after.status).toBe("completed");
    expect(after.completed_at).not.toBeNull();
    expect(after.provider_receipt).toBe("BANKIN-77");
    const order = await ownerDb().selectFrom("orders").select(["status", "paid_at"]).where("id", "=", orderId).executeTakeFirstOrThrow();
    expect(order.status).toBe("paid");
    const completion = await ownerDb()
      .selectFrom("state_changes")
      .selectAll()
      .where("entity_id", "=", tx.id)
      .where("to_state", "=", "completed")
      .executeTakeFirstOrThrow();
    expect(completion.actor_user_id).toBe(staff.user.id);
    expect(await auditRows(tenant.id, "payment.offline_confirmed", tx.id)).toHaveLength(1);

    const policy = await eventually(() =>
      ownerDb()
        .selectFrom("policies")
        .selectAll()
        .where("order_id", "=", orderId)
        .where("policy_number", "is not", null)
        .where("status", "=", "active")
        .executeTakeFirst(),
    );
    expect(policy.user_id).toBe(member.userId);
    expect(policy.frequency).toBe("monthly");
    expect(policy.instalment_minor).toBe(15_000);
    const receipt = await eventually(() =>
      ownerDb().selectFrom("receipts").selectAll().where("transaction_id", "=", tx.id).executeTakeFirst(),
    );
    expect(receipt.receipt_number).toBeTruthy();

    // Decided once: a second confirm (another tab) changes nothing.
    const again = await staff.browser.post("/admin/offline-payments", { intent: "confirm", transactionId: tx.id });
    expect(again.status).toBe(409);
    expect(textOf(again.text)).toContain("already confirmed");
    expect(textOf((await staff.browser.get("/admin/offline-payments")).text)).toContain("No offline payment is waiting");
    expect(textOf((await staff.browser.get("/admin/offline-payments?status=completed")).text)).toContain("BANKIN-77");
    expect(textOf((await browser.get(`/agent/members/${member.memberId}`)).text)).toContain(policy.policy_number!);
    expect(textOf((await browser.get(`/agent/members/${member.memberId}`)).text)).toContain(receipt.receipt_number);

    // The agent sees what was bought through them only: the same policy, had it been bought
    // without them (an account linked later), stays private.
    await ownerDb().updateTable("orders").set({ agent_id: null }).where("id", "=", orderId).execute();
    const page = textOf((await browser.get(`/agent/members/${member.memberId}`)).text);
    expect(page).not.toContain(policy.policy_number!);
    expect(page).not.toContain(receipt.receipt_number);
    expect(page).toContain("No policies yet");
  });

  it("staff reject one with a reason: failed, nothing issued, the agent told, and the order open for another payment", async () => {
    const tenant = await memberTenant();
    const { user: agentUser, browser, orderId, salePath } = await saleReadyToPay(tenant);
    expect((await recordCash(browser, salePath, "SLIP-9")).status).toBe(302);
    const tx = await offlineTx(orderId);
    const staff = await staffOf(tenant);

    const noReason = await staff.browser.post("/admin/offline-payments", { intent: "reject", transactionId: tx.id, reason: "" });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.text)).toContain("Give the reason");
    expect((await offlineTx(orderId)).status).toBe("pending");

    const rejected = await staff.browser.post("/admin/offline-payments", {
      intent: "reject",
      transactionId: tx.id,
      reason: "No such deposit on the bank statement",
    });
    expect(rejected.status).toBe(302);
    const after = await offlineTx(orderId);
    expect(after.status).toBe("failed");
    expect(after.failure_code).toBe("rejected_by_staff");
    expect(after.failure_message).toContain("No such deposit on the bank statement");
    const change = await ownerDb()
      .selectFrom("state_changes")
      .selectAll()
      .where("entity_id", "=", tx.id)
      .where("to_state", "=", "failed")
      .executeTakeFirstOrThrow();
    expect(change).toMatchObject({ event: "fail", reason: "No such deposit on the bank statement", actor_user_id: staff.user.id });
    expect(await auditRows(tenant.id, "payment.offline_rejected", tx.id)).toHaveLength(1);
    const email = await latestMessage(tenant.id, agentUser.email, "offline_payment_rejected");
    expect(email?.body_text).toContain("No such deposit on the bank statement");

    // Nothing issued: the order stays a draft, and no policy appears.
    await new Promise((r) => setTimeout(r, 1_500));
    const order = await ownerDb().selectFrom("orders").select("status").where("id", "=", orderId).executeTakeFirstOrThrow();
    expect(order.status).toBe("draft");
    expect(await ownerDb().selectFrom("policies").select("id").where("order_id", "=", orderId).execute()).toHaveLength(0);

    // The agent sees why, and may record the payment again (the same slip, now that it was not taken).
    const page = textOf((await browser.get(salePath)).text);
    expect(page).toContain("No such deposit on the bank statement");
    expect((await recordCash(browser, salePath, "SLIP-9")).status).toBe(302);
    expect((await offlineTx(orderId)).status).toBe("pending");
  });

  it("is decided only by staff of this agency", async () => {
    const tenant = await memberTenant();
    const { browser, orderId, salePath } = await saleReadyToPay(tenant);
    expect((await recordCash(browser, salePath, "R-1")).status).toBe(302);
    const tx = await offlineTx(orderId);

    // The agent who recorded it cannot confirm it, nor can a customer.
    expect((await browser.get("/admin/offline-payments")).status).toBe(403);
    expect((await browser.post("/admin/offline-payments", { intent: "confirm", transactionId: tx.id })).status).toBe(403);
    const customer = await createUser(tenant.id, { roles: ["customer"] });
    const asCustomer = await signIn(tenant.host, customer.email);
    expect((await asCustomer.post("/admin/offline-payments", { intent: "confirm", transactionId: tx.id })).status).toBe(403);

    // Another agency's staff: the id does not exist for them.
    const elsewhere = await memberTenant();
    const theirStaff = await staffOf(elsewhere);
    expect((await theirStaff.browser.post("/admin/offline-payments", { intent: "confirm", transactionId: tx.id })).status).toBe(404);
    expect(textOf((await theirStaff.browser.get("/admin/offline-payments")).text)).not.toContain("R-1");
    expect((await offlineTx(orderId)).status).toBe("pending");

    // An agency without the agent network has no such page.
    const plain = await createTenant();
    const plainStaff = await createUser(plain.id, { roles: ["staff"] });
    const plainBrowser = await signIn(hostOf(plain), plainStaff.email);
    expect((await plainBrowser.get("/admin/offline-payments")).status).toBe(404);
  });

  it("is never asked about nor expired by reconciliation, however long it waits", async () => {
    const tenant = await memberTenant();
    const { browser, orderId, salePath } = await saleReadyToPay(tenant);
    expect((await recordCash(browser, salePath, "OLD-1")).status).toBe(302);
    const tx = await offlineTx(orderId);
    await ownerDb()
      .updateTable("transactions")
      .set({ created_at: new Date(Date.now() - 3 * 3_600_000) })
      .where("id", "=", tx.id)
      .execute();

    const stale = await withTenant(tenant.id, (db) => stalePendingTransactions(db, 2));
    expect(stale.map((s) => s.id)).not.toContain(tx.id);
    const run = await reconcileTenant(tenant.id);
    expect(run).toMatchObject({ asked: 0, expired: 0, errors: 0 });
    const after = await offlineTx(orderId);
    expect(after.status).toBe("pending");
    expect(await ownerDb().selectFrom("gateway_log").select("id").where("transaction_id", "=", tx.id).execute()).toHaveLength(0);
  });

  it("is refunded by staff recording it, without a provider; an automatic refund of it is refused", async () => {
    const tenant = await memberTenant();
    const { browser, orderId, salePath } = await saleReadyToPay(tenant);
    expect((await recordCash(browser, salePath, "CASH-5")).status).toBe(302);
    const tx = await offlineTx(orderId);
    const admin = await staffOf(tenant, "admin");
    expect((await admin.browser.post("/admin/offline-payments", { intent: "confirm", transactionId: tx.id })).status).toBe(302);

    const automatic = await withTenant(tenant.id, (db) =>
      requestRefund(db, tenant.id, { transactionId: tx.id, amountMinor: 15_000, reason: "Duplicate", userId: null }),
    );
    expect(automatic).toMatchObject({ ok: false, message: expect.stringContaining("refunded by staff") });

    const review = await admin.browser.post(`/admin/transactions/${tx.id}`, {
      intent: "review-refund",
      amount: "50",
      reason: "Cooling-off",
    });
    expect(review.status).toBe(200);
    expect(textOf(review.text)).toContain("no provider is asked");
    const done = await admin.browser.post(`/admin/transactions/${tx.id}`, {
      intent: "confirm-refund",
      amount: "50",
      reason: "Cooling-off",
    });
    expect(done.status).toBe(302);
    expect(done.location).toContain("notice=refund_recorded");
    const refund = await ownerDb().selectFrom("refunds").selectAll().where("transaction_id", "=", tx.id).executeTakeFirstOrThrow();
    expect(refund).toMatchObject({ status: "completed", amount_minor: 5_000, requested_by: admin.user.id, provider_refund_ref: null });
    const after = await offlineTx(orderId);
    expect(after).toMatchObject({ status: "partially_refunded", refunded_minor: 5_000 });
    expect(await ownerDb().selectFrom("gateway_log").select("id").where("transaction_id", "=", tx.id).execute()).toHaveLength(0);
    expect(await auditRows(tenant.id, "payment.offline_refund_recorded", tx.id)).toHaveLength(1);
  });
});

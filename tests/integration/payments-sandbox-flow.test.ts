import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { fileStore } from "~/modules/files/storage.server";
import { processProviderEvent } from "~/modules/payments/events.server";
import { getPayment, startPayment } from "~/modules/payments/payments.server";
import { sandboxCallback } from "~/modules/payments/providers/sandbox.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import {
  ORIGIN,
  customerWithOrder,
  documentsEmail,
  eventsOf,
  issuanceCounts,
  orderRow,
  paymentsTenant,
  policiesOf,
  sandboxSecret,
  transactionRow,
  transactionsOf,
} from "../support/checkout";
import { eventually, ownerDb } from "../support/db";

/**
 * The whole journey on the sandbox, with the real worker: payment → event → issuance → documents
 * → one email; then every replay and late contradiction changes nothing.
 */

async function pay(tenant: TenantInfo, user: { id: string; email: string }, orderId: string, method: "mpesa" | "card" = "mpesa") {
  const started = await startPayment(tenant, {
    target: { orderId },
    userId: user.id,
    method,
    phone: "0712 345 678",
    email: user.email,
    origin: ORIGIN,
  });
  if (!started.ok) throw new Error(`startPayment: ${started.message}`);
  const tx = await transactionRow(started.transactionId);
  return { ...started, providerRef: tx.provider_ref! };
}

async function processEvents(tenantId: string, transactionId: string) {
  for (const e of await eventsOf(transactionId)) await processProviderEvent(tenantId, e.id);
}

describe("sandbox checkout, end to end", () => {
  it("approve: one payment, one policy per item, instalments, one receipt, documents and exactly one email; replays change nothing", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId, itemIds } = await customerWithOrder(tenant);

    const payment = await pay(tenant, user, orderId);
    expect(payment.customerAction).toEqual({ type: "redirect", url: `/sandbox/pay/${payment.providerRef}` });
    const pending = await transactionRow(payment.transactionId);
    expect(pending).toMatchObject({
      status: "pending",
      provider: "sandbox",
      method: "mpesa",
      mode: "test",
      phone_masked: "+254 7** *** 678",
    });
    // The items' prices are frozen when the payment starts, and the amount is their first payments.
    const frozen = await ownerDb().selectFrom("order_items").selectAll().where("order_id", "=", orderId).orderBy("position").execute();
    expect(frozen.map((i) => i.frequency)).toEqual(["monthly", "annual"]);
    expect(frozen.reduce((s, i) => s + Number(i.first_payment_minor), 0)).toBe(Number(pending.amount_minor));

    expect(await playSandboxChoice(tenant, payment.providerRef, "approve")).toEqual({ ok: true, transactionId: payment.transactionId });

    const email = await eventually(async () => {
      const m = await documentsEmail(tenant.id, orderId);
      return m?.status === "outbox" ? m : undefined;
    }, 30_000);

    const tx = await transactionRow(payment.transactionId);
    expect(tx).toMatchObject({ status: "completed", refunded_minor: 0, failure_code: null });
    expect(tx.provider_receipt).toMatch(/^SBX[A-Z0-9]{7}$/);
    expect(tx.completed_at).toBeInstanceOf(Date);
    const order = await orderRow(orderId);
    expect(order.status).toBe("paid");
    expect(order.paid_at).toBeInstanceOf(Date);
    expect((await ownerDb().selectFrom("carts").select("status").where("id", "=", order.cart_id!).executeTakeFirstOrThrow()).status).toBe(
      "checked_out",
    );

    const year = new Date().getFullYear();
    const policies = await policiesOf(orderId);
    expect(policies.map((p) => p.order_item_id)).toEqual(itemIds);
    for (const p of policies) {
      expect(p.status).toBe("active");
      expect(p.policy_number).toMatch(new RegExp(`^BWM-POL-${year}-\\d{6}$`));
      expect(p.start_date).toBeTruthy();
      expect(p.end_date).toBeTruthy();
      expect(p.certificate_file_key).toBeTruthy();
      const pdf = await fileStore().get(p.certificate_file_key!);
      expect(pdf?.body.subarray(0, 5).toString()).toBe("%PDF-");
    }
    expect(new Set(policies.map((p) => p.policy_number)).size).toBe(2);

    const instalments = await ownerDb()
      .selectFrom("instalments")
      .selectAll()
      .where(
        "policy_id",
        "in",
        policies.map((p) => p.id),
      )
      .orderBy("sequence")
      .execute();
    const monthly = instalments.filter((i) => i.policy_id === policies[0]!.id);
    const annual = instalments.filter((i) => i.policy_id === policies[1]!.id);
    expect(monthly).toHaveLength(12);
    expect(monthly[0]).toMatchObject({ sequence: 1, status: "paid", transaction_id: tx.id, amount_minor: frozen[0]!.first_payment_minor });
    expect(
      monthly
        .slice(1)
        .every((i) => i.status === "scheduled" && i.transaction_id === null && i.amount_minor === frozen[0]!.later_instalment_minor),
    ).toBe(true);
    expect(annual).toHaveLength(1);
    expect(annual[0]).toMatchObject({ status: "paid", transaction_id: tx.id });

    const receipts = await ownerDb().selectFrom("receipts").selectAll().where("transaction_id", "=", tx.id).execute();
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.receipt_number).toMatch(new RegExp(`^BWM-RCT-${year}-\\d{6}$`));
    expect((await fileStore().get(receipts[0]!.file_key!))?.body.subarray(0, 5).toString()).toBe("%PDF-");

    expect(email).toMatchObject({ template: "policy_documents", recipient: user.email });
    expect(email.attachments.map((a) => a.filename).sort()).toEqual(
      [...policies.map((p) => `${p.policy_number}.pdf`), `${receipts[0]!.receipt_number}.pdf`].sort(),
    );
    const before = await issuanceCounts(tenant.id, orderId);
    expect(before).toEqual({ policies: 2, instalments: 13, receipts: 1, paidTransactions: 1, documentEmails: 1, orderPaid: 1 });

    // The same approval delivered five more times, then a decline after it (out of order).
    const secret = await sandboxSecret(tenant);
    const callback = () =>
      sandboxCallback(secret, {
        providerRef: payment.providerRef,
        choice: "approve",
        amountMinor: Number(tx.amount_minor),
        currency: "KES",
      });
    for (let i = 0; i < 5; i += 1) expect((await receiveWebhook(tenant, "sandbox", callback())).status).toBe(200);
    const decline = sandboxCallback(secret, {
      providerRef: payment.providerRef,
      choice: "decline",
      amountMinor: Number(tx.amount_minor),
      currency: "KES",
    });
    expect((await receiveWebhook(tenant, "sandbox", decline)).status).toBe(200);
    // The sandbox page itself refuses a second answer.
    expect(await playSandboxChoice(tenant, payment.providerRef, "approve")).toMatchObject({ ok: false });

    await processEvents(tenant.id, tx.id);
    const events = await eventsOf(tx.id);
    expect(events.map((e) => [e.provider_event_id, e.deliveries, e.outcome])).toEqual([
      [`${payment.providerRef}:approve`, 6, "completed"],
      [`${payment.providerRef}:decline`, 1, "ignored_already_completed"],
    ]);
    // Give the worker the chance to do anything it (wrongly) would, then compare.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await issuanceCounts(tenant.id, orderId)).toEqual(before);
    expect(await transactionRow(tx.id)).toMatchObject({ status: "completed", provider_receipt: tx.provider_receipt });
    const changes = await ownerDb()
      .selectFrom("state_changes")
      .select(["to_state", "event"])
      .where("entity_id", "=", tx.id)
      .orderBy("created_at")
      .execute();
    expect(changes).toEqual([
      { to_state: "pending", event: "create" },
      { to_state: "completed", event: "complete" },
    ]);
    // Every delivery is in the raw log.
    const logged = await ownerDb().selectFrom("gateway_log").select("kind").where("transaction_id", "=", tx.id).execute();
    expect(logged.filter((l) => l.kind === "callback")).toHaveLength(7);
    expect(logged.filter((l) => l.kind === "initiate")).toHaveLength(1);

    // A paid order cannot be paid again.
    const again = await startPayment(tenant, {
      target: { orderId },
      userId: user.id,
      method: "mpesa",
      phone: "0712345678",
      email: user.email,
      origin: ORIGIN,
    });
    expect(again).toMatchObject({ ok: false, code: "order_not_payable" });
    expect(await transactionsOf(orderId)).toHaveLength(1);
  });

  it("the next instalment is paid from the account: in sequence only, settled once, with its own receipt", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant);
    const first = await pay(tenant, user, orderId);
    await playSandboxChoice(tenant, first.providerRef, "approve");
    await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
    const [monthly] = await policiesOf(orderId);
    const instalments = await ownerDb()
      .selectFrom("instalments")
      .selectAll()
      .where("policy_id", "=", monthly!.id)
      .orderBy("sequence")
      .execute();
    const [, second, third] = instalments;

    const payInstalment = (instalmentId: string, userId = user.id) =>
      startPayment(tenant, { target: { instalmentId }, userId, method: "mpesa", phone: "0712345678", email: user.email, origin: ORIGIN });
    expect(await payInstalment(third!.id)).toMatchObject({ ok: false, message: expect.stringMatching(/earlier instalment/) });
    expect(await payInstalment(instalments[0]!.id)).toMatchObject({ ok: false, code: "not_payable" });
    const stranger = await customerWithOrder(tenant);
    expect(await payInstalment(second!.id, stranger.user.id)).toMatchObject({ ok: false, code: "not_found" });

    const started = await payInstalment(second!.id);
    if (!started.ok) throw new Error(started.message);
    const tx = await transactionRow(started.transactionId);
    // Paid by M-Pesa: whole shillings, the cents waived.
    expect(tx).toMatchObject({
      instalment_id: second!.id,
      order_id: null,
      amount_minor: second!.amount_minor - (second!.amount_minor % 100),
    });
    await playSandboxChoice(tenant, tx.provider_ref!, "approve");
    const receiptEmail = await eventually(async () => {
      const m = await ownerDb()
        .selectFrom("messages")
        .selectAll()
        .where("tenant_id", "=", tenant.id)
        .where("dedupe_key", "=", `receipt:${tx.id}:email`)
        .executeTakeFirst();
      return m?.status === "outbox" ? m : undefined;
    }, 30_000);
    expect(await ownerDb().selectFrom("instalments").selectAll().where("id", "=", second!.id).executeTakeFirstOrThrow()).toMatchObject({
      status: "paid",
      transaction_id: tx.id,
    });
    const receipts = await ownerDb().selectFrom("receipts").selectAll().where("transaction_id", "=", tx.id).execute();
    expect(receipts).toHaveLength(1);
    expect(receiptEmail.attachments).toEqual([
      { filename: `${receipts[0]!.receipt_number}.pdf`, fileKey: receipts[0]!.file_key, contentType: "application/pdf" },
    ]);
    // Paid once: the instalment cannot be paid again; the order and its policies are as they were.
    expect(await payInstalment(second!.id)).toMatchObject({ ok: false, code: "not_payable" });
    expect(await issuanceCounts(tenant.id, orderId)).toEqual({
      policies: 2,
      instalments: 13,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
      orderPaid: 1,
    });
  });

  it("decline, cancel and time-out leave the order a draft with a message, and a new attempt can start each time", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant, { method: "card" });
    const outcomes = [
      ["decline", "failed", /declined/i],
      ["cancel", "cancelled", /cancelled/i],
      ["timeout", "expired", /timed out/i],
    ] as const;
    const ids: string[] = [];
    for (const [choice, status, message] of outcomes) {
      const payment = await pay(tenant, user, orderId, "card");
      ids.push(payment.transactionId);
      expect(await playSandboxChoice(tenant, payment.providerRef, choice)).toMatchObject({ ok: true });
      await processEvents(tenant.id, payment.transactionId);
      const view = await withTenant(tenant.id, (db) => getPayment(db, payment.transactionId, user.id));
      expect(view).toMatchObject({ status, method: "card", provider: "sandbox" });
      expect(view!.failureMessage).toMatch(message);
      expect((await orderRow(orderId)).status).toBe("draft");
    }
    expect(new Set(ids).size).toBe(3);
    expect(await policiesOf(orderId)).toHaveLength(0);
    // Only the declined attempt tells the customer (the cancel was theirs, the time-out left nothing taken),
    // by email and in the app, with the way back to pay; once, though its event is processed again.
    await processEvents(tenant.id, ids[0]!);
    const told = await ownerDb()
      .selectFrom("messages")
      .select(["channel", "body_text", "link"])
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", user.id)
      .where("event", "=", "payment_failed")
      .orderBy("channel")
      .execute();
    expect(told.map((m) => m.channel)).toEqual(["email", "in_app"]);
    expect(told[0]!.body_text).toContain(`/checkout/${orderId}/pay`);
    expect(told[1]!.link).toBe(`/checkout/${orderId}/pay`);

    // Another customer cannot see the payment.
    const stranger = await customerWithOrder(tenant, { method: "card" });
    expect(await withTenant(tenant.id, (db) => getPayment(db, ids[0]!, stranger.user.id))).toBeUndefined();

    // The fourth attempt goes through, and the failed ones stay as they were.
    const last = await pay(tenant, user, orderId, "card");
    await playSandboxChoice(tenant, last.providerRef, "approve");
    await processEvents(tenant.id, last.transactionId);
    await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
    expect((await transactionsOf(orderId)).map((t) => t.status)).toEqual(["failed", "cancelled", "expired", "completed"]);
    expect(await issuanceCounts(tenant.id, orderId)).toMatchObject({ policies: 2, receipts: 1, paidTransactions: 1, documentEmails: 1 });
  });
});

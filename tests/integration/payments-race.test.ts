import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { processProviderEvent } from "~/modules/payments/events.server";
import { lockTransaction, startPayment } from "~/modules/payments/payments.server";
import { sandboxCallback, sandboxEvent } from "~/modules/payments/providers/sandbox.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { renderOrderDocuments } from "~/modules/policies/documents.server";
import { issueOrder } from "~/modules/policies/issuance.server";
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
 * Two (or more) workers on the same work at the same moment — this process several times over,
 * and the app's own worker besides: one payment, one policy per item, one receipt, one email.
 */

describe("racing workers", () => {
  it("a double click starts one payment", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant);
    const start = () =>
      startPayment(tenant, {
        target: { orderId },
        userId: user.id,
        method: "mpesa",
        phone: "0712345678",
        email: user.email,
        origin: ORIGIN,
      });
    const results = await Promise.all([start(), start(), start()]);
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.transactionId : null)));
    expect(ids.size).toBe(1);
    const txs = await transactionsOf(orderId);
    expect(txs.map((t) => t.status)).toEqual(["pending"]);
    expect(
      await ownerDb()
        .selectFrom("gateway_log")
        .select("id")
        .where("transaction_id", "=", txs[0]!.id)
        .where("kind", "=", "initiate")
        .execute(),
    ).toHaveLength(1);
  });

  it("a duplicate callback arriving while the first delivery is being processed waits, it does not deadlock", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant);
    const started = await startPayment(tenant, { target: { orderId }, userId: user.id, method: "card", email: user.email, origin: ORIGIN });
    if (!started.ok) throw new Error(started.message);
    const tx = await transactionRow(started.transactionId);
    const secret = await sandboxSecret(tenant);
    // A decline: the app's worker processes it without asking anyone, so it finishes promptly.
    const decline = () =>
      sandboxCallback(secret, { providerRef: tx.provider_ref!, choice: "decline", amountMinor: Number(tx.amount_minor), currency: "KES" });
    expect((await receiveWebhook(tenant, "sandbox", decline())).status).toBe(200);
    const [event] = await eventsOf(tx.id);

    // A worker has the event (as processProviderEvent does) when the duplicate comes in.
    let duplicate: Promise<{ status: number }> | undefined;
    await withTenant(tenant.id, async (db) => {
      await db.selectFrom("provider_events").select("id").where("id", "=", event!.id).forUpdate().executeTakeFirstOrThrow();
      duplicate = receiveWebhook(tenant, "sandbox", decline());
      await new Promise((r) => setTimeout(r, 300)); // the duplicate is now waiting for the event row
      await lockTransaction(db, tx.id); // … and the worker goes on to lock the payment
    });
    expect((await duplicate!).status).toBe(200);
    expect((await eventsOf(tx.id)).map((e) => e.deliveries)).toEqual([2]);
  });

  it("a second click on Pay while the success is being applied: they wait for each other, no deadlock", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant);
    const started = await startPayment(tenant, { target: { orderId }, userId: user.id, method: "card", email: user.email, origin: ORIGIN });
    if (!started.ok) throw new Error(started.message);
    const tx = await transactionRow(started.transactionId);
    // The approval, stored as the webhook stores it but without a job, so only this test processes it.
    const payload = {
      type: "sandbox.payment" as const,
      providerRef: tx.provider_ref!,
      choice: "approve" as const,
      amountMinor: Number(tx.amount_minor),
      currency: "KES",
      occurredAt: new Date().toISOString(),
    };
    const event = sandboxEvent(payload);
    const stored = await withTenant(tenant.id, (db) =>
      db
        .insertInto("provider_events")
        .values({
          provider: "sandbox",
          provider_event_id: event.providerEventId,
          kind: "payment",
          event: JSON.stringify({ ...event, raw: undefined }),
          transaction_id: tx.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );

    let processing: Promise<string> | undefined;
    await withTenant(tenant.id, async (db) => {
      // startPayment's order: the order first (two tabs queue here), then its attempt in flight.
      await db.selectFrom("orders").select("id").where("id", "=", orderId).forUpdate().executeTakeFirstOrThrow();
      processing = processProviderEvent(tenant.id, stored.id);
      await new Promise((r) => setTimeout(r, 300));
      await db
        .selectFrom("transactions")
        .select("id")
        .where("order_id", "=", orderId)
        .where("status", "=", "pending")
        .forNoKeyUpdate()
        .execute();
    });
    expect(await processing!).toBe("completed");
    expect(await orderRow(orderId)).toMatchObject({ status: "paid" });
  });

  it("the same event processed by several workers at once, then issuance and documents run concurrently", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant);
    const started = await startPayment(tenant, { target: { orderId }, userId: user.id, method: "card", email: user.email, origin: ORIGIN });
    if (!started.ok) throw new Error(started.message);
    const tx = await transactionRow(started.transactionId);
    const secret = await sandboxSecret(tenant);
    const approve = () =>
      sandboxCallback(secret, { providerRef: tx.provider_ref!, choice: "approve", amountMinor: Number(tx.amount_minor), currency: "KES" });

    // The callback delivered three times at once: one event, three deliveries.
    const answers = await Promise.all([1, 2, 3].map(() => receiveWebhook(tenant, "sandbox", approve())));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const [event, ...others] = await eventsOf(tx.id);
    expect(others).toHaveLength(0);
    expect(event!.deliveries).toBe(3);

    const outcomes = await Promise.all([1, 2, 3, 4].map(() => processProviderEvent(tenant.id, event!.id)));
    // The app's worker may have won; either way exactly one run applied it.
    expect(outcomes.filter((o) => o === "completed").length).toBeLessThanOrEqual(1);
    expect(outcomes.filter((o) => o !== "completed").every((o) => o === "already_processed")).toBe(true);
    expect((await eventsOf(tx.id))[0]!.outcome).toBe("completed");
    expect((await transactionRow(tx.id)).status).toBe("completed");
    expect((await orderRow(orderId)).status).toBe("paid");

    // Issuance several times at once, each in its own transaction (as separate workers would).
    const issued = await Promise.all([1, 2, 3].map(() => withTenant(tenant.id, (db) => issueOrder(db, tenant, orderId))));
    expect(issued.filter((o) => o.startsWith("issued_")).length).toBeLessThanOrEqual(1);
    const policies = await policiesOf(orderId);
    expect(policies).toHaveLength(2);
    expect(policies.every((p) => p.status === "active" && p.policy_number)).toBe(true);

    // And the documents twice at once.
    const rendered = await Promise.all([1, 2].map(() => renderOrderDocuments(tenant, orderId, ORIGIN)));
    expect(rendered.filter((r) => r === "emailed").length).toBeLessThanOrEqual(1);
    await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
    await new Promise((r) => setTimeout(r, 1000));

    expect(await issuanceCounts(tenant.id, orderId)).toEqual({
      policies: 2,
      instalments: 13,
      receipts: 1,
      paidTransactions: 1,
      documentEmails: 1,
      orderPaid: 1,
    });
    const completions = await ownerDb()
      .selectFrom("state_changes")
      .select("id")
      .where("entity_id", "=", tx.id)
      .where("to_state", "=", "completed")
      .execute();
    expect(completions).toHaveLength(1);
    const policyNumbers = await ownerDb()
      .selectFrom("counters")
      .select("value")
      .where("tenant_id", "=", tenant.id)
      .where("series", "=", "policy")
      .executeTakeFirstOrThrow();
    expect(Number(policyNumbers.value)).toBe(2);
  });
});

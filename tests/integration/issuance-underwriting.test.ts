import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { fileStore } from "~/modules/files/storage.server";
import { startPayment } from "~/modules/payments/payments.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { renderPolicyCertificate } from "~/modules/policies/documents.server";
import { approvePolicy, declinePolicy } from "~/modules/policies/underwriting.server";
import {
  ORIGIN,
  customerWithOrder,
  documentsEmail,
  lifeJson,
  motorJson,
  paymentsTenant,
  policiesOf,
  transactionRow,
  transactionsOf,
} from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";

/**
 * Products that need underwriting: paid for with the rest of the order, their policies wait in the
 * queue; approving starts the cover with its certificate and one email, declining refunds the
 * policy's share of the payment and tells the customer.
 */

const messagesWithKey = (tenantId: string, key: string) =>
  ownerDb().selectFrom("messages").selectAll().where("tenant_id", "=", tenantId).where("dedupe_key", "=", `${key}:email`).execute();

describe("issuance with underwriting", () => {
  it("queues what needs underwriting, issues the rest; approve issues with a certificate emailed once; decline refunds and tells", async () => {
    const tenant = await paymentsTenant();
    await ownerDb()
      .updateTable("products")
      .set({ requires_underwriting: true })
      .where("tenant_id", "=", tenant.id)
      .where("slug", "in", ["home-cover", "term-life"])
      .execute();
    const year = new Date().getFullYear();
    const customer = await customerWithOrder(tenant, {
      method: "card",
      lines: [
        { slug: "motor-comprehensive", input: motorJson(150_000_000), frequency: "monthly" },
        { slug: "home-cover", input: { buildingValue: 1_000_000_000 }, frequency: "annual" },
        { slug: "term-life", input: lifeJson(), frequency: "annual" },
      ],
    });
    const underwriter = await createUser(tenant.id, { roles: ["underwriter"], name: "Una Underwriter" });

    const started = await startPayment(tenant, {
      target: { orderId: customer.orderId },
      userId: customer.user.id,
      method: "card",
      email: customer.user.email,
      origin: ORIGIN,
    });
    if (!started.ok) throw new Error(started.message);
    await playSandboxChoice(tenant, (await transactionRow(started.transactionId)).provider_ref!, "approve");
    await eventually(async () => (await documentsEmail(tenant.id, customer.orderId))?.status === "outbox", 30_000);

    const [motor, home, life] = await policiesOf(customer.orderId);
    expect(motor).toMatchObject({ status: "active", policy_number: expect.stringMatching(/^BWM-POL-/) });
    expect(motor!.certificate_file_key).toBeTruthy();
    for (const p of [home!, life!]) {
      expect(p).toMatchObject({
        status: "pending_underwriting",
        policy_number: null,
        certificate_file_key: null,
        start_date: null,
        issued_at: null,
      });
      expect(await ownerDb().selectFrom("instalments").select("id").where("policy_id", "=", p.id).execute()).toHaveLength(0);
    }
    // Each waits in its category's underwriting workflow, for an underwriter, within a day.
    for (const p of [home!, life!]) {
      const instance = await ownerDb()
        .selectFrom("workflow_instances")
        .selectAll()
        .where("subject_id", "=", p.id)
        .executeTakeFirstOrThrow();
      expect(instance).toMatchObject({ subject: "policy", status: "active", current_stage: "underwriting" });
      const task = await ownerDb()
        .selectFrom("workflow_tasks")
        .selectAll()
        .where("instance_id", "=", instance.id)
        .executeTakeFirstOrThrow();
      expect(task).toMatchObject({ status: "open", kind: "manual", required_role: "underwriter", assigned_user_id: null });
      expect(task.due_at!.getTime() - task.started_at.getTime()).toBe(24 * 3_600_000);
    }
    expect(await ownerDb().selectFrom("workflow_instances").select("id").where("subject_id", "=", motor!.id).execute()).toHaveLength(0);

    // The order's email carries the one certificate there is, and the receipt for the whole payment.
    const orderEmail = (await documentsEmail(tenant.id, customer.orderId))!;
    expect(orderEmail.attachments.map((a) => a.filename)).toHaveLength(2);
    expect(orderEmail.attachments.map((a) => a.filename)).toContain(`${motor!.policy_number}.pdf`);
    expect(await ownerDb().selectFrom("receipts").select("id").where("transaction_id", "=", started.transactionId).execute()).toHaveLength(
      1,
    );

    // Approve: cover starts now, with its number, instalments and certificate, and one email.
    expect(await withTenant(tenant.id, (db) => approvePolicy(db, tenant, home!.id, underwriter.id))).toEqual({ ok: true });
    expect(await withTenant(tenant.id, (db) => approvePolicy(db, tenant, home!.id, underwriter.id))).toMatchObject({ ok: false });
    const certificateEmail = await eventually(async () => {
      const [m] = await messagesWithKey(tenant.id, `policy_certificate:${home!.id}`);
      return m?.status === "outbox" ? m : undefined;
    }, 30_000);
    const approved = (await policiesOf(customer.orderId))[1]!;
    expect(approved).toMatchObject({ status: "active", policy_number: expect.stringMatching(new RegExp(`^BWM-POL-${year}-\\d{6}$`)) });
    expect(approved.policy_number).not.toBe(motor!.policy_number);
    expect((await fileStore().get(approved.certificate_file_key!))?.body.subarray(0, 5).toString()).toBe("%PDF-");
    const homeInstalments = await ownerDb().selectFrom("instalments").selectAll().where("policy_id", "=", home!.id).execute();
    expect(homeInstalments).toMatchObject([{ sequence: 1, status: "paid", transaction_id: started.transactionId }]);
    expect(certificateEmail).toMatchObject({ template: "policy_documents", recipient: customer.user.email });
    expect(certificateEmail.attachments).toEqual([
      { filename: `${approved.policy_number}.pdf`, fileKey: approved.certificate_file_key, contentType: "application/pdf" },
    ]);
    // Rendering again (a retried job) sends nothing more.
    expect(await renderPolicyCertificate(tenant, home!.id, ORIGIN)).toBe("already_emailed");
    expect(await messagesWithKey(tenant.id, `policy_certificate:${home!.id}`)).toHaveLength(1);
    expect(await messagesWithKey(tenant.id, `order_documents:${customer.orderId}`)).toHaveLength(1);

    // Decline: a reason is required; the policy's first payment goes back, once; the customer is told.
    expect(await withTenant(tenant.id, (db) => declinePolicy(db, tenant, life!.id, underwriter.id, "  "))).toMatchObject({ ok: false });
    expect(await withTenant(tenant.id, (db) => declinePolicy(db, tenant, motor!.id, underwriter.id, "Not for us"))).toMatchObject({
      ok: false,
    });
    expect(
      await withTenant(tenant.id, (db) => declinePolicy(db, tenant, life!.id, underwriter.id, "Medical history needs a full examination")),
    ).toEqual({ ok: true });
    expect(await withTenant(tenant.id, (db) => declinePolicy(db, tenant, life!.id, underwriter.id, "Again"))).toMatchObject({ ok: false });
    const declined = (await policiesOf(customer.orderId))[2]!;
    expect(declined).toMatchObject({ status: "declined", decline_reason: "Medical history needs a full examination", policy_number: null });
    const lifeItem = await ownerDb()
      .selectFrom("order_items")
      .select("first_payment_minor")
      .where("id", "=", life!.order_item_id)
      .executeTakeFirstOrThrow();
    const refunds = await ownerDb().selectFrom("refunds").selectAll().where("transaction_id", "=", started.transactionId).execute();
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ policy_id: life!.id, amount_minor: lifeItem.first_payment_minor, requested_by: underwriter.id });
    expect(refunds[0]!.reason).toMatch(/Medical history/);

    // The sandbox refunds at once (the app's worker submits it).
    await eventually(
      async () =>
        (await ownerDb().selectFrom("refunds").select("status").where("id", "=", refunds[0]!.id).executeTakeFirstOrThrow()).status ===
        "completed",
      30_000,
    );
    const tx = await transactionRow(started.transactionId);
    expect(tx).toMatchObject({ status: "partially_refunded", refunded_minor: lifeItem.first_payment_minor });
    const declineEmail = await eventually(async () => {
      const [m] = await messagesWithKey(tenant.id, `policy_declined:${life!.id}`);
      return m?.status === "outbox" ? m : undefined;
    }, 30_000);
    expect(declineEmail).toMatchObject({ template: "policy_declined", recipient: customer.user.email });
    expect(declineEmail.body_text).toMatch(/Medical history needs a full examination/);

    // Both workflows ended where the decisions took them, each task closed by the underwriter.
    for (const [p, end, outcome] of [
      [home!, "accepted", "approve"],
      [life!, "declined", "decline"],
    ] as const) {
      const instance = await ownerDb()
        .selectFrom("workflow_instances")
        .selectAll()
        .where("subject_id", "=", p.id)
        .executeTakeFirstOrThrow();
      expect(instance).toMatchObject({ status: "completed", current_stage: end });
      const decided = await ownerDb()
        .selectFrom("workflow_tasks")
        .selectAll()
        .where("instance_id", "=", instance.id)
        .where("stage", "=", "underwriting")
        .executeTakeFirstOrThrow();
      expect(decided).toMatchObject({ status: "completed", outcome, completed_by: underwriter.id });
    }

    // All told: three policies, one payment, one receipt, one refund, and one email per event.
    const templates = await ownerDb()
      .selectFrom("messages")
      .select("template")
      .where("tenant_id", "=", tenant.id)
      .where("recipient", "=", customer.user.email)
      .execute();
    expect(templates.map((t) => t.template).sort()).toEqual(["policy_declined", "policy_documents", "policy_documents"]);
    expect((await transactionsOf(customer.orderId)).map((t) => t.status)).toEqual(["partially_refunded"]);
    const timeline = await ownerDb()
      .selectFrom("state_changes")
      .select(["to_state", "actor_user_id"])
      .where("entity_id", "=", life!.id)
      .orderBy("created_at")
      .execute();
    expect(timeline.map((c) => c.to_state)).toEqual(["pending_payment", "pending_underwriting", "declined"]);
    expect(timeline.at(-1)!.actor_user_id).toBe(underwriter.id);
  });
});

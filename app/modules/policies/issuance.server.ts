import { randomBytes } from "node:crypto";
import type { TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { policyMachine, transition } from "~/modules/workflows";
import { addPolicyVersion } from "./versions.server";
import { renewalIssued, renewalStart, renewalTerm } from "~/modules/renewals/issuance.server";
import { startWorkflow } from "~/modules/workflows/engine.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { coverEndFor, instalmentSchedule } from "./schedule";
import { policyWorkflow } from "./workflow.server";

/**
 * Issuance (job `issue_order`): a paid order's items become policies, exactly once each — the
 * unique (tenant, order_item_id) makes a second run find them and do nothing. A product that
 * requires underwriting waits in the queue instead. The payment gets its receipt number, and one
 * job renders and emails the documents.
 */
export async function issueOrder(db: TenantDb, tenant: TenantInfo, orderId: string): Promise<string> {
  const order = await db.selectFrom("orders").selectAll().where("id", "=", orderId).forUpdate().executeTakeFirst();
  if (!order) return "no_order";
  if (order.status !== "paid") return `order_${order.status}`;
  const payment = await db
    .selectFrom("transactions")
    .select(["id", "status"])
    .where("order_id", "=", orderId)
    .where("status", "in", ["completed", "partially_refunded", "refunded"])
    .orderBy("completed_at")
    .executeTakeFirstOrThrow();

  const items = await db
    .selectFrom("order_items")
    .innerJoin("products", "products.id", "order_items.product_id")
    .innerJoin("categories", "categories.id", "products.category_id")
    .innerJoin("quotes", "quotes.id", "order_items.quote_id")
    .leftJoin("policies", "policies.order_item_id", "order_items.id")
    .select([
      "order_items.id",
      "order_items.quote_id",
      "order_items.product_id",
      "order_items.frequency",
      "order_items.instalments_per_year",
      "order_items.first_payment_minor",
      "order_items.later_instalment_minor",
      "order_items.annual_premium_minor",
      "order_items.discount_minor",
      "products.requires_underwriting",
      "categories.slug as category",
      "policies.id as policy_id",
      "quotes.renewal_of_policy_id",
    ])
    .where("order_items.order_id", "=", orderId)
    .orderBy("order_items.position")
    .execute();

  let created = 0;
  for (const item of items) {
    if (item.policy_id) continue;
    if (item.frequency === null || item.instalments_per_year === null || item.first_payment_minor === null) {
      throw new Error(`Order ${order.reference}: item ${item.id} has no frozen price; it cannot be issued`);
    }
    // A renewal (decision 028): one per policy; a second one paid in a race is refunded, not issued.
    const renewal = item.renewal_of_policy_id ? await renewalTerm(db, tenant, item.renewal_of_policy_id, payment.id) : null;
    if (renewal && !renewal.ok) continue;
    const underwriting = item.requires_underwriting;
    const moved = transition(policyMachine, "pending_payment", underwriting ? "submit_for_underwriting" : "issue", {
      requiresUnderwriting: underwriting,
    });
    if (!moved.ok) throw new Error(`Order ${order.reference}: ${moved.reason}`);
    const policy = await db
      .insertInto("policies")
      .values({
        order_item_id: item.id,
        order_id: orderId,
        user_id: order.user_id,
        product_id: item.product_id,
        quote_id: item.quote_id,
        status: moved.to,
        frequency: item.frequency,
        instalment_minor: item.later_instalment_minor || item.first_payment_minor,
        annual_premium_minor: item.annual_premium_minor ?? 0,
        discount_minor: item.discount_minor ?? 0,
        currency: order.currency,
        verification_code: verificationCode(),
        renewal_of_policy_id: item.renewal_of_policy_id,
        auto_renew: renewal?.autoRenew ?? false,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "order_item_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!policy) continue;
    created += 1;
    await recordStateChange(db, { entity: "policy", entityId: policy.id, from: null, to: "pending_payment", event: "create" });
    await recordStateChange(db, { entity: "policy", entityId: policy.id, from: "pending_payment", to: moved.to, event: moved.event });
    if (!underwriting) await startCover(db, tenant, policy.id, payment.id);
    // Who decides, and by when: the tenant's underwriting workflow for the category (decision 026).
    else await startWorkflow(db, policyWorkflow(tenant), { subjectId: policy.id, scopes: [item.category] });
    if (renewal) await renewalIssued(db, tenant, policy.id, order.origin);
  }

  const receipt = await db.selectFrom("receipts").select("id").where("transaction_id", "=", payment.id).executeTakeFirst();
  if (!receipt) {
    const number = await nextNumber(db, tenant.numberPrefix, "receipt", new Date().getFullYear());
    await db.insertInto("receipts").values({ receipt_number: number, transaction_id: payment.id }).execute();
  }
  await addJob(db, "order_documents", { tenantId: tenant.id, orderId }, { jobKey: `order_documents:${tenant.id}:${orderId}` });
  return created > 0 ? `issued_${created}` : "already_issued";
}

/**
 * An issued (or approved) policy's cover starts today in the tenant's zone (a renewal's, the day
 * after its predecessor's end, decision 028): its number, its dates, and its instalments — the
 * first already paid by the order's payment.
 */
export async function startCover(db: TenantDb, tenant: TenantInfo, policyId: string, paymentId: string): Promise<void> {
  const policy = await db
    .selectFrom("policies")
    .innerJoin("order_items", "order_items.id", "policies.order_item_id")
    .innerJoin("products", "products.id", "policies.product_id")
    .innerJoin("quotes", "quotes.id", "policies.quote_id")
    .leftJoin("policies as predecessor", "predecessor.id", "policies.renewal_of_policy_id")
    .select([
      "policies.id",
      "policies.policy_number",
      "products.requirements",
      "quotes.inputs",
      "order_items.instalments_per_year",
      "order_items.first_payment_minor",
      "order_items.later_instalment_minor",
      "policies.annual_premium_minor",
      "policies.currency",
      "predecessor.end_date as predecessor_end",
    ])
    .where("policies.id", "=", policyId)
    .executeTakeFirstOrThrow();
  if (policy.policy_number) return;
  const start = policy.predecessor_end ? renewalStart(policy.predecessor_end, tenant) : quoteDateIn(tenant.timeZone);
  const number = await nextNumber(db, tenant.numberPrefix, "policy", Number(start.slice(0, 4)));
  await db
    .updateTable("policies")
    .set({
      policy_number: number,
      start_date: start,
      end_date: coverEndFor(start, policy.requirements.coverDaysFrom, policy.inputs),
      issued_at: new Date(),
      updated_at: new Date(),
    })
    .where("id", "=", policyId)
    .execute();
  // Version 1: the policy as issued, the first of its dated, priced versions (decision 027).
  await addPolicyVersion(db, {
    policyId,
    kind: "issue",
    effectiveDate: start,
    annualPremiumMinor: policy.annual_premium_minor,
    currency: policy.currency,
    inputs: policy.inputs,
    summary: "Policy issued",
  });
  const schedule = instalmentSchedule(start, policy.instalments_per_year!, policy.first_payment_minor!, policy.later_instalment_minor ?? 0);
  await db
    .insertInto("instalments")
    .values(
      schedule.map((i) => ({
        policy_id: policyId,
        sequence: i.sequence,
        due_date: i.dueDate,
        amount_minor: i.amountMinor,
        status: i.sequence === 1 ? ("paid" as const) : ("scheduled" as const),
        paid_at: i.sequence === 1 ? new Date() : null,
        transaction_id: i.sequence === 1 ? paymentId : null,
      })),
    )
    .onConflict((oc) => oc.columns(["tenant_id", "policy_id", "sequence"]).doNothing())
    .execute();
}

/** 12 characters from a 32-letter alphabet (60 bits): unguessable, and easy to read out on the phone. */
function verificationCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(12);
  return Array.from(bytes, (b) => alphabet[b % 32]).join("");
}

/**
 * Staff: run issuance again for a paid order (a document that failed to render, a worker that died
 * mid-way). Safe to repeat: everything it does is once-only.
 */
export async function retryIssuance(
  db: TenantDb,
  tenantId: string,
  orderId: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const order = await db.selectFrom("orders").select(["status"]).where("id", "=", orderId).executeTakeFirst();
  if (!order) return { ok: false, message: "We could not find that order." };
  if (order.status !== "paid") return { ok: false, message: "Only a paid order can be issued." };
  // A fresh key each time: a job stuck with a dead worker's lock must not swallow the retry.
  await addJob(db, "issue_order", { tenantId, orderId }, { jobKey: `issue_order:${tenantId}:${orderId}:retry:${Date.now()}` });
  return { ok: true };
}

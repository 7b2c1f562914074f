import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { autoDebitInstalment } from "~/modules/payments/autodebit.server";
import { cancelPolicyMandate, mandateOffer, startMandate } from "~/modules/payments/mandates.server";
import {
  SANDBOX_OFFLINE_BANK,
  SANDBOX_SIGNATURE_HEADER,
  sandboxMandateBody,
  signSandboxBody,
} from "~/modules/payments/providers/sandbox.server";
import { playSandboxMandateChoice } from "~/modules/payments/sandbox.server";
import { receiveWebhook } from "~/modules/payments/webhooks.server";
import { runPremiumSchedule } from "~/modules/policies/premiums.server";
import { quoteDateIn } from "~/modules/rating";
import { addDays } from "~/modules/rating/dates";
import { ORIGIN, sandboxSecret } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import { issuedPolicy } from "./cancellations-support";
import { memberTenant, type MemberTenant } from "./members-support";

/**
 * E-mandates through the sandbox (decision 046): a KHHoldings member paying a Hibah plan monthly
 * authorises a direct debit at their (sandbox) bank, and the authorisation pays the next open
 * instalment (early: it is not due yet), once; the mandate's events move it only forward,
 * whatever order they come in; while active, each later instalment is debited on its due date, once;
 * a debit the bank refuses is not tried again and the member is told, and the next one may go
 * through; a cancelled or rejected mandate debits nothing more.
 */

async function monthlyHibah(tenant: MemberTenant, laterMinor = 27_000) {
  const member = await createUser(tenant.id, { name: "Siti Aminah" });
  const start = addDays(quoteDateIn("Asia/Kuala_Lumpur"), -3);
  const policy = await issuedPolicy(tenant, {
    userId: member.id,
    productSlug: "hibah-senior-care-gold-270",
    frequency: "monthly",
    start,
    firstMinor: 27_000,
    laterMinor,
    paid: 1,
  });
  return { member, policy };
}

const mandateOf = (policyId: string) =>
  ownerDb()
    .selectFrom("payment_methods")
    .selectAll()
    .where("policy_id", "=", policyId)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
const policyRow = (policyId: string) => ownerDb().selectFrom("policies").selectAll().where("id", "=", policyId).executeTakeFirstOrThrow();
const instalmentsOf = (policyId: string) =>
  ownerDb().selectFrom("instalments").selectAll().where("policy_id", "=", policyId).orderBy("sequence").execute();
const paymentsOf = (instalmentId: string) =>
  ownerDb().selectFrom("transactions").selectAll().where("instalment_id", "=", instalmentId).orderBy("created_at").execute();
const debitsOf = (instalmentId: string) =>
  ownerDb()
    .selectFrom("transactions")
    .selectAll()
    .where("instalment_id", "=", instalmentId)
    .where("payment_method_id", "is not", null)
    .execute();
const messagesTo = (tenantId: string, template: string, userId: string) =>
  ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("template", "=", template)
    .where("user_id", "=", userId)
    .execute();

/** A signed sandbox mandate callback, as the sandbox page would post it: for late and repeated deliveries. */
async function deliver(tenant: MemberTenant, providerRef: string, choice: "authorise" | "reject") {
  const rawBody = sandboxMandateBody({ providerRef, choice, maxAmountMinor: 33_750 });
  const headers = new Headers({
    "content-type": "application/json",
    [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(await sandboxSecret(tenant), rawBody),
  });
  return receiveWebhook(tenant, "sandbox", { headers, rawBody });
}

async function eventOutcome(tenantId: string, providerEventId: string) {
  return eventually(async () => {
    const row = await ownerDb()
      .selectFrom("provider_events")
      .select(["outcome", "deliveries"])
      .where("tenant_id", "=", tenantId)
      .where("provider_event_id", "=", providerEventId)
      .executeTakeFirst();
    return row?.outcome ? row : null;
  }, 30_000);
}

async function activeMandate(tenant: MemberTenant, member: { id: string }, policyId: string) {
  const started = await startMandate(tenant, { policyId, userId: member.id, bankCode: "SBX0MBB", origin: ORIGIN });
  if (!started.ok) throw new Error(started.message);
  const ref = started.url.split("/").pop()!;
  const played = await playSandboxMandateChoice(tenant, ref, "authorise");
  if (!played.ok) throw new Error(played.message);
  await eventually(async () => (await mandateOf(policyId)).mandate_status === "active", 30_000);
  return { ref, mandate: await mandateOf(policyId) };
}

describe("e-mandates (sandbox)", () => {
  it("is offered with the bank list, refuses an offline bank leaving nothing behind, and moves only forward", async () => {
    const tenant = await memberTenant();
    const { member, policy } = await monthlyHibah(tenant);

    const offer = await withTenant(tenant.id, (db) => mandateOffer(db, tenant, policy.policyId, member.id));
    expect(offer).toMatchObject({ provider: "sandbox", maxAmountMinor: 33_750 });
    expect(offer!.banks.find((b) => b.code === SANDBOX_OFFLINE_BANK)).toMatchObject({ available: false });

    const offline = await startMandate(tenant, {
      policyId: policy.policyId,
      userId: member.id,
      bankCode: SANDBOX_OFFLINE_BANK,
      origin: ORIGIN,
    });
    expect(offline).toMatchObject({ ok: false, field: "bankCode" });
    expect(await ownerDb().selectFrom("payment_methods").select("id").where("policy_id", "=", policy.policyId).execute()).toEqual([]);

    const started = await startMandate(tenant, { policyId: policy.policyId, userId: member.id, bankCode: "SBX0MBB", origin: ORIGIN });
    expect(started).toMatchObject({ ok: true, url: expect.stringMatching(/^\/sandbox\/mandate\/sbxm_[a-f0-9]{24}$/) });
    const pending = await mandateOf(policy.policyId);
    expect(pending).toMatchObject({
      kind: "mandate",
      mandate_status: "pending",
      bank_name: "Maybank2u (sandbox)",
      max_amount_minor: 33_750,
      is_default: false,
    });
    // The authorisation pays the next instalment (due in a month: early), recorded as its payment.
    const [, second] = await instalmentsOf(policy.policyId);
    expect(offer!.first).toMatchObject({ instalmentId: second!.id, amountMinor: 27_000, early: true });
    expect(await paymentsOf(second!.id)).toMatchObject([
      {
        status: "pending",
        method: "fpx",
        provider: "sandbox",
        amount_minor: 27_000,
        bank_code: "SBX0MBB",
        provider_ref: pending.provider_ref,
        payment_method_id: null,
      },
    ]);
    // Only one mandate being set up at a time.
    expect(await withTenant(tenant.id, (db) => mandateOffer(db, tenant, policy.policyId, member.id))).toBeUndefined();

    const ref = pending.provider_ref!;
    await deliver(tenant, ref, "authorise");
    expect(await eventOutcome(tenant.id, `${ref}:authorise`)).toMatchObject({ outcome: "applied_active" });
    const active = await mandateOf(policy.policyId);
    expect(active.mandate_status).toBe("active");
    // The token is kept encrypted; only a hash of it is searchable.
    expect(active.reference_ciphertext).not.toContain("sbxt_");
    expect(active.mandate_ref_hash).toMatch(/^[a-f0-9]{64}$/);
    expect((await policyRow(policy.policyId)).autodebit_method_id).toBe(active.id);
    await eventually(async () => (await messagesTo(tenant.id, "mandate_active", member.id)).length > 0, 30_000);
    // Authorised: the instalment is paid, by one payment that holds its one saved-method charge (decision 029).
    await eventually(async () => (await instalmentsOf(policy.policyId))[1]!.status === "paid", 30_000);
    expect(await paymentsOf(second!.id)).toMatchObject([{ status: "completed", amount_minor: 27_000, payment_method_id: active.id }]);

    // The same delivery again counts itself and changes nothing; a late "reject" cannot undo an authorised mandate.
    await deliver(tenant, ref, "authorise");
    expect((await eventOutcome(tenant.id, `${ref}:authorise`)).deliveries).toBe(2);
    await deliver(tenant, ref, "reject");
    expect(await eventOutcome(tenant.id, `${ref}:reject`)).toMatchObject({ outcome: "ignored_active_to_rejected" });
    expect((await mandateOf(policy.policyId)).mandate_status).toBe("active");
    expect(await paymentsOf(second!.id)).toMatchObject([{ status: "completed" }]);
    const changes = await ownerDb()
      .selectFrom("state_changes")
      .select(["from_state", "to_state"])
      .where("entity", "=", "mandate")
      .where("entity_id", "=", active.id)
      .orderBy("created_at")
      .execute();
    expect(changes).toEqual([
      { from_state: null, to_state: "pending" },
      { from_state: "pending", to_state: "active" },
    ]);
    expect(await messagesTo(tenant.id, "mandate_stopped", member.id)).toEqual([]);
  });

  it("debits each later instalment on its due date once; a refused debit is not retried and the member is told; the next goes through", async () => {
    const tenant = await memberTenant();
    const { member, policy } = await monthlyHibah(tenant);
    const { mandate } = await activeMandate(tenant, member, policy.policyId);
    const [, second, third, fourth, fifth] = await instalmentsOf(policy.policyId);

    // The authorisation paid the second instalment: its due date debits nothing more.
    await eventually(async () => (await instalmentsOf(policy.policyId))[1]!.status === "paid", 30_000);
    await runPremiumSchedule(tenant, second!.due_date, ORIGIN);
    expect(await autoDebitInstalment(tenant, second!.id)).toBe("skipped");
    expect(await paymentsOf(second!.id)).toHaveLength(1);

    await runPremiumSchedule(tenant, third!.due_date, ORIGIN);
    await runPremiumSchedule(tenant, third!.due_date, ORIGIN);
    await eventually(async () => (await instalmentsOf(policy.policyId))[2]!.status === "paid", 30_000);
    const [debit] = await debitsOf(third!.id);
    expect(await debitsOf(third!.id)).toHaveLength(1);
    expect(debit).toMatchObject({
      status: "completed",
      method: "fpx",
      provider: "sandbox",
      payment_method_id: mandate.id,
      amount_minor: 27_000,
    });

    // The sandbox bank refuses a debit ending in .51 (insufficient funds).
    await ownerDb().updateTable("instalments").set({ amount_minor: 27_051 }).where("id", "=", fourth!.id).execute();
    await runPremiumSchedule(tenant, fourth!.due_date, ORIGIN);
    const [notice] = await eventually(async () => {
      const found = await ownerDb()
        .selectFrom("messages")
        .selectAll()
        .where("dedupe_key", "=", `autodebit_failed:${fourth!.id}:email`)
        .execute();
      return found.length ? found : null;
    }, 30_000);
    expect(notice!.body_text).toContain("Maybank2u (sandbox)");
    expect(await debitsOf(fourth!.id)).toMatchObject([{ status: "failed", failure_code: "insufficient_funds" }]);
    // Asked again (the job rerun, the schedule again): no second debit of the same instalment.
    await autoDebitInstalment(tenant, fourth!.id);
    await runPremiumSchedule(tenant, fourth!.due_date, ORIGIN);
    expect(await debitsOf(fourth!.id)).toHaveLength(1);
    expect((await instalmentsOf(policy.policyId))[3]!.status).not.toBe("paid");

    // The mandate stays in force: the next instalment is debited.
    expect((await mandateOf(policy.policyId)).mandate_status).toBe("active");
    await ownerDb().updateTable("instalments").set({ status: "paid", paid_at: new Date() }).where("id", "=", fourth!.id).execute();
    await runPremiumSchedule(tenant, fifth!.due_date, ORIGIN);
    await eventually(async () => (await instalmentsOf(policy.policyId))[4]!.status === "paid", 30_000);
    expect(await debitsOf(fifth!.id)).toMatchObject([{ status: "completed", payment_method_id: mandate.id }]);
  });

  it("a cancelled mandate stops the debits and the member is told; a rejected one never debits", async () => {
    const tenant = await memberTenant();
    const { member, policy } = await monthlyHibah(tenant);
    await activeMandate(tenant, member, policy.policyId);

    // Someone else cannot cancel it.
    const stranger = await createUser(tenant.id);
    expect(await cancelPolicyMandate(tenant, { policyId: policy.policyId, userId: stranger.id, actorUserId: stranger.id })).toMatchObject({
      ok: false,
    });
    expect(await cancelPolicyMandate(tenant, { policyId: policy.policyId, userId: member.id, actorUserId: member.id })).toEqual({
      ok: true,
    });
    const cancelled = await mandateOf(policy.policyId);
    expect(cancelled.mandate_status).toBe("cancelled");
    expect((await policyRow(policy.policyId)).autodebit_method_id).toBeNull();
    await eventually(async () => (await messagesTo(tenant.id, "mandate_stopped", member.id)).length > 0, 30_000);
    // A late "authorise" for the cancelled mandate changes nothing.
    await deliver(tenant, cancelled.provider_ref!, "authorise");
    expect((await mandateOf(policy.policyId)).mandate_status).toBe("cancelled");

    const [, , third] = await instalmentsOf(policy.policyId);
    await runPremiumSchedule(tenant, third!.due_date, ORIGIN);
    expect(await autoDebitInstalment(tenant, third!.id)).toBe("skipped");
    expect(await debitsOf(third!.id)).toEqual([]);

    // A new mandate may follow the cancelled one; its authorisation would pay the third instalment,
    // now due. The bank rejecting it takes nothing, the instalment stays due, and the member is told.
    const again = await startMandate(tenant, { policyId: policy.policyId, userId: member.id, bankCode: "SBX0CIMB", origin: ORIGIN });
    if (!again.ok) throw new Error(again.message);
    expect(await paymentsOf(third!.id)).toMatchObject([{ status: "pending", amount_minor: 27_000 }]);
    expect(await playSandboxMandateChoice(tenant, again.url.split("/").pop()!, "reject")).toMatchObject({ ok: true });
    await eventually(async () => (await mandateOf(policy.policyId)).mandate_status === "rejected", 30_000);
    expect((await policyRow(policy.policyId)).autodebit_method_id).toBeNull();
    await eventually(async () => (await messagesTo(tenant.id, "mandate_stopped", member.id)).length > 1, 30_000);
    expect(await paymentsOf(third!.id)).toMatchObject([
      { status: "failed", failure_code: "mandate_not_authorised", payment_method_id: null },
    ]);
    expect((await instalmentsOf(policy.policyId))[2]!.status).toBe("due");

    // Rejected is not the end: the member may try again, and this authorisation pays the same instalment.
    const third_try = await startMandate(tenant, { policyId: policy.policyId, userId: member.id, bankCode: "SBX0MBB", origin: ORIGIN });
    if (!third_try.ok) throw new Error(third_try.message);
    expect(await playSandboxMandateChoice(tenant, third_try.url.split("/").pop()!, "authorise")).toMatchObject({ ok: true });
    await eventually(async () => (await instalmentsOf(policy.policyId))[2]!.status === "paid", 30_000);
    expect((await paymentsOf(third!.id)).map((p) => p.status)).toEqual(["failed", "completed"]);
  });
});

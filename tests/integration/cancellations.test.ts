/**
 * Cancelling a policy (issue 13, item 3; decision 030), through the pages over real HTTP and the
 * module: the customer's cancellation in the free look (quote, reason, confirmation, the refund
 * through the sandbox, the letter and the notice), staff cancelling any policy, cash the agency
 * returns itself, the certificate check saying "cancelled", and every bad input refused with
 * nothing changed.
 */
import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { cancelPolicy } from "~/modules/cancellations/cancel.server";
import { quoteCancellation } from "~/modules/cancellations/quote.server";
import { startPayment } from "~/modules/payments/payments.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { fileStore } from "~/modules/files/storage.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { createUser, eventually, ownerDb } from "../support/db";
import { readPdf } from "../support/pdf";
import { customerWithOrder, documentsEmail, ORIGIN, paymentsTenant, policiesOf, transactionRow, TWO_PRODUCTS } from "../support/checkout";
import { signIn, textOf } from "./accounts-support";
import { bowmanStore, issuedPolicy, policyRow, refundsOf, versionsOf } from "./cancellations-support";

const instalmentsOf = (policyId: string) =>
  ownerDb().selectFrom("instalments").select(["sequence", "status"]).where("policy_id", "=", policyId).orderBy("sequence").execute();

async function snapshot(policyId: string) {
  return {
    policy: await policyRow(policyId),
    versions: await versionsOf(policyId),
    refunds: await refundsOf(policyId),
    instalments: await instalmentsOf(policyId),
  };
}

describe("cancelling a policy", () => {
  it("a customer cancels in the free look: the quote, a reason, the full refund through the sandbox, the letter and the notice", async () => {
    const tenant = await bowmanStore();
    const today = quoteDateIn(tenant.timeZone);
    const customer = await createUser(tenant.id, { name: "Amina Hassan" });
    // Medical paid monthly, issued today, two instalments paid (the second early).
    const policy = await issuedPolicy(tenant, {
      userId: customer.id,
      productSlug: "zawadi-family-health",
      frequency: "monthly",
      start: today,
      firstMinor: 1_250_050,
      laterMinor: 1_250_000,
      paid: 2,
    });
    const browser = await signIn(tenant.host, customer.email);

    const page = await browser.get(`/account/policies/${policy.policyId}/cancel`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Free look");
    expect(text).toContain("Ksh 25,000.50");
    expect(await browser.get(`/account/policies/${policy.policyId}`)).toMatchObject({
      status: 200,
      text: expect.stringContaining(`/account/policies/${policy.policyId}/cancel`),
    });

    // No reason, no confirmation: field errors, nothing changed.
    const before = await snapshot(policy.policyId);
    const refused = await browser.post(`/account/policies/${policy.policyId}/cancel`, { intent: "cancel", reason: "", details: "" });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain("Choose a reason.");
    expect(textOf(refused.text)).toContain("Tick the box to confirm");
    expect(await snapshot(policy.policyId)).toEqual(before);

    const done = await browser.post(`/account/policies/${policy.policyId}/cancel`, {
      intent: "cancel",
      reason: "cover_elsewhere",
      details: "My employer covers us now",
      confirm: "yes",
    });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/account/policies/${policy.policyId}/cancel?cancelled=1`);

    const row = await policyRow(policy.policyId);
    expect(row).toMatchObject({
      status: "cancelled",
      cancelled_on: today,
      cancellation_reason: "I have cover elsewhere: My employer covers us now",
    });
    const versions = await versionsOf(policy.policyId);
    expect(versions.map((v) => [v.version, v.kind, Number(v.premium_delta_minor), v.effective_date])).toEqual([
      [1, "issue", 0, today],
      [2, "cancellation", -2_500_050, today],
    ]);
    expect(row.current_version).toBe(2);
    // The instalments not yet due are cancelled; the paid ones stay paid.
    expect((await instalmentsOf(policy.policyId)).map((i) => i.status)).toEqual(["paid", "paid", ...Array(10).fill("cancelled")]);
    // One refund per payment, each for the version (newest first is the quote's order: they share a
    // transaction's timestamp here, so the rows are compared as a set).
    const refunds = await refundsOf(policy.policyId);
    expect(refunds.map((r) => [r.transaction_id, r.amount_minor, r.policy_version_id])).toHaveLength(2);
    expect(refunds.map((r) => [r.transaction_id, r.amount_minor, r.policy_version_id])).toEqual(
      expect.arrayContaining([
        [policy.transactionIds[1], 1_250_000, versions[1]!.id],
        [policy.transactionIds[0], 1_250_050, versions[1]!.id],
      ]),
    );
    // The sandbox returns the money (the worker's provider job).
    await eventually(async () => (await refundsOf(policy.policyId)).every((r) => r.status === "completed"), 20_000);
    const txs = await ownerDb()
      .selectFrom("transactions")
      .select(["id", "status", "refunded_minor"])
      .where("id", "in", policy.transactionIds)
      .execute();
    expect(txs.every((t) => t.status === "refunded")).toBe(true);

    // The letter, drawn by the job: the refund and the dates in it.
    const version = await eventually(
      async () => (await versionsOf(policy.policyId)).find((v) => v.kind === "cancellation" && v.letter_file_key),
      20_000,
    );
    const pdf = await readPdf((await fileStore().get(version.letter_file_key!))!.body);
    expect(pdf.title).toBe(`Cancellation of policy ${policy.policyNumber}`);
    expect(pdf.text).toContain("Ksh 25,000.50");
    expect(pdf.text).toContain("Free look");
    expect(pdf.text).toContain("I have cover elsewhere: My employer covers us now");
    const day = new Intl.DateTimeFormat("en-KE", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${today}T00:00:00Z`));
    expect(pdf.text).toContain(`Your cover ended at the start of ${day}`);

    // The notice: about policy changes, to this customer, the letter attached.
    const email = await eventually(() =>
      ownerDb()
        .selectFrom("messages")
        .selectAll()
        .where("tenant_id", "=", tenant.id)
        .where("dedupe_key", "=", `policy_cancelled:${version.id}:email`)
        .executeTakeFirst(),
    );
    expect(email).toMatchObject({ template: "policy_cancelled" });
    expect(email.body_text.replace(/\s+/g, " ")).toContain("Ksh 25,000.50");
    expect(email.attachments).toEqual([expect.objectContaining({ fileKey: version.letter_file_key, contentType: "application/pdf" })]);

    // The page shows the progress and the letter; the link downloads it for this customer.
    const after = await browser.get(`/account/policies/${policy.policyId}/cancel`);
    expect(textOf(after.text)).toContain("Returned");
    const link = /href="([^"]+)"[^>]*download/.exec(after.text)?.[1]?.replace(/&amp;/g, "&");
    expect(link).toBeTruthy();
    const download = await browser.get(link!);
    expect(download.status).toBe(200);
    expect(download.headers["content-type"]).toContain("application/pdf");

    // Cancelling twice: a clear error, nothing changed.
    const settled = await snapshot(policy.policyId);
    const twice = await browser.post(`/account/policies/${policy.policyId}/cancel`, {
      intent: "cancel",
      reason: "other",
      details: "again",
      confirm: "yes",
    });
    expect(twice.status).toBe(400);
    expect(textOf(twice.text)).toContain("This policy is already cancelled.");
    expect(await snapshot(policy.policyId)).toEqual(settled);

    // The certificate check says cancelled, and since when.
    const verify = await browser.get(`/verify/${row.verification_code}`);
    expect(textOf(verify.text)).toContain("This policy has been cancelled");
    expect(textOf(verify.text)).toContain(`Cancelled on ${day}`);
  }, 90_000);

  it("staff cancel a customer's policy with their reason; cash collected offline is returned by the agency, recorded once", async () => {
    const tenant = await bowmanStore();
    const today = quoteDateIn(tenant.timeZone);
    const customer = await createUser(tenant.id);
    const admin = await createUser(tenant.id, { roles: ["admin"] });
    const policy = await issuedPolicy(tenant, {
      userId: customer.id,
      productSlug: "savannah-private-comprehensive",
      frequency: "annual",
      start: today,
      firstMinor: 4_500_000,
      provider: "offline",
    });

    // The customer's own cancellation leaves cash to the agency: no refund row, shown as owed.
    const mine = await signIn(tenant.host, customer.email);
    expect(
      (await mine.post(`/account/policies/${policy.policyId}/cancel`, { intent: "cancel", reason: "too_expensive", confirm: "yes" }))
        .status,
    ).toBe(302);
    expect(await refundsOf(policy.policyId)).toEqual([]);
    expect(textOf((await mine.get(`/account/policies/${policy.policyId}/cancel`)).text)).toContain(
      "Ksh 45,000.00 paid in cash or by bank-in is to be returned by the agency",
    );
    // Customers cannot record it, nor open the staff page.
    expect((await mine.get(`/admin/policies/${policy.policyId}/cancel`)).status).toBe(403);

    const staff = await signIn(tenant.host, admin.email);
    const staffPage = await staff.get(`/admin/policies/${policy.policyId}/cancel`);
    expect(staffPage.status).toBe(200);
    expect(textOf(staffPage.text)).toContain("Record that the agency returned Ksh 45,000.00");
    expect((await staff.post(`/admin/policies/${policy.policyId}/cancel`, { intent: "record_agency_return" })).status).toBe(302);
    const refunds = await refundsOf(policy.policyId);
    expect(refunds).toEqual([expect.objectContaining({ amount_minor: 4_500_000, status: "completed", requested_by: admin.id })]);
    // Once: a second record finds nothing owed.
    const again = await staff.post(`/admin/policies/${policy.policyId}/cancel`, { intent: "record_agency_return" });
    expect(again.status).toBe(400);
    expect(await refundsOf(policy.policyId)).toHaveLength(1);

    // Staff cancel another policy of any customer, with the staff's reasons; cash is recorded at once.
    const other = await issuedPolicy(tenant, {
      userId: customer.id,
      productSlug: "savannah-private-comprehensive",
      frequency: "annual",
      start: today,
      firstMinor: 300_000,
      provider: "offline",
    });
    const bad = await staff.post(`/admin/policies/${other.policyId}/cancel`, {
      intent: "cancel",
      reason: "cover_elsewhere",
      confirm: "yes",
    });
    expect(bad.status).toBe(400);
    expect(await policyRow(other.policyId)).toMatchObject({ status: "active" });
    expect(
      (await staff.post(`/admin/policies/${other.policyId}/cancel`, { intent: "cancel", reason: "non_disclosure", confirm: "yes" })).status,
    ).toBe(302);
    expect(await policyRow(other.policyId)).toMatchObject({
      status: "cancelled",
      cancellation_reason: "Material facts were not disclosed",
    });
    expect(await refundsOf(other.policyId)).toEqual([expect.objectContaining({ amount_minor: 300_000, status: "completed" })]);
    const timeline = await ownerDb()
      .selectFrom("state_changes")
      .select(["event", "actor_user_id"])
      .where("entity_id", "=", other.policyId)
      .execute();
    expect(timeline).toContainEqual({ event: "cancel", actor_user_id: admin.id });

    // Staff download the letter too, once the job has drawn it.
    await eventually(
      async () => (await staff.get(`/admin/policies/${other.policyId}/cancel`)).text.includes("Download the cancellation letter (PDF)"),
      20_000,
    );

    // Another agency's policy is not found from this back office, and nothing changes there.
    const elsewhere = await bowmanStore();
    const theirCustomer = await createUser(elsewhere.id);
    const foreign = await issuedPolicy(elsewhere, {
      userId: theirCustomer.id,
      productSlug: "savannah-private-comprehensive",
      frequency: "annual",
      start: today,
      firstMinor: 100_000,
    });
    expect((await staff.get(`/admin/policies/${foreign.policyId}/cancel`)).status).toBe(404);
    expect(
      (await staff.post(`/admin/policies/${foreign.policyId}/cancel`, { intent: "cancel", reason: "duplicate", confirm: "yes" })).status,
    ).toBe(404);
    expect((await policyRow(foreign.policyId)).status).toBe("active");
  });

  it("refuses what cannot be cancelled, another customer's or agency's policy, and bad reasons, changing nothing", async () => {
    const tenant = await bowmanStore();
    const elsewhere = await bowmanStore();
    const today = quoteDateIn(tenant.timeZone);
    const customer = await createUser(tenant.id);
    const stranger = await createUser(tenant.id);
    const make = (status?: "active" | "expired" | "declined" | "cancelled" | "lapsed", userId = customer.id, store = tenant) =>
      issuedPolicy(store, {
        userId,
        productSlug: "savannah-private-comprehensive",
        frequency: "annual",
        start: today,
        firstMinor: 100_000,
        status,
      });
    const browser = await signIn(tenant.host, customer.email);
    const post = (policyId: string, fields: Record<string, string>) =>
      browser.post(`/account/policies/${policyId}/cancel`, { intent: "cancel", confirm: "yes", ...fields });

    for (const [status, message] of [
      ["expired", "This policy has expired"],
      ["declined", "This application was declined"],
      ["cancelled", "This policy is already cancelled."],
      ["lapsed", "This policy has lapsed"],
    ] as const) {
      const p = await make(status);
      const before = await snapshot(p.policyId);
      const res = await post(p.policyId, { reason: "no_longer_needed" });
      expect(res.status, status).toBe(400);
      expect(textOf(res.text)).toContain(message);
      expect(textOf((await browser.get(`/account/policies/${p.policyId}/cancel`)).text)).toContain(message);
      expect(await snapshot(p.policyId)).toEqual(before);
    }

    // Someone else's policy, or another agency's: not found, exactly like none.
    const theirs = await make("active", stranger.id);
    const foreignUser = await createUser(elsewhere.id);
    const foreign = await make("active", foreignUser.id, elsewhere);
    for (const id of [theirs.policyId, foreign.policyId, "00000000-0000-4000-8000-000000000000"]) {
      expect((await browser.get(`/account/policies/${id}/cancel`)).status).toBe(404);
      expect((await post(id, { reason: "no_longer_needed" })).status).toBe(404);
    }
    expect((await policyRow(theirs.policyId)).status).toBe("active");
    expect((await policyRow(foreign.policyId)).status).toBe("active");
    expect((await browser.get(`/account/policies/not-a-uuid/cancel`)).status).toBe(404);

    // Bad reasons: unknown code, "Something else" without words, NUL bytes, huge text.
    const p = await make("active");
    const before = await snapshot(p.policyId);
    for (const [fields, message] of [
      [{ reason: "made_up" }, "Choose a reason."],
      [{ reason: "other", details: "" }, "Tell us the reason in a few words."],
      [{ reason: "other", details: "bad\u0000bytes" }, "Remove the control characters"],
      [{ reason: "other", details: "x".repeat(5_000) }, "Use at most 500 characters."],
      [{ reason: "other", details: "y".repeat(50_000) }, "Use at most"],
    ] as const) {
      const res = await post(p.policyId, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 60)).toBe(400);
      expect(textOf(res.text)).toContain(message);
    }
    expect(await snapshot(p.policyId)).toEqual(before);

    // The module refuses the same without the page: no reason, NUL bytes, someone else's policy.
    await withTenant(tenant.id, async (db) => {
      const input = { policyId: p.policyId, actorUserId: customer.id, by: "customer" as const, today };
      expect(await cancelPolicy(db, tenant, { ...input, reason: "  " })).toMatchObject({ ok: false, field: "reason" });
      expect(await cancelPolicy(db, tenant, { ...input, reason: "a\u0000b" })).toMatchObject({ ok: false, field: "reason" });
      expect(await cancelPolicy(db, tenant, { ...input, actorUserId: stranger.id, reason: "No longer needed" })).toMatchObject({
        ok: false,
        code: "not_found",
      });
    });
    expect(await snapshot(p.policyId)).toEqual(before);

    // Two cancellations at once (two tabs): the policy's lock lets one through; one version, one refund.
    const raced = await Promise.all(
      [0, 1].map(() =>
        withTenant(tenant.id, (db) =>
          cancelPolicy(db, tenant, { policyId: p.policyId, reason: "No longer needed", actorUserId: customer.id, by: "customer", today }),
        ),
      ),
    );
    expect(raced.filter((r) => r.ok)).toHaveLength(1);
    expect(raced.find((r) => !r.ok)).toMatchObject({ message: "This policy is already cancelled." });
    expect((await versionsOf(p.policyId)).filter((v) => v.kind === "cancellation")).toHaveLength(1);
    expect(await refundsOf(p.policyId)).toHaveLength(1);
  });
});

describe("cancelling one policy of an order that paid for several", () => {
  it("returns only that policy's part of the order's payment, and the other policy's part when it is cancelled too", async () => {
    const tenant = await paymentsTenant();
    const { user, orderId } = await customerWithOrder(tenant, { lines: TWO_PRODUCTS });
    const started = await startPayment(tenant, { target: { orderId }, userId: user.id, method: "card", email: user.email, origin: ORIGIN });
    if (!started.ok) throw new Error(started.message);
    await playSandboxChoice(tenant, (await transactionRow(started.transactionId)).provider_ref!, "approve");
    await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
    const [motor, home] = await policiesOf(orderId);
    const items = await ownerDb().selectFrom("order_items").selectAll().where("order_id", "=", orderId).orderBy("position").execute();
    const payment = await transactionRow(started.transactionId);
    expect(payment.amount_minor).toBe(items[0]!.first_payment_minor! + items[1]!.first_payment_minor!);
    const today = quoteDateIn(tenant.timeZone);

    // Motor (monthly) in the free look: its first payment back, nothing of the home cover's.
    const first = await withTenant(tenant.id, (db) =>
      cancelPolicy(db, tenant, { policyId: motor!.id, reason: "I have cover elsewhere", actorUserId: user.id, by: "customer", today }),
    );
    expect(first).toMatchObject({
      ok: true,
      quote: { method: "free_look", paidMinor: items[0]!.first_payment_minor, returnMinor: items[0]!.first_payment_minor },
    });
    expect(await refundsOf(motor!.id)).toEqual([
      expect.objectContaining({ transaction_id: payment.id, amount_minor: items[0]!.first_payment_minor }),
    ]);
    expect(await policyRow(home!.id)).toMatchObject({ status: "active" });
    // The home cover's quote still sees its whole part of the payment.
    const homeQuote = await withTenant(tenant.id, (db) => quoteCancellation(db, tenant, home!.id, { on: today }));
    expect(homeQuote).toMatchObject({
      ok: true,
      quote: { paidMinor: items[1]!.first_payment_minor, returnMinor: items[1]!.first_payment_minor },
    });

    await withTenant(tenant.id, (db) =>
      cancelPolicy(db, tenant, { policyId: home!.id, reason: "I no longer need this cover", actorUserId: user.id, by: "customer", today }),
    );
    await eventually(async () => (await transactionRow(payment.id)).status === "refunded", 20_000);
    expect(await transactionRow(payment.id)).toMatchObject({ refunded_minor: payment.amount_minor });
  });
});

import { describe, expect, it } from "vitest";
import { SANDBOX_OFFLINE_BANK } from "~/modules/payments/providers/sandbox.server";
import { createUser, eventually, ownerDb } from "../support/db";
import { orderReadyForPayment, policiesOf, transactionsOf } from "../support/checkout";
import { quoteDateIn } from "~/modules/rating";
import { addDays } from "~/modules/rating/dates";
import { signIn, textOf } from "./accounts-support";
import { issuedPolicy } from "./cancellations-support";
import { memberTenant } from "./members-support";

/**
 * FPX at checkout and the member's automatic debit, over HTTP against the built app (issue 15,
 * decision 046): a KHHoldings member pays a monthly Hibah plan by FPX through the sandbox bank
 * they pick (an offline bank is refused with a field message), then authorises a direct debit
 * mandate from the policy page, sees it active, and cancels it.
 */
describe("FPX checkout and the member's mandate (HTTP)", () => {
  it("pays by FPX with a chosen bank, then sets up, sees and cancels the automatic debit", async () => {
    const tenant = await memberTenant();
    const member = await createUser(tenant.id, { name: "Siti Aminah" });
    const { orderId } = await orderReadyForPayment(tenant, member, {
      lines: [{ slug: "hibah-senior-care-gold-270", input: {}, frequency: "monthly" }],
      method: "fpx",
      details: { phone: "+60123456789", address: "12 Jalan Ampang, Kuala Lumpur", identifiers: { nric: "850412-10-1234" } },
    });
    const browser = await signIn(tenant.host, member.email);

    // The pay page lists the sandbox banks, the offline one greyed out, and the wallets.
    const page = await browser.get(`/checkout/${orderId}/pay`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<option value="SBX0RHB" disabled="">RHB Now \(sandbox\) \(offline now\)<\/option>/);
    expect(textOf(page.text)).toContain("Touch 'n Go eWallet (sandbox)");

    // No bank, or an offline one: a field message, nothing started.
    const noBank = await browser.post(`/checkout/${orderId}/pay`, { method: "fpx" });
    expect(noBank.status).toBe(400);
    expect(textOf(noBank.text)).toContain("Choose a bank that is online now.");
    const offline = await browser.post(`/checkout/${orderId}/pay`, { method: "fpx", bank: SANDBOX_OFFLINE_BANK });
    expect(offline.status).toBe(400);
    expect(await transactionsOf(orderId)).toEqual([]);

    const paying = await browser.post(`/checkout/${orderId}/pay`, { method: "fpx", bank: "SBX0MBB" });
    expect(paying.status).toBe(302);
    expect(paying.location).toMatch(/^\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    const [tx] = await transactionsOf(orderId);
    expect(tx).toMatchObject({ method: "fpx", bank_code: "SBX0MBB", currency: "MYR", status: "pending" });

    const bank = await browser.get(paying.location!);
    expect(textOf(bank.text)).toContain("Log in to Maybank2u (sandbox)");
    const approved = await browser.post(paying.location!, { choice: "approve" });
    expect(approved.status).toBe(302);
    const [policy] = await eventually(async () => {
      const found = await policiesOf(orderId);
      return found[0]?.policy_number ? found : null;
    }, 30_000);

    // The order page offers the automatic debit for the monthly plan.
    const order = await browser.get(`/orders/${orderId}`);
    expect(textOf(order.text)).toContain(`Set up automatic debit for ${policy!.policy_number}`);

    const policyPage = `/account/policies/${policy!.id}`;
    const noConsent = await browser.post(policyPage, { intent: "mandate", bankCode: "SBX0MBB" });
    expect(noConsent.status).toBe(400);
    expect(textOf(noConsent.text)).toContain("Tick the box to authorise the automatic debit.");
    // The consent names what the authorisation takes now: the next instalment, paid early.
    expect(textOf((await browser.get(policyPage)).text)).toMatch(
      /My bank will debit RM\s?[\d,.]+ now for the instalment due on .+, paying it early/,
    );
    const setUp = await browser.post(policyPage, { intent: "mandate", bankCode: "SBX0MBB", consent: "on" });
    expect(setUp.status).toBe(302);
    expect(setUp.location).toMatch(/^\/sandbox\/mandate\/sbxm_[a-f0-9]{24}$/);
    expect(textOf((await browser.get(setUp.location!)).text)).toMatch(/Authorising pays RM\s?[\d,.]+ now/);
    const authorised = await browser.post(setUp.location!, { choice: "authorise" });
    expect(authorised.location).toBe(policyPage);
    await eventually(
      async () =>
        (await ownerDb().selectFrom("policies").select("autodebit_method_id").where("id", "=", policy!.id).executeTakeFirst())
          ?.autodebit_method_id,
      30_000,
    );
    // The authorisation paid the second instalment.
    await eventually(async () => {
      const second = await ownerDb()
        .selectFrom("instalments")
        .select("status")
        .where("policy_id", "=", policy!.id)
        .where("sequence", "=", 2)
        .executeTakeFirstOrThrow();
      return second.status === "paid";
    }, 30_000);
    const shown = textOf((await browser.get(policyPage)).text);
    expect(shown).toContain("Direct debit mandate Active");
    expect(shown).toContain("Maybank2u (sandbox)");

    const cancelled = await browser.post(policyPage, { intent: "cancelMandate" });
    expect(cancelled.status).toBe(302);
    expect(textOf((await browser.get(policyPage)).text)).toContain("Direct debit mandate Cancelled");
    expect(
      (await ownerDb().selectFrom("policies").select("autodebit_method_id").where("id", "=", policy!.id).executeTakeFirstOrThrow())
        .autodebit_method_id,
    ).toBeNull();
  });

  it("refuses hostile input on the consent form with a field message or a 404, saving nothing", async () => {
    const tenant = await memberTenant();
    const member = await createUser(tenant.id, { name: "Siti Aminah" });
    const stranger = await createUser(tenant.id, { name: "Nur Aisyah" });
    const issue = (userId: string) =>
      issuedPolicy(tenant, {
        userId,
        productSlug: "hibah-senior-care-gold-270",
        frequency: "monthly",
        start: addDays(quoteDateIn("Asia/Kuala_Lumpur"), -3),
        firstMinor: 27_000,
        laterMinor: 27_000,
        paid: 1,
      });
    const mine = await issue(member.id);
    const theirs = await issue(stranger.id);
    const browser = await signIn(tenant.host, member.email);
    const saved = async () => ({
      mandates: await ownerDb()
        .selectFrom("payment_methods")
        .select("id")
        .where("policy_id", "in", [mine.policyId, theirs.policyId])
        .execute(),
      payments: await ownerDb()
        .selectFrom("transactions")
        .innerJoin("instalments", "instalments.id", "transactions.instalment_id")
        .select("transactions.id")
        .where("instalments.policy_id", "in", [mine.policyId, theirs.policyId])
        .execute(),
    });
    const before = await saved();
    const page = `/account/policies/${mine.policyId}`;

    for (const [fields, message] of [
      [{ bankCode: "SBX0MBB\u0000", consent: "on" }, null],
      [{ bankCode: "SBX0MBB\r\nX-Injected: 1", consent: "on" }, null],
      [{ bankCode: "SBX0MBB", consent: "yes" }, "Tick the box to authorise the automatic debit."],
      [{ bankCode: "SBX0MBB", consent: "" }, "Tick the box to authorise the automatic debit."],
    ] as [Record<string, string | string[]>, string | null][]) {
      const res = await browser.post(page, { intent: "mandate", ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      if (message) expect(textOf(res.text)).toContain(message);
      expect(res.text).not.toMatch(/at .+\.js:\d+/);
    }
    // A megabyte of bank code: refused before anything is read into the form, never a 500.
    const huge = await browser.post(page, { intent: "mandate", bankCode: "A".repeat(1024 * 1024), consent: "on" });
    expect([400, 413]).toContain(huge.status);
    // Another member's policy is not found.
    const other = await browser.post(`/account/policies/${theirs.policyId}`, { intent: "mandate", bankCode: "SBX0MBB", consent: "on" });
    expect(other.status).toBe(404);
    expect(await saved()).toEqual(before);

    // The same form, well filled, still works.
    const ok = await browser.post(page, { intent: "mandate", bankCode: "SBX0MBB", consent: "on" });
    expect(ok.status).toBe(302);
  });
});

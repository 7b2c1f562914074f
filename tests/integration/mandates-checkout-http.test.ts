import { describe, expect, it } from "vitest";
import { SANDBOX_OFFLINE_BANK } from "~/modules/payments/providers/sandbox.server";
import { createUser, eventually, ownerDb } from "../support/db";
import { orderReadyForPayment, policiesOf, transactionsOf } from "../support/checkout";
import { signIn, textOf } from "./accounts-support";
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
    const setUp = await browser.post(policyPage, { intent: "mandate", bankCode: "SBX0MBB", consent: "on" });
    expect(setUp.status).toBe(302);
    expect(setUp.location).toMatch(/^\/sandbox\/mandate\/sbxm_[a-f0-9]{24}$/);
    const authorised = await browser.post(setUp.location!, { choice: "authorise" });
    expect(authorised.location).toBe(policyPage);
    await eventually(
      async () =>
        (await ownerDb().selectFrom("policies").select("autodebit_method_id").where("id", "=", policy!.id).executeTakeFirst())
          ?.autodebit_method_id,
      30_000,
    );
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
});

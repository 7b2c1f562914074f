import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { productLifecycle } from "~/modules/policies/lifecycle";
import { movePolicy } from "~/modules/policies/versions.server";
import { addDays } from "~/modules/rating/dates";
import { quoteDateIn } from "~/modules/rating";
import { keepSavedMethod } from "~/modules/payments/saved-methods.server";
import type { ChargeSaved } from "~/modules/renewals/auto-renew.server";
import { offerOnce, runPolicyLifecycle } from "~/modules/renewals/daily.server";
import { renewablePolicy, renewalQuote, startRenewal } from "~/modules/renewals/renewals.server";
import { approvePolicy } from "~/modules/policies/underwriting.server";
import { ORIGIN, paymentsTenant } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { signIn } from "./accounts-support";
import { entriesForTransaction, insertChain, insertRules, tiers } from "./commissions-support";
import { issuedPolicy, messagesKeyed, offersOf, paySandbox, policyRow, renewalOf, setLifecycle } from "./renewals-support";

/**
 * Expiry and renewal (issue 13, decision 028): the daily job's offers, reminders, expiring and
 * expired notices, once each however it is run; the renewal quote re-rated under today's rules with
 * what changed and why; one-step renewal through the checkout's payment step; auto-renew through a
 * saved payment method (a fake one: saved methods are built elsewhere); the agent's commission on
 * the renewal. Dates are passed in ("today"), or a policy's end date is moved for the HTTP pages,
 * which use the real today.
 */

const hostOf = (tenant: { slug: string }) => `${tenant.slug}.localhost`;
const today = () => quoteDateIn("Africa/Nairobi");
/** The renew page works from the real today: bring the policy's end within the offer window. */
const endIn = async (policyId: string, days: number) => {
  const end = addDays(today(), days);
  await ownerDb().updateTable("policies").set({ end_date: end }).where("id", "=", policyId).execute();
  return end;
};
const ordersOf = (userId: string) =>
  ownerDb().selectFrom("orders").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();

describe("the daily policy lifecycle", () => {
  it("offers once per offer day (run twice, and twice at once), reminds, warns it is expiring, and expires it after the end", async () => {
    const { tenant, policy } = await issuedPolicy();
    const end = policy.end_date!;
    const run = (day: string) => runPolicyLifecycle(tenant, day, ORIGIN);

    expect(await run(addDays(end, -31))).toMatchObject({ offers: 0, expiring: 0 });
    const day30 = addDays(end, -30);
    const together = await Promise.all([run(day30), run(day30)]);
    expect(together.map((r) => r.offers).sort()).toEqual([0, 1]);
    expect(await run(day30)).toMatchObject({ offers: 0 });

    const [first] = await offersOf(policy.id);
    expect(first).toMatchObject({ offer_days: 30 });
    const quote = await ownerDb().selectFrom("quotes").selectAll().where("id", "=", first!.quote_id!).executeTakeFirstOrThrow();
    expect(quote.renewal_of_policy_id).toBe(policy.id);
    // Priced for the renewal's start, the day after the end.
    expect((quote.breakdown as { quoteDate: string }).quoteDate).toBe(addDays(end, 1));
    let offers = await messagesKeyed(tenant.id, `renewal_offer:${policy.id}`);
    expect(offers).toHaveLength(1);
    expect(offers[0]!.subject).toMatch(/^Renew your /);
    expect(offers[0]!.body_text).toContain(`/account/policies/${policy.id}/renew`);

    // The second number is the reminder.
    await run(addDays(end, -7));
    await run(addDays(end, -7));
    expect((await offersOf(policy.id)).map((o) => o.offer_days)).toEqual([30, 7]);
    offers = await messagesKeyed(tenant.id, `renewal_offer:${policy.id}`);
    expect(offers.map((m) => Boolean(m.subject?.startsWith("Reminder")))).toEqual([false, true]);

    expect(await run(addDays(end, -3))).toMatchObject({ expiring: 1 });
    expect(await run(addDays(end, -1))).toMatchObject({ expiring: 0, offers: 0 });
    expect(await messagesKeyed(tenant.id, `policy_expiring:${policy.id}`)).toHaveLength(1);

    expect(await run(end)).toMatchObject({ expired: 0 });
    expect((await policyRow(policy.id)).status).toBe("active");
    expect(await run(addDays(end, 1))).toMatchObject({ expired: 1 });
    expect(await run(addDays(end, 1))).toMatchObject({ expired: 0 });
    expect((await policyRow(policy.id)).status).toBe("expired");
    expect(await messagesKeyed(tenant.id, `policy_expired:${policy.id}`)).toHaveLength(1);
    const events = await ownerDb()
      .selectFrom("state_changes")
      .select("event")
      .where("entity_id", "=", policy.id)
      .orderBy("created_at")
      .execute();
    expect(events.map((e) => e.event)).toContain("expire");
  });

  it("a run killed half-way leaves nothing, and the next run offers once", async () => {
    const { tenant, policy } = await issuedPolicy();
    const day30 = addDays(policy.end_date!, -30);
    await expect(
      withTenant(tenant.id, async (db) => {
        await offerOnce(db, tenant, {
          policyId: policy.id,
          offerDays: 30,
          today: day30,
          origin: ORIGIN,
          autoRenew: false,
          reminder: false,
        });
        throw new Error("killed");
      }),
    ).rejects.toThrow("killed");
    expect(await offersOf(policy.id)).toHaveLength(0);
    expect(await messagesKeyed(tenant.id, `renewal_offer:${policy.id}`)).toHaveLength(0);
    expect(await ownerDb().selectFrom("quotes").select("id").where("renewal_of_policy_id", "=", policy.id).execute()).toHaveLength(0);

    expect(await runPolicyLifecycle(tenant, day30, ORIGIN)).toMatchObject({ offers: 1 });
    expect(await messagesKeyed(tenant.id, `renewal_offer:${policy.id}`)).toHaveLength(1);
  });

  it("a product that cannot be renewed gets no offer, and its expiring notice has no renew link", async () => {
    const { tenant, policy } = await issuedPolicy();
    await setLifecycle(tenant.id, "motor-comprehensive", { renewable: false });
    const end = policy.end_date!;
    expect(await runPolicyLifecycle(tenant, addDays(end, -30), ORIGIN)).toMatchObject({ offers: 0 });
    await runPolicyLifecycle(tenant, addDays(end, -2), ORIGIN);
    const [expiring] = await messagesKeyed(tenant.id, `policy_expiring:${policy.id}`);
    expect(expiring!.body_text).toContain("/products");
    expect(expiring!.body_text).not.toContain("/renew");
    expect(await offersOf(policy.id)).toHaveLength(0);
  });
});

describe("the back office's policy list", () => {
  it("filters the policies in force that end within 30 days and are not renewed", async () => {
    const { tenant, policy } = await issuedPolicy();
    const staff = await createUser(tenant.id, { roles: ["staff"] });
    const browser = await signIn(hostOf(tenant), staff.email);
    const soon = () => browser.get("/admin/policies?ending=soon");
    expect((await soon()).status).toBe(200);
    expect((await soon()).text).not.toContain(policy.policy_number!);
    await endIn(policy.id, 20);
    expect((await soon()).text).toContain(policy.policy_number!);
    expect((await browser.get("/admin/policies")).text).toContain(policy.policy_number!);
  });
});

describe("the renewal quote", () => {
  it("Bowman's motor products carry a no-claims scale from its catalogue, and its travel cover does not renew", async () => {
    const rows = await ownerDb()
      .selectFrom("products")
      .innerJoin("tenants", "tenants.id", "products.tenant_id")
      .innerJoin("categories", "categories.id", "products.category_id")
      .select(["categories.slug as category", "products.lifecycle"])
      .where("tenants.slug", "=", "bowman")
      .execute();
    const motor = rows.filter((r) => r.category === "motor");
    expect(motor.length).toBeGreaterThan(0);
    for (const r of motor) expect(productLifecycle(r.lifecycle).noClaimsDiscount?.stepsBp).toEqual([0, 1_000, 1_500, 2_000, 2_500, 3_000]);
    for (const r of rows.filter((r) => r.category === "travel")) expect(productLifecycle(r.lifecycle).renewable).toBe(false);
  });

  it("is re-rated under today's rules, with the no-claims discount of the chain's claim-free years, reset by a paid claim", async () => {
    const { tenant, user, policy } = await issuedPolicy();
    await setLifecycle(tenant.id, "motor-comprehensive", { noClaimsDiscount: { stepsBp: [0, 1_000, 2_000] } });
    // The agency raised its rate for the KES 1–2.5 million band since the sale.
    const product = await ownerDb()
      .selectFrom("products")
      .select("rating")
      .where("tenant_id", "=", tenant.id)
      .where("slug", "=", "motor-comprehensive")
      .executeTakeFirstOrThrow();
    const rating = structuredClone(product.rating) as { premium: { code: string; bands?: { rateBp: number }[] }[] };
    rating.premium.find((c) => c.code === "basic")!.bands![1]!.rateBp = 450;
    await ownerDb()
      .updateTable("products")
      .set({ rating: JSON.stringify(rating) })
      .where("tenant_id", "=", tenant.id)
      .where("slug", "=", "motor-comprehensive")
      .execute();

    const priced = await withTenant(tenant.id, async (db) => renewalQuote(db, tenant, (await renewablePolicy(db, policy.id))!));
    if (!priced.ok) throw new Error(priced.message);
    const { quote, changes, claimFreeYears } = priced.renewal;
    expect(claimFreeYears).toBe(1);
    const basic = quote.breakdown.lines.find((l) => l.code === "basic")!;
    expect(basic.amount).toBe(6_750_000); // 4.5% of KES 1,500,000
    const ncd = quote.breakdown.lines.find((l) => l.code === "no_claims")!;
    expect(ncd).toMatchObject({ label: "No-claims discount: 1 claim-free year (10%)", amount: -675_000 });
    expect(quote.premium).toBe(6_750_000 - 675_000);
    expect(changes.map((c) => c.kind)).toEqual(["rate", "no_claims"]);
    expect(changes[0]!.why).toContain("from 4% to 4.5%");

    // A claim paid on this term: no discount at the next renewal quote.
    await withTenant(tenant.id, (db) =>
      db
        .insertInto("claims")
        .values({
          claim_number: `CLM-${policy.id.slice(0, 8)}`,
          policy_id: policy.id,
          claimant_user_id: user.id,
          filed_by_user_id: user.id,
          claim_type: "accident",
          incident_date: policy.start_date!,
          incident_place: "Nairobi",
          description: "A dent",
          claimed_minor: 100_000,
          currency: "KES",
          status: "settled",
          eligibility_flags: JSON.stringify([]),
          policy_year_start: policy.start_date!,
        })
        .execute(),
    );
    await ownerDb()
      .updateTable("quotes")
      .set({ valid_until: new Date(Date.now() - 1000) })
      .where("renewal_of_policy_id", "=", policy.id)
      .execute();
    const again = await withTenant(tenant.id, async (db) => renewalQuote(db, tenant, (await renewablePolicy(db, policy.id))!));
    if (!again.ok) throw new Error(again.message);
    expect(again.renewal.claimFreeYears).toBe(0);
    expect(again.renewal.quote.breakdown.lines.some((l) => l.code === "no_claims")).toBe(false);
  });
});

describe("the renewal quote of a life policy", () => {
  it("prices the age at the renewal's start: a birthday since the sale moves the customer into the next age band", async () => {
    // Forty now (a birthday ten days ago), forty-one when the renewal starts a year on.
    const tenDaysAgo = addDays(today(), -10);
    const dateOfBirth = `${Number(tenDaysAgo.slice(0, 4)) - 40}${tenDaysAgo.slice(4)}`;
    const { tenant, policy } = await issuedPolicy({
      line: { slug: "term-life", input: { dateOfBirth, sumAssured: 500_000_000 }, frequency: "annual" },
    });
    const priced = await withTenant(tenant.id, async (db) => renewalQuote(db, tenant, (await renewablePolicy(db, policy.id))!));
    if (!priced.ok) throw new Error(priced.message);
    expect(priced.renewal.changes).toEqual([
      expect.objectContaining({
        kind: "band",
        why: "Life cover: band 31–40 years → 41–50 years",
        oldMinor: 1_050_000,
        newMinor: 2_250_000,
      }),
    ]);
    expect(priced.renewal.claimFreeYears).toBeNull();
  });
});

describe("renewing", () => {
  it("in one step from the renew page through the checkout's payment: a new policy from the day after the end, linked both ways, the agent's upline paid again", async () => {
    const tenant = await paymentsTenant();
    await withTenant(tenant.id, (db) => db.insertInto("network_settings").values({ tiers: 10, unqualified_share: "skip" }).execute());
    const chain = await insertChain(tenant.id, 2);
    const motor = await ownerDb()
      .selectFrom("products")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("slug", "=", "motor-comprehensive")
      .executeTakeFirstOrThrow();
    await insertRules(tenant.id, motor.id, "annual", tiers(1_000, 200), new Date(Date.now() - 86_400_000));
    const sold = await issuedPolicy({
      tenant,
      beforePayment: (orderId) =>
        ownerDb()
          .updateTable("orders")
          .set({ agent_id: chain[0]! })
          .where("id", "=", orderId)
          .execute()
          .then(() => undefined),
    });
    const { user, policy } = sold;
    const saleEntries = await eventually(async () => {
      const rows = await entriesForTransaction(tenant.id, sold.transactionId);
      return rows.length === 2 ? rows : null;
    }, 30_000);
    const end = await endIn(policy.id, 20);

    const browser = await signIn(hostOf(tenant), user.email);
    expect((await browser.get(`/account/policies/${policy.id}`)).text).toContain(`href="/account/policies/${policy.id}/renew"`);
    const page = await browser.get(`/account/policies/${policy.id}/renew`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Accept and renew");
    const first = await browser.post(`/account/policies/${policy.id}/renew`, { intent: "renew" });
    expect(first.status).toBe(302);
    const orderId = first.location!.match(/^\/checkout\/([0-9a-f-]{36})\/pay$/)![1]!;
    // A double click: the same order.
    expect((await browser.post(`/account/policies/${policy.id}/renew`, { intent: "renew" })).location).toBe(first.location);
    const order = await ownerDb().selectFrom("orders").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
    expect(order).toMatchObject({ agent_id: chain[0], step: "payment", status: "draft" });
    expect(order.holder).toEqual(
      (await ownerDb().selectFrom("orders").select("holder").where("id", "=", sold.orderId).executeTakeFirstOrThrow()).holder,
    );
    expect(await ownerDb().selectFrom("personal_identifiers").select("kind").where("order_id", "=", orderId).execute()).toHaveLength(2);
    // The checkout's own payment page takes it from here.
    expect((await browser.get(`/checkout/${orderId}/pay`)).status).toBe(200);

    const renewalPayment = await paySandbox(tenant, orderId, user);
    const renewed = await eventually(async () => {
      const row = await renewalOf(policy.id);
      return row?.policy_number ? row : null;
    }, 30_000);
    expect(renewed).toMatchObject({ status: "active", start_date: addDays(end, 1), order_id: orderId });
    expect(renewed.policy_number).not.toBe(policy.policy_number);
    // The predecessor is kept as it was.
    expect(await policyRow(policy.id)).toMatchObject({ status: "active", end_date: end, policy_number: policy.policy_number });
    const version = await ownerDb().selectFrom("policy_versions").selectAll().where("policy_id", "=", renewed.id).executeTakeFirstOrThrow();
    expect(version).toMatchObject({ version: 1, kind: "issue", effective_date: addDays(end, 1) });
    const [renewedEmail] = await messagesKeyed(tenant.id, `policy_renewed:${renewed.id}`);
    expect(renewedEmail!.body_text).toContain(renewed.policy_number!);

    // The same upline earns on the renewal's payment as on the sale's.
    const renewalEntries = await eventually(async () => {
      const rows = await entriesForTransaction(tenant.id, renewalPayment);
      return rows.length === 2 ? rows : null;
    }, 30_000);
    expect(renewalEntries.map((e) => [e.agentId, e.tier])).toEqual(saleEntries.map((e) => [e.agentId, e.tier]));

    // Linked both ways on the customer's pages.
    expect((await browser.get(`/account/policies/${policy.id}`)).text).toContain(`href="/account/policies/${renewed.id}"`);
    expect((await browser.get(`/account/policies/${renewed.id}`)).text).toContain(`href="/account/policies/${policy.id}"`);

    // Renewed once: asking again is refused and changes nothing.
    const ordersBefore = (await ordersOf(user.id)).length;
    const again = await browser.post(`/account/policies/${policy.id}/renew`, { intent: "renew" });
    expect(again.status).toBe(400);
    expect(again.text).toContain("already renewed");
    expect(await ordersOf(user.id)).toHaveLength(ordersBefore);

    // At the end the old policy expires quietly (it is renewed); the new one carries on.
    await runPolicyLifecycle(tenant, addDays(end, 1), ORIGIN);
    expect((await policyRow(policy.id)).status).toBe("expired");
    expect((await policyRow(renewed.id)).status).toBe("active");
    expect(await messagesKeyed(tenant.id, `policy_expired:${policy.id}`)).toHaveLength(0);
  });

  it("a renewal that needs underwriting starts, once approved, the day after the old cover ends", async () => {
    const { tenant, user, policy } = await issuedPolicy();
    await ownerDb()
      .updateTable("products")
      .set({ requires_underwriting: true })
      .where("tenant_id", "=", tenant.id)
      .where("slug", "=", "motor-comprehensive")
      .execute();
    const end = policy.end_date!;
    const started = await withTenant(tenant.id, (db) =>
      startRenewal(db, tenant, { policyId: policy.id, userId: user.id, today: addDays(end, -10) }),
    );
    if (!started.ok) throw new Error(started.message);
    await paySandbox(tenant, started.orderId, user);
    const waiting = await eventually(async () => (await renewalOf(policy.id)) ?? null, 30_000);
    expect(waiting).toMatchObject({ status: "pending_underwriting", start_date: null });
    const underwriter = await createUser(tenant.id, { roles: ["underwriter"] });
    expect(await withTenant(tenant.id, (db) => approvePolicy(db, tenant, waiting.id, underwriter.id))).toEqual({ ok: true });
    expect(await policyRow(waiting.id)).toMatchObject({ status: "active", start_date: addDays(end, 1) });
  });

  it("refuses too early, a product that cannot be renewed, a cancelled policy; another customer or agency gets a 404 and a visitor signs in first", async () => {
    const { tenant, user, policy } = await issuedPolicy();
    const browser = await signIn(hostOf(tenant), user.email);
    const renew = () => browser.post(`/account/policies/${policy.id}/renew`, { intent: "renew" });
    const ordersBefore = (await ordersOf(user.id)).length;

    // Months before the end: no renew link on the policy's page, and the renew page says when it opens.
    expect((await browser.get(`/account/policies/${policy.id}`)).text).not.toContain(`/account/policies/${policy.id}/renew`);
    const early = await renew();
    expect(early.status).toBe(400);
    expect(early.text).toContain("Renewal opens on");

    await endIn(policy.id, 20);
    await setLifecycle(tenant.id, "motor-comprehensive", { renewable: false });
    const notRenewable = await renew();
    expect(notRenewable.status).toBe(400);
    expect(notRenewable.text).toContain("cannot be renewed");

    await setLifecycle(tenant.id, "motor-comprehensive", {});
    await withTenant(tenant.id, (db) => movePolicy(db, policy.id, "cancel", { today: today() }, { reason: "Sold the car" }));
    const cancelled = await renew();
    expect(cancelled.status).toBe(400);
    expect(cancelled.text).toContain("Only a policy in force");
    expect(await ordersOf(user.id)).toHaveLength(ordersBefore);
    expect((await policyRow(policy.id)).status).toBe("cancelled");

    const stranger = await createUser(tenant.id);
    const strangerBrowser = await signIn(hostOf(tenant), stranger.email);
    expect((await strangerBrowser.get(`/account/policies/${policy.id}/renew`)).status).toBe(404);
    expect((await strangerBrowser.post(`/account/policies/${policy.id}/renew`, { intent: "renew" })).status).toBe(404);

    const other = await paymentsTenant();
    const otherUser = await createUser(other.id);
    const otherBrowser = await signIn(hostOf(other), otherUser.email);
    expect((await otherBrowser.get(`/account/policies/${policy.id}/renew`)).status).toBe(404);
    expect((await otherBrowser.post(`/account/policies/${policy.id}/renew`, { intent: "renew" })).status).toBe(404);

    const visitor = await new Browser(hostOf(tenant)).get(`/account/policies/${policy.id}/renew`);
    expect(visitor.status).toBe(302);
    expect(visitor.location).toBe(`/login?redirectTo=${encodeURIComponent(`/account/policies/${policy.id}/renew`)}`);
  });

  it("auto-renew: without a saved method the customer gets the offer; with one, the last offer day renews by itself, once", async () => {
    const { tenant, user, policy } = await issuedPolicy();
    const browser = await signIn(hostOf(tenant), user.email);
    const end = await endIn(policy.id, 20);
    expect((await browser.post(`/account/policies/${policy.id}/renew`, { intent: "auto_renew", on: "on" })).status).toBe(302);
    expect((await policyRow(policy.id)).auto_renew).toBe(true);

    const day7 = addDays(end, -7);
    // The default: no saved method anywhere yet, so the offer goes out, saying why.
    await runPolicyLifecycle(tenant, day7, ORIGIN);
    const [offer] = await offersOf(policy.id);
    expect(offer).toMatchObject({ offer_days: 7 });
    expect(offer!.order_id).not.toBeNull();
    const emails = await messagesKeyed(tenant.id, `renewal_offer:${policy.id}:7`);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.body_text).toContain("could not charge a saved payment method");

    const calls: { userId: string; orderId: string }[] = [];
    const chargeSaved: ChargeSaved = async (t, input) => {
      calls.push(input);
      return { ok: true, transactionId: await paySandbox(t, input.orderId, user) };
    };
    expect(await runPolicyLifecycle(tenant, day7, ORIGIN, { chargeSaved })).toMatchObject({ autoRenewals: 1 });
    expect(calls).toEqual([{ userId: user.id, orderId: offer!.order_id }]);
    const renewed = await eventually(async () => {
      const row = await renewalOf(policy.id);
      return row?.policy_number ? row : null;
    }, 30_000);
    expect(renewed).toMatchObject({ start_date: addDays(end, 1), auto_renew: true });
    // Run again: nothing more is charged, and no second renewal.
    await runPolicyLifecycle(tenant, day7, ORIGIN, { chargeSaved });
    expect(calls).toHaveLength(1);
    expect(await ownerDb().selectFrom("policies").select("id").where("renewal_of_policy_id", "=", policy.id).execute()).toHaveLength(1);
    expect(await messagesKeyed(tenant.id, `renewal_offer:${policy.id}`)).toHaveLength(1);
  });

  it("auto-renew charges the customer's saved card (the real chargeSavedMethod), once", async () => {
    const { tenant, user, policy } = await issuedPolicy();
    await withTenant(tenant.id, (db) =>
      keepSavedMethod(db, tenant.id, {
        userId: user.id,
        provider: "sandbox",
        reusable: {
          reference: { card: "4242" },
          fingerprint: "sandbox:4242:12/2034",
          brand: "visa",
          last4: "4242",
          expMonth: 12,
          expYear: 2034,
        },
      }),
    );
    const browser = await signIn(hostOf(tenant), user.email);
    const end = await endIn(policy.id, 20);
    expect((await browser.post(`/account/policies/${policy.id}/renew`, { intent: "auto_renew", on: "on" })).status).toBe(302);

    const day7 = addDays(end, -7);
    expect(await runPolicyLifecycle(tenant, day7, ORIGIN)).toMatchObject({ autoRenewals: 1 });
    const renewed = await eventually(async () => {
      const row = await renewalOf(policy.id);
      return row?.policy_number ? row : null;
    }, 30_000);
    expect(renewed).toMatchObject({ start_date: addDays(end, 1), auto_renew: true });
    const charges = await ownerDb()
      .selectFrom("transactions")
      .select(["status", "payment_method_id"])
      .where("order_id", "=", renewed.order_id)
      .execute();
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: "completed" });
    expect(charges[0]!.payment_method_id).not.toBeNull();
    // No offer to renew by hand went out, and running again charges nothing more.
    expect(await messagesKeyed(tenant.id, `renewal_offer:${policy.id}`)).toHaveLength(0);
    await runPolicyLifecycle(tenant, day7, ORIGIN);
    expect(await ownerDb().selectFrom("transactions").select("id").where("order_id", "=", renewed.order_id).execute()).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { formatMoney } from "~/lib/money";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { createUser, eventually, latestMessage, ownerDb, tokenFrom } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, signIn, textOf } from "./accounts-support";
import {
  agentWithLogin,
  memberRow,
  memberTenant,
  orderFromRedirect,
  registeredMember,
  sellHibah,
  type MemberTenant,
} from "./members-support";

/**
 * An agent sells to their member (issue 5 §3) through the checkout machinery: a quote for the
 * member's account, an order credited to the agent with the member's MyKad number, the details,
 * plan and terms steps, frozen amounts; then a payment link the member pays online. A member who
 * buys on the storefront themselves is credited to their agent too.
 */
const RM = (minor: number) => formatMoney(minor, "MYR", "en-MY").replace(/\s/g, " ");

async function setPassword(tenant: MemberTenant, email: string): Promise<Browser> {
  const invite = await latestMessage(tenant.id, email, "member_invite");
  const set = await new Browser(tenant.host).post("/reset-password", {
    token: tokenFrom(invite!.body_text),
    password: "Member#2026pass",
    confirmPassword: "Member#2026pass",
  });
  expect(set.status).toBe(302);
  return signIn(tenant.host, email, "Member#2026pass");
}

describe("selling to a member", () => {
  it("makes an order credited to the agent, for the member, with their MyKad number and the product's frozen price", async () => {
    const tenant = await memberTenant();
    const { agent, user: agentUser, browser } = await agentWithLogin(tenant);
    const member = await registeredMember(browser);
    const base = `/agent/members/${member.memberId}/sell`;

    // The product step lists what is on sale; the quote step prices the chosen product.
    const products = textOf((await browser.get(base)).text);
    expect(products).toContain("Hibah Senior Care Gold 270");
    expect(products).toContain("Road Tax");
    const quotePage = await browser.get(`${base}?product=hibah-senior-care-gold-270`);
    expect(quotePage.status).toBe(200);
    expect(quotePage.text).toContain('value="monthly"');
    const badFrequency = await browser.post(`${base}?product=hibah-senior-care-gold-270`, { intent: "quote", frequency: "weekly" });
    expect(badFrequency.status).toBe(400);
    expect(textOf(badFrequency.text)).toContain("Choose how often to pay");

    const orderId = await sellHibah(browser, member.memberId, member);

    const order = await ownerDb().selectFrom("orders").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
    expect(order.agent_id).toBe(agent.id);
    expect(order.user_id).toBe(member.userId);
    expect(order.cart_id).toBeNull();
    expect(order.status).toBe("draft");
    expect(order.step).toBe("payment");
    expect(order.terms_accepted_at).not.toBeNull();
    expect(order.payment_method).toBe("card");
    expect(order.holder).toMatchObject({ name: "Aminah binti Yusof", email: member.email, dateOfBirth: member.dateOfBirth });

    // KHHoldings' Hibah Gold 270: RM1,800 a year, RM150.00 a month, frozen on the item.
    const items = await ownerDb().selectFrom("order_items").selectAll().where("order_id", "=", orderId).execute();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      frequency: "monthly",
      instalments_per_year: 12,
      first_payment_minor: 15_000,
      later_instalment_minor: 15_000,
      annual_premium_minor: 180_000,
      discount_minor: 0,
    });
    const quote = await ownerDb().selectFrom("quotes").selectAll().where("id", "=", items[0]!.quote_id).executeTakeFirstOrThrow();
    expect(quote.user_id).toBe(member.userId);
    expect(quote.frequency).toBe("monthly");

    // The member's MyKad number, copied still encrypted (same ciphertext and mask).
    const row = await memberRow(member.memberId);
    const identifier = await ownerDb()
      .selectFrom("personal_identifiers")
      .selectAll()
      .where("order_id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(identifier).toMatchObject({
      kind: "nric",
      ciphertext: row.nric_ciphertext,
      blind_index: row.nric_blind_index,
      masked: row.nric_masked,
    });
    const beneficiaries = await ownerDb().selectFrom("beneficiaries").selectAll().where("order_id", "=", orderId).execute();
    expect(beneficiaries.map((b) => [b.name, b.share_bp])).toEqual([["Siti binti Ahmad", 10_000]]);

    const timeline = await ownerDb().selectFrom("state_changes").selectAll().where("entity_id", "=", orderId).execute();
    expect(timeline.map((t) => [t.event, t.actor_user_id])).toEqual([["agent_sale_started", agentUser.id]]);
    expect(await auditRows(tenant.id, "member.sale_started", orderId)).toHaveLength(1);
    expect(await auditRows(tenant.id, "member.sale_terms_accepted", orderId)).toHaveLength(1);

    // The payment step shows the amount due, and the member's page lists the sale in progress.
    const pay = textOf((await browser.get(`${base}?order=${orderId}`)).text);
    expect(pay).toContain(RM(15_000));
    expect(pay).toContain("Record offline payment");
    expect(pay).toContain("Send payment link to member");
    const memberPage = textOf((await browser.get(`/agent/members/${member.memberId}`)).text);
    expect(memberPage).toContain(order.reference);
  });

  it("checks the details against the member's MyKad and asks for beneficiaries where the product pays out to them", async () => {
    const tenant = await memberTenant();
    const { browser } = await agentWithLogin(tenant);
    const member = await registeredMember(browser);
    const base = `/agent/members/${member.memberId}/sell`;
    const orderId = orderFromRedirect(
      await browser.post(`${base}?product=hibah-senior-care-gold-270`, { intent: "quote", frequency: "annual" }),
    );

    // The date of birth is suggested from the MyKad number.
    const detailsPage = await browser.get(`${base}?order=${orderId}`);
    expect(detailsPage.text).toContain(`value="${member.dateOfBirth}"`);
    expect(textOf(detailsPage.text)).toContain("Beneficiaries");

    const fields = {
      intent: "details",
      name: "Aminah binti Yusof",
      email: member.email,
      phone: "+60 12-345 6789",
      address: "12 Jalan Ampang, 50450 Kuala Lumpur",
    };
    const wrongDate = await browser.post(`${base}?order=${orderId}`, {
      ...fields,
      dateOfBirth: "1960-02-02",
      "beneficiaries[0].name": "Siti",
      "beneficiaries[0].relationship": "child",
      "beneficiaries[0].share": "100",
    });
    expect(wrongDate.status).toBe(400);
    expect(textOf(wrongDate.text)).toContain("does not match the member's MyKad number");

    const noBeneficiary = await browser.post(`${base}?order=${orderId}`, { ...fields, dateOfBirth: member.dateOfBirth });
    expect(noBeneficiary.status).toBe(400);
    expect(textOf(noBeneficiary.text)).toContain("Name at least one beneficiary");
    const order = await ownerDb().selectFrom("orders").select("step").where("id", "=", orderId).executeTakeFirstOrThrow();
    expect(order.step).toBe("details");
  });

  it("emails the member a link to pay; they sign in and pay online, and the policy is issued", async () => {
    const tenant = await memberTenant();
    const { browser } = await agentWithLogin(tenant);
    const member = await registeredMember(browser);
    const orderId = await sellHibah(browser, member.memberId, member);

    const sent = await browser.post(`/agent/members/${member.memberId}/sell?order=${orderId}`, { intent: "link" });
    expect(sent.status).toBe(302);
    expect(sent.location).toContain("sent=1");
    const email = await latestMessage(tenant.id, member.email, "member_payment_link");
    expect(email?.body_text).toContain(`/checkout/${orderId}/pay`);
    expect(email?.body_text.replace(/\s/g, " ")).toContain(RM(15_000));
    expect(await auditRows(tenant.id, "member.payment_link_sent", orderId)).toHaveLength(1);

    // The agent's browser is not the member's: the order is not theirs to pay.
    expect((await browser.get(`/checkout/${orderId}/pay`)).status).toBe(404);

    const memberBrowser = await setPassword(tenant, member.email);
    const payPage = await memberBrowser.get(`/checkout/${orderId}/pay`);
    expect(payPage.status).toBe(200);
    expect(textOf(payPage.text)).toContain(RM(15_000));
    const started = await memberBrowser.post(`/checkout/${orderId}/pay`, { method: "card", amount: "1" });
    expect(started.status).toBe(302);
    const ref = /^\/sandbox\/pay\/(.+)$/.exec(started.location ?? "")?.[1];
    expect(ref).toBeTruthy();
    expect(await playSandboxChoice(tenant, ref!, "approve")).toMatchObject({ ok: true });

    const policy = await eventually(() =>
      ownerDb()
        .selectFrom("policies")
        .selectAll()
        .where("order_id", "=", orderId)
        .where("policy_number", "is not", null)
        .executeTakeFirst(),
    );
    expect(policy.user_id).toBe(member.userId);
    expect(policy.instalment_minor).toBe(15_000);
    const tx = await ownerDb().selectFrom("transactions").selectAll().where("order_id", "=", orderId).executeTakeFirstOrThrow();
    expect(tx).toMatchObject({ provider: "sandbox", status: "completed", amount_minor: 15_000 });
    const page = textOf((await browser.get(`/agent/members/${member.memberId}`)).text);
    expect(page).toContain(policy.policy_number!);
  });

  it("answers 404 for another agent's sale, and refuses a sale by an agent who is not active", async () => {
    const tenant = await memberTenant();
    const a = await agentWithLogin(tenant);
    const member = await registeredMember(a.browser);
    const orderId = orderFromRedirect(
      await a.browser.post(`/agent/members/${member.memberId}/sell?product=medical-card`, { intent: "quote", frequency: "annual" }),
    );
    const b = await agentWithLogin(tenant);
    const memberOfB = await registeredMember(b.browser);
    // B's own member, with A's order in the URL: still not found.
    expect((await b.browser.get(`/agent/members/${memberOfB.memberId}/sell?order=${orderId}`)).status).toBe(404);
    expect((await b.browser.post(`/agent/members/${memberOfB.memberId}/sell?order=${orderId}`, { intent: "link" })).status).toBe(404);

    await ownerDb().updateTable("agents").set({ status: "suspended" }).where("id", "=", a.agent.id).execute();
    const page = await a.browser.get(`/agent/members/${member.memberId}/sell`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("You cannot sell now");
    const refused = await a.browser.post(`/agent/members/${member.memberId}/sell?product=medical-card`, {
      intent: "quote",
      frequency: "annual",
    });
    expect(refused.status).toBe(403);
    const orders = await ownerDb()
      .selectFrom("orders")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("user_id", "=", member.userId)
      .execute();
    expect(orders).toHaveLength(1);
  });

  it("credits a member's own storefront purchase to their agent, and nobody's to a customer who is not a member", async () => {
    const tenant = await memberTenant();
    const { agent, browser } = await agentWithLogin(tenant);
    const member = await registeredMember(browser);
    const memberBrowser = await setPassword(tenant, member.email);
    const added = await memberBrowser.post("/products/medical-card/quote", { intent: "cart", frequency: "annual" });
    expect(added.status).toBe(302);
    const checkout = await memberBrowser.post("/checkout", {});
    expect(checkout.status).toBe(302);
    const orderId = /\/checkout\/([0-9a-f-]{36})\//.exec(checkout.location ?? "")![1]!;
    const order = await ownerDb().selectFrom("orders").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
    expect(order.user_id).toBe(member.userId);
    expect(order.agent_id).toBe(agent.id);

    const customer = await createUser(tenant.id, { roles: ["customer"] });
    const customerBrowser = await signIn(tenant.host, customer.email);
    await customerBrowser.post("/products/medical-card/quote", { intent: "cart", frequency: "annual" });
    const theirs = await customerBrowser.post("/checkout", {});
    const theirOrderId = /\/checkout\/([0-9a-f-]{36})\//.exec(theirs.location ?? "")![1]!;
    const theirOrder = await ownerDb().selectFrom("orders").select("agent_id").where("id", "=", theirOrderId).executeTakeFirstOrThrow();
    expect(theirOrder.agent_id).toBeNull();
  });
});

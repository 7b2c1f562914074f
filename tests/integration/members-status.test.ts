/**
 * Members' statuses (issue 13 item 7, decision 035) over real HTTP: the member's agent and admins
 * suspend, reinstate and terminate with a reason; a suspended or terminated member is sold nothing
 * new and files no new claim (by the agent's pages, the wizard or the API), while what is under way
 * stays; termination closes a member-only account and cancels no policy; everyone else gets 404.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { issueTokens } from "~/modules/auth/api-tokens.server";
import type { ClaimStatus } from "~db/schema";
import { createUser, latestMessage, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, isSignedIn, signIn, textOf } from "./accounts-support";
import { claimCount, daysAgo, wizardUpTo } from "./claims-support";
import { insertPolicy } from "./customer-policies-fixtures";
import {
  agentWithLogin,
  memberForm,
  memberRow,
  memberTenant,
  registeredMember,
  registerThroughPage,
  sellHibah,
  type MemberTenant,
} from "./members-support";

let tenant: MemberTenant;
let agentA: Awaited<ReturnType<typeof agentWithLogin>>;
let agentB: Awaited<ReturnType<typeof agentWithLogin>>;
let admin: Browser;
let staff: Browser;

beforeAll(async () => {
  tenant = await memberTenant();
  [agentA, agentB] = await Promise.all([agentWithLogin(tenant), agentWithLogin(tenant)]);
  const [adminUser, staffUser] = await Promise.all([
    createUser(tenant.id, { roles: ["admin"] }),
    createUser(tenant.id, { roles: ["staff"] }),
  ]);
  [admin, staff] = await Promise.all([signIn(tenant.host, adminUser.email), signIn(tenant.host, staffUser.email)]);
});

/** A member of agent A who can sign in (an existing account, linked at registration), with a Medical Card policy. */
async function signedInMember(nric?: string) {
  const user = await createUser(tenant.id, { name: "Nurul binti Hassan" });
  const memberId = await registerThroughPage(
    agentA.browser,
    memberForm({ email: user.email, name: "Nurul binti Hassan", ...(nric ? { nric } : {}) }),
  );
  const policy = await insertPolicy(tenant.id, user.id, { productSlug: "medical-card", startDate: daysAgo(120) });
  const browser = await signIn(tenant.host, user.email);
  return { user, memberId, policy, browser };
}

const statusOf = async (memberId: string) => (await memberRow(memberId)).status;
const act = (browser: Browser, path: string, event: string, reasonCode: string, reasonText = "") =>
  browser.post(path, { intent: "status", event, reasonCode, reasonText });

describe("the agent changes their own member's status", () => {
  it("needs a reason from the list, and words for “Other”; nothing changes without one", async () => {
    const { memberId } = await signedInMember();
    const page = `/agent/members/${memberId}`;
    for (const [code, text, message] of [
      ["", "", "Choose a reason"],
      ["bogus", "", "Choose a reason from the list"],
      ["other", "  ", "Say what the reason is"],
      ["paid", "", "Choose a reason from the list"], // a reinstatement reason, not a suspension's
    ] as const) {
      const res = await act(agentA.browser, page, "suspend", code, text);
      expect(res.status, `${code}/${text}`).toBe(400);
      expect(textOf(res.text)).toContain(message);
    }
    expect(await statusOf(memberId)).toBe("active");
    const timeline = await ownerDb().selectFrom("state_changes").select("event").where("entity_id", "=", memberId).execute();
    expect(timeline.map((t) => t.event)).toEqual(["register"]);
  });

  it("refuses control characters and an over-long reason on their fields", async () => {
    const { memberId } = await signedInMember();
    const page = `/agent/members/${memberId}`;
    const nul = await act(agentA.browser, page, "suspend", "other", "Fraud\u0000check");
    expect(nul.status).toBe(400);
    expect(textOf(nul.text)).toContain("Remove the control characters");
    const crlf = await act(agentA.browser, page, "suspend", "unpaid\r\nX-Injected: 1");
    expect(crlf.status).toBe(400);
    const long = await act(agentA.browser, page, "suspend", "other", "x".repeat(501));
    expect(long.status).toBe(400);
    expect(textOf(long.text)).toContain("Keep the reason under 500 characters");
    const huge = await act(agentA.browser, page, "suspend", "other", "y".repeat(200_000));
    expect([400, 413]).toContain(huge.status);
    const unknown = await agentA.browser.post(page, { intent: "status", event: "delete", reasonCode: "other", reasonText: "x" });
    expect(unknown.status).toBe(400);
    expect(await statusOf(memberId)).toBe("active");
  });

  it("suspends with a reason: status, timeline, audit, the member's email; then reinstates", async () => {
    const { memberId, user } = await signedInMember();
    const page = `/agent/members/${memberId}`;
    const res = await act(agentA.browser, page, "suspend", "unpaid", "Three months behind on Hibah");
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${page}?status=suspend`);
    expect(await statusOf(memberId)).toBe("suspended");
    const rows = await ownerDb()
      .selectFrom("state_changes")
      .select(["from_state", "to_state", "event", "reason", "actor_user_id"])
      .where("entity", "=", "member")
      .where("entity_id", "=", memberId)
      .orderBy("created_at")
      .execute();
    expect(rows.at(-1)).toEqual({
      from_state: "active",
      to_state: "suspended",
      event: "suspend",
      reason: "Premiums unpaid: Three months behind on Hibah",
      actor_user_id: agentA.user.id,
    });
    const [audit] = await auditRows(tenant.id, "member.suspend", memberId);
    expect(audit?.details).toMatchObject({ from: "active", to: "suspended", by: "agent", reasonCode: "unpaid" });
    const mail = await latestMessage(tenant.id, user.email, "member_suspend");
    expect(mail?.body_text).toContain("Reason: Premiums unpaid: Three months behind on Hibah");
    expect(mail?.body_text).toContain("Your policies stay in force");
    // The agent did it, so the agent is not emailed about it.
    expect(await latestMessage(tenant.id, agentA.user.email, "member_suspend_agent")).toBeUndefined();

    const shown = textOf((await agentA.browser.get(`${res.location}`)).text);
    expect(shown).toContain("Member suspended");
    expect(shown).toContain("cannot be sold a new policy");
    expect(shown).toContain("Reinstate");
    expect(shown).not.toContain("Sell a policy");
    const list = textOf((await agentA.browser.get("/agent/members?status=suspended")).text);
    expect(list).toContain("Nurul binti Hassan");
    expect(list).toContain("Suspended");

    // Suspending twice: the machine says no (409), nothing written.
    const again = await act(agentA.browser, page, "suspend", "unpaid");
    expect(again.status).toBe(409);
    expect(textOf(again.text)).toContain("A member who is suspended cannot be suspended");

    const back = await act(agentA.browser, page, "reinstate", "paid");
    expect(back.status).toBe(302);
    expect(await statusOf(memberId)).toBe("active");
    expect((await latestMessage(tenant.id, user.email, "member_reinstate"))?.body_text).toContain("Reason: Arrears paid");
  });

  it("is refused to an agent who is not active any more", async () => {
    const agentC = await agentWithLogin(tenant);
    const member = await registeredMember(agentC.browser);
    await ownerDb().updateTable("agents").set({ status: "suspended" }).where("id", "=", agentC.agent.id).execute();
    const res = await act(agentC.browser, `/agent/members/${member.memberId}`, "suspend", "unpaid");
    expect(res.status).toBe(403);
    expect(textOf((await agentC.browser.get(`/agent/members/${member.memberId}`)).text)).not.toContain("Yes, suspend");
    expect(await statusOf(member.memberId)).toBe("active");
  });

  it("is a 404 for another agent's member, on the page and the action", async () => {
    const { memberId } = await signedInMember();
    expect((await agentB.browser.get(`/agent/members/${memberId}`)).status).toBe(404);
    expect((await act(agentB.browser, `/agent/members/${memberId}`, "suspend", "unpaid")).status).toBe(404);
    expect((await act(agentB.browser, `/agent/members/${memberId}`, "terminate", "fraud")).status).toBe(404);
    expect(await statusOf(memberId)).toBe("active");
    const list = textOf((await agentB.browser.get("/agent/members")).text);
    expect(list).not.toContain("Nurul binti Hassan");
  });
});

describe("what a suspended member cannot do, and what goes on", () => {
  it("is sold nothing new: a new sale and a sale already under way are both refused", async () => {
    const member = await registeredMember(agentA.browser);
    // A sale under way before the suspension (up to the payment step).
    const orderId = await sellHibah(agentA.browser, member.memberId, member);
    expect((await act(agentA.browser, `/agent/members/${member.memberId}`, "suspend", "investigation")).status).toBe(302);

    const quote = await agentA.browser.post(`/agent/members/${member.memberId}/sell?product=medical-card`, {
      intent: "quote",
      frequency: "monthly",
    });
    expect(quote.status).toBe(403);
    expect(textOf(quote.text)).toContain("This member is suspended: they cannot be sold a new policy");
    const offline = await agentA.browser.post(`/agent/members/${member.memberId}/sell?order=${orderId}`, {
      intent: "offline",
      method: "cash",
      reference: "RCPT-1001",
    });
    expect(offline.status).toBe(403);
    const link = await agentA.browser.post(`/agent/members/${member.memberId}/sell?order=${orderId}`, { intent: "link" });
    expect(link.status).toBe(403);
    const payments = await ownerDb().selectFrom("transactions").select("id").where("order_id", "=", orderId).execute();
    expect(payments).toHaveLength(0);
    const page = textOf((await agentA.browser.get(`/agent/members/${member.memberId}/sell`)).text);
    expect(page).toContain("You cannot sell now");
  });

  it("files no new claim, through the agent's wizard, a draft started before, or the member's API", async () => {
    const { memberId, policy, browser } = await signedInMember();
    const draft = await wizardUpTo(agentA.browser, policy.policyId, "documents", {
      claimType: "inpatient",
      incidentDate: daysAgo(3),
      amount: "1,200",
      currency: "KES",
    });
    expect((await act(agentA.browser, `/agent/members/${memberId}`, "suspend", "verification")).status).toBe(302);
    const before = await claimCount(tenant.id);

    const start = await agentA.browser.post("/account/claims/new", { policyId: policy.policyId });
    expect(start.status).toBe(400);
    // Worded for whoever reads it: the agent here, the member in their own wizard.
    expect(textOf(start.text)).toContain("The membership is suspended: no new claim can be filed");
    const submit = await agentA.browser.post(`/account/claims/new/${draft}/review`, {});
    expect(submit.status).toBe(400);
    expect(textOf(submit.text)).toContain("no new claim can be filed");
    const api = await browser.send(
      "POST",
      "/api/v1/claims",
      JSON.stringify({
        policyId: policy.policyId,
        claimType: "outpatient",
        incidentDate: daysAgo(1),
        incidentPlace: "Petaling Jaya",
        description: "Clinic visit for a fever.",
        claimedMinor: 15_000,
        currency: "KES",
      }),
      { "content-type": "application/json", origin: browser.origin },
    );
    expect(api.status).toBe(400);
    // The member reads why in their account.
    expect(textOf((await browser.get("/account/benefits")).text)).toContain("The membership is suspended");
    expect(JSON.parse(api.text)).toMatchObject({ status: "error", errors: { policyId: [expect.stringContaining("suspended")] } });
    expect(await claimCount(tenant.id)).toBe(before);

    // Reinstated, the same draft files (an incident while suspended is claimable afterwards).
    expect((await act(agentA.browser, `/agent/members/${memberId}`, "reinstate", "verified")).status).toBe(302);
    const filed = await agentA.browser.post(`/account/claims/new/${draft}/review`, {});
    expect(filed.status).toBe(302);
    expect(await claimCount(tenant.id)).toBe(before + 1);
  });
});

describe("staff and the member's status", () => {
  it("lists members by status, agent number and a full MyKad number, with the MyKad masked", async () => {
    const nric = "910203-10-5566";
    const { memberId } = await signedInMember(nric);
    const agentNumber = (
      await ownerDb().selectFrom("agents").select("agent_number").where("id", "=", agentA.agent.id).executeTakeFirstOrThrow()
    ).agent_number;
    const byNric = await staff.get(`/admin/members?q=${encodeURIComponent("910203105566")}`);
    expect(byNric.status).toBe(200);
    expect(byNric.text).toContain(`/admin/members/${memberId}`);
    expect(textOf(byNric.text)).toContain("******-**-5566");
    // The number typed stays in the search box only; every row shows the mask.
    expect(textOf(byNric.text)).not.toContain("910203");
    expect((await staff.get(`/admin/members?agent=${agentNumber}`)).text).toContain(memberId);
    const otherAgent = (
      await ownerDb().selectFrom("agents").select("agent_number").where("id", "=", agentB.agent.id).executeTakeFirstOrThrow()
    ).agent_number;
    expect((await staff.get(`/admin/members?agent=${otherAgent}`)).text).not.toContain(memberId);
    expect((await staff.get("/admin/members?status=suspended")).text).not.toContain(memberId);
    const bad = await staff.get("/admin/members?status=zombie&agent=x");
    expect(bad.status).toBe(200);

    const profile = await staff.get(`/admin/members/${memberId}`);
    expect(profile.status).toBe(200);
    expect(textOf(profile.text)).toContain("******-**-5566");
    // Staff read; only admins act.
    expect(textOf(profile.text)).not.toContain("Yes, suspend");
    expect((await act(staff, `/admin/members/${memberId}`, "suspend", "unpaid")).status).toBe(403);
    expect(await statusOf(memberId)).toBe("active");
  });

  it("terminates for good: the member-only account is closed, the agent told, no policy cancelled but each one listed", async () => {
    const { memberId, user, policy, browser } = await signedInMember();
    expect(await isSignedIn(browser)).toBe(true);
    const app = await withTenant(tenant.id, (db) => issueTokens(db, tenant.id, user.id, { name: "Phone" }));
    const res = await act(admin, `/admin/members/${memberId}`, "terminate", "fraud", "Forged hospital bills");
    expect(res.status).toBe(302);
    expect(await statusOf(memberId)).toBe("terminated");
    const account = await ownerDb().selectFrom("users").select("status").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(account.status).toBe("suspended");
    expect(await isSignedIn(browser)).toBe(false);
    // The member's apps end too, recorded as a closed account rather than a password change.
    const family = await ownerDb()
      .selectFrom("api_token_families")
      .select("revoked_reason")
      .where("id", "=", app.familyId)
      .executeTakeFirstOrThrow();
    expect(family.revoked_reason).toBe("account_closed");
    const policyRow = await ownerDb().selectFrom("policies").select("status").where("id", "=", policy.policyId).executeTakeFirstOrThrow();
    expect(policyRow.status).toBe("active");

    const page = textOf((await admin.get(`/admin/members/${memberId}`)).text);
    expect(page).toContain("Policies still in force");
    expect(page).toContain(policy.policyNumber!);
    expect(page).toContain("Terminating a member cancels nothing");
    expect(page).toContain("membership has ended");
    expect(page).not.toContain("Yes, reinstate");
    const memberMail = await latestMessage(tenant.id, user.email, "member_terminate");
    expect(memberMail?.body_text).toContain("Reason: Fraud or misrepresentation: Forged hospital bills");
    const agentMail = await latestMessage(tenant.id, agentA.user.email, "member_terminate_agent");
    expect(agentMail?.body_text).toContain("The agency has terminated your member Nurul binti Hassan");
    const [audit] = await auditRows(tenant.id, "member.terminate", memberId);
    expect(audit?.details).toMatchObject({ by: "staff", accountClosed: true, openPolicies: 1 });

    // Final: nothing brings it back, by staff or the agent.
    const back = await act(admin, `/admin/members/${memberId}`, "reinstate", "mistake");
    expect(back.status).toBe(409);
    expect((await act(agentA.browser, `/agent/members/${memberId}`, "reinstate", "mistake")).status).toBe(409);
    expect(await statusOf(memberId)).toBe("terminated");
  });

  it("keeps the sign-in of a member who also works for the agency", async () => {
    const { memberId, user, browser } = await signedInMember();
    await withTenant(tenant.id, (db) => db.insertInto("user_roles").values({ user_id: user.id, role: "agent" }).execute());
    expect((await act(agentA.browser, `/agent/members/${memberId}`, "terminate", "member_request")).status).toBe(302);
    const account = await ownerDb().selectFrom("users").select("status").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(account.status).toBe("active");
    expect(await isSignedIn(browser)).toBe(true);
  });

  it("is a 404 from another agency, on the list's links, the page, the action and the benefits", async () => {
    const { memberId } = await signedInMember();
    const elsewhere = await memberTenant();
    const theirAdmin = await signIn(elsewhere.host, (await createUser(elsewhere.id, { roles: ["admin"] })).email);
    expect((await theirAdmin.get(`/admin/members/${memberId}`)).status).toBe(404);
    expect((await act(theirAdmin, `/admin/members/${memberId}`, "suspend", "unpaid")).status).toBe(404);
    expect((await theirAdmin.get("/admin/members")).text).not.toContain(memberId);
    expect((await theirAdmin.get(`/api/v1/members/${memberId}/benefits`)).status).toBe(404);
    expect(await statusOf(memberId)).toBe("active");
    expect((await admin.get("/admin/members/not-a-uuid")).status).toBe(404);
    expect((await admin.get("/admin/members/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe("a member's benefits", () => {
  it("shows the yearly limit, what approved and settled claims used and what is left, to the member, their agent and staff alike", async () => {
    const { memberId, user, policy, browser } = await signedInMember();
    // The policy was sold by agent A (its order credited to them), so the agent sees it too.
    await withTenant(tenant.id, async (db) => {
      const p = await db
        .selectFrom("policies")
        .select(["order_id", "start_date"])
        .where("id", "=", policy.policyId)
        .executeTakeFirstOrThrow();
      await db.updateTable("orders").set({ agent_id: agentA.agent.id }).where("id", "=", p.order_id).execute();
      const claim = (status: ClaimStatus, claimed: number, payable: number | null, n: string) =>
        db
          .insertInto("claims")
          .values({
            claim_number: `TST-CLM-${n}-${memberId.slice(0, 8)}`,
            policy_id: policy.policyId,
            claimant_user_id: user.id,
            member_id: memberId,
            filed_by_user_id: user.id,
            claim_type: "inpatient",
            incident_date: daysAgo(10),
            incident_place: "Kuala Lumpur",
            description: "Hospital stay",
            claimed_minor: claimed,
            currency: "KES",
            status,
            policy_year_start: p.start_date!,
            approved_minor: payable,
            payable_minor: payable,
          })
          .execute();
      await claim("approved", 500_000, 425_050, "1");
      await claim("settled", 100_000, 100_000, "2");
      // Neither a claim still open nor a rejected one uses the benefit.
      await claim("submitted", 900_000, null, "3");
      await claim("rejected", 700_000, null, "4");
    });

    const nav = await browser.get("/account/policies");
    expect(nav.text).toContain('href="/account/benefits"');
    const page = await browser.get("/account/benefits");
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain(policy.policyNumber!);
    expect(text).toMatch(/Yearly limit\s*KES\s*100,000\.00/);
    expect(text).toMatch(/Used this policy year\s*KES\s*5,250\.50/);
    expect(text).toMatch(/Left this policy year\s*KES\s*94,749\.50/);
    expect(text).toContain("Hospital stay (inpatient)"); // a claim type of the medical family …
    expect(text).toContain("Itemised hospital bill"); // … and a document it needs

    const api = JSON.parse((await browser.get(`/api/v1/members/${memberId}/benefits`)).text);
    expect(api.policies).toHaveLength(1);
    expect(api.policies[0]).toMatchObject({
      policyId: policy.policyId,
      annualLimit: { limitMinor: 10_000_000, usedMinor: 525_050, leftMinor: 9_474_950 },
    });
    const agentApi = JSON.parse((await agentA.browser.get(`/api/v1/members/${memberId}/benefits`)).text);
    expect(agentApi.policies[0].annualLimit.leftMinor).toBe(9_474_950);
    const staffApi = JSON.parse((await staff.get(`/api/v1/members/${memberId}/benefits`)).text);
    expect(staffApi.policies[0].annualLimit.leftMinor).toBe(9_474_950);
    expect(textOf((await agentA.browser.get(`/agent/members/${memberId}`)).text)).toMatch(/Left this policy year\s*KES\s*94,749\.50/);
    expect(textOf((await staff.get(`/admin/members/${memberId}`)).text)).toMatch(/Left this policy year\s*KES\s*94,749\.50/);
  });

  it("is nobody else's: another agent, another customer, anonymous and another agency get 404 (or 401)", async () => {
    const { memberId } = await signedInMember();
    const other = await signIn(tenant.host, (await createUser(tenant.id)).email);
    const denied = JSON.parse((await agentB.browser.get(`/api/v1/members/${memberId}/benefits`)).text);
    expect(denied).toMatchObject({ status: "error", code: "NOT_FOUND" });
    expect((await agentB.browser.get(`/api/v1/members/${memberId}/benefits`)).status).toBe(404);
    expect((await other.get(`/api/v1/members/${memberId}/benefits`)).status).toBe(404);
    expect((await new Browser(tenant.host).get(`/api/v1/members/${memberId}/benefits`)).status).toBe(401);
    expect((await other.get("/api/v1/members/not-a-uuid/benefits")).status).toBe(404);
    // A customer who is nobody's member has no benefits page and no tab.
    expect((await other.get("/account/benefits")).status).toBe(404);
    expect((await other.get("/account/policies")).text).not.toContain('href="/account/benefits"');
  });
});

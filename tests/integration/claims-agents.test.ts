/**
 * KHHoldings' agents and their members' claims (issue 12 items 3–4) over real HTTP: an agent files
 * for their own member through the same wizard, reviews the claim as the first stage of the agency's
 * workflow (or asks the member for documents), and another agent reaches none of it: 404 on every
 * page, action and link. A direct customer of the same agency has no agent to wait for.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createUser, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import { claimRow, daysAgo, expectRedirect, submitDraft, workflowStage } from "./claims-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { agentWithLogin, memberTenant, registeredMember, type MemberTenant } from "./members-support";

let tenant: MemberTenant;
let agentA: Awaited<ReturnType<typeof agentWithLogin>>;
let agentB: Awaited<ReturnType<typeof agentWithLogin>>;
let memberA: Awaited<ReturnType<typeof registeredMember>>;
let memberB: Awaited<ReturnType<typeof registeredMember>>;
let policyA: PolicyFixture;
let policyB: PolicyFixture;
let facilityId: string;

beforeAll(async () => {
  tenant = await memberTenant();
  [agentA, agentB] = await Promise.all([agentWithLogin(tenant), agentWithLogin(tenant)]);
  memberA = await registeredMember(agentA.browser);
  memberB = await registeredMember(agentB.browser);
  policyA = await insertPolicy(tenant.id, memberA.userId, { productSlug: "medical-card", startDate: daysAgo(120) });
  policyB = await insertPolicy(tenant.id, memberB.userId, { productSlug: "medical-card", startDate: daysAgo(120) });
  facilityId = await withTenant(tenant.id, async (db) => {
    const row = await db
      .insertInto("facilities")
      .values({ name: "Hospital Pantai Kuala Lumpur", kind: "hospital", city: "Kuala Lumpur", state: "Wilayah Persekutuan", panel: true })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
});

/** The agent files an inpatient claim for a member through the wizard's pages; returns the claim's id. */
async function fileForMember(browser: Browser, memberId: string, policyId: string): Promise<string> {
  const choose = await browser.get(`/account/claims/new?member=${memberId}`);
  expect(choose.status).toBe(200);
  expect(choose.text).toContain(policyId);
  const draftId = expectRedirect(await browser.post("/account/claims/new", { policyId }), /\/new\/([0-9a-f-]{36})\/incident$/)[1]!;
  expectRedirect(
    await browser.post(`/account/claims/new/${draftId}/incident`, {
      claimType: "inpatient",
      incidentDate: daysAgo(4),
      incidentPlace: "Bangsar, Kuala Lumpur",
      description: "Admitted for dengue fever for three nights.",
    }),
    /\/amount$/,
  );
  const amountPage = await browser.get(`/account/claims/new/${draftId}/amount?q=Pantai`);
  expect(textOf(amountPage.text)).toContain("Hospital Pantai Kuala Lumpur");
  expectRedirect(
    await browser.post(`/account/claims/new/${draftId}/amount`, { amount: "4,250.50", currency: "KES", facilityId }),
    /\/documents$/,
  );
  return submitDraft(browser, draftId);
}

describe("an agent and their own member's claim", () => {
  let claimId: string;

  beforeAll(async () => {
    claimId = await fileForMember(agentA.browser, memberA.memberId, policyA.policyId);
  });

  it("is filed for the member, at the hospital chosen, and waits for the agent's review", async () => {
    expect(await claimRow(claimId)).toMatchObject({
      claimant_user_id: memberA.userId,
      member_id: memberA.memberId,
      filed_by_user_id: agentA.user.id,
      facility_id: facilityId,
      claimed_minor: 425_050,
      status: "submitted",
    });
    expect(await workflowStage(claimId)).toEqual({ current_stage: "agent_review", status: "active" });
    const list = await agentA.browser.get("/agent/claims");
    expect(textOf(list.text)).toContain((await claimRow(claimId)).claim_number);
    const page = await agentA.browser.get(`/agent/claims/${claimId}?done=filed`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Your agent to review the claim");
    expect(textOf(page.text)).toContain("Reviewed — send to the assessor");
    expect(textOf(page.text)).toContain("Hospital Pantai Kuala Lumpur");
  });

  it("is a 404 for another agent everywhere: page, review, documents, drafts, lists and the API", async () => {
    expect((await agentB.browser.get(`/agent/claims/${claimId}`)).status).toBe(404);
    expect((await agentB.browser.post(`/agent/claims/${claimId}`, { intent: "review" })).status).toBe(404);
    expect(
      (
        await agentB.browser.post(`/agent/claims/${claimId}`, {
          intent: "ask",
          message: "Send it",
          documents: "medical_report",
          revision: "0",
        })
      ).status,
    ).toBe(404);
    expect((await agentB.browser.get(`/account/claims/${claimId}`)).status).toBe(404);
    expect((await agentB.browser.get(`/api/v1/claims/${claimId}`)).status).toBe(404);
    expect(textOf((await agentB.browser.get("/agent/claims")).text)).not.toContain((await claimRow(claimId)).claim_number);
    const choose = await agentB.browser.get(`/account/claims/new?member=${memberA.memberId}`);
    expect(choose.text).not.toContain(policyA.policyId);
    const draft = await agentB.browser.post("/account/claims/new", { policyId: policyA.policyId });
    expect(draft.status).toBe(400);
    expect(textOf(draft.text)).toContain("Choose one of the policies listed.");
    expect(await workflowStage(claimId)).toEqual({ current_stage: "agent_review", status: "active" });
  });

  it("is sent on to the assessors by its agent's review, with the status unchanged and a timeline entry", async () => {
    const reviewed = await agentA.browser.post(`/agent/claims/${claimId}`, { intent: "review", note: "Checked the bill with the member" });
    expectRedirect(reviewed, /done=reviewed$/);
    expect(await workflowStage(claimId)).toEqual({ current_stage: "assessment", status: "active" });
    expect((await claimRow(claimId)).status).toBe("submitted");
    const timeline = await ownerDb()
      .selectFrom("state_changes")
      .selectAll()
      .where("entity_id", "=", claimId)
      .orderBy("created_at")
      .execute();
    expect(timeline.map((t) => [t.event, t.reason])).toEqual([
      ["create", "Filed by the member's agent"],
      ["agent_reviewed", "Checked the bill with the member"],
    ]);
    const page = await agentA.browser.get(`/agent/claims/${claimId}`);
    expect(textOf(page.text)).toContain("Reviewed by the agent");
    expect(textOf(page.text)).not.toContain("Reviewed — send to the assessor");
    const again = await agentA.browser.post(`/agent/claims/${claimId}`, { intent: "review" });
    expect(again.status).toBe(409);
  });

  it("can instead ask the member for documents before sending it on", async () => {
    const second = await fileForMember(agentA.browser, memberA.memberId, policyA.policyId);
    const none = await agentA.browser.post(`/agent/claims/${second}`, {
      intent: "ask",
      message: "Please send the discharge summary",
      revision: "0",
    });
    expect(none.status).toBe(400);
    expect(textOf(none.text)).toContain("Choose at least one document to ask for.");
    const asked = await agentA.browser.post(`/agent/claims/${second}`, {
      intent: "ask",
      message: "Please send the discharge summary",
      documents: "discharge_summary",
      revision: "0",
    });
    expectRedirect(asked, /done=asked$/);
    expect((await claimRow(second)).status).toBe("documents_requested");
    expect(await workflowStage(second)).toEqual({ current_stage: "awaiting_documents", status: "active" });
    const request = await ownerDb().selectFrom("claim_requests").selectAll().where("claim_id", "=", second).executeTakeFirstOrThrow();
    expect(request).toMatchObject({ message: "Please send the discharge summary", requested_by: agentA.user.id });
    expect(request.documents).toEqual([{ code: "discharge_summary", label: "Discharge summary" }]);
  });

  it("lets agent B follow their own member and nobody else's", async () => {
    const theirs = await fileForMember(agentB.browser, memberB.memberId, policyB.policyId);
    expect((await agentB.browser.get(`/agent/claims/${theirs}`)).status).toBe(200);
    expect((await agentA.browser.get(`/agent/claims/${theirs}`)).status).toBe(404);
  });
});

describe("a direct customer of an agency with agents", () => {
  it("has no agent to wait for: the claim goes straight to assessment", async () => {
    const customer = await createUser(tenant.id, { name: "Dina Customer" });
    const policy = await insertPolicy(tenant.id, customer.id, { productSlug: "medical-card", startDate: daysAgo(60) });
    const browser = await signIn(tenant.host, customer.email);
    const res = await browser.send(
      "POST",
      "/api/v1/claims",
      JSON.stringify({
        policyId: policy.policyId,
        claimType: "outpatient",
        incidentDate: daysAgo(1),
        incidentPlace: "Petaling Jaya",
        description: "Clinic visit for a fever and medicine.",
        claimedMinor: 15_000,
        currency: "KES",
      }),
      { "content-type": "application/json", origin: browser.origin },
    );
    expect(res.status).toBe(201);
    const claimId = JSON.parse(res.text).claim.id as string;
    expect(await workflowStage(claimId)).toEqual({ current_stage: "assessment", status: "active" });
    const tasks = await ownerDb()
      .selectFrom("workflow_tasks as t")
      .innerJoin("workflow_instances as i", "i.id", "t.instance_id")
      .select(["t.stage", "t.status", "t.outcome", "t.notes"])
      .where("i.subject_id", "=", claimId)
      .orderBy("t.started_at")
      .execute();
    expect(tasks[0]).toMatchObject({ stage: "agent_review", status: "completed", outcome: "agent_reviewed" });
    expect(tasks[0]!.notes).toContain("No agent to review");
    expect(JSON.parse(res.text).claim.waitingFor.who).toBe("us");
  });
});

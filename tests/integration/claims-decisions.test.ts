/**
 * Deciding claims over real HTTP (issue 12 item 4): approve, partially approve and reject; four-eyes
 * above the agency's amount (never the assessor, never the first signer twice); two people acting on
 * one claim at once, where exactly one wins; and a claim decided again after an appeal.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { moveClaim } from "~/modules/claims/transition.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import type { Browser, HttpResponse } from "../support/http";
import { textOf } from "./accounts-support";
import {
  browsersFor,
  claimsAgency,
  claimState,
  fileTestClaim,
  revisionOf,
  setClaimSettings,
  type ClaimsAgency,
} from "./claims-office-fixtures";

const FOUR_EYES = 5_000_000; // KES 50,000

let a: ClaimsAgency;
let as: Record<"assessor" | "manager" | "manager2" | "admin", Browser>;

beforeAll(async () => {
  a = await claimsAgency();
  await setClaimSettings(a.tenant.id, { autoAssign: false, fourEyesMinor: FOUR_EYES });
  as = await browsersFor(a.tenant.host, { assessor: a.assessor, manager: a.manager, manager2: a.manager2, admin: a.admin });
});

async function post(
  browser: Browser,
  claimId: string,
  fields: Record<string, string | string[]>,
  revision?: string,
): Promise<HttpResponse> {
  return browser.post(`/admin/claims/${claimId}`, { revision: revision ?? (await revisionOf(a.tenant.id, claimId)), ...fields });
}

/** A claim the assessor (Achieng) has reviewed and assessed. */
async function assessedClaim(
  claimedMinor: number,
  assessment: Record<string, string | string[]> = { recommendation: "approve", approvedAmount: String(claimedMinor / 100), excess: "0" },
) {
  const claim = await fileTestClaim(a.tenant.id, { policyId: a.policy.policyId, claimantUserId: a.customer.id, claimedMinor });
  expect((await post(as.assessor, claim.id, { intent: "start_review" })).status).toBe(302);
  const res = await post(as.assessor, claim.id, { intent: "assess", ...assessment });
  expect(res.status, textOf(res.text).slice(0, 300)).toBe(302);
  return claim;
}

const approvals = (claimId: string) =>
  withTenant(a.tenant.id, (db) =>
    db.selectFrom("claim_approvals").selectAll().where("claim_id", "=", claimId).orderBy("round").orderBy("step").execute(),
  );
const decisions = (claimId: string) =>
  withTenant(a.tenant.id, (db) =>
    db
      .selectFrom("state_changes")
      .select("event")
      .where("entity", "=", "claim")
      .where("entity_id", "=", claimId)
      .where("event", "in", ["approve", "reject"])
      .execute(),
  );

describe("at or below the four-eyes amount", () => {
  it("one approval decides, the assessor's own included, and the claim moves on to settlement", async () => {
    const claim = await assessedClaim(3_000_000);
    const res = await post(as.assessor, claim.id, { intent: "approve", note: "Paid to your M-Pesa number within two days." });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/claims/${claim.id}?done=approve`);
    const state = await claimState(a.tenant.id, claim.id);
    expect(state.claim).toMatchObject({
      status: "approved",
      decision: "approved",
      payable_minor: 3_000_000,
      decision_note: "Paid to your M-Pesa number within two days.",
    });
    expect(state.claim.decided_at).not.toBeNull();
    expect(state.stage).toBe("settlement");
    expect(await approvals(claim.id)).toMatchObject([
      { round: 1, step: 1, approver_user_id: a.assessor.id, decision: "approved", payable_minor: 3_000_000 },
    ]);
    const page = textOf((await as.assessor.get(`/admin/claims/${claim.id}?done=approve`)).text);
    expect(page).toContain("The claim is approved.");
    expect(page).toContain("Assessed → Approved");
  });

  it("approves in part when less than claimed is payable", async () => {
    const claim = await assessedClaim(3_000_000, {
      recommendation: "approve",
      approvedAmount: "25,000",
      excess: "1,000",
      reasonCodes: ["depreciation", "excess_applied"],
    });
    expect((await post(as.manager, claim.id, { intent: "approve" })).status).toBe(302);
    expect((await claimState(a.tenant.id, claim.id)).claim).toMatchObject({
      status: "approved",
      decision: "partially_approved",
      payable_minor: 2_400_000,
    });
  });
});

describe("above the four-eyes amount", () => {
  it("records the first sign-off and waits; the first signer cannot sign again; a second person decides", async () => {
    const claim = await assessedClaim(8_000_000);
    const first = await post(as.assessor, claim.id, { intent: "approve" });
    expect(first.status).toBe(302);
    expect(first.location).toBe(`/admin/claims/${claim.id}?done=first_signature`);
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("assessment_complete");
    const waiting = textOf((await as.manager.get(`/admin/claims/${claim.id}`)).text);
    expect(waiting).toContain("Waiting for a second approver");
    expect(waiting).toContain("Achieng Assessor signed the approval first");

    const twice = await post(as.assessor, claim.id, { intent: "approve" });
    expect(twice.status).toBe(422);
    expect(textOf(twice.text)).toContain("You signed this approval first: a second person must sign it.");
    expect(await approvals(claim.id)).toHaveLength(1);

    const second = await post(as.manager, claim.id, { intent: "approve" });
    expect(second.status).toBe(302);
    expect(second.location).toBe(`/admin/claims/${claim.id}?done=approve`);
    expect((await claimState(a.tenant.id, claim.id)).claim).toMatchObject({ status: "approved", payable_minor: 8_000_000 });
    expect((await approvals(claim.id)).map((r) => [r.step, r.approver_user_id])).toEqual([
      [1, a.assessor.id],
      [2, a.manager.id],
    ]);
  });

  it("never takes the assessor who assessed the claim as the second signer", async () => {
    const claim = await assessedClaim(9_000_000);
    expect((await post(as.manager, claim.id, { intent: "approve" })).status).toBe(302);
    const page = await as.assessor.get(`/admin/claims/${claim.id}`);
    expect(textOf(page.text)).toContain("You assessed this claim: the second approval must come from someone else.");
    expect(page.text).not.toContain('value="approve"');

    const assessor = await post(as.assessor, claim.id, { intent: "approve" });
    expect(assessor.status).toBe(422);
    expect(textOf(assessor.text)).toContain("You assessed this claim: the second approval must come from someone else.");
    const again = await post(as.manager, claim.id, { intent: "approve" });
    expect(again.status).toBe(422);
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("assessment_complete");

    expect((await post(as.manager2, claim.id, { intent: "approve" })).status).toBe(302);
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("approved");
  });
});

describe("rejections", () => {
  it("need one person, with reasons and a note to the claimant; refused without them", async () => {
    const claim = await assessedClaim(9_000_000, { recommendation: "reject", reasonCodes: ["not_covered"] });
    const page = await as.manager.get(`/admin/claims/${claim.id}`);
    // The assessor's reasons come ticked; there is nothing assessed to approve.
    expect(page.text).toMatch(/value="not_covered" checked=""|checked="" value="not_covered"/);
    expect(page.text).not.toContain('value="approve"');
    const approve = await post(as.manager, claim.id, { intent: "approve" });
    expect(approve.status).toBe(422);
    expect(textOf(approve.text)).toContain("The assessment recommends a rejection");

    const empty = await post(as.manager, claim.id, { intent: "reject", note: " " });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Choose at least one reason.");
    expect(textOf(empty.text)).toContain("Write to the claimant why the claim is rejected.");
    const forged = await post(as.manager, claim.id, { intent: "reject", reasonCodes: ["depreciation"], note: "No." });
    expect(forged.status).toBe(400);
    expect(textOf(forged.text)).toContain("Choose reasons from the list.");

    const res = await post(as.manager, claim.id, {
      intent: "reject",
      reasonCodes: ["not_covered", "late_notification"],
      note: "Your policy does not cover damage from racing.",
    });
    expect(res.status).toBe(302);
    const state = await claimState(a.tenant.id, claim.id);
    expect(state.claim).toMatchObject({
      status: "rejected",
      decision: "rejected",
      reason_codes: ["not_covered", "late_notification"],
      decision_note: "Your policy does not cover damage from racing.",
    });
    expect(state.stage).toBe("rejected");
    expect(await approvals(claim.id)).toMatchObject([{ step: 1, approver_user_id: a.manager.id, decision: "rejected", payable_minor: 0 }]);
  });

  it("are signed off again after an appeal: a new assessment, a new round of sign-offs", async () => {
    const claim = await assessedClaim(2_000_000, { recommendation: "reject", reasonCodes: ["missing_documents"] });
    expect((await post(as.manager, claim.id, { intent: "reject", reasonCodes: ["missing_documents"], note: "No receipts." })).status).toBe(
      302,
    );
    const tenant = (await tenantById(a.tenant.id))!;
    await withTenant(a.tenant.id, (db) =>
      moveClaim(db, claimWorkflow(tenant, "http://test"), {
        claimId: claim.id,
        event: "appeal",
        ctx: { appealReason: "Here are the receipts.", appealWindowOpen: true },
        actorUserId: a.customer.id,
        set: { appeal_reason: "Here are the receipts.", appealed_at: new Date() },
      }),
    );
    expect((await post(as.assessor, claim.id, { intent: "start_review" })).status).toBe(302);
    expect(
      (await post(as.assessor, claim.id, { intent: "assess", recommendation: "approve", approvedAmount: "20,000", excess: "0" })).status,
    ).toBe(302);
    expect((await post(as.manager, claim.id, { intent: "approve" })).status).toBe(302);
    expect((await claimState(a.tenant.id, claim.id)).claim).toMatchObject({
      status: "approved",
      assessment_round: 2,
      payable_minor: 2_000_000,
    });
    expect((await approvals(claim.id)).map((r) => [r.round, r.step, r.decision])).toEqual([
      [1, 1, "rejected"],
      [2, 1, "approved"],
    ]);
  });
});

describe("two people acting on one claim at once", () => {
  it("two second signers: exactly one decides, the other is told someone else acted", async () => {
    const claim = await assessedClaim(7_000_000);
    expect((await post(as.assessor, claim.id, { intent: "approve" })).status).toBe(302);
    const revision = await revisionOf(a.tenant.id, claim.id);
    const results = await Promise.all([
      post(as.manager, claim.id, { intent: "approve" }, revision),
      post(as.manager2, claim.id, { intent: "approve" }, revision),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(textOf(loser.text)).toContain("Someone else changed this claim while you were looking at it.");
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("approved");
    expect(await approvals(claim.id)).toHaveLength(2);
    expect(await decisions(claim.id)).toEqual([{ event: "approve" }]);
  });

  it("an approval and a rejection: one decides, the other changes nothing", async () => {
    const claim = await assessedClaim(1_000_000);
    const revision = await revisionOf(a.tenant.id, claim.id);
    const results = await Promise.all([
      post(as.manager, claim.id, { intent: "approve" }, revision),
      post(as.manager2, claim.id, { intent: "reject", reasonCodes: ["not_covered"], note: "Not covered." }, revision),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    const state = await claimState(a.tenant.id, claim.id);
    expect(["approved", "rejected"]).toContain(state.claim.status);
    expect(await approvals(claim.id)).toHaveLength(1);
    expect(await decisions(claim.id)).toHaveLength(1);
  });

  it("two first signers: one signature is kept, the other is refused", async () => {
    const claim = await assessedClaim(6_000_000);
    const revision = await revisionOf(a.tenant.id, claim.id);
    const results = await Promise.all([
      post(as.manager, claim.id, { intent: "approve" }, revision),
      post(as.admin, claim.id, { intent: "approve" }, revision),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("assessment_complete");
    expect(await approvals(claim.id)).toHaveLength(1);
  });
});

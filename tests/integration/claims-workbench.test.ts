/**
 * The assessor's workbench over real HTTP (issue 12 item 4): what it shows of a claim, the
 * documents behind signed links, starting the review, asking for more, reviewing documents, the
 * assessment with its field errors, internal notes, assignment, and the workflow's say in it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { formatMoney } from "~/lib/money";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { moveClaim } from "~/modules/claims/transition.server";
import { tenantById } from "~/modules/tenancy/resolve.server";
import { Browser } from "../support/http";
import { auditRows, textOf } from "./accounts-support";
import {
  browsersFor,
  claimsAgency,
  claimState,
  fileTestClaim,
  revisionOf,
  setClaimRules,
  setClaimSettings,
  TINY_PNG,
  type ClaimsAgency,
} from "./claims-office-fixtures";
import { memberOfAgent } from "./claims-settlement-fixtures";

const money = (minor: number) => formatMoney(minor, "KES", "en-KE").replace(/\s+/g, " ");

const MOTOR_RULES = {
  excessMinor: 500_000,
  annualLimitMinor: 20_000_000,
  documents: { accident: [{ code: "police_abstract", label: "Police abstract" }] },
};

let a: ClaimsAgency;
let as: Record<"assessor" | "assessor2" | "manager" | "staff" | "customer", Browser>;

beforeAll(async () => {
  a = await claimsAgency();
  await setClaimSettings(a.tenant.id, { autoAssign: false });
  await setClaimRules(a.tenant.id, "motor-comprehensive", MOTOR_RULES);
  as = await browsersFor(a.tenant.host, {
    assessor: a.assessor,
    assessor2: a.assessor2,
    manager: a.manager,
    staff: a.staff,
    customer: a.customer,
  });
});

/** A fresh motor claim of the agency's first customer (KES 120,000 claimed). */
const motorClaim = (documents: Parameters<typeof fileTestClaim>[1]["documents"] = []) =>
  fileTestClaim(a.tenant.id, { policyId: a.policy.policyId, claimantUserId: a.customer.id, claimedMinor: 12_000_000, documents });

async function post(browser: Browser, claimId: string, fields: Record<string, string | string[]>, withRevision = true) {
  return browser.post(`/admin/claims/${claimId}`, withRevision ? { revision: await revisionOf(a.tenant.id, claimId), ...fields } : fields);
}

/** Moves a claim as the claimant side would (documents sent back), straight through the one writer. */
async function asClaimant(claimId: string, event: "documents_received") {
  const tenant = (await tenantById(a.tenant.id))!;
  await withTenant(a.tenant.id, (db) =>
    moveClaim(db, claimWorkflow(tenant, "http://test"), { claimId, event, actorUserId: a.customer.id }),
  );
}

describe("the workbench", () => {
  it("shows the claim, its policy, the claimant's masked identifiers, the benefit left, the documents and the workflow", async () => {
    const claim = await motorClaim([
      { kind: "damage_photos", filename: "bumper.png", contentType: "image/png" },
      { kind: "police_abstract", filename: "abstract.pdf", contentType: "application/pdf" },
    ]);
    const res = await as.assessor.get(`/admin/claims/${claim.id}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(claim.number);
    expect(text).toContain(a.policy.policyNumber!);
    expect(text).toContain("Wanjiku Claimant");
    expect(text).toContain("****5678");
    expect(text).toContain(`Left ${money(20_000_000)}`);
    expect(text).toContain("Stage Assessment");
    expect(text).toContain("Mombasa Road, Nairobi");

    const image = res.text.match(/<img src="(\/files\/[A-Za-z0-9_.-]+)"/)?.[1];
    expect(image).toBeTruthy();
    const file = await as.assessor.get(image!);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("image/png");
    expect(file.headers["content-length"]).toBe(String(TINY_PNG.length));
    // Signed for this assessor only: the claimant (or anyone else) holding it is refused.
    expect((await as.customer.get(image!)).status).toBe(403);
    expect(res.text).toMatch(/<a href="\/files\/[A-Za-z0-9_.-]+">Open the PDF<\/a>/);
  });

  it("starts the review, and refuses a form left open while someone else acted", async () => {
    const claim = await motorClaim();
    const stale = await revisionOf(a.tenant.id, claim.id);
    const res = await as.assessor.post(`/admin/claims/${claim.id}`, { intent: "start_review", revision: stale });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/claims/${claim.id}?done=start_review`);
    const state = await claimState(a.tenant.id, claim.id);
    expect(state.claim.status).toBe("under_review");
    // Nobody had it: it is now the reviewer's, with its open task.
    expect(state.claim.assessor_user_id).toBe(a.assessor.id);
    expect(state.task?.assigned_user_id).toBe(a.assessor.id);

    const again = await as.assessor2.post(`/admin/claims/${claim.id}`, { intent: "start_review", revision: stale });
    expect(again.status).toBe(409);
    expect(textOf(again.text)).toContain("Someone else changed this claim while you were looking at it.");
    expect((await claimState(a.tenant.id, claim.id)).claim.revision).toBe(state.claim.revision);
  });

  it("asks the claimant for more documents with a message, or says what is missing", async () => {
    const claim = await motorClaim();
    const empty = await post(as.assessor, claim.id, { intent: "request_documents", message: "  " });
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Write what you need and why.");
    expect(textOf(empty.text)).toContain("Choose or name at least one document.");
    const forged = await post(as.assessor, claim.id, { intent: "request_documents", message: "Please", documents: ["logbook"] });
    expect(forged.status).toBe(400);
    expect(textOf(forged.text)).toContain("Choose documents from the list.");
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("submitted");

    const res = await post(as.assessor, claim.id, {
      intent: "request_documents",
      message: "The abstract is unreadable. Please send a clear copy and the garage's estimate.",
      documents: ["police_abstract"],
      otherDocuments: "Garage repair estimate\n\n",
    });
    expect(res.status).toBe(302);
    const state = await claimState(a.tenant.id, claim.id);
    expect(state.claim.status).toBe("documents_requested");
    expect(state.stage).toBe("awaiting_documents");
    const request = await withTenant(a.tenant.id, (db) =>
      db.selectFrom("claim_requests").selectAll().where("claim_id", "=", claim.id).executeTakeFirstOrThrow(),
    );
    expect(request.documents).toEqual([
      { code: "police_abstract", label: "Police abstract" },
      { code: "garage_repair_estimate", label: "Garage repair estimate" },
    ]);
    expect(request.requested_by).toBe(a.assessor.id);
    const page = textOf((await as.assessor.get(`/admin/claims/${claim.id}`)).text);
    expect(page).toContain("The abstract is unreadable.");
    expect(page).toContain("Police abstract, Garage repair estimate");

    // The claimant answers: the claim comes back to assessment.
    await asClaimant(claim.id, "documents_received");
    expect((await claimState(a.tenant.id, claim.id)).stage).toBe("assessment");
  });

  it("reviews each document: verified, or rejected with a note the claimant reads", async () => {
    const claim = await motorClaim([{ kind: "damage_photos", filename: "door.png", contentType: "image/png" }]);
    const other = await motorClaim([{ kind: "damage_photos", filename: "other.png", contentType: "image/png" }]);
    const [doc, otherDoc] = await withTenant(a.tenant.id, async (db) => [
      await db.selectFrom("claim_documents").select("id").where("claim_id", "=", claim.id).executeTakeFirstOrThrow(),
      await db.selectFrom("claim_documents").select("id").where("claim_id", "=", other.id).executeTakeFirstOrThrow(),
    ]);
    const noNote = await post(as.assessor, claim.id, { intent: "review_document", documentId: doc.id, verdict: "rejected" }, false);
    expect(noNote.status).toBe(400);
    expect(textOf(noNote.text)).toContain("Say what is wrong with the document: the claimant reads it.");
    // A document of another claim is not this claim's.
    const elsewhere = await post(as.assessor, claim.id, { intent: "review_document", documentId: otherDoc.id, verdict: "verified" }, false);
    expect(elsewhere.status).toBe(404);

    const res = await post(
      as.assessor,
      claim.id,
      { intent: "review_document", documentId: doc.id, verdict: "rejected", note: "Blurred: the plate cannot be read." },
      false,
    );
    expect(res.status).toBe(302);
    const row = await withTenant(a.tenant.id, (db) =>
      db.selectFrom("claim_documents").selectAll().where("id", "=", doc.id).executeTakeFirstOrThrow(),
    );
    expect(row).toMatchObject({ status: "rejected", review_note: "Blurred: the plate cannot be read.", reviewed_by: a.assessor.id });
    expect(await auditRows(a.tenant.id, "claim.document_reviewed", claim.id)).toHaveLength(1);
    const page = textOf((await as.assessor.get(`/admin/claims/${claim.id}`)).text);
    expect(page).toContain("Document reviewed");
    expect(page).toContain("door.png: rejected — Blurred: the plate cannot be read.");
    expect(
      (
        await withTenant(a.tenant.id, (db) =>
          db.selectFrom("claim_documents").select("status").where("id", "=", otherDoc.id).executeTakeFirstOrThrow(),
        )
      ).status,
    ).toBe("pending");

    // Accepted on a second look: the claimant hears of it in the app, once, however often it is accepted.
    const notices = () =>
      withTenant(a.tenant.id, (db) =>
        db
          .selectFrom("messages")
          .select(["channel", "user_id", "link", "body_text"])
          .where("event", "=", "document_verified")
          .where("link", "=", `/account/claims/${claim.id}`)
          .execute(),
      );
    expect(await notices()).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const accepted = await post(as.assessor, claim.id, { intent: "review_document", documentId: doc.id, verdict: "verified" }, false);
      expect(accepted.status).toBe(302);
    }
    const sent = await notices();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: "in_app", user_id: a.customer.id });
    expect(sent[0]!.body_text).toContain("door.png");
  });

  it("completes the assessment, each mistake said by its field, the excess from the product and the benefit left checked", async () => {
    const claim = await motorClaim();
    expect((await post(as.assessor, claim.id, { intent: "start_review" })).status).toBe(302);
    // The product's yearly benefit is lowered to KES 100,000 for this claim's assessment.
    await setClaimRules(a.tenant.id, "motor-comprehensive", { ...MOTOR_RULES, annualLimitMinor: 10_000_000 });
    const form = await as.assessor.get(`/admin/claims/${claim.id}`);
    // The excess defaults from the product's claim rules.
    expect(form.text).toMatch(/name="excess"[^>]*value="5000"|value="5000"[^>]*name="excess"/);

    const cases: [Record<string, string | string[]>, string][] = [
      [{ recommendation: "approve", approvedAmount: "130,000", excess: "0" }, "This is more than was claimed."],
      [{ recommendation: "approve", approvedAmount: "lots", excess: "0" }, "Enter the approved amount such as 10 or 10.50."],
      [{ recommendation: "approve", approvedAmount: "100,000", excess: "-1" }, "The excess cannot be negative."],
      [{ recommendation: "approve", approvedAmount: "100,000", excess: "100,000" }, "Nothing would be payable after this excess"],
      [{ recommendation: "approve", approvedAmount: "100,000", excess: "5,000" }, "Say why less than claimed is payable."],
      [
        { recommendation: "approve", approvedAmount: "100,000", excess: "5,000", reasonCodes: ["misrepresentation"] },
        "Choose reasons for a partial approval from the list.",
      ],
      [{ recommendation: "reject" }, "Choose at least one reason."],
      [{ recommendation: "maybe" }, "Choose approve or reject."],
      // KES 120,000 less 5,000 is more than the KES 100,000 a year the product pays.
      [
        { recommendation: "approve", approvedAmount: "120,000", excess: "5,000", reasonCodes: ["excess_applied"] },
        `Only ${money(10_000_000)} of this policy year's benefit is left`,
      ],
    ];
    for (const [fields, message] of cases) {
      const res = await post(as.assessor, claim.id, { intent: "assess", ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(textOf(res.text), JSON.stringify(fields)).toContain(message);
    }
    expect((await claimState(a.tenant.id, claim.id)).claim.status).toBe("under_review");

    const res = await post(as.assessor, claim.id, {
      intent: "assess",
      recommendation: "approve",
      approvedAmount: "100,000",
      excess: "5,000",
      reasonCodes: ["excess_applied", "depreciation"],
      notes: "Bumper priced at list; depreciation 10%.",
    });
    expect(res.status).toBe(302);
    const state = await claimState(a.tenant.id, claim.id);
    expect(state.claim).toMatchObject({
      status: "assessment_complete",
      recommendation: "approve",
      approved_minor: 10_000_000,
      excess_minor: 500_000,
      payable_minor: 9_500_000,
      reason_codes: ["excess_applied", "depreciation"],
      assessed_by: a.assessor.id,
      assessment_round: 1,
    });
    expect(state.stage).toBe("decision");
    const page = textOf((await as.assessor.get(`/admin/claims/${claim.id}`)).text);
    expect(page).toContain(`Payable ${money(9_500_000)}`);
    expect(page).toContain("Bumper priced at list; depreciation 10%.");
    await setClaimRules(a.tenant.id, "motor-comprehensive", MOTOR_RULES);
  });

  it("recommends a rejection with its reasons and no amounts", async () => {
    const claim = await motorClaim();
    await post(as.assessor, claim.id, { intent: "start_review" });
    const res = await post(as.assessor, claim.id, {
      intent: "assess",
      recommendation: "reject",
      reasonCodes: ["waiting_period"],
      approvedAmount: "50",
    });
    expect(res.status).toBe(302);
    expect((await claimState(a.tenant.id, claim.id)).claim).toMatchObject({
      status: "assessment_complete",
      recommendation: "reject",
      approved_minor: null,
      payable_minor: null,
      reason_codes: ["waiting_period"],
    });
  });
});

describe("internal notes", () => {
  it("are added by staff who assess, shown on the workbench, and refused empty", async () => {
    const claim = await motorClaim();
    const empty = await post(as.assessor, claim.id, { intent: "note", body: "   " }, false);
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Write the note.");
    const res = await post(as.assessor, claim.id, { intent: "note", body: "Garage is on our watch list — check the invoice." }, false);
    expect(res.status).toBe(302);
    const page = await as.manager.get(`/admin/claims/${claim.id}`);
    expect(textOf(page.text)).toContain("Garage is on our watch list — check the invoice.");
    const claimant = await as.customer.get(`/admin/claims/${claim.id}`);
    expect(claimant.status).toBe(403);
    expect(claimant.text).not.toContain("watch list");
  });

  it("never appear on the claimant's claim page or in the claims API", async () => {
    const claim = await motorClaim();
    const secret = "Internal: claimant's garage invoiced twice last year.";
    expect((await post(as.assessor, claim.id, { intent: "note", body: secret }, false)).status).toBe(302);
    expect(textOf((await as.assessor.get(`/admin/claims/${claim.id}`)).text)).toContain(secret);
    const page = await as.customer.get(`/account/claims/${claim.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain(claim.number);
    expect(textOf(page.text)).not.toContain("garage invoiced twice");
    const api = await as.customer.get(`/api/v1/claims/${claim.id}`, { accept: "application/json" });
    expect(api.status).toBe(200);
    expect(api.text).toContain(claim.number);
    expect(api.text).not.toContain("garage invoiced twice");
  });
});

describe("assignment", () => {
  it("lets a claims manager hand a claim to an assessor, with its open task, audited and on the timeline", async () => {
    const claim = await motorClaim();
    const res = await post(as.manager, claim.id, { intent: "assign", assessorId: a.assessor2.id });
    expect(res.status).toBe(302);
    const state = await claimState(a.tenant.id, claim.id);
    expect(state.claim.assessor_user_id).toBe(a.assessor2.id);
    expect(state.task?.assigned_user_id).toBe(a.assessor2.id);
    const [audit] = await auditRows(a.tenant.id, "claim.assigned", claim.id);
    expect(audit?.details).toMatchObject({ from: null, to: a.assessor2.id, automatic: false });
    expect(textOf((await as.manager.get(`/admin/claims/${claim.id}`)).text)).toMatch(
      /Assigned Internal by Chebet Manager To Baraka Assessor/,
    );
  });

  it("refuses an assessor who may not assign, and someone who may not assess", async () => {
    const claim = await motorClaim();
    expect((await post(as.assessor, claim.id, { intent: "assign", assessorId: a.assessor.id })).status).toBe(403);
    const customer = await post(as.manager, claim.id, { intent: "assign", assessorId: a.customer.id });
    expect(customer.status).toBe(400);
    expect(textOf(customer.text)).toContain("Choose someone from the list");
    expect((await claimState(a.tenant.id, claim.id)).claim.assessor_user_id).toBeNull();
  });

  it("reassigns automatically by round-robin: the assessor with the fewest open claims", async () => {
    const claim = await motorClaim();
    await post(as.manager, claim.id, { intent: "assign", assessorId: a.assessor2.id });
    // Baraka holds every other claim of the agency, Achieng none.
    await withTenant(a.tenant.id, (db) =>
      db.updateTable("claims").set({ assessor_user_id: a.assessor2.id }).where("id", "<>", claim.id).execute(),
    );
    const res = await post(as.manager, claim.id, { intent: "auto_assign" });
    expect(res.status).toBe(302);
    const state = await claimState(a.tenant.id, claim.id);
    expect(state.claim.assessor_user_id).toBe(a.assessor.id);
    expect(state.task?.assigned_user_id).toBe(a.assessor.id);
    const audits = await auditRows(a.tenant.id, "claim.assigned", claim.id);
    expect(audits.at(-1)?.details).toMatchObject({ from: a.assessor2.id, to: a.assessor.id, automatic: true });
  });
});

describe("the workflow's say", () => {
  it("keeps the back office off a member's claim while its workflow waits for the member's agent", async () => {
    const k = await claimsAgency({ agentNetwork: true });
    await memberOfAgent(k.tenant, { user: k.customer, policyId: k.policy.policyId, policyNumber: k.policy.policyNumber! });
    const claim = await fileTestClaim(k.tenant.id, { policyId: k.policy.policyId, claimantUserId: k.customer.id });
    expect((await claimState(k.tenant.id, claim.id)).stage).toBe("agent_review");
    const { assessor } = await browsersFor(k.tenant.host, { assessor: k.assessor });
    const page = await assessor.get(`/admin/claims/${claim.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('value="start_review"');
    const res = await assessor.post(`/admin/claims/${claim.id}`, {
      intent: "start_review",
      revision: await revisionOf(k.tenant.id, claim.id),
    });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('This claim is at the "Agent review" stage of its workflow');
    expect((await claimState(k.tenant.id, claim.id)).claim.status).toBe("submitted");
  });
});

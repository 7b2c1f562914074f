/**
 * The claimant's side of issue 12 over real HTTP against the built app and a real PostgreSQL: the
 * claim wizard without JavaScript, documents judged by their bytes, filing that refuses bad input
 * with a field error and saves nothing, eligibility flags, the tracking page's withdraw, appeal and
 * answers to requests, and the claims API. Another customer's or agency's claim is a 404.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { issueTokens } from "~/modules/auth/api-tokens.server";
import { fileStore } from "~/modules/files/storage.server";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import {
  claimCount,
  claimRow,
  daysAgo,
  expectRedirect,
  files,
  postMultipart,
  setClaimRules,
  setGraceCover,
  submitDraft,
  wizardUpTo,
  workflowStage,
} from "./claims-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

let agency: StoreTenant;
let otherAgency: StoreTenant;
let alice: { id: string; email: string };
let bob: { id: string; email: string };
let carol: { id: string; email: string };
let aliceBrowser: Browser;
let bobBrowser: Browser;
let carolBrowser: Browser;
let motor: PolicyFixture;
let medical: PolicyFixture;
let bobMotor: PolicyFixture;
let carolMotor: PolicyFixture;

beforeAll(async () => {
  [agency, otherAgency] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  [alice, bob, carol] = await Promise.all([
    createUser(agency.id, { name: "Alice Wanjiru" }),
    createUser(agency.id, { name: "Bob Otieno" }),
    createUser(otherAgency.id, { name: "Carol Njeri" }),
  ]);
  await setClaimRules(agency.id, "motor-comprehensive", { excessMinor: 1_500_000 });
  await withTenant(agency.id, (db) =>
    db.updateTable("products").set({ max_cover_minor: 3_000_000_000 }).where("slug", "=", "motor-comprehensive").execute(),
  );
  await setClaimRules(agency.id, "family-medical", { annualLimitMinor: 100_000_000, waitingDays: { inpatient: 30, accident: 0 } });
  motor = await insertPolicy(agency.id, alice.id, { startDate: daysAgo(100) });
  medical = await insertPolicy(agency.id, alice.id, { productSlug: "family-medical", startDate: daysAgo(10) });
  bobMotor = await insertPolicy(agency.id, bob.id, { startDate: daysAgo(100) });
  carolMotor = await insertPolicy(otherAgency.id, carol.id, { startDate: daysAgo(100) });
  [aliceBrowser, bobBrowser, carolBrowser] = await Promise.all([
    signIn(agency.host, alice.email),
    signIn(agency.host, bob.email),
    signIn(otherAgency.host, carol.email),
  ]);
});

const apiPost = (browser: Browser, body: unknown) =>
  browser.send("POST", "/api/v1/claims", JSON.stringify(body), { "content-type": "application/json", origin: browser.origin });
const claimBody = (policyId: string, overrides: Record<string, unknown> = {}) => ({
  policyId,
  claimType: "accident",
  incidentDate: daysAgo(3),
  incidentPlace: "Mombasa Road, Nairobi",
  description: "Rear-ended by a lorry in traffic near the airport turn-off.",
  claimedMinor: 8_500_000,
  currency: "KES",
  ...overrides,
});
const flagsOf = (res: { text: string }) => (JSON.parse(res.text).claim.eligibilityFlags as { code: string }[]).map((f) => f.code);

describe("the claim wizard, without JavaScript", () => {
  it("files a motor claim with a police report and photos, in one piece", async () => {
    const list = await aliceBrowser.get("/account/claims");
    expect(list.status).toBe(200);
    expect(textOf(list.text)).toContain("No claims yet");

    const choose = await aliceBrowser.get(`/account/claims/new?policy=${motor.policyId}`);
    expect(choose.status).toBe(200);
    expect(choose.text).toContain(motor.policyNumber!);
    expect(choose.text).not.toContain(bobMotor.policyNumber!);

    const draftId = expectRedirect(
      await aliceBrowser.post("/account/claims/new", { policyId: motor.policyId }),
      /^\/account\/claims\/new\/([0-9a-f-]{36})\/incident$/,
    )[1]!;
    const incidentPage = await aliceBrowser.get(`/account/claims/new/${draftId}/incident`);
    expect(textOf(incidentPage.text)).toContain("Accident damage");
    expect(textOf(incidentPage.text)).not.toContain("Hospital stay");

    // A date ahead of today is the field's error, and what was typed comes back.
    const future = await aliceBrowser.post(`/account/claims/new/${draftId}/incident`, {
      claimType: "accident",
      incidentDate: "2099-01-01",
      incidentPlace: "Thika Road",
      description: "Hit a pothole and the wheel broke.",
    });
    expect(future.status).toBe(400);
    expect(textOf(future.text)).toContain("The date of the incident cannot be in the future.");
    expect(future.text).toContain("Hit a pothole and the wheel broke.");

    const before = await aliceBrowser.post(`/account/claims/new/${draftId}/incident`, {
      claimType: "accident",
      incidentDate: daysAgo(200),
      incidentPlace: "Thika Road",
      description: "Hit a pothole and the wheel broke.",
    });
    expect(before.status).toBe(400);
    expect(textOf(before.text)).toMatch(/cover starts on .*: an incident before then is not covered/);

    const wrongType = await aliceBrowser.post(`/account/claims/new/${draftId}/incident`, {
      claimType: "inpatient",
      incidentDate: daysAgo(2),
      incidentPlace: "Thika Road",
      description: "Hit a pothole and the wheel broke.",
    });
    expect(textOf(wrongType.text)).toContain("Choose what happened from the list.");

    expectRedirect(
      await aliceBrowser.post(`/account/claims/new/${draftId}/incident`, {
        claimType: "accident",
        incidentDate: daysAgo(2),
        incidentPlace: "Waiyaki Way, Westlands",
        description: "A matatu hit the back of my car at the lights.",
      }),
      /\/amount$/,
    );

    for (const [amount, currency, message] of [
      ["-5,000", "KES", "Enter an amount more than zero."],
      ["0", "KES", "Enter an amount more than zero."],
      ["twelve", "KES", "Enter an amount such as 12,500"],
      ["5,000", "USD", "Claims on this policy are in KES"],
      ["99,000,000", "KES", "more than this policy's limit"],
    ] as const) {
      const res = await aliceBrowser.post(`/account/claims/new/${draftId}/amount`, { amount, currency, facilityId: "none" });
      expect(res.status, `${amount} ${currency}`).toBe(400);
      expect(textOf(res.text)).toContain(message);
    }
    expectRedirect(
      await aliceBrowser.post(`/account/claims/new/${draftId}/amount`, { amount: "85,000", currency: "KES", facilityId: "none" }),
      /\/documents$/,
    );

    // An .exe named like a PDF is refused by its bytes; the good files sent with it are kept.
    const refused = await postMultipart(aliceBrowser, `/account/claims/new/${draftId}/documents`, {}, [
      { field: "doc_police_abstract", filename: "abstract.pdf", body: files.exe() },
      { field: "doc_damage_photos", filename: "rear.jpg", body: files.jpeg(), contentType: "image/jpeg" },
    ]);
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain("abstract.pdf: Upload a PDF, or a photo in JPEG, PNG or HEIC.");
    const uploaded = await postMultipart(aliceBrowser, `/account/claims/new/${draftId}/documents`, {}, [
      { field: "doc_police_abstract", filename: "OB-123-2026.pdf", body: files.pdf() },
      { field: "doc_damage_photos", filename: "side.heic", body: files.heic(), contentType: "image/heic" },
    ]);
    expectRedirect(uploaded, /\/documents$/);
    const draftDocs = await ownerDb().selectFrom("claim_draft_documents").selectAll().where("draft_id", "=", draftId).execute();
    expect(draftDocs.map((d) => [d.kind, d.content_type]).sort()).toEqual([
      ["damage_photos", "image/heic"],
      ["damage_photos", "image/jpeg"],
      ["police_abstract", "application/pdf"],
    ]);

    const review = await aliceBrowser.get(`/account/claims/new/${draftId}/review`);
    expect(review.status).toBe(200);
    expect(textOf(review.text)).toContain("Documents missing: driving licence, repair estimate or quotation.");
    expect(textOf(review.text)).toContain("KES");

    const claimId = await submitDraft(aliceBrowser, draftId);
    const claim = await claimRow(claimId);
    expect(claim).toMatchObject({
      status: "submitted",
      claim_type: "accident",
      claimed_minor: 8_500_000,
      currency: "KES",
      claimant_user_id: alice.id,
      filed_by_user_id: alice.id,
      member_id: null,
      facility_id: null,
    });
    expect(claim.claim_number).toMatch(/^TST-CLM-\d{4}-\d{6}$/);
    expect(claim.eligibility_flags.map((f) => f.code)).toEqual(["documents_missing"]);
    const docs = await ownerDb().selectFrom("claim_documents").selectAll().where("claim_id", "=", claimId).execute();
    expect(docs).toHaveLength(3);
    for (const doc of docs) {
      expect(doc.file_key).toMatch(new RegExp(`^${agency.id}/claim-documents/`));
      expect(await fileStore().get(doc.file_key)).toBeTruthy();
    }
    // The draft and its files are gone; the claim's timeline and workflow have begun.
    expect(await ownerDb().selectFrom("claim_drafts").select("id").where("id", "=", draftId).executeTakeFirst()).toBeUndefined();
    for (const d of draftDocs) expect(await fileStore().get(d.file_key)).toBeNull();
    const timeline = await ownerDb().selectFrom("state_changes").selectAll().where("entity_id", "=", claimId).execute();
    expect(timeline.map((t) => [t.event, t.from_state, t.to_state])).toEqual([["create", null, "submitted"]]);
    expect(await workflowStage(claimId)).toEqual({ current_stage: "assessment", status: "active" });

    // Submitting the same draft again files nothing more.
    const again = await aliceBrowser.post(`/account/claims/new/${draftId}/review`, {});
    expect(again.status).toBe(404);

    const page = await aliceBrowser.get(`/account/claims/${claimId}?done=filed`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain(claim.claim_number);
    expect(text).toContain("Your claim has been filed.");
    expect(text).toContain("Our assessor to review the claim.");
    expect(text).toContain("Documents missing: driving licence");
    expect(page.text).toMatch(/href="\/files\/[A-Za-z0-9_.-]+"/);
    const listed = await aliceBrowser.get("/account/claims");
    expect(textOf(listed.text)).toContain(claim.claim_number);
  });

  it("files one claim when Submit is pressed twice at once", async () => {
    const draftId = await wizardUpTo(aliceBrowser, motor.policyId, "documents");
    const before = await claimCount(agency.id);
    const answers = await Promise.all([1, 2].map(() => aliceBrowser.post(`/account/claims/new/${draftId}/review`, {})));
    expect(answers.filter((a) => a.status === 302)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 302).map((a) => a.status)[0]).toBeOneOf([400, 404]);
    expect(await claimCount(agency.id)).toBe(before + 1);
  });

  it("keeps another person's draft and another agency's policy out", async () => {
    const draftId = await wizardUpTo(aliceBrowser, motor.policyId, "incident");
    expect((await bobBrowser.get(`/account/claims/new/${draftId}/incident`)).status).toBe(404);
    const notHers = await aliceBrowser.post("/account/claims/new", { policyId: bobMotor.policyId });
    expect(notHers.status).toBe(400);
    expect(textOf(notHers.text)).toContain("Choose one of the policies listed.");
    const otherTenant = await aliceBrowser.post("/account/claims/new", { policyId: carolMotor.policyId });
    expect(otherTenant.status).toBe(400);
  });
});

describe("documents", () => {
  it("refuses a file over the size limit and too many files at once, and stores nothing", async () => {
    const draftId = await wizardUpTo(aliceBrowser, motor.policyId, "documents");
    const big = Buffer.concat([files.pdf(), Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await postMultipart(aliceBrowser, `/account/claims/new/${draftId}/documents`, {}, [
      { field: "doc_repair_estimate", filename: "estimate.pdf", body: big },
    ]);
    expect(tooBig.status).toBe(400);
    expect(textOf(tooBig.text)).toContain("The file is larger than 10 MB.");
    const many = await postMultipart(
      aliceBrowser,
      `/account/claims/new/${draftId}/documents`,
      {},
      Array.from({ length: 11 }, (_, i) => ({
        field: "doc_damage_photos",
        filename: `p${i}.png`,
        body: files.png(),
        contentType: "image/png",
      })),
    );
    expect(many.status).toBe(400);
    expect(textOf(many.text)).toContain("Upload at most 10 files at a time.");
    const stored = await ownerDb().selectFrom("claim_draft_documents").select("id").where("draft_id", "=", draftId).execute();
    expect(stored).toEqual([]);
  });
});

describe("filing through the API: bad input is a field error and saves nothing", () => {
  it.each([
    ["a negative amount", { claimedMinor: -100 }, "claimedMinor", "Enter an amount more than zero."],
    ["an amount of fractions", { claimedMinor: 12.5 }, "claimedMinor", "whole number of minor units"],
    ["the wrong currency", { currency: "USD" }, "currency", "Claims on this policy are in KES"],
    ["a date in the future", { incidentDate: "2099-12-31" }, "incidentDate", "cannot be in the future"],
    ["a date before the cover", { incidentDate: "2020-01-01" }, "incidentDate", "an incident before then is not covered"],
    ["a claim type of another kind of cover", { claimType: "cancer" }, "claimType", "Choose what happened from the list."],
    ["an unknown field", { extra: 1 }, "body", "Unrecognized key"],
  ])("%s", async (_label, overrides, field, message) => {
    const before = await claimCount(agency.id);
    const res = await apiPost(aliceBrowser, claimBody(motor.policyId, overrides));
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ status: "error", code: "VALIDATION_ERROR" });
    expect(body.errors[field].join(" ")).toContain(message);
    expect(await claimCount(agency.id)).toBe(before);
  });

  it("answers another customer's and another agency's policy the same way", async () => {
    const before = await claimCount(agency.id);
    for (const policyId of [bobMotor.policyId, carolMotor.policyId]) {
      const res = await apiPost(aliceBrowser, claimBody(policyId));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).errors.policyId).toEqual(["Choose one of the policies listed."]);
    }
    expect(await claimCount(agency.id)).toBe(before);
  });

  it("asks for a session, and refuses bad JSON in the API's shape", async () => {
    const anonymous = new Browser(agency.host);
    const res = await apiPost(anonymous, claimBody(motor.policyId));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({ status: "error", code: "UNAUTHENTICATED" });
    const bad = await aliceBrowser.send("POST", "/api/v1/claims", "{not json", {
      "content-type": "application/json",
      origin: aliceBrowser.origin,
    });
    expect(JSON.parse(bad.text).code).toBe("INVALID_JSON");
  });
});

describe("eligibility, decided when the claim is filed", () => {
  it("flags the waiting period of the claim type, not of another", async () => {
    const inpatient = await apiPost(aliceBrowser, claimBody(medical.policyId, { claimType: "inpatient", incidentDate: daysAgo(2) }));
    expect(inpatient.status).toBe(201);
    expect(flagsOf(inpatient)).toContain("waiting_period");
    const accident = await apiPost(
      aliceBrowser,
      claimBody(medical.policyId, { claimType: "accident", incidentDate: daysAgo(2), claimedMinor: 1_000 }),
    );
    expect(flagsOf(accident)).not.toContain("waiting_period");
  });

  it("deducts approved claims of the policy year from the benefit left", async () => {
    const policy = await insertPolicy(agency.id, alice.id, { productSlug: "family-medical", startDate: daysAgo(200) });
    const first = await apiPost(
      aliceBrowser,
      claimBody(policy.policyId, { claimType: "outpatient", claimedMinor: 70_000_000, incidentDate: daysAgo(20) }),
    );
    const firstId = JSON.parse(first.text).claim.id as string;
    await withTenant(agency.id, (db) =>
      db
        .updateTable("claims")
        .set({ status: "approved", approved_minor: 70_000_000, payable_minor: 70_000_000 })
        .where("id", "=", firstId)
        .execute(),
    );
    const second = await apiPost(aliceBrowser, claimBody(policy.policyId, { claimType: "outpatient", claimedMinor: 40_000_000 }));
    expect(second.status).toBe(201);
    const claim = JSON.parse(second.text).claim;
    expect(claim.eligibilityFlags.find((f: { code: string }) => f.code === "over_benefit_left").message).toContain(
      "left of this policy year's benefit",
    );
    expect(claim.benefitLeft).toMatchObject({ limitMinor: 100_000_000, leftMinor: 30_000_000 });
  });

  it("flags a lapsed or cancelled policy, and an unpaid grace period past the agency's rule", async () => {
    const lapsed = await insertPolicy(agency.id, alice.id, { startDate: daysAgo(150), status: "lapsed" });
    await withTenant(agency.id, (db) =>
      db
        .updateTable("policies")
        .set({ grace_started_on: daysAgo(40), lapsed_on: daysAgo(10) })
        .where("id", "=", lapsed.policyId)
        .execute(),
    );
    expect(flagsOf(await apiPost(aliceBrowser, claimBody(lapsed.policyId, { incidentDate: daysAgo(5) })))).toContain("lapsed");

    const grace = await insertPolicy(agency.id, alice.id, { startDate: daysAgo(150), status: "grace" });
    await withTenant(agency.id, (db) =>
      db
        .updateTable("policies")
        .set({ grace_started_on: daysAgo(10) })
        .where("id", "=", grace.policyId)
        .execute(),
    );
    await setGraceCover(agency.id, 7);
    expect(flagsOf(await apiPost(aliceBrowser, claimBody(grace.policyId, { incidentDate: daysAgo(5) })))).not.toContain("unpaid_grace");
    expect(flagsOf(await apiPost(aliceBrowser, claimBody(grace.policyId, { incidentDate: daysAgo(1) })))).toContain("unpaid_grace");
    await setGraceCover(agency.id, 0);

    const cancelled = await insertPolicy(agency.id, alice.id, { startDate: daysAgo(150), status: "cancelled" });
    const res = await apiPost(aliceBrowser, claimBody(cancelled.policyId));
    expect(res.status).toBe(201);
    expect(flagsOf(res)).toContain("cancelled");
  });
});

describe("following a claim", () => {
  async function newClaim(): Promise<string> {
    const res = await apiPost(aliceBrowser, claimBody(motor.policyId));
    expect(res.status).toBe(201);
    return JSON.parse(res.text).claim.id as string;
  }

  it("withdraws a claim with a reason, once confirmed", async () => {
    const claimId = await newClaim();
    const unconfirmed = await aliceBrowser.post(`/account/claims/${claimId}`, {
      intent: "withdraw",
      reason: "Settled with the other driver",
      revision: "0",
    });
    expect(unconfirmed.status).toBe(400);
    expect(textOf(unconfirmed.text)).toContain("Tick the box to confirm");
    expect((await claimRow(claimId)).status).toBe("submitted");
    const done = await aliceBrowser.post(`/account/claims/${claimId}`, {
      intent: "withdraw",
      reason: "Settled with the other driver",
      confirm: "yes",
      revision: "0",
    });
    expectRedirect(done, /\?done=withdrawn$/);
    expect(await claimRow(claimId)).toMatchObject({ status: "withdrawn", withdrawal_reason: "Settled with the other driver" });
    expect(await workflowStage(claimId)).toEqual({ current_stage: "withdrawn", status: "completed" });
    const again = await aliceBrowser.post(`/account/claims/${claimId}`, {
      intent: "withdraw",
      reason: "x again",
      confirm: "yes",
      revision: "1",
    });
    expect(again.status).toBe(409);
  });

  it("appeals a rejection inside the agency's window, and not after it", async () => {
    const [inside, late] = [await newClaim(), await newClaim()];
    await withTenant(agency.id, async (db) => {
      await db
        .updateTable("claims")
        .set({ status: "rejected", decided_at: new Date(), decision_note: "Not covered" })
        .where("id", "=", inside)
        .execute();
      await db
        .updateTable("claims")
        .set({ status: "rejected", decided_at: new Date(Date.now() - 40 * 86_400_000) })
        .where("id", "=", late)
        .execute();
    });
    const page = await aliceBrowser.get(`/account/claims/${inside}`);
    expect(textOf(page.text)).toContain("Appeal the decision");
    expectRedirect(
      await aliceBrowser.post(`/account/claims/${inside}`, {
        intent: "appeal",
        reason: "The garage report shows it was covered",
        revision: "0",
      }),
      /done=appealed/,
    );
    expect(await claimRow(inside)).toMatchObject({ status: "appealed", appeal_reason: "The garage report shows it was covered" });

    expect(textOf((await aliceBrowser.get(`/account/claims/${late}`)).text)).toContain("The time to appeal this decision ended on");
    const refused = await aliceBrowser.post(`/account/claims/${late}`, { intent: "appeal", reason: "Please look again", revision: "0" });
    expect(refused.status).toBe(422);
    expect((await claimRow(late)).status).toBe("rejected");
  });

  it("answers an assessor's request with documents, which sends the claim back to assessment", async () => {
    const claimId = await newClaim();
    const assessor = await createUser(agency.id, { roles: ["assessor"] });
    const requestId = await withTenant(agency.id, async (db) => {
      await db.updateTable("claims").set({ status: "documents_requested" }).where("id", "=", claimId).execute();
      const row = await db
        .insertInto("claim_requests")
        .values({
          claim_id: claimId,
          message: "Please send the repair estimate from the garage.",
          documents: JSON.stringify([{ code: "repair_estimate", label: "Repair estimate or quotation" }]),
          requested_by: assessor.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    });
    const page = await aliceBrowser.get(`/account/claims/${claimId}`);
    expect(textOf(page.text)).toContain("Please send the repair estimate from the garage.");
    expect(textOf(page.text)).toContain("The documents we asked for");
    const wrong = await postMultipart(aliceBrowser, `/account/claims/${claimId}`, { intent: "answer", requestId }, [
      { field: "doc_repair_estimate", filename: "estimate.pdf", body: files.exe() },
    ]);
    expect(wrong.status).toBe(400);
    expect((await claimRow(claimId)).status).toBe("documents_requested");
    const answered = await postMultipart(
      aliceBrowser,
      `/account/claims/${claimId}`,
      { intent: "answer", requestId, answer: "From Westlands Motors" },
      [{ field: "doc_repair_estimate", filename: "estimate.pdf", body: files.pdf("estimate") }],
    );
    expectRedirect(answered, /done=answered/);
    expect((await claimRow(claimId)).status).toBe("under_review");
    const request = await ownerDb().selectFrom("claim_requests").selectAll().where("id", "=", requestId).executeTakeFirstOrThrow();
    expect(request.answered_at).not.toBeNull();
    const doc = await ownerDb().selectFrom("claim_documents").selectAll().where("request_id", "=", requestId).executeTakeFirstOrThrow();
    expect(doc.kind).toBe("repair_estimate");
  });

  it("is a 404 for another customer and another agency, documents included", async () => {
    const claimId = await newClaim();
    const added = await postMultipart(aliceBrowser, `/account/claims/${claimId}`, { intent: "upload", kind: "damage_photos" }, [
      { field: "file", filename: "dent.jpg", body: files.jpeg(), contentType: "image/jpeg" },
    ]);
    expectRedirect(added, /done=uploaded/);
    const page = await aliceBrowser.get(`/account/claims/${claimId}`);
    const link = /href="(\/files\/[A-Za-z0-9_.-]+)"/.exec(page.text)![1]!;
    expect((await aliceBrowser.get(link)).status).toBe(200);
    expect((await bobBrowser.get(`/account/claims/${claimId}`)).status).toBe(404);
    expect((await carolBrowser.get(`/account/claims/${claimId}`)).status).toBe(404);
    expect(
      (await bobBrowser.post(`/account/claims/${claimId}`, { intent: "withdraw", reason: "mine now", confirm: "yes", revision: "0" }))
        .status,
    ).toBe(404);
    expect((await bobBrowser.get(`/api/v1/claims/${claimId}`)).status).toBe(404);
    const upload = await postMultipart(bobBrowser, `/api/v1/claims/${claimId}/documents`, { kind: "other" }, [
      { field: "file", filename: "x.pdf", body: files.pdf() },
    ]);
    expect(upload.status).toBe(404);
    expect(JSON.parse(upload.text).code).toBe("NOT_FOUND");
    expect((await claimRow(claimId)).status).toBe("submitted");
    // The link is signed for Alice alone: in Bob's hands it opens nothing.
    expect((await bobBrowser.get(link)).status).toBe(403);
  });
});

describe("the claims API", () => {
  it("lists with filters and cursor pages, shows the timeline and takes documents", async () => {
    const mine = await bobBrowser.get("/api/v1/claims?limit=1");
    expect(JSON.parse(mine.text)).toEqual({ results: [], nextCursor: null, next: null });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(JSON.parse((await apiPost(bobBrowser, claimBody(bobMotor.policyId))).text).claim.id);
    const first = JSON.parse((await bobBrowser.get("/api/v1/claims?limit=2")).text);
    expect(first.results.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    const next = new URL(first.next);
    const second = JSON.parse((await bobBrowser.get(`${next.pathname}${next.search}`)).text);
    expect(second.results.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect(second.next).toBeNull();
    const bad = await bobBrowser.get("/api/v1/claims?status=lost&limit=500");
    expect(bad.status).toBe(400);
    expect(Object.keys(JSON.parse(bad.text).errors).sort()).toEqual(["limit", "status"]);
    const filtered = JSON.parse((await bobBrowser.get("/api/v1/claims?status=withdrawn")).text);
    expect(filtered.results).toEqual([]);

    const upload = await postMultipart(bobBrowser, `/api/v1/claims/${ids[0]}/documents`, { kind: "damage_photos" }, [
      { field: "file", filename: "front.png", body: files.png(), contentType: "image/png" },
    ]);
    expect(upload.status).toBe(201);
    const exe = await postMultipart(bobBrowser, `/api/v1/claims/${ids[0]}/documents`, { kind: "damage_photos" }, [
      { field: "file", filename: "front.jpg", body: files.exe(), contentType: "image/jpeg" },
    ]);
    expect(exe.status).toBe(400);
    expect(JSON.parse(exe.text).errors.file[0]).toContain("Upload a PDF, or a photo");

    const detail = JSON.parse((await bobBrowser.get(`/api/v1/claims/${ids[0]}`)).text).claim;
    expect(detail.timeline.map((t: { title: string }) => t.title)).toEqual(["Claim submitted", "Document added"]);
    expect(detail.documents).toHaveLength(1);
    expect(detail.documents[0]).toMatchObject({ kind: "damage_photos", contentType: "image/png", status: "pending" });
    const file = await bobBrowser.get(detail.documents[0].downloadUrl);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("image/png");
  });

  it("takes a bearer token, and files a retried POST once when it carries the same Idempotency-Key", async () => {
    const { tokens } = await withTenant(agency.id, (db) => issueTokens(db, agency.id, bob.id, { name: "app" }));
    const headers = { authorization: `Bearer ${tokens.accessToken}`, "content-type": "application/json", "idempotency-key": "claim-once" };
    const before = await claimCount(agency.id);
    const payload = JSON.stringify(claimBody(bobMotor.policyId));
    const first = await bobBrowser.send("POST", "/api/v1/claims", payload, headers);
    expect(first.status, first.text).toBe(201);
    const again = await bobBrowser.send("POST", "/api/v1/claims", payload, headers);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(JSON.parse(again.text).claim.id).toBe(JSON.parse(first.text).claim.id);
    expect(await claimCount(agency.id)).toBe(before + 1);
    const listed = await new Browser(agency.host).get("/api/v1/claims?limit=1", { authorization: headers.authorization });
    expect(JSON.parse(listed.text).results[0].id).toBe(JSON.parse(first.text).claim.id);
    const elsewhere = await new Browser(otherAgency.host).get("/api/v1/claims", { authorization: headers.authorization });
    expect(elsewhere.status).toBe(401);
  });
});

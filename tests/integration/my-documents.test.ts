/**
 * The customer's documents hub (issue 13, item 6) over real HTTP: every kind of document in one
 * list, filters, search, paging, the empty state, downloads through signed links, and "Download
 * all" as one ZIP read back here; never another person's or another agency's documents.
 */
import { randomUUID } from "node:crypto";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { fileKey, fileStore } from "~/modules/files/storage.server";
import { createUser } from "../support/db";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import { getBytes, linksIn } from "./documents-support";
import { fileTestClaim } from "./claims-office-fixtures";
import { fakePdf, insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

let agency: StoreTenant;
let otherAgency: StoreTenant;
let alice: { id: string; email: string };
let bob: { id: string; email: string };
let aliceBrowser: Browser;
let bobBrowser: Browser;
let motor: PolicyFixture;
let travel: PolicyFixture;
let bobPolicy: PolicyFixture;
let carolPolicy: PolicyFixture;
let claimNumber: string;
const versionBody = fakePdf("certificate version 2");
const uploadBody = fakePdf("logbook");
const letterBody = fakePdf("decision letter");
const settlementBody = fakePdf("settlement letter");

beforeAll(async () => {
  [agency, otherAgency] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  let carol;
  [alice, bob, carol] = await Promise.all([
    createUser(agency.id, { name: "Alice Documents" }),
    createUser(agency.id, { name: "Bob Documents" }),
    createUser(otherAgency.id, { name: "Carol Documents" }),
  ]);
  motor = await insertPolicy(agency.id, alice.id, { productSlug: "motor-comprehensive" });
  travel = await insertPolicy(agency.id, alice.id, { productSlug: "travel-cover" });
  bobPolicy = await insertPolicy(agency.id, bob.id, { productSlug: "travel-cover" });
  carolPolicy = await insertPolicy(otherAgency.id, carol.id);

  // A mid-term change's certificate (decision 027), a logbook sent at checkout, a claim with a
  // photo and a decision letter: one of every kind the hub lists.
  const versionKey = fileKey(agency.id, "certificates", `${motor.policyNumber}-v2.pdf`);
  const uploadKey = fileKey(agency.id, "kyc", "Logbook scan.pdf");
  const letterKey = fileKey(agency.id, "decision-letters", "letter.pdf");
  const cancellationKey = fileKey(agency.id, "cancellation-letters", "cancelled.pdf");
  await fileStore().put(cancellationKey, letterBody, { contentType: "application/pdf" });
  await fileStore().put(versionKey, versionBody, { contentType: "application/pdf" });
  await fileStore().put(uploadKey, uploadBody, { contentType: "application/pdf" });
  await fileStore().put(letterKey, letterBody, { contentType: "application/pdf" });
  await withTenant(agency.id, async (db) => {
    await db
      .insertInto("policy_versions")
      .values({
        policy_id: motor.policyId,
        version: 2,
        kind: "endorsement",
        effective_date: "2026-06-01",
        annual_premium_minor: 1_500_000,
        currency: "KES",
        inputs: JSON.stringify({}),
        summary: "Vehicle value changed",
        certificate_file_key: versionKey,
      })
      .execute();
    // The travel cover was cancelled: its letter is in the hub with the other letters.
    await db
      .insertInto("policy_versions")
      .values({
        policy_id: travel.policyId,
        version: 2,
        kind: "cancellation",
        effective_date: "2026-06-01",
        premium_delta_minor: -100_000,
        annual_premium_minor: 0,
        currency: "KES",
        inputs: JSON.stringify({}),
        summary: "Policy cancelled",
        letter_file_key: cancellationKey,
      })
      .execute();
    await db
      .insertInto("uploads")
      .values({
        order_id: motor.orderId,
        requirement: "logbook",
        file_key: uploadKey,
        filename: "Logbook scan.pdf",
        content_type: "application/pdf",
        size_bytes: uploadBody.length,
      })
      .execute();
  });
  const claim = await fileTestClaim(agency.id, {
    policyId: motor.policyId,
    claimantUserId: alice.id,
    documents: [{ kind: "photos", filename: "Bumper photo.png", contentType: "image/png" }],
  });
  claimNumber = claim.number;
  const settlementKey = fileKey(agency.id, "settlement-letters", "settlement.pdf");
  await fileStore().put(settlementKey, settlementBody, { contentType: "application/pdf" });
  await withTenant(agency.id, async (db) => {
    await db.updateTable("claims").set({ decision_letter_file_key: letterKey }).where("id", "=", claim.id).execute();
    await db
      .insertInto("claim_settlements")
      .values({
        claim_id: claim.id,
        reference: `STL-${claim.number}`,
        method: "manual",
        amount_minor: 5_000_000,
        currency: "KES",
        status: "paid",
        payee_name: "Alice Documents",
        paid_at: new Date(),
        letter_file_key: settlementKey,
      })
      .execute();
  });

  [aliceBrowser, bobBrowser] = await Promise.all([signIn(agency.host, alice.email), signIn(agency.host, bob.email)]);
});

describe("the documents hub", () => {
  it("lists every certificate, receipt, letter and upload of the person, and nobody else's", async () => {
    const res = await aliceBrowser.get("/account/documents");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(`Certificate-${motor.policyNumber}.pdf`);
    expect(text).toContain(`Certificate-${motor.policyNumber}-v2.pdf`);
    expect(text).toContain(`Certificate-${travel.policyNumber}.pdf`);
    expect(text).toContain(`Receipt ${motor.receiptNumber}`);
    expect(text).toContain(`Receipt ${travel.receiptNumber}`);
    expect(text).toContain("Logbook scan.pdf");
    expect(text).toContain("Bumper photo.png");
    expect(text).toContain(`Decision letter, claim ${claimNumber}`);
    expect(text).toContain(`Settlement letter, claim ${claimNumber}`);
    expect(text).toContain(`Cancellation-letter-${travel.policyNumber}.pdf`);
    expect(text).not.toContain(bobPolicy.policyNumber!);
    expect(text).not.toContain(bobPolicy.receiptNumber);
    expect(text).not.toContain(carolPolicy.policyNumber!);
    // Ten documents, each with its own link signed for this person.
    expect(linksIn(res.text)).toHaveLength(10);
    expect(res.text).toContain('href="/account/documents"');
  });

  it("filters by kind and by policy, and searches by policy number and file name", async () => {
    const receipts = textOf((await aliceBrowser.get("/account/documents?kind=receipt")).text);
    expect(receipts).toContain(motor.receiptNumber);
    expect(receipts).toContain(travel.receiptNumber);
    expect(receipts).not.toContain("Logbook scan.pdf");
    expect(receipts).not.toContain(`Certificate-${motor.policyNumber}.pdf`);

    const travelOnly = await aliceBrowser.get(`/account/documents?policy=${travel.policyId}`);
    // Its certificate, its receipt and its cancellation letter.
    expect(linksIn(travelOnly.text)).toHaveLength(3);
    expect(textOf(travelOnly.text)).not.toContain(motor.receiptNumber);

    const byNumber = await aliceBrowser.get(`/account/documents?q=${encodeURIComponent(motor.policyNumber!)}`);
    // The motor policy's certificate, its version, its receipt, the upload, the claim photo and letters.
    expect(linksIn(byNumber.text)).toHaveLength(7);
    expect(textOf(byNumber.text)).not.toContain(travel.receiptNumber);

    const byName = await aliceBrowser.get("/account/documents?q=logbook");
    expect(linksIn(byName.text)).toHaveLength(1);
    // LIKE's wildcards are searched for literally.
    expect(linksIn((await aliceBrowser.get("/account/documents?q=%25")).text)).toHaveLength(0);
    expect(textOf((await aliceBrowser.get("/account/documents?q=nothing-like-this")).text)).toContain("No documents match this search.");
  });

  it("says which filter it ignored, and still lists the rest", async () => {
    const res = await aliceBrowser.get(`/account/documents?kind=passport&policy=not-a-policy`);
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Part of this search was ignored");
    expect(linksIn(res.text)).toHaveLength(10);
    // Another person's policy as a filter finds nothing of theirs.
    expect(linksIn((await aliceBrowser.get(`/account/documents?policy=${bobPolicy.policyId}`)).text)).toHaveLength(0);
  });

  it("shows an empty state, and pages a long list", async () => {
    const newcomer = await createUser(agency.id, { name: "New Person" });
    const browser = await signIn(agency.host, newcomer.email);
    expect(textOf((await browser.get("/account/documents")).text)).toContain("You have no documents yet");

    // Thirty receipts: a page of 25 and a second of 5.
    const dora = await createUser(agency.id, { name: "Dora Many" });
    const policy = await insertPolicy(agency.id, dora.id, { withCertificateFile: false });
    await withTenant(agency.id, async (db) => {
      for (let i = 0; i < 29; i += 1) {
        const t = await db
          .insertInto("transactions")
          .values({
            order_id: policy.orderId,
            user_id: dora.id,
            provider: "sandbox",
            method: "mpesa",
            mode: "test",
            status: "completed",
            amount_minor: 100,
            currency: "KES",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await db
          .insertInto("receipts")
          .values({
            receipt_number: `PG-${i}-${randomUUID().slice(0, 8)}`,
            transaction_id: t.id,
            file_key: fileKey(agency.id, "receipts", `pg-${i}.pdf`),
          })
          .execute();
      }
    });
    const doraBrowser = await signIn(agency.host, dora.email);
    const first = await doraBrowser.get("/account/documents");
    expect(linksIn(first.text)).toHaveLength(25);
    expect(first.text).toContain('rel="next"');
    const second = await doraBrowser.get("/account/documents?page=2");
    expect(linksIn(second.text)).toHaveLength(5);
    expect(second.text).not.toContain('rel="next"');
    const firstLinks = new Set(linksIn(first.text).map((l) => l.split(".")[0]));
    expect(linksIn(second.text).some((l) => firstLinks.has(l.split(".")[0]))).toBe(false);
  });

  it("downloads a document through its signed link, for its owner only", async () => {
    const res = await aliceBrowser.get("/account/documents?q=logbook");
    const [link] = linksIn(res.text);
    const download = await getBytes(aliceBrowser, link!);
    expect(download.status).toBe(200);
    expect(download.body.equals(uploadBody)).toBe(true);
    expect((await getBytes(bobBrowser, link!)).status).toBe(403);
  });

  it("downloads everything as one ZIP, with the filters applied, and asks the signed-out to sign in", async () => {
    const all = await getBytes(aliceBrowser, "/account/documents.zip");
    expect(all.status).toBe(200);
    expect(all.type).toBe("application/zip");
    const files = unzipSync(new Uint8Array(all.body));
    expect(Object.keys(files).sort()).toEqual(
      [
        `Certificates/Certificate-${motor.policyNumber}.pdf`,
        `Certificates/Certificate-${motor.policyNumber}-v2.pdf`,
        `Certificates/Certificate-${travel.policyNumber}.pdf`,
        `Receipts/Receipt-${motor.receiptNumber}.pdf`,
        `Receipts/Receipt-${travel.receiptNumber}.pdf`,
        "Uploads/Logbook scan.pdf",
        "Uploads/Bumper photo.png",
        `Letters/Decision-letter-${claimNumber}.pdf`,
        `Letters/Settlement-letter-${claimNumber}.pdf`,
        `Letters/Cancellation-letter-${travel.policyNumber}.pdf`,
      ].sort(),
    );
    expect(Buffer.from(files[`Certificates/Certificate-${motor.policyNumber}.pdf`]!).equals(motor.certificateBody!)).toBe(true);
    expect(Buffer.from(files[`Certificates/Certificate-${motor.policyNumber}-v2.pdf`]!).equals(versionBody)).toBe(true);
    expect(Buffer.from(files[`Letters/Decision-letter-${claimNumber}.pdf`]!).equals(letterBody)).toBe(true);
    expect(Buffer.from(files[`Letters/Settlement-letter-${claimNumber}.pdf`]!).equals(settlementBody)).toBe(true);

    const receipts = unzipSync(new Uint8Array((await getBytes(aliceBrowser, "/account/documents.zip?kind=receipt")).body));
    expect(Object.keys(receipts).every((name) => name.startsWith("Receipts/"))).toBe(true);
    expect(Object.keys(receipts)).toHaveLength(2);

    const bobs = unzipSync(new Uint8Array((await getBytes(bobBrowser, "/account/documents.zip")).body));
    expect(Object.keys(bobs).sort()).toEqual(
      [`Certificates/Certificate-${bobPolicy.policyNumber}.pdf`, `Receipts/Receipt-${bobPolicy.receiptNumber}.pdf`].sort(),
    );

    const signedOut = await new Browser(agency.host).get("/account/documents.zip");
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("is in the account's navigation", async () => {
    const res = await aliceBrowser.get("/account");
    expect(res.text).toContain('href="/account/documents"');
    expect(res.text).toContain('href="/account/privacy"');
  });
});

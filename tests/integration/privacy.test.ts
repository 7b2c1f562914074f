/**
 * The customer's data-protection rights (issue 13, decision 034) over real HTTP and the real
 * worker: "download my data" builds a ZIP by a job whose JSON holds their data and nobody else's,
 * linked by email for them alone, kept until it expires; "close my account" is refused while
 * cover or a claim is open, and otherwise anonymises the person, keeps the financial records,
 * deletes their uploads and ends every way back in. Staff see both in the audit log.
 */
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { expireDataExportsTenantTask } from "~/jobs/privacy";
import { hashPassword } from "~/modules/auth/password.server";
import { fileKey, fileStore } from "~/modules/files/storage.server";
import { encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { createUser, eventually, latestMessage, ownerDb, TEST_PASSWORD } from "../support/db";
import { Browser } from "../support/http";
import { expectJobFailures } from "../support/job-failures";
import { auditRows, isSignedIn, registrationForm, signIn, textOf } from "./accounts-support";
import { fileTestClaim } from "./claims-office-fixtures";
import { fakePdf, insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { getBytes } from "./documents-support";
import { agentWithLogin, memberForm, memberRow, memberTenant, registeredMember, registerThroughPage } from "./members-support";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

let agency: StoreTenant;
let otherAgency: StoreTenant;
let alice: { id: string; email: string };
let bob: { id: string; email: string };
let carol: { id: string; email: string };
let aliceBrowser: Browser;
let bobBrowser: Browser;
let alicePolicy: PolicyFixture;
let bobPolicy: PolicyFixture;
let carolPolicy: PolicyFixture;

async function exportRow(id: string) {
  return ownerDb().selectFrom("data_exports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function exportsOf(userId: string) {
  return ownerDb().selectFrom("data_exports").selectAll().where("user_id", "=", userId).orderBy("requested_at", "desc").execute();
}

function encrypted(tenantId: string, kind: "national_id" | "kra_pin", value: string) {
  const key = piiKeysFromEnv();
  return { ciphertext: encryptPii(value, { key, context: piiContext(tenantId, kind) }), blind_index: `test-${kind}-${value}` };
}

beforeAll(async () => {
  [agency, otherAgency] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  [alice, bob, carol] = await Promise.all([
    createUser(agency.id, { name: "Alice Privacy" }),
    createUser(agency.id, { name: "Bob Neighbour" }),
    createUser(otherAgency.id, { name: "Carol Elsewhere" }),
  ]);
  alicePolicy = await insertPolicy(agency.id, alice.id, {
    holder: { name: "Alice Privacy", email: alice.email, phone: "0712000111" },
    beneficiaries: [{ name: "Amani Privacy", relationship: "Son", shareBp: 10_000 }],
  });
  bobPolicy = await insertPolicy(agency.id, bob.id, { holder: { name: "Bob Neighbour", email: bob.email } });
  carolPolicy = await insertPolicy(otherAgency.id, carol.id);
  await withTenant(agency.id, async (db) => {
    await db
      .insertInto("personal_identifiers")
      .values({
        order_id: alicePolicy.orderId,
        kind: "national_id",
        masked: "****4321",
        ...encrypted(agency.id, "national_id", "87654321"),
      })
      .execute();
    await db
      .insertInto("personal_identifiers")
      .values({ order_id: bobPolicy.orderId, kind: "national_id", masked: "****9999", ...encrypted(agency.id, "national_id", "11119999") })
      .execute();
    for (const [to, body] of [
      [alice.email, "Your motor cover renews soon, Alice."],
      [bob.email, "Bob, your travel cover is ready."],
    ] as const) {
      await db
        .insertInto("messages")
        .values({
          template: "test_notice",
          recipient: to,
          subject: "A notice",
          body_text: body,
          body_html: null,
          status: "outbox",
          attachments: JSON.stringify([]),
        })
        .execute();
    }
  });
  [aliceBrowser, bobBrowser] = await Promise.all([signIn(agency.host, alice.email), signIn(agency.host, bob.email)]);
});

describe("download my data", () => {
  let exportId: string;

  it("builds a ZIP by a job, shows its progress and emails a link", async () => {
    const before = await aliceBrowser.get("/account/privacy");
    expect(before.status).toBe(200);
    expect(textOf(before.text)).toContain("Prepare my data");

    const res = await aliceBrowser.post("/account/privacy", { intent: "request-export" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/account/privacy?requested=1");
    exportId = (await exportsOf(alice.id))[0]!.id;

    const ready = await eventually(async () => {
      const row = await exportRow(exportId);
      return row.status === "ready" ? row : null;
    });
    expect(ready.file_key).toBe(`${agency.id}/data-exports/${exportId}.zip`);
    expect(ready.expires_at!.getTime() - ready.ready_at!.getTime()).toBe(7 * 86_400_000);
    const page = textOf((await aliceBrowser.get("/account/privacy")).text);
    expect(page).toContain("Ready to download");

    const email = await eventually(() => latestMessage(agency.id, alice.email, "data_export_ready"));
    expect(email.body_text).toContain(`/account/privacy/exports/${exportId}`);
    expect(await auditRows(agency.id, "privacy.export_requested", alice.id)).toHaveLength(1);
    expect(await auditRows(agency.id, "privacy.export_ready", alice.id)).toHaveLength(1);
  });

  it("holds the person's data, their own identifiers in full, their documents, and nobody else's", async () => {
    const link = await aliceBrowser.get(`/account/privacy/exports/${exportId}`);
    expect(link.status).toBe(302);
    expect(link.location).toMatch(/^\/files\//);
    const zip = await getBytes(aliceBrowser, link.location!);
    expect(zip.status).toBe(200);
    const files = unzipSync(new Uint8Array(zip.body));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        "README.txt",
        "my-data.json",
        `documents/Certificates/Certificate-${alicePolicy.policyNumber}.pdf`,
        `documents/Receipts/Receipt-${alicePolicy.receiptNumber}.pdf`,
      ]),
    );
    expect(
      Buffer.from(files[`documents/Certificates/Certificate-${alicePolicy.policyNumber}.pdf`]!).equals(alicePolicy.certificateBody!),
    ).toBe(true);
    const text = Buffer.from(files["my-data.json"]!).toString("utf8");
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ id: alice.id, email: alice.email, name: "Alice Privacy" });
    expect(data.identifiers).toEqual([expect.objectContaining({ kind: "national_id", masked: "****4321", value: "87654321" })]);
    expect(data.policies.map((p: { policy_number: string }) => p.policy_number)).toEqual([alicePolicy.policyNumber]);
    expect(data.policies[0].instalments).toHaveLength(1);
    expect(data.payments).toHaveLength(1);
    expect(data.payments[0].receipts[0].receipt_number).toBe(alicePolicy.receiptNumber);
    expect(data.orders[0].beneficiaries[0].name).toBe("Amani Privacy");
    expect(data.messages.map((m: { body_text: string }) => m.body_text)).toContain("Your motor cover renews soon, Alice.");
    expect(data.activity.some((a: { action: string }) => a.action === "auth.sign_in")).toBe(true);
    expect(data.sessions.length).toBeGreaterThan(0);
    // No secrets of theirs, and nothing of anyone else's.
    expect(text).not.toMatch(/password_hash|id_hash|ciphertext|blind_index|token_hash/);
    for (const foreign of [
      bob.email,
      bob.id,
      "Bob Neighbour",
      "11119999",
      "****9999",
      bobPolicy.policyNumber!,
      bobPolicy.receiptNumber,
      carol.email,
      carolPolicy.policyNumber!,
      "Bob, your travel cover",
    ]) {
      expect(text, foreign).not.toContain(foreign);
    }
  });

  it("opens for its owner only: another person gets a 404, someone signed out is asked to sign in", async () => {
    const other = await bobBrowser.get(`/account/privacy/exports/${exportId}`);
    expect(other.status).toBe(404);
    const signedOut = await new Browser(agency.host).get(`/account/privacy/exports/${exportId}`);
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe(`/login?redirectTo=${encodeURIComponent(`/account/privacy/exports/${exportId}`)}`);
    // The file link the owner was given is bound to them too.
    const link = (await aliceBrowser.get(`/account/privacy/exports/${exportId}`)).location!;
    expect((await getBytes(bobBrowser, link)).status).toBe(403);
    // And another agency's host knows nothing of it.
    const carolBrowser = await signIn(otherAgency.host, carol.email);
    expect((await carolBrowser.get(`/account/privacy/exports/${exportId}`)).status).toBe(404);
  });

  it("allows one export in flight and a few a day", async () => {
    const dan = await createUser(agency.id, { name: "Dan Busy" });
    const danBrowser = await signIn(agency.host, dan.email);
    await withTenant(agency.id, (db) => db.insertInto("data_exports").values({ user_id: dan.id, status: "building" }).execute());
    const inFlight = await danBrowser.post("/account/privacy", { intent: "request-export" });
    expect(inFlight.status).toBe(409);
    expect(textOf(inFlight.text)).toContain("already preparing");
    await withTenant(agency.id, async (db) => {
      await db.updateTable("data_exports").set({ status: "failed" }).where("user_id", "=", dan.id).execute();
      await db
        .insertInto("data_exports")
        .values([
          { user_id: dan.id, status: "failed" },
          { user_id: dan.id, status: "failed" },
        ])
        .execute();
    });
    const tooMany = await danBrowser.post("/account/privacy", { intent: "request-export" });
    expect(tooMany.status).toBe(429);
    expect(textOf(tooMany.text)).toContain("3 times a day");
    expect(await exportsOf(dan.id)).toHaveLength(3);
  });

  it("a build that fails on every attempt is marked failed, the person is told, and may ask again", async () => {
    const gus = await createUser(agency.id, { name: "Gus Unlucky" });
    const policy = await insertPolicy(agency.id, gus.id);
    // A stored-file key the file store refuses to read: every attempt of the build fails.
    const badKey = `${agency.id}/kyc/not a valid key.pdf`;
    await withTenant(agency.id, (db) =>
      db
        .insertInto("uploads")
        .values({
          order_id: policy.orderId,
          requirement: "id",
          file_key: badKey,
          filename: "ID.pdf",
          content_type: "application/pdf",
          size_bytes: 1,
        })
        .execute(),
    );
    expectJobFailures({ task: "build_data_export", tenantId: agency.id, error: /^FileStoreError: Refused file key/ });
    const browser = await signIn(agency.host, gus.email);
    expect((await browser.post("/account/privacy", { intent: "request-export" })).status).toBe(302);
    const [first] = await exportsOf(gus.id);
    // Three attempts, with graphile-worker's back-off between them.
    const failed = await eventually(async () => ((await exportRow(first!.id)).status === "failed" ? exportRow(first!.id) : null), 60_000);
    expect(failed.file_key).toBeNull();
    expect(await eventually(() => latestMessage(agency.id, gus.email, "data_export_failed"))).toBeDefined();
    expect(textOf((await browser.get("/account/privacy")).text)).toContain("Please ask for a new one.");
    expect(await auditRows(agency.id, "privacy.export_failed", gus.id)).toHaveLength(1);

    await withTenant(agency.id, (db) => db.deleteFrom("uploads").where("file_key", "=", badKey).execute());
    expect((await browser.post("/account/privacy", { intent: "request-export" })).status).toBe(302);
    await eventually(async () => (await exportsOf(gus.id)).find((e) => e.status === "ready"));
  }, 90_000);

  it("expires: the daily job deletes the file and the link stops working", async () => {
    await withTenant(agency.id, (db) =>
      db
        .updateTable("data_exports")
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where("id", "=", exportId)
        .execute(),
    );
    const key = (await exportRow(exportId)).file_key!;
    expect(await fileStore().get(key)).not.toBeNull();
    await expireDataExportsTenantTask({ tenantId: agency.id }, { logger: { info() {} } } as never);
    const row = await exportRow(exportId);
    expect(row.status).toBe("expired");
    expect(row.file_key).toBeNull();
    expect(await fileStore().get(key)).toBeNull();
    expect((await aliceBrowser.get(`/account/privacy/exports/${exportId}`)).status).toBe(404);
  });
});

describe("close my account", () => {
  it("is refused with a clear reason while cover is in force, and changes nothing", async () => {
    const res = await aliceBrowser.post("/account/privacy", {
      intent: "close-account",
      password: TEST_PASSWORD,
      confirmation: "close my account",
    });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain(`(${alicePolicy.policyNumber}). Cancel it first, then close your account.`);
    const row = await ownerDb()
      .selectFrom("users")
      .select(["name", "email", "closed_at"])
      .where("id", "=", alice.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: "Alice Privacy", email: alice.email, closed_at: null });
    expect(await isSignedIn(aliceBrowser)).toBe(true);
    // The page says so before anyone tries.
    expect(textOf((await aliceBrowser.get("/account/privacy")).text)).toContain("You cannot close your account yet");
  });

  it("needs the password and the typed confirmation", async () => {
    const wrong = await bobBrowser.post("/account/privacy", {
      intent: "close-account",
      password: "Not#thepassword1",
      confirmation: "close my account",
    });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.text)).toContain("That is not your password.");
    const unconfirmed = await bobBrowser.post("/account/privacy", {
      intent: "close-account",
      password: TEST_PASSWORD,
      confirmation: "yes",
    });
    expect(unconfirmed.status).toBe(400);
    expect(textOf(unconfirmed.text)).toContain("exactly, to confirm");
    expect(await isSignedIn(bobBrowser)).toBe(true);
  });

  it("is refused while a claim is open", async () => {
    const fay = await createUser(agency.id, { name: "Fay Claimant" });
    const policy = await insertPolicy(agency.id, fay.id, { status: "expired" });
    await fileTestClaim(agency.id, { policyId: policy.policyId, claimantUserId: fay.id });
    const browser = await signIn(agency.host, fay.email);
    const res = await browser.post("/account/privacy", {
      intent: "close-account",
      password: TEST_PASSWORD,
      confirmation: "Close my account",
    });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toMatch(/Your claim .+ is still open/);
  });

  it("anonymises the person, keeps the financial records, deletes uploads, ends sessions; the email can register again", async () => {
    const erin = await createUser(agency.id, { name: "Erin Leaving" });
    await withTenant(agency.id, (db) => db.updateTable("users").set({ phone: "0722000333" }).where("id", "=", erin.id).execute());
    const policy = await insertPolicy(agency.id, erin.id, {
      status: "expired",
      holder: { name: "Erin Leaving", email: erin.email, phone: "0722000333" },
      beneficiaries: [{ name: "Eli Leaving", relationship: "Daughter", shareBp: 10_000 }],
    });
    const uploadKey = fileKey(agency.id, "kyc", "Erin ID.pdf");
    await withTenant(agency.id, async (db) => {
      await db
        .insertInto("personal_identifiers")
        .values({ order_id: policy.orderId, kind: "kra_pin", masked: "A*******45Z", ...encrypted(agency.id, "kra_pin", "A123456745Z") })
        .execute();
      await db
        .insertInto("payment_methods")
        .values({
          user_id: erin.id,
          provider: "sandbox",
          reference_ciphertext: "ciphertext-of-a-reusable-card",
          fingerprint: "card-4242",
          brand: "visa",
          last4: "4242",
          is_default: true,
        })
        .execute();
      await db
        .insertInto("uploads")
        .values({
          order_id: policy.orderId,
          requirement: "id",
          file_key: uploadKey,
          filename: "Erin ID.pdf",
          content_type: "application/pdf",
          size_bytes: 10,
        })
        .execute();
      const { product_id } = await db
        .selectFrom("policies")
        .select("product_id")
        .where("id", "=", policy.policyId)
        .executeTakeFirstOrThrow();
      await db
        .insertInto("reviews")
        .values({ product_id, user_id: erin.id, rating: 4, title: "Quick payout", body: "Erin here: they paid fast." })
        .execute();
      await db
        .insertInto("messages")
        .values({
          template: "test_notice",
          recipient: erin.email,
          subject: "Your cover",
          body_text: "Dear Erin, about your cover.",
          body_html: null,
          status: "outbox",
          attachments: JSON.stringify([]),
        })
        .execute();
    });
    await fileStore().put(uploadKey, fakePdf("Erin's ID"), { contentType: "application/pdf" });
    const claim = await fileTestClaim(agency.id, {
      policyId: policy.policyId,
      claimantUserId: erin.id,
      description: "I hurt my back in the accident.",
      documents: [{ kind: "photos", filename: "X-ray.png", contentType: "image/png" }],
    });
    await withTenant(agency.id, (db) => db.updateTable("claims").set({ status: "withdrawn" }).where("id", "=", claim.id).execute());
    const claimDocKey = (
      await ownerDb().selectFrom("claim_documents").select("file_key").where("claim_id", "=", claim.id).executeTakeFirstOrThrow()
    ).file_key;

    const browser = await signIn(agency.host, erin.email);
    const other = await signIn(agency.host, erin.email);
    const res = await browser.post("/account/privacy", {
      intent: "close-account",
      password: TEST_PASSWORD,
      confirmation: "close my account",
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/account/privacy/closed");
    expect(browser.cookies.has("covera_session")).toBe(false);
    expect(textOf((await browser.get("/account/privacy/closed")).text)).toContain("Your account is closed");

    const db = ownerDb();
    const user = await db.selectFrom("users").selectAll().where("id", "=", erin.id).executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      name: "Closed account",
      email: `closed-${erin.id}@closed.invalid`,
      phone: null,
      password_hash: null,
      status: "suspended",
    });
    expect(user.closed_at).not.toBeNull();
    // Kept: the policy, its payment and receipt (with its file), the claim's record.
    expect(await db.selectFrom("policies").select("policy_number").where("id", "=", policy.policyId).executeTakeFirst()).toEqual({
      policy_number: policy.policyNumber,
    });
    expect(
      await db.selectFrom("transactions").select("amount_minor").where("id", "=", policy.transactionId).executeTakeFirst(),
    ).toBeDefined();
    expect(
      await db.selectFrom("receipts").select("receipt_number").where("transaction_id", "=", policy.transactionId).executeTakeFirst(),
    ).toEqual({ receipt_number: policy.receiptNumber });
    expect(await fileStore().get(policy.receiptKey!)).not.toBeNull();
    const keptClaim = await db
      .selectFrom("claims")
      .select(["claim_number", "claimed_minor", "description"])
      .where("id", "=", claim.id)
      .executeTakeFirstOrThrow();
    expect(keptClaim).toEqual({ claim_number: claim.number, claimed_minor: 12_000_000, description: "" });
    // Gone: identifiers' values (the mask stays), uploads (rows and files), names, messages' bodies, sessions.
    const identifier = await db
      .selectFrom("personal_identifiers")
      .selectAll()
      .where("order_id", "=", policy.orderId)
      .executeTakeFirstOrThrow();
    expect(identifier).toMatchObject({ ciphertext: "erased", masked: "A*******45Z" });
    expect(await db.selectFrom("uploads").select("id").where("order_id", "=", policy.orderId).execute()).toEqual([]);
    expect(await db.selectFrom("claim_documents").select("id").where("claim_id", "=", claim.id).execute()).toEqual([]);
    expect(await fileStore().get(uploadKey)).toBeNull();
    expect(await fileStore().get(claimDocKey)).toBeNull();
    const order = await db.selectFrom("orders").select(["holder"]).where("id", "=", policy.orderId).executeTakeFirstOrThrow();
    expect(order.holder).toEqual({ name: "Closed account" });
    expect(
      (await db.selectFrom("beneficiaries").select("name").where("order_id", "=", policy.orderId).executeTakeFirstOrThrow()).name,
    ).toBe("Beneficiary 1");
    const old = await db
      .selectFrom("messages")
      .select(["recipient", "body_text", "subject"])
      .where("template", "=", "test_notice")
      .where("tenant_id", "=", agency.id)
      .where("recipient", "like", "closed-%")
      .execute();
    expect(old).toEqual([{ recipient: `closed-${erin.id}@closed.invalid`, body_text: "", subject: null }]);
    expect(await db.selectFrom("sessions").select("id_hash").where("user_id", "=", erin.id).execute()).toEqual([]);
    // The saved card can never be charged again; the row stays for the payments that name it.
    const [card] = await db.selectFrom("payment_methods").selectAll().where("user_id", "=", erin.id).execute();
    expect(card).toMatchObject({ reference_ciphertext: "erased", is_default: false, last4: "4242" });
    expect(card!.removed_at).not.toBeNull();
    expect(await db.selectFrom("reviews").select(["rating", "title", "body"]).where("user_id", "=", erin.id).execute()).toEqual([
      { rating: 4, title: "", body: "" },
    ]);
    expect(await isSignedIn(other)).toBe(false);
    const audit = await auditRows(agency.id, "privacy.account_closed", erin.id);
    expect(audit).toHaveLength(1);
    // They were told, at the address they closed with.
    expect(await eventually(() => latestMessage(agency.id, erin.email, "account_closed"))).toBeDefined();

    // They cannot sign in again; the address can register a new, unrelated account.
    const attempt = await new Browser(agency.host).post("/login", { email: erin.email, password: TEST_PASSWORD });
    expect(attempt.status).not.toBe(302);
    expect(textOf(attempt.text)).toContain("do not match");
    const again = await new Browser(agency.host).post("/register", registrationForm(erin.email));
    expect(again.status).toBe(200);
    const fresh = await db
      .selectFrom("users")
      .select(["id", "name"])
      .where("tenant_id", "=", agency.id)
      .where("email", "=", erin.email)
      .executeTakeFirstOrThrow();
    expect(fresh.id).not.toBe(erin.id);
  });

  it("ends a KHHoldings membership: the member is anonymised and terminated, and the NRIC can be registered again", async () => {
    const khh = await memberTenant();
    const { browser: agentBrowser } = await agentWithLogin(khh);
    const member = await registeredMember(agentBrowser);
    // Members are invited without a password; this one has set theirs.
    const hash = await hashPassword(TEST_PASSWORD);
    await withTenant(khh.id, (db) => db.updateTable("users").set({ password_hash: hash }).where("id", "=", member.userId).execute());
    const browser = await signIn(khh.host, member.email);
    const res = await browser.post("/account/privacy", {
      intent: "close-account",
      password: TEST_PASSWORD,
      confirmation: "close my account",
    });
    expect(res.status).toBe(302);
    const row = await memberRow(member.memberId);
    expect(row).toMatchObject({ name: "Closed account", status: "terminated", nric_ciphertext: "erased", emergency_contact_name: "" });
    expect(row.nric_masked).toMatch(/\d{4}$/);
    const timeline = await ownerDb()
      .selectFrom("state_changes")
      .select(["to_state", "event"])
      .where("entity_id", "=", member.memberId)
      .execute();
    expect(timeline).toContainEqual({ to_state: "terminated", event: "account_closed" });
    const again = await registerThroughPage(agentBrowser, memberForm({ nric: member.nric }));
    expect(again).not.toBe(member.memberId);
  });

  it("shows in the back office's audit log", async () => {
    const admin = await createUser(agency.id, { roles: ["admin"] });
    const browser = await signIn(agency.host, admin.email);
    const res = await browser.get("/admin/audit?action=privacy.");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Closed their account");
    expect(text).toContain("Asked for a copy of their data");
  });
});

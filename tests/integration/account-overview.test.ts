/**
 * The customer's overview (/account) and beneficiaries over real HTTP (issue 13 item 6). Policies
 * and claims go straight into the tables (customer-policies-fixtures.ts, workflows-support.ts).
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { addDays } from "~/modules/rating/dates";
import { createUser, eventually, ownerDb } from "../support/db";
import { fileStore } from "~/modules/files/storage.server";
import { readPdf } from "../support/pdf";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { createStoreTenant, TODAY, type StoreTenant } from "./quotes-support";
import { insertClaim, type ClaimsSetup } from "./workflows-support";

let agency: StoreTenant;
let amina: { id: string; email: string };
let baraka: { id: string; email: string };
let aminaBrowser: Browser;
let barakaBrowser: Browser;
let motor: PolicyFixture;
let life: PolicyFixture;
let grace: PolicyFixture;
let ending: PolicyFixture;
let barakaLife: PolicyFixture;
let waitingClaim: string;

beforeAll(async () => {
  agency = await createStoreTenant();
  [amina, baraka] = await Promise.all([createUser(agency.id, { name: "Amina Overview" }), createUser(agency.id, { name: "Baraka Other" })]);
  motor = await insertPolicy(agency.id, amina.id, { instalments: ["paid", "due", "scheduled"], instalmentMinor: 250_000 });
  life = await insertPolicy(agency.id, amina.id, {
    productSlug: "term-life",
    beneficiaries: [
      { name: "Brian Kamau", relationship: "child", shareBp: 6000 },
      { name: "Grace Kamau", relationship: "child", shareBp: 4000 },
    ],
  });
  // As issuance writes it: version 1, the policy as issued; and the product names beneficiaries on its
  // certificates, as a life product does.
  await ownerDb()
    .updateTable("products")
    .set({ requirements: sql`requirements || '{"beneficiaries": true}'::jsonb` })
    .where("tenant_id", "=", agency.id)
    .where("slug", "=", "term-life")
    .execute();
  await withTenant(agency.id, (db) =>
    db
      .insertInto("policy_versions")
      .values({
        policy_id: life.policyId,
        version: 1,
        kind: "issue",
        effective_date: TODAY(),
        annual_premium_minor: 1_200_000,
        currency: "KES",
        inputs: JSON.stringify({}),
        summary: "Policy issued",
      })
      .execute(),
  );
  grace = await insertPolicy(agency.id, amina.id, { status: "grace", productSlug: "home-cover", instalments: ["paid", "overdue"] });
  // Started a year ago less 20 days: it ends within the renewal window.
  ending = await insertPolicy(agency.id, amina.id, { productSlug: "family-medical", startDate: addDays(TODAY(), -345) });
  barakaLife = await insertPolicy(agency.id, baraka.id, {
    productSlug: "term-life",
    beneficiaries: [{ name: "Zawadi Other", relationship: "spouse", shareBp: 10_000 }],
  });
  const setup = { tenant: { id: agency.id }, claimant: amina, policyId: motor.policyId } as unknown as ClaimsSetup;
  waitingClaim = await insertClaim(setup, { status: "documents_requested" });
  await withTenant(agency.id, async (db) => {
    const assessor = await db.selectFrom("users").select("id").where("id", "=", amina.id).executeTakeFirstOrThrow();
    await db
      .insertInto("claim_requests")
      .values({ claim_id: waitingClaim, message: "A clearer photo", documents: JSON.stringify([]), requested_by: assessor.id })
      .execute();
    await recordStateChange(db, { entity: "policy", entityId: motor.policyId, from: "pending_payment", to: "active", event: "issue" });
    await recordStateChange(db, {
      entity: "claim",
      entityId: waitingClaim,
      from: "under_review",
      to: "documents_requested",
      event: "request_documents",
    });
    await recordStateChange(db, { entity: "policy", entityId: barakaLife.policyId, from: "pending_payment", to: "active", event: "issue" });
  });
  [aminaBrowser, barakaBrowser] = await Promise.all([signIn(agency.host, amina.email), signIn(agency.host, baraka.email)]);
});

describe("the overview", () => {
  it("shows a new customer the empty states", async () => {
    const newcomer = await createUser(agency.id, { name: "New Customer", verified: false });
    const browser = await signIn(agency.host, newcomer.email);
    const text = textOf((await browser.get("/account")).text);
    expect(text).toContain("Hello, New Customer.");
    expect(text).toContain("You have no cover with us yet.");
    expect(text).toContain("Nothing to pay: you are up to date.");
    expect(text).toContain("No claims in progress.");
    expect(text).toContain("Nothing has happened on your account yet.");
    // The one thing to do: confirm the email address.
    expect(text).toContain(`Confirm your email address, ${newcomer.email}.`);
  });

  it("shows cover, the next payment, what needs doing, claims and activity — only the customer's own", async () => {
    const res = await aminaBrowser.get("/account");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    // Cover, top few with status.
    expect(text).toContain(motor.policyNumber!);
    expect(text).toContain("Payment overdue");
    // The next payment: an overdue instalment before one merely due.
    expect(res.text).toContain(`/account/policies/${grace.policyId}#pay-title`);
    // What needs doing.
    expect(text).toMatch(/Ksh\s?2,500\.00 for Motor Comprehensive \(TST-POL-\S+\) is due on/);
    expect(text).toMatch(/Next payment Ksh\s?12,500\.00 Home Cover \(TST-POL-\S+\), instalment 2, was due on/);
    expect(text).toContain("has an unpaid instalment: pay it to keep your cover.");
    expect(text).toMatch(/Claim TST-CLM-\S+: the assessor asked for documents on/);
    expect(res.text).toContain(`/account/claims/${waitingClaim}`);
    expect(text).toContain(`${ending.productName} (${ending.policyNumber}) ends on`);
    expect(text).not.toContain("Confirm your email address");
    // Claims in progress.
    expect(text).toContain("Documents needed");
    // Recent activity, newest first, and nobody else's.
    const activity = text.slice(text.indexOf("Recent activity"));
    expect(activity).toContain("More documents were asked for");
    expect(activity.indexOf("More documents were asked for")).toBeLessThan(activity.indexOf("Active"));
    expect(text).not.toContain(barakaLife.policyNumber!);
    expect(text).not.toContain("Baraka");
  });

  it("pages the activity", async () => {
    await withTenant(agency.id, async (db) => {
      for (let i = 0; i < 12; i++)
        await recordStateChange(db, {
          entity: "policy",
          entityId: life.policyId,
          from: "active",
          to: "active",
          event: "change_beneficiaries",
          reason: `step ${i}`,
        });
    });
    const first = textOf((await aminaBrowser.get("/account")).text);
    expect(first).toContain("step 11");
    expect(first).not.toContain("step 1)");
    const second = textOf((await aminaBrowser.get("/account?page=2")).text);
    expect(second).toContain("step 1)");
    expect(second).not.toContain("step 11");
    expect((await aminaBrowser.get("/account?page=%00")).status).toBeLessThan(500);
    expect((await aminaBrowser.get("/account?page=-3")).status).toBe(200);
  });
});

describe("beneficiaries", () => {
  it("lists the life cover with its beneficiaries, and saves a change whose shares sum to 100%", async () => {
    const list = textOf((await aminaBrowser.get("/account/beneficiaries")).text);
    expect(list).toContain("Brian Kamau (child) 60%, Grace Kamau (child) 40%");
    expect(list).not.toContain("Zawadi");

    const form = await aminaBrowser.get(`/account/beneficiaries/${life.policyId}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Brian Kamau"');

    const res = await aminaBrowser.post(`/account/beneficiaries/${life.policyId}`, {
      "beneficiaries[0].name": "Brian Kamau",
      "beneficiaries[0].relationship": "child",
      "beneficiaries[0].share": "50",
      "beneficiaries[1].name": "Mercy Atieno",
      "beneficiaries[1].relationship": "spouse",
      "beneficiaries[1].share": "50",
    });
    expect(res.location).toBe(`/account/beneficiaries/${life.policyId}?saved=1`);
    const rows = await ownerDb()
      .selectFrom("beneficiaries")
      .select(["name", "relationship", "share_bp"])
      .where("tenant_id", "=", agency.id)
      .where("order_id", "=", life.orderId)
      .orderBy("position")
      .execute();
    expect(rows).toEqual([
      { name: "Brian Kamau", relationship: "child", share_bp: 5000 },
      { name: "Mercy Atieno", relationship: "spouse", share_bp: 5000 },
    ]);
    // On the policy's timeline, status unchanged; and no premium moved.
    const timeline = await ownerDb()
      .selectFrom("state_changes")
      .select(["from_state", "to_state", "reason", "actor_user_id"])
      .where("tenant_id", "=", agency.id)
      .where("entity_id", "=", life.policyId)
      .where("event", "=", "change_beneficiaries")
      .where("reason", "like", "Brian%")
      .execute();
    expect(timeline).toEqual([
      { from_state: "active", to_state: "active", reason: "Brian Kamau (child) 50%, Mercy Atieno (spouse) 50%", actor_user_id: amina.id },
    ]);
    // Issued cover: a new version, with no premium moved, whose certificate names the new beneficiaries.
    const versions = await ownerDb()
      .selectFrom("policy_versions")
      .select(["version", "kind", "premium_delta_minor", "summary", "status"])
      .where("tenant_id", "=", agency.id)
      .where("policy_id", "=", life.policyId)
      .orderBy("version")
      .execute();
    expect(versions.at(-1)).toMatchObject({
      version: 2,
      kind: "endorsement",
      premium_delta_minor: 0,
      status: "applied",
      summary: "Beneficiaries: Brian Kamau (child) 50%, Mercy Atieno (spouse) 50%",
    });
    const certificate = await eventually(async () => {
      const v = await ownerDb()
        .selectFrom("policy_versions")
        .select("certificate_file_key")
        .where("tenant_id", "=", agency.id)
        .where("policy_id", "=", life.policyId)
        .where("version", "=", 2)
        .executeTakeFirst();
      return v?.certificate_file_key ?? null;
    }, 30_000);
    const pdf = await fileStore().get(certificate);
    expect(pdf).not.toBeNull();
    const { text } = await readPdf(pdf!.body);
    expect(text).toContain("Brian Kamau");
    expect(text).toContain("Version 2");
  });

  it("refuses shares that do not sum to 100% by the field, and bad rows, changing nothing", async () => {
    const before = await ownerDb()
      .selectFrom("beneficiaries")
      .selectAll()
      .where("tenant_id", "=", agency.id)
      .where("order_id", "=", life.orderId)
      .orderBy("position")
      .execute();
    const short = await aminaBrowser.post(`/account/beneficiaries/${life.policyId}`, {
      "beneficiaries[0].name": "Brian Kamau",
      "beneficiaries[0].relationship": "child",
      "beneficiaries[0].share": "60",
      "beneficiaries[1].name": "Mercy Atieno",
      "beneficiaries[1].relationship": "spouse",
      "beneficiaries[1].share": "30",
    });
    expect(short.status).toBe(400);
    expect(textOf(short.text)).toContain("The shares add up to 90%; they must add up to exactly 100%.");
    expect(short.text).toMatch(/id="beneficiaries-error"/);
    // What was typed is still there.
    expect(short.text).toContain('value="Mercy Atieno"');

    for (const [name, relationship] of [
      ["Mercy\r\nAtieno", "spouse"],
      ["Mer\u0000cy", "spouse"],
      ["M".repeat(10_000), "spouse"],
      ["Mercy Atieno", "landlord"],
    ]) {
      const bad = await aminaBrowser.post(`/account/beneficiaries/${life.policyId}`, {
        "beneficiaries[0].name": name!,
        "beneficiaries[0].relationship": relationship!,
        "beneficiaries[0].share": "100",
      });
      expect(bad.status, JSON.stringify(name!.slice(0, 12))).toBe(400);
    }
    const after = await ownerDb()
      .selectFrom("beneficiaries")
      .selectAll()
      .where("tenant_id", "=", agency.id)
      .where("order_id", "=", life.orderId)
      .orderBy("position")
      .execute();
    expect(after).toEqual(before);
  });

  it("answers 404 for another customer's policy, a policy without beneficiaries and a malformed id", async () => {
    expect((await aminaBrowser.get(`/account/beneficiaries/${barakaLife.policyId}`)).status).toBe(404);
    const post = await aminaBrowser.post(`/account/beneficiaries/${barakaLife.policyId}`, {
      "beneficiaries[0].name": "Thief",
      "beneficiaries[0].relationship": "other",
      "beneficiaries[0].share": "100",
    });
    expect(post.status).toBe(404);
    expect((await aminaBrowser.get(`/account/beneficiaries/${motor.policyId}`)).status).toBe(404);
    expect((await aminaBrowser.get("/account/beneficiaries/not-a-uuid")).status).toBe(404);
    const stillZawadi = await ownerDb()
      .selectFrom("beneficiaries")
      .select("name")
      .where("tenant_id", "=", agency.id)
      .where("order_id", "=", barakaLife.orderId)
      .execute();
    expect(stillZawadi).toEqual([{ name: "Zawadi Other" }]);
    // Baraka sees his own.
    expect(textOf((await barakaBrowser.get("/account/beneficiaries")).text)).toContain("Zawadi Other (spouse) 100%");
    // Signed out: to the sign-in page.
    expect((await new Browser(agency.host).get(`/account/beneficiaries/${life.policyId}`)).status).toBe(302);
  });
});

/**
 * Changes of cover mid-term (issue 13 item 4, decisions 027 and 031): the rules with dates passed
 * in, the additional or returned premium to the cent per product kind, the payment that puts a
 * change in force, the refund of a returned premium, the reversal, the versioned certificate read
 * back, and the customer's pages over real HTTP (bad input, isolation).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "~db/client";
import { confirmChange, reverseLatestChange } from "~/modules/endorsements/confirm.server";
import { policyForChange } from "~/modules/endorsements/change.server";
import { fileStore } from "~/modules/files/storage.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { SANDBOX_OFFLINE_BANK } from "~/modules/payments/providers/sandbox.server";
import { createUser, eventually, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { readPdf } from "../support/pdf";
import { signIn, textOf } from "./accounts-support";
import { changeTenant, ratedPolicy, setEndorsable } from "./endorsements-support";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

const START = "2026-01-01"; // cover 2026-01-01 to 2026-12-31: 365 days
const MID = "2026-07-02"; // 183 days left, both ends counted

let agency: StoreTenant;
let otherAgency: StoreTenant;
let alice: { id: string; email: string };
let bob: { id: string; email: string };
let carol: { id: string; email: string };
let aliceBrowser: Browser;
let bobBrowser: Browser;
let carolBrowser: Browser;

const MOTOR = { vehicleValue: 150_000_000, yearOfManufacture: 2023, use: "private" };
const FAMILY = {
  inpatientLimit: "1m",
  persons: [
    { role: "principal", age: 40 },
    { role: "spouse", age: 38 },
    { role: "child", age: 8 },
  ],
};
const LIFE = { dateOfBirth: "1990-03-01", sumAssured: 500_000_000 };

beforeAll(async () => {
  [agency, otherAgency] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  await withTenant(agency.id, (db) => ensureSandbox(db, agency.id));
  await setEndorsable(agency.id, "motor-comprehensive", ["vehicleValue"]);
  await setEndorsable(agency.id, "family-medical", ["persons", "inpatientLimit"]);
  await setEndorsable(agency.id, "term-life", ["sumAssured"]);
  await setEndorsable(agency.id, "home-cover", ["buildingValue"]);
  [alice, bob, carol] = await Promise.all([
    createUser(agency.id, { name: "Alice Endorse" }),
    createUser(agency.id, { name: "Bob Endorse" }),
    createUser(otherAgency.id, { name: "Carol Endorse" }),
  ]);
  [aliceBrowser, bobBrowser, carolBrowser] = await Promise.all([
    signIn(agency.host, alice.email),
    signIn(agency.host, bob.email),
    signIn(otherAgency.host, carol.email),
  ]);
});

const tenant = () => changeTenant(agency);
const plain = (text: string) => text.replace(/\s+/g, " ");
const versions = (policyId: string) =>
  ownerDb().selectFrom("policy_versions").selectAll().where("policy_id", "=", policyId).orderBy("version").execute();

async function change(
  policyId: string,
  effectiveDate: string,
  raw: Record<string, unknown>,
  who: { actor: "customer" | "staff"; userId: string; today: string },
) {
  return withTenant(agency.id, (db) => confirmChange(db, tenant(), policyId, { effectiveDate, raw }, who));
}

describe("the premium of a change, to the cent, per product kind", () => {
  it("motor: a higher vehicle value from 2 July is an additional premium for 183 of 365 days, pending until paid", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "motor-comprehensive", inputs: MOTOR, startDate: START });
    const done = await change(p.policyId, MID, { vehicleValue: "2,000,000" }, { actor: "customer", userId: alice.id, today: MID });
    expect(done.ok, JSON.stringify(done)).toBe(true);
    if (!done.ok) return;
    // Old annual 6,500,000 cents (KES 1.5m at 4%, +  …): the engine's figure; the new one for KES 2m.
    expect(done.change.oldAnnualMinor).toBe(p.annualMinor);
    expect(done.change.changes.map((c) => `${c.label}: ${plain(c.from)} → ${plain(c.to)}`)).toEqual([
      "Vehicle value: Ksh 1,500,000.00 → Ksh 2,000,000.00",
    ]);
    // round_half_up(new × 183 / 365) − round_half_up(old × 183 / 365)
    const expected = Math.round((done.change.newAnnualMinor * 183) / 365) - Math.round((p.annualMinor * 183) / 365);
    expect(done.change.deltaMinor).toBe(expected);
    expect(done.change.deltaMinor).toBe(MOTOR_DELTA);
    expect(done.outcome).toBe("pending");
    const [, v2] = await versions(p.policyId);
    expect(v2).toMatchObject({ version: 2, kind: "endorsement", status: "pending", effective_date: MID, premium_delta_minor: MOTOR_DELTA });
    // Not in force until paid: the policy's premium and current version are unchanged.
    const policy = await ownerDb()
      .selectFrom("policies")
      .select(["annual_premium_minor", "current_version"])
      .where("id", "=", p.policyId)
      .executeTakeFirstOrThrow();
    expect(policy).toMatchObject({ annual_premium_minor: p.annualMinor, current_version: 1 });
  });

  it("medical: removing a child from 2 July returns premium for 183 days, refunded from the policy's payment", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "family-medical", inputs: FAMILY, startDate: START });
    const done = await change(
      p.policyId,
      MID,
      { inpatientLimit: "1m", "persons[0].role": "principal", "persons[0].age": "40", "persons[1].role": "spouse", "persons[1].age": "38" },
      { actor: "customer", userId: alice.id, today: MID },
    );
    expect(done.ok, JSON.stringify(done)).toBe(true);
    if (!done.ok) return;
    expect(done.change.deltaMinor).toBe(MEDICAL_DELTA);
    expect(done.outcome).toBe("applied");
    const refunds = await ownerDb().selectFrom("refunds").selectAll().where("policy_version_id", "=", done.versionId).execute();
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ transaction_id: p.transactionId, amount_minor: -MEDICAL_DELTA, policy_id: p.policyId });
    const policy = await ownerDb()
      .selectFrom("policies")
      .select(["annual_premium_minor", "current_version"])
      .where("id", "=", p.policyId)
      .executeTakeFirstOrThrow();
    expect(policy).toMatchObject({ annual_premium_minor: done.change.newAnnualMinor, current_version: 2 });
  });

  it("life: a higher sum assured from 2 July is an additional premium for 183 days", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "term-life", inputs: LIFE, startDate: START });
    const done = await change(p.policyId, MID, { sumAssured: "7,500,000" }, { actor: "staff", userId: alice.id, today: MID });
    expect(done.ok, JSON.stringify(done)).toBe(true);
    if (!done.ok) return;
    expect(done.change.deltaMinor).toBe(LIFE_DELTA);
  });
  it("home: a lower building value from 1 October returns premium for 92 of 365 days", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "home-cover", inputs: { buildingValue: 1_000_000_000 }, startDate: START });
    const done = await change(
      p.policyId,
      "2026-10-01",
      { buildingValue: "8,000,000" },
      { actor: "customer", userId: alice.id, today: "2026-10-01" },
    );
    expect(done.ok, JSON.stringify(done)).toBe(true);
    if (!done.ok) return;
    expect(done.change.deltaMinor).toBe(HOME_DELTA);
    expect(done.outcome).toBe("applied");
  });
});

// The figures the tests above pin, to the cent (see each test's arithmetic).
// KES 500,000 more vehicle value at the example's 4% is KES 20,000 a year more; × 183/365 = KES 10,027.40.
const MOTOR_DELTA = 1_002_740;
// The child's share of the annual premium (the engine's age-band figure) x 183/365, back to the customer.
const MEDICAL_DELTA = -601_644;
// KES 2,500,000 more cover at age 35 (KES 2.10 per KES 1,000) is KES 5,250 a year more; x 183/365 = KES 2,632.19.
const LIFE_DELTA = 263_219;
// KES 2,000,000 less building value at the example's 0.15% is KES 3,000 a year less; × 92/365 = KES 756.16 back.
const HOME_DELTA = -75_616;

describe("the rules of a change (dates passed in)", () => {
  it("refuses a date before the cover, after its end, before the version in force, and a customer's backdating; nothing changes", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "motor-comprehensive", inputs: MOTOR, startDate: START });
    const customer = { actor: "customer" as const, userId: alice.id, today: MID };
    const cases: [string, string][] = [
      ["2025-12-31", "before the cover starts"],
      ["2027-01-01", "after the cover ends"],
      ["2026-07-01", "cannot be backdated"],
    ];
    for (const [date, message] of cases) {
      const r = await change(p.policyId, date, { vehicleValue: "1,600,000" }, customer);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.effectiveDate?.join(" ")).toContain(message);
    }
    // Staff may backdate within the cover, not before the last change.
    const staff = { actor: "staff" as const, userId: alice.id, today: MID };
    const first = await change(p.policyId, "2026-03-01", { vehicleValue: "1,400,000", yearOfManufacture: "2023", use: "private" }, staff);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const before = await change(p.policyId, "2026-02-01", { vehicleValue: "1,300,000", yearOfManufacture: "2023", use: "private" }, staff);
    expect(before.ok).toBe(false);
    if (!before.ok) expect(before.errors.effectiveDate?.join(" ")).toContain("before the last change");
    expect((await versions(p.policyId)).map((v) => v.version)).toEqual([1, 2]);
  });

  it("takes from the customer only the inputs they may change, and refuses a change that changes nothing", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "motor-comprehensive", inputs: MOTOR, startDate: START });
    const r = await change(
      p.policyId,
      MID,
      { vehicleValue: "1,500,000", use: "ride_hailing" },
      { actor: "customer", userId: alice.id, today: MID },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.form?.join(" ")).toContain("Nothing changed");
    const bad = await change(p.policyId, MID, { vehicleValue: "50" }, { actor: "customer", userId: alice.id, today: MID });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toContain("vehicleValue");
    expect(await versions(p.policyId)).toHaveLength(1);
  });

  it("refuses another customer's policy as not found, and a second change while one waits for payment", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "motor-comprehensive", inputs: MOTOR, startDate: START });
    const notHers = await withTenant(agency.id, (db) => policyForChange(db, tenant(), p.policyId, { actor: "customer", userId: bob.id }));
    expect(notHers).toBeUndefined();
    const first = await change(p.policyId, MID, { vehicleValue: "2,000,000" }, { actor: "customer", userId: alice.id, today: MID });
    expect(first.ok && first.outcome).toBe("pending");
    const second = await change(p.policyId, MID, { vehicleValue: "2,500,000" }, { actor: "customer", userId: alice.id, today: MID });
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.errors.form?.join(" ")).toContain("waiting for its additional premium");
  });

  it("on a monthly policy: an additional premium is one payment now and the later instalments stay as they were (decision 031)", async () => {
    const p = await ratedPolicy(agency.id, alice.id, {
      slug: "motor-comprehensive",
      inputs: MOTOR,
      startDate: START,
      instalments: ["paid", "paid", "paid", "paid", "paid", "paid", "due", "scheduled", "scheduled", "scheduled", "scheduled", "scheduled"],
    });
    const before = await ownerDb()
      .selectFrom("instalments")
      .select(["sequence", "amount_minor"])
      .where("policy_id", "=", p.policyId)
      .orderBy("sequence")
      .execute();
    const done = await change(p.policyId, MID, { vehicleValue: "2,000,000" }, { actor: "customer", userId: alice.id, today: MID });
    expect(done.ok && done.outcome).toBe("pending");
    const after = await ownerDb()
      .selectFrom("instalments")
      .select(["sequence", "amount_minor"])
      .where("policy_id", "=", p.policyId)
      .orderBy("sequence")
      .execute();
    expect(after).toEqual(before);
  });

  it("on a monthly policy: a return larger than what was paid comes off the next unpaid instalments", async () => {
    const p = await ratedPolicy(agency.id, alice.id, {
      slug: "motor-comprehensive",
      inputs: { ...MOTOR, vehicleValue: 3_000_000_000 },
      startDate: START,
      instalments: [
        "paid",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
        "scheduled",
      ],
    });
    const done = await change(
      p.policyId,
      "2026-01-10",
      { vehicleValue: "200,000", yearOfManufacture: "2023", use: "private" },
      { actor: "staff", userId: alice.id, today: "2026-01-10" },
    );
    expect(done.ok, JSON.stringify(done)).toBe(true);
    if (!done.ok) return;
    const returned = -done.change.deltaMinor;
    const refunded = await ownerDb().selectFrom("refunds").select("amount_minor").where("policy_version_id", "=", done.versionId).execute();
    const refundedMinor = refunded.reduce((s, r) => s + Number(r.amount_minor), 0);
    const instalments = await ownerDb()
      .selectFrom("instalments")
      .select(["sequence", "amount_minor", "status"])
      .where("policy_id", "=", p.policyId)
      .orderBy("sequence")
      .execute();
    // A scheduled instalment wholly covered is cancelled; the last one covered in part is reduced.
    const reducedBy = instalments
      .slice(1)
      .reduce(
        (s, i) => s + (i.status === "cancelled" ? Number(i.amount_minor) : p.instalments[1]!.amountMinor - Number(i.amount_minor)),
        0,
      );
    expect(instalments.filter((i) => i.status === "cancelled").length).toBeGreaterThan(0);
    expect(refundedMinor).toBe(p.instalments[0]!.amountMinor);
    expect(refundedMinor + reducedBy).toBe(returned);
  });
});

describe("paying a change, its certificate, and reversing it", () => {
  it("the sandbox payment puts the change in force and its certificate says Version 2", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "motor-comprehensive", inputs: MOTOR, startDate: START });
    const done = await change(p.policyId, MID, { vehicleValue: "2,000,000" }, { actor: "customer", userId: alice.id, today: MID });
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    const page = await aliceBrowser.get(`/account/policies/${p.policyId}/change`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Version 2");
    const started = await aliceBrowser.post(`/account/policies/${p.policyId}/change`, {
      intent: "pay",
      versionId: done.versionId,
      method: "mpesa",
      phone: "0712345678",
    });
    expect(started.status, textOf(started.text).slice(0, 400)).toBe(302);
    expect(started.location).toMatch(/^\/sandbox\/pay\/sbx_/);
    const approved = await aliceBrowser.post(started.location!, { choice: "approve", pin: "1234" });
    expect(approved.status).toBe(302);
    const key = await eventually(async () => {
      const v = await ownerDb()
        .selectFrom("policy_versions")
        .select(["status", "certificate_file_key"])
        .where("id", "=", done.versionId)
        .executeTakeFirst();
      return v?.status === "applied" && v.certificate_file_key;
    }, 30_000);
    const policy = await ownerDb()
      .selectFrom("policies")
      .select(["annual_premium_minor", "current_version"])
      .where("id", "=", p.policyId)
      .executeTakeFirstOrThrow();
    expect(policy).toMatchObject({ annual_premium_minor: done.change.newAnnualMinor, current_version: 2 });
    const pdf = await readPdf((await fileStore().get(key))!.body);
    expect(pdf.text).toContain("Version 2, effective 2 Jul 2026");
    expect(pdf.text).toContain(p.policyNumber!);
    // The customer is told what changed and what it cost, once (the email's dedupe key).
    const notice = await eventually(() =>
      ownerDb()
        .selectFrom("messages")
        .select(["subject", "body_text"])
        .where("tenant_id", "=", agency.id)
        .where("template", "=", "policy_changed")
        .where("dedupe_key", "=", `policy_changed:${done.versionId}:email`)
        .executeTakeFirst(),
    );
    expect(plain(notice.body_text)).toContain("Vehicle value Ksh 1,500,000.00 → Ksh 2,000,000.00");
    expect(plain(notice.body_text)).toContain(
      `Additional premium paid: Ksh ${(MOTOR_DELTA / 100).toLocaleString("en-KE", { minimumFractionDigits: 2 })}`,
    );
    // The policy page's timeline shows both versions.
    const policyHtml = (await aliceBrowser.get(`/account/policies/${p.policyId}`)).text;
    expect(policyHtml).toContain(`href="/account/policies/${p.policyId}/change"`);
    const policyPage = textOf(policyHtml);
    expect(policyPage).toContain("Version 2: Cover changed");
    expect(policyPage).toContain("Version 1: Policy issued");
  });

  it("staff reverse the latest change: a reversal version restores the inputs and charges back what was returned", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "family-medical", inputs: FAMILY, startDate: START });
    const done = await change(
      p.policyId,
      MID,
      { inpatientLimit: "1m", "persons[0].role": "principal", "persons[0].age": "40", "persons[1].role": "spouse", "persons[1].age": "38" },
      { actor: "customer", userId: alice.id, today: MID },
    );
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    const reversed = await withTenant(agency.id, (db) =>
      reverseLatestChange(db, tenant(), p.policyId, { userId: alice.id, reason: "Child still covered" }),
    );
    expect(reversed).toMatchObject({ ok: true, version: 3, outcome: "pending", deltaMinor: -done.change.deltaMinor });
    const all = await versions(p.policyId);
    expect(all[2]).toMatchObject({ kind: "reversal", reverses_version: 2, effective_date: MID, annual_premium_minor: p.annualMinor });
    expect(all[2]!.inputs).toEqual(all[0]!.inputs);
    // A reversal of a reversal is refused: nothing to reverse while it waits, and the latest is not a change.
    const again = await withTenant(agency.id, (db) => reverseLatestChange(db, tenant(), p.policyId, { userId: alice.id, reason: "again" }));
    expect(again.ok).toBe(false);
  });

  it("a reversal of an additional premium returns it once paid", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "term-life", inputs: LIFE, startDate: START });
    const done = await change(p.policyId, MID, { sumAssured: "4,000,000" }, { actor: "customer", userId: alice.id, today: MID });
    expect(done.ok && done.outcome).toBe("applied");
    if (!done.ok) return;
    const reversed = await withTenant(agency.id, (db) =>
      reverseLatestChange(db, tenant(), p.policyId, { userId: alice.id, reason: "Customer asked" }),
    );
    expect(reversed).toMatchObject({ ok: true, version: 3, outcome: "pending" });
    if (reversed.ok) expect(reversed.deltaMinor).toBe(-done.change.deltaMinor);
  });
});

describe("the customer's change page over HTTP", () => {
  it("prices a change before confirming it, without JavaScript", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "term-life", inputs: LIFE, startDate: "2026-01-01" });
    const page = await aliceBrowser.get(`/account/policies/${p.policyId}/change`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Sum assured");
    expect(textOf(page.text)).not.toContain("Date of birth");
    const far = await aliceBrowser.post(`/account/policies/${p.policyId}/change`, {
      intent: "price",
      effectiveDate: "2027-06-01",
      sumAssured: "6,000,000",
    });
    expect(far.status).toBe(400);
    expect(textOf(far.text)).toContain("after the cover ends");
    const nul = await aliceBrowser.post(`/account/policies/${p.policyId}/change`, {
      intent: "price",
      effectiveDate: "2026-12-01\u0000",
      sumAssured: "6,000,000",
    });
    expect(nul.status).toBe(400);
    expect(textOf(nul.text)).toContain("without tabs, line breaks or other control characters");
    const nulInput = await aliceBrowser.post(`/account/policies/${p.policyId}/change`, {
      intent: "price",
      effectiveDate: "2026-12-01",
      sumAssured: "6,000\u0000,000",
    });
    expect(nulInput.status).toBe(400);
    expect(await versions(p.policyId)).toHaveLength(1);
  });

  it("answers 404 for another customer's policy and another agency's", async () => {
    const p = await ratedPolicy(agency.id, alice.id, { slug: "term-life", inputs: LIFE, startDate: START });
    for (const [browser, path] of [
      [bobBrowser, `/account/policies/${p.policyId}/change`],
      [carolBrowser, `/account/policies/${p.policyId}/change`],
    ] as const) {
      expect((await browser.get(path)).status).toBe(404);
      expect((await browser.post(path, { intent: "price", effectiveDate: "2026-12-01", sumAssured: "6,000,000" })).status).toBe(404);
      expect((await browser.post(path, { intent: "pay", versionId: p.policyId, method: "mpesa", phone: "0712345678" })).status).toBe(404);
    }
    expect((await aliceBrowser.get(`/account/policies/not-a-uuid/change`)).status).toBe(404);
  });
});

describe("paying a change by FPX or e-wallet over HTTP (issue 15)", () => {
  let ringgit: StoreTenant;
  let siti: { id: string; email: string };
  let sitiBrowser: Browser;

  beforeAll(async () => {
    // A Malaysian agency: the sandbox then offers FPX and e-wallets, each with its list of banks.
    ringgit = await createStoreTenant();
    await withPlatform((db) => db.updateTable("tenants").set({ currency: "MYR" }).where("id", "=", ringgit.id).execute());
    await withTenant(ringgit.id, (db) => ensureSandbox(db, ringgit.id));
    await setEndorsable(ringgit.id, "term-life", ["sumAssured"]);
    siti = await createUser(ringgit.id, { name: "Siti Endorse" });
    sitiBrowser = await signIn(ringgit.host, siti.email);
  });

  async function pendingChange() {
    const p = await ratedPolicy(ringgit.id, siti.id, { slug: "term-life", inputs: LIFE, startDate: START });
    const done = await withTenant(ringgit.id, (db) =>
      confirmChange(
        db,
        changeTenant(ringgit),
        p.policyId,
        { effectiveDate: MID, raw: { sumAssured: "6,000,000" } },
        {
          actor: "customer",
          userId: siti.id,
          today: MID,
        },
      ),
    );
    if (!done.ok || done.outcome !== "pending") throw new Error(`Fixture change did not wait for payment: ${JSON.stringify(done)}`);
    return { path: `/account/policies/${p.policyId}/change`, versionId: done.versionId };
  }
  const paymentsOf = (versionId: string) =>
    ownerDb().selectFrom("transactions").select(["method", "bank_code", "status"]).where("policy_version_id", "=", versionId).execute();
  const appliedSoon = (versionId: string) =>
    eventually(async () => {
      const v = await ownerDb().selectFrom("policy_versions").select("status").where("id", "=", versionId).executeTakeFirst();
      return v?.status === "applied";
    }, 30_000);

  it("offers the bank picker, refuses a missing, unknown or offline bank under the field, and pays by FPX", async () => {
    const { path, versionId } = await pendingChange();
    const page = await sitiBrowser.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="radio" name="method" value="fpx"/);
    expect(page.text).toMatch(/<option value="SBX0RHB" disabled="">RHB Now \(sandbox\) \(offline now\)<\/option>/);
    expect(page.text).toContain('<label for="pay-change-bank">');
    expect(textOf(page.text)).toContain("Touch 'n Go eWallet (sandbox)");

    for (const bank of [undefined, "", "NOSUCHBANK", SANDBOX_OFFLINE_BANK]) {
      const refused = await sitiBrowser.post(path, { intent: "pay", versionId, method: "fpx", ...(bank === undefined ? {} : { bank }) });
      expect(refused.status, String(bank)).toBe(400);
      expect(refused.text).toMatch(
        /<p class="field-error" id="pay-change-bank-error" role="alert">Choose a bank that is online now\.<\/p>/,
      );
    }
    expect(await paymentsOf(versionId)).toEqual([]);

    const paying = await sitiBrowser.post(path, { intent: "pay", versionId, method: "fpx", bank: "SBX0MBB" });
    expect(paying.status, textOf(paying.text).slice(0, 400)).toBe(302);
    expect(paying.location).toMatch(/^\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    expect(await paymentsOf(versionId)).toEqual([{ method: "fpx", bank_code: "SBX0MBB", status: "pending" }]);
    expect(textOf((await sitiBrowser.get(paying.location!)).text)).toContain("Log in to Maybank2u (sandbox)");
    expect((await sitiBrowser.post(paying.location!, { choice: "approve" })).status).toBe(302);
    await appliedSoon(versionId);
  });

  it("pays a change by e-wallet, the wallet picked from the list; no wallet is a field message", async () => {
    const { path, versionId } = await pendingChange();
    const none = await sitiBrowser.post(path, { intent: "pay", versionId, method: "ewallet", bank: "SBX0MBB" });
    expect(none.status).toBe(400);
    expect(none.text).toMatch(/<p class="field-error" id="pay-change-wallet-error" role="alert">Choose an e-wallet\.<\/p>/);
    expect(await paymentsOf(versionId)).toEqual([]);

    const paying = await sitiBrowser.post(path, { intent: "pay", versionId, method: "ewallet", wallet: "TNG" });
    expect(paying.status, textOf(paying.text).slice(0, 400)).toBe(302);
    expect(paying.location).toMatch(/^\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    expect(await paymentsOf(versionId)).toEqual([{ method: "ewallet", bank_code: "TNG", status: "pending" }]);
    expect((await sitiBrowser.post(paying.location!, { choice: "approve" })).status).toBe(302);
    await appliedSoon(versionId);
  });
});

/**
 * The back office's policy page, its change of cover and reversal, and reinstatement of a lapsed
 * policy (issue 13 items 4 and 5): the rules with dates passed in, and every new staff route over
 * real HTTP with another agency's ids answering 404.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { InstalmentStatus } from "~db/schema";
import { reinstatePolicy } from "~/modules/endorsements/reinstatement.server";
import { addPolicyVersion } from "~/modules/policies/versions.server";
import { addDays } from "~/modules/rating/dates";
import { quoteDateIn } from "~/modules/rating";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { createUser, eventually, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import { insertPolicy } from "./customer-policies-fixtures";
import { ratedPolicy, setEndorsable } from "./endorsements-support";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

let agency: StoreTenant;
let otherAgency: StoreTenant;
let customer: { id: string; email: string };
let admin: { id: string; email: string };
let adminBrowser: Browser;
let otherAdminBrowser: Browser;
let customerBrowser: Browser;

const LIFE = { dateOfBirth: "1990-03-01", sumAssured: 500_000_000 };

beforeAll(async () => {
  [agency, otherAgency] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  await setEndorsable(agency.id, "term-life", ["sumAssured"]);
  await withTenant(agency.id, (db) => ensureSandbox(db, agency.id));
  let otherAdmin: { id: string; email: string };
  [customer, admin, otherAdmin] = await Promise.all([
    createUser(agency.id, { name: "Cora Customer" }),
    createUser(agency.id, { name: "Ada Admin", roles: ["admin"] }),
    createUser(otherAgency.id, { name: "Otto Admin", roles: ["admin"] }),
  ]);
  [adminBrowser, otherAdminBrowser, customerBrowser] = await Promise.all([
    signIn(agency.host, admin.email),
    signIn(otherAgency.host, otherAdmin.email),
    signIn(agency.host, customer.email),
  ]);
});

async function lapsedPolicy(lapsedOn: string, instalments: InstalmentStatus[] = ["paid", "overdue", "overdue", "scheduled"]) {
  const p = await insertPolicy(agency.id, customer.id, {
    productSlug: "home-cover",
    status: "lapsed",
    startDate: addDays(lapsedOn, -120),
    instalments: [...instalments],
  });
  await withTenant(agency.id, (db) => db.updateTable("policies").set({ lapsed_on: lapsedOn }).where("id", "=", p.policyId).execute());
  return p;
}

const actor = () => ({ userId: admin.id });
const policyRow = (id: string) =>
  ownerDb().selectFrom("policies").select(["status", "lapsed_on", "current_version"]).where("id", "=", id).executeTakeFirstOrThrow();

describe("reinstating a lapsed policy (dates passed in)", () => {
  it("refuses while the arrears are unpaid, past the window, or when the policy is not lapsed; nothing changes", async () => {
    const p = await lapsedPolicy("2026-05-01");
    const unpaid = await withTenant(agency.id, (db) =>
      reinstatePolicy(db, agency.id, p.policyId, { today: "2026-06-01", userId: admin.id, reason: "Paid up", payment: null }, actor()),
    );
    expect(unpaid).toMatchObject({ ok: false, message: expect.stringContaining("arrears are not paid") });
    // 91 days after the lapse, past the default 90-day window.
    const late = await withTenant(agency.id, (db) =>
      reinstatePolicy(
        db,
        agency.id,
        p.policyId,
        { today: "2026-07-31", userId: admin.id, reason: "Late", payment: { method: "cash", reference: "LATE-1" } },
        actor(),
      ),
    );
    expect(late).toMatchObject({ ok: false, message: expect.stringContaining("past the 90-day reinstatement window") });
    expect(await policyRow(p.policyId)).toMatchObject({ status: "lapsed", lapsed_on: "2026-05-01" });
    const paid = await ownerDb().selectFrom("transactions").select("id").where("provider_receipt", "like", "LATE-1%").execute();
    expect(paid).toHaveLength(0);

    const active = await insertPolicy(agency.id, customer.id, { productSlug: "home-cover" });
    const notLapsed = await withTenant(agency.id, (db) =>
      reinstatePolicy(db, agency.id, active.policyId, { today: "2026-06-01", userId: admin.id, reason: "x", payment: null }, actor()),
    );
    expect(notLapsed).toMatchObject({ ok: false, message: "Only a lapsed policy can be reinstated." });
  });

  it("records the arrears paid offline, settles them, and reinstates with a dated version", async () => {
    const p = await lapsedPolicy("2026-05-01");
    // As issuance leaves a policy: its first version (the certificate of a later one is numbered from it).
    await withTenant(agency.id, (db) =>
      addPolicyVersion(db, {
        policyId: p.policyId,
        kind: "issue",
        effectiveDate: "2026-01-01",
        annualPremiumMinor: 0,
        currency: "KES",
        inputs: {},
        summary: "Issued",
      }),
    );
    const done = await withTenant(agency.id, (db) =>
      reinstatePolicy(
        db,
        agency.id,
        p.policyId,
        {
          today: "2026-07-30",
          userId: admin.id,
          reason: "Arrears paid at the branch",
          payment: { method: "bank_transfer", reference: "BANK-778" },
        },
        actor(),
      ),
    );
    // Instalments 2 and 3 overdue, and 4 fell due on 1 April while the policy was lapsed: all three are arrears.
    expect(done).toMatchObject({ ok: true, arrearsMinor: 3 * p.instalments[1]!.amountMinor });
    expect(await policyRow(p.policyId)).toMatchObject({ status: "active", lapsed_on: null });
    const instalments = await ownerDb()
      .selectFrom("instalments")
      .select(["sequence", "status"])
      .where("policy_id", "=", p.policyId)
      .orderBy("sequence")
      .execute();
    expect(instalments.map((i) => i.status)).toEqual(["paid", "paid", "paid", "paid"]);
    const payments = await ownerDb()
      .selectFrom("transactions")
      .select(["provider", "status", "provider_receipt"])
      .where("instalment_id", "in", [p.instalments[1]!.id, p.instalments[2]!.id, p.instalments[3]!.id])
      .orderBy("provider_receipt")
      .execute();
    expect(payments).toEqual([
      { provider: "offline", status: "completed", provider_receipt: "BANK-778/2" },
      { provider: "offline", status: "completed", provider_receipt: "BANK-778/3" },
      { provider: "offline", status: "completed", provider_receipt: "BANK-778/4" },
    ]);
    const version = await ownerDb()
      .selectFrom("policy_versions")
      .selectAll()
      .where("policy_id", "=", p.policyId)
      .where("kind", "=", "reinstatement")
      .executeTakeFirstOrThrow();
    expect(version).toMatchObject({ effective_date: "2026-07-30", premium_delta_minor: 0, reason: "Arrears paid at the branch" });
    const change = await ownerDb()
      .selectFrom("state_changes")
      .select(["from_state", "to_state", "actor_user_id"])
      .where("entity_id", "=", p.policyId)
      .where("event", "=", "reinstate")
      .executeTakeFirstOrThrow();
    expect(change).toEqual({ from_state: "lapsed", to_state: "active", actor_user_id: admin.id });
    // The customer hears they are covered again, with the certificate of the policy as it now stands.
    const notice = await eventually(() =>
      ownerDb()
        .selectFrom("messages")
        .select(["subject", "attachments"])
        .where("tenant_id", "=", agency.id)
        .where("dedupe_key", "=", `policy_reinstated:${version.id}:email`)
        .executeTakeFirst(),
    );
    expect(notice.subject).toContain("is back in force");
    expect(notice.attachments).toHaveLength(1);
  });
});

describe("the staff policy pages over HTTP", () => {
  it("shows a policy's overview, versions and the actions its status allows; another agency's id is not found", async () => {
    const p = await ratedPolicy(agency.id, customer.id, { slug: "term-life", inputs: LIFE, startDate: "2026-01-01" });
    const page = await adminBrowser.get(`/admin/policies/${p.policyId}`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain(p.policyNumber!);
    expect(text).toContain("Version 1: Policy issued");
    expect(page.text).toContain(`href="/admin/policies/${p.policyId}/change"`);
    expect(page.text).toContain(`href="/admin/policies/${p.policyId}/cancel"`);
    expect(page.text).not.toContain(`/admin/policies/${p.policyId}/reinstate`);
    const list = await adminBrowser.get(`/admin/policies?q=${encodeURIComponent(p.policyNumber!)}`);
    expect(list.text).toContain(`href="/admin/policies/${p.policyId}"`);

    for (const path of [
      `/admin/policies/${p.policyId}`,
      `/admin/policies/${p.policyId}/change`,
      `/admin/policies/${p.policyId}/reinstate`,
    ]) {
      expect((await otherAdminBrowser.get(path)).status, path).toBe(404);
    }
    expect((await otherAdminBrowser.post(`/admin/policies/${p.policyId}`, { intent: "reverse", reason: "x" })).status).toBe(404);
    expect(
      (
        await otherAdminBrowser.post(`/admin/policies/${p.policyId}/change`, {
          intent: "price",
          effectiveDate: "2026-08-01",
          sumAssured: "6,000,000",
        })
      ).status,
    ).toBe(404);
    expect((await otherAdminBrowser.post(`/admin/policies/${p.policyId}/reinstate`, { reason: "x" })).status).toBe(404);
    // A customer is not staff.
    expect([403, 404]).toContain((await customerBrowser.get(`/admin/policies/${p.policyId}`)).status);
  });

  it("staff change the cover, see it on the timeline, and reverse it with a reason", async () => {
    const p = await ratedPolicy(agency.id, customer.id, { slug: "term-life", inputs: LIFE, startDate: "2026-01-01" });
    const today = quoteDateIn("Africa/Nairobi");
    const form = { effectiveDate: today, dateOfBirth: "1990-03-01", sumAssured: "4,000,000" };
    const priced = await adminBrowser.post(`/admin/policies/${p.policyId}/change`, { ...form, intent: "price" });
    expect(priced.status, textOf(priced.text).slice(0, 300)).toBe(200);
    expect(textOf(priced.text)).toContain("Premium returned to you");
    const delta = /name="quotedDeltaMinor" value="(-?\d+)"/.exec(priced.text)![1]!;
    const confirmed = await adminBrowser.post(`/admin/policies/${p.policyId}/change`, {
      ...form,
      intent: "confirm",
      quotedDeltaMinor: delta,
    });
    expect(confirmed.status, textOf(confirmed.text).slice(0, 300)).toBe(302);
    const page = await adminBrowser.get(`/admin/policies/${p.policyId}`);
    expect(textOf(page.text)).toContain("Version 2: Cover changed");
    const noReason = await adminBrowser.post(`/admin/policies/${p.policyId}`, { intent: "reverse", reason: "" });
    expect(noReason.status).toBe(400);
    const reversed = await adminBrowser.post(`/admin/policies/${p.policyId}`, { intent: "reverse", reason: "Entered in error" });
    expect(reversed.status).toBe(302);
    const v3 = await ownerDb()
      .selectFrom("policy_versions")
      .selectAll()
      .where("policy_id", "=", p.policyId)
      .where("version", "=", 3)
      .executeTakeFirstOrThrow();
    expect(v3).toMatchObject({
      kind: "reversal",
      reverses_version: 2,
      status: "pending",
      premium_delta_minor: -Number(delta),
      reason: "Entered in error",
    });
    // Nothing more to reverse while it waits: staff may withdraw it instead.
    const withdrawn = await adminBrowser.post(`/admin/policies/${p.policyId}`, { intent: "withdraw", reason: "Customer declined" });
    expect(withdrawn.status).toBe(302);
    expect((await ownerDb().selectFrom("policy_versions").select("status").where("id", "=", v3.id).executeTakeFirstOrThrow()).status).toBe(
      "void",
    );
  });

  it("reinstates through the page: refuses without the arrears' reference, then reinstates", async () => {
    const lapsedOn = addDays(quoteDateIn("Africa/Nairobi"), -10);
    const p = await lapsedPolicy(lapsedOn, ["paid", "overdue"]);
    const page = await adminBrowser.get(`/admin/policies/${p.policyId}/reinstate`);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Instalment 2");
    const refused = await adminBrowser.post(`/admin/policies/${p.policyId}/reinstate`, { reason: "Paid", method: "cash", reference: "" });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain("arrears are not paid");
    const nul = await adminBrowser.post(`/admin/policies/${p.policyId}/reinstate`, {
      reason: "Paid",
      method: "cash",
      reference: "CASH\u00001",
    });
    expect(nul.status).toBe(400);
    expect((await policyRow(p.policyId)).status).toBe("lapsed");
    const done = await adminBrowser.post(`/admin/policies/${p.policyId}/reinstate`, {
      reason: "Paid at the branch",
      method: "cash",
      reference: `CASH-${p.policyId.slice(0, 8)}`,
    });
    expect(done.status, textOf(done.text).slice(0, 300)).toBe(302);
    expect((await policyRow(p.policyId)).status).toBe("active");
    expect(textOf((await adminBrowser.get(`/admin/policies/${p.policyId}`)).text)).toContain("Policy reinstated");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, createUser, ownerDb } from "../support/db";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";

/** An agency's own policy rules: admins set them, field by field; nothing else about the agency changes. */
let tenant: { id: string; slug: string };
let admin: { id: string; email: string };
let staff: { id: string; email: string };

beforeAll(async () => {
  tenant = await createTenant();
  await ownerDb()
    .updateTable("tenants")
    .set({ settings: JSON.stringify({ quoteValidityDays: 14 }) })
    .where("id", "=", tenant.id)
    .execute();
  [admin, staff] = await Promise.all([createUser(tenant.id, { roles: ["admin"] }), createUser(tenant.id, { roles: ["staff"] })]);
});

const settings = async () =>
  (await ownerDb().selectFrom("tenants").select("settings").where("id", "=", tenant.id).executeTakeFirstOrThrow()).settings as Record<
    string,
    unknown
  >;
const storedRules = () => ownerDb().selectFrom("policy_rules").selectAll().where("tenant_id", "=", tenant.id).executeTakeFirst();

describe("policy rules", () => {
  it("shows the defaults, refuses bad values field by field, and saves without touching other settings", async () => {
    const browser = await signIn(hostOf(tenant), admin.email);
    const page = textOf((await browser.get("/admin/policy-rules")).text);
    expect(page).toContain("Grace period (days)");
    expect(page).toContain("Default 30");

    expect(page).toContain("Renewal offers (days before the end date)");
    expect(page).toContain("Default 30, 7");

    const bad = await browser.post("/admin/policy-rules", {
      graceDays: "-1",
      reinstatementDays: "abc",
      reminderDays: "31",
      renewalOfferDays: "30, 0",
      freeLookDays: "91",
    });
    expect(bad.status).toBe(400);
    const errors = textOf(bad.text);
    expect(errors).toContain("Grace period cannot be negative");
    expect(errors).toContain("Reinstatement window: enter a whole number of days");
    expect(errors).toContain("Reminder: at most 30 days");
    expect(errors).toContain("Renewal offers: whole days from 1 to 120");
    expect(errors).toContain("Free-look period: at most 90 days");
    expect(await storedRules()).toBeUndefined();

    const ok = await browser.post("/admin/policy-rules", {
      graceDays: "14",
      reinstatementDays: "60",
      reminderDays: "3",
      renewalOfferDays: "7 30 7",
      freeLookDays: "10",
    });
    expect(ok.status).toBe(302);
    expect(await storedRules()).toMatchObject({
      grace_days: 14,
      reinstatement_days: 60,
      reminder_days: 3,
      renewal_offer_days: [30, 7],
      free_look_days: 10,
    });
    expect(await settings()).toEqual({ quoteValidityDays: 14 });
    // The form shows what was saved.
    expect((await browser.get("/admin/policy-rules")).text).toMatch(/value="14"/);
    expect(await auditRows(tenant.id, "policy.rules_updated")).toHaveLength(1);
    expect(textOf((await browser.get("/admin/policy-rules?saved=1")).text)).toContain("Policy rules saved");
  });

  it("is for administrators only", async () => {
    const browser = await signIn(hostOf(tenant), staff.email);
    expect((await browser.get("/admin/policy-rules")).status).toBe(403);
    const rules = { graceDays: "1", reinstatementDays: "1", reminderDays: "1", renewalOfferDays: "30", freeLookDays: "1" };
    expect((await browser.post("/admin/policy-rules", rules)).status).toBe(403);
  });
});

/**
 * The claims queue and the claim settings over real HTTP (issue 12 item 4): every filter in the URL,
 * the SLA of the open workflow task, the order, the empty states, another agency's claims never
 * shown, and who may open what.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createUser } from "../support/db";
import { Browser } from "../support/http";
import { auditRows, signIn, textOf } from "./accounts-support";
import { browsersFor, claimsAgency, fileTestClaim, setClaimSettings, type ClaimFixture, type ClaimsAgency } from "./claims-office-fixtures";
import { insertPolicy } from "./customer-policies-fixtures";

const HOUR = 3_600_000;
const idsIn = (html: string) => [...html.matchAll(/href="\/admin\/claims\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);

let a: ClaimsAgency;
let b: ClaimsAgency;
let c1: ClaimFixture;
let c2: ClaimFixture;
let c3: ClaimFixture;
let c4: ClaimFixture;
let foreign: ClaimFixture;
let as: Record<"assessor" | "assessor2" | "manager" | "staff" | "admin" | "customer", Browser>;

beforeAll(async () => {
  [a, b] = await Promise.all([claimsAgency(), claimsAgency()]);
  await setClaimSettings(a.tenant.id, { autoAssign: false });
  const now = Date.now();
  c1 = await fileTestClaim(a.tenant.id, {
    policyId: a.policy.policyId,
    claimantUserId: a.customer.id,
    claimType: "accident",
    filedAt: new Date("2026-11-01T09:00:00+03:00"),
    flags: [{ code: "waiting_period", message: "The incident fell within the waiting period." }],
  });
  c2 = await fileTestClaim(a.tenant.id, {
    policyId: a.policy2.policyId,
    claimantUserId: a.customer2.id,
    claimType: "inpatient",
    filedAt: new Date("2026-11-20T09:00:00+03:00"),
  });
  c3 = await fileTestClaim(a.tenant.id, {
    policyId: a.policy.policyId,
    claimantUserId: a.customer.id,
    claimType: "theft",
    filedAt: new Date("2026-12-01T09:00:00+03:00"),
  });
  c4 = await fileTestClaim(a.tenant.id, { policyId: a.policy2.policyId, claimantUserId: a.customer2.id, claimType: "outpatient" });
  const zawadi = await createUser(b.tenant.id, { name: "Zawadi Foreign" });
  const zawadiPolicy = await insertPolicy(b.tenant.id, zawadi.id, { startDate: "2026-01-01" });
  foreign = await fileTestClaim(b.tenant.id, { policyId: zawadiPolicy.policyId, claimantUserId: zawadi.id });

  // Data the filters read: assessors, a settled claim, and open tasks at each point of their SLA.
  await withTenant(a.tenant.id, async (db) => {
    await db.updateTable("claims").set({ assessor_user_id: a.assessor.id }).where("id", "=", c1.id).execute();
    await db.updateTable("claims").set({ assessor_user_id: a.assessor2.id, status: "settled" }).where("id", "=", c3.id).execute();
    const taskOf = (claimId: string) =>
      db
        .selectFrom("workflow_tasks as t")
        .innerJoin("workflow_instances as i", (j) => j.onRef("i.tenant_id", "=", "t.tenant_id").onRef("i.id", "=", "t.instance_id"))
        .select("t.id")
        .where("i.subject_id", "=", claimId)
        .where("t.status", "=", "open")
        .executeTakeFirstOrThrow();
    const setTask = async (claimId: string, startedAt: number, dueAt: number) =>
      db
        .updateTable("workflow_tasks")
        .set({ started_at: new Date(startedAt), due_at: new Date(dueAt) })
        .where("id", "=", (await taskOf(claimId)).id)
        .execute();
    await setTask(c1.id, now - 72 * HOUR, now - 24 * HOUR); // breached a day ago
    await setTask(c2.id, now - 47 * HOUR, now + 1 * HOUR); // in the last quarter of its 48 hours
    await setTask(c4.id, now - 1 * HOUR, now + 47 * HOUR); // on time
  });
  as = await browsersFor(a.tenant.host, {
    assessor: a.assessor,
    assessor2: a.assessor2,
    manager: a.manager,
    staff: a.staff,
    admin: a.admin,
    customer: a.customer,
  });
});

async function queue(browser: Browser, query = "") {
  const res = await browser.get(`/admin/claims${query ? `?${query}` : ""}`);
  expect(res.status, query).toBe(200);
  return { ids: idsIn(res.text), text: textOf(res.text), html: res.text };
}

describe("the claims queue", () => {
  it("lists the open claims, oldest first, with the SLA of each open task, and nothing of another agency", async () => {
    const { ids, text, html } = await queue(as.assessor);
    expect(ids).toEqual([c1.id, c2.id, c4.id]);
    expect(ids).not.toContain(foreign.id);
    expect(text).toContain(c1.number);
    expect(text).toContain("Wanjiku Claimant");
    expect(text).toContain("Kamau Claimant");
    expect(text).toMatch(/3 claims/);
    // c1: 72 hours in the assessment stage of a 48-hour SLA, a day overdue.
    expect(text).toMatch(/3 d in stage · 48 h SLA, overdue by 24 h/);
    expect(html).toContain('class="badge sla-breached">Breached<');
    expect(html).toContain('class="badge sla-due_soon">Due soon<');
    expect(html).toContain('class="badge sla-on_time">On time<');
    expect(html.match(/class="badge badge-pending">Flagged</g)).toHaveLength(1);
    expect(text).not.toContain("Zawadi Foreign");
  });

  it("filters by status, claim type, product and category", async () => {
    expect((await queue(as.assessor, "status=all")).ids).toEqual([c1.id, c2.id, c3.id, c4.id]);
    expect((await queue(as.assessor, "status=settled")).ids).toEqual([c3.id]);
    expect((await queue(as.assessor, "status=all&type=theft")).ids).toEqual([c3.id]);
    expect((await queue(as.assessor, "product=family-medical")).ids).toEqual([c2.id, c4.id]);
    expect((await queue(as.assessor, "category=medical")).ids).toEqual([c2.id, c4.id]);
    expect((await queue(as.assessor, "category=motor")).ids).toEqual([c1.id]);
    expect((await queue(as.assessor, "stage=assessment")).ids).toEqual([c1.id, c2.id, c4.id]);
    expect((await queue(as.assessor, "stage=decision")).ids).toEqual([]);
  });

  it("filters by assessor: unassigned, mine, or one person", async () => {
    expect((await queue(as.assessor, "assessor=unassigned")).ids).toEqual([c2.id, c4.id]);
    expect((await queue(as.assessor, "assessor=mine")).ids).toEqual([c1.id]);
    expect((await queue(as.assessor2, "assessor=mine")).ids).toEqual([]);
    expect((await queue(as.assessor, `status=all&assessor=${a.assessor2.id}`)).ids).toEqual([c3.id]);
  });

  it("filters the flagged claims, by SLA state and by the day they were filed (in the agency's time zone)", async () => {
    expect((await queue(as.assessor, "flagged=yes")).ids).toEqual([c1.id]);
    expect((await queue(as.assessor, "sla=breached")).ids).toEqual([c1.id]);
    expect((await queue(as.assessor, "sla=due_soon")).ids).toEqual([c2.id]);
    expect((await queue(as.assessor, "sla=on_time")).ids).toEqual([c4.id]);
    expect((await queue(as.assessor, "from=2026-11-15&to=2026-11-30")).ids).toEqual([c2.id]);
    // The wrong way round is read the right way round.
    expect((await queue(as.assessor, "status=all&from=2026-12-01&to=2026-11-01")).ids).toEqual([c1.id, c2.id, c3.id]);
  });

  it("searches by claim number or claimant, and orders newest or soonest due first", async () => {
    expect((await queue(as.assessor, "q=Kamau")).ids).toEqual([c2.id, c4.id]);
    expect((await queue(as.assessor, `q=${encodeURIComponent(c1.number)}`)).ids).toEqual([c1.id]);
    expect((await queue(as.assessor, "q=Zawadi")).ids).toEqual([]);
    expect((await queue(as.assessor, "sort=newest")).ids).toEqual([c4.id, c2.id, c1.id]);
    expect((await queue(as.assessor, "sort=due")).ids).toEqual([c1.id, c2.id, c4.id]);
  });

  it("says when nothing matches, and ignores (and says) a filter it cannot read", async () => {
    const none = await queue(as.assessor, "type=theft");
    expect(none.ids).toEqual([]);
    expect(none.text).toContain("No claim matches these filters.");
    const bad = await queue(as.assessor, "sla=late&assessor=nobody&q=%07");
    expect(bad.text).toContain("Part of this search was ignored");
    expect(bad.ids).toEqual([c1.id, c2.id, c4.id]);
    const emptyAgency = await signIn(b.tenant.host, b.assessor.email);
    const res = await emptyAgency.get("/admin/claims?status=settled");
    expect(textOf(res.text)).toContain("No claim matches these filters.");
  });
});

describe("who may open the claims pages", () => {
  it("sends an anonymous visitor to sign in and refuses a customer on every claims page", async () => {
    for (const path of [
      "/admin/claims",
      `/admin/claims/${c1.id}`,
      "/admin/claims/settings",
      "/admin/claims/figures",
      "/admin/claims/figures.csv?table=open",
    ]) {
      const anonymous = await new Browser(a.tenant.host).get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
      expect((await as.customer.get(path)).status, path).toBe(403);
    }
    expect((await as.customer.post(`/admin/claims/${c1.id}`, { intent: "note", body: "hello" })).status).toBe(403);
  });

  it("answers 404 for another agency's claim and for an id that is not one", async () => {
    expect((await as.assessor.get(`/admin/claims/${foreign.id}`)).status).toBe(404);
    expect((await as.admin.post(`/admin/claims/${foreign.id}`, { intent: "note", body: "hello" })).status).toBe(404);
    expect((await as.assessor.get("/admin/claims/not-a-claim")).status).toBe(404);
  });

  it("keeps the settings to admins and the figures to claims managers and admins", async () => {
    expect((await as.assessor.get("/admin/claims/settings")).status).toBe(403);
    expect((await as.manager.get("/admin/claims/settings")).status).toBe(403);
    expect((await as.assessor.post("/admin/claims/settings", { fourEyes: "1", appealDays: "1", graceCoverDays: "0" })).status).toBe(403);
    expect((await as.admin.get("/admin/claims/settings")).status).toBe(200);
    expect((await as.assessor.get("/admin/claims/figures")).status).toBe(403);
    expect((await as.staff.get("/admin/claims/figures")).status).toBe(403);
    expect((await as.manager.get("/admin/claims/figures")).status).toBe(200);
  });

  it("lets staff read the queue and a claim, but not act on it", async () => {
    expect((await queue(as.staff)).ids).toEqual([c1.id, c2.id, c4.id]);
    const page = await as.staff.get(`/admin/claims/${c1.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('value="start_review"');
    expect(page.text).not.toContain('value="note"');
    expect((await as.staff.post(`/admin/claims/${c1.id}`, { intent: "note", body: "hello" })).status).toBe(403);
  });

  it("shows the claims link in the back office to those who may read claims", async () => {
    expect((await as.assessor.get("/admin")).text).toContain('href="/admin/claims"');
    expect((await as.staff.get("/admin")).text).toContain('href="/admin/claims"');
  });
});

describe("claim settings", () => {
  it("refuses bad values by their field and changes nothing", async () => {
    const res = await as.admin.post("/admin/claims/settings", { fourEyes: "-5", appealDays: "400", graceCoverDays: "ten" });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("The four-eyes amount cannot be negative.");
    expect(text).toContain("At most 365 days.");
    expect(text).toMatch(/Enter the days of cover in grace as a whole number/);
    expect(await auditRows(a.tenant.id, "claim.settings_updated")).toHaveLength(0);
  });

  it("saves the four-eyes amount, the appeal and grace days and auto-assignment, audited", async () => {
    const res = await as.admin.post("/admin/claims/settings", { fourEyes: "75,000.50", appealDays: "45", graceCoverDays: "7" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/admin/claims/settings?saved=1");
    const row = await withTenant(a.tenant.id, (db) => db.selectFrom("claim_settings").selectAll().executeTakeFirstOrThrow());
    expect(row).toMatchObject({ four_eyes_minor: 7_500_050, appeal_days: 45, grace_cover_days: 7, auto_assign: false });
    const [audit] = await auditRows(a.tenant.id, "claim.settings_updated");
    expect(audit?.actor_user_id).toBe(a.admin.id);
    const page = await as.admin.get("/admin/claims/settings?saved=1");
    expect(textOf(page.text)).toContain("Claim settings saved");
    expect(page.text).toContain('value="75000.50"');
  });
});

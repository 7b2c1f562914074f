import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { openDispute } from "~/modules/commissions/disputes.server";
import { addMonthsTo, monthLabel, monthOf } from "~/modules/commissions/months";
import { encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { addDays, quoteDateIn } from "~/modules/rating/dates";
import { createTenant, createUser, eventually, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { insertProduct } from "./admin-payments-fixtures";
import { insertAgent, insertRules, insertSale, KL, networkTenant, record, seenOf, tierFields, tiers } from "./commissions-support";

/**
 * The commissions back office over HTTP: the rules editor (new versions from a day on, never in
 * the past, field errors, the live preview to the cent), the ledger (filters, totals, pages, CSV),
 * month close and payouts, disputes, permissions and tenant isolation.
 */

const text = (html: string) => textOf(html).replace(/\u00a0/g, " ");
const HIBAH = JSON.parse(readFileSync("tenants/khholdings/catalogue.json", "utf8")).products.find(
  (p: { slug: string }) => p.slug === "hibah-senior-care-gold-270",
) as { name: string; rating: unknown };

let tenant: { id: string; slug: string };
let admin: { id: string; email: string };
let staff: { id: string; email: string };
let agentUser: { id: string; email: string };
let productId: string;
let adminBrowser: Browser;
let staffBrowser: Browser;

async function hibahProduct(tenantId: string) {
  const p = await insertProduct(tenantId, { name: HIBAH.name });
  await ownerDb()
    .updateTable("products")
    .set({ rating: JSON.stringify(HIBAH.rating) })
    .where("id", "=", p.id)
    .execute();
  return p.id;
}

const rulesOf = (tenantId: string, id: string) =>
  ownerDb()
    .selectFrom("commission_rules as r")
    .innerJoin("commission_rule_versions as v", (join) => join.onRef("v.tenant_id", "=", "r.tenant_id").onRef("v.id", "=", "r.version_id"))
    .select([
      "r.frequency",
      "r.tier",
      "r.kind",
      "r.amount_minor",
      "r.rate_bp",
      "r.cap_minor",
      "r.requires_active",
      "r.min_personal_sales",
      "v.effective_at",
    ])
    .where("r.tenant_id", "=", tenantId)
    .where("r.product_id", "=", id)
    .orderBy("v.effective_at")
    .orderBy("r.tier")
    .execute();

/** The instant a wall-clock time in Kuala Lumpur (UTC+8, no daylight saving) stands for. */
const klInstant = (local: string) => new Date(`${local}:00+08:00`);
const SINCE_2020 = klInstant("2020-01-01T00:00");

const agentNumberOf = async (agentId: string) =>
  (await ownerDb().selectFrom("agents").select("agent_number").where("id", "=", agentId).executeTakeFirstOrThrow()).agent_number;

beforeAll(async () => {
  tenant = await networkTenant();
  [admin, staff, agentUser] = await Promise.all([
    createUser(tenant.id, { roles: ["admin"] }),
    createUser(tenant.id, { roles: ["staff"] }),
    createUser(tenant.id, { roles: ["agent"] }),
  ]);
  productId = await hibahProduct(tenant.id);
  await insertRules(tenant.id, productId, "monthly", tiers(1111, 222, 222, 111, 83), "2020-01-01");
  adminBrowser = await signIn(hostOf(tenant), admin.email);
  staffBrowser = await signIn(hostOf(tenant), staff.email);
});

describe("the rules editor", () => {
  it("previews a RM150 monthly Hibah Gold 270 sale to the cent under the seeded KHHoldings rules", async () => {
    const kh = await ownerDb().selectFrom("tenants").select("id").where("slug", "=", "khholdings").executeTakeFirstOrThrow();
    const hibah = await ownerDb()
      .selectFrom("products")
      .select("id")
      .where("tenant_id", "=", kh.id)
      .where("slug", "=", "hibah-senior-care-gold-270")
      .executeTakeFirstOrThrow();
    const browser = await signIn("khholdings.localhost", "admin@khholdings.demo", "Demo#2026pass");
    const res = await browser.get(`/admin/commission-rules/${hibah.id}?frequency=monthly`);
    expect(res.status).toBe(200);
    const page = text(res.text);
    const sentence =
      "A RM 150.00 monthly Hibah Senior Care Gold 270 sale pays T1 RM 16.67, T2 RM 3.33, T3 RM 3.33, T4 RM 1.67, T5 RM 1.25.";
    // Once for the rules in force, once for the editor's draft (the same rules until changed).
    expect(page.split(sentence).length - 1).toBe(2);
    expect(page).toContain("In force now · Monthly T1 11.11% T2 2.22% T3 2.22% T4 1.11% T5 0.83%");
    // Another sale amount, typed into the preview form.
    expect(text((await browser.get(`/admin/commission-rules/${hibah.id}?frequency=monthly&base=210`)).text)).toContain(
      "A RM 210.00 monthly Hibah Senior Care Gold 270 sale pays T1 RM 23.33, T2 RM 4.66, T3 RM 4.66, T4 RM 2.33, T5 RM 1.74.",
    );

    const index = text((await browser.get("/admin/commission-rules")).text);
    // Each product's rules in force, per frequency ("Monthly : T1 …": the link's text, then the summary).
    expect(index).toMatch(/Hibah Senior Care Gold 270 .*Monthly ?: T1 11\.11% · T2 2\.22% · T3 2\.22% · T4 1\.11% · T5 0\.83%/);
    expect(index).toMatch(/Medical Card Sold annually Annually ?: T1 RM 10\.00 · T2 RM 2\.00 · T3 RM 2\.00 · T4 RM 1\.00 · T5 RM 0\.75/);
    expect(index).toMatch(/Road Tax Sold annually Annually ?: T1 50% · T2 10% · T3 10%/);
  });

  it("schedules a version from a later time, previews it beside the one in force, and audits it; saving from now replaces it", async () => {
    const startsAt = `${addDays(quoteDateIn(KL), 1)}T09:00`;
    const res = await adminBrowser.post(`/admin/commission-rules/${productId}`, {
      intent: "save",
      frequency: "monthly",
      seen: await seenOf(adminBrowser, productId),
      start: "later",
      startsAt,
      ...tierFields([
        { kind: "percent", rate: "12.5" },
        { kind: "fixed", amount: "3", cap: "100", active: false, minSales: "2" },
      ]),
    });
    expect(res.status, text(res.text).slice(0, 600)).toBe(302);
    expect(res.location).toMatch(new RegExp(`^/admin/commission-rules/${productId}\\?frequency=monthly&saved=[0-9a-f-]{36}$`));
    const rules = await rulesOf(tenant.id, productId);
    // The version in force is left as it was: it ends when the next one starts.
    expect(rules.filter((r) => r.effective_at.getTime() === SINCE_2020.getTime()).map((r) => r.rate_bp)).toEqual([1111, 222, 222, 111, 83]);
    expect(rules.filter((r) => r.effective_at.getTime() === klInstant(startsAt).getTime())).toEqual([
      expect.objectContaining({
        tier: 1,
        kind: "percent",
        rate_bp: 1250,
        amount_minor: null,
        cap_minor: null,
        requires_active: true,
        min_personal_sales: 0,
      }),
      expect.objectContaining({
        tier: 2,
        kind: "fixed",
        rate_bp: null,
        amount_minor: 300,
        cap_minor: 10_000,
        requires_active: false,
        min_personal_sales: 2,
      }),
    ]);
    const audit = await auditRows(tenant.id, "commission.rules_saved", productId);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ frequency: "monthly", effectiveAt: klInstant(startsAt).toISOString(), scheduled: true });

    const page = text((await adminBrowser.get(res.location!)).text);
    expect(page).toContain("Rules saved");
    expect(page).toMatch(/The new rules apply to payments completed from \d+ \w+ \d{4}, 9:00/);
    expect(page).toMatch(/T1 12\.5% · T2 RM 3\.00 .*Scheduled/);
    expect(page).toMatch(/T1 11\.11% · T2 2\.22% · T3 2\.22% · T4 1\.11% · T5 0\.83% .*In force/);
    // Now the old rules still pay; from the scheduled time, the new ones will.
    expect(page).toContain("In force now · Monthly");
    expect(page).toContain("pays T1 RM 16.67, T2 RM 3.33, T3 RM 3.33, T4 RM 1.67, T5 RM 1.25.");
    expect(page).toMatch(
      /Scheduled from \d+ \w+ \d{4}, 9:00 .*A RM 150\.00 monthly Hibah Senior Care Gold 270 sale pays T1 RM 18\.75, T2 RM 3\.00\./,
    );

    // Saving from now withdraws the unused scheduled version; the one in force is untouched.
    const before = Date.now();
    const again = await adminBrowser.post(`/admin/commission-rules/${productId}`, {
      intent: "save",
      frequency: "monthly",
      seen: await seenOf(adminBrowser, productId),
      start: "now",
      ...tierFields([
        { kind: "percent", rate: "11.11" },
        { kind: "percent", rate: "2.22" },
        { kind: "percent", rate: "2.22" },
        { kind: "percent", rate: "1.11" },
        { kind: "percent", rate: "0.83" },
      ]),
    });
    expect(again.status).toBe(302);
    const after = await rulesOf(tenant.id, productId);
    expect(after.filter((r) => r.effective_at.getTime() === klInstant(startsAt).getTime())).toEqual([]);
    expect(after.filter((r) => r.effective_at.getTime() === SINCE_2020.getTime()).map((r) => r.rate_bp)).toEqual([1111, 222, 222, 111, 83]);
    const now = after.filter((r) => r.effective_at.getTime() !== SINCE_2020.getTime());
    expect(now.map((r) => r.rate_bp)).toEqual([1111, 222, 222, 111, 83]);
    expect(now[0]!.effective_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(now[0]!.effective_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("refuses a start in the past and bad amounts with field errors, saving nothing", async () => {
    const before = await rulesOf(tenant.id, productId);
    const past = await adminBrowser.post(`/admin/commission-rules/${productId}`, {
      intent: "save",
      frequency: "monthly",
      seen: await seenOf(adminBrowser, productId),
      start: "later",
      startsAt: `${addDays(quoteDateIn(KL), -1)}T09:00`,
      ...tierFields([{ kind: "percent", rate: "10" }]),
    });
    expect(past.status).toBe(400);
    expect(text(past.text)).toContain("past payments keep the rules they were earned under");
    expect(past.text).toMatch(/aria-invalid="true"[^>]*name="startsAt"|name="startsAt"[^>]*aria-invalid="true"/);
    const missing = await adminBrowser.post(`/admin/commission-rules/${productId}`, {
      intent: "save",
      frequency: "monthly",
      start: "later",
      ...tierFields([{ kind: "percent", rate: "10" }]),
    });
    expect(missing.status).toBe(400);
    expect(text(missing.text)).toContain("Choose the date and time the new rules start.");

    const bad = await adminBrowser.post(`/admin/commission-rules/${productId}`, {
      intent: "save",
      frequency: "monthly",
      start: "now",
      ...tierFields([
        { kind: "percent", rate: "11.111" },
        { kind: "percent", rate: "abc" },
        { kind: "percent", rate: "150" },
        { kind: "fixed" },
        { kind: "fixed", amount: "2.505" },
      ]),
    });
    expect(bad.status).toBe(400);
    const errors = text(bad.text);
    expect(errors).toContain("Use at most two decimals (11.11%).");
    expect(errors).toContain("Enter a percentage such as 11.11.");
    expect(errors).toContain("A rate is at most 100%.");
    expect(errors).toContain("Enter the amount this tier pays (MYR).");
    expect(errors).toContain("The amount: use at most two decimals.");
    // What was typed comes back.
    expect(bad.text).toContain('value="11.111"');
    expect(await rulesOf(tenant.id, productId)).toEqual(before);
  });

  it("adds a tier and previews a draft without JavaScript, without saving", async () => {
    const before = await rulesOf(tenant.id, productId);
    const fields = {
      frequency: "monthly",
      start: "now",
      seen: await seenOf(adminBrowser, productId),
      base: "150",
      ...tierFields([{ kind: "percent", rate: "10" }]),
    };
    const added = await adminBrowser.post(`/admin/commission-rules/${productId}`, {
      ...fields,
      __intent__: JSON.stringify({ type: "insert", payload: { name: "tiers" } }),
    });
    expect(added.status).toBe(200);
    expect(added.text).toContain('name="tiers[1].kind"');
    expect(added.text).not.toContain('name="tiers[2].kind"');

    const preview = await adminBrowser.post(`/admin/commission-rules/${productId}`, {
      ...fields,
      ...tierFields([
        { kind: "percent", rate: "10" },
        { kind: "fixed", amount: "2.50" },
      ]),
      intent: "preview",
    });
    expect(preview.status).toBe(200);
    const page = text(preview.text);
    expect(page).toContain("Preview only: nothing is saved");
    expect(page).toContain("A RM 150.00 monthly Hibah Senior Care Gold 270 sale pays T1 RM 15.00, T2 RM 2.50.");
    expect(await rulesOf(tenant.id, productId)).toEqual(before);
  });
});

describe("the ledger", () => {
  let seller: string;
  let sponsor: string;
  let sellerNumber: string;

  beforeAll(async () => {
    sponsor = await insertAgent(tenant.id, null, "active", '=HYPERLINK("http://evil")');
    seller = await insertAgent(tenant.id, sponsor, "active", "Siti Ledger");
    sellerNumber = await agentNumberOf(seller);
    const sales = [];
    for (let i = 0; i < 13; i++)
      sales.push(await insertSale(tenant.id, { agentId: seller, productId, frequency: "monthly", amountMinor: 15_000 }));
    // Tiers 1 and 2 only: the chain is two agents deep.
    expect(
      await record(
        tenant.id,
        sales.map((s) => s.transactionId),
      ),
    ).toBe(26);
  });

  it("lists entries 25 a page with totals, filtered by the URL", async () => {
    const first = await staffBrowser.get("/admin/commissions");
    expect(first.status).toBe(200);
    const page1 = text(first.text);
    expect(page1).toContain("26 Entries");
    expect(page1).toContain("RM 260.00 Net total"); // 13 × (RM 16.67 + RM 3.33)
    expect((first.text.match(/<tr/g) ?? []).length).toBe(26); // header + 25
    const second = await staffBrowser.get("/admin/commissions?page=2");
    expect((second.text.match(/<tr/g) ?? []).length).toBe(2);

    const tier1 = text((await staffBrowser.get(`/admin/commissions?agent=${sellerNumber}&tier=1`)).text);
    expect(tier1).toContain("13 Entries");
    expect(tier1).toContain("RM 216.71 Net total");
    expect(tier1).not.toContain("HYPERLINK");

    const byName = text((await staffBrowser.get("/admin/commissions?agent=siti%20ledger&status=pending&kind=earning")).text);
    expect(byName).toContain("13 Entries");

    const none = text((await staffBrowser.get("/admin/commissions?kind=clawback")).text);
    expect(none).toContain("No entry matches these filters.");
    // A bad filter value is ignored, never an error.
    expect((await staffBrowser.get("/admin/commissions?tier=99&month=nope&product=x")).status).toBe(200);
  });

  it("exports the filter as a formula-safe CSV", async () => {
    const res = await staffBrowser.get(`/admin/commissions.csv?tier=2`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toContain(`${tenant.slug}-commissions-`);
    const lines = res.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toContain("Agent number,Agent name,Kind,Status,Tier");
    expect(lines).toHaveLength(1 + 13);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[1]).toContain(",Earning,Pending,2,");
    expect(lines[1]).toContain(",3.33,MYR,");
    expect(lines[1]).toContain(`,${sellerNumber},`);
  });
});

describe("months and payouts", () => {
  let closeTenant: { id: string; slug: string };
  let browser: Browser;
  let month: string;
  let paidAgentNumber: string;
  let staffBrowser2: Browser;

  beforeAll(async () => {
    closeTenant = await networkTenant();
    const [owner, staffer] = await Promise.all([
      createUser(closeTenant.id, { roles: ["admin"] }),
      createUser(closeTenant.id, { roles: ["staff"] }),
    ]);
    browser = await signIn(hostOf(closeTenant), owner.email);
    staffBrowser2 = await signIn(hostOf(closeTenant), staffer.email);
    const product = await hibahProduct(closeTenant.id);
    await insertRules(closeTenant.id, product, "monthly", tiers(1111, 222), "2020-01-01");
    const sponsor = await insertAgent(closeTenant.id, null, "active", "No Bank Sponsor");
    const seller = await insertAgent(closeTenant.id, sponsor, "active", "Banked Seller");
    paidAgentNumber = await agentNumberOf(seller);
    await ownerDb()
      .updateTable("agents")
      .set({
        bank_name: "Maybank",
        bank_account_holder: "Banked Seller",
        bank_account_ciphertext: encryptPii("5140 1234 5678", {
          key: piiKeysFromEnv(),
          context: piiContext(closeTenant.id, "bank_account"),
        }),
        bank_account_masked: "********5678",
      })
      .where("id", "=", seller)
      .execute();
    month = addMonthsTo(monthOf(new Date(), KL), -1);
    const at = new Date(`${month.slice(0, 8)}15T04:00:00Z`);
    const sale = await insertSale(closeTenant.id, { agentId: seller, productId: product, frequency: "monthly", amountMinor: 15_000, at });
    expect(await record(closeTenant.id, [sale.transactionId])).toBe(2);
  });
  it("previews the close with held payouts, then closes once after a confirmation", async () => {
    const slug = month.slice(0, 7);
    const list = text((await browser.get("/admin/commissions/months")).text);
    expect(list).toContain(`${monthLabel(month)} Ready to close`);

    const preview = text((await browser.get(`/admin/commissions/months/${slug}`)).text);
    expect(preview).toContain("Ready to close");
    expect(preview).toContain("RM 16.67");
    expect(preview).toContain("Held: No bank details");
    expect(preview).toContain("RM 16.67 To pay out (1 agent)");
    expect(preview).not.toContain(`Close ${monthLabel(month)}?`);

    const confirm = text((await browser.get(`/admin/commissions/months/${slug}?confirm=close`)).text);
    expect(confirm).toContain(`Close ${monthLabel(month)}?`);
    expect(confirm).toContain("2 pending entries are approved");
    expect(confirm).toContain("A payout batch of RM 16.67 to 1 agent is built for the bank.");

    // Staff may look but not close.
    expect((await staffBrowser2.post(`/admin/commissions/months/${slug}`, { intent: "close" })).status).toBe(403);

    const closed = await browser.post(`/admin/commissions/months/${slug}`, { intent: "close" });
    expect(closed.status, text(closed.text).slice(0, 400)).toBe(302);
    expect(closed.location).toBe(`/admin/commissions/months/${slug}?notice=closed`);
    expect(await auditRows(closeTenant.id, "commission.month_closed", month)).toHaveLength(1);

    const twice = await browser.post(`/admin/commissions/months/${slug}`, { intent: "close" });
    expect(twice.status).toBe(409);
    expect(text(twice.text)).toContain(`${monthLabel(month)} is already closed.`);

    // The current month has not ended: a clear refusal, not an error page.
    const current = monthOf(new Date(), KL).slice(0, 7);
    const early = await browser.post(`/admin/commissions/months/${current}`, { intent: "close" });
    expect(early.status).toBe(409);
    expect(text(early.text)).toContain("has not ended yet");
    expect((await browser.get("/admin/commissions/months/2026-13")).status).toBe(404);
  });

  it("downloads the bank file and marks the batch paid after a confirmation", async () => {
    const slug = month.slice(0, 7);
    const batch = await ownerDb()
      .selectFrom("payout_batches")
      .selectAll()
      .where("tenant_id", "=", closeTenant.id)
      .executeTakeFirstOrThrow();
    const page = text((await browser.get(`/admin/commissions/months/${slug}`)).text);
    expect(page).toContain("Download bank-transfer CSV");
    expect(page).toContain(`${batch.reference} · 1 payout · RM 16.67`);

    const csv = await browser.get(`/admin/commissions/payouts/${batch.id}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.text).toContain("Account number");
    expect(csv.text).toContain(`${paidAgentNumber},Banked Seller,Maybank,Banked Seller,5140 1234 5678,16.67,MYR`);
    expect(await auditRows(closeTenant.id, "commission.payout_file_downloaded", batch.id)).toHaveLength(1);
    // Staff read commissions but do not pay: no bank file for them.
    expect((await staffBrowser2.get(`/admin/commissions/payouts/${batch.id}.csv`)).status).toBe(403);

    expect(text((await browser.get(`/admin/commissions/months/${slug}?confirm=pay`)).text)).toContain(`Mark ${batch.reference} paid?`);
    const paid = await browser.post(`/admin/commissions/months/${slug}`, { intent: "pay", batchId: batch.id });
    expect(paid.status).toBe(302);
    // The worker moves the batch's entries: the seller's entry is paid; the sponsor's (no bank
    // details) stays approved, carried forward.
    const entries = await eventually(async () => {
      const rows = await ownerDb().selectFrom("commission_entry_states").select("status").where("tenant_id", "=", closeTenant.id).execute();
      return rows.some((e) => e.status === "paid") && rows;
    });
    expect(entries.map((e) => e.status).sort()).toEqual(["approved", "paid"]);
    expect(await auditRows(closeTenant.id, "commission.batch_paid", batch.id)).toHaveLength(1);

    const again = await browser.post(`/admin/commissions/months/${slug}`, { intent: "pay", batchId: batch.id });
    expect(again.status).toBe(409);
    expect(text(again.text)).toContain("This batch is already marked paid.");
  });
});

describe("disputes", () => {
  let disputeId: string;
  let secondId: string;
  let entryAmount: number;

  beforeAll(async () => {
    const sponsor = await insertAgent(tenant.id, null, "active", "Dispute Sponsor");
    const seller = await insertAgent(tenant.id, sponsor, "active", "Dispute Seller");
    const sale = await insertSale(tenant.id, { agentId: seller, productId, frequency: "monthly", amountMinor: 15_000 });
    await record(tenant.id, [sale.transactionId]);
    const entries = await ownerDb()
      .selectFrom("commission_entries")
      .select(["id", "amount_minor", "tier"])
      .where("transaction_id", "=", sale.transactionId)
      .orderBy("tier")
      .execute();
    const userOf = async (agentId: string) =>
      (await ownerDb().selectFrom("agents").select("user_id").where("id", "=", agentId).executeTakeFirstOrThrow()).user_id;
    const sellerUser = await userOf(seller);
    const sponsorUser = await userOf(sponsor);
    entryAmount = entries[0]!.amount_minor;
    const [first, second] = await withTenant(tenant.id, async (db) => [
      await openDispute(db, { entryId: entries[0]!.id, agentId: seller, userId: sellerUser, reason: "I sold this at RM180, not RM150." }),
      await openDispute(db, { entryId: entries[1]!.id, agentId: sponsor, userId: sponsorUser, reason: "Should be more than this." }),
    ]);
    if (!first!.ok || !second!.ok) throw new Error("fixture disputes not opened");
    disputeId = first!.disputeId;
    secondId = second!.disputeId;
  });

  it("lists open disputes, shows the thread to staff, and lets only administrators answer", async () => {
    const list = text((await staffBrowser.get("/admin/commissions/disputes?status=open")).text);
    expect(list).toContain("I sold this at RM180, not RM150.");
    const thread = await staffBrowser.get(`/admin/commissions/disputes/${disputeId}`);
    expect(thread.status).toBe(200);
    expect(text(thread.text)).toContain("Dispute Seller");
    expect(text(thread.text)).not.toContain("Review resolution");
    expect((await staffBrowser.post(`/admin/commissions/disputes/${disputeId}`, { intent: "reply", body: "Looking" })).status).toBe(403);

    const empty = await adminBrowser.post(`/admin/commissions/disputes/${disputeId}`, { intent: "reply", body: "  " });
    expect(empty.status).toBe(400);
    expect(text(empty.text)).toContain("Write a message");
    const reply = await adminBrowser.post(`/admin/commissions/disputes/${disputeId}`, {
      intent: "reply",
      body: "Checking the payment now.",
    });
    expect(reply.status).toBe(302);
    expect(text((await adminBrowser.get(`/admin/commissions/disputes/${disputeId}`)).text)).toContain("Checking the payment now.");
  });

  it("adjusts an entry to a corrected amount after a confirmation", async () => {
    const missing = await adminBrowser.post(`/admin/commissions/disputes/${disputeId}`, {
      intent: "review-resolve",
      decision: "adjust",
      resolution: "Base was RM180.",
    });
    expect(missing.status).toBe(400);
    expect(text(missing.text)).toContain("Enter what the entry should have been (MYR).");

    const review = await adminBrowser.post(`/admin/commissions/disputes/${disputeId}`, {
      intent: "review-resolve",
      decision: "adjust",
      corrected: "20.00",
      resolution: "Base was RM180.",
    });
    expect(review.status).toBe(200);
    expect(text(review.text)).toContain(`Correct RM ${(entryAmount / 100).toFixed(2)} to RM 20.00?`);
    // Nothing moved yet.
    expect(
      (await ownerDb().selectFrom("commission_disputes").select("status").where("id", "=", disputeId).executeTakeFirstOrThrow()).status,
    ).toBe("open");

    const done = await adminBrowser.post(`/admin/commissions/disputes/${disputeId}`, {
      intent: "confirm-resolve",
      decision: "adjust",
      corrected: "20.00",
      resolution: "Base was RM180.",
    });
    expect(done.status).toBe(302);
    const dispute = await ownerDb().selectFrom("commission_disputes").selectAll().where("id", "=", disputeId).executeTakeFirstOrThrow();
    expect(dispute.status).toBe("adjusted");
    const adjusting = await ownerDb()
      .selectFrom("commission_entries")
      .selectAll()
      .where("id", "=", dispute.adjusting_entry_id!)
      .executeTakeFirstOrThrow();
    expect(adjusting).toMatchObject({ kind: "adjustment", amount_minor: 2000 });
    expect(await auditRows(tenant.id, "commission.dispute_adjusted", disputeId)).toHaveLength(1);
    const page = text((await adminBrowser.get(`/admin/commissions/disputes/${disputeId}`)).text);
    expect(page).toContain("Corrected to RM 20.00");
    expect(page).not.toContain("Review resolution");
  });

  it("rejects with a note", async () => {
    const noNote = await adminBrowser.post(`/admin/commissions/disputes/${secondId}`, {
      intent: "review-resolve",
      decision: "reject",
      resolution: "",
    });
    expect(noNote.status).toBe(400);
    expect(text(noNote.text)).toContain("Explain the decision: the agent reads it.");
    const done = await adminBrowser.post(`/admin/commissions/disputes/${secondId}`, {
      intent: "confirm-resolve",
      decision: "reject",
      resolution: "Tier 2 is 2.22%.",
    });
    expect(done.status).toBe(302);
    expect(
      (await ownerDb().selectFrom("commission_disputes").select("status").where("id", "=", secondId).executeTakeFirstOrThrow()).status,
    ).toBe("rejected");
  });
});

describe("access", () => {
  it("lets staff read the rules but not change them; agents get nothing", async () => {
    const page = await staffBrowser.get(`/admin/commission-rules/${productId}`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain("Only an administrator can change the rules.");
    expect(page.text).not.toContain("Save new rules");
    expect(
      (
        await staffBrowser.post(`/admin/commission-rules/${productId}`, {
          intent: "save",
          frequency: "monthly",
          start: "now",
        })
      ).status,
    ).toBe(403);
    expect((await staffBrowser.get("/admin/commission-rules")).status).toBe(200);

    const agent = await signIn(hostOf(tenant), agentUser.email);
    for (const path of [
      "/admin/commission-rules",
      `/admin/commission-rules/${productId}`,
      "/admin/commissions",
      "/admin/commissions.csv",
      "/admin/commissions/disputes",
    ])
      expect((await agent.get(path)).status, path).toBe(403);
  });

  it("answers 404 where the network is off, and for another tenant's ids", async () => {
    const plain = await createTenant();
    const plainAdmin = await createUser(plain.id, { roles: ["admin"] });
    const plainBrowser = await signIn(hostOf(plain), plainAdmin.email);
    for (const path of ["/admin/commission-rules", "/admin/commissions", "/admin/commissions.csv", "/admin/commissions/months"])
      expect((await plainBrowser.get(path)).status, path).toBe(404);

    const other = await networkTenant();
    const otherAdmin = await createUser(other.id, { roles: ["admin"] });
    const otherBrowser = await signIn(hostOf(other), otherAdmin.email);
    const dispute = await ownerDb()
      .selectFrom("commission_disputes")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .executeTakeFirstOrThrow();
    const batch = await ownerDb().selectFrom("payout_batches").select(["id", "month"]).executeTakeFirstOrThrow();
    expect((await otherBrowser.get(`/admin/commission-rules/${productId}`)).status).toBe(404);
    expect(
      (
        await otherBrowser.post(`/admin/commission-rules/${productId}`, {
          intent: "save",
          frequency: "monthly",
          start: "now",
        })
      ).status,
    ).toBe(404);
    expect((await otherBrowser.get(`/admin/commissions/disputes/${dispute.id}`)).status).toBe(404);
    expect((await otherBrowser.post(`/admin/commissions/disputes/${dispute.id}`, { intent: "reply", body: "hi" })).status).toBe(404);
    expect((await otherBrowser.get(`/admin/commissions/payouts/${batch.id}.csv`)).status).toBe(404);
    expect(
      (await otherBrowser.post(`/admin/commissions/months/${batch.month.slice(0, 7)}`, { intent: "pay", batchId: batch.id })).status,
    ).toBe(404);
    expect(text((await otherBrowser.get("/admin/commissions")).text)).toContain("No commission yet.");
  });
});

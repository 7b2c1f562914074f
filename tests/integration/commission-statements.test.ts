/**
 * Monthly commission statements (issue 5, item 6): the PDF per agent after a close, read back the
 * way an agent's viewer reads it (pdfjs-dist), its stored file and key, and the jobs that fan a
 * month out into one render job per statement. Ledger earnings come from the real ledger writer
 * (commissions-support.ts); the close's rows (month, statements, payout batch) and the corrections
 * (clawback, cap, adjustment) are written straight into the tables, so each test decides exactly
 * what a statement holds.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type TenantDb } from "~db/client";
import type { Frequency } from "~db/schema";
import { commissionStatementsTask, queueStatementRenders } from "~/jobs/commissions-statements";
import { formatMoney } from "~/lib/money";
import { closeMonth } from "~/modules/commissions/close.server";
import { renderStatement, statementKey, statementsToRender } from "~/modules/commissions/statements.server";
import { documentTenantOf } from "~/modules/documents/pdf-theme.server";
import { MAX_LISTED_ENTRIES, renderStatementPdf, type StatementEntry } from "~/modules/documents/statement.server";
import { LocalFileStore } from "~/modules/files/storage.server";
import { encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { maskIdentifier } from "~/modules/pii/identifiers";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { eventually, ownerDb } from "../support/db";
import { insertAgent, insertRules, insertSale, networkTenant, product, record, tiers } from "./commissions-support";

const OCTOBER = "2026-10-01";
const SEPTEMBER = "2026-09-01";
/** 10:00 in Kuala Lumpur on a day of October 2026. */
const octoberDay = (day: number) => new Date(Date.UTC(2026, 9, day, 2, 0, 0));
const BANK_ACCOUNT = "5512 3456 7890";

let filesDir: string;
let files: LocalFileStore;

beforeAll(async () => {
  filesDir = await mkdtemp(path.join(tmpdir(), "covera-statements-"));
  files = new LocalFileStore(filesDir);
});

afterAll(async () => {
  await rm(filesDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Reading PDFs back

async function parsePdf(buffer: Buffer): Promise<{ pages: number; text: string; lines: string[] }> {
  const doc = await getDocument({
    data: new Uint8Array(buffer),
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: path.resolve("node_modules/pdfjs-dist/standard_fonts") + "/",
    verbosity: 0,
  }).promise;
  try {
    const lines: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let line = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(normalise(line));
          line = "";
        }
      }
      if (line) lines.push(normalise(line));
    }
    return { pages: doc.numPages, text: normalise(lines.join(" ")), lines: lines.filter(Boolean) };
  } finally {
    await doc.destroy();
  }
}

const normalise = (s: string) => s.replace(/\s+/g, " ").trim();
const rm_ = (minor: number) => normalise(formatMoney(minor, "MYR", "en-MY"));

// ---------------------------------------------------------------------------------------------
// Fixtures

async function agentNumber(tenantId: string, agentId: string): Promise<string> {
  const row = await ownerDb()
    .selectFrom("agents")
    .select("agent_number")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", agentId)
    .executeTakeFirstOrThrow();
  return row.agent_number;
}

async function giveBankDetails(tenantId: string, agentId: string, account: string) {
  const key = piiKeysFromEnv();
  const context = piiContext(tenantId, "bank_account");
  await withTenant(tenantId, (db) =>
    db
      .updateTable("agents")
      .set({
        bank_name: "Maybank",
        bank_account_ciphertext: encryptPii(account.replace(/\D/g, ""), { key, context }),
        bank_account_masked: maskIdentifier("bank_account", account.replace(/\D/g, "")),
        bank_account_holder: "Siti Aminah binti Hassan",
      })
      .where("id", "=", agentId)
      .execute(),
  );
}

async function sales(
  tenantId: string,
  agentId: string,
  productId: string,
  frequency: Frequency,
  amountMinor: number,
  count: number,
  at: (i: number) => Date,
) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await insertSale(tenantId, { agentId, productId, frequency, amountMinor, at: at(i) })).transactionId);
  await record(tenantId, ids);
  return ids;
}

function entryOf(db: TenantDb, where: { agentId: string; month?: string; tier?: number; productId?: string }) {
  let q = db
    .selectFrom("commission_entries")
    .selectAll()
    .where("agent_id", "=", where.agentId)
    .where("month", "=", where.month ?? OCTOBER)
    .where("kind", "=", "earning");
  if (where.tier) q = q.where("tier", "=", where.tier);
  if (where.productId) q = q.where("product_id", "=", where.productId);
  return q.orderBy("earned_at").execute();
}

/** What the close writes, written directly: the month, the batch, one statement per agent with its payout. */
async function closeRows(
  tenantId: string,
  month: string,
  statements: { agentId: string; earnedMinor: number; payableMinor: number }[],
  batch?: { reference: string; payouts: { agentId: string; amountMinor: number }[] },
): Promise<Record<string, string>> {
  return withTenant(tenantId, async (db) => {
    await db
      .insertInto("commission_months")
      .values({
        month,
        entries_count: 0,
        agents_count: statements.length,
        total_minor: 0,
        currency: "MYR",
        closed_at: new Date("2026-11-01T01:00:00Z"),
      })
      .execute();
    const payoutOf: Record<string, string> = {};
    if (batch) {
      const b = await db
        .insertInto("payout_batches")
        .values({
          month,
          reference: batch.reference,
          payouts_count: batch.payouts.length,
          total_minor: batch.payouts.reduce((t, p) => t + p.amountMinor, 0),
          currency: "MYR",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const p of batch.payouts) {
        const payout = await db
          .insertInto("payouts")
          .values({ batch_id: b.id, agent_id: p.agentId, amount_minor: p.amountMinor })
          .returning("id")
          .executeTakeFirstOrThrow();
        payoutOf[p.agentId] = payout.id;
      }
    }
    // The agent-month's state is its statement's payout (decision 011): nothing is written on the entries.
    const ids: Record<string, string> = {};
    for (const s of statements) {
      const count = await db
        .selectFrom("commission_entries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("agent_id", "=", s.agentId)
        .where("month", "=", month)
        .executeTakeFirstOrThrow();
      const row = await db
        .insertInto("commission_statements")
        .values({
          month,
          agent_id: s.agentId,
          earned_minor: s.earnedMinor,
          payable_minor: s.payableMinor,
          entries_count: Number(count.n),
          payout_id: payoutOf[s.agentId] ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      ids[s.agentId] = row.id;
    }
    return ids;
  });
}

async function statementRow(tenantId: string, statementId: string) {
  return ownerDb()
    .selectFrom("commission_statements")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", statementId)
    .executeTakeFirstOrThrow();
}

async function renderAndRead(tenant: TenantInfo, statementId: string) {
  const result = await withTenant(tenant.id, (db) => renderStatement(db, tenant, statementId, files));
  expect(result).toBeDefined();
  const stored = await files.get(result!.fileKey);
  if (process.env.STATEMENT_DUMP)
    await import("node:fs/promises").then((fs) => fs.writeFile(`${process.env.STATEMENT_DUMP}/${statementId}.pdf`, stored!.body));
  expect(stored?.contentType).toBe("application/pdf");
  return { fileKey: result!.fileKey, pdf: await parsePdf(stored!.body) };
}

// ---------------------------------------------------------------------------------------------

describe("a monthly commission statement", () => {
  let tenant: TenantInfo;
  let upline: string; // A: bank details, paid in the batch
  let seller: string; // B: sells under A, no bank details
  let negative: string; // D: only a clawback, balance below zero
  let statementIds: Record<string, string>;
  let hibah: string;
  let medical: string;

  beforeAll(async () => {
    const t = await networkTenant();
    tenant = (await tenantById(t.id))!;
    hibah = await product(t.id, "Hibah Gold 270");
    medical = await product(t.id, "Medical Card");
    await insertRules(t.id, hibah, "monthly", tiers(1111, 222));
    await insertRules(t.id, medical, "annual", tiers({ fixedMinor: 10_00, capMinor: 8_00 }, { fixedMinor: 2_00 }));
    upline = await insertAgent(t.id, null, "active", "Siti Aminah");
    seller = await insertAgent(t.id, upline, "active", "Ahmad Faizal");
    negative = await insertAgent(t.id, null, "active", "Lim Wei");
    await giveBankDetails(t.id, upline, BANK_ACCOUNT);

    // September: A's own Medical Card sale, approved and unpaid: brought forward into October.
    await sales(t.id, upline, medical, "annual", 150_00, 1, () => new Date(Date.UTC(2026, 8, 20, 2)));
    // October: B sells Hibah Gold 270 twice (A earns tier 2), A and B one Medical Card each.
    await sales(t.id, seller, hibah, "monthly", 150_00, 2, (i) => octoberDay(3 + i));
    await sales(t.id, upline, medical, "annual", 150_00, 1, () => octoberDay(10));
    await sales(t.id, seller, medical, "annual", 150_00, 1, () => octoberDay(12));
    // D: one sale of Medical Card in October, all clawed back and more (a refund of an earlier month's sale too).
    await sales(t.id, negative, medical, "annual", 150_00, 1, () => octoberDay(14));

    await withTenant(t.id, async (db) => {
      const [hibah1, hibah2] = await entryOf(db, { agentId: upline, tier: 2, productId: hibah });
      const [ownMedical] = await entryOf(db, { agentId: upline, tier: 1, productId: medical });
      const [downMedical] = await entryOf(db, { agentId: upline, tier: 2, productId: medical });
      const [dMedical] = await entryOf(db, { agentId: negative, tier: 1, productId: medical });
      // The Medical Card tier-1 cap (RM8) bites as the sale is written: RM10 earned, RM8 paid, RM2 withheld.
      expect([hibah1?.amount_minor, hibah2?.amount_minor, ownMedical?.amount_minor, downMedical?.amount_minor]).toEqual([
        3_33, 3_33, 8_00, 2_00,
      ]);
      expect(ownMedical?.withheld_minor).toBe(2_00);
      const common = { currency: "MYR", month: OCTOBER };
      // A refund of B's first Hibah sale claws back A's tier-2 share.
      await db
        .insertInto("commission_entries")
        .values({
          ...common,
          kind: "clawback",
          agent_id: upline,
          amount_minor: -3_33,
          transaction_id: hibah1!.transaction_id,
          order_item_id: hibah1!.order_item_id,
          product_id: hibah,
          frequency: "monthly",
          tier: 2,
          rule_id: hibah1!.rule_id,
          reverses_entry_id: hibah1!.id,
          earned_at: octoberDay(20),
          note: "Refunded: commission taken back",
        })
        .execute();
      // The second Hibah share is under dispute at the close: held.
      await db
        .insertInto("commission_disputes")
        .values({ entry_id: hibah2!.id, agent_id: upline, reason: "Which sale is this?" })
        .execute();
      // A dispute on the RM2 Medical share was resolved with an adjustment of RM2.50.
      await db
        .insertInto("commission_entries")
        .values({
          ...common,
          kind: "adjustment",
          agent_id: upline,
          amount_minor: 2_50,
          product_id: medical,
          frequency: "annual",
          tier: 2,
          reverses_entry_id: downMedical!.id,
          earned_at: octoberDay(12),
          note: "Corrected after review",
        })
        .returning("id")
        .executeTakeFirstOrThrow()
        .then((adjusting) =>
          db
            .insertInto("commission_disputes")
            .values({
              entry_id: downMedical!.id,
              agent_id: upline,
              reason: "It was RM2.50",
              status: "adjusted",
              adjusting_entry_id: adjusting.id,
            })
            .execute(),
        );
      // D: a clawback bigger than the month's earnings.
      await db
        .insertInto("commission_entries")
        .values({
          ...common,
          kind: "clawback",
          agent_id: negative,
          amount_minor: -15_00,
          product_id: medical,
          frequency: "annual",
          tier: 1,
          rule_id: dMedical!.rule_id,
          earned_at: octoberDay(25),
          note: "Refunded: commission taken back",
        })
        .execute();
    });

    // A: 3.33 + 3.33 + 8.00 − 3.33 + 2.50 (the adjusted RM2 not counted) = 13.83 earned;
    // held 3.33; brought forward 8.00 (September, capped too); payable 13.83 − 3.33 + 8.00 = 18.50.
    // B: 16.67 × 2 + 8.00 = 41.34, no bank details. D: 8.00 − 15.00 = −7.00.
    statementIds = await closeRows(
      t.id,
      OCTOBER,
      [
        { agentId: upline, earnedMinor: 13_83, payableMinor: 18_50 },
        { agentId: seller, earnedMinor: 41_34, payableMinor: 41_34 },
        { agentId: negative, earnedMinor: -7_00, payableMinor: -7_00 },
      ],
      { reference: "PAY-2026-10", payouts: [{ agentId: upline, amountMinor: 18_50 }] },
    );
  });

  it("shows the agent, the month, every entry grouped by kind with its base, rate and amount, and totals to the cent", async () => {
    const { pdf } = await renderAndRead(tenant, statementIds[upline]!);
    const { text } = pdf;
    const sellerNumber = await agentNumber(tenant.id, seller);
    expect(text).toContain("Commission statement — October 2026");
    expect(text).toContain(await agentNumber(tenant.id, upline));
    expect(text).toContain("Siti Aminah");
    expect(text).toContain(tenant.name);

    // Earnings per product, frequency and tier; tier 2 names the selling agent.
    expect(text).toContain("Hibah Gold 270 · Monthly · Tier 2 (sales in your downline)");
    expect(text).toContain("Medical Card · Annually · Tier 1 (your own sales)");
    expect(text).toContain("Medical Card · Annually · Tier 2 (sales in your downline)");
    expect(text).toContain(`Sale by agent ${sellerNumber}`);
    expect(text).toContain("2.22%");
    expect(text).toContain(`Fixed ${rm_(10_00)}`);
    expect(text).toContain(`Fixed ${rm_(2_00)}`);
    expect(text).toContain(rm_(150_00)); // the base
    expect(text).toContain("under dispute");
    expect(text).toContain("replaced by an adjustment: not counted");
    // The cap is told on the earning it cut; clawbacks and adjustments each in their own section.
    expect(text).toContain(`${rm_(2_00)} withheld: monthly cap of ${rm_(8_00)} reached`);
    expect(text).not.toContain("CAP ADJUSTMENTS");
    expect(text).toContain("CLAWBACKS (REFUNDED SALES)");
    expect(text).toContain("Refund: Hibah Gold 270 · Monthly · Tier 2");
    expect(text).toContain(rm_(-3_33));
    expect(text).toContain("ADJUSTMENTS (RESOLVED DISPUTES)");
    expect(text).toContain(`replaces an entry of ${rm_(2_00)}; Corrected after review`);
    expect(text).toContain(rm_(2_50));
    // Section totals.
    expect(text).toContain(`Total earnings ${rm_(3_33 + 3_33 + 8_00)}`);
    expect(text).toContain(`Total clawbacks ${rm_(-3_33)}`);
    expect(text).toContain(`Total adjustments ${rm_(2_50)}`);
    // The statement's totals.
    expect(text).toContain(`Earned this month ${rm_(13_83)}`);
    expect(text).toContain(`Held in dispute (paid once resolved) ${rm_(-3_33)}`);
    expect(text).toContain(`Brought forward from earlier months ${rm_(8_00)}`);
    expect(text).toContain(`Payable ${rm_(18_50)}`);
    expect(text).toContain("Paid in batch PAY-2026-10 by bank transfer to Maybank •••• 7890");
    // The bank account is masked, never printed in full.
    expect(text).toContain("•••• 7890");
    const digits = text.replace(/[^0-9]/g, "");
    expect(digits).not.toContain("551234567890");
    expect(text).not.toMatch(/5512\s?3456/);
    expect(text).not.toContain("34567890");
  });

  it("says why a balance is carried forward: no bank details, or not positive", async () => {
    const b = (await renderAndRead(tenant, statementIds[seller]!)).pdf.text;
    expect(b).toContain(await agentNumber(tenant.id, seller));
    expect(b).toContain(`Earned this month ${rm_(41_34)}`);
    expect(b).toContain(`Payable ${rm_(41_34)}`);
    expect(b).toContain("Carried forward: no bank details on file.");
    expect(b).toContain("No bank details on file.");
    expect(b).toContain("Own sale");
    expect(b).toContain(rm_(16_67));
    expect(b).not.toContain("Brought forward");
    expect(b).not.toContain("Paid in batch");

    const d = (await renderAndRead(tenant, statementIds[negative]!)).pdf.text;
    expect(d).toContain(`Earned this month ${rm_(-7_00)}`);
    expect(d).toContain(`Payable ${rm_(-7_00)}`);
    expect(d).toContain("Carried forward: the balance is not positive");
  });

  it("renders again under the same key, and never replaces a different key already recorded", async () => {
    const first = await renderAndRead(tenant, statementIds[seller]!);
    const again = await renderAndRead(tenant, statementIds[seller]!);
    expect(again.fileKey).toBe(first.fileKey);
    expect(first.fileKey).toBe(statementKey(tenant.id, OCTOBER, seller));
    expect(first.fileKey.startsWith(`${tenant.id}/statements/2026-10/`)).toBe(true);
    expect((await statementRow(tenant.id, statementIds[seller]!)).file_key).toBe(first.fileKey);
    const keys = await ownerDb()
      .selectFrom("commission_statements")
      .select("file_key")
      .where("tenant_id", "=", tenant.id)
      .where("agent_id", "=", seller)
      .execute();
    expect(keys).toEqual([{ file_key: first.fileKey }]);

    await ownerDb()
      .updateTable("commission_statements")
      .set({ file_key: `${tenant.id}/statements/elsewhere.pdf` })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", statementIds[negative]!)
      .execute();
    await renderAndRead(tenant, statementIds[negative]!);
    expect((await statementRow(tenant.id, statementIds[negative]!)).file_key).toBe(`${tenant.id}/statements/elsewhere.pdf`);
  });

  it("does not render another tenant's statement", async () => {
    const other = (await tenantById((await networkTenant()).id))!;
    expect(await withTenant(other.id, (db) => renderStatement(db, other, statementIds[upline]!, files))).toBeUndefined();
  });
});

describe("a statement of many entries", () => {
  it("runs over several pages, every entry and the totals still there, with page numbers", async () => {
    const t = await networkTenant();
    const tenant = (await tenantById(t.id))!;
    const hibah = await product(t.id, "Hibah Gold 270");
    await insertRules(t.id, hibah, "monthly", tiers(1111));
    const agent = await insertAgent(t.id, null, "active", "Nur Aisyah");
    await sales(t.id, agent, hibah, "monthly", 150_00, 120, (i) => new Date(octoberDay(1 + (i % 28)).getTime() + i * 60_000));
    const ids = await closeRows(t.id, OCTOBER, [{ agentId: agent, earnedMinor: 120 * 16_67, payableMinor: 120 * 16_67 }]);
    expect((await statementRow(t.id, ids[agent]!)).entries_count).toBe(120);

    const { pdf } = await renderAndRead(tenant, ids[agent]!);
    expect(pdf.pages).toBeGreaterThan(1);
    expect(pdf.text).toContain(`Page 1 of ${pdf.pages}`);
    expect(pdf.text).toContain(`Page ${pdf.pages} of ${pdf.pages}`);
    // Every entry's amount is printed once (plus the summary, subtotal, totals).
    const amount = rm_(16_67);
    expect(pdf.text.split(amount).length - 1).toBe(120);
    expect(pdf.text).toContain(`Subtotal, 120 entries ${rm_(120 * 16_67)}`);
    expect(pdf.text).toContain(`Payable ${rm_(120 * 16_67)}`);
    // From page 2 on, a running line says whose statement it is.
    expect(pdf.text).toContain(`Commission statement — October 2026 | Agent ${await agentNumber(t.id, agent)} | Nur Aisyah`);
  });
});

describe("a statement of more entries than it lists", () => {
  it("sums each product, frequency and tier in one line instead, and refuses totals that do not add up", async () => {
    const t = (await tenantById((await networkTenant()).id))!;
    const entry = (i: number): StatementEntry => ({
      kind: "earning",
      status: "approved",
      earnedAt: octoberDay(1 + (i % 28)),
      productName: "Hibah Gold 270",
      frequency: "monthly",
      tier: i % 2 ? 2 : 3,
      sellerAgentNumber: "10001",
      passedFromAgentNumber: null,
      baseMinor: 150_00,
      rateBp: i % 2 ? 222 : 111,
      fixedMinor: null,
      capMinor: null,
      reversesAmountMinor: null,
      note: null,
      amountMinor: i % 2 ? 3_33 : 1_67,
    });
    const entries = Array.from({ length: MAX_LISTED_ENTRIES + 1 }, (_, i) => entry(i));
    const tier2 = entries.filter((e) => e.tier === 2);
    const tier3 = entries.filter((e) => e.tier === 3);
    const earned = entries.reduce((sum, e) => sum + e.amountMinor, 0);
    const data = {
      tenant: documentTenantOf(t),
      locale: t.locale,
      timeZone: t.timeZone,
      currency: t.currency,
      monthLabel: "October 2026",
      issuedAt: "2026-11-01T01:00:00Z",
      agent: { name: "Tan Ah Kow", agentNumber: "10000", bankName: null, bankAccountMasked: null, bankAccountHolder: null },
      entries,
      totals: { earnedMinor: earned, heldMinor: 0, broughtForwardMinor: 0, payableMinor: earned },
      payment: { kind: "carried", reason: "no_bank_details" } as const,
    };
    const pdf = await parsePdf(await renderStatementPdf(data));
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain(`${tier2.length} All entries of this group`);
    expect(pdf.text).toContain(`${rm_(tier2.length * 150_00)} 2.22% ${rm_(tier2.length * 3_33)}`);
    expect(pdf.text).toContain(`${rm_(tier3.length * 150_00)} 1.11% ${rm_(tier3.length * 1_67)}`);
    expect(pdf.text).toContain(`Payable ${rm_(earned)}`);
    await expect(renderStatementPdf({ ...data, totals: { ...data.totals, payableMinor: earned + 1 } })).rejects.toThrow(/add up/);
  });
});

class Rollback extends Error {}
type Queued = { queued: string[]; next: string | null };

describe("statement jobs", () => {
  async function tenantWithStatements(count: number) {
    const t = await networkTenant();
    const agents: string[] = [];
    for (let i = 0; i < count; i++) agents.push(await insertAgent(t.id, null));
    const ids = await closeRows(
      t.id,
      SEPTEMBER,
      agents.map((a) => ({ agentId: a, earnedMinor: 0, payableMinor: 0 })),
    );
    return { tenantId: t.id, agents: [...agents].sort(), ids };
  }

  it("fan out a month by agent id, a batch at a time, one render job per statement and the next batch last", async () => {
    const { tenantId, agents, ids } = await tenantWithStatements(5);
    // Inside a transaction that is rolled back, so the worker never sees these jobs.
    let seen!: {
      first: Queued;
      second: Queued;
      third: Queued;
      jobs: { task_identifier: string; key: string | null; payload: Record<string, string> }[];
    };
    await ownerDb()
      .transaction()
      .execute(async (trx) => {
        await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
        await sql`set local role covera_app`.execute(trx);
        const db = trx as unknown as TenantDb;
        expect((await statementsToRender(db, SEPTEMBER, null, 10)).map((s) => s.agentId)).toEqual(agents);
        const first = await queueStatementRenders(db, { tenantId, month: SEPTEMBER }, 2);
        const second = await queueStatementRenders(db, { tenantId, month: SEPTEMBER, after: first.next! }, 2);
        const third = await queueStatementRenders(db, { tenantId, month: SEPTEMBER, after: second.next! }, 2);
        await sql`reset role`.execute(trx);
        const jobs = await sql<{ task_identifier: string; key: string | null; payload: Record<string, string> }>`
          select t.identifier as task_identifier, j.key, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
          where j.payload->>'tenantId' = ${tenantId} order by j.id
        `.execute(trx);
        seen = { first, second, third, jobs: jobs.rows };
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    expect(seen.first).toEqual({ queued: [ids[agents[0]!], ids[agents[1]!]], next: agents[1] });
    expect(seen.second).toEqual({ queued: [ids[agents[2]!], ids[agents[3]!]], next: agents[3] });
    expect(seen.third).toEqual({ queued: [ids[agents[4]!]], next: null });
    const renders = seen.jobs.filter((j) => j.task_identifier === "commission_statement");
    expect(renders.map((j) => j.payload.statementId).sort()).toEqual(Object.values(ids).sort());
    expect(renders.map((j) => j.key).sort()).toEqual(
      Object.values(ids)
        .map((id) => `commission_statement:${tenantId}:${id}`)
        .sort(),
    );
    const nexts = seen.jobs.filter((j) => j.task_identifier === "commission_statements");
    expect(nexts.map((j) => j.key)).toEqual([
      `commission_statements:${tenantId}:${SEPTEMBER}:${agents[1]}`,
      `commission_statements:${tenantId}:${SEPTEMBER}:${agents[3]}`,
    ]);
    expect(nexts.map((j) => j.payload.after)).toEqual([agents[1], agents[3]]);
  });

  it("render every statement once and email each agent once, through the worker", async () => {
    const { tenantId, ids } = await tenantWithStatements(3);
    const logs: string[] = [];
    const helpers = { logger: { debug: (m: string) => logs.push(m), info: (m: string) => logs.push(m) } } as unknown as Parameters<
      typeof commissionStatementsTask
    >[1];
    await commissionStatementsTask({ tenantId, month: SEPTEMBER }, helpers);
    // Asked twice (a retried fan-out): the job keys keep it to one render and one email each.
    await commissionStatementsTask({ tenantId, month: SEPTEMBER }, helpers);
    const rendered = await eventually(async () => {
      const rows = await ownerDb()
        .selectFrom("commission_statements")
        .select(["id", "agent_id", "file_key"])
        .where("tenant_id", "=", tenantId)
        .execute();
      return rows.every((r) => r.file_key) ? rows : null;
    }, 30_000);
    for (const r of rendered) expect(r.file_key).toBe(statementKey(tenantId, SEPTEMBER, r.agent_id));
    const messages = await eventually(async () => {
      const rows = await ownerDb()
        .selectFrom("messages")
        .select(["subject", "dedupe_key", "body_text"])
        .where("tenant_id", "=", tenantId)
        .where("template", "=", "commission_statement")
        .where("channel", "=", "email")
        .execute();
      return rows.length >= 3 ? rows : null;
    });
    await new Promise((r) => setTimeout(r, 500));
    const again = await ownerDb()
      .selectFrom("messages")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("template", "=", "commission_statement")
      .where("channel", "=", "email")
      .execute();
    expect(again).toHaveLength(3);
    expect(messages.map((m) => m.dedupe_key).sort()).toEqual(
      Object.values(ids)
        .map((id) => `statement:${id}:email`)
        .sort(),
    );
    expect(messages.every((m) => m.subject === "Your statement for September 2026 is ready")).toBe(true);
    expect(messages[0]!.body_text).toContain("/agent/statements");
  });

  it("run after a real close: every agent's statement is drawn", async () => {
    const t = await networkTenant();
    const hibah = await product(t.id, "Hibah Gold 270");
    await insertRules(t.id, hibah, "monthly", tiers(1111, 222));
    const top = await insertAgent(t.id, null, "active", "Top Agent");
    const seller = await insertAgent(t.id, top, "active", "Seller Agent");
    await giveBankDetails(t.id, top, "7788990011");
    await sales(t.id, seller, hibah, "monthly", 150_00, 1, () => octoberDay(5));
    const closed = await withTenant(t.id, (db) =>
      closeMonth(
        db,
        { month: OCTOBER, timeZone: "Asia/Kuala_Lumpur", currency: "MYR", actorUserId: null },
        new Date("2026-11-02T00:00:00Z"),
      ),
    );
    expect(closed).toMatchObject({ ok: true, statements: 2, payouts: 1 });
    const rows = await eventually(async () => {
      const list = await ownerDb()
        .selectFrom("commission_statements")
        .select(["agent_id", "file_key"])
        .where("tenant_id", "=", t.id)
        .execute();
      return list.length === 2 && list.every((r) => r.file_key) ? list : null;
    }, 30_000);
    expect(rows.map((r) => r.file_key).sort()).toEqual([statementKey(t.id, OCTOBER, top), statementKey(t.id, OCTOBER, seller)].sort());
  });
});

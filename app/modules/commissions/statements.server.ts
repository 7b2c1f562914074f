import type { TenantDb } from "~db/client";
import { formatMoney } from "~/lib/money";
import { documentTenantOf, readerLanguage } from "~/modules/documents/pdf-theme.server";
import { renderStatementPdf, type StatementData, type StatementEntry } from "~/modules/documents/statement.server";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import { notify } from "~/modules/notifications/notify.server";
import { sentOn } from "~/modules/notifications/sent";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { monthLabel, type Month } from "./months";
import { kindKey } from "~/modules/files/kinds";

/**
 * Statement PDFs of a closed month, one per agent (the close writes the rows; jobs draw them, a
 * few hundred at a time — app/jobs/commissions-statements.ts). A statement is stored under a key
 * derived from the tenant, month and agent, so a retried job overwrites the same object and the
 * row keeps one key; the agent is emailed once per statement (the email's dedupe key).
 *
 * Entries are read by (agent, month) — the ledger's agent index — which is exactly the set the
 * close stamped with this statement's id.
 */
const PDF = "application/pdf";

export const statementKey = (tenantId: string, month: Month, agentId: string) =>
  kindKey(tenantId, "statements", `${month.slice(0, 7)}/${agentId}.pdf`);

/** Statements of a month still without a PDF, by agent id after `afterAgentId` (a cursor), at most `limit`. */
export async function statementsToRender(
  db: TenantDb,
  month: Month,
  afterAgentId: string | null,
  limit: number,
): Promise<{ id: string; agentId: string }[]> {
  let q = db
    .selectFrom("commission_statements")
    .select(["id", "agent_id"])
    .where("month", "=", month)
    .where("file_key", "is", null)
    .orderBy("agent_id")
    .limit(limit);
  if (afterAgentId) q = q.where("agent_id", ">", afterAgentId);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, agentId: r.agent_id }));
}

/** Everything one statement shows, from the records. Undefined when there is no such statement. */
export async function statementData(
  db: TenantDb,
  tenant: TenantInfo,
  statementId: string,
): Promise<(StatementData & { month: Month; agentId: string; email: string }) | undefined> {
  const s = await db
    .selectFrom("commission_statements as s")
    .innerJoin("agents as a", "a.id", "s.agent_id")
    .innerJoin("users as u", "u.id", "a.user_id")
    .innerJoin("commission_months as m", "m.month", "s.month")
    .select([
      "s.id",
      "s.month",
      "s.agent_id",
      "s.earned_minor",
      "s.payable_minor",
      "m.closed_at",
      "a.agent_number",
      "a.bank_name",
      "a.bank_account_masked",
      "a.bank_account_holder",
      "u.name",
      "u.email",
      "u.language",
    ])
    .where("s.id", "=", statementId)
    .executeTakeFirst();
  if (!s) return undefined;

  const rows = await db
    .selectFrom("commission_entry_states as e")
    .leftJoin("products as p", "p.id", "e.product_id")
    .leftJoin("commission_rules as r", "r.id", "e.rule_id")
    .leftJoin("agents as seller", "seller.id", "e.seller_agent_id")
    .leftJoin("agents as passed", "passed.id", "e.passed_from_agent_id")
    .leftJoin("commission_entries as o", "o.id", "e.reverses_entry_id")
    .leftJoin("agents as oseller", "oseller.id", "o.seller_agent_id")
    .leftJoin("commission_bonus_rules as bonus", "bonus.id", "e.bonus_rule_id")
    .select([
      "e.kind",
      "e.status",
      "e.earned_at",
      "e.frequency",
      "e.tier",
      "e.base_minor",
      "e.rate_bp",
      "e.amount_minor",
      "e.withheld_minor",
      "e.note",
      "e.chargeback_id",
      "p.name as product_name",
      "r.kind as rule_kind",
      "r.amount_minor as rule_amount_minor",
      "r.cap_minor",
      "seller.agent_number as seller_number",
      "passed.agent_number as passed_number",
      "o.amount_minor as reverses_amount_minor",
      "o.base_minor as reverses_base_minor",
      "o.rate_bp as reverses_rate_bp",
      "oseller.agent_number as reverses_seller_number",
      "bonus.name as bonus_name",
      "e.bonus_levels",
    ])
    .where("e.agent_id", "=", s.agent_id)
    .where("e.month", "=", s.month)
    .orderBy("e.earned_at")
    .orderBy("e.created_at")
    .orderBy("e.id")
    .execute();

  const entries: StatementEntry[] = rows.map((r) => {
    const correction = r.kind === "clawback";
    const rateBp = r.rate_bp ?? (correction ? r.reverses_rate_bp : null);
    // A fixed bonus's rate column shows the amount it pays (decision 048).
    const fixedBonus = r.bonus_name !== null && rateBp === null ? (correction ? r.reverses_amount_minor : r.amount_minor) : null;
    return {
      kind: r.kind,
      status: r.status,
      earnedAt: r.earned_at,
      productName: r.product_name,
      frequency: r.frequency,
      tier: r.tier,
      // A clawback names the sale's agent through the entry it reverses.
      sellerAgentNumber: r.seller_number ?? r.reverses_seller_number,
      passedFromAgentNumber: r.passed_number,
      baseMinor: r.base_minor ?? (correction ? r.reverses_base_minor : null),
      rateBp,
      fixedMinor: fixedBonus ?? (rateBp === null && r.rule_kind === "fixed" && r.kind !== "cap" ? r.rule_amount_minor : null),
      capMinor: r.kind === "cap" || r.withheld_minor !== null ? r.cap_minor : null,
      withheldMinor: r.withheld_minor,
      reversesAmountMinor: r.reverses_amount_minor,
      chargedBack: r.chargeback_id !== null,
      bonusName: r.bonus_name,
      bonusLevels: r.bonus_levels,
      note: r.note,
      amountMinor: r.amount_minor,
    };
  });
  const heldMinor = entries.filter((e) => e.status === "disputed").reduce((t, e) => t + e.amountMinor, 0);

  const payout = await payoutOf(db, s.agent_id, s.month);
  // Written in the agent's language, whoever's job renders it (decision 037).
  const reader = readerLanguage(tenant, s.language);

  return {
    month: s.month,
    agentId: s.agent_id,
    email: s.email,
    tenant: documentTenantOf(tenant),
    ...reader,
    timeZone: tenant.timeZone,
    currency: tenant.currency,
    monthLabel: monthLabel(s.month, reader.locale),
    issuedAt: s.closed_at,
    agent: {
      name: s.name,
      agentNumber: s.agent_number,
      bankName: s.bank_name,
      bankAccountMasked: s.bank_account_masked,
      bankAccountHolder: s.bank_account_holder,
    },
    entries,
    totals: {
      earnedMinor: s.earned_minor,
      heldMinor,
      broughtForwardMinor: s.payable_minor - s.earned_minor + heldMinor,
      payableMinor: s.payable_minor,
    },
    payment: paymentOf(payout, s.payable_minor),
  };
}

/** The agent's payout in the month's batch, if the close paid them. */
async function payoutOf(db: TenantDb, agentId: string, month: Month) {
  return db
    .selectFrom("payouts as po")
    .innerJoin("payout_batches as b", "b.id", "po.batch_id")
    .select(["b.reference"])
    .where("po.agent_id", "=", agentId)
    .where("b.month", "=", month)
    .executeTakeFirst();
}

/** Paid in the batch, or why not: the close pays every positive balance with bank details. */
function paymentOf(payout: { reference: string } | undefined, payableMinor: number): StatementData["payment"] {
  if (payout) return { kind: "paid", batchReference: payout.reference };
  return { kind: "carried", reason: payableMinor > 0 ? "no_bank_details" : "not_positive" };
}

/**
 * Draws one statement and stores it under its deterministic key; records the key on the row when
 * it has none (or has this one). Rendering again overwrites the same file. Undefined when there is
 * no such statement (another tenant's id included).
 */
export async function renderStatement(
  db: TenantDb,
  tenant: TenantInfo,
  statementId: string,
  files: FileStore = fileStore(),
): Promise<{ fileKey: string } | undefined> {
  const data = await statementData(db, tenant, statementId);
  if (!data) return undefined;
  const key = statementKey(tenant.id, data.month, data.agentId);
  await files.put(key, await renderStatementPdf(data), { contentType: PDF });
  await db
    .updateTable("commission_statements")
    .set({ file_key: key })
    .where("id", "=", statementId)
    .where((eb) => eb.or([eb("file_key", "is", null), eb("file_key", "=", key)]))
    .execute();
  return { fileKey: key };
}

/** "Your statement for November 2026 is ready", once per statement, when its PDF exists. */
export async function emailStatement(
  db: TenantDb,
  tenant: TenantInfo,
  statementId: string,
  origin: string,
): Promise<"emailed" | "already_emailed" | "not_rendered" | "missing"> {
  const s = await db
    .selectFrom("commission_statements as s")
    .innerJoin("agents as a", "a.id", "s.agent_id")
    .select(["s.month", "s.agent_id", "s.file_key", "s.earned_minor", "s.payable_minor", "a.agent_number", "a.user_id"])
    .where("s.id", "=", statementId)
    .executeTakeFirst();
  if (!s) return "missing";
  if (!s.file_key) return "not_rendered";
  // In the reader's locale, which notify knows.
  const money = (minor: number) => (locale: string) => formatMoney(minor, tenant.currency, locale);
  const payout = await payoutOf(db, s.agent_id, s.month);
  const results = await notify(db, tenant.id, {
    event: "commission_statement",
    to: { userId: s.user_id },
    vars: {
      month: (locale) => monthLabel(s.month, locale),
      agentNumber: s.agent_number,
      earned: money(s.earned_minor),
      payable: money(s.payable_minor),
      // Not paid in the batch (no bank details, nothing payable): the statement itself says why.
      payoutReference: payout?.reference ?? "—",
      link: `${origin}/agent/statements`,
    },
    dedupeKey: `statement:${statementId}`,
  });
  const id = sentOn(results, "email");
  return id ? "emailed" : "already_emailed";
}

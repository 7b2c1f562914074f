import { withTenant, type TenantDb } from "~db/client";
import { renderRejectionLetterPdf, renderSettlementLetterPdf } from "~/modules/documents/claim-letters.server";
import { documentTenantOf, readerLanguage } from "~/modules/documents/pdf-theme.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { kindKey } from "~/modules/files/kinds";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import { addDays, quoteDateIn } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { reasonInWords } from "./reason-words";

/**
 * The claim letters as files (decision 025): rendered by a job, never in a request, stored under a
 * key derived from the record (a second run overwrites the same object and points the same column
 * at it: one letter, however often the job runs), and attached to the claim: the settlement letter
 * to `claim_settlements.letter_file_key`, the rejection letter to `claims.decision_letter_file_key`.
 */
export const LETTER_CONTENT_TYPE = "application/pdf";

export const settlementLetterKey = (tenantId: string, settlementId: string) =>
  kindKey(tenantId, "settlement-letters", `${settlementId}.pdf`);
/** One per rejection: a claim rejected again after an appeal gets a new letter. */
export const rejectionLetterKey = (tenantId: string, claimId: string, revision: number) =>
  kindKey(tenantId, "decision-letters", `${claimId}-${revision}.pdf`);

const DEFAULT_APPEAL_DAYS = 30;

/** "third_party" → "Third party": claim types as the letter says them. */
export function claimTypeInWords(type: string): string {
  const words = type.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

async function letterBasics(db: TenantDb, claimId: string) {
  return db
    .selectFrom("claims as c")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "c.tenant_id").onRef("u.id", "=", "c.claimant_user_id"))
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "p.tenant_id").onRef("o.id", "=", "p.order_id"))
    .select([
      "c.id",
      "c.claim_number",
      "c.claim_type",
      "c.incident_date",
      "c.claimed_minor",
      "c.approved_minor",
      "c.excess_minor",
      "c.currency",
      "c.status",
      "c.reason_codes",
      "c.decision_note",
      "c.decided_at",
      "c.updated_at",
      "c.decision_letter_file_key",
      "u.name",
      "u.email",
      "u.language",
      "o.holder",
      "p.policy_number",
      "pr.name as product",
    ])
    .where("c.id", "=", claimId)
    .executeTakeFirst();
}

function base(tenant: TenantInfo, claim: NonNullable<Awaited<ReturnType<typeof letterBasics>>>) {
  return {
    tenant: documentTenantOf(tenant),
    // Written in the claimant's language, whoever's job renders it (decision 037).
    ...readerLanguage(tenant, claim.language),
    timeZone: tenant.timeZone,
    currency: claim.currency,
    claimNumber: claim.claim_number,
    claimant: { name: claim.holder.name || claim.name, email: claim.email },
    policy: { number: claim.policy_number ?? "—", product: claim.product },
    claimType: claimTypeInWords(claim.claim_type),
    incidentDate: claim.incident_date,
    claimedMinor: claim.claimed_minor,
  };
}

/** The paid settlement's letter: its key once it exists (rendered now if missing), or null while it is not paid. */
export async function ensureSettlementLetter(tenant: TenantInfo, claimId: string, files: FileStore = fileStore()): Promise<string | null> {
  const data = await withTenant(tenant.id, async (db) => {
    const settlement = await db.selectFrom("claim_settlements").selectAll().where("claim_id", "=", claimId).executeTakeFirst();
    if (!settlement || settlement.status !== "paid") return null;
    if (settlement.letter_file_key) return { kind: "done" as const, key: settlement.letter_file_key };
    const claim = await letterBasics(db, claimId);
    return claim ? { kind: "render" as const, settlement, claim } : null;
  });
  if (!data) return null;
  if (data.kind === "done") return data.key;
  const { settlement, claim } = data;
  const t = await serverT(readerLanguage(tenant, claim.language).language, "documents");
  const method =
    settlement.method === "bank_transfer" && settlement.payee_account_masked
      ? t("claimLetter.method.bank_transfer_to", { account: settlement.payee_account_masked })
      : t(`claimLetter.method.${settlement.method ?? "mpesa_b2c"}`);
  const pdf = await renderSettlementLetterPdf({
    ...base(tenant, claim),
    settlementReference: settlement.reference,
    approvedMinor: claim.approved_minor ?? settlement.amount_minor,
    excessMinor: claim.excess_minor ?? 0,
    paidMinor: settlement.amount_minor,
    paidAt: settlement.paid_at ?? settlement.updated_at,
    method,
    paymentReference: settlement.provider_receipt ?? settlement.manual_reference ?? settlement.reference,
  });
  const key = settlementLetterKey(tenant.id, settlement.id);
  await files.put(key, pdf, { contentType: LETTER_CONTENT_TYPE });
  await withTenant(tenant.id, (db) =>
    db
      .updateTable("claim_settlements")
      .set({ letter_file_key: key })
      .where("id", "=", settlement.id)
      .where("letter_file_key", "is", null)
      .execute(),
  );
  return key;
}

/**
 * The rejection letter of the rejection the claim's `revision` names: the reasons in words, the
 * note, and the last day to appeal (the decision's day in the agency's time zone plus the tenant's
 * appeal days). Rendered once per rejection.
 */
export async function ensureRejectionLetter(
  tenant: TenantInfo,
  claimId: string,
  revision: number,
  origin: string,
  files: FileStore = fileStore(),
): Promise<{ key: string; appealBy: string; reasons: string[]; note: string | null } | null> {
  const key = rejectionLetterKey(tenant.id, claimId, revision);
  const data = await withTenant(tenant.id, async (db) => {
    const claim = await letterBasics(db, claimId);
    const settings = await db.selectFrom("claim_settings").select("appeal_days").executeTakeFirst();
    // The reason the rejection gave the claim machine, for a decision that recorded no codes nor note.
    const said = await db
      .selectFrom("state_changes")
      .select("reason")
      .where("entity", "=", "claim")
      .where("entity_id", "=", claimId)
      .where("event", "=", "reject")
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    return claim ? { claim, said: said?.reason ?? null, appealDays: settings?.appeal_days ?? DEFAULT_APPEAL_DAYS } : null;
  });
  if (!data) return null;
  const { claim, said, appealDays } = data;
  const decidedAt = claim.decided_at ?? claim.updated_at;
  const appealBy = addDays(quoteDateIn(tenant.timeZone, decidedAt), appealDays);
  const reasons = claim.reason_codes.map(reasonInWords);
  if (reasons.length === 0 && !claim.decision_note) reasons.push(said?.trim() || "Contact us for the reasons for this decision");
  if (claim.decision_letter_file_key !== key) {
    const pdf = await renderRejectionLetterPdf({
      ...base(tenant, claim),
      decidedAt,
      reasons,
      note: claim.decision_note,
      appealBy,
      appealLink: `${origin}/account/claims/${claim.id}`,
    });
    await files.put(key, pdf, { contentType: LETTER_CONTENT_TYPE });
    await withTenant(tenant.id, (db) =>
      db.updateTable("claims").set({ decision_letter_file_key: key }).where("id", "=", claimId).execute(),
    );
  }
  return { key, appealBy, reasons, note: claim.decision_note };
}

export type LetterKind = "settlement" | "decision";

/**
 * A claim's letter for one reader, or undefined when they may not have it — another person's claim
 * answers exactly as one that does not exist. The claimant, the agent who looks after the claimant
 * (a member's claim) and staff who read claims may; `kind` picks the letter, else the settlement's
 * when there is one, the decision's otherwise.
 */
export async function claimLetterFor(
  db: TenantDb,
  claimId: string,
  reader: { userId: string; staff: boolean },
  kind?: LetterKind,
): Promise<{ key: string; filename: string } | undefined> {
  const row = await db
    .selectFrom("claims as c")
    .leftJoin("members as m", (j) => j.onRef("m.tenant_id", "=", "c.tenant_id").onRef("m.id", "=", "c.member_id"))
    .leftJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "m.tenant_id").onRef("a.id", "=", "m.agent_id"))
    .leftJoin("claim_settlements as s", (j) => j.onRef("s.tenant_id", "=", "c.tenant_id").onRef("s.claim_id", "=", "c.id"))
    .select([
      "c.claim_number",
      "c.claimant_user_id",
      "c.decision_letter_file_key",
      "a.user_id as agent_user_id",
      "s.reference",
      "s.letter_file_key",
    ])
    .where("c.id", "=", claimId)
    .executeTakeFirst();
  if (!row) return undefined;
  const allowed =
    reader.staff || row.claimant_user_id === reader.userId || (row.agent_user_id !== null && row.agent_user_id === reader.userId);
  if (!allowed) return undefined;
  if (kind !== "decision" && row.letter_file_key) return { key: row.letter_file_key, filename: `Settlement-${row.reference}.pdf` };
  if (kind !== "settlement" && row.decision_letter_file_key) {
    return { key: row.decision_letter_file_key, filename: `Decision-${row.claim_number}.pdf` };
  }
  return undefined;
}

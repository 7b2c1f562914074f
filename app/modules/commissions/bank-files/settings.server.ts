import type { TenantDb } from "~db/client";
import type { BankFileFormat } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";

export interface BankFileSettings {
  bankFileFormat: BankFileFormat | null;
  payerName: string | null;
  payerAccount: string | null;
}

export async function bankFileSettings(db: TenantDb): Promise<BankFileSettings> {
  const row = await db.selectFrom("network_settings").select(["bank_file_format", "payer_name", "payer_account"]).executeTakeFirst();
  return { bankFileFormat: row?.bank_file_format ?? null, payerName: row?.payer_name ?? null, payerAccount: row?.payer_account ?? null };
}

/** Which bank's bulk file the agency uploads, and from which account (audited; the agency's account is not personal data). */
export async function updateBankFileSettings(db: TenantDb, values: BankFileSettings, actor: Actor): Promise<void> {
  const row = { bank_file_format: values.bankFileFormat, payer_name: values.payerName, payer_account: values.payerAccount };
  await db
    .insertInto("network_settings")
    .values(row)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
  await recordAudit(db, actor, { action: "commission.bank_file_settings_updated", details: { ...values } });
}

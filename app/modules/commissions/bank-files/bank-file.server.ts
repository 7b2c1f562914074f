import type { TenantDb } from "~db/client";
import { decryptBankAccount } from "~/modules/network/agents.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { BANK_FILE_WRITERS } from ".";
import { prepareBankFile, type BankFileProblem, type PayoutLine } from "./prepare.server";

export type BankFileOutcome =
  | { ok: true; text: string; fileName: string; contentType: string; lines: number; totalMinor: number }
  | { ok: false; problems: BankFileProblem[] };

/**
 * A payout batch as the bulk-payment file of the bank the agency chose (network settings), or
 * the list of what stops it. Account numbers and DuitNow proxies are decrypted here, in memory,
 * only to check and write them (docs/architecture.md §3); nothing decrypted is stored or logged.
 * Undefined when the batch is not this tenant's.
 */
export async function commissionBankFile(
  db: TenantDb,
  input: { tenantId: string; tenantSlug: string; batchId: string; timeZone: string },
  now = new Date(),
): Promise<BankFileOutcome | undefined> {
  const batch = await db
    .selectFrom("payout_batches")
    .select(["id", "reference", "month", "total_minor", "payouts_count"])
    .where("id", "=", input.batchId)
    .executeTakeFirst();
  if (!batch) return undefined;
  const settings = await db.selectFrom("network_settings").select(["bank_file_format", "payer_name", "payer_account"]).executeTakeFirst();
  const writer = settings?.bank_file_format ? BANK_FILE_WRITERS[settings.bank_file_format] : undefined;
  const rows = await db
    .selectFrom("payouts as po")
    .innerJoin("agents as a", "a.id", "po.agent_id")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select([
      "a.agent_number",
      "u.name",
      "a.bank_name",
      "a.bank_account_holder",
      "a.bank_account_ciphertext",
      "a.duitnow_proxy_type",
      "a.duitnow_proxy_ciphertext",
      "po.amount_minor",
    ])
    .where("po.batch_id", "=", batch.id)
    .orderBy("a.agent_number")
    .execute();
  const decrypt = (ciphertext: string | null) => (ciphertext ? decryptBankAccount(input.tenantId, ciphertext) : null);
  const lines: PayoutLine[] = rows.map((r) => ({
    agentNumber: r.agent_number,
    agentName: r.name,
    holder: r.bank_account_holder,
    bankName: r.bank_name,
    account: r.duitnow_proxy_type ? null : decrypt(r.bank_account_ciphertext),
    proxyType: r.duitnow_proxy_type,
    proxy: decrypt(r.duitnow_proxy_ciphertext),
    amountMinor: Number(r.amount_minor),
  }));
  const prepared = prepareBankFile({
    writer,
    payerName: settings?.payer_name ?? null,
    payerAccount: settings?.payer_account ?? null,
    batchReference: batch.reference,
    valueDate: quoteDateIn(input.timeZone, now),
    description: `Commission ${batch.month.slice(0, 7)}`,
    lines,
  });
  if (!prepared.ok) return prepared;
  const text = writer!.write(prepared.file);
  const totalMinor = prepared.file.lines.reduce((n, l) => n + l.amountMinor, 0);
  // The file must say what the batch says: a payout lost or doubled between close and file is a bug, not a file.
  if (totalMinor !== Number(batch.total_minor) || prepared.file.lines.length !== batch.payouts_count)
    throw new Error(`Bank file for batch ${batch.reference} does not add up to the batch`);
  return {
    ok: true,
    text,
    fileName: `${input.tenantSlug}-${batch.reference.replace(/[^A-Za-z0-9-]/g, "")}-${writer!.format}.${writer!.extension}`,
    contentType: writer!.contentType,
    lines: prepared.file.lines.length,
    totalMinor,
  };
}

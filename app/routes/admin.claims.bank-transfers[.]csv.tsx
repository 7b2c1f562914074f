import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, csvText } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { bankTransferFile } from "~/modules/claims/settlement.server";

/**
 * /admin/claims/bank-transfers.csv — the bank file of claim settlements waiting to be paid by bank
 * transfer: one row per settlement with the account number in full (decrypted for the bank), so
 * only staff who settle claims may download it, and every download is in the audit log.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "settle:claim:any");
  const rows = await withTenant(tenant.id, (db) => bankTransferFile(db, tenant, { userId: user.id, ip: clientInfo(request).ip }));
  const day = new Date().toISOString().slice(0, 10);
  return csvResponse(csvText(rows), `${tenant.slug}-claim-bank-transfers-${day}.csv`);
}

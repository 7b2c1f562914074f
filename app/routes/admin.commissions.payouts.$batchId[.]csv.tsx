import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, csvText } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { uuidParam } from "~/lib/params";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { payoutBatch } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { payoutCsv } from "~/modules/commissions/close.server";

/**
 * /admin/commissions/payouts/:batchId.csv — a payout batch's bank-transfer file: one row per agent
 * with the full account number (decrypted here, for the bank), so only payers may download it and
 * every download is in the audit log. Cells are formula-safe.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "pay:payout:any");
  const batchId = uuidParam(params, "batchId");
  const file = await withTenant(tenant.id, async (db) => {
    const batch = await payoutBatch(db, batchId);
    if (!batch) return null;
    const rows = await payoutCsv(db, { batchId, tenantId: tenant.id });
    if (!rows) return null;
    await recordAudit(
      db,
      { userId: user.id, ip: clientInfo(request).ip },
      {
        action: "commission.payout_file_downloaded",
        targetType: "payout_batch",
        targetId: batchId,
        details: { reference: batch.reference, rows: rows.length - 1 },
      },
    );
    return { reference: batch.reference, rows };
  });
  if (!file) throw new Response("Not found", { status: 404 });
  return csvResponse(csvText(file.rows), `${tenant.slug}-${file.reference.replace(/[^A-Za-z0-9-]/g, "")}.csv`);
}

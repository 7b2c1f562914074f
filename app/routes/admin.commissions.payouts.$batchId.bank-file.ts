import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { uuidParam } from "~/lib/params";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { monthSlug, payoutBatch } from "~/modules/commissions/admin.server";
import { commissionBankFile } from "~/modules/commissions/bank-files/bank-file.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";

/**
 * /admin/commissions/payouts/:batchId/bank-file — the batch as the bulk-payment file of the bank
 * the agency chose (Maybank2u Biz CSV or CIMB BizChannel text; docs/decisions/047). Account
 * numbers are decrypted only to write it, so only payers may download it and every download is
 * audited. When any agent's line would be refused by the bank, no file: back to the month's page,
 * which lists every problem (`?bankFile=refused`).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "pay:payout:any");
  const batchId = uuidParam(params, "batchId");
  // Malaysian banks' formats only: another agency has no such file.
  if (tenant.currency !== "MYR") throw new Response("Not found", { status: 404 });
  const result = await withTenant(tenant.id, async (db) => {
    const batch = await payoutBatch(db, batchId);
    if (!batch) return null;
    const file = await commissionBankFile(db, { tenantId: tenant.id, tenantSlug: tenant.slug, batchId, timeZone: tenant.timeZone });
    if (file?.ok)
      await recordAudit(
        db,
        { userId: user.id, ip: clientInfo(request).ip },
        {
          action: "commission.bank_file_downloaded",
          targetType: "payout_batch",
          targetId: batchId,
          details: { reference: batch.reference, file: file.fileName, lines: file.lines, totalMinor: file.totalMinor },
        },
      );
    return { batch, file };
  });
  if (!result?.file) throw new Response("Not found", { status: 404 });
  const { batch, file } = result;
  if (!file.ok) return redirect(`/admin/commissions/months/${monthSlug(batch.month)}?bankFile=refused#bank-file`);
  return new Response(file.text, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

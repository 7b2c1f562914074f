import type { LoaderFunctionArgs } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { ledgerCsvStream, ledgerFiltersFrom, requireCommissionPermission } from "~/modules/commissions/admin.server";
import { quoteDateIn } from "~/modules/rating/dates";

/**
 * /admin/commissions.csv: the ledger's filtered set, every entry (not one page), streamed in
 * batches. Same filters as the page; cells quoted per RFC 4180 and formula-safe.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireCommissionPermission(request, "read:commission:any");
  const filters = ledgerFiltersFrom(new URL(request.url).searchParams);
  const body = ledgerCsvStream(filters, tenant.timeZone, (work) => withTenant(tenant.id, work));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${tenant.slug}-commissions-${quoteDateIn(tenant.timeZone)}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

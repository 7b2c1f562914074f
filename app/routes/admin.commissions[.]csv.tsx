import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvRefused, csvResponse } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { ledgerCsvStream, ledgerFiltersFrom } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { quoteDateIn } from "~/modules/rating/dates";

/**
 * /admin/commissions.csv: the ledger's filtered set, every entry (not one page), streamed in
 * batches. Same filters as the page; cells quoted per RFC 4180 and formula-safe.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:commission:any");
  const { filters, ignored } = ledgerFiltersFrom(new URL(request.url).searchParams);
  if (ignored.length) return csvRefused(ignored);
  const body = ledgerCsvStream(filters, tenant.timeZone, (work) => withTenant(tenant.id, work));
  return csvResponse(body, `${tenant.slug}-commissions-${quoteDateIn(tenant.timeZone)}.csv`);
}

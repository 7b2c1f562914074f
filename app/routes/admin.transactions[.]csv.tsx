import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvRefused, csvResponse } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { requirePermission } from "~/modules/auth/guards.server";
import { transactionFiltersFrom, transactionsCsvStream } from "~/modules/payments/transactions-admin.server";
import { quoteDateIn } from "~/modules/rating/dates";

/**
 * /admin/transactions.csv: the transactions list's filtered set, every row (not one page), streamed
 * in batches. Same filters as the page; cells quoted per RFC 4180 and formula-safe.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:transaction:any");
  const { filters, ignored } = transactionFiltersFrom(new URL(request.url).searchParams);
  if (ignored.length) return csvRefused(ignored);
  const body = transactionsCsvStream(filters, tenant.timeZone, (work) => withTenant(tenant.id, work));
  return csvResponse(body, `${tenant.slug}-transactions-${quoteDateIn(tenant.timeZone)}.csv`);
}

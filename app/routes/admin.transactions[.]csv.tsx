import type { LoaderFunctionArgs } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { requirePermission } from "~/modules/auth/guards.server";
import { transactionFiltersFrom, transactionsCsvStream } from "~/modules/payments/admin.server";

/**
 * /admin/transactions.csv: the transactions list's filtered set, every row (not one page), streamed
 * in batches. Same filters as the page; cells quoted per RFC 4180 and formula-safe.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:transaction:any");
  const filters = transactionFiltersFrom(new URL(request.url).searchParams);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: tenant.timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(),
  );
  const body = transactionsCsvStream(filters, tenant.timeZone, (work) => withTenant(tenant.id, work));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${tenant.slug}-transactions-${today}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

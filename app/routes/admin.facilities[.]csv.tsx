import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvRefused, csvResponse } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { readFilters } from "~/lib/search-params";
import { requirePermission } from "~/modules/auth/guards.server";
import { listFilters } from "~/modules/facilities/directory.server";
import { facilitiesCsv } from "~/modules/facilities/import.server";
import { facilityListFiltersSchema, LIST_FILTER_LABELS } from "~/modules/facilities/schemas";

/**
 * /admin/facilities.csv: the directory as the list's filters narrow it, in the import's columns, so
 * the file can be edited in a spreadsheet and uploaded again.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:facility:any");
  const { filters, ignored } = readFilters(facilityListFiltersSchema, new URL(request.url).searchParams, LIST_FILTER_LABELS);
  if (ignored.length) return csvRefused(ignored);
  const csv = await withTenant(tenant.id, (db) => facilitiesCsv(db, listFilters(filters)));
  return csvResponse(csv, `${tenant.slug}-facilities.csv`);
}

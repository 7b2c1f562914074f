import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvRefused, csvResponse } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { requirePermission } from "~/modules/auth/guards.server";
import { FIGURE_TABLES, figuresCsv, figuresFiltersFrom, type FigureTable } from "~/modules/claims/figures.server";

/**
 * /admin/claims/figures.csv?table=open|settle|ratio|reasons — one of the figures page's tables, for
 * the same filters. A bad filter or table is refused before any byte (csvRefused).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:claims-report:any");
  const params = new URL(request.url).searchParams;
  const table = params.get("table") ?? "";
  if (!(FIGURE_TABLES as readonly string[]).includes(table)) return csvRefused([`Table: choose one of ${FIGURE_TABLES.join(", ")}.`]);
  const now = new Date();
  const { filters, ignored } = figuresFiltersFrom(params, tenant.timeZone, now);
  if (ignored.length) return csvRefused(ignored);
  const body = await withTenant(tenant.id, (db) => figuresCsv(db, table as FigureTable, filters, tenant, now));
  return csvResponse(body, `${tenant.slug}-claims-${table}-${filters.from}-to-${filters.to}.csv`);
}

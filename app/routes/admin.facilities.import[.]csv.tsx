import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { requirePermission } from "~/modules/auth/guards.server";
import { facilitiesTemplateCsv } from "~/modules/facilities/import.server";

/** /admin/facilities/import.csv: the upload's template, with two example rows. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:facility:any");
  const csv = await withTenant(tenant.id, (db) => facilitiesTemplateCsv(db));
  return csvResponse(csv, `${tenant.slug}-facilities-template.csv`);
}

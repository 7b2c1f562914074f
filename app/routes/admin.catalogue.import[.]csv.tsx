import type { LoaderFunctionArgs } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { requirePermission } from "~/modules/auth/guards.server";
import { templateCsv } from "~/modules/catalogue/csv-import.server";

/** /admin/catalogue/import.csv: the template, with this agency's own category and insurer slugs. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:catalogue:any");
  const csv = await withTenant(tenant.id, (db) => templateCsv(db));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${tenant.slug}-products-template.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { formatDate } from "~/lib/dates";
import { withTenant } from "~/lib/db.server";
import { compareHref, compareSelectionFrom, compareTable } from "~/modules/catalogue/compare";
import { pricingContextFor } from "~/modules/catalogue/context.server";
import { productsBySlugs } from "~/modules/catalogue/product.server";
import { renderComparePdf } from "~/modules/documents/compare-pdf.server";
import { originOf, requireTenant } from "~/modules/tenancy/resolve.server";
import { serverT } from "~/modules/i18n/i18n.server";

/** /compare.pdf?p=…: the comparison as a PDF download (the same table as /compare). */
export async function loader({ request }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const { slugs } = compareSelectionFrom(new URL(request.url).searchParams.getAll("p"));
  const ctx = pricingContextFor(tenant);
  const products = await withTenant(tenant.id, (db) => productsBySlugs(db, slugs));
  // Nothing of this agency's to compare (no slugs, unknown ones, another agency's): not found.
  if (!products.length) throw new Response("Not found", { status: 404 });
  const now = new Date();
  // The visitor reads it: the request's language (tenant.locale already follows it).
  const pdf = await renderComparePdf(tenant, compareTable(products, ctx, await serverT(tenant.language, "storefront")), {
    shareUrl: `${originOf(request)}${compareHref(products.map((p) => p.slug))}`,
    generatedOn: formatDate(now, tenant.locale, tenant.timeZone),
    createdAt: now,
    language: tenant.language,
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${tenant.slug}-comparison.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
}

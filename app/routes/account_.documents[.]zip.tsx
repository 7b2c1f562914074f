import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/guards.server";
import { contentDisposition } from "~/modules/files/signed-links.server";
import { documentFilters } from "~/modules/my-documents/page.server";
import { documentEntries, zipStream } from "~/modules/my-documents/zip.server";

/**
 * /account/documents.zip: the signed-in person's documents (the hub's filters apply) as one ZIP,
 * streamed as it is written. Only their own documents: the list is read for the session's user.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const { filters } = documentFilters(new URL(request.url));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(zipStream(documentEntries(tenant.id, user.id, filters)), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": contentDisposition(`Documents-${day}.zip`),
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { uuidParam } from "~/lib/params";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo, requireUser } from "~/modules/auth/guards.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { exportFileFor } from "~/modules/privacy/exports.server";

/**
 * /account/privacy/exports/<id>: the link in the "your data is ready" email. Signed-in as the person
 * it belongs to, it answers with a fresh five-minute download link signed for them; signed out, it
 * asks them to sign in; anyone else, an expired export or an unknown id get the same 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const exportId = uuidParam(params, "exportId");
  const file = await withTenant(tenant.id, async (db) => {
    const found = await exportFileFor(db, user.id, exportId);
    if (found) {
      await recordAudit(
        db,
        { userId: user.id, ip: clientInfo(request).ip },
        {
          action: "privacy.export_downloaded",
          targetType: "user",
          targetId: user.id,
          details: { exportId },
        },
      );
    }
    return found;
  });
  if (!file) throw new Response("Not found", { status: 404 });
  return redirect(
    signDownload({ tenantId: tenant.id, fileKey: file.fileKey, userId: user.id, filename: file.filename, expiresInSeconds: 300 }),
    {
      headers: { "Cache-Control": "no-store" },
    },
  );
}

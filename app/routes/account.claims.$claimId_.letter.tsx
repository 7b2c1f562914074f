import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { claimLetterFor, type LetterKind } from "~/modules/claims/letters.server";
import { signDownload } from "~/modules/files/signed-links.server";

/**
 * /account/claims/<claimId>/letter[?letter=settlement|decision]: a claim's settlement or decision
 * letter (PDF), through a fresh short-lived link signed for this user. The claimant, their agent
 * (a member's claim) and staff who read claims may download it; for anyone else, and for a claim
 * without that letter yet, 404, exactly like a claim that does not exist.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const claimId = uuidParam(params, "claimId");
  const asked = new URL(request.url).searchParams.get("letter");
  const kind: LetterKind | undefined = asked === "settlement" || asked === "decision" ? asked : undefined;
  const letter = await withTenant(tenant.id, (db) =>
    claimLetterFor(db, claimId, { userId: user.id, staff: can(user.roles, "read:claim:any") }, kind),
  );
  if (!letter) throw new Response("Not found", { status: 404 });
  return redirect(
    signDownload({ tenantId: tenant.id, fileKey: letter.key, userId: user.id, filename: letter.filename, expiresInSeconds: 300 }),
    {
      headers: { "Cache-Control": "no-store" },
    },
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { uuidParam } from "~/lib/params";
import { myStatement } from "~/modules/commissions/portal.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { requireAgent } from "~/modules/network/current-agent.server";

/**
 * /agent/statements/<id>/download: the agent's own statement PDF, through a fresh short-lived link
 * signed for this user (the statements page never holds links that expire while it is open).
 * Another agent's statement answers 404, exactly like one that does not exist; a statement whose
 * PDF is still being made answers 409 with a word on why.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user, agent } = await requireAgent(request, "read:network:own");
  const statementId = uuidParam(params, "statementId");
  const statement = await withTenant(tenant.id, (db) => myStatement(db, agent.id, statementId));
  if (!statement) throw new Response("Not found", { status: 404 });
  if (!statement.fileKey) {
    throw new Response("This statement's PDF is still being prepared. Try again in a minute.", { status: 409, statusText: "Not ready" });
  }
  const filename = `Statement-${agent.agentNumber}-${statement.month.slice(0, 7)}.pdf`;
  return redirect(signDownload({ tenantId: tenant.id, fileKey: statement.fileKey, userId: user.id, filename, expiresInSeconds: 300 }), {
    headers: { "Cache-Control": "no-store" },
  });
}

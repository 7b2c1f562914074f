import type { LoaderFunctionArgs } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { entryFiltersFrom, myEntriesCsvStream } from "~/modules/commissions/portal.server";
import { requireAgent } from "~/modules/network/current-agent.server";

/**
 * /agent/commissions.csv: the agent's own entries under the page's filters, every row (not one
 * page), streamed in batches; cells quoted per RFC 4180 and formula-safe (the back office's CSV cells).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const filters = entryFiltersFrom(new URL(request.url).searchParams);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: tenant.timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(),
  );
  const body = myEntriesCsvStream(agent.id, filters, tenant.timeZone, (work) => withTenant(tenant.id, work));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${tenant.slug}-commissions-${agent.agentNumber}-${today}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

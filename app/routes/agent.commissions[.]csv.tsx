import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvRefused, csvResponse } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { entryFiltersFrom, myEntriesCsvStream } from "~/modules/commissions/portal.server";
import { requireAgent } from "~/modules/network/current-agent.server";
import { quoteDateIn } from "~/modules/rating/dates";

/**
 * /agent/commissions.csv: the agent's own entries under the page's filters, every row (not one
 * page), streamed in batches; cells quoted per RFC 4180 and formula-safe (the back office's CSV cells).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const { filters, ignored } = entryFiltersFrom(new URL(request.url).searchParams);
  if (ignored.length) return csvRefused(ignored);
  const body = myEntriesCsvStream(agent.id, filters, tenant.timeZone, (work) => withTenant(tenant.id, work));
  return csvResponse(body, `${tenant.slug}-commissions-${agent.agentNumber}-${quoteDateIn(tenant.timeZone)}.csv`);
}

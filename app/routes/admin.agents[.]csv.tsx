import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvRefused, csvResponse } from "~/lib/csv.server";
import { withTenant } from "~/lib/db.server";
import { agentFiltersFrom } from "~/modules/network/agent-schemas";
import { agentsCsvStream } from "~/modules/network/directory.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { quoteDateIn } from "~/modules/rating/dates";

/**
 * /admin/agents.csv: every agent the list page's filters select (not one page), streamed in
 * batches. Cells quoted per RFC 4180 and formula-safe; bank accounts only ever masked.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:agent:any");
  const { filters, ignored } = agentFiltersFrom(new URL(request.url).searchParams);
  if (ignored.length) return csvRefused(ignored);
  const body = agentsCsvStream(filters, tenant.timeZone, (work) => withTenant(tenant.id, work));
  return csvResponse(body, `agents-${tenant.slug}-${quoteDateIn(tenant.timeZone)}.csv`);
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AlertsTable } from "~/components/admin/alerts-table";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withPlatform } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { clientInfo } from "~/modules/auth/guards.server";
import { listPlatformAlerts, resolvePlatformAlert } from "~/modules/alerts/alerts.server";
import { requireOperator } from "~/modules/platform/operators.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOperator(request);
  const page = pageFrom(request);
  const result = await withPlatform((db) => listPlatformAlerts(db, { page }));
  const at = (d: Date) => formatDateTime(d, "en-GB", "UTC");
  return json({
    page,
    hasMore: result.hasMore,
    alerts: result.rows.map((a) => ({
      id: a.id,
      title: a.title,
      detail: a.detail,
      tenantName: a.tenantName,
      occurrences: a.occurrences,
      firstSeen: at(a.first_seen_at),
      lastSeen: at(a.last_seen_at),
      resolved: a.resolved_at ? at(a.resolved_at) : null,
    })),
  });
}

const resolveSchema = z.object({ alertId: lineText().uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const operator = await requireOperator(request);
  const parsed = resolveSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ message: "Choose an alert to resolve." }, { status: 400 });
  await withPlatform((db) => resolvePlatformAlert(db, parsed.data.alertId, { operatorId: operator.id, ip: clientInfo(request).ip }));
  return redirect("/console/alerts");
}

/** Platform-wide trouble (work without an agency). Each incident is also logged once at error level. */
export default function ConsoleAlerts() {
  const { page, hasMore, alerts } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">
            Trouble that is not one agency&apos;s to fix, such as background work without an agency that failed for good. Times in UTC.
          </p>
        </div>
      </div>
      {alerts.length === 0 ? (
        <div className="card empty">
          <p>{page > 1 ? "No more alerts." : "No alerts. All is well."}</p>
        </div>
      ) : (
        <AlertsTable alerts={alerts} canResolve showTenant />
      )}
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Alerts");

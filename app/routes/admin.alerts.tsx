import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AlertsTable } from "~/components/admin/alerts-table";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { listAlerts, resolveAlert } from "~/modules/alerts/alerts.server";
import { serverT } from "~/modules/i18n/i18n.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:alert:any");
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listAlerts(db, { page }));
  const at = (d: Date) => formatDateTime(d, tenant.locale, tenant.timeZone);
  const t = await serverT(tenant.language, "admin-messages");
  return json({
    title: t("alerts.title"),
    page,
    hasMore: result.hasMore,
    alerts: result.rows.map((a) => ({
      id: a.id,
      title: a.title,
      detail: a.detail,
      occurrences: a.occurrences,
      firstSeen: at(a.first_seen_at),
      lastSeen: at(a.last_seen_at),
      resolved: a.resolved_at ? at(a.resolved_at) : null,
    })),
  });
}

const resolveSchema = z.object({ alertId: lineText().uuid() });

/** Resolving closes the incident: the next occurrence opens a new one and notifies again. */
export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:alert:any");
  const parsed = resolveSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const t = await serverT(tenant.language, "admin-messages");
    return json({ message: t("alerts.chooseOne") }, { status: 400 });
  }
  await withTenant(tenant.id, (db) => resolveAlert(db, parsed.data.alertId, { userId: user.id, ip: clientInfo(request).ip }));
  return redirect("/admin/alerts");
}

export default function Alerts() {
  const { page, hasMore, alerts } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-messages");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("alerts.title")}</h1>
          <p className="muted">{t("alerts.intro")}</p>
        </div>
      </div>
      {alerts.length === 0 ? (
        <div className="card empty">
          <p>{page > 1 ? t("alerts.noMore") : t("alerts.none")}</p>
        </div>
      ) : (
        <AlertsTable alerts={alerts} canResolve />
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Alerts");

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BatchStatusBadge } from "~/components/commissions/badges";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { monthSlug } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { commissionMonths } from "~/modules/commissions/close.server";
import { monthLabel, monthOf } from "~/modules/commissions/months";
import { serverT } from "~/modules/i18n/i18n.server";

/** /admin/commissions/months — each commission month: open or closed, its entries and total, its payout batch. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:commission:any");
  const months = await withTenant(tenant.id, (db) => commissionMonths(db, { timeZone: tenant.timeZone }));
  const current = monthOf(new Date(), tenant.timeZone);
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  return json({
    title: (await serverT(tenant.language, "admin-network"))("months.title"),
    timeZone: tenant.timeZone,
    months: months.map((m) => ({
      slug: monthSlug(m.month),
      label: monthLabel(m.month, tenant.locale),
      closed: m.status === "closed",
      ended: m.month < current,
      entries: m.entries,
      total: money(m.totalMinor),
      closedAt: m.closedAt ? formatDateTime(m.closedAt, tenant.locale, tenant.timeZone) : null,
      batch: m.batch ? { reference: m.batch.reference, status: m.batch.status, total: money(m.batch.totalMinor) } : null,
    })),
  });
}

export default function CommissionMonths() {
  const { months, timeZone } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-network");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("commissionsNav.months")}</h1>
          <p className="muted">{t("months.intro", { zone: timeZone.replace("_", " ") })}</p>
        </div>
      </div>
      {months.length === 0 ? (
        <div className="card empty">
          <p>{t("months.none")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("ledger.month")}</th>
                <th scope="col">{t("agents.status")}</th>
                <th scope="col">{t("months.entries")}</th>
                <th scope="col">{t("months.total")}</th>
                <th scope="col">{t("months.batch")}</th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.slug}>
                  <td data-label={t("ledger.month")}>
                    <Link to={`/admin/commissions/months/${m.slug}`}>{m.label}</Link>
                  </td>
                  <td data-label={t("agents.status")}>
                    <span>
                      {m.closed ? (
                        <span className="badge badge-active">{t("months.closed")}</span>
                      ) : m.ended ? (
                        <span className="badge badge-pending">{t("months.ready")}</span>
                      ) : (
                        <span className="badge">{t("months.open")}</span>
                      )}
                      {m.closedAt ? <span className="muted small"> {m.closedAt}</span> : null}
                    </span>
                  </td>
                  <td data-label={t("months.entries")}>{m.entries}</td>
                  <td data-label={t("months.total")}>{m.total}</td>
                  <td data-label={t("months.batch")}>
                    {m.batch ? (
                      <span>
                        {m.batch.reference} · {m.batch.total} <BatchStatusBadge status={m.batch.status} />
                      </span>
                    ) : (
                      <span className="muted">{m.closed ? t("months.nothingToPay") : "—"}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Commission months");

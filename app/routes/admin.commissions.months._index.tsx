// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BatchStatusBadge } from "~/components/commissions/badges";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { monthSlug } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { commissionMonths } from "~/modules/commissions/close.server";
import { monthLabel, monthOf } from "~/modules/commissions/months";

/** /admin/commissions/months — each commission month: open or closed, its entries and total, its payout batch. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "read:commission:any");
  const months = await withTenant(tenant.id, (db) => commissionMonths(db, { timeZone: tenant.timeZone }));
  const current = monthOf(new Date(), tenant.timeZone);
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  return json({
    timeZone: tenant.timeZone,
    months: months.map((m) => ({
      slug: monthSlug(m.month),
      label: monthLabel(m.month),
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
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Months &amp; payouts</h1>
          <p className="muted">
            A month (in {timeZone.replace("_", " ")} time) closes once it has ended: its entries are approved, caps applied, a statement
            written for each agent and the payouts gathered in one batch for the bank.
          </p>
        </div>
      </div>
      {months.length === 0 ? (
        <div className="card empty">
          <p>No commission month yet.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Status</th>
                <th scope="col">Entries</th>
                <th scope="col">Total</th>
                <th scope="col">Payout batch</th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.slug}>
                  <td data-label="Month">
                    <Link to={`/admin/commissions/months/${m.slug}`}>{m.label}</Link>
                  </td>
                  <td data-label="Status">
                    <span>
                      {m.closed ? (
                        <span className="badge badge-active">Closed</span>
                      ) : m.ended ? (
                        <span className="badge badge-pending">Ready to close</span>
                      ) : (
                        <span className="badge">Open</span>
                      )}
                      {m.closedAt ? <span className="muted small"> {m.closedAt}</span> : null}
                    </span>
                  </td>
                  <td data-label="Entries">{m.entries}</td>
                  <td data-label="Total">{m.total}</td>
                  <td data-label="Payout batch">
                    {m.batch ? (
                      <span>
                        {m.batch.reference} · {m.batch.total} <BatchStatusBadge status={m.batch.status} />
                      </span>
                    ) : (
                      <span className="muted">{m.closed ? "Nothing to pay" : "—"}</span>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Commission months");

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountNav } from "~/components/account/account-nav";
import { PolicyBadge } from "~/components/account/status";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requireUser } from "~/modules/auth/guards.server";
import { listMyPolicies } from "~/modules/policies/customer.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMyPolicies(db, user.id, { page }));
  // Cover and due dates are calendar dates (no time of day): shown as they are, whatever the zone.
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  return json({
    page,
    hasMore: result.hasMore,
    total: result.total,
    policies: result.rows.map((p) => ({
      id: p.id,
      policyNumber: p.policyNumber,
      status: p.status,
      declineReason: p.declineReason,
      productName: p.productName,
      insurerName: p.insurerName,
      categoryName: p.categoryName,
      orderReference: p.orderReference,
      frequency: p.frequency,
      startDate: day(p.startDate),
      endDate: day(p.endDate),
      next: p.nextInstalment
        ? {
            dueDate: day(p.nextInstalment.dueDate),
            amount: formatMoney(p.nextInstalment.amountMinor, p.currency, tenant.locale),
            overdue: p.nextInstalment.status === "overdue",
          }
        : null,
    })),
  });
}

export default function MyPolicies() {
  const { page, hasMore, total, policies } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("policies.title")}</h1>
          <p className="muted">{total === 0 ? t("policies.empty") : t("policies.count", { count: total })}</p>
        </div>
      </div>
      <AccountNav />

      {policies.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">{page > 1 ? t("policies.noMore") : t("policies.none")}</p>
          <p>{t("policies.whenYouBuy")}</p>
          <Link to="/products" className="btn btn-primary">
            {t("policies.browse")}
          </Link>
        </div>
      ) : (
        <ul className="policy-list" aria-label={t("policies.listLabel")}>
          {policies.map((p) => (
            <li key={p.id} className="card policy-card">
              <div className="policy-card-head">
                <h2>
                  <Link to={`/account/policies/${p.id}`}>{p.productName}</Link>
                </h2>
                <PolicyBadge status={p.status} />
              </div>
              <p className="muted">
                {p.insurerName} · {p.categoryName}
              </p>
              <dl className="details-list">
                <dt>{t("policies.policyNumber")}</dt>
                <dd>{p.policyNumber ?? <span className="muted">{t("policies.notIssued", { reference: p.orderReference })}</span>}</dd>
                {p.startDate ? (
                  <>
                    <dt>{t("policies.cover")}</dt>
                    <dd>{t("policies.coverDates", { start: p.startDate, end: p.endDate ?? "—" })}</dd>
                  </>
                ) : null}
                <dt>{t("policies.payments")}</dt>
                <dd>{t(`frequency.${p.frequency}`, { defaultValue: p.frequency })}</dd>
                {p.next ? (
                  <>
                    <dt>{t("policies.nextInstalment")}</dt>
                    <dd>
                      {t("policies.amountDue", { amount: p.next.amount, date: p.next.dueDate })}
                      {p.next.overdue ? (
                        <>
                          {" "}
                          <span className="badge badge-failed">{t("policies.overdue")}</span>
                        </>
                      ) : null}
                    </dd>
                  </>
                ) : null}
                {p.status === "declined" && p.declineReason ? (
                  <>
                    <dt>{t("policies.reason")}</dt>
                    <dd>{p.declineReason}</dd>
                  </>
                ) : null}
              </dl>
              {p.status === "pending_underwriting" ? <p className="muted small">{t("policies.underwriting")}</p> : null}
              <p className="section-actions">
                <Link
                  to={`/account/policies/${p.id}`}
                  aria-label={t("policies.viewLabel", { name: p.policyNumber ? `${p.productName} ${p.policyNumber}` : p.productName })}
                >
                  {t("policies.view")}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My policies");

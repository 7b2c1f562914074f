import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/admin/status-badge";
import { FilterActions, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { serverT } from "~/modules/i18n/i18n.server";
import { listPolicies, POLICY_STATUS_LABELS, policyFiltersFrom } from "~/modules/policies/admin.server";
import { quoteDateIn } from "~/modules/rating";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:policy:any");
  const { filters, ignored } = policyFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listPolicies(db, { ...filters, page, today: quoteDateIn(tenant.timeZone) }));
  const date = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("policies.title"),
    filters: { q: filters.q ?? "", status: filters.status ?? "", ending: filters.ending ?? "" },
    ignored,
    statuses: Object.keys(POLICY_STATUS_LABELS).map((value) => ({ value, label: t(`policyStatus.${value}`) })),
    page,
    hasMore: result.hasMore,
    total: result.total,
    canSeeTransactions: can(user.roles, "read:transaction:any"),
    canUnderwrite: can(user.roles, "underwrite:policy:any"),
    rows: result.rows.map((p) => ({
      id: p.id,
      number: p.policyNumber,
      status: p.status,
      statusLabel: t(`policyStatus.${p.status}`),
      product: p.productName,
      insurer: p.insurerName,
      customerName: p.customerName,
      customerEmail: p.customerEmail,
      orderReference: p.orderReference,
      paidTransactionId: p.paidTransactionId,
      premium: t("policies.premiumEvery", {
        amount: formatMoney(p.instalmentMinor, p.currency, tenant.locale),
        frequency: t(`frequency.${p.frequency}`, { defaultValue: p.frequency }),
      }),
      cover: p.startDate ? t("policies.cover", { start: date(p.startDate), end: date(p.endDate) ?? "…" }) : null,
      created: t("policies.created", { date: formatDate(p.createdAt, tenant.locale, tenant.timeZone) }),
    })),
  });
}

export default function AdminPolicies() {
  const { ignored, filters, statuses, page, hasMore, total, rows, canSeeTransactions, canUnderwrite } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.status || filters.ending);
  const { t } = useTranslation("admin");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("policies.title")}</h1>
          <p className="muted">
            {t(filtered ? "policies.summaryFiltered" : "policies.summary", { policies: t("policies.count", { count: total }) })}
          </p>
        </div>
        {canUnderwrite ? <Link to="/admin/underwriting">{t("policies.underwritingQueue")}</Link> : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("policies.filter")}>
        <div className="field grow">
          <label htmlFor="policies-q">{t("policies.search")}</label>
          <input id="policies-q" type="search" name="q" defaultValue={filters.q} placeholder={t("policies.searchExample")} />
        </div>
        <div className="field">
          <label htmlFor="policies-status">{t("policies.status")}</label>
          <select id="policies-status" name="status" defaultValue={filters.status}>
            <option value="">{t("policies.anyStatus")}</option>
            {statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="policies-ending">{t("policies.renewal")}</label>
          <select id="policies-ending" name="ending" defaultValue={filters.ending}>
            <option value="">{t("policies.anyEnd")}</option>
            <option value="soon">{t("policies.endingSoon")}</option>
          </select>
        </div>
        <FilterActions path="/admin/policies" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />
      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("policies.noMatch")} <Link to="/admin/policies">{t("policies.showAll")}</Link>
            </p>
          ) : (
            <p>{t("policies.empty")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("policies.policy")}</th>
                <th scope="col">{t("policies.product")}</th>
                <th scope="col">{t("policies.customer")}</th>
                <th scope="col">{t("policies.premium")}</th>
                <th scope="col">{t("policies.status")}</th>
                <th scope="col">{t("policies.payment")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id}>
                  <td data-label={t("policies.policy")}>
                    <span className="break">
                      {p.status === "pending_underwriting" && canUnderwrite ? (
                        <Link to={`/admin/underwriting/${p.id}`}>{p.number ?? t("policies.review")}</Link>
                      ) : (
                        <Link to={`/admin/policies/${p.id}`}>{p.number ?? t("policies.notNumbered")}</Link>
                      )}
                      <br />
                      <span className="muted small">{p.cover ?? p.created}</span>
                    </span>
                  </td>
                  <td data-label={t("policies.product")}>
                    <span>
                      {p.product}
                      <br />
                      <span className="muted small">{p.insurer}</span>
                    </span>
                  </td>
                  <td data-label={t("policies.customer")}>
                    <span className="break">
                      {p.customerName}
                      <br />
                      <span className="muted small">{p.customerEmail}</span>
                    </span>
                  </td>
                  <td data-label={t("policies.premium")}>{p.premium}</td>
                  <td data-label={t("policies.status")}>
                    <StatusBadge status={p.status} label={p.statusLabel} />
                  </td>
                  <td data-label={t("policies.payment")}>
                    {canSeeTransactions ? (
                      p.paidTransactionId ? (
                        <Link to={`/admin/transactions/${p.paidTransactionId}`}>{p.orderReference}</Link>
                      ) : (
                        <Link to={`/admin/transactions?q=${encodeURIComponent(p.orderReference)}`}>{p.orderReference}</Link>
                      )
                    ) : (
                      <span className="break">{p.orderReference}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Policies");

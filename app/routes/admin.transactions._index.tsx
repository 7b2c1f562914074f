import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/admin/status-badge";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import {
  listTransactions,
  METHOD_LABELS,
  PROVIDER_LABELS,
  TRANSACTION_STATUS_LABELS,
  transactionFiltersFrom,
  transactionFiltersQuery,
} from "~/modules/payments/transactions-admin.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:transaction:any");
  const { filters, ignored } = transactionFiltersFrom(new URL(request.url).searchParams);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listTransactions(db, filters, { page, timeZone: tenant.timeZone }));
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const query = transactionFiltersQuery(filters);
  const t = await serverT(tenant.language, "admin-payments");
  return json({
    title: t("transactions.title"),
    filters: {
      q: filters.q ?? "",
      status: filters.status ?? "",
      method: filters.method ?? "",
      provider: filters.provider ?? "",
      from: filters.from ?? "",
      to: filters.to ?? "",
    },
    filtered: query !== "",
    ignored,
    csvHref: `/admin/transactions.csv${query ? `?${query}` : ""}`,
    timeZone: tenant.timeZone,
    options: {
      statuses: Object.keys(TRANSACTION_STATUS_LABELS).map((value) => ({ value, label: t(`transactionStatus.${value}`) })),
      methods: Object.keys(METHOD_LABELS).map((value) => ({ value, label: t(`method.${value}`) })),
      providers: Object.keys(PROVIDER_LABELS).map((value) => ({ value, label: t(`provider.${value}`) })),
    },
    page,
    hasMore: result.hasMore,
    totals: {
      count: result.totals.count,
      byCurrency: result.totals.byCurrency.map((c) => ({
        currency: c.currency,
        count: c.count,
        amount: money(c.amountMinor, c.currency),
        refunded: c.refundedMinor > 0 ? money(c.refundedMinor, c.currency) : null,
        net: money(c.netMinor, c.currency),
      })),
    },
    rows: result.rows.map((r) => ({
      id: r.id,
      at: formatDateTime(r.createdAt, tenant.locale, tenant.timeZone),
      atIso: r.createdAt.toISOString(),
      status: r.status,
      statusLabel: t(`transactionStatus.${r.status}`),
      provider: t(`provider.${r.provider}`),
      method: t(`method.${r.method}`),
      live: r.mode === "live",
      amount: money(r.amountMinor, r.currency),
      refunded: r.refundedMinor > 0 ? money(r.refundedMinor, r.currency) : null,
      orderReference: r.orderReference,
      customerName: r.customerName,
      customerEmail: r.customerEmail,
      providerReceipt: r.providerReceipt,
      failureMessage: r.failureMessage,
    })),
  });
}

export default function AdminTransactions() {
  const { filters, filtered, ignored, csvHref, timeZone, options, page, hasMore, totals, rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-payments");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("transactions.title")}</h1>
          <p className="muted">{t("transactions.intro", { zone: timeZone.replace("_", " ") })}</p>
        </div>
        <a href={csvHref} className="btn btn-secondary" download>
          {t("transactions.downloadCsv")}
        </a>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("transactions.filter")}>
        <div className="field grow">
          <label htmlFor="tx-q">{t("transactions.search")}</label>
          <input id="tx-q" type="search" name="q" defaultValue={filters.q} placeholder={t("transactions.searchExample")} />
        </div>
        <FilterSelect
          id="tx-status"
          name="status"
          label={t("transactions.status")}
          any={t("transactions.anyStatus")}
          value={filters.status}
          options={options.statuses}
        />
        <FilterSelect
          id="tx-method"
          name="method"
          label={t("transactions.method")}
          any={t("transactions.anyMethod")}
          value={filters.method}
          options={options.methods}
        />
        <FilterSelect
          id="tx-provider"
          name="provider"
          label={t("transactions.provider")}
          any={t("transactions.anyProvider")}
          value={filters.provider}
          options={options.providers}
        />
        <div className="field">
          <label htmlFor="tx-from">{t("transactions.from")}</label>
          <input id="tx-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="tx-to">{t("transactions.to")}</label>
          <input id="tx-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <FilterActions path="/admin/transactions" filtered={filtered} />
      </Form>
      <IgnoredFilters ignored={ignored} />

      <section aria-labelledby="totals-title">
        <h2 id="totals-title" className="visually-hidden">
          {t("transactions.totals")}
        </h2>
        <ul className="stat-grid money-stats" aria-label={filtered ? t("transactions.totalsFiltered") : t("transactions.totalsAll")}>
          <li className="stat">
            <span className="stat-value">{totals.count}</span>
            <span className="stat-label">{t("transactions.countLabel", { count: totals.count })}</span>
          </li>
          {totals.byCurrency.map((c) => {
            const suffix = totals.byCurrency.length > 1 ? ` ${t("transactions.inCurrency", { count: c.count, currency: c.currency })}` : "";
            return (
              <Fragment key={c.currency}>
                <li className="stat">
                  <span className="stat-value">{c.amount}</span>
                  <span className="stat-label">
                    {t("transactions.amount")}
                    {suffix}
                  </span>
                </li>
                {c.refunded ? (
                  <li className="stat">
                    <span className="stat-value">{c.refunded}</span>
                    <span className="stat-label">
                      {t("transactions.refunded")}
                      {suffix}
                    </span>
                  </li>
                ) : null}
                <li className="stat">
                  <span className="stat-value">{c.net}</span>
                  <span className="stat-label">
                    {t("transactions.net")}
                    {suffix}
                  </span>
                </li>
              </Fragment>
            );
          })}
        </ul>
      </section>

      {rows.length === 0 ? (
        <div className="card empty">
          {filtered ? (
            <p>
              {t("transactions.noMatch")} <Link to="/admin/transactions">{t("transactions.showAll")}</Link>
            </p>
          ) : (
            <p>{t("transactions.empty")}</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("transactions.date")}</th>
                <th scope="col">{t("transactions.order")}</th>
                <th scope="col">{t("transactions.customer")}</th>
                <th scope="col">{t("transactions.method")}</th>
                <th scope="col">{t("transactions.amount")}</th>
                <th scope="col">{t("transactions.status")}</th>
                <th scope="col">{t("transactions.receipt")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td data-label={t("transactions.date")}>
                    <Link to={`/admin/transactions/${r.id}`}>
                      <time dateTime={r.atIso}>{r.at}</time>
                    </Link>
                  </td>
                  <td data-label={t("transactions.order")}>
                    <span className="break">{r.orderReference ?? <span className="muted">—</span>}</span>
                  </td>
                  <td data-label={t("transactions.customer")}>
                    <span className="break">
                      {r.customerName}
                      <br />
                      <span className="muted small">{r.customerEmail}</span>
                    </span>
                  </td>
                  <td data-label={t("transactions.method")}>
                    <span>
                      {r.method} <span className="muted small">{t("transactions.via", { provider: r.provider })}</span>
                      {r.live ? null : (
                        <>
                          {" "}
                          <span className="badge">{t("transactions.test")}</span>
                        </>
                      )}
                    </span>
                  </td>
                  <td data-label={t("transactions.amount")}>
                    <span>
                      {r.amount}
                      {r.refunded ? (
                        <>
                          <br />
                          <span className="muted small">{t("transactions.refundedAmount", { amount: r.refunded })}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("transactions.status")}>
                    <span>
                      <StatusBadge status={r.status} label={r.statusLabel} />
                      {r.failureMessage ? (
                        <>
                          <br />
                          <span className="muted small">{r.failureMessage}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t("transactions.receipt")}>
                    <span className="break">{r.providerReceipt ?? <span className="muted">—</span>}</span>
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Transactions");

import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FigureChart } from "~/components/agent/chart";
import { FilterActions, FilterSelect, IgnoredFilters } from "~/components/ui/filters";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import {
  AGE_BANDS,
  claimsRatio,
  figuresFiltersFrom,
  figuresFiltersQuery,
  openByStage,
  rejectionReasons,
  timeToSettle,
} from "~/modules/claims/figures.server";
import { queueOptions } from "~/modules/claims/queue.server";
import { serverT } from "~/modules/i18n/i18n.server";
import claimsStyles from "~/styles/claims-office.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimsStyles }];

/** /admin/claims/figures — open claims by stage and age, time to settle, the claims ratio and rejection reasons. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:claims-report:any");
  const now = new Date();
  const params = new URL(request.url).searchParams;
  const { filters, ignored } = figuresFiltersFrom(params, tenant.timeZone, now);
  const { open, settle, ratio, reasons, options } = await withTenant(tenant.id, async (db) => ({
    open: await openByStage(db, filters, now),
    settle: await timeToSettle(db, filters, tenant.timeZone),
    ratio: await claimsRatio(db, filters, tenant.timeZone),
    reasons: await rejectionReasons(db, filters, tenant.timeZone),
    options: await queueOptions(db),
  }));
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const percent = (value: number | null) =>
    value === null ? "—" : `${value.toLocaleString(tenant.locale, { minimumFractionDigits: 1 })}%`;
  const monthLabel = (month: string) =>
    new Intl.DateTimeFormat(tenant.locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
  const query = figuresFiltersQuery(filters);
  const explicit = ["from", "to", "product", "category"].some((k) => params.get(k));
  const t = await serverT(tenant.language, "admin-catalogue");
  // The staff's short label of each rejection reason; a code without one keeps the module's wording.
  const reasonLabel = (r: { code: string; label: string }) => t(`figures.reasons.labels.${r.code}`, { defaultValue: r.label });
  return json({
    title: t("figures.title"),
    locale: tenant.locale,
    filters: { from: filters.from, to: filters.to, product: filters.product ?? "", category: filters.category ?? "" },
    period: `${formatDate(filters.from, tenant.locale, "UTC")} – ${formatDate(filters.to, tenant.locale, "UTC")}`,
    filtered: explicit,
    ignored,
    options: { products: options.products, categories: options.categories },
    csvQuery: query,
    bands: AGE_BANDS.map((b) => t(`figures.bands.${b.key}`)),
    open: {
      rows: open,
      total: open.reduce((n, r) => n + r.total, 0),
      points: open.map((r) => ({ label: r.stage, value: r.total, display: String(r.total) })),
    },
    settle: {
      overall: {
        settled: settle.overall.settled,
        days: settle.overall.averageDays.toLocaleString(tenant.locale, { minimumFractionDigits: 1 }),
      },
      rows: settle.rows.map((r) => ({
        product: r.product,
        settled: r.settled,
        days: r.averageDays.toLocaleString(tenant.locale, { minimumFractionDigits: 1 }),
      })),
    },
    ratio: {
      total: { paid: money(ratio.total.paidMinor), earned: money(ratio.total.earnedMinor), ratio: percent(ratio.total.ratioPercent) },
      products: ratio.products.map((p) => ({
        product: p.product,
        paid: money(p.paidMinor),
        earned: money(p.earnedMinor),
        ratio: percent(p.ratioPercent),
      })),
      months: ratio.months.map((m) => ({
        month: m,
        label: monthLabel(m),
        paid: money(ratio.byMonth[m]!.paidMinor),
        earned: money(ratio.byMonth[m]!.earnedMinor),
        ratio: percent(ratio.byMonth[m]!.ratioPercent),
      })),
      points: ratio.months.map((m) => ({
        label: monthLabel(m),
        tick: m.slice(2).replace("-", "/"),
        value: ratio.byMonth[m]!.ratioPercent ?? 0,
        display: percent(ratio.byMonth[m]!.ratioPercent),
      })),
    },
    reasons: {
      rejected: reasons.rejected,
      rows: reasons.rows.map((r) => ({ ...r, label: reasonLabel(r) })),
      points: reasons.rows.map((r) => ({ label: reasonLabel(r), value: r.claims, display: String(r.claims) })),
    },
  });
}

export default function ClaimsFigures() {
  const { locale, filters, period, filtered, ignored, options, csvQuery, bands, open, settle, ratio, reasons } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-catalogue");
  const csv = (table: string) => `/admin/claims/figures.csv?table=${table}&${csvQuery}`;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/claims">{t("figures.claims")}</Link> / {t("figures.crumb")}
      </p>
      <div className="page-head">
        <div>
          <h1>{t("figures.title")}</h1>
          <p className="muted">{t("figures.period", { period })}</p>
        </div>
      </div>
      <Form method="get" className="filters" aria-label={t("figures.filter")}>
        <div className="field">
          <label htmlFor="cf-from">{t("figures.from")}</label>
          <input id="cf-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="cf-to">{t("figures.to")}</label>
          <input id="cf-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <FilterSelect
          id="cf-category"
          name="category"
          label={t("columns.category")}
          any={t("productList.allCategories")}
          value={filters.category}
          options={options.categories}
        />
        <FilterSelect
          id="cf-product"
          name="product"
          label={t("columns.product")}
          any={t("figures.allProducts")}
          value={filters.product}
          options={options.products}
        />
        <FilterActions path="/admin/claims/figures" filtered={filtered} label={t("figures.show")} />
      </Form>
      <IgnoredFilters ignored={ignored} />

      <section className="card stack" aria-labelledby="open-title">
        <div className="page-head">
          <h2 id="open-title">{t("figures.open.title")}</h2>
          <a href={csv("open")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        {open.rows.length === 0 ? (
          <p className="muted">{t("figures.open.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data age-table">
              <caption className="visually-hidden">{t("figures.open.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("figures.open.stage")}</th>
                  {bands.map((b) => (
                    <th scope="col" key={b}>
                      {b}
                    </th>
                  ))}
                  <th scope="col">{t("figures.open.total")}</th>
                </tr>
              </thead>
              <tbody>
                {open.rows.map((r) => (
                  <tr key={r.stage}>
                    <th scope="row">{r.stage}</th>
                    {r.bands.map((n, i) => (
                      <td key={bands[i]} data-label={bands[i]}>
                        {n}
                      </td>
                    ))}
                    <td data-label={t("figures.open.total")}>
                      <strong>{r.total}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <FigureChart
          title={t("figures.open.chart")}
          points={open.points}
          unit={{ kind: "count", locale }}
          labelHeader={t("figures.open.stage")}
          valueHeader={t("figures.open.claims")}
        />
      </section>

      <section className="card stack" aria-labelledby="settle-title">
        <div className="page-head">
          <h2 id="settle-title">{t("figures.settle.title")}</h2>
          <a href={csv("settle")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        <p>
          {settle.overall.settled === 0 ? (
            t("figures.settle.none")
          ) : (
            <>
              <strong>{t("figures.settle.days", { days: settle.overall.days })}</strong>{" "}
              {t("figures.settle.average", { count: settle.overall.settled })}
            </>
          )}
        </p>
        {settle.rows.length ? (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("columns.product")}</th>
                  <th scope="col">{t("figures.settle.settled")}</th>
                  <th scope="col">{t("figures.settle.averageDays")}</th>
                </tr>
              </thead>
              <tbody>
                {settle.rows.map((r) => (
                  <tr key={r.product}>
                    <th scope="row">{r.product}</th>
                    <td data-label={t("figures.settle.settled")}>{r.settled}</td>
                    <td data-label={t("figures.settle.averageDays")}>{r.days}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="ratio-title">
        <div className="page-head">
          <h2 id="ratio-title">{t("figures.ratio.title")}</h2>
          <a href={csv("ratio")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        <p className="muted small">{t("figures.ratio.explain")}</p>
        <p>
          {t("figures.ratio.over")} <strong>{ratio.total.ratio}</strong>{" "}
          {t("figures.ratio.amounts", { paid: ratio.total.paid, earned: ratio.total.earned })}
        </p>
        <FigureChart
          title={t("figures.ratio.byMonth")}
          points={ratio.points}
          unit={{ kind: "percent", locale }}
          variant="line"
          labelHeader={t("figures.ratio.month")}
          valueHeader={t("figures.ratio.title")}
        />
        {ratio.products.length ? (
          <RatioTable
            caption={t("figures.ratio.byProduct")}
            heading={t("columns.product")}
            rows={ratio.products.map((p) => ({ key: p.product, label: p.product, ...p }))}
          />
        ) : (
          <p className="muted">{t("figures.ratio.none")}</p>
        )}
        <details>
          <summary>{t("figures.ratio.byMonthSummary")}</summary>
          <RatioTable
            caption={t("figures.ratio.byMonth")}
            heading={t("figures.ratio.month")}
            rows={ratio.months.map((m) => ({ key: m.month, ...m }))}
          />
        </details>
      </section>

      <section className="card stack" aria-labelledby="reasons-title">
        <div className="page-head">
          <h2 id="reasons-title">{t("figures.reasons.title")}</h2>
          <a href={csv("reasons")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        <p>{t("figures.reasons.rejected", { count: reasons.rejected })}</p>
        <FigureChart
          title={t("figures.reasons.given")}
          points={reasons.points}
          unit={{ kind: "count", locale }}
          labelHeader={t("figures.reasons.reason")}
          valueHeader={t("figures.reasons.claims")}
        />
      </section>
    </div>
  );
}

/** Claims paid, premium earned and their ratio, one row per product or month. */
function RatioTable({
  caption,
  heading,
  rows,
}: {
  caption: string;
  heading: string;
  rows: { key: string; label: string; paid: string; earned: string; ratio: string }[];
}) {
  const { t } = useTranslation("admin-catalogue");
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">{t("figures.ratio.paid")}</th>
            <th scope="col">{t("figures.ratio.earned")}</th>
            <th scope="col">{t("figures.ratio.title")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td data-label={t("figures.ratio.paid")}>{r.paid}</td>
              <td data-label={t("figures.ratio.earned")}>{r.earned}</td>
              <td data-label={t("figures.ratio.title")}>{r.ratio}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Claims figures");

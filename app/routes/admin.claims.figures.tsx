// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
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
  return json({
    locale: tenant.locale,
    filters: { from: filters.from, to: filters.to, product: filters.product ?? "", category: filters.category ?? "" },
    period: `${formatDate(filters.from, tenant.locale, "UTC")} – ${formatDate(filters.to, tenant.locale, "UTC")}`,
    filtered: explicit,
    ignored,
    options: { products: options.products, categories: options.categories },
    csvQuery: query,
    bands: AGE_BANDS.map((b) => b.label),
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
      rows: reasons.rows,
      points: reasons.rows.map((r) => ({ label: r.label, value: r.claims, display: String(r.claims) })),
    },
  });
}

export default function ClaimsFigures() {
  const { locale, filters, period, filtered, ignored, options, csvQuery, bands, open, settle, ratio, reasons } =
    useLoaderData<typeof loader>();
  const csv = (table: string) => `/admin/claims/figures.csv?table=${table}&${csvQuery}`;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/claims">Claims</Link> / Figures
      </p>
      <div className="page-head">
        <div>
          <h1>Claims figures</h1>
          <p className="muted">{period}. Open claims are as they stand now.</p>
        </div>
      </div>
      <Form method="get" className="filters" aria-label="Filter the figures">
        <div className="field">
          <label htmlFor="cf-from">From</label>
          <input id="cf-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="cf-to">To</label>
          <input id="cf-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <FilterSelect
          id="cf-category"
          name="category"
          label="Category"
          any="All categories"
          value={filters.category}
          options={options.categories}
        />
        <FilterSelect
          id="cf-product"
          name="product"
          label="Product"
          any="All products"
          value={filters.product}
          options={options.products}
        />
        <FilterActions path="/admin/claims/figures" filtered={filtered} label="Show" />
      </Form>
      <IgnoredFilters ignored={ignored} />

      <section className="card stack" aria-labelledby="open-title">
        <div className="page-head">
          <h2 id="open-title">Open claims by stage and age</h2>
          <a href={csv("open")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        {open.rows.length === 0 ? (
          <p className="muted">No open claims.</p>
        ) : (
          <div className="table-wrap">
            <table className="data age-table">
              <caption className="visually-hidden">Open claims by stage and days since filing</caption>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  {bands.map((b) => (
                    <th scope="col" key={b}>
                      {b}
                    </th>
                  ))}
                  <th scope="col">Total</th>
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
                    <td data-label="Total">
                      <strong>{r.total}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <FigureChart
          title="Open claims by stage"
          points={open.points}
          unit={{ kind: "count", locale }}
          labelHeader="Stage"
          valueHeader="Open claims"
        />
      </section>

      <section className="card stack" aria-labelledby="settle-title">
        <div className="page-head">
          <h2 id="settle-title">Time to settle</h2>
          <a href={csv("settle")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        <p>
          {settle.overall.settled === 0 ? (
            "No claim was settled in this period."
          ) : (
            <>
              <strong>{settle.overall.days} days</strong> on average from filing to settlement, over {settle.overall.settled}{" "}
              {settle.overall.settled === 1 ? "claim" : "claims"} settled in the period.
            </>
          )}
        </p>
        {settle.rows.length ? (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Settled</th>
                  <th scope="col">Average days</th>
                </tr>
              </thead>
              <tbody>
                {settle.rows.map((r) => (
                  <tr key={r.product}>
                    <th scope="row">{r.product}</th>
                    <td data-label="Settled">{r.settled}</td>
                    <td data-label="Average days">{r.days}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="ratio-title">
        <div className="page-head">
          <h2 id="ratio-title">Claims ratio</h2>
          <a href={csv("ratio")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        <p className="muted small">
          Claims paid in the period over the premium earned in it. Premium is earned evenly over each day of cover: a month earns the annual
          premium × the days covered in it ÷ the days of the policy&apos;s term.
        </p>
        <p>
          Over the period: <strong>{ratio.total.ratio}</strong> ({ratio.total.paid} paid, {ratio.total.earned} earned).
        </p>
        <FigureChart
          title="Claims ratio by month"
          points={ratio.points}
          unit={{ kind: "percent", locale }}
          variant="line"
          labelHeader="Month"
          valueHeader="Claims ratio"
        />
        {ratio.products.length ? (
          <RatioTable
            caption="Claims ratio by product over the period"
            heading="Product"
            rows={ratio.products.map((p) => ({ key: p.product, label: p.product, ...p }))}
          />
        ) : (
          <p className="muted">No premium earned and no claim paid in this period.</p>
        )}
        <details>
          <summary>By month</summary>
          <RatioTable caption="Claims ratio by month" heading="Month" rows={ratio.months.map((m) => ({ key: m.month, ...m }))} />
        </details>
      </section>

      <section className="card stack" aria-labelledby="reasons-title">
        <div className="page-head">
          <h2 id="reasons-title">Rejection reasons</h2>
          <a href={csv("reasons")} className="btn btn-secondary" download>
            CSV
          </a>
        </div>
        <p>
          {reasons.rejected} {reasons.rejected === 1 ? "claim" : "claims"} rejected in the period.
        </p>
        <FigureChart
          title="Reasons given"
          points={reasons.points}
          unit={{ kind: "count", locale }}
          labelHeader="Reason"
          valueHeader="Claims"
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
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">Claims paid</th>
            <th scope="col">Premium earned</th>
            <th scope="col">Claims ratio</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td data-label="Claims paid">{r.paid}</td>
              <td data-label="Premium earned">{r.earned}</td>
              <td data-label="Claims ratio">{r.ratio}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Claims figures");

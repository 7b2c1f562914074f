import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { useHydrated } from "~/components/console/use-hydrated";
import { minorDigits } from "~/lib/money";

/**
 * A chart of a few figures that is a table first: the server renders the figures as a table (the
 * page works without JavaScript and screen readers read the table); once the page has hydrated,
 * recharts draws them above it and the table folds into "Show the figures". recharts is loaded
 * only in the browser, after mount, in its own chunk.
 */
export interface ChartPoint {
  label: string;
  value: number;
  /** The value as the page shows it (formatted on the server, so the table hydrates unchanged). */
  display: string;
  /** A shorter label for the chart's axis (default: the label). */
  tick?: string;
}

const RechartsFigure = lazy(() => import("./bars.client"));

export function FigureChart({
  title,
  description,
  points,
  unit,
  variant = "bar",
  labelHeader,
  valueHeader,
}: {
  title: string;
  description?: string;
  points: ChartPoint[];
  /** For the chart's axis only: money (minor units) in a currency, plain counts, or percentages. */
  unit: { kind: "money"; currency: string; locale: string } | { kind: "count"; locale: string } | { kind: "percent"; locale: string };
  variant?: "bar" | "line";
  labelHeader: string;
  valueHeader: string;
}) {
  const hydrated = useHydrated();
  const { t } = useTranslation("common");
  const axisFormat = (value: number) =>
    unit.kind === "money"
      ? (value / 10 ** minorDigits(unit.currency)).toLocaleString(unit.locale, { notation: "compact", maximumFractionDigits: 1 })
      : unit.kind === "percent"
        ? `${value.toLocaleString(unit.locale)}%`
        : value.toLocaleString(unit.locale);
  const empty = points.every((p) => p.value === 0);
  const table = (
    <div className="table-wrap">
      <table className="data chart-table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            <th scope="col" className="num">
              {valueHeader}
            </th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td className="num" data-label={valueHeader}>
                {p.display}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <figure className="card chart-card">
      <figcaption>
        <h3>{title}</h3>
        {description ? <p className="muted small">{description}</p> : null}
      </figcaption>
      {points.length === 0 ? (
        <p className="muted">{t("chart.nothing")}</p>
      ) : hydrated ? (
        <>
          {empty ? null : (
            <div className="chart-box" aria-hidden="true">
              <Suspense fallback={null}>
                <RechartsFigure points={points} variant={variant} axisFormat={axisFormat} />
              </Suspense>
            </div>
          )}
          <details className="chart-figures" open={empty}>
            <summary>{t("chart.show")}</summary>
            {table}
          </details>
        </>
      ) : (
        table
      )}
    </figure>
  );
}

import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartPoint } from "./chart";

/**
 * The recharts drawing of a FigureChart (loaded lazily, in the browser only, after hydration).
 * The figures themselves are always in the table beside it; this is a picture of them.
 */
export default function RechartsFigure({
  points,
  variant,
  axisFormat,
}: {
  points: ChartPoint[];
  variant: "bar" | "line";
  axisFormat: (value: number) => string;
}) {
  const data = points.map((p) => ({ label: p.tick ?? p.label, fullLabel: p.label, value: p.value, display: p.display }));
  const tooltip = (_value: unknown, _name: unknown, item: { payload?: { display?: string } }) => [item.payload?.display ?? "", ""];
  const tooltipLabel = (_label: unknown, payload: readonly { payload?: { fullLabel?: string } }[]) => payload[0]?.payload?.fullLabel ?? "";
  return (
    <ResponsiveContainer width="100%" height="100%">
      {variant === "line" ? (
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
          <YAxis tickFormatter={axisFormat} tick={{ fontSize: 12 }} width={64} />
          <Tooltip formatter={tooltip} labelFormatter={tooltipLabel} separator="" />
          <Line type="linear" dataKey="value" stroke="currentColor" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
      ) : (
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} />
          <YAxis tickFormatter={axisFormat} tick={{ fontSize: 12 }} width={64} allowDecimals={false} />
          <Tooltip formatter={tooltip} labelFormatter={tooltipLabel} separator="" cursor={{ fillOpacity: 0.1 }} />
          <Bar dataKey="value" fill="currentColor" radius={[4, 4, 0, 0]} isAnimationActive={false} />
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}

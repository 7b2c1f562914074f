import { sql } from "kysely";
import type { TenantDb } from "~db/client";

/** Series of people-facing numbers and their codes: BWM-Q-2026-000123, BWM-POL-2026-000045 … */
export const NUMBER_SERIES = {
  quote: "Q",
  policy: "POL",
  claim: "CLM",
  receipt: "RCT",
  order: "ORD",
} as const;
export type NumberSeries = keyof typeof NUMBER_SERIES;

/**
 * The next number of a series for this tenant and year. The counter row is locked by the upsert,
 * so concurrent requests get distinct numbers; a rolled-back transaction gives its number back.
 */
export async function nextNumber(db: TenantDb, prefix: string, series: NumberSeries, year: number): Promise<string> {
  const row = await db
    .insertInto("counters")
    .values({ series, period: String(year), value: 1 })
    .onConflict((oc) => oc.columns(["tenant_id", "series", "period"]).doUpdateSet({ value: sql`counters.value + 1` }))
    .returning("value")
    .executeTakeFirstOrThrow();
  return `${prefix}-${NUMBER_SERIES[series]}-${year}-${String(row.value).padStart(6, "0")}`;
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";

/** Series of people-facing numbers and their codes: BWM-Q-2026-000123, BWM-POL-2026-000045 … */
export const NUMBER_SERIES = {
  quote: "Q",
  policy: "POL",
  claim: "CLM",
  receipt: "RCT",
  order: "ORD",
  settlement: "STL",
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

/** Agent numbers: plain 5–6 digits per tenant (10001, 10002 …), from their own counter. */
export const FIRST_AGENT_NUMBER = 10001;
export const LAST_AGENT_NUMBER = 999_999;

export async function nextAgentNumber(db: TenantDb): Promise<string> {
  const row = await db
    .insertInto("counters")
    .values({ series: "agent", period: "", value: FIRST_AGENT_NUMBER })
    .onConflict((oc) => oc.columns(["tenant_id", "series", "period"]).doUpdateSet({ value: sql`counters.value + 1` }))
    .returning("value")
    .executeTakeFirstOrThrow();
  if (row.value > LAST_AGENT_NUMBER) {
    throw new Error(`Agent numbers are used up: ${LAST_AGENT_NUMBER} is the last six-digit number`);
  }
  return String(row.value);
}

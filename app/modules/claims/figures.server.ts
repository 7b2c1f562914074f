import { sql } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import { csvLine, minorToMajorText } from "~/lib/csv.server";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";
import { addMonths } from "~/modules/policies/schedule";
import { isIsoDate, quoteDateIn } from "~/modules/rating/dates";
import { definitionSchema } from "~/modules/workflows/templates";
import { QUEUE_STATUSES, reasonLabel, STAFF_STATUS_LABELS } from "./office-forms";

/**
 * Claims figures for the back office (issue 12 item 9): open claims by stage and age, the time from
 * filing to settlement, the claims ratio (claims paid over premium earned) by product and month, and
 * the reasons for rejections. Periods are calendar days in the tenant's time zone; the open claims
 * are as they stand now (the period does not apply to them).
 */

// Figures are about this century: a period far outside it would only be months of nothing.
const isoDate = lineText()
  .refine((v) => isIsoDate(v), "Enter a date like 2026-06-01.")
  .refine((v) => v >= "2000-01-01" && v <= "2099-12-31", "Enter a date between 2000 and 2099.");
const slug = lineText().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "Not a name from the list.");

export const figuresFiltersSchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  product: slug.optional(),
  category: slug.optional(),
});

export interface FiguresFilters {
  from: string;
  to: string;
  product?: string;
  category?: string;
}

/** A period longer than this is cut to its last months (a chart of a hundred months says nothing). */
export const MAX_MONTHS = 36;

/**
 * The filters in a URL, with the period filled in: the last twelve months to today by default;
 * `from` after `to` swapped; a period longer than MAX_MONTHS shortened (and said).
 */
export function figuresFiltersFrom(
  params: URLSearchParams,
  timeZone: string,
  now = new Date(),
): { filters: FiguresFilters; ignored: string[] } {
  const { filters, ignored } = readFilters(figuresFiltersSchema, params, { from: "From", to: "To" });
  const today = quoteDateIn(timeZone, now);
  let to = filters.to ?? today;
  let from = filters.from ?? `${addMonths(to, -11).slice(0, 7)}-01`;
  if (from > to) [from, to] = [to, from];
  const earliest = `${addMonths(to, -(MAX_MONTHS - 1)).slice(0, 7)}-01`;
  if (from < earliest) {
    ignored.push(`From: at most ${MAX_MONTHS} months are shown, so the period starts on ${earliest}.`);
    from = earliest;
  }
  return { filters: { from, to, product: filters.product, category: filters.category }, ignored };
}

export function figuresFiltersQuery(filters: FiguresFilters): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to });
  if (filters.product) params.set("product", filters.product);
  if (filters.category) params.set("category", filters.category);
  return params.toString();
}

/** The products the filters leave in (null: all). */
async function productIds(db: TenantDb, filters: FiguresFilters): Promise<string[] | null> {
  if (!filters.product && !filters.category) return null;
  let query = db.selectFrom("products as pr").select("pr.id");
  if (filters.product) query = query.where("pr.slug", "=", filters.product);
  if (filters.category)
    query = query.where("pr.category_id", "in", (eb) => eb.selectFrom("categories").select("id").where("slug", "=", filters.category!));
  return (await query.execute()).map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Open claims by stage and age

export const AGE_BANDS = [
  { key: "d0_2", label: "0–2 days", maxDays: 3 },
  { key: "d3_7", label: "3–7 days", maxDays: 8 },
  { key: "d8_14", label: "8–14 days", maxDays: 15 },
  { key: "d15_30", label: "15–30 days", maxDays: 31 },
  { key: "d31", label: "Over 30 days", maxDays: null },
] as const;

export interface OpenStageRow {
  stage: string;
  /** Claims in each age band (since filing), in AGE_BANDS order. */
  bands: number[];
  total: number;
}

/** Open claims now, by the stage their workflow is at (or their status, without one) and by age since filing. */
export async function openByStage(db: TenantDb, filters: FiguresFilters, now: Date): Promise<OpenStageRow[]> {
  const products = await productIds(db, filters);
  if (products?.length === 0) return [];
  const age = sql<number>`extract(epoch from (${now}::timestamptz - c.created_at)) / 86400`;
  let query = db
    .selectFrom("claims as c")
    .leftJoin("workflow_instances as i", (j) =>
      j
        .onRef("i.tenant_id", "=", "c.tenant_id")
        .on("i.subject", "=", "claim")
        .onRef("i.subject_id", "=", "c.id")
        .on("i.status", "=", "active"),
    )
    .select(["i.template_id", "i.current_stage", "c.status"])
    .select(
      AGE_BANDS.map((b, index) => {
        const lower = index === 0 ? null : AGE_BANDS[index - 1]!.maxDays;
        const cond =
          b.maxDays === null
            ? sql`${age} >= ${lower}`
            : lower === null
              ? sql`${age} < ${b.maxDays}`
              : sql`${age} >= ${lower} and ${age} < ${b.maxDays}`;
        return sql<number>`count(*) filter (where ${cond})::int`.as(b.key);
      }),
    )
    .where("c.status", "in", QUEUE_STATUSES)
    .groupBy(["i.template_id", "i.current_stage", "c.status"]);
  if (products)
    query = query.where("c.policy_id", "in", (eb) => eb.selectFrom("policies").select("id").where("product_id", "in", products));
  const [rows, templates] = await Promise.all([
    query.execute(),
    db.selectFrom("workflow_templates").select(["id", "definition"]).where("subject", "=", "claim").execute(),
  ]);
  const names = new Map<string, string>();
  for (const t of templates) {
    const parsed = definitionSchema.safeParse(t.definition);
    if (parsed.success) for (const s of parsed.data.stages) names.set(`${t.id}:${s.key}`, s.name);
  }
  const byStage = new Map<string, number[]>();
  for (const r of rows) {
    const stage = r.current_stage
      ? (names.get(`${r.template_id}:${r.current_stage}`) ?? r.current_stage)
      : `${STAFF_STATUS_LABELS[r.status]} (no workflow)`;
    const bands = byStage.get(stage) ?? AGE_BANDS.map(() => 0);
    AGE_BANDS.forEach((b, index) => (bands[index]! += (r as unknown as Record<string, number>)[b.key] ?? 0));
    byStage.set(stage, bands);
  }
  return [...byStage]
    .map(([stage, bands]) => ({ stage, bands, total: bands.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.stage.localeCompare(b.stage));
}

// ---------------------------------------------------------------------------------------------
// Time to settle

export interface SettleRow {
  product: string;
  settled: number;
  /** Mean days from filing to settlement, one decimal. */
  averageDays: number;
}

/** Claims settled in the period (the day their status became settled), by product, with the mean days from filing. */
export async function timeToSettle(
  db: TenantDb,
  filters: FiguresFilters,
  timeZone: string,
): Promise<{ rows: SettleRow[]; overall: SettleRow }> {
  const products = await productIds(db, filters);
  const empty = { product: "All products", settled: 0, averageDays: 0 };
  if (products?.length === 0) return { rows: [], overall: empty };
  let query = db
    .selectFrom("claims as c")
    .innerJoin(
      (eb) =>
        eb
          .selectFrom("state_changes")
          .select(["entity_id", sql<Date>`max(created_at)`.as("settled_at")])
          .where("entity", "=", "claim")
          .where("to_state", "=", "settled")
          .groupBy("entity_id")
          .as("s"),
      (j) => j.onRef("s.entity_id", "=", "c.id"),
    )
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select([
      "pr.name",
      sql<number>`count(*)::int`.as("settled"),
      sql<number>`round((avg(extract(epoch from (s.settled_at - c.created_at))) / 86400)::numeric, 1)::float8`.as("average_days"),
      sql<number>`sum(extract(epoch from (s.settled_at - c.created_at)))::float8`.as("total_seconds"),
    ])
    .where(sql<boolean>`s.settled_at >= (${filters.from}::date::timestamp at time zone ${timeZone})`)
    .where(sql<boolean>`s.settled_at < ((${filters.to}::date + 1)::timestamp at time zone ${timeZone})`)
    .groupBy("pr.name")
    .orderBy("pr.name");
  if (products) query = query.where("p.product_id", "in", products);
  const rows = await query.execute();
  const settled = rows.reduce((n, r) => n + r.settled, 0);
  const seconds = rows.reduce((n, r) => n + r.total_seconds, 0);
  return {
    rows: rows.map((r) => ({ product: r.name, settled: r.settled, averageDays: r.average_days })),
    overall: { ...empty, settled, averageDays: settled ? Math.round((seconds / 86400 / settled) * 10) / 10 : 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// Claims ratio

export interface RatioCell {
  paidMinor: number;
  earnedMinor: number;
  /** paid / earned, in percent with one decimal; null when nothing was earned. */
  ratioPercent: number | null;
}

export interface RatioFigures {
  months: string[];
  /** Per product over the whole period, and per month under it. */
  products: (RatioCell & { product: string; byMonth: Record<string, RatioCell> })[];
  /** All products together, per month and over the period. */
  byMonth: Record<string, RatioCell>;
  total: RatioCell;
}

function cell(paidMinor: number, earnedMinor: number): RatioCell {
  return { paidMinor, earnedMinor, ratioPercent: earnedMinor > 0 ? Math.round((paidMinor / earnedMinor) * 1000) / 10 : null };
}

/**
 * Claims paid over premium earned, by product and month of the period.
 *
 * Paid: the settlements paid in the month (claim_settlements, status paid, by `paid_at` in the
 * tenant's time zone) — what left the agency, not what was approved.
 *
 * Earned: premium is earned evenly over the days a policy covers. For a policy covering
 * [start, end] (a term of end − start + 1 days, 365 or 366 for a year) with annual premium A, the
 * premium earned in a month is A × (days of that month, inside the period, on which the policy was
 * in cover) / (days in the term). Cover stops early for a policy that lapsed (the day before it
 * lapsed) or was cancelled (the day it was cancelled, from its timeline); policies never issued
 * earn nothing. The exact fractions are summed per product and month, then rounded half up to the
 * minor unit, so a month's figure is A × days / term to the nearest cent.
 */
export async function claimsRatio(db: TenantDb, filters: FiguresFilters, timeZone: string): Promise<RatioFigures> {
  const products = await productIds(db, filters);
  const months = monthsOf(filters.from, filters.to);
  const empty: RatioFigures = { months, products: [], byMonth: Object.fromEntries(months.map((m) => [m, cell(0, 0)])), total: cell(0, 0) };
  if (products?.length === 0) return empty;
  const productFilter = products ? sql`and p.product_id = any(${products}::uuid[])` : sql``;
  const [earned, paid, names] = await Promise.all([
    sql<{ month: string; product_id: string; earned: string }>`
      with buckets as (
        select to_char(m, 'YYYY-MM') as month,
               greatest(m::date, ${filters.from}::date) as b_start,
               least((m + interval '1 month' - interval '1 day')::date, ${filters.to}::date) as b_end
        from generate_series(date_trunc('month', ${filters.from}::date), ${filters.to}::date, interval '1 month') as m
      ),
      cover as (
        select p.product_id, p.annual_premium_minor, p.start_date, p.end_date - p.start_date + 1 as term_days,
               case
                 when p.status = 'lapsed' and p.lapsed_on is not null then least(p.end_date, p.lapsed_on - 1)
                 when p.status = 'cancelled' then least(p.end_date, coalesce((
                   select min((sc.created_at at time zone ${timeZone})::date) from state_changes sc
                   where sc.entity = 'policy' and sc.entity_id = p.id and sc.to_state = 'cancelled'), p.end_date))
                 else p.end_date
               end as cover_end
        from policies p
        where p.start_date is not null and p.end_date is not null and p.end_date >= p.start_date
          and p.status in ('active', 'grace', 'lapsed', 'cancelled', 'expired')
          and p.start_date <= ${filters.to}::date and p.end_date >= ${filters.from}::date
          ${productFilter}
      )
      select b.month, c.product_id,
             round(sum(c.annual_premium_minor::numeric
               * (least(c.cover_end, b.b_end) - greatest(c.start_date, b.b_start) + 1) / c.term_days))::text as earned
      from buckets b join cover c on c.start_date <= b.b_end and c.cover_end >= b.b_start
      group by b.month, c.product_id
    `.execute(db),
    sql<{ month: string; product_id: string; paid: string }>`
      select to_char(s.paid_at at time zone ${timeZone}, 'YYYY-MM') as month, p.product_id, sum(s.amount_minor)::text as paid
      from claim_settlements s
      join claims c on c.tenant_id = s.tenant_id and c.id = s.claim_id
      join policies p on p.tenant_id = c.tenant_id and p.id = c.policy_id
      where s.status = 'paid'
        and s.paid_at >= (${filters.from}::date::timestamp at time zone ${timeZone})
        and s.paid_at < ((${filters.to}::date + 1)::timestamp at time zone ${timeZone})
        ${productFilter}
      group by 1, 2
    `.execute(db),
    db.selectFrom("products").select(["id", "name"]).execute(),
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const grid = new Map<string, Map<string, { paid: number; earned: number }>>();
  const at = (product: string, month: string) => {
    const row = grid.get(product) ?? new Map<string, { paid: number; earned: number }>();
    grid.set(product, row);
    const value = row.get(month) ?? { paid: 0, earned: 0 };
    row.set(month, value);
    return value;
  };
  for (const r of earned.rows) at(r.product_id, r.month).earned += Number(r.earned);
  for (const r of paid.rows) at(r.product_id, r.month).paid += Number(r.paid);

  const monthTotals = new Map(months.map((m) => [m, { paid: 0, earned: 0 }]));
  const productRows = [...grid].map(([productId, row]) => {
    let paidSum = 0;
    let earnedSum = 0;
    const byMonth: Record<string, RatioCell> = {};
    for (const m of months) {
      const v = row.get(m) ?? { paid: 0, earned: 0 };
      paidSum += v.paid;
      earnedSum += v.earned;
      const total = monthTotals.get(m)!;
      total.paid += v.paid;
      total.earned += v.earned;
      byMonth[m] = cell(v.paid, v.earned);
    }
    return { product: nameOf.get(productId) ?? "Unknown product", byMonth, ...cell(paidSum, earnedSum) };
  });
  productRows.sort((a, b) => a.product.localeCompare(b.product));
  const totalPaid = productRows.reduce((n, p) => n + p.paidMinor, 0);
  const totalEarned = productRows.reduce((n, p) => n + p.earnedMinor, 0);
  return {
    months,
    products: productRows,
    byMonth: Object.fromEntries([...monthTotals].map(([m, v]) => [m, cell(v.paid, v.earned)])),
    total: cell(totalPaid, totalEarned),
  };
}

/** The months a period touches, as YYYY-MM. */
export function monthsOf(from: string, to: string): string[] {
  const index = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  const months: string[] = [];
  for (let i = index(from); i <= index(to); i++) months.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
  return months;
}

// ---------------------------------------------------------------------------------------------
// Rejection reasons

export interface ReasonRow {
  code: string;
  label: string;
  claims: number;
}

/** Reasons given for the claims rejected in the period (a claim with two reasons counts under each). */
export async function rejectionReasons(
  db: TenantDb,
  filters: FiguresFilters,
  timeZone: string,
): Promise<{ rows: ReasonRow[]; rejected: number }> {
  const products = await productIds(db, filters);
  if (products?.length === 0) return { rows: [], rejected: 0 };
  let base = db
    .selectFrom("claims as c")
    .where("c.decision", "=", "rejected")
    .where(sql<boolean>`c.decided_at >= (${filters.from}::date::timestamp at time zone ${timeZone})`)
    .where(sql<boolean>`c.decided_at < ((${filters.to}::date + 1)::timestamp at time zone ${timeZone})`);
  if (products) base = base.where("c.policy_id", "in", (eb) => eb.selectFrom("policies").select("id").where("product_id", "in", products));
  const [reasons, count] = await Promise.all([
    db
      .selectFrom(base.select(sql<string>`unnest(c.reason_codes)`.as("code")).as("r"))
      .select(["r.code", sql<number>`count(*)::int`.as("claims")])
      .groupBy("r.code")
      .orderBy(sql`count(*)`, "desc")
      .orderBy("r.code")
      .execute(),
    base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: reasons.map((r) => ({ code: r.code, label: reasonLabel(r.code), claims: r.claims })), rejected: count.n };
}

// ---------------------------------------------------------------------------------------------
// CSV

export const FIGURE_TABLES = ["open", "settle", "ratio", "reasons"] as const;
export type FigureTable = (typeof FIGURE_TABLES)[number];

/** One of the figures as a CSV file (header first; money as plain major-unit numbers). */
export async function figuresCsv(
  db: TenantDb,
  table: FigureTable,
  filters: FiguresFilters,
  tenant: { timeZone: string; currency: string },
  now: Date,
): Promise<string> {
  const lines: string[] = [];
  if (table === "open") {
    lines.push(csvLine(["Stage", ...AGE_BANDS.map((b) => b.label), "Total"]));
    for (const r of await openByStage(db, filters, now)) lines.push(csvLine([r.stage, ...r.bands, r.total]));
  } else if (table === "settle") {
    const { rows, overall } = await timeToSettle(db, filters, tenant.timeZone);
    lines.push(csvLine(["Product", "Claims settled", "Average days from filing to settlement"]));
    for (const r of [...rows, overall]) lines.push(csvLine([r.product, r.settled, r.averageDays.toFixed(1)], { plainNumbers: true }));
  } else if (table === "ratio") {
    const ratio = await claimsRatio(db, filters, tenant.timeZone);
    const money = (minor: number) => minorToMajorText(minor, tenant.currency);
    lines.push(
      csvLine(["Product", "Month", `Claims paid (${tenant.currency})`, `Premium earned (${tenant.currency})`, "Claims ratio (%)"]),
    );
    for (const p of ratio.products) {
      for (const m of ratio.months) {
        const c = p.byMonth[m]!;
        lines.push(
          csvLine([p.product, m, money(c.paidMinor), money(c.earnedMinor), c.ratioPercent?.toFixed(1) ?? ""], { plainNumbers: true }),
        );
      }
      lines.push(
        csvLine([p.product, "Period", money(p.paidMinor), money(p.earnedMinor), p.ratioPercent?.toFixed(1) ?? ""], { plainNumbers: true }),
      );
    }
    const t = ratio.total;
    lines.push(
      csvLine(["All products", "Period", money(t.paidMinor), money(t.earnedMinor), t.ratioPercent?.toFixed(1) ?? ""], {
        plainNumbers: true,
      }),
    );
  } else {
    const { rows, rejected } = await rejectionReasons(db, filters, tenant.timeZone);
    lines.push(csvLine(["Reason", "Code", "Claims"]));
    for (const r of rows) lines.push(csvLine([r.label, r.code, r.claims]));
    lines.push(csvLine(["Claims rejected", "", rejected]));
  }
  return `\uFEFF${lines.join("")}`;
}

import { sql } from "kysely";
import type { CoverageItem } from "~db/schema";
import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { parseMajorToMinor, safeParseRating, type PriceOptions } from "~/modules/rating";
import { isPlainObject, parseCoverageLines, parseJsonText, SLUG_PATTERN } from "./admin-schemas";
import { CSV_COLUMNS, CSV_LIMITS, LIST_SEPARATOR, type CsvColumn as Column } from "./csv-format";
import { findRatingSource, saveProduct, type ProductDraft } from "./admin-products.server";
import { textProblem } from "~/lib/text";
import { readCsvTable, type CsvUploadSpec } from "~/lib/csv-upload.server";

/**
 * Bulk upload of products from a CSV file. Each row is validated on its own and saved in its own
 * savepoint, so good rows are kept when others are refused and a refused row leaves nothing
 * behind. Rows are matched by slug: a known slug updates that product, where a blank cell keeps
 * the product's current value; a new slug creates one.
 */

type Row = Partial<Record<Column, string>>;

export interface RowReport {
  /** The row as a spreadsheet numbers it: the header is row 1, the first product row 2. */
  row: number;
  slug: string;
  outcome: "created" | "updated" | "refused";
  reasons: string[];
}

export type ImportResult =
  { ok: true; rows: RowReport[]; created: number; updated: number; refused: number } | { ok: false; error: string };

/** What a product CSV may hold, for the shared upload reader. */
export const PRODUCT_CSV: CsvUploadSpec = { columns: CSV_COLUMNS, keys: ["slug"], limits: CSV_LIMITS, rowsAre: "products" };

export async function importProducts(
  db: TenantDb,
  pricing: PriceOptions,
  text: string,
  actor: Actor,
  file?: string,
): Promise<ImportResult> {
  const csv = readCsvTable(text, PRODUCT_CSV);
  if (!csv.ok) return csv;
  const reports: RowReport[] = [];
  const firstRowOf = new Map<string, number>();
  for (const [index, cells] of csv.records.entries()) {
    const rowNumber = index + 2;
    const row: Row = {};
    csv.header.forEach((column, i) => (row[column as Column] = cells[i] ?? ""));
    const slug = row.slug ?? "";
    const report = (outcome: RowReport["outcome"], reasons: string[] = []) => reports.push({ row: rowNumber, slug, outcome, reasons });
    if (cells.length !== csv.header.length) {
      report("refused", [`has ${cells.length} cells but the first row names ${csv.header.length} columns`]);
      continue;
    }
    if (slug && firstRowOf.has(slug)) {
      report("refused", [`slug "${slug}" already appears on row ${firstRowOf.get(slug)}`]);
      continue;
    }
    if (slug) firstRowOf.set(slug, rowNumber);

    const draft = await draftFromRow(db, row, pricing.currency);
    if (!draft.ok) {
      report("refused", draft.reasons);
      continue;
    }
    // A savepoint per row: a refused or failed row is rolled back on its own, the others stay.
    await sql`savepoint import_row`.execute(db);
    try {
      const saved = await saveProduct(db, pricing, draft.draft, actor, { id: draft.existingId, via: "import" });
      if (saved.ok) {
        await sql`release savepoint import_row`.execute(db);
        report(saved.created ? "created" : "updated");
      } else {
        await sql`rollback to savepoint import_row`.execute(db);
        report("refused", columnReasons(saved.errors, draft.source));
      }
    } catch (error) {
      await sql`rollback to savepoint import_row`.execute(db);
      // A database refusal (a check constraint) is this row's problem; anything else is a bug.
      if (typeof (error as { code?: unknown }).code !== "string") throw error;
      report("refused", [`the database refused it: ${(error as Error).message}`]);
    }
  }
  const count = (outcome: RowReport["outcome"]) => reports.filter((r) => r.outcome === outcome).length;
  const result = { ok: true as const, rows: reports, created: count("created"), updated: count("updated"), refused: count("refused") };
  await recordAudit(db, actor, {
    action: "catalogue.products_imported",
    targetType: "catalogue",
    details: { file: file ?? null, created: result.created, updated: result.updated, refused: result.refused },
  });
  return result;
}

type RulesSource = "copy_rating_from" | "rating_json" | "price_annual" | "existing";

/** A row's cells → a draft for saveProduct, with every problem the row has (not only the first). */
async function draftFromRow(
  db: TenantDb,
  row: Row,
  currency: string,
): Promise<{ ok: true; draft: ProductDraft; existingId?: string; source: RulesSource } | { ok: false; reasons: string[] }> {
  const reasons: string[] = [];
  const cell = (column: Column) => row[column]?.trim() ?? "";
  const slug = cell("slug");
  if (!slug) return { ok: false, reasons: ["slug is required"] };
  if (!SLUG_PATTERN.test(slug) || slug.length > 60)
    return { ok: false, reasons: [`slug "${slug}" must be lowercase letters, digits and dashes (at most 60)`] };
  const existing = await db.selectFrom("products").selectAll().where("slug", "=", slug).executeTakeFirst();

  const text = (column: Column, max: number, current: string | undefined, required: boolean, kind: "line" | "multiline" = "line") => {
    const value = cell(column);
    if (!value) {
      if (current !== undefined) return current;
      if (required) reasons.push(`${column} is required for a new product`);
      return "";
    }
    if (value.length > max) reasons.push(`${column} is longer than ${max} characters`);
    const problem = textProblem(value, kind);
    if (problem) reasons.push(`${column}: ${problem}`);
    return value;
  };
  const name = text("name", 120, existing?.name, true);
  const summary = text("summary", 300, existing?.summary, true);
  const description = text("description", 5000, existing?.description, false, "multiline");

  const lookup = async (column: "category" | "insurer", current: string | undefined) => {
    const value = cell(column);
    if (!value) {
      if (current === undefined) reasons.push(`${column} is required for a new product`);
      return current ?? "";
    }
    const table = column === "category" ? "categories" : "insurers";
    const found = await db.selectFrom(table).select("id").where("slug", "=", value).executeTakeFirst();
    if (!found) reasons.push(`no ${column} "${value}"`);
    return found?.id ?? "";
  };
  const categoryId = await lookup("category", existing?.category_id);
  const insurerId = await lookup("insurer", existing?.insurer_id);

  const list = (column: Column, current: string[] | undefined) => {
    const value = cell(column);
    if (!value) return current ?? [];
    const items = value
      .split(LIST_SEPARATOR)
      .map((item) => item.trim())
      .filter(Boolean);
    if (items.length > 50) reasons.push(`${column} has more than 50 items`);
    if (items.some((item) => item.length > 300)) reasons.push(`${column} has an item longer than 300 characters`);
    const problem = items.map((item) => textProblem(item)).find(Boolean);
    if (problem) reasons.push(`${column}: ${problem}`);
    return items;
  };
  const features = list("features", existing?.features);
  const inclusions = list("inclusions", existing?.inclusions);
  const exclusions = list("exclusions", existing?.exclusions);
  let coverage: CoverageItem[] = existing?.coverage ?? [];
  if (cell("coverage")) {
    const parsed = parseCoverageLines(list("coverage", []));
    coverage = parsed.items;
    if (parsed.problems.length) reasons.push(`coverage: write each item as "Label: value", separated by ${LIST_SEPARATOR}`);
  }

  let waitingPeriodDays = existing?.waiting_period_days ?? 0;
  if (cell("waiting_period_days")) {
    const value = cell("waiting_period_days");
    if (!/^\d{1,4}$/.test(value)) reasons.push("waiting_period_days must be a whole number of days, 0 or more");
    else waitingPeriodDays = Number(value);
  }
  let maxCoverMinor = existing?.max_cover_minor ?? null;
  if (cell("max_cover")) {
    const parsed = money("max_cover", cell("max_cover"), currency);
    if (parsed.ok) maxCoverMinor = parsed.minor;
    else reasons.push(parsed.reason);
  }
  const flag = (column: Column, current: boolean | undefined, fallback: boolean) => {
    const value = cell(column).toLowerCase();
    if (!value) return current ?? fallback;
    if (["true", "yes", "y", "1"].includes(value)) return true;
    if (["false", "no", "n", "0"].includes(value)) return false;
    reasons.push(`${column} must be true or false`);
    return fallback;
  };
  const requiresUnderwriting = flag("requires_underwriting", existing?.requires_underwriting, false);
  const featured = flag("featured", existing?.featured, false);
  const active = flag("active", existing?.active, true);

  const rules = await rulesFromRow(
    db,
    cell,
    name,
    currency,
    existing ? { rating: existing.rating, sampleInput: existing.sample_input } : undefined,
  );
  reasons.push(...rules.reasons);
  if (reasons.length || !rules.ok) return { ok: false, reasons };
  return {
    ok: true,
    existingId: existing?.id,
    source: rules.source,
    draft: {
      slug,
      name,
      summary,
      description,
      categoryId,
      insurerId,
      coverage,
      features,
      inclusions,
      exclusions,
      waitingPeriodDays,
      maxCoverMinor,
      requiresUnderwriting,
      featured,
      active,
      rating: rules.rating,
      sampleInput: rules.sampleInput,
    },
  };
}

/**
 * Where a row's rating rules come from: another product (copy_rating_from), JSON (rating_json
 * with sample_input_json), or fixed prices (price_annual, price_monthly). Exactly one, except
 * that an update may give none and keep the product's rules.
 */
async function rulesFromRow(
  db: TenantDb,
  cell: (column: Column) => string,
  name: string,
  currency: string,
  current: { rating: unknown; sampleInput: Record<string, unknown> } | undefined,
): Promise<
  | { ok: true; source: RulesSource; rating: Record<string, unknown>; sampleInput: Record<string, unknown>; reasons: [] }
  | { ok: false; reasons: string[] }
> {
  const given = (["copy_rating_from", "rating_json", "price_annual"] as const).filter((c) => cell(c));
  if (cell("sample_input_json") && !cell("rating_json")) return { ok: false, reasons: ["sample_input_json goes with rating_json"] };
  if (cell("price_monthly") && !cell("price_annual")) return { ok: false, reasons: ["price_monthly needs price_annual too"] };
  if (given.length > 1)
    return {
      ok: false,
      reasons: [`give only one of copy_rating_from, rating_json or price_annual (this row gives ${given.join(" and ")})`],
    };
  if (given.length === 0) {
    if (current && isPlainObject(current.rating))
      return { ok: true, source: "existing", rating: current.rating, sampleInput: current.sampleInput, reasons: [] };
    return { ok: false, reasons: ["give the price rules: copy_rating_from, rating_json or price_annual"] };
  }

  if (given[0] === "copy_rating_from") {
    const source = await findRatingSource(db, { slug: cell("copy_rating_from") });
    if (!source || !isPlainObject(source.rating))
      return { ok: false, reasons: [`copy_rating_from: no product "${cell("copy_rating_from")}"`] };
    return { ok: true, source: "copy_rating_from", rating: source.rating, sampleInput: source.sample_input, reasons: [] };
  }

  if (given[0] === "rating_json") {
    const json = parseJsonText(cell("rating_json"));
    if (!json.ok)
      return { ok: false, reasons: [`rating_json is not valid JSON (${json.message.replace(/^This is not valid JSON: /, "")})`] };
    const checked = safeParseRating(json.value);
    if (!checked.ok) return { ok: false, reasons: checked.problems.map((p) => `rating_json: ${p}`) };
    const sample = parseJsonText(cell("sample_input_json") || "{}");
    if (!sample.ok || !isPlainObject(sample.value)) return { ok: false, reasons: ["sample_input_json must be a JSON object"] };
    return { ok: true, source: "rating_json", rating: json.value as Record<string, unknown>, sampleInput: sample.value, reasons: [] };
  }

  const annual = money("price_annual", cell("price_annual"), currency, true);
  const monthly = cell("price_monthly") ? money("price_monthly", cell("price_monthly"), currency, true) : undefined;
  const reasons = [annual, monthly].flatMap((p) => (p && !p.ok ? [p.reason] : []));
  if (!annual.ok || (monthly && !monthly.ok)) return { ok: false, reasons };
  // A fixed price per instalment and no inputs: the KHHoldings shape. The agency's levies apply
  // on top, as for every product.
  const frequencies: Record<string, { price: number }> = { annual: { price: annual.minor } };
  if (monthly?.ok) frequencies.monthly = { price: monthly.minor };
  return { ok: true, source: "price_annual", rating: { priceLabel: name.slice(0, 160), frequencies }, sampleInput: {}, reasons: [] };
}

function money(
  column: string,
  value: string,
  currency: string,
  positive = false,
): { ok: true; minor: number } | { ok: false; reason: string } {
  const parsed = parseMajorToMinor(value, currency);
  if (!parsed.ok) {
    const why = {
      negative: `${column} must not be negative`,
      decimals: `${column} has more decimals than ${currency} allows`,
      too_large: `${column} is too large`,
      format: `${column} must be an amount like 1800 or 1,800.00`,
    };
    return { ok: false, reason: why[parsed.reason] };
  }
  if (positive && parsed.minor === 0) return { ok: false, reason: `${column} must be more than 0` };
  return parsed;
}

function columnReasons(errors: Record<string, string[]>, source: RulesSource): string[] {
  const columnOf: Record<string, string> = {
    slug: "slug",
    categoryId: "category",
    insurerId: "insurer",
    rating: source === "existing" ? "current rules" : source,
    sampleInput: source === "rating_json" ? "sample_input_json" : source === "existing" ? "current sample input" : source,
    form: "",
  };
  return Object.entries(errors).flatMap(([key, messages]) => messages.map((m) => (columnOf[key] ? `${columnOf[key]}: ${m}` : m)));
}

/** A cell as CSV: quoted when it holds a comma, quote or line break (quotes doubled). */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/**
 * The downloadable template: the header and one example row per way of giving price rules, using
 * this tenant's own category and insurer slugs (and a product to copy) when it has them.
 */
export async function templateCsv(db: TenantDb): Promise<string> {
  const category =
    (await db.selectFrom("categories").select("slug").orderBy("display_order").orderBy("slug").executeTakeFirst())?.slug ?? "motor";
  const insurer = (await db.selectFrom("insurers").select("slug").orderBy("slug").executeTakeFirst())?.slug ?? "your-insurer";
  const source = (await db.selectFrom("products").select("slug").orderBy("slug").executeTakeFirst())?.slug;
  const rating = {
    inputs: [{ kind: "money", name: "sumInsured", label: "Sum insured" }],
    premium: [{ kind: "rate", code: "basic", label: "Basic premium", of: "sumInsured", rateBp: 350 }],
    frequencies: { annual: { multiplierBp: 10_000 }, monthly: { multiplierBp: 900 } },
  };
  const example = (values: Partial<Record<Column, string>>) => CSV_COLUMNS.map((column) => values[column] ?? "");
  const common = { category, insurer, waiting_period_days: "0", requires_underwriting: "false", featured: "false", active: "false" };
  const rows = [
    CSV_COLUMNS,
    example({
      ...common,
      slug: "example-fixed-price-plan",
      name: "Example fixed-price plan",
      summary: "One price, paid yearly or monthly.",
      features: "Cover from day one|No medical check",
      exclusions: "Pre-existing conditions",
      coverage: "Benefit: 100,000",
      price_annual: "1,800",
      price_monthly: "165",
    }),
    example({
      ...common,
      slug: "example-rated-plan",
      name: "Example rated plan",
      summary: "Priced at 3.5% of the sum insured.",
      features: "Choose your sum insured",
      max_cover: "10,000,000",
      rating_json: JSON.stringify(rating),
      sample_input_json: JSON.stringify({ sumInsured: 100_000_000 }),
    }),
  ];
  if (source)
    rows.push(
      example({
        ...common,
        slug: "example-copied-plan",
        name: "Example plan with copied rules",
        summary: `Priced like ${source}.`,
        copy_rating_from: source,
      }),
    );
  return toCsv(rows);
}

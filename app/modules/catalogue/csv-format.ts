/**
 * The product CSV's columns and limits: shared by the importer (csv-import.server.ts) and the
 * upload page, which documents them in the browser too (so this file holds no server code).
 */
export const CSV_COLUMNS = [
  "slug",
  "name",
  "category",
  "insurer",
  "summary",
  "description",
  "features",
  "inclusions",
  "exclusions",
  "waiting_period_days",
  "max_cover",
  "requires_underwriting",
  "featured",
  "active",
  "copy_rating_from",
  "rating_json",
  "sample_input_json",
  "price_annual",
  "price_monthly",
  "coverage",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const CSV_LIMITS = { bytes: 1_000_000, rows: 1000 } as const;

/** Separates the items of a list cell (features, inclusions, exclusions, coverage). */
export const LIST_SEPARATOR = "|";

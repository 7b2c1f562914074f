import type { CsvUploadSpec } from "~/lib/csv-upload.server";
import { LIST_SEPARATOR } from "~/modules/catalogue/csv-format";
import { facilityRecordSchema, type FacilityRecord } from "./schemas";

/**
 * The facilities CSV: its columns, and a row read into a facility (pure, so the import page can
 * document the columns and the unit test can read rows without a database). The export writes the
 * same columns, so an exported file edited in a spreadsheet uploads again as it is.
 */

export const FACILITY_CSV_COLUMNS = [
  "name",
  "kind",
  "address",
  "city",
  "state",
  "postcode",
  "phone",
  "email",
  "panel",
  "services",
  "status",
] as const;
export type FacilityCsvColumn = (typeof FACILITY_CSV_COLUMNS)[number];

/** Rows match existing facilities on these (letter case aside), as the table's unique index does. */
export const FACILITY_CSV: CsvUploadSpec = {
  columns: FACILITY_CSV_COLUMNS,
  keys: ["name", "city"],
  limits: { bytes: 1_000_000, rows: 2_000 },
  rowsAre: "facilities",
};

export interface RowProblem {
  /** The column at fault, or "row" for the row as a whole. */
  field: string;
  message: string;
}

export type ParsedRow = { ok: true; facility: FacilityRecord } | { ok: false; problems: RowProblem[] };

const YES = ["yes", "y", "true", "1"];
const NO = ["no", "n", "false", "0"];

/**
 * A cell as it was typed before our own export made it inert: csvCell (app/lib/csv.server.ts)
 * puts a quote before a leading = + - @ so a spreadsheet does not run it, which would otherwise
 * turn "+60 3-2296 0888" into a phone number that no longer validates on the way back in.
 */
export function uninert(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** A row's cells by column, trimmed and read back from the export's escaping. */
export function rowCells(header: readonly string[], cells: readonly string[]): Partial<Record<FacilityCsvColumn, string>> {
  const row: Partial<Record<FacilityCsvColumn, string>> = {};
  header.forEach((column, i) => (row[column as FacilityCsvColumn] = uninert((cells[i] ?? "").trim())));
  return row;
}

/**
 * One CSV row → the facility it describes, or every problem it has, each with its column. A column
 * the file leaves out keeps `current`'s value (the facility the row matched) or the default; a column
 * it names sets the value, so an empty cell clears an optional field and is refused for a required
 * one. Empty `panel` means yes and empty `status` active, as for a facility added by hand.
 */
export function parseFacilityRow(header: readonly string[], cells: readonly string[], current?: FacilityRecord): ParsedRow {
  if (cells.length !== header.length)
    return {
      ok: false,
      problems: [{ field: "row", message: `has ${cells.length} cells but the first row names ${header.length} columns` }],
    };
  const row = rowCells(header, cells);
  const problems: RowProblem[] = [];
  const given: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row) as [FacilityCsvColumn, string][]) {
    if (column === "panel") {
      const answer = value.toLowerCase();
      if (answer === "" || YES.includes(answer)) given.panel = true;
      else if (NO.includes(answer)) given.panel = false;
      else problems.push({ field: "panel", message: "Use yes or no." });
    } else if (column === "services") {
      given.services = value
        .split(LIST_SEPARATOR)
        .map((item) => item.trim())
        .filter(Boolean);
    } else if (column === "kind" || column === "status") {
      given[column] = value === "" && column === "status" ? "active" : value.toLowerCase();
    } else given[column] = value;
  }
  const parsed = facilityRecordSchema.safeParse({ ...current, ...given });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const [field, item] = issue.path;
      const where = typeof item === "number" ? `item ${item + 1}: ` : "";
      problems.push({ field: String(field ?? "row"), message: `${where}${issue.message}` });
    }
  if (problems.length || !parsed.success) return { ok: false, problems };
  return { ok: true, facility: parsed.data };
}

/** The columns in which `after` differs from `before` (none: the row changes nothing). */
export function changedColumns(before: FacilityRecord, after: FacilityRecord): FacilityCsvColumn[] {
  return FACILITY_CSV_COLUMNS.filter((column) =>
    column === "services" ? before.services.join("\n") !== after.services.join("\n") : before[column] !== after[column],
  );
}

/** A facility as a CSV row, in FACILITY_CSV_COLUMNS' order (what the import reads back). */
export function facilityCsvRow(f: FacilityRecord): string[] {
  return FACILITY_CSV_COLUMNS.map((column) => {
    if (column === "panel") return f.panel ? "yes" : "no";
    if (column === "services") return f.services.join(LIST_SEPARATOR);
    return f[column];
  });
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { csvText } from "~/lib/csv.server";
import { readCsvTable } from "~/lib/csv-upload.server";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { FACILITY_CSV, FACILITY_CSV_COLUMNS, facilityCsvRow, changedColumns, parseFacilityRow, rowCells, type RowProblem } from "./csv";
import { allFacilities, FACILITY_COLUMNS, recordOf, saveFacility, type FacilityFilters, type Via } from "./directory.server";
import type { FacilityRecord } from "./schemas";

/**
 * The directory in bulk: a CSV file checked row by row (a dry run that writes nothing), then applied;
 * the demo data loaded the same way; and the directory as a CSV file in the same columns. Rows match
 * facilities on (name, city), letter case aside. Each applied row is saved in a savepoint of its
 * own: a row that fails leaves nothing behind and the good rows stay saved.
 */

export type RowOutcome = "created" | "updated" | "unchanged" | "error";

export interface RowReport {
  /** The row as a spreadsheet numbers it: the header is row 1, the first facility row 2. */
  row: number;
  name: string;
  city: string;
  outcome: RowOutcome;
  /** What an update changes (the columns). */
  changed: string[];
  problems: RowProblem[];
}

export type ImportReport =
  { ok: true; applied: boolean; rows: RowReport[]; counts: Record<RowOutcome, number> } | { ok: false; error: string };

/** This tenant's facilities by their matching key. */
async function knownFacilities(db: TenantDb): Promise<Map<string, { id: string; record: FacilityRecord }>> {
  const rows = await db.selectFrom("facilities").select(FACILITY_COLUMNS).execute();
  return new Map(rows.map((row) => [keyOf(row.name, row.city), { id: row.id, record: recordOf(row) }]));
}

const keyOf = (name: string, city: string) => `${name.trim().toLowerCase()}\u0000${city.trim().toLowerCase()}`;

/**
 * Saves a facility record where it belongs: a new one, or the known facility of the same name and
 * city (which `known` then holds as saved, so a later record of the same key sees it).
 */
async function upsert(
  db: TenantDb,
  record: FacilityRecord,
  known: Awaited<ReturnType<typeof knownFacilities>>,
  actor: Actor,
  via: Via,
): Promise<{ outcome: RowOutcome; changed: string[]; problems: RowProblem[] }> {
  const key = keyOf(record.name, record.city);
  const existing = known.get(key);
  const changed = existing ? changedColumns(existing.record, record) : [];
  if (existing && !changed.length) return { outcome: "unchanged", changed, problems: [] };
  const saved = await saveFacility(db, record, actor, { id: existing?.id, via });
  if (!saved.ok)
    return {
      outcome: "error",
      changed,
      problems: Object.entries(saved.errors).flatMap(([field, ms]) => ms.map((message) => ({ field, message }))),
    };
  known.set(key, { id: saved.id, record });
  return { outcome: saved.outcome, changed, problems: [] };
}

/**
 * Reads a CSV file of facilities and reports what each row does. With `apply`, the rows without
 * problems are saved (each on its own) and the import is audited; without it, nothing is written.
 */
export async function importFacilities(
  db: TenantDb,
  text: string,
  actor: Actor,
  options: { apply: boolean; file?: string },
): Promise<ImportReport> {
  const csv = readCsvTable(text, FACILITY_CSV);
  if (!csv.ok) return csv;
  const known = await knownFacilities(db);
  const firstRowOf = new Map<string, number>();
  const rows: RowReport[] = [];
  for (const [index, cells] of csv.records.entries()) {
    const rowNumber = index + 2;
    const { name = "", city = "" } = rowCells(csv.header, cells);
    const report = (outcome: RowOutcome, problems: RowProblem[] = [], changed: string[] = []) =>
      rows.push({ row: rowNumber, name, city, outcome, changed, problems });
    const key = keyOf(name, city);
    const earlier = firstRowOf.get(key);
    if (name && city && earlier) {
      report("error", [{ field: "name", message: `"${name}" in ${city} already appears on row ${earlier}` }]);
      continue;
    }
    firstRowOf.set(key, rowNumber);
    const existing = known.get(key);
    const parsed = parseFacilityRow(csv.header, cells, existing?.record);
    if (!parsed.ok) {
      report("error", parsed.problems);
      continue;
    }
    if (!options.apply) {
      const changed = existing ? changedColumns(existing.record, parsed.facility) : [];
      report(!existing ? "created" : changed.length ? "updated" : "unchanged", [], changed);
      continue;
    }
    await sql`savepoint facility_row`.execute(db);
    try {
      const done = await upsert(db, parsed.facility, known, actor, "import");
      await sql`${sql.raw(done.outcome === "error" ? "rollback to" : "release")} savepoint facility_row`.execute(db);
      report(done.outcome, done.problems, done.changed);
    } catch (error) {
      await sql`rollback to savepoint facility_row`.execute(db);
      // A database refusal (a check constraint) is this row's problem; anything else is a bug.
      if (typeof (error as { code?: unknown }).code !== "string") throw error;
      report("error", [{ field: "row", message: `the database refused it: ${(error as Error).message}` }]);
    }
  }
  const counts = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const row of rows) counts[row.outcome] += 1;
  if (options.apply)
    await recordAudit(db, actor, {
      action: "facility.imported",
      targetType: "facility",
      details: { file: options.file ?? null, ...counts },
    });
  return { ok: true, applied: options.apply, rows, counts };
}

/** Loads facility records (the demo data): each created or updated by name and city, unchanged ones left alone. */
export async function loadFacilities(db: TenantDb, records: FacilityRecord[], actor: Actor, via: Via): Promise<Record<RowOutcome, number>> {
  const known = await knownFacilities(db);
  const counts = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const record of records) {
    const done = await upsert(db, record, known, actor, via);
    if (done.outcome === "error")
      throw new Error(`Facility "${record.name}" in ${record.city}: ${done.problems.map((p) => p.message).join("; ")}`);
    counts[done.outcome] += 1;
  }
  return counts;
}

/** The facilities the filters match, as a CSV file in the import's columns (so it uploads again as it is). */
export async function facilitiesCsv(db: TenantDb, filters: FacilityFilters): Promise<string> {
  const rows = await allFacilities(db, filters);
  return csvText([[...FACILITY_CSV_COLUMNS], ...rows.map((row) => facilityCsvRow(recordOf(row)))]);
}

/**
 * The template: the header and two example rows, inactive so that uploading it unchanged lists
 * nothing on the public page. The place is one the directory already has, when it has one.
 */
export async function facilitiesTemplateCsv(db: TenantDb): Promise<string> {
  const place = await db.selectFrom("facilities").select(["city", "state"]).orderBy("created_at").executeTakeFirst();
  const city = place?.city ?? "Kuala Lumpur";
  const state = place?.state ?? "Kuala Lumpur";
  const example = (values: FacilityRecord) => facilityCsvRow(values);
  return csvText([
    [...FACILITY_CSV_COLUMNS],
    example({
      name: "Example Specialist Hospital",
      kind: "hospital",
      address: "1 Example Road",
      city,
      state,
      postcode: "",
      phone: "0300 000 000",
      email: "admissions@example.com",
      panel: true,
      services: ["24-hour emergency", "Inpatient", "Maternity"],
      status: "inactive",
    }),
    example({
      name: "Example Family Clinic",
      kind: "clinic",
      address: "",
      city,
      state,
      postcode: "",
      phone: "",
      email: "",
      panel: false,
      services: ["General practice"],
      status: "inactive",
    }),
  ]);
}

import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";
import { parse } from "csv-parse/sync";

/**
 * Bulk uploads from a CSV file (the catalogue's products, the facilities directory): the upload
 * read with its size bounded, then the file read as a header naming known columns and rows of
 * cells. What each row means is the importer's business; this only says when the file as a whole
 * cannot be read, in words a spreadsheet user can act on.
 */

export interface CsvUploadSpec {
  /** The columns a file may name, lowercase. */
  columns: readonly string[];
  /** The columns the header must name (the ones rows are matched on). */
  keys: readonly string[];
  limits: { bytes: number; rows: number };
  /** What a row is, in the plural: "products", "facilities". */
  rowsAre: string;
}

export type CsvUpload = { ok: true; name: string; text: string; form: FormData } | { ok: false; status: 400 | 413; error: string };

export type CsvTable = { ok: true; header: string[]; records: string[][] } | { ok: false; error: string };

export function tooLargeMessage(spec: CsvUploadSpec): string {
  const mb = spec.limits.bytes / 1_000_000;
  return `The file is larger than ${mb} MB. Split it into smaller files of at most ${spec.limits.rows} ${spec.rowsAre}.`;
}

/**
 * The CSV a multipart form carries: its `file` part, or else (a second step that posts back a file
 * already checked) its `fieldName` text. Every other field comes back in `form`. An oversized body
 * is refused without being parsed, but read (and dropped) so that the browser, which sends the
 * whole file before it reads the answer, gets to see the error.
 */
export async function readCsvUpload(request: Request, spec: CsvUploadSpec, fieldName?: string): Promise<CsvUpload> {
  const tooLarge = { ok: false as const, status: 413 as const, error: tooLargeMessage(spec) };
  // A little room over the file itself for the form's other fields and the multipart framing.
  if (Number(request.headers.get("content-length") ?? 0) > spec.limits.bytes + 64_000) {
    await discardBody(request);
    return tooLarge;
  }
  let form: FormData;
  try {
    form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: spec.limits.bytes }));
  } catch (error) {
    await discardBody(request);
    if (error instanceof MaxPartSizeExceededError) return tooLarge;
    return { ok: false, status: 400, error: "Choose a CSV file and upload it with the form below." };
  }
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) return { ok: true, name: file.name, text: await file.text(), form };
  const posted = fieldName ? form.get(fieldName) : null;
  if (typeof posted === "string" && posted !== "") {
    const name = form.get("filename");
    return { ok: true, name: typeof name === "string" ? name.slice(0, 200) : "upload.csv", text: posted, form };
  }
  return { ok: false, status: 400, error: "Choose a CSV file to upload." };
}

/** The file as a header and rows of cells, or why it cannot be read at all. */
export function readCsvTable(text: string, spec: CsvUploadSpec): CsvTable {
  if (Buffer.byteLength(text, "utf8") > spec.limits.bytes) return { ok: false, error: tooLargeMessage(spec) };
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    return { ok: false, error: `The file is not valid CSV: ${(error as Error).message}` };
  }
  records = records.filter((cells) => cells.some((cell) => cell !== ""));
  const [header, ...rows] = records;
  if (!header) return { ok: false, error: "The file is empty. Start from the template: its first row names the columns." };
  const names = header.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !spec.columns.includes(n));
  if (unknown.length)
    return {
      ok: false,
      error: `Unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}. The columns are: ${spec.columns.join(", ")}.`,
    };
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length) return { ok: false, error: `The column "${repeated[0]}" appears twice in the first row.` };
  const missing = spec.keys.filter((key) => !names.includes(key));
  if (missing.length) {
    const keys = spec.keys.map((k) => `"${k}"`);
    const needs = keys.length === 1 ? `starting with ${keys[0]}` : `including ${keys.slice(0, -1).join(", ")} and ${keys.at(-1)}`;
    return { ok: false, error: `The first row must name the columns, ${needs}.` };
  }
  if (rows.length === 0) return { ok: false, error: `The file has no ${spec.rowsAre} under its header row.` };
  if (rows.length > spec.limits.rows)
    return { ok: false, error: `The file has ${rows.length} ${spec.rowsAre}; upload at most ${spec.limits.rows} at a time.` };
  return { ok: true, header: names, records: rows };
}

/** Reads what is left of a request body and drops it, up to a bound (past it, the client is abusive). */
async function discardBody(request: Request, limit = 50_000_000) {
  if (!request.body || request.body.locked) return;
  const reader = request.body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > limit) return void (await reader.cancel());
    }
  } catch {
    // The client went away: nothing left to drop.
  }
}

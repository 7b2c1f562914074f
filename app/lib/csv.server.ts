import { logger } from "~/lib/log.server";
import { minorDigits } from "~/lib/money";

/**
 * CSV downloads (the back office's and the agent portal's exports): formula-safe cells, a line of
 * them, money as plain numbers, and a whole filtered set streamed batch by batch — one short
 * database transaction per batch, none held open while the client reads.
 */

export type CsvValue = string | number | null | undefined;

/**
 * One CSV cell: quoted when it holds a comma, quote, line break or edge whitespace (RFC 4180), and
 * made inert for spreadsheets when it starts like a formula (= + - @, tab, CR): a leading quote
 * keeps `=HYPERLINK(…)` typed into a customer's name from running in the reader's spreadsheet.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A CSV line of formula-safe cells. With `plainNumbers`, a cell that is a plain number stays a
 * number: a clawback's "-16.67" is money, not a formula (csvCell alone would quote it as text).
 */
export function csvLine(cells: CsvValue[], options: { plainNumbers?: boolean } = {}): string {
  const cell = options.plainNumbers ? (c: CsvValue) => (typeof c === "string" && PLAIN_NUMBER.test(c) ? c : csvCell(c)) : csvCell;
  return `${cells.map(cell).join(",")}\r\n`;
}

/** A CSV file of rows (header first), formula-safe, with a BOM for spreadsheet programs. */
export function csvText(rows: CsvValue[][]): string {
  return `\uFEFF${rows.map((row) => csvLine(row)).join("")}`;
}

/** Minor units as a plain major-unit number for spreadsheets: 150050 KES → "1500.50" (exact, no float). */
export function minorToMajorText(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Where a batch ended, for keyset paging (newest first, on a timestamp then the id). */
export interface CsvCursor {
  /** The timestamp as PostgreSQL prints it (microseconds kept: a JS Date would drop them). */
  at: string;
  id: string;
}

export interface CsvBatch {
  lines: string;
  /** null at the end. */
  next: CsvCursor | null;
}

/** The cursor after a batch of `limit` rows selected with `cursor_at` (the timestamp as text), or null when it was the last. */
export function nextCsvCursor(rows: { cursor_at: string; id: string }[], limit: number): CsvCursor | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last ? { at: last.cursor_at, id: last.id } : null;
}

/**
 * A whole filtered set as a CSV stream: a BOM and the header, then `batch` after batch until one
 * says there is no next. `batch` runs each in its own short tenant transaction (withTenant).
 *
 * The status line and the header row are gone before the last batch runs, so a batch that fails
 * cannot turn into an error page: the stream errors, and the server then destroys the connection
 * instead of ending the chunked body, so the client sees an incomplete transfer and never a file
 * that looks whole (tests/integration/csv-export-failure.test.ts). Check the filters before the
 * stream starts (`csvRefused`).
 */
export function csvStream(header: string, batch: (cursor: CsvCursor | null) => Promise<CsvBatch>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: CsvCursor | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          // A BOM so spreadsheet programs read the file as UTF-8 (names with accents, "•").
          controller.enqueue(encoder.encode(`\uFEFF${header}`));
        }
        const next = await batch(cursor);
        if (next.lines) controller.enqueue(encoder.encode(next.lines));
        if (!next.next) controller.close();
        else cursor = next.next;
      } catch (error) {
        logger.error(
          { err: error, columns: header.trim().slice(0, 120) },
          "A CSV export failed after it started: the download is cut short",
        );
        controller.error(error);
      }
    },
  });
}

/** An export whose filters did not parse, refused before any byte of CSV: no download starts that is not the set asked for. */
export function csvRefused(problems: string[]): Response {
  return new Response(`This export was not started. ${problems.join(" ")}\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}

/** A CSV download: never cached, never sniffed as anything else. */
export function csvResponse(body: ReadableStream<Uint8Array> | string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

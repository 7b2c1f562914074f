import { z } from "zod";
import { lineText } from "~/lib/text";
import { answerText } from "./answers";
import { originOf } from "~/modules/tenancy/resolve.server";

/**
 * Cursor pagination for every /api/v1 list (decision 045): `?limit=20&cursor=…`, answered as
 * `{ results, nextCursor, next }`. A cursor is opaque to clients: the sort key values of the last
 * row, base64url JSON. Lists sort by a unique key (usually `created_at desc, id desc`) so a page
 * never repeats or skips a row however rows are added meanwhile.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const cursorQuery = {
  limit: z.coerce
    .number({ invalid_type_error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .int(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .min(1, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`How many results, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`),
  cursor: lineText()
    .max(500, "cursor is not one this API gave")
    .optional()
    .describe("`nextCursor` of the previous page; omit for the first page."),
};

/** The answer's shape for a list of `item`. */
export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    results: z.array(item),
    nextCursor: answerText().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
    next: answerText().nullable().describe("The next page's full address; null on the last page."),
  });
}

export type CursorValues = (string | number | null)[];

export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** The values in a cursor this API gave, or null for anything else (tampered, another list's). */
export function decodeCursor(cursor: string, arity: number): CursorValues | null {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(values) || values.length !== arity) return null;
    if (!values.every((v) => v === null || typeof v === "string" || typeof v === "number")) return null;
    return values as CursorValues;
  } catch {
    return null;
  }
}

/**
 * Builds the answer from `limit + 1` rows fetched after the cursor: the extra row only says there
 * is a next page. `keyOf` gives a row's sort key values (the same order as the query's ORDER BY).
 */
export function pageFrom<Row, Out>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => CursorValues,
  toResult: (row: Row) => Out,
  request: Request,
): { results: Out[]; nextCursor: string | null; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(keyOf(last)) : null;
  let next: string | null = null;
  if (nextCursor) {
    const url = new URL(request.url);
    url.searchParams.set("cursor", nextCursor);
    next = `${originOf(request)}${url.pathname}${url.search}`;
  }
  return { results: page.map(toResult), nextCursor, next };
}

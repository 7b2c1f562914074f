import { sql } from "kysely";

/**
 * Keyset paging over `created_at desc, id desc` (the API's cursor lists, decision 045). A row's
 * position is its creation time to the microsecond, as text (a JS Date keeps milliseconds only, so
 * a cursor made from one would skip rows created in the same millisecond), and its id.
 */
export interface Position {
  at: string;
  id: string;
}

/** The exact creation time of `column` as a cursor's text (UTC, microseconds). */
export const exactTime = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows after `position` in `created_at desc, id desc` order. */
export const olderThan = (timeColumn: string, idColumn: string, position: Position) =>
  sql<boolean>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) < (${position.at}::timestamptz, ${position.id}::uuid)`;

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A position read back from a cursor's values, or null when they are not one. */
export function positionOf(values: readonly unknown[] | null): Position | null {
  if (!values || values.length !== 2) return null;
  const [at, id] = values;
  if (typeof at !== "string" || typeof id !== "string" || !TIME.test(at) || !UUID.test(id)) return null;
  return { at, id };
}

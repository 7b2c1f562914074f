import { positionOf, type Position } from "~/lib/keyset.server";
import { decodeCursor, type CursorValues } from "./pagination.server";
import { invalid } from "./problem.server";

/**
 * The position a list's `cursor` names, for lists paged by creation time (`~/lib/keyset.server`);
 * undefined for the first page. A cursor this API did not give is a 400 naming the field.
 */
export function afterCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  const position = positionOf(decodeCursor(cursor, 2));
  if (!position) throw invalid({ cursor: ["cursor is not one this API gave"] }, "Some query parameters are not valid");
  return position;
}

/** The cursor values of a row paged by creation time. */
export const positionKey = (row: { cursorAt: string; id: string }): CursorValues => [row.cursorAt, row.id];

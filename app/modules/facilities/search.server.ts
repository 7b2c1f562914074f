import { sql } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import { lineText, textProblem } from "~/lib/text";
import { FACILITY_COLUMNS, filteredFacilities } from "./directory.server";
import { FACILITY_KINDS, SEARCH_LIMIT, type FacilityKind, type PublicFacility } from "./schemas";

export type { PublicFacility };

/**
 * Finding a hospital or clinic: the public page (/facilities), the JSON API (/api/v1/facilities)
 * and the claim wizard's facility picker all search through `searchFacilities`. Only active
 * facilities are found, the agency's panel unless asked otherwise, by name in pages whose links are
 * cursors (a page stays the same page while the directory changes under it).
 */

export interface FacilitySearch {
  /** Words of the name, city or state; each matches the start of a word ("glen" finds Gleneagles). */
  q?: string;
  state?: string;
  city?: string;
  kind?: FacilityKind;
  /** Only the agency's panel: the default. False lists every active facility, panel or not. */
  panelOnly?: boolean;
  /** How many per page, 1 to 50 (20 when not given). */
  limit?: number;
  /** `next` or `previous` of an earlier answer; none (or one that does not read) starts at the first page. */
  cursor?: string | null;
}

export interface FacilitySearchResult {
  facilities: PublicFacility[];
  /** How many facilities match, over all pages. */
  total: number;
  next: string | null;
  previous: string | null;
}

interface Cursor {
  /** After this row (the next page) or before it (the previous page). */
  direction: "after" | "before";
  /** The row's sort key, lower(name), and its id for ties. */
  name: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === "after" ? "a" : "b", cursor.name, cursor.id])).toString("base64url");
}

export function decodeCursor(text: string | null | undefined): Cursor | null {
  if (!text || text.length > 600) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [direction, name, id] = value as unknown[];
    if ((direction !== "a" && direction !== "b") || typeof name !== "string" || typeof id !== "string" || !UUID.test(id)) return null;
    // The name goes back into a query as a parameter: the same rules as any text from a client.
    if (name.length > 200 || textProblem(name)) return null;
    return { direction: direction === "a" ? "after" : "before", name, id };
  } catch {
    return null;
  }
}

export async function searchFacilities(db: TenantDb, search: FacilitySearch): Promise<FacilitySearchResult> {
  const limit = Math.min(Math.max(Math.trunc(search.limit ?? SEARCH_LIMIT.default), 1), SEARCH_LIMIT.max);
  const base = filteredFacilities(db, {
    q: search.q,
    state: search.state,
    city: search.city,
    kind: search.kind,
    panel: search.panelOnly === false ? undefined : true,
    status: "active",
  });
  const cursor = decodeCursor(search.cursor);
  const backwards = cursor?.direction === "before";
  let page = base.select(FACILITY_COLUMNS).select(sql<string>`lower(name)`.as("sort_name"));
  if (cursor) page = page.where(sql<boolean>`(lower(name), id) ${sql.raw(backwards ? "<" : ">")} (${cursor.name}, ${cursor.id}::uuid)`);
  const order = backwards ? "desc" : "asc";
  const rows = await page
    .orderBy(sql`lower(name)`, order)
    .orderBy("id", order)
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  if (backwards) shown.reverse();
  const total = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const first = shown[0];
  const last = shown.at(-1);
  // Going forward there is a page before whenever we came from one; going back, a page after.
  const hasNext = backwards ? Boolean(cursor) : more;
  const hasPrevious = backwards ? more : Boolean(cursor);
  return {
    facilities: shown.map(({ sort_name: _sort, status: _status, ...f }) => ({ ...f, kind: f.kind as FacilityKind })),
    total: Number(total.n),
    next: hasNext && last ? encodeCursor({ direction: "after", name: last.sort_name, id: last.id }) : null,
    previous: hasPrevious && first ? encodeCursor({ direction: "before", name: first.sort_name, id: first.id }) : null,
  };
}

/** One active facility, for the API's detail; an inactive one, or another agency's, is not there. */
export async function publicFacility(db: TenantDb, id: string): Promise<PublicFacility | undefined> {
  const row = await db
    .selectFrom("facilities")
    .select(FACILITY_COLUMNS)
    .where("id", "=", id)
    .where("status", "=", "active")
    .executeTakeFirst();
  if (!row) return undefined;
  const { status: _status, ...facility } = row;
  return { ...facility, kind: facility.kind as FacilityKind };
}

/**
 * A search as the URL gives it (the public page and the API read the same parameters). `panel`
 * is "only" (the default) or "all"; `cursor` is the `next` or `previous` of an answer.
 */
export const facilitySearchSchema = z.object({
  q: lineText().max(100, "Use at most 100 characters.").optional(),
  state: lineText().max(80, "Use at most 80 characters.").optional(),
  city: lineText().max(80, "Use at most 80 characters.").optional(),
  kind: z.enum(FACILITY_KINDS, { errorMap: () => ({ message: "Use hospital or clinic." }) }).optional(),
  panel: z.enum(["only", "all"], { errorMap: () => ({ message: "Use only or all." }) }).default("only"),
  cursor: lineText()
    .refine((v) => decodeCursor(v) !== null, "This page link is broken; start the search again.")
    .optional(),
});
export type FacilitySearchParams = z.output<typeof facilitySearchSchema>;

export const SEARCH_LABELS = { q: "Name", state: "State", city: "City", kind: "Type", panel: "Panel", cursor: "Page" } as const;

/** The parsed URL search as searchFacilities' input. */
export function searchOf(params: FacilitySearchParams, limit?: number): FacilitySearch {
  return {
    q: params.q,
    state: params.state,
    city: params.city,
    kind: params.kind,
    panelOnly: params.panel === "only",
    cursor: params.cursor,
    limit,
  };
}

/** The API's search parameters: the page's, plus how many per page. */
export const facilityApiSearchSchema = facilitySearchSchema.extend({
  limit: lineText()
    .regex(/^\d{1,3}$/, `Use a whole number from 1 to ${SEARCH_LIMIT.max}.`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= SEARCH_LIMIT.max, `Use a whole number from 1 to ${SEARCH_LIMIT.max}.`)
    .optional(),
});

/** A facility in the JSON API's shape, with its own address in the API. */
export function facilityJson(facility: PublicFacility, origin: string) {
  return { ...facility, api: `${origin}/api/v1/facilities/${facility.id}` };
}

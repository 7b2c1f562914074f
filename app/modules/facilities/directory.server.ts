import { sql, type SelectQueryBuilder } from "kysely";
import type { TenantDb } from "~db/client";
import type { Database } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { isUniqueViolation } from "~/modules/catalogue/admin.server";
import { changedColumns, FACILITY_CSV_COLUMNS } from "./csv";
import type { FacilityKind, FacilityListFilters, FacilityRecord, FacilityStatus } from "./schemas";

/**
 * The agency's directory of hospitals and clinics, as the back office keeps it. Nothing here
 * deletes: a claim may point at a facility (claims.facility_id), so a facility that closes or
 * leaves the panel is made inactive, and drops out of the public search, instead.
 */

export const FACILITY_PAGE_SIZE = 25;

export interface FacilityFilters {
  q?: string;
  state?: string;
  city?: string;
  kind?: FacilityKind;
  panel?: boolean;
  status?: FacilityStatus;
}

/** The back office's URL filters (panel as yes/no) as the module's. */
export function listFilters(f: FacilityListFilters): FacilityFilters {
  return { ...f, panel: f.panel === undefined ? undefined : f.panel === "yes" };
}

/** What a facility's rows are read as: its id and the columns of its CSV. */
export const FACILITY_COLUMNS = ["id", ...FACILITY_CSV_COLUMNS] as const;

/**
 * Words typed into a search box as a prefix query over the `search` column (name, city and state):
 * "glen kuala" finds Gleneagles in Kuala Lumpur. Only letters and digits reach to_tsquery, so no
 * input can be a syntax error; null when nothing searchable was typed.
 */
export function prefixQuery(q: string | undefined): string | null {
  const words = (q ?? "")
    .normalize("NFKC")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  return words?.length
    ? words
        .slice(0, 8)
        .map((w) => `${w}:*`)
        .join(" & ")
    : null;
}

/** The filters as a query over this tenant's facilities (RLS scopes it). */
export function filteredFacilities(db: TenantDb, filters: FacilityFilters): SelectQueryBuilder<Database, "facilities", object> {
  let query = db.selectFrom("facilities");
  const words = prefixQuery(filters.q);
  if (words) query = query.where(sql<boolean>`search @@ to_tsquery('simple', ${words})`);
  // A place typed by hand ("kuala lumpur") finds the directory's "Kuala Lumpur".
  if (filters.state) query = query.where(sql<boolean>`lower(state) = lower(${filters.state})`);
  if (filters.city) query = query.where(sql<boolean>`lower(city) = lower(${filters.city})`);
  if (filters.kind) query = query.where("kind", "=", filters.kind);
  if (filters.panel !== undefined) query = query.where("panel", "=", filters.panel);
  if (filters.status) query = query.where("status", "=", filters.status);
  return query;
}

export async function listFacilities(db: TenantDb, filters: FacilityFilters & { page: number; pageSize?: number }) {
  const pageSize = filters.pageSize ?? FACILITY_PAGE_SIZE;
  const query = filteredFacilities(db, filters);
  const rows = await query
    .select(FACILITY_COLUMNS)
    .orderBy(sql`lower(name)`)
    .orderBy("id")
    .limit(pageSize + 1)
    .offset((filters.page - 1) * pageSize)
    .execute();
  const count = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize, total: Number(count.n) };
}

/** Every facility the filters match, for the CSV export (a directory is hundreds of rows, not millions). */
export function allFacilities(db: TenantDb, filters: FacilityFilters) {
  return filteredFacilities(db, filters)
    .select(FACILITY_COLUMNS)
    .orderBy(sql`lower(name)`)
    .orderBy("id")
    .execute();
}

/** The states and their cities the directory has, for the filters' choices (`activeOnly` for the public page). */
export async function facilityPlaces(db: TenantDb, options: { activeOnly: boolean }): Promise<{ state: string; cities: string[] }[]> {
  let query = db
    .selectFrom("facilities")
    .select(["state", "city"])
    .distinctOn([sql`lower(state)`, sql`lower(city)`]);
  if (options.activeOnly) query = query.where("status", "=", "active");
  const rows = await query
    .orderBy(sql`lower(state)`)
    .orderBy(sql`lower(city)`)
    .orderBy("state")
    .orderBy("city")
    .execute();
  const places: { state: string; cities: string[] }[] = [];
  for (const row of rows) {
    const last = places.at(-1);
    if (last && last.state.toLowerCase() === row.state.toLowerCase()) last.cities.push(row.city);
    else places.push({ state: row.state, cities: [row.city] });
  }
  return places;
}

/** One facility of this tenant with how many claims name it, or undefined (another tenant's id is invisible by RLS). */
export async function getFacility(db: TenantDb, id: string) {
  const row = await db.selectFrom("facilities").select(FACILITY_COLUMNS).where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const claims = await db
    .selectFrom("claims")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("facility_id", "=", id)
    .executeTakeFirstOrThrow();
  return { ...row, claimCount: Number(claims.n) };
}

/** The facility as data (what a form, a CSV row and the manifest describe). */
export function recordOf(row: Omit<FacilityRecord, "kind" | "status"> & { kind: string; status: string }): FacilityRecord {
  const { name, kind, address, city, state, postcode, phone, email, panel, services, status } = row;
  return {
    name,
    kind: kind as FacilityKind,
    address,
    city,
    state,
    postcode,
    phone,
    email,
    panel,
    services,
    status: status as FacilityStatus,
  };
}

export type SaveResult =
  { ok: true; id: string; outcome: "created" | "updated" | "unchanged" } | { ok: false; errors: Record<string, string[]> };

/** How a change came in, for the audit entry. */
export type Via = "form" | "import" | "seed";

const takenMessage = (name: string, city: string) =>
  `"${name}" in ${city} is already in the directory. Edit that one, or give this one a name that tells them apart.`;

/**
 * Adds a facility, or saves one (`id`). A form leaves the status out (it has buttons of its own);
 * an import or the seed may set it. Two facilities may not share a name in one city (letter case
 * aside): that is how people and CSV rows tell them apart. Every change is audited; a save that
 * changes nothing writes nothing.
 */
export async function saveFacility(
  db: TenantDb,
  values: Omit<FacilityRecord, "status"> & { status?: FacilityStatus },
  actor: Actor,
  options: { id?: string; via: Via },
): Promise<SaveResult> {
  const { id, via } = options;
  const clash = await db
    .selectFrom("facilities")
    .select(["id", "name", "city"])
    .where(sql<boolean>`lower(name) = lower(${values.name}) and lower(city) = lower(${values.city})`)
    .executeTakeFirst();
  if (clash && clash.id !== id) return { ok: false, errors: { name: [takenMessage(clash.name, clash.city)] } };
  try {
    if (id) {
      const before = await db.selectFrom("facilities").select(FACILITY_COLUMNS).where("id", "=", id).executeTakeFirst();
      if (!before) return { ok: false, errors: { form: ["This facility no longer exists."] } };
      const after = { ...values, status: values.status ?? (before.status as FacilityStatus) };
      const changed = changedColumns(recordOf(before), after);
      if (!changed.length) return { ok: true, id, outcome: "unchanged" };
      await db
        .updateTable("facilities")
        .set({ ...after, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
      await recordAudit(db, actor, {
        action: "facility.updated",
        targetType: "facility",
        targetId: id,
        details: { name: after.name, city: after.city, changed, via },
      });
      return { ok: true, id, outcome: "updated" };
    }
    const row = await db
      .insertInto("facilities")
      .values({ ...values, status: values.status ?? "active" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(db, actor, {
      action: "facility.created",
      targetType: "facility",
      targetId: row.id,
      details: { name: values.name, city: values.city, via },
    });
    return { ok: true, id: row.id, outcome: "created" };
  } catch (error) {
    // Two saves of the same name and city at once: the unique index decides, the loser is told.
    if (isUniqueViolation(error)) return { ok: false, errors: { name: [takenMessage(values.name, values.city)] } };
    throw error;
  }
}

/**
 * Makes a facility active (listed) or inactive (hidden from the public search and the API, kept for
 * the claims that name it). False when there is no such facility here; the same status again is a
 * no-op that writes nothing.
 */
export async function setFacilityStatus(db: TenantDb, id: string, status: FacilityStatus, actor: Actor): Promise<boolean> {
  const row = await db.selectFrom("facilities").select(["name", "city", "status"]).where("id", "=", id).executeTakeFirst();
  if (!row) return false;
  if (row.status === status) return true;
  await db.updateTable("facilities").set({ status, updated_at: new Date() }).where("id", "=", id).execute();
  await recordAudit(db, actor, {
    action: status === "active" ? "facility.activated" : "facility.deactivated",
    targetType: "facility",
    targetId: id,
    details: { name: row.name, city: row.city },
  });
  return true;
}

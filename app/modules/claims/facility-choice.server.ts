import { sql } from "kysely";
import type { TenantDb } from "~db/client";

/**
 * The hospitals and clinics the claim wizard offers. A stand-in until the facilities module lands
 * (issue 12, `searchFacilities(db, { q, state, city, kind, panelOnly, limit, cursor })` in
 * app/modules/facilities): the lead swaps this one function for it.
 */
export interface FacilityChoice {
  id: string;
  name: string;
  kind: "hospital" | "clinic";
  city: string;
  state: string;
  panel: boolean;
}

export async function facilityChoices(db: TenantDb, input: { q?: string; state?: string; limit?: number }): Promise<FacilityChoice[]> {
  let query = db.selectFrom("facilities").select(["id", "name", "kind", "city", "state", "panel"]).where("status", "=", "active");
  if (input.q) query = query.where(sql<boolean>`search @@ plainto_tsquery('simple', ${input.q})`);
  if (input.state) query = query.where("state", "=", input.state);
  return query
    .orderBy("panel", "desc")
    .orderBy("name")
    .limit(input.limit ?? 20)
    .execute();
}

export async function facilityStates(db: TenantDb): Promise<string[]> {
  const rows = await db.selectFrom("facilities").select("state").distinct().where("status", "=", "active").orderBy("state").execute();
  return rows.map((r) => r.state);
}

export async function facilityById(db: TenantDb, id: string): Promise<FacilityChoice | undefined> {
  return db.selectFrom("facilities").select(["id", "name", "kind", "city", "state", "panel"]).where("id", "=", id).executeTakeFirst();
}

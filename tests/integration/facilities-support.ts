import { withTenant } from "~db/client";
import { loadFacilities } from "~/modules/facilities/import.server";
import type { FacilityRecord } from "~/modules/facilities/schemas";
import { ownerDb } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";

/** Shared steps for the facilities tests (not a test file itself). */

export function facility(overrides: Partial<FacilityRecord> & { name: string }): FacilityRecord {
  return {
    kind: "hospital",
    address: "1 Jalan Contoh",
    city: "Ipoh",
    state: "Perak",
    postcode: "30350",
    phone: "+60 5-241 8777",
    email: "",
    panel: true,
    services: ["Inpatient"],
    status: "active",
    ...overrides,
  };
}

/** Facilities written through the module, as the seed writes them. */
export async function addFacilities(tenantId: string, records: FacilityRecord[]) {
  await withTenant(tenantId, (db) => loadFacilities(db, records, { userId: null }, "seed"));
  return facilityRows(tenantId);
}

export function facilityRows(tenantId: string) {
  return ownerDb().selectFrom("facilities").selectAll().where("tenant_id", "=", tenantId).orderBy("name").execute();
}

/** A CSV upload as a browser sends it: multipart/form-data from this host's own page. */
export function multipart(
  browser: Browser,
  path: string,
  fields: Record<string, string>,
  file?: { name: string; content: string },
): Promise<HttpResponse> {
  const boundary = `----covera${Math.random().toString(36).slice(2)}`;
  let body = "";
  for (const [name, value] of Object.entries(fields))
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  if (file)
    body += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`;
  body += `--${boundary}--\r\n`;
  return browser.send("POST", path, body, { "content-type": `multipart/form-data; boundary=${boundary}`, origin: browser.origin });
}

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
export const csv = (rows: string[][]) => rows.map((r) => r.map(cell).join(",")).join("\n") + "\n";

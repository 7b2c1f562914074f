import { z } from "zod";
import { lineText } from "~/lib/text";
import { lineList } from "~/modules/catalogue/admin-schemas";

/**
 * A facility (a hospital or clinic of the agency's directory) as people type it: the back office's
 * form, a CSV row and `tenants/<slug>/facilities.json` are all checked by these same fields.
 * Browser-safe: the form validates with them while typing.
 */

export const FACILITY_KINDS = ["hospital", "clinic"] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];
export const FACILITY_STATUSES = ["active", "inactive"] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

/** How many facilities a search answers at a time (the API's `limit`). */
export const SEARCH_LIMIT = { default: 20, max: 50 } as const;

export const SERVICES_MAX = 50;
export const SERVICE_MAX = 300;

const required = (message: string, max: number) => lineText(message).min(1, message).max(max, `Use at most ${max} characters.`);
const optional = (max: number) => lineText().max(max, `Use at most ${max} characters.`).default("");

/** Digits with the usual separators, as printed on a letterhead: +60 3-2296 0888, 020 366 2000. */
export const PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{6,19}$/;

// Empty is allowed (not every clinic lists one); given, it must be an address.
const EMAIL = lineText().email();

const fields = {
  name: required("Enter the facility's name.", 160),
  kind: z.enum(FACILITY_KINDS, { errorMap: () => ({ message: "Choose hospital or clinic." }) }),
  address: optional(300),
  city: required("Enter the city or town.", 80),
  state: required("Enter the state or county.", 80),
  postcode: lineText()
    .max(12, "Use at most 12 characters.")
    .regex(/^[A-Za-z0-9 -]*$/, "Use the postcode's letters and digits, like 50450 or 00100.")
    .default(""),
  phone: lineText()
    .refine((v) => v === "" || PHONE_PATTERN.test(v), "Enter a phone number in digits, for example +60 3-2296 0888.")
    .default(""),
  email: lineText()
    .max(254, "Use at most 254 characters.")
    .refine((v) => v === "" || EMAIL.safeParse(v).success, "Enter an email address like admissions@hospital.com.")
    .default(""),
};

/** The back office's form: services one per line, "on our panel" a checkbox. */
export const facilityFormSchema = z.object({
  ...fields,
  panel: z.boolean().default(false),
  services: lineList,
});
export type FacilityForm = z.output<typeof facilityFormSchema>;

/** One facility as data (a CSV row once its cells are read, an entry of facilities.json). */
export const facilityRecordSchema = z
  .object({
    ...fields,
    panel: z.boolean({ invalid_type_error: "Use yes or no." }).default(true),
    services: z
      .array(lineText().min(1, "Leave out empty services.").max(SERVICE_MAX, `Keep each service under ${SERVICE_MAX} characters.`))
      .max(SERVICES_MAX, `List at most ${SERVICES_MAX} services.`)
      .default([]),
    status: z.enum(FACILITY_STATUSES, { errorMap: () => ({ message: "Use active or inactive." }) }).default("active"),
  })
  .strict();
export type FacilityRecord = z.output<typeof facilityRecordSchema>;

/** A listed facility as the public search, the API and a claim's facility picker show it. */
export type PublicFacility = Omit<FacilityRecord, "status"> & { id: string };

/** tenants/<slug>/facilities.json: the agency's directory as its demo data declares it. */
export const facilitiesManifestSchema = z.object({ facilities: z.array(facilityRecordSchema).max(5_000) }).strict();
export type FacilitiesManifest = z.output<typeof facilitiesManifestSchema>;

/** A phone number as a tel: link (the digits and a leading +). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, "")}`;
}

/** A plain link to a map search for the facility: no map is loaded here, the visitor's own app opens it. */
export function mapHref(f: { name: string; address: string; city: string; state: string; postcode: string }): string {
  const where = [f.name, f.address, [f.postcode, f.city].filter(Boolean).join(" "), f.state].filter(Boolean).join(", ");
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(where)}`;
}

/** The back office list's filters, from its URL (the CSV export reads the same ones). */
export const facilityListFiltersSchema = z.object({
  q: lineText().max(100, "Use at most 100 characters.").optional(),
  state: lineText().max(80, "Use at most 80 characters.").optional(),
  city: lineText().max(80, "Use at most 80 characters.").optional(),
  kind: z.enum(FACILITY_KINDS, { errorMap: () => ({ message: "Use hospital or clinic." }) }).optional(),
  panel: z.enum(["yes", "no"], { errorMap: () => ({ message: "Use yes or no." }) }).optional(),
  status: z.enum(FACILITY_STATUSES, { errorMap: () => ({ message: "Use active or inactive." }) }).optional(),
});
export type FacilityListFilters = z.output<typeof facilityListFiltersSchema>;
export const LIST_FILTER_LABELS = { q: "Name", state: "State", city: "City", kind: "Type", panel: "Panel", status: "Status" } as const;

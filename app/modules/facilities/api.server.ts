import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { notFound } from "~/modules/api/problem.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { FACILITY_KINDS, SEARCH_LIMIT } from "./schemas";
import { facilityApiSearchSchema, facilityJson, publicFacility, searchFacilities, searchOf } from "./search.server";

/**
 * /api/v1/facilities (decision 045): the agency's public directory of hospitals and clinics, searched
 * as on /facilities. It pages by its own cursor, which also walks backwards (`previous`): the
 * directory's cursors predate the API's and the public page shares them.
 */

const facilitySchema = z.object({
  id: answerText().uuid(),
  name: answerText(),
  kind: z.enum(FACILITY_KINDS),
  address: answerText().describe("Street address; may be empty."),
  city: answerText(),
  state: answerText().describe("State (Malaysia) or county (Kenya)."),
  postcode: answerText(),
  phone: answerText().describe("As printed, e.g. +60 3-2161 8800; may be empty."),
  email: answerText().describe("May be empty."),
  panel: z.boolean().describe("On the agency's panel."),
  services: z.array(answerText()),
  api: answerText().url(),
});

const searchQuery = facilityApiSearchSchema.extend({
  q: facilityApiSearchSchema.shape.q.describe('Words of the name, city or state; each matches the start of a word ("glen kuala").'),
  state: facilityApiSearchSchema.shape.state.describe("State or county, letter case aside."),
  city: facilityApiSearchSchema.shape.city.describe("City or town, letter case aside."),
  panel: facilityApiSearchSchema.shape.panel.describe("`only`: the agency's panel (the default); `all`: every listed facility."),
  cursor: facilityApiSearchSchema.shape.cursor.describe(
    "From an answer's `next` or `previous` (whole links); none starts at the first page.",
  ),
  limit: facilityApiSearchSchema.shape.limit.describe(`1 to ${SEARCH_LIMIT.max} (default ${SEARCH_LIMIT.default}).`),
});

export const searchFacilitiesEndpoint = endpoint({
  method: "GET",
  path: "/facilities",
  operationId: "searchFacilities",
  summary: "Search the agency's hospitals and clinics (its panel by default)",
  tags: ["Facilities"],
  auth: { scope: "catalogue:read", anonymous: true },
  query: searchQuery,
  responses: {
    200: {
      description: "A page of facilities.",
      schema: z.object({
        total: z.number().int().describe("How many facilities match, over all pages."),
        limit: z.number().int(),
        results: z.array(facilitySchema),
        next: answerText().url().nullable(),
        previous: answerText().url().nullable(),
      }),
    },
  },
  async handler({ request, tenant, query }) {
    const limit = query.limit ?? SEARCH_LIMIT.default;
    const result = await withTenant(tenant.id, (db) => searchFacilities(db, searchOf(query, limit)));
    const origin = originOf(request);
    const link = (cursor: string | null) => {
      if (!cursor) return null;
      const page = new URL(request.url);
      page.searchParams.set("cursor", cursor);
      return page.toString();
    };
    return {
      body: {
        total: result.total,
        limit,
        results: result.facilities.map((f) => facilityJson(f, origin)),
        next: link(result.next),
        previous: link(result.previous),
      },
    };
  },
});

export const getFacilityEndpoint = endpoint({
  method: "GET",
  path: "/facilities/{facilityId}",
  operationId: "getFacility",
  summary: "One listed hospital or clinic",
  tags: ["Facilities"],
  auth: { scope: "catalogue:read", anonymous: true },
  params: z.object({ facilityId: lineText().uuid() }),
  resource: "Facility",
  responses: { 200: { description: "The facility.", schema: z.object({ facility: facilitySchema }) } },
  errors: [404],
  async handler({ request, tenant, params }) {
    const facility = await withTenant(tenant.id, (db) => publicFacility(db, params.facilityId));
    if (!facility) throw notFound("Facility");
    return { body: { facility: facilityJson(facility, originOf(request)) } };
  },
});

export const facilityEndpoints = [searchFacilitiesEndpoint, getFacilityEndpoint];

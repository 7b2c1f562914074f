import { SEARCH_LIMIT } from "./schemas";

/**
 * The facilities part of the OpenAPI document (app/modules/catalogue/openapi.ts puts it in), kept
 * beside the module whose answers it describes: /facilities and /facilities/{facilityId}.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });

const searchParameters = [
  {
    name: "q",
    in: "query",
    description: 'Words of the name, city or state; each matches the start of a word ("glen kuala").',
    schema: { type: "string", maxLength: 100 },
  },
  { name: "state", in: "query", description: "State or county, letter case aside.", schema: { type: "string", maxLength: 80 } },
  { name: "city", in: "query", description: "City or town, letter case aside.", schema: { type: "string", maxLength: 80 } },
  { name: "kind", in: "query", schema: { type: "string", enum: ["hospital", "clinic"] } },
  {
    name: "panel",
    in: "query",
    description: "`only`: the agency's panel (the default); `all`: every listed facility, on the panel or not.",
    schema: { type: "string", enum: ["only", "all"], default: "only" },
  },
  {
    name: "cursor",
    in: "query",
    description: "From an answer's `next` or `previous` (which are whole links); none starts at the first page.",
    schema: { type: "string" },
  },
  {
    name: "limit",
    in: "query",
    schema: { type: "integer", minimum: 1, maximum: SEARCH_LIMIT.max, default: SEARCH_LIMIT.default },
  },
];

export const facilitySchemas = {
  Facility: {
    type: "object",
    required: ["id", "name", "kind", "address", "city", "state", "postcode", "phone", "email", "panel", "services", "api"],
    properties: {
      id: { type: "string", format: "uuid" },
      name: { type: "string" },
      kind: { type: "string", enum: ["hospital", "clinic"] },
      address: { type: "string", description: "Street address; may be empty." },
      city: { type: "string" },
      state: { type: "string", description: "State (Malaysia) or county (Kenya)." },
      postcode: { type: "string" },
      phone: { type: "string", description: "As printed, e.g. +60 3-2161 8800; may be empty." },
      email: { type: "string", description: "May be empty." },
      panel: { type: "boolean", description: "On the agency's panel." },
      services: { type: "array", items: { type: "string" } },
      api: { type: "string", format: "uri" },
    },
  },
  FacilityList: {
    type: "object",
    required: ["total", "limit", "results", "next", "previous"],
    properties: {
      total: { type: "integer", description: "How many facilities match, over all pages." },
      limit: { type: "integer" },
      results: { type: "array", items: ref("Facility") },
      next: { type: ["string", "null"], format: "uri" },
      previous: { type: ["string", "null"], format: "uri" },
    },
  },
};

export const facilityPaths = {
  "/facilities": {
    get: {
      operationId: "searchFacilities",
      summary: "Search the agency's hospitals and clinics (its panel by default)",
      parameters: searchParameters,
      responses: {
        "200": { description: "A page of facilities.", content: { "application/json": { schema: ref("FacilityList") } } },
        "400": errorResponse("A query parameter is not valid (VALIDATION_ERROR, per parameter)."),
      },
    },
  },
  "/facilities/{facilityId}": {
    get: {
      operationId: "getFacility",
      summary: "One listed hospital or clinic",
      parameters: [{ name: "facilityId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: {
        "200": {
          description: "The facility.",
          content: {
            "application/json": { schema: { type: "object", required: ["facility"], properties: { facility: ref("Facility") } } },
          },
        },
        "404": errorResponse("No such listed facility at this agency (NOT_FOUND)."),
      },
    },
  },
};

import { CLAIM_STATES } from "~/modules/workflows/claim";

/**
 * The claims part of the OpenAPI document (app/modules/catalogue/openapi.ts spreads it in): the
 * signed-in customer's claims, by their session cookie. Kept beside the routes it describes.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const minor = (description: string) => ({ type: "integer", description: `${description} In minor units (cents) of \`currency\`.` });
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
const claimId = { name: "claimId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const oneClaim = {
  content: { "application/json": { schema: { type: "object", required: ["claim"], properties: { claim: ref("Claim") } } } },
};
const signedIn = errorResponse("Not signed in (UNAUTHENTICATED).");

export const claimSchemas = {
  ClaimListItem: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" },
      claimNumber: { type: "string", examples: ["BWM-CLM-2026-000123"] },
      status: { type: "string", enum: [...CLAIM_STATES] },
      statusLabel: { type: "string" },
      claimType: { type: "string", examples: ["accident", "inpatient"] },
      claimTypeLabel: { type: "string" },
      policyId: { type: "string", format: "uuid" },
      policyNumber: { type: "string" },
      productName: { type: "string" },
      incidentDate: { type: "string", format: "date" },
      claimedMinor: minor("Amount claimed."),
      payableMinor: { type: ["integer", "null"], description: "What will be paid, once decided (minor units)." },
      currency: { type: "string" },
      filedAt: { type: "string", format: "date-time" },
      url: { type: "string", format: "uri" },
    },
  },
  ClaimList: {
    type: "object",
    required: ["results", "next"],
    properties: {
      results: { type: "array", items: ref("ClaimListItem") },
      next: { type: ["string", "null"], format: "uri", description: "The next page (same filters, a cursor), or null." },
    },
  },
  ClaimRequest: {
    type: "object",
    required: ["policyId", "claimType", "incidentDate", "incidentPlace", "description", "claimedMinor", "currency"],
    additionalProperties: false,
    properties: {
      policyId: { type: "string", format: "uuid", description: "One of your own issued policies." },
      claimType: { type: "string", description: "A claim type of the policy's kind (motor: accident, theft, third_party, windscreen …)." },
      incidentDate: { type: "string", format: "date", description: "Not in the future, not before the cover starts." },
      incidentPlace: { type: "string", minLength: 2, maxLength: 200 },
      description: { type: "string", minLength: 10, maxLength: 5000 },
      claimedMinor: { type: "integer", minimum: 1, description: "Amount claimed in minor units of the policy's currency." },
      currency: { type: "string", description: "Must be the policy's currency." },
      facilityId: { type: ["string", "null"], format: "uuid", description: "The hospital or clinic, from /facilities." },
    },
  },
  Claim: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" },
      claimNumber: { type: "string" },
      status: { type: "string", enum: [...CLAIM_STATES] },
      statusLabel: { type: "string" },
      revision: { type: "integer" },
      claimType: { type: "string" },
      claimTypeLabel: { type: "string" },
      policyId: { type: "string", format: "uuid" },
      policyNumber: { type: "string" },
      productName: { type: "string" },
      incidentDate: { type: "string", format: "date" },
      incidentPlace: { type: "string" },
      description: { type: "string" },
      facilityId: { type: ["string", "null"], format: "uuid" },
      claimedMinor: minor("Amount claimed."),
      approvedMinor: { type: ["integer", "null"] },
      excessMinor: { type: ["integer", "null"] },
      payableMinor: { type: ["integer", "null"] },
      currency: { type: "string" },
      decisionNote: { type: ["string", "null"] },
      eligibilityFlags: {
        type: "array",
        description: "What the system noted when the claim was filed (it is filed anyway).",
        items: {
          type: "object",
          properties: {
            code: {
              type: "string",
              examples: ["not_in_force", "cancelled", "lapsed", "unpaid_grace", "waiting_period", "over_benefit_left", "documents_missing"],
            },
            message: { type: "string" },
          },
        },
      },
      waitingFor: {
        type: "object",
        properties: {
          who: { type: "string", enum: ["you", "agent", "us", "nobody"] },
          what: { type: "string" },
          dueAt: { type: ["string", "null"] },
        },
      },
      appealUntil: { type: ["string", "null"], format: "date" },
      benefitLeft: { type: ["object", "null"], description: "The policy year's benefit left, for products with a yearly limit." },
      timeline: {
        type: "array",
        items: { type: "object", properties: { at: { type: "string" }, title: { type: "string" }, detail: { type: ["string", "null"] } } },
      },
      requests: { type: "array", items: { type: "object" }, description: "The assessor's requests for information." },
      documents: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string" },
            kind: { type: "string" },
            filename: { type: "string" },
            status: { type: "string", enum: ["pending", "verified", "rejected"] },
            downloadUrl: { type: "string", description: "Signed for this account; works for five minutes." },
          },
        },
      },
      settlement: { type: ["object", "null"] },
    },
  },
};

export const claimPaths = {
  "/claims": {
    get: {
      operationId: "listClaims",
      summary: "Your claims, newest first (signed in)",
      parameters: [
        { name: "status", in: "query", schema: { type: "string", enum: [...CLAIM_STATES] } },
        { name: "policyId", in: "query", schema: { type: "string", format: "uuid" } },
        { name: "from", in: "query", description: "Incident on or after (YYYY-MM-DD).", schema: { type: "string", format: "date" } },
        { name: "to", in: "query", description: "Incident on or before (YYYY-MM-DD).", schema: { type: "string", format: "date" } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50, default: 20 } },
        { name: "cursor", in: "query", description: "From the previous page's `next`.", schema: { type: "string" } },
      ],
      responses: {
        "200": { description: "A page of claims.", content: { "application/json": { schema: ref("ClaimList") } } },
        "400": errorResponse("A query parameter is not valid (VALIDATION_ERROR)."),
        "401": signedIn,
      },
    },
    post: {
      operationId: "fileClaim",
      summary: "File a claim on one of your policies",
      description: "No Idempotency-Key support yet: a retried request files a second claim.",
      requestBody: { required: true, content: { "application/json": { schema: ref("ClaimRequest") } } },
      responses: {
        "201": { description: "The filed claim (with any eligibility flags).", ...oneClaim },
        "400": errorResponse(
          "Invalid JSON or a field error (VALIDATION_ERROR: `incidentDate`, `currency`, `policyId` …); nothing is saved.",
        ),
        "401": signedIn,
      },
    },
  },
  "/claims/{claimId}": {
    get: {
      operationId: "getClaim",
      summary: "One of your claims, with its timeline and documents",
      parameters: [claimId],
      responses: {
        "200": { description: "The claim.", ...oneClaim },
        "401": signedIn,
        "404": errorResponse("No such claim of yours (NOT_FOUND)."),
      },
    },
  },
  "/claims/{claimId}/documents": {
    post: {
      operationId: "uploadClaimDocuments",
      summary: "Add documents to a claim, or answer a request for them",
      parameters: [claimId],
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: {
                kind: { type: "string", description: "What the files are (police_abstract, damage_photos …, or other)." },
                file: {
                  type: "array",
                  items: { type: "string", format: "binary" },
                  description: "PDF, JPEG, PNG or HEIC; 10 MB each, 10 at a time.",
                },
                requestId: { type: "string", format: "uuid", description: "The request these answer." },
                answer: { type: "string" },
              },
            },
          },
        },
      },
      responses: {
        "201": { description: "The claim with its documents.", ...oneClaim },
        "400": errorResponse("A file is not what it claims to be, or too many (VALIDATION_ERROR per field)."),
        "401": signedIn,
        "404": errorResponse("No such claim of yours (NOT_FOUND)."),
        "409": errorResponse("The claim is closed, or the request already answered (CONFLICT)."),
        "413": errorResponse("Too large (PAYLOAD_TOO_LARGE)."),
      },
    },
  },
};

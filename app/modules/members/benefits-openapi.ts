/**
 * The member benefits part of the OpenAPI document (app/modules/catalogue/openapi.ts puts it in),
 * beside the module whose answer it describes: GET /members/{memberId}/benefits.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
const minor = { type: "integer", description: "Minor units of the policy's currency." };

export const benefitSchemas = {
  MemberBenefits: {
    type: "object",
    required: ["memberId", "asOf", "policies"],
    properties: {
      memberId: { type: "string", format: "uuid" },
      asOf: { type: "string", format: "date", description: "Today in the agency's time zone: the policy year counted." },
      policies: {
        type: "array",
        items: {
          type: "object",
          required: ["policyId", "policyNumber", "productName", "status", "startDate", "currency", "annualLimit", "claimTypes"],
          properties: {
            policyId: { type: "string", format: "uuid" },
            policyNumber: { type: "string" },
            productName: { type: "string" },
            status: { type: "string", enum: ["active", "grace"] },
            startDate: { type: "string", format: "date" },
            endDate: { type: ["string", "null"], format: "date" },
            currency: { type: "string" },
            annualLimit: {
              type: ["object", "null"],
              description: "Null when the product has no yearly limit. Used: approved and settled claims of this policy year.",
              properties: {
                limitMinor: minor,
                usedMinor: minor,
                leftMinor: minor,
                yearStart: { type: "string", format: "date" },
                yearEnd: { type: "string", format: "date" },
              },
            },
            excessMinor: { type: ["integer", "null"] },
            claimTypes: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  type: { type: "string" },
                  label: { type: "string" },
                  waitingDays: { type: "integer" },
                  coveredFrom: { type: "string", format: "date" },
                  inWaitingPeriod: { type: "boolean" },
                  documents: {
                    type: "array",
                    items: { type: "object", properties: { code: { type: "string" }, label: { type: "string" } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

export const benefitPaths = {
  "/members/{memberId}/benefits": {
    get: {
      operationId: "getMemberBenefits",
      summary: "A member's benefits per policy in force (signed in: the member, their agent or staff)",
      parameters: [{ name: "memberId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: {
        "200": { description: "The benefits.", content: { "application/json": { schema: ref("MemberBenefits") } } },
        "401": errorResponse("Not signed in (UNAUTHENTICATED)."),
        "404": errorResponse("No such member for this account at this agency, or no agent network (NOT_FOUND)."),
      },
    },
  },
};
